"""The image inspector's controls: which kernels, the conv -> activation -> pool chain, colours.

``chain_changed`` asks for new maps; ``display_changed`` only for new colours. The kernel list
holds the shared bank, the model's learned kernels once offered (any conv layer: pick the
layer and, for a layer reading several maps or colours, the input channel), and one editable
"Custom" kernel; editing the weights of any kernel shown in the table edits the custom one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.core.imaging.inspection import ChainSettings, NamedKernel, Pooling
from convviz.core.kernel_bank import KERNEL_BANK
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, relabel_combo, translate
from convviz.gui.widgets import theme
from convviz.gui.widgets.combo_boxes import refill
from convviz.gui.widgets.number_editors import NumberTable, PairSpin, resized_keeping_centre

# Labels are English keys (each combo item's data), marked for the catalog, shown translated.
CUSTOM = QT_TRANSLATE_NOOP("InspectorControls", "Custom")
EDGE_PRESET = ("Sobel x", "Sobel y", "Laplacian", "Gaussian blur 3x3")
CHANNEL_LABELS = {QT_TRANSLATE_NOOP("InspectorControls", "Luminance (brightness)"): "luminance",
                  QT_TRANSLATE_NOOP("InspectorControls", "Each colour channel (R, G, B)"):
                      "channels"}
PAD_MODE_LABELS = {QT_TRANSLATE_NOOP("InspectorControls", "zeros"): "zero",
                   QT_TRANSLATE_NOOP("InspectorControls", "mirror"): "reflect",
                   QT_TRANSLATE_NOOP("InspectorControls", "repeat edge"): "replicate"}
ACTIVATION_LABELS = {QT_TRANSLATE_NOOP("InspectorControls", "none"): "linear", "ReLU": "relu",
                     "leaky ReLU": "leaky_relu", "tanh": "tanh", "sigmoid": "sigmoid"}
POOLING_LABELS = {QT_TRANSLATE_NOOP("InspectorControls", "none"): None, "max": "max",
                  QT_TRANSLATE_NOOP("InspectorControls", "average"): "average"}
PADDING_LABELS = {"same": "same", "valid": "valid",
                  QT_TRANSLATE_NOOP("InspectorControls", "explicit"): "explicit"}
UNSIGNED_COLORMAPS = {QT_TRANSLATE_NOOP("InspectorControls", "Grey"): "CET-L1",
                      "Viridis": "viridis", "Inferno": "inferno", "Magma": "magma",
                      "Cividis": "cividis"}
SIGNED_COLORMAPS = {
    QT_TRANSLATE_NOOP("InspectorControls", "Blue–white–red"): "CET-D9",
    QT_TRANSLATE_NOOP("InspectorControls", "Deep blue–white–deep red"): "CET-D1A",
    QT_TRANSLATE_NOOP("InspectorControls", "Blue–black–red"): "CET-D4",
    QT_TRANSLATE_NOOP("InspectorControls", "Green–white–purple"): "CET-D2"}
CONTRAST_LABELS = {QT_TRANSLATE_NOOP("InspectorControls", "Full range"): 0.0,
                   QT_TRANSLATE_NOOP("InspectorControls", "Clip the extreme 0.5 %"): 0.005,
                   QT_TRANSLATE_NOOP("InspectorControls", "Clip the extreme 2 %"): 0.02}
_KEY = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class DisplaySettings:
    """How maps are coloured: one colormap for maps >= 0, a diverging one for signed maps, and
    the share of extreme pixels allowed to saturate."""

    unsigned_colormap: pg.ColorMap
    signed_colormap: pg.ColorMap
    clip_fraction: float


def _label(text: str) -> str:
    return translate("InspectorControls", text)


def _combo(labels, current: str | None = None) -> QComboBox:
    """A combo box of the given English labels (a dict's keys), each its item's data."""
    combo = QComboBox()
    for key in labels:
        combo.addItem(key, key)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current))
    return combo


class InspectorControls(Retranslating, QWidget):
    """Kernel list and editor, channel, convolution, activation, pooling and display settings."""

    chain_changed = Signal()
    display_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._custom = np.array([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], np.float32)
        self._model: dict[str, np.ndarray] = {}
        self._model_layer = ""
        self._layers: dict[str, tuple[np.ndarray, list[str]]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._build_kernels())
        layout.addWidget(self._build_chain())
        layout.addWidget(self._build_display())
        layout.addStretch(1)
        self.retranslate()
        self.check_kernels(EDGE_PRESET)
        self.kernel_list.setCurrentItem(self._item(EDGE_PRESET[0]))

    def retranslate(self) -> None:
        """Every label, item and tooltip in the current language."""
        self.kernels_box.setTitle(self.tr("Kernels (tick one or more)"))
        self.chain_box.setTitle(self.tr("Convolution → activation → pooling"))
        self.display_box.setTitle(self.tr("Colours"))
        self.edge_button.setText(self.tr("Edges"))
        self.edge_button.setToolTip(self.tr("Sobel x, Sobel y, Laplacian and a blur"))
        self.model_button.setText(self.tr("Model kernels"))
        self.model_button.setToolTip(self.tr("The trained network's kernels of the layer (and "
                                             "input channel) picked below"))
        self.layer_combo.setToolTip(self.tr("The model's conv layer whose kernels the list "
                                            "offers"))
        self.input_combo.setToolTip(self.tr("Each filter has a kernel per input channel: "
                                            "which one"))
        self.layer_label.setText(self.tr("Layer"))
        self.input_label.setText(self.tr("Input"))
        for caption, text in zip(self.captions, (
                self.tr("Size"), self.tr("Input"), self.tr("Stride"), self.tr("Padding"),
                self.tr("Pad with"), self.tr("Dilation"), self.tr("Activation"),
                self.tr("Pooling"), self.tr("Pool size"), self.tr("Pool stride"),
                self.tr("Maps ≥ 0"), self.tr("Signed maps"), self.tr("Contrast")), strict=True):
            caption.setText(text)
        for combo in self.findChildren(QComboBox):
            relabel_combo(combo, "InspectorControls")
        for row in range(self.kernel_list.count()):
            item = self.kernel_list.item(row)
            name = item.data(_KEY)
            item.setText(self.tr("The model's C1 kernels") if name is None else _label(name))
            if name in self._model:
                item.setToolTip(self.tr("A kernel the network learned in its first layer."))
            elif name == CUSTOM:
                item.setToolTip(self.tr("Your own kernel: edit its weights in the table below."))
        current = self.kernel_list.currentItem()
        if current is not None and current.data(_KEY) is not None:
            self._show_kernel(current.data(_KEY))
        self._describe_controls()

    # --- public API ---------------------------------------------------------------------------

    def kernels(self) -> tuple[NamedKernel, ...]:
        """The checked kernels, in list order."""
        chosen = []
        for row in range(self.kernel_list.count()):
            item = self.kernel_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                name = item.data(_KEY)
                chosen.append(NamedKernel(name, self._weights(name)))
        return tuple(chosen)

    def check_kernels(self, names) -> None:
        """Check exactly the kernels called `names` (others unchecked); one signal at most."""
        wanted = set(names)
        self.kernel_list.blockSignals(True)
        for row in range(self.kernel_list.count()):
            item = self.kernel_list.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                state = Qt.CheckState.Checked if item.data(_KEY) in wanted else (
                    Qt.CheckState.Unchecked)
                item.setCheckState(state)
        self.kernel_list.blockSignals(False)
        self.chain_changed.emit()

    def set_model_kernels(self, kernels: dict[str, np.ndarray]) -> None:
        """Offer learned (kh, kw) or (kh, kw, 1) kernels, e.g. {"C1 #0": ...}, replacing
        earlier ones; InspectionError (a ValueError) for any other shape."""
        checked = {kernel.name for kernel in self.kernels()}
        self._model = {name: NamedKernel(name, weights).weights
                       for name, weights in kernels.items()}
        self._fill_kernel_list()
        self.model_button.setEnabled(bool(self._model))
        self.check_kernels(checked)

    def set_model_layers(self, layers: dict[str, tuple[np.ndarray, list[str]]]) -> None:
        """Offer the learned kernels of these conv layers, {name: ((kh, kw, in, out) weights,
        a name per input channel)}: the layer and input pickers choose which (kh, kw) slices
        the kernel list holds, "conv2 #5" or "conv2 #5 · input 3"."""
        self._layers = {name: (np.asarray(kernel, np.float32), list(inputs))
                        for name, (kernel, inputs) in layers.items()}
        refill(self.layer_combo, list(self._layers))
        self.layer_combo.setEnabled(bool(self._layers))
        self._fill_inputs()

    def _fill_inputs(self) -> None:
        name = self.layer_combo.currentText()
        inputs = self._layers[name][1] if name in self._layers else []
        refill(self.input_combo, inputs)
        self.input_combo.setEnabled(len(inputs) > 1)
        self._offer_picked_kernels()

    def _offer_picked_kernels(self) -> None:
        name = self.layer_combo.currentText()
        if name not in self._layers:
            self._model_layer = ""
            self.set_model_kernels({})
            return
        kernel, inputs = self._layers[name]
        channel = max(0, self.input_combo.currentIndex())
        suffix = f" · {inputs[channel]}" if len(inputs) > 1 else ""
        self._model_layer = name + suffix
        self.set_model_kernels({f"{name} #{k}{suffix}": kernel[:, :, channel, k]
                                for k in range(kernel.shape[3])})

    def set_custom_kernel(self, weights: np.ndarray) -> None:
        """Put weights in the custom kernel, check it and show it in the editor."""
        self._custom = np.array(weights, np.float32)
        item = self._item(CUSTOM)
        self.kernel_list.setCurrentItem(item)
        self._show_kernel(CUSTOM)
        if item.checkState() == Qt.CheckState.Checked:
            self.chain_changed.emit()
        else:
            item.setCheckState(Qt.CheckState.Checked)

    def chain_settings(self) -> ChainSettings:
        pooling_mode = POOLING_LABELS[self.pooling_combo.currentData()]
        pooling = None if pooling_mode is None else Pooling(
            self.pool_size.value(), self.pool_stride.value(), pooling_mode)
        padding = PADDING_LABELS[self.padding_combo.currentData()]
        return ChainSettings(
            channels=CHANNEL_LABELS[self.channels_combo.currentData()],
            strides=self.stride_spin.value(),
            padding=self.padding_spin.value() if padding == "explicit" else padding,
            dilation_rate=self.dilation_spin.value(),
            pad_mode=PAD_MODE_LABELS[self.pad_mode_combo.currentData()],
            activation=ACTIVATION_LABELS[self.activation_combo.currentData()],
            pooling=pooling)

    def display_settings(self) -> DisplaySettings:
        return DisplaySettings(
            pg.colormap.get(UNSIGNED_COLORMAPS[self.unsigned_combo.currentData()]),
            pg.colormap.get(SIGNED_COLORMAPS[self.signed_combo.currentData()]),
            CONTRAST_LABELS[self.contrast_combo.currentData()])

    # --- building -----------------------------------------------------------------------------

    def _build_kernels(self) -> QGroupBox:
        box = self.kernels_box = QGroupBox()
        self.captions = [QLabel() for _ in range(13)]
        """The form's row labels, in order (re-labelled by retranslate)."""
        self.kernel_list = QListWidget()
        self.kernel_list.setMinimumHeight(200)
        self._fill_kernel_list()
        self.kernel_list.itemChanged.connect(self._on_kernel_list_item_changed)
        self.kernel_list.currentItemChanged.connect(self._on_kernel_list_current_changed)
        self.edge_button = QPushButton()
        self.edge_button.clicked.connect(lambda: self.check_kernels(EDGE_PRESET))
        self.model_button = QPushButton()
        self.model_button.setEnabled(False)
        self.model_button.clicked.connect(lambda: self.check_kernels(self._model))
        presets = QHBoxLayout()
        for button in (self.edge_button, self.model_button):
            presets.addWidget(button)
        self.layer_combo = QComboBox()
        self.layer_combo.setEnabled(False)
        self.layer_combo.currentIndexChanged.connect(self._fill_inputs)
        self.input_combo = QComboBox()
        self.input_combo.setEnabled(False)
        self.input_combo.currentIndexChanged.connect(self._offer_picked_kernels)
        learned = QHBoxLayout()
        self.layer_label, self.input_label = QLabel(), QLabel()
        learned.addWidget(self.layer_label)
        learned.addWidget(self.layer_combo, 1)
        learned.addWidget(self.input_label)
        learned.addWidget(self.input_combo, 1)
        self.kernel_title = QLabel()
        self.kernel_title.setWordWrap(True)
        self.kernel_table = NumberTable(cell_px=46)
        self.kernel_table.values_edited.connect(self._on_kernel_table_values_edited)
        self.kernel_size = PairSpin(1, 9, 3)
        self.kernel_size.value_changed.connect(self._on_kernel_size_value_changed)
        size_row = QHBoxLayout()
        size_row.addWidget(self.captions[0])
        size_row.addWidget(self.kernel_size)
        size_row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.kernel_list)
        layout.addLayout(presets)
        layout.addLayout(learned)
        layout.addWidget(self.kernel_title)
        layout.addWidget(self.kernel_table)
        layout.addLayout(size_row)
        return box

    def _build_chain(self) -> QGroupBox:
        box = self.chain_box = QGroupBox()
        self.channels_combo = _combo(CHANNEL_LABELS)
        self.stride_spin = PairSpin(1, 16, 1)
        self.dilation_spin = PairSpin(1, 8, 1)
        self.padding_combo = _combo(PADDING_LABELS)
        self.padding_spin = QSpinBox()
        self.padding_spin.setRange(0, 32)
        self.padding_spin.setValue(1)
        self.padding_spin.setEnabled(False)
        padding_row = QHBoxLayout()
        padding_row.addWidget(self.padding_combo, 1)
        padding_row.addWidget(self.padding_spin)
        self.pad_mode_combo = _combo(PAD_MODE_LABELS)
        self.activation_combo = _combo(ACTIVATION_LABELS)
        self.pooling_combo = _combo(POOLING_LABELS)
        self.pool_size = PairSpin(1, 8, 2)
        self.pool_stride = PairSpin(1, 8, 2)
        form = QFormLayout(box)
        for caption, field in zip(self.captions[1:10], (
                self.channels_combo, self.stride_spin, padding_row, self.pad_mode_combo,
                self.dilation_spin, self.activation_combo, self.pooling_combo, self.pool_size,
                self.pool_stride), strict=True):
            form.addRow(caption, field)
        for combo in (self.channels_combo, self.padding_combo, self.pad_mode_combo,
                      self.activation_combo, self.pooling_combo):
            combo.currentIndexChanged.connect(self._on_chain_control_changed)
        for spin in (self.stride_spin, self.dilation_spin, self.pool_size, self.pool_stride):
            spin.value_changed.connect(self._on_chain_control_changed)
        self.padding_spin.valueChanged.connect(self._on_chain_control_changed)
        self._pool_size_before = self.pool_size.value()
        self.pool_size.value_changed.connect(self._on_pool_size_value_changed)
        self._update_enabled()
        return box

    def _build_display(self) -> QGroupBox:
        box = self.display_box = QGroupBox()
        self.unsigned_combo = _combo(UNSIGNED_COLORMAPS, "Inferno")
        self.signed_combo = _combo(SIGNED_COLORMAPS)
        self.contrast_combo = _combo(CONTRAST_LABELS, "Clip the extreme 0.5 %")
        form = QFormLayout(box)
        for caption, field in zip(self.captions[10:],
                                  (self.unsigned_combo, self.signed_combo, self.contrast_combo),
                                  strict=True):
            form.addRow(caption, field)
        for combo in (self.unsigned_combo, self.signed_combo, self.contrast_combo):
            combo.currentIndexChanged.connect(self.display_changed)
        return box

    def _fill_kernel_list(self) -> None:
        self.kernel_list.blockSignals(True)
        self.kernel_list.clear()
        for kernel in KERNEL_BANK:
            self._add_item(kernel.name, kernel.description)
        if self._model:
            header = QListWidgetItem(
                self.tr("The model's {0} kernels").format(self._model_layer)
                if self._model_layer else self.tr("The model's learned kernels"))
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(theme.font(theme.BASE_POINT_SIZE, bold=True))
            self.kernel_list.addItem(header)
            for name in self._model:
                self._add_item(name, self.tr("A kernel the network learned."))
        self._add_item(CUSTOM, self.tr("Your own kernel: edit its weights in the table below."))
        self.kernel_list.blockSignals(False)

    def _add_item(self, name: str, description: str) -> None:
        item = QListWidgetItem(_label(name))
        item.setData(_KEY, name)
        item.setToolTip(description)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.kernel_list.addItem(item)

    def _item(self, name: str) -> QListWidgetItem:
        for row in range(self.kernel_list.count()):
            item = self.kernel_list.item(row)
            if item.data(_KEY) == name:
                return item
        raise KeyError(name)

    def _weights(self, name: str) -> np.ndarray:
        if name == CUSTOM:
            return self._custom
        if name in self._model:
            return self._model[name]
        return next(kernel.weights for kernel in KERNEL_BANK if kernel.name == name)

    def _update_enabled(self) -> None:
        self.padding_spin.setEnabled(PADDING_LABELS[self.padding_combo.currentData()] == "explicit")
        pooling = POOLING_LABELS[self.pooling_combo.currentData()] is not None
        self.pool_size.setEnabled(pooling)
        self.pool_stride.setEnabled(pooling)

    # --- handlers -----------------------------------------------------------------------------

    def _on_chain_control_changed(self) -> None:
        self._update_enabled()
        self.chain_changed.emit()

    def _on_pool_size_value_changed(self) -> None:
        """Keep the pool stride equal to the pool size while it was (Keras's default)."""
        if self.pool_stride.value() == self._pool_size_before:
            self.pool_stride.set_value(self.pool_size.value())
        self._pool_size_before = self.pool_size.value()

    def _on_kernel_list_item_changed(self, _item: QListWidgetItem) -> None:
        self.chain_changed.emit()

    def _on_kernel_list_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None and item.data(_KEY) is not None:
            self._show_kernel(item.data(_KEY))

    def _show_kernel(self, name: str) -> None:
        weights = self._weights(name)
        self.kernel_title.setText(f"<b>{_label(name)}</b>: {self._item(name).toolTip()}")
        self.kernel_table.set_values(weights)
        self.kernel_size.blockSignals(True)
        self.kernel_size.set_value(weights.shape)
        self.kernel_size.blockSignals(False)

    def _on_kernel_table_values_edited(self) -> None:
        self.set_custom_kernel(self.kernel_table.values())

    def _on_kernel_size_value_changed(self) -> None:
        """Resize the kernel on show into the custom one, keeping it centred."""
        current = self.kernel_list.currentItem()
        name = current.data(_KEY) if current is not None else CUSTOM
        self.set_custom_kernel(resized_keeping_centre(self._weights(name or CUSTOM),
                                                      *self.kernel_size.value()))

    def _describe_controls(self) -> None:
        """A tooltip in plain words on every control."""
        for widget, text in (
                (self.kernel_table,
                 self.tr("The selected kernel's weights: double-click to type one")),
                (self.kernel_size, self.tr("The kernel's size (keeps its centre)")),
                (self.channels_combo,
                 self.tr("What the kernels see: brightness or one colour channel")),
                (self.stride_spin, self.tr("How far each kernel moves between outputs")),
                (self.dilation_spin, self.tr("Gaps between a kernel's taps (1 = none)")),
                (self.padding_combo, self.tr("same: the maps keep the photo's size; valid: no "
                                             "padding; explicit: the number beside")),
                (self.padding_spin, self.tr("Padding pixels on every side (explicit padding)")),
                (self.pad_mode_combo,
                 self.tr("What the padding holds: zeros or copies of the edge")),
                (self.activation_combo, self.tr("The function applied to every map value")),
                (self.pooling_combo, self.tr("Shrink each map by keeping the largest or the mean "
                                             "value of each window, or not at all")),
                (self.pool_size, self.tr("The pooling window's size")),
                (self.pool_stride, self.tr("How far the pooling window moves")),
                (self.unsigned_combo, self.tr("Colours for maps without negative values")),
                (self.signed_combo,
                 self.tr("Colours for maps with negative and positive values")),
                (self.contrast_combo, self.tr("Ignore the most extreme values when choosing the "
                                              "colour range, so the rest shows"))):
            widget.setToolTip(text)

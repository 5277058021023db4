"""The stepper's control panel: what to walk (input, kernel) and how (operation, sliding).

``StepperControls`` holds the inputs on offer (example grids, a typed grid, a loaded image and
whatever other views feed in) and the kernel being edited, and describes the rest as
``StepperSettings``. It computes nothing: it emits ``settings_changed`` and the view rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.core.formatting import format_pair
from convviz.core.kernel_bank import KERNEL_BANK
from convviz.core.nn.geometry import as_pair
from convviz.core.stepper import STEP_ACTIVATIONS, StepperSettings, read_image
from convviz.gui import error_log, workers
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, relabel_combo, translate
from convviz.gui.widgets import theme
from convviz.gui.widgets.number_editors import NumberTable, PairSpin, resized_keeping_centre
from convviz.gui.widgets.picture_sources import picture_filter

SLIDES_6X6 = [[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3], [0, 1, 3, 1, 7, 8],
              [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]]
EDGE_6X6 = [[10, 10, 10, 0, 0, 0]] * 6
NUMBERS_7X7 = [[2, 0, 1, 3, 1, 0, 2], [1, 4, 2, 0, 3, 1, 0], [0, 2, 5, 1, 2, 4, 1],
               [3, 1, 2, 6, 1, 0, 2], [1, 0, 3, 2, 4, 1, 3], [2, 3, 1, 0, 2, 5, 1],
               [0, 1, 2, 3, 1, 2, 4]]
PATTERN_7X7 = [[0, 1, 1, 1, 0, 0, 0], [0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 1, 1, 1, 0],
               [0, 0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0, 0], [0, 1, 1, 0, 0, 0, 0],
               [1, 1, 0, 0, 0, 0, 0]]
# Names and labels below are English keys, marked for the catalog and shown translated.
EXAMPLES = {
    QT_TRANSLATE_NOOP("StepperControls", "Example 6×6 (slides: vertical edge)"): SLIDES_6X6,
    QT_TRANSLATE_NOOP("StepperControls", "Example 6×6: bright | dark"): EDGE_6X6,
    QT_TRANSLATE_NOOP("StepperControls", "Example 7×7 numbers"): NUMBERS_7X7,
    QT_TRANSLATE_NOOP("StepperControls", "Example 7×7 pattern (0/1)"): PATTERN_7X7,
}
CUSTOM_GRID = QT_TRANSLATE_NOOP("StepperControls", "Custom grid")
LOADED_IMAGE = QT_TRANSLATE_NOOP("StepperControls", "Loaded image")
DRAWING = QT_TRANSLATE_NOOP("StepperControls", "Current drawing")
PICTURE = QT_TRANSLATE_NOOP("StepperControls", "Current picture")
ACTIVATION_MAPS = QT_TRANSLATE_NOOP("StepperControls", "Activation maps {0}")
"""Inputs other tabs feed in: the drawing, and a layer's maps (ACTIVATION_MAPS.format(layer))."""
CUSTOM_KERNEL = QT_TRANSLATE_NOOP("StepperControls", "Custom")
COLOUR_VIEW = QT_TRANSLATE_NOOP("StepperControls", "all (colour)")
OPERATION_LABELS = {"convolution": QT_TRANSLATE_NOOP("StepperControls", "Convolution"),
                    "max": QT_TRANSLATE_NOOP("StepperControls", "Max pooling"),
                    "average": QT_TRANSLATE_NOOP("StepperControls", "Average pooling"),
                    "global_average": QT_TRANSLATE_NOOP("StepperControls",
                                                        "Global average pooling")}
ACTIVATION_LABELS = {"linear": QT_TRANSLATE_NOOP("StepperControls", "none"), "relu": "ReLU",
                     "tanh": "tanh", "sigmoid": "sigmoid", "leaky_relu": "leaky ReLU",
                     "elu": "ELU", "softplus": "softplus"}
PADDING_LABELS = {"valid": "valid", "same": "same",
                  "explicit": QT_TRANSLATE_NOOP("StepperControls", "explicit")}
FILL_LABELS = {"zero": QT_TRANSLATE_NOOP("StepperControls", "zero"),
               "reflect": QT_TRANSLATE_NOOP("StepperControls", "reflect"),
               "replicate": QT_TRANSLATE_NOOP("StepperControls", "replicate")}
FLIP_NOTE = QT_TRANSLATE_NOOP(
    "StepperControls",
    "Mathematical convolution flips the kernel by 180°. Deep-learning libraries skip the flip "
    "(cross-correlation): the weights are learned, so a flipped kernel is just another kernel, "
    "and skipping it is simpler.")
CUSTOM_NOTE = QT_TRANSLATE_NOOP("StepperControls",
                                "Your own kernel: type numbers (or fractions like 1/9).")
NOTE_STYLE = f"color: {theme.MUTED}; font-size: 9pt;"


def label(text: str) -> str:
    """One of this module's marked names or labels in the current language."""
    return translate("StepperControls", text)


def input_label(name: str) -> str:
    """What the input called `name` (its English key) is called in the current language."""
    layer = name.removeprefix(ACTIVATION_MAPS.format(""))
    if layer != name:
        return label(ACTIVATION_MAPS).format(layer)
    return label(name)


def _style_note(note: QLabel) -> None:
    """A grey wrapped note that takes the column's width and never widens it (a long
    translation would otherwise ask for a wider column)."""
    note.setStyleSheet(NOTE_STYLE)
    note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)


def select_data(combo: QComboBox, key: str) -> None:
    """Show the item whose data is `key`."""
    combo.setCurrentIndex(combo.findData(key))


@dataclass(frozen=True)
class InputSource:
    """An input the stepper can walk: (H, W, C) float32 values and how to show them."""

    values: np.ndarray
    channel_names: tuple[str, ...]
    editable: bool = False
    image_like: bool = False


def as_source(array: np.ndarray, channel_names: tuple[str, ...] | None = None,
              editable: bool = False, image_like: bool = False) -> InputSource:
    """Wrap an (H, W) or (H, W, C) array; three channels are called R, G, B by default."""
    values = np.asarray(array, np.float32)
    if values.ndim == 2:
        values = values[:, :, None]
    if values.ndim != 3:
        raise ValueError(f"an input must be (H, W) or (H, W, C), got shape {values.shape}")
    channels = values.shape[2]
    if channel_names is None:
        channel_names = ("R", "G", "B") if channels == 3 else tuple(
            translate("StepperControls", "channel {0}").format(c) for c in range(channels))
    if len(channel_names) != channels:
        raise ValueError(f"{len(channel_names)} channel names for {channels} channels")
    return InputSource(np.ascontiguousarray(values), tuple(channel_names), editable, image_like)


class StepperControls(Retranslating, QWidget):
    """Input, operation, kernel and sliding controls.

    ``settings_changed(refit)`` fires when the walk must be redone; refit is True when the
    input or the padding mode changed, so the panels should frame the grids again.
    ``channel_changed`` fires when only the channel on show changed.
    """

    settings_changed = Signal(bool)
    channel_changed = Signal()
    image_loaded = Signal(str)
    load_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sources: dict[str, InputSource] = {
            name: as_source(grid, editable=True) for name, grid in EXAMPLES.items()}
        self._sources[CUSTOM_GRID] = as_source(np.zeros((5, 5)), editable=True)
        self._learned: dict[str, np.ndarray] = {}
        self._learned_bias: dict[str, float] = {}
        self.kernel = np.array(KERNEL_BANK[0].weights)[:, :, None]
        self._operation = "convolution"
        self._conv_stride: tuple[int, int] | None = None  # the stride before pooling
        self._importer = workers.PictureImporter(
            lambda source, name, rgb: (name, read_image(source, rgb)), self)
        self._importer.imported.connect(self._on_importer_imported)
        self._importer.failed.connect(self._on_importer_failed)
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_input_box())
        layout.addWidget(self._build_operation_box())
        layout.addWidget(self._build_kernel_box())
        layout.addWidget(self._build_sliding_box())
        layout.addStretch(1)
        self.retranslate()
        select_data(self.kernel_combo, "Vertical edge")
        self._on_operation_combo_changed()
        self._on_input_combo_changed()

    def retranslate(self) -> None:
        """Every label, item and tooltip in the current language."""
        self.input_box.setTitle(self.tr("Input"))
        self.operation_box.setTitle(self.tr("Operation"))
        self.kernel_box.setTitle(self.tr("Kernel"))
        self.sliding_box.setTitle(self.tr("Sliding"))
        for index in range(self.input_combo.count()):
            self.input_combo.setItemText(index, input_label(self.input_combo.itemData(index)))
        for combo, labels in ((self.operation_combo, OPERATION_LABELS),
                              (self.activation_combo, ACTIVATION_LABELS),
                              (self.padding_combo, PADDING_LABELS), (self.fill_combo, FILL_LABELS),
                              (self.kernel_combo, None), (self.channel_combo, None)):
            relabel_combo(combo, "StepperControls", labels)
        self.load_button.setText(self.tr("Load image…"))
        self.rgb_check.setText(self.tr("colour (RGB)"))
        self.flip_check.setText(self.tr("Flip the kernel (true convolution)"))
        self.flip_check.setToolTip(label(FLIP_NOTE))
        self.flip_note.setText(label(FLIP_NOTE))
        for widget, text in (
                (self.grid_size_label, self.tr("Grid size")),
                (self.channel_label, self.tr("Show channel")),
                (self.pool_label, self.tr("Pool size")),
                (self.kernel_size_label, self.tr("Size")),
                (self.kernel_channel_label, self.tr("Edit channel k'")),
                (self.bias_label, self.tr("Bias b")),
                (self.activation_label, self.tr("Activation")),
                (self.stride_label, self.tr("Stride")),
                (self.padding_label, self.tr("Padding")),
                (self.fill_label, self.tr("Padding fill")),
                (self.dilation_label, self.tr("Dilation")),
                (self.pad_top_label, self.tr("top")),
                (self.pad_bottom_label, self.tr("bottom")),
                (self.pad_left_label, self.tr("left")),
                (self.pad_right_label, self.tr("right"))):
            widget.setText(text)
        self._show_kernel_note()
        self._describe_controls()

    # --- public API -----------------------------------------------------------------------

    @property
    def input_name(self) -> str:
        """The input on show (its English key, as set_external_input was given it)."""
        return self.input_combo.currentData()

    @property
    def input_source(self) -> InputSource:
        return self._sources[self.input_name]

    def set_external_input(self, name: str, array: np.ndarray, select: bool = False,
                           channel_names: tuple[str, ...] | None = None) -> None:
        """Offer (or update) an input; redo the walk if it is on show; ``select`` shows it."""
        self._sources[name] = as_source(array, channel_names, image_like=True)
        if self.input_combo.findData(name) < 0:
            self.input_combo.addItem(input_label(name), name)
        if select and self.input_name != name:
            select_data(self.input_combo, name)
        elif self.input_name == name:
            self._show_input(refit=False)  # e.g. a new stroke: keep the zoom and the probe

    def remove_external_input(self, name: str) -> None:
        """Stop offering an input set with set_external_input (nothing if there is none);
        if it was on show, the first input is."""
        index = self.input_combo.findData(name)
        if name not in self._sources or index < 0:
            return
        del self._sources[name]
        self.input_combo.removeItem(index)   # a current one: the combo picks another

    def select_input(self, name: str) -> None:
        if self.input_combo.findData(name) < 0:
            raise KeyError(f"no input called {name!r}")
        select_data(self.input_combo, name)

    def load_image(self, path: str | Path, rgb: bool = False) -> None:
        """Make an image file (pixel values 0..255) the input on show, decoded off the GUI
        thread: `image_loaded(name)` or `load_failed(sentence)` follows."""
        path = Path(path)
        self._importer.take(path, f"'{path.name}'", rgb=rgb)

    def _on_importer_imported(self, loaded: tuple[str, np.ndarray]) -> None:
        name, values = loaded
        self.set_external_input(LOADED_IMAGE, values, select=True)
        self.image_loaded.emit(name)

    def _on_importer_failed(self, name: str, error: Exception) -> None:
        self.load_failed.emit(error_log.report(error, f"Loading {name} into the stepper"))

    def set_model_kernels(self, kernels: dict[str, np.ndarray],
                          biases: dict[str, float] | None = None) -> None:
        """Offer learned filters {name: (kh, kw, cin) weights}, replacing earlier ones."""
        current = self.kernel_name
        self.kernel_combo.blockSignals(True)
        for name in self._learned:
            self.kernel_combo.removeItem(self.kernel_combo.findData(name))
        self._learned = {name: np.array(w, np.float32).reshape(*np.shape(w)[:2], -1)
                         for name, w in kernels.items()}
        self._learned_bias = dict(biases or {})
        for name in self._learned:
            self.kernel_combo.addItem(name, name)
        if self.kernel_combo.findData(current) < 0:
            select_data(self.kernel_combo, CUSTOM_KERNEL)
        self.kernel_combo.blockSignals(False)
        if current in self._learned:  # a retrained model: show its new weights
            self._on_kernel_combo_changed()

    def set_custom_grid(self, grid: np.ndarray) -> None:
        """Make ``grid`` (H, W) the custom grid and show it (a lesson's input)."""
        self._store_custom_grid(np.array(grid, np.float32))

    def set_kernel(self, kernel: str | np.ndarray) -> None:
        """A kernel-bank kernel by its name, or weights (kh, kw) / (kh, kw, C) typed in."""
        if isinstance(kernel, str):
            self.kernel_combo.blockSignals(True)
            select_data(self.kernel_combo, kernel)
            self.kernel_combo.blockSignals(False)
            self._on_kernel_combo_changed()
            return
        values = np.array(kernel, np.float32)
        self.kernel = values[:, :, None] if values.ndim == 2 else values
        self._show_kernel_in_editor()
        self._switch_kernel_to_custom()

    def apply_settings(self, settings: StepperSettings) -> None:
        """Set every control to ``settings``; the walk is redone once, at the end."""
        self.blockSignals(True)
        try:
            self.operation_combo.setCurrentIndex(self.operation_combo.findData(settings.operation))
            self.pool_spin.set_value(as_pair(settings.pool_size, "pool_size"))
            self.stride_spin.set_value(as_pair(settings.strides, "strides"))
            self.stride_note.setVisible(False)
            padding = settings.padding
            if isinstance(padding, str):
                select_data(self.padding_combo, padding)
            else:
                (top, bottom), (left, right) = padding
                select_data(self.padding_combo, "explicit")
                for spin, value in ((self.pad_top, top), (self.pad_bottom, bottom),
                                    (self.pad_left, left), (self.pad_right, right)):
                    spin.setValue(value)
            select_data(self.fill_combo, settings.pad_mode)
            self.dilation_spin.set_value(as_pair(settings.dilation_rate, "dilation_rate"))
            self.flip_check.setChecked(settings.flip_kernel)
            self.bias_spin.setValue(settings.bias)
            self.activation_combo.setCurrentIndex(
                self.activation_combo.findData(settings.activation))
        finally:
            self.blockSignals(False)
        self.settings_changed.emit(True)

    @property
    def kernel_name(self) -> str:
        """The kernel chosen: a bank kernel's or learned filter's name, or CUSTOM_KERNEL."""
        return self.kernel_combo.currentData()

    def settings(self) -> StepperSettings:
        """The settings the controls describe."""
        operation = self.operation_combo.currentData()
        if self.padding_combo.currentData() == "explicit":
            padding = ((self.pad_top.value(), self.pad_bottom.value()),
                       (self.pad_left.value(), self.pad_right.value()))
        else:
            padding = self.padding_combo.currentData()
        pooling = operation != "convolution"
        return StepperSettings(
            operation=operation, strides=self.stride_spin.value(), padding=padding,
            pad_mode="zero" if pooling else self.fill_combo.currentData(),
            dilation_rate=1 if pooling else self.dilation_spin.value(),
            flip_kernel=self.flip_check.isChecked(), bias=self.bias_spin.value(),
            activation=self.activation_combo.currentData(), pool_size=self.pool_spin.value())

    def filter_index(self) -> int:
        """k of a learned filter "C3 #k" (the output channel it makes), else 0."""
        name = self.kernel_name
        return int(name.rsplit("#", 1)[1]) if name in self._learned and "#" in name else 0

    def shown_channel(self) -> int | None:
        """Index of the input channel on show, or None for the colour view of an RGB input."""
        text = self.channel_combo.currentData()
        names = self.input_source.channel_names
        return names.index(text) if text in names else (None if text == COLOUR_VIEW else 0)

    # --- building ---------------------------------------------------------------------------

    def _build_input_box(self) -> QGroupBox:
        box = self.input_box = QGroupBox()
        form = QFormLayout(box)
        self.input_combo = QComboBox()
        for name in (*EXAMPLES, CUSTOM_GRID):
            self.input_combo.addItem(name, name)
        self.input_combo.currentIndexChanged.connect(self._on_input_combo_changed)
        form.addRow(self.input_combo)
        load_row = QHBoxLayout()
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.rgb_check = QCheckBox()
        load_row.addWidget(self.load_button)
        load_row.addWidget(self.rgb_check)
        form.addRow(load_row)
        self.grid_size = PairSpin(1, 16, 6)
        self.grid_size.value_changed.connect(self._on_grid_size_value_changed)
        self.grid_size_label = QLabel()
        form.addRow(self.grid_size_label, self.grid_size)
        self.grid_table = NumberTable(34)
        self.grid_table.values_edited.connect(self._on_grid_table_values_edited)
        form.addRow(self.grid_table)
        self.channel_combo = QComboBox()
        self.channel_combo.currentIndexChanged.connect(self.channel_changed)
        self.channel_label = QLabel()
        form.addRow(self.channel_label, self.channel_combo)
        return box

    def _build_operation_box(self) -> QGroupBox:
        box = self.operation_box = QGroupBox()
        form = QFormLayout(box)
        self.operation_combo = QComboBox()
        for operation, label in OPERATION_LABELS.items():
            self.operation_combo.addItem(label, operation)
        self.operation_combo.currentIndexChanged.connect(self._on_operation_combo_changed)
        form.addRow(self.operation_combo)
        self.flip_check = QCheckBox()
        self.flip_check.toggled.connect(self._changed)
        form.addRow(self.flip_check)
        self.flip_note = QLabel()
        self.flip_note.setWordWrap(True)
        _style_note(self.flip_note)
        form.addRow(self.flip_note)
        self.pool_spin = PairSpin(1, 11, 2)
        self.pool_spin.value_changed.connect(self._changed)
        self.pool_label = QLabel()
        form.addRow(self.pool_label, self.pool_spin)
        return box

    def _build_kernel_box(self) -> QGroupBox:
        self.kernel_box = QGroupBox()
        form = QFormLayout(self.kernel_box)
        self.kernel_combo = QComboBox()
        for name in (CUSTOM_KERNEL, *(kernel.name for kernel in KERNEL_BANK)):
            self.kernel_combo.addItem(name, name)
        self.kernel_combo.currentIndexChanged.connect(self._on_kernel_combo_changed)
        form.addRow(self.kernel_combo)
        self.kernel_note = QLabel()
        self.kernel_note.setWordWrap(True)
        _style_note(self.kernel_note)
        form.addRow(self.kernel_note)
        self.kernel_size = PairSpin(1, 11, 3)
        self.kernel_size.value_changed.connect(self._on_kernel_size_value_changed)
        self.kernel_size_label = QLabel()
        form.addRow(self.kernel_size_label, self.kernel_size)
        self.kernel_channel_spin = QSpinBox()
        self.kernel_channel_spin.valueChanged.connect(self._show_kernel_in_editor)
        self.kernel_channel_label = QLabel()
        form.addRow(self.kernel_channel_label, self.kernel_channel_spin)
        self.kernel_table = NumberTable(40)
        self.kernel_table.values_edited.connect(self._on_kernel_table_values_edited)
        form.addRow(self.kernel_table)
        self.bias_spin = QDoubleSpinBox()
        self.bias_spin.setRange(-1000, 1000)
        self.bias_spin.setDecimals(3)
        self.bias_spin.valueChanged.connect(self._changed)
        self.bias_label = QLabel()
        form.addRow(self.bias_label, self.bias_spin)
        self.activation_combo = QComboBox()
        for name in STEP_ACTIVATIONS:
            self.activation_combo.addItem(ACTIVATION_LABELS.get(name, name), name)
        self.activation_combo.currentIndexChanged.connect(self._changed)
        self.activation_label = QLabel()
        form.addRow(self.activation_label, self.activation_combo)
        return self.kernel_box

    def _build_sliding_box(self) -> QGroupBox:
        box = self.sliding_box = QGroupBox()
        form = QFormLayout(box)
        self.stride_spin = PairSpin(1, 8, 1)
        self.stride_spin.value_changed.connect(self._changed)
        self.stride_spin.value_changed.connect(lambda *_: self.stride_note.setVisible(False))
        self.stride_label = QLabel()
        form.addRow(self.stride_label, self.stride_spin)
        self.stride_note = QLabel()
        self.stride_note.setWordWrap(True)
        _style_note(self.stride_note)
        self.stride_note.setVisible(False)
        form.addRow(self.stride_note)
        self.padding_combo = QComboBox()
        for mode in PADDING_LABELS:
            self.padding_combo.addItem(mode, mode)
        self.padding_combo.currentIndexChanged.connect(self._on_padding_combo_changed)
        self.padding_label = QLabel()
        form.addRow(self.padding_label, self.padding_combo)
        pads = QGridLayout()
        self.pad_top, self.pad_bottom, self.pad_left, self.pad_right = (QSpinBox() for _ in "tblr")
        self.pad_top_label, self.pad_bottom_label, self.pad_left_label, self.pad_right_label = (
            QLabel() for _ in "tblr")
        sides = ((self.pad_top_label, self.pad_top), (self.pad_bottom_label, self.pad_bottom),
                 (self.pad_left_label, self.pad_left), (self.pad_right_label, self.pad_right))
        for index, (side_label, spin) in enumerate(sides):
            spin.setRange(0, 10)
            spin.valueChanged.connect(self._changed)
            pads.addWidget(side_label, index // 2, 2 * (index % 2))
            pads.addWidget(spin, index // 2, 2 * (index % 2) + 1)
        form.addRow(pads)
        self.fill_combo = QComboBox()
        for mode in FILL_LABELS:
            self.fill_combo.addItem(mode, mode)
        self.fill_combo.currentIndexChanged.connect(self._changed)
        self.fill_label = QLabel()
        form.addRow(self.fill_label, self.fill_combo)
        self.dilation_spin = PairSpin(1, 5, 1)
        self.dilation_spin.value_changed.connect(self._changed)
        self.dilation_label = QLabel()
        form.addRow(self.dilation_label, self.dilation_spin)
        return box

    # --- handlers ---------------------------------------------------------------------------

    def _changed(self, *_args) -> None:
        self.settings_changed.emit(False)

    def _on_input_combo_changed(self) -> None:
        self._show_input(refit=True)

    def _show_input(self, refit: bool) -> None:
        """Fit the grid editor and the channel choice to the input on show, then redo the walk."""
        source = self.input_source
        for widget in (self.grid_size_label, self.grid_size, self.grid_table):
            widget.setVisible(source.editable)
        if source.editable:
            self.grid_size.blockSignals(True)
            self.grid_size.set_value(source.values.shape[:2])
            self.grid_size.blockSignals(False)
            self.grid_table.set_values(source.values[:, :, 0])
        names = source.channel_names
        choices = ([COLOUR_VIEW] if len(names) == 3 else []) + list(names)
        previous = self.channel_combo.currentData()
        self.channel_combo.blockSignals(True)
        self.channel_combo.clear()
        for choice in choices:
            self.channel_combo.addItem(label(choice) if choice == COLOUR_VIEW else choice, choice)
        if previous in choices:
            select_data(self.channel_combo, previous)
        self.channel_combo.blockSignals(False)
        for widget in (self.channel_label, self.channel_combo):
            widget.setVisible(len(names) > 1)
        self.settings_changed.emit(refit)

    def _on_grid_table_values_edited(self) -> None:
        self._store_custom_grid(self.grid_table.values())

    def _on_grid_size_value_changed(self) -> None:
        rows, cols = self.grid_size.value()
        old = self.input_source.values[:, :, 0]
        grid = np.zeros((rows, cols), np.float32)
        keep_r, keep_c = min(rows, old.shape[0]), min(cols, old.shape[1])
        grid[:keep_r, :keep_c] = old[:keep_r, :keep_c]
        self._store_custom_grid(grid)

    def _store_custom_grid(self, grid: np.ndarray) -> None:
        """Edits of any grid input become the custom grid, so the examples stay intact."""
        self._sources[CUSTOM_GRID] = as_source(grid, editable=True)
        self.input_combo.blockSignals(True)
        select_data(self.input_combo, CUSTOM_GRID)
        self.input_combo.blockSignals(False)
        self._on_input_combo_changed()

    def _on_load_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load an image"), "",
                                              picture_filter())
        if path:
            self.load_image(path, rgb=self.rgb_check.isChecked())

    def _on_operation_combo_changed(self) -> None:
        operation = self.operation_combo.currentData()
        pooling = operation != "convolution"
        self.kernel_box.setVisible(not pooling)
        for widget in (self.flip_check, self.flip_note):
            widget.setVisible(not pooling)
        for widget in (self.pool_label, self.pool_spin):
            widget.setVisible(operation in ("max", "average"))
        for widget in (self.stride_spin, self.padding_combo):
            widget.setEnabled(operation != "global_average")
        self.fill_combo.setEnabled(not pooling)
        self.dilation_spin.setEnabled(not pooling)
        self._enable_pad_spins()
        self._follow_stride(operation)
        self.settings_changed.emit(True)

    def _follow_stride(self, operation: str) -> None:
        """Pooling takes the pool size as its stride (Keras' default); leaving pooling gives
        back the convolution's stride. Either change is said under the stride box."""
        was_pooling = self._operation in ("max", "average")
        self._operation = operation
        stride = self.stride_spin.value()
        if operation in ("max", "average") and not was_pooling:
            self._conv_stride = stride
            wanted, why = self.pool_spin.value(), self.tr("pooling's stride is the pool size")
        elif operation == "convolution" and was_pooling and self._conv_stride is not None:
            wanted, why = self._conv_stride, self.tr("the convolution's stride is back")
        else:
            return
        if tuple(wanted) == tuple(stride):
            self.stride_note.setVisible(False)
            return
        self.stride_spin.blockSignals(True)
        self.stride_spin.set_value(wanted)
        self.stride_spin.blockSignals(False)
        self.stride_note.setText(self.tr("Stride {0} → {1}: {2}.").format(
            format_pair(stride), format_pair(wanted), why))
        self.stride_note.setVisible(True)

    def _on_padding_combo_changed(self) -> None:
        self._enable_pad_spins()
        self.settings_changed.emit(True)

    def _enable_pad_spins(self) -> None:
        explicit = (self.padding_combo.currentData() == "explicit"
                    and self.operation_combo.currentData() != "global_average")
        for spin in (self.pad_top, self.pad_bottom, self.pad_left, self.pad_right):
            spin.setEnabled(explicit)

    def _on_kernel_combo_changed(self) -> None:
        name = self.kernel_name
        bank = {kernel.name: kernel for kernel in KERNEL_BANK}
        bias = 0.0  # a kernel from the bank or typed by hand has no bias of its own
        if name in bank:
            self.kernel = np.array(bank[name].weights)[:, :, None]
        elif name in self._learned:
            self.kernel = self._learned[name].copy()
            bias = self._learned_bias.get(name, 0.0)
        self._show_kernel_note()
        self.bias_spin.blockSignals(True)
        self.bias_spin.setValue(bias)
        self.bias_spin.blockSignals(False)
        self._show_kernel_in_editor()
        self._changed()

    def _show_kernel_note(self) -> None:
        """What the chosen kernel is: a bank kernel's description, a learned filter, or yours."""
        name = self.kernel_name
        bank = {kernel.name: kernel for kernel in KERNEL_BANK}
        if name in bank:
            self.kernel_note.setText(bank[name].description)
        elif name in self._learned:
            self.kernel_note.setText(self.tr("Learned filter {0} of the loaded model ({1} input "
                                             "channel(s)).").format(name, self.kernel.shape[2]))
        else:
            self.kernel_note.setText(label(CUSTOM_NOTE))

    def _show_kernel_in_editor(self) -> None:
        channels = self.kernel.shape[2]
        self.kernel_channel_spin.blockSignals(True)
        self.kernel_channel_spin.setRange(0, channels - 1)
        self.kernel_channel_spin.blockSignals(False)
        for widget in (self.kernel_channel_label, self.kernel_channel_spin):
            widget.setVisible(channels > 1)
        self.kernel_size.blockSignals(True)
        self.kernel_size.set_value(self.kernel.shape[:2])
        self.kernel_size.blockSignals(False)
        self.kernel_table.set_values(self.kernel[:, :, self.kernel_channel_spin.value()])

    def _on_kernel_table_values_edited(self) -> None:
        self.kernel[:, :, self.kernel_channel_spin.value()] = self.kernel_table.values()
        self._switch_kernel_to_custom()

    def _on_kernel_size_value_changed(self) -> None:
        self.kernel = resized_keeping_centre(self.kernel, *self.kernel_size.value())
        self.kernel_table.set_values(self.kernel[:, :, self.kernel_channel_spin.value()])
        self._switch_kernel_to_custom()

    def _switch_kernel_to_custom(self) -> None:
        self.kernel_combo.blockSignals(True)
        select_data(self.kernel_combo, CUSTOM_KERNEL)
        self.kernel_combo.blockSignals(False)
        self._show_kernel_note()
        self._changed()

    def _describe_controls(self) -> None:
        """A tooltip in plain words on every control."""
        for widget, text in (
                (self.input_combo, self.tr("What the kernel slides over: an example grid, your "
                                           "own grid, the drawing, a picture or a layer's maps")),
                (self.load_button,
                 self.tr("Open a picture file as the input (its pixel values 0-255)")),
                (self.rgb_check,
                 self.tr("Keep the picture's three colour channels instead of grey")),
                (self.grid_size, self.tr("Size of your own grid")),
                (self.grid_table,
                 self.tr("The input's numbers: double-click a cell to type a new one")),
                (self.channel_combo, self.tr("Which channel of a multi-channel input is drawn")),
                (self.operation_combo, self.tr("Convolution, or max / average pooling")),
                (self.pool_spin, self.tr("The pooling window's size")),
                (self.kernel_combo, self.tr("The kernel: a classic one, your own, or one the "
                                            "network learned")),
                (self.kernel_size, self.tr("The kernel's size (keeps its centre)")),
                (self.kernel_channel_spin, self.tr("Which input channel of the kernel is edited")),
                (self.kernel_table,
                 self.tr("The kernel's weights: double-click a cell to type one")),
                (self.bias_spin, self.tr("Added to every sum before the activation")),
                (self.activation_combo,
                 self.tr("The function applied to each sum (none, ReLU, ...)")),
                (self.stride_spin, self.tr("How far the kernel moves between steps")),
                (self.padding_combo, self.tr("valid: no padding; same: pad so the output keeps "
                                             "the input's size; explicit: choose each side")),
                (self.pad_top, self.tr("Padding rows above the input")),
                (self.pad_bottom, self.tr("Padding rows below the input")),
                (self.pad_left, self.tr("Padding columns left of the input")),
                (self.pad_right, self.tr("Padding columns right of the input")),
                (self.fill_combo, self.tr("What the padding holds: zeros (as in CNNs), a mirror "
                                          "image of the border, or the edge pixel repeated")),
                (self.dilation_spin, self.tr("Gaps between the kernel's taps (1 = none)"))):
            widget.setToolTip(text)

"""The learned kernels of the convolutions (LeNet-5: C1's 6 and C3's 16 x 6, all 5x5).

One row per input channel, one column per output map, on a diverging scale symmetric about
zero per layer. Hovering reads out the weight. Refreshed whenever the model's weights change.
By default every conv layer small enough is drawn; `KernelPicker` picks any one conv layer
of the model and, for a layer with many inputs, one input channel (red, green or blue for a
colour picture).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from convviz.core.nn.layers import Conv2D
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, translate
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.image_grid import ImageGrid, show_rect

MAX_KERNELS = 128
"""Conv layers with more kernels than this (C5 has 1,920) are drawn one input channel at a
time, when picked."""
RGB_LABELS = (QT_TRANSLATE_NOOP("KernelView", "red"), QT_TRANSLATE_NOOP("KernelView", "green"),
              QT_TRANSLATE_NOOP("KernelView", "blue"))


def input_channel_names(model, layer: Conv2D) -> list[str]:
    """What each input channel of a conv layer is: a colour of the picture for a first layer
    reading RGB, else the map of the layer before ("input 5")."""
    channels = layer.params["kernel"].shape[2]
    if layer is model.layers[0] and channels == 3:
        return [translate("KernelView", name) for name in RGB_LABELS]
    return [translate("KernelView", "input {0}").format(c) for c in range(channels)]


class KernelView(Retranslating, pg.GraphicsLayoutWidget):
    """Kernel grids of every small conv layer of the session's model."""

    weight_hovered = Signal(str)
    levels_shown = Signal(str, float, float)
    """(layer name, low, high): the colours of the layer under the pointer (else the first)."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground(theme.BACKGROUND)
        self.session = session
        self.grids: list[tuple[Conv2D, ImageGrid]] = []
        self.shown_inputs: list[list[int]] = []  # per grid: the input channels its rows show
        self.levels: list[tuple[float, float]] = []
        self.choice: tuple[int, int | None] | None = None  # (layer index, input channel)
        self._bar_grid = 0
        self.hover_text = ""
        self._build()
        session.model_changed.connect(self._on_session_model_changed)
        session.weights_changed.connect(self._show_weights)

    def retranslate(self) -> None:
        """The titles and notes in the current language: drawn again."""
        self._build()

    def _build(self) -> None:
        """Side by side in one view, rows aligned: C1's kernel k makes map k, which C3 reads
        through row k."""
        self.clear()
        self.grids.clear()
        self.shown_inputs.clear()
        self._texts: list[tuple[pg.TextItem, float]] = []  # title or note, its left edge
        self.view_box = view_box = self.addViewBox()
        view_box.sigResized.connect(self.refit_texts)
        x = 0.0
        for layer, shown in self._convolutions():
            kernel_h, kernel_w, inputs, outputs = layer.params["kernel"].shape
            grid = ImageGrid(view_box, len(shown) * outputs, 1 if inputs == 1 else outputs,
                             (kernel_h, kernel_w), origin=(x, 0.0))
            self.grids.append((layer, grid))
            self.shown_inputs.append(shown)
            if inputs == 1:
                caption = ""
            elif len(shown) == 1:
                caption = " · " + self.tr("{0} maps, from {1} of {2} inputs, {3}×{4}").format(
                    outputs, input_channel_names(self.session.model, layer)[shown[0]], inputs,
                    kernel_h, kernel_w)
            else:
                names = input_channel_names(self.session.model, layer)
                rgb = layer is self.session.model.layers[0] and inputs == 3
                caption = " · " + (
                    self.tr("{0} maps × {1} inputs (rows: {2}), {3}×{4}") if rgb else
                    self.tr("{0} maps × {1} inputs, {3}×{4}")).format(
                    outputs, inputs, ", ".join(names), kernel_h, kernel_w)
            title = pg.TextItem(html=f"<span style='color:{theme.TEXT}; font-size:{theme.pt(12)}'>"
                                     f"<b>{layer.name}</b></span><span style='color:"
                                     f"{theme.MUTED}; font-size:{theme.pt(10)}'>{caption}</span>",
                                anchor=(0.0, 1.0))
            title.setPos(x - 0.1, -0.1)
            view_box.addItem(title)
            self._texts.append((title, x - 0.1))
            x = grid.extent().right() + 1.5
        if not self.grids:  # an MLP: no convolution, no kernels to draw
            text = self.tr("This model has no convolution layer, so no kernels")
            note = pg.TextItem(html=f"<span style='color:{theme.MUTED}; font-size:11pt'>"
                                    f"{text}</span>")
            view_box.addItem(note)
            show_rect(view_box, QRectF(-0.2, -0.5, 12.0, 2.0), padding=0.0)
            return
        height = max(grid.extent().bottom() for _, grid in self.grids)
        if len(self.grids) > 1 and self.grids[1][0].params["kernel"].shape[2] > 1:
            first, second = self.grids[0][0].name, self.grids[1][0].name
            text = self.tr("Column: a {0} map · row k reads {1}'s map k").format(second, first)
            note = pg.TextItem(html=f"<span style='color:{theme.MUTED}; "
                                    f"font-size:{theme.pt(10)}'>{text}</span>")
            note.setPos(-0.1, height + 0.2)
            view_box.addItem(note)
            self._texts.append((note, -0.1))
        self._content = QRectF(-0.2, 0.0, x - 1.3, height + 0.2)
        show_rect(view_box, QRectF(-0.2, -1.4, x - 1.3, height + 3.0), padding=0.0)
        self.refit_texts()
        self._show_weights()

    def refit_texts(self) -> None:
        """Fit the kernels and their texts (fixed in pixels) into the view: a text wraps
        where it would run past the right edge, and the grids shrink to leave room above
        for the titles and below for the note, at any size and presenter text scale."""
        width, height = self.view_box.width(), self.view_box.height()  # the texts' room
        content = self._content
        if width < 20 or height < 20 or content.width() <= 0:
            return
        scale = min(width / content.width(), height / (content.height() + 3.0))
        titles = [(item, left) for item, left in self._texts if item.anchor.y() == 1.0]
        notes = [item for item, _ in self._texts if item.anchor.y() != 1.0]
        for last in (False, False, True):  # the wrap widths depend on the scale and back
            free = 0.0  # pixels from the left where the next title may start
            for item, left in titles:
                start = max((left - content.left()) * scale, free)
                item.setPos(content.left() + start / scale, -0.1)
                free = start + self._wrap(item, width - start - 4) + 6
            for note in notes:
                note.setVisible(True)
                self._wrap(note, width - 4)
            if last:  # placed and wrapped at the final scale
                break
            above = max((_height(t) for t, _ in titles), default=0.0) + 4
            below = sum(_height(n) for n in notes) + 4
            if height - above - below < 0.5 * height:  # a small view: kernels before notes
                below = 4
            scale = max(1e-3, min(width / content.width(),
                                  (height - above - below) / content.height()))
        for note in notes:
            note.setVisible(below > 4)
        self.view_box.setRange(QRectF(content.left(), -above / scale, width / scale,
                                      height / scale), padding=0.0)

    @staticmethod
    def _wrap(item: pg.TextItem, room: float) -> float:
        """Wrap item's text at room pixels if it is wider; returns its width in pixels."""
        item.setTextWidth(-1)
        if item.textItem.boundingRect().width() * item.scale() > room:
            item.setTextWidth(max(40.0, room / item.scale()))
        return item.textItem.boundingRect().width() * item.scale()

    def _show_weights(self) -> None:
        self.levels = []
        for (layer, grid), shown in zip(self.grids, self.shown_inputs, strict=True):
            kernel = layer.params["kernel"]
            images = [np.ascontiguousarray(kernel[:, :, i, o])
                      for i in shown for o in range(kernel.shape[3])]
            self.levels.append(theme.symmetric_levels(kernel))
            grid.set_images(images, self.levels[-1])
        self.emit_levels()

    def emit_levels(self) -> None:
        """Say (levels_shown) which levels the layer a colour bar describes has."""
        if self.grids:
            self._bar_grid = min(self._bar_grid, len(self.grids) - 1)
            self.levels_shown.emit(self.grids[self._bar_grid][0].name,
                                   *self.levels[self._bar_grid])

    def conv_layers(self) -> list[int]:
        """Indices (in model.layers) of every conv layer of the model."""
        return [index for index, layer in enumerate(self.session.model.layers)
                if isinstance(layer, Conv2D)]

    def show_layer(self, index: int | None, channel: int | None = None) -> None:
        """Draw only conv layer `index` of the model (None: every small enough one), all its
        input channels or only `channel` (a layer with over MAX_KERNELS kernels always
        shows one channel: channel 0 unless told)."""
        if index is not None:
            layer = self.session.model.layers[index]
            if not isinstance(layer, Conv2D):
                raise ValueError(f"layer {index} ({layer.name}) is not a convolution")
            inputs, outputs = layer.params["kernel"].shape[2:]
            if channel is None and inputs * outputs > MAX_KERNELS:
                channel = 0
            if channel is not None and not 0 <= channel < inputs:
                raise ValueError(f"{layer.name} has {inputs} input channels, not {channel + 1}")
        self.choice = None if index is None else (index, channel)
        self._build()

    def _convolutions(self) -> list[tuple[Conv2D, list[int]]]:
        """The conv layers drawn, each with the input channels whose kernels are drawn."""
        layers = self.session.model.layers
        if self.choice is not None:
            index, channel = self.choice
            inputs = layers[index].params["kernel"].shape[2]
            return [(layers[index], list(range(inputs)) if channel is None else [channel])]
        return [(layer, list(range(layer.params["kernel"].shape[2]))) for layer in layers
                if isinstance(layer, Conv2D)
                and np.prod(layer.params["kernel"].shape[2:]) <= MAX_KERNELS]

    def _on_session_model_changed(self) -> None:
        self.choice = None
        self._build()

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)  # read out every move (the scene's signal drops some)
        scene_pos = self.mapToScene(event.position().toPoint())
        text = ""
        for number, (layer, grid) in enumerate(self.grids):
            hit = grid.cell_at(scene_pos)
            if hit is not None:
                if number != self._bar_grid:
                    self._bar_grid = number
                    self.emit_levels()
                cell, row, col = hit
                shown = self.shown_inputs[number]
                source, target = divmod(cell, grid.columns) if grid.columns > 1 else (0, cell)
                source = shown[source] if len(shown) > 1 else shown[0]
                value = float(layer.params["kernel"][row, col, source, target])
                text = self.tr("{0} kernel · map {1} from input {2} · row {3}, col {4} · "
                               "weight {5}").format(layer.name, target, source, row, col,
                                                    f"{value:.6f}")
                break
        if text != self.hover_text:
            self.hover_text = text
            self.weight_hovered.emit(text)


def _height(item: pg.TextItem) -> float:
    """A text item's height on screen, in pixels."""
    return item.textItem.boundingRect().height() * item.scale()


ALL_LAYERS = QT_TRANSLATE_NOOP("KernelPicker", "every small conv layer")
ALL_INPUTS = QT_TRANSLATE_NOOP("KernelPicker", "all inputs")


class KernelPicker(Retranslating, QWidget):
    """Pick the conv layer a KernelView draws and, for a layer reading many maps (or a
    colour picture), the input channel; refilled when the model changes."""

    def __init__(self, kernel_view: KernelView, parent: QWidget | None = None):
        super().__init__(parent)
        self.kernel_view = kernel_view
        self.layer_box = QComboBox()
        self.channel_box = QComboBox()
        self.layer_label, self.input_label = QLabel(), QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.layer_label)
        layout.addWidget(self.layer_box, 1)
        layout.addWidget(self.input_label)
        layout.addWidget(self.channel_box, 1)
        self.retranslate()
        self.layer_box.currentIndexChanged.connect(self._on_layer_box_changed)
        self.channel_box.currentIndexChanged.connect(self._on_channel_box_changed)
        kernel_view.session.model_changed.connect(self._fill_layers)

    def retranslate(self) -> None:
        """Labels, tooltips and the combo items in the current language (the choice kept)."""
        self.layer_box.setToolTip(self.tr("The convolution whose kernels are drawn"))
        self.channel_box.setToolTip(self.tr("Which input channel's kernels are drawn: each "
                                            "filter has one kernel per channel of its input"))
        self.layer_label.setText(self.tr("Layer"))
        self.input_label.setText(self.tr("Input"))
        layer, channel = self.layer_box.currentData(), self.channel_box.currentData()
        self._fill_layers()
        for box, key in ((self.layer_box, layer), (self.channel_box, channel)):
            if box.findData(key) >= 0:
                box.blockSignals(True)
                box.setCurrentIndex(box.findData(key))
                box.blockSignals(False)

    def _fill_layers(self) -> None:
        model = self.kernel_view.session.model
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItem(self.tr(ALL_LAYERS), None)
        for index in self.kernel_view.conv_layers():
            layer = model.layers[index]
            kernel_h, kernel_w, inputs, outputs = layer.params["kernel"].shape
            label = (self.tr("{0} · {1} filters {2}×{3}, {4} inputs") if inputs > 1 else
                     self.tr("{0} · {1} filters {2}×{3}, {4} input"))
            self.layer_box.addItem(label.format(layer.name, outputs, kernel_h, kernel_w, inputs),
                                   index)
        self.layer_box.blockSignals(False)
        self.setEnabled(self.layer_box.count() > 1)
        self._fill_channels()

    def _fill_channels(self) -> None:
        index = self.layer_box.currentData()
        self.channel_box.blockSignals(True)
        self.channel_box.clear()
        if index is not None:
            layer = self.kernel_view.session.model.layers[index]
            inputs, outputs = layer.params["kernel"].shape[2:]
            if inputs * outputs <= MAX_KERNELS:
                self.channel_box.addItem(self.tr(ALL_INPUTS), None)
            for channel, name in enumerate(input_channel_names(self.kernel_view.session.model,
                                                               layer)):
                self.channel_box.addItem(name, channel)
        self.channel_box.setEnabled(self.channel_box.count() > 1)
        self.channel_box.blockSignals(False)

    def _on_layer_box_changed(self) -> None:
        self._fill_channels()
        self.kernel_view.show_layer(self.layer_box.currentData(), self.channel_box.currentData())

    def _on_channel_box_changed(self) -> None:
        self.kernel_view.show_layer(self.layer_box.currentData(), self.channel_box.currentData())

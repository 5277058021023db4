"""Every layer's activations, left to right as data flows (LeNet-5: C1, S2, C3, S4, C5, F6,
output; any other model its own layers).

Feature maps are shown as grids of small images, vector layers (C5's 120 units, F6's 84, the 10
outputs) as one image with a pixel per unit; a Dropout layer shows what it passes on at
inference (everything), a Flatten is not drawn (the next column shows the same numbers).
Captions are made from each layer's own settings. Colours are diverging with levels symmetric about
zero per layer. Hovering reads out layer, map, position and value; clicking selects the unit
(the Draw tab then highlights its receptive field on the input).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from convviz.core.nn.layers import (
    Activation,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool2D,
    Layer,
    MaxPool2D,
    Rescaling,
)
from convviz.gui.i18n import Retranslating, translate
from convviz.gui.session import DigitSession, UnitRef
from convviz.gui.widgets import theme
from convviz.gui.widgets.image_grid import ImageGrid, show_rect

MAX_GRID_ROWS = 8
"""Feature maps are stacked in columns of at most this many (and at least two columns)."""
VECTOR_ROWS = 21
"""Vector layers are folded into columns of about this many units."""
GRID_HEIGHT = 10.0
"""Every layer's grid is this tall in view units, so the layers line up."""
LAYER_SPACING = 1.8
TITLE_HEIGHT = 3.4
SMALL_NAME_POINTS = 10
"""A layer name too wide for its column is written this small before it is shortened."""


@dataclass
class _LayerColumn:
    """One displayed layer: its index in the model, the grid and how units map to pixels."""

    index: int
    layer: Layer
    grid: ImageGrid
    vector_columns: int  # 0 for feature maps

    @property
    def is_vector(self) -> bool:
        return self.vector_columns > 0

    def unit_at(self, cell: int, row: int, col: int) -> UnitRef | None:
        if not self.is_vector:
            return UnitRef(self.index, cell, row, col)
        unit = row * self.vector_columns + col
        return UnitRef(self.index, unit) if unit < self.layer.output_shape[-1] else None

    def place_of(self, unit: UnitRef) -> tuple[int, int, int]:
        """(cell, row, col) showing the unit."""
        if not self.is_vector:
            return unit.channel, unit.row, unit.col
        return (0, *divmod(unit.channel, self.vector_columns))

    def images(self, activation: np.ndarray) -> list[np.ndarray]:
        if not self.is_vector:
            return [np.ascontiguousarray(activation[:, :, k])
                    for k in range(activation.shape[-1])]
        flat = activation.reshape(-1)
        cells = np.full(self.grid.cell_shape, np.nan, np.float32)
        cells.reshape(-1)[:flat.size] = flat
        return [cells]


def layer_caption(layer: Layer, is_output: bool = False) -> str:
    """What the layer does, from its own settings: e.g. 'conv 5×5<br>tanh', 'conv 3×3 /2
    same<br>relu', 'avg pool 2×2', 'batch norm', 'dropout 50 %<br>passes all at inference'
    or 'dense<br>logits'."""
    if isinstance(layer, Dropout):
        return translate("ActivationView", "dropout {0} %<br>passes all at inference").format(
            f"{100 * layer.rate:g}")
    if isinstance(layer, Activation) and layer.activation == "linear":
        return "activation<br>linear"
    text = _operation(layer)
    if layer.activation != "linear":
        return f"{text}<br>{layer.activation}"
    return f"{text}<br>logits" if is_output else text


def _operation(layer: Layer) -> str:
    geometry = layer.geometry
    if geometry is not None:
        name = ("conv" if isinstance(layer, Conv2D) else
                "max pool" if isinstance(layer, MaxPool2D) else "avg pool")
        text = f"{name} {geometry.kernel_hw[0]}×{geometry.kernel_hw[1]}"
        usual_strides = (1, 1) if isinstance(layer, Conv2D) else geometry.kernel_hw
        if geometry.strides != usual_strides:
            text += f" /{_pair(geometry.strides)}"
        if geometry.dilation != (1, 1):
            text += f" dil {_pair(geometry.dilation)}"
        if any(geometry.padding[0] + geometry.padding[1]):
            text += f" {layer.padding if isinstance(layer.padding, str) else 'padded'}"
        return text
    if isinstance(layer, GlobalAvgPool2D):
        return "global avg pool"
    if isinstance(layer, BatchNormalization):
        return "batch norm"
    if isinstance(layer, Rescaling):
        return f"×{layer.scale:.3g}" + (f" {layer.offset:+.3g}" if layer.offset else "")
    if isinstance(layer, Activation):
        return "activation"
    if isinstance(layer, Dense):
        return "dense"
    return type(layer).__name__.lower()


def _width(item: pg.TextItem) -> float:
    """A text item's width on screen, in pixels."""
    return item.textItem.boundingRect().width() * item.scale()


def _name_html(name: str, points: int = 13) -> str:
    return f"<div style='color:{theme.TEXT}; font-size:{theme.pt(points)}'><b>{name}</b></div>"


def _pair(values: tuple[int, int]) -> str:
    return str(values[0]) if values[0] == values[1] else f"{values[0]}×{values[1]}"


def shape_caption(shape: tuple[int, ...]) -> str:
    if len(shape) == 3 and shape[:2] != (1, 1):
        return f"{shape[2]} @ {shape[0]}×{shape[1]}"
    return translate("ActivationView", "{0} units").format(shape[-1])


class ActivationView(Retranslating, pg.GraphicsLayoutWidget):
    """The activation grids of every layer, connected to a DigitSession."""

    unit_hovered = Signal(str)
    levels_shown = Signal(str, float, float)
    """(layer name, low, high): the colours of the layer under the pointer (else the first)
    run from low (blue) through 0 to high (red); for a colour bar beside the view."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground(theme.BACKGROUND)
        self.session = session
        self.columns: list[_LayerColumn] = []
        self.levels: dict[int, tuple[float, float]] = {}  # layer index -> levels on show
        self._bar_column = 0
        self.hover_text = ""
        self._build()
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        session.activations_changed.connect(self._on_session_activations_changed)
        session.selection_changed.connect(self._on_session_selection_changed)
        session.model_changed.connect(self._on_session_model_changed)

    def retranslate(self) -> None:
        """The layer captions in the current language: drawn again, with the maps."""
        self._build()
        if self.session.activations is not None:
            self._on_session_activations_changed()
        self._on_session_selection_changed()

    def _build(self) -> None:
        """All layers in one still view, left to right, each grid exactly GRID_HEIGHT tall."""
        self.clear()
        self.columns.clear()
        self._built_layout = self._layout()
        self.levels.clear()
        self._bar_column = 0
        self._titles: list[tuple[pg.TextItem, str, str]] = []  # item, full html, name only
        self._class_labels: list[pg.TextItem] = []
        self.view_box = self.addViewBox()
        x = 0.0
        model = self.session.model
        for index, layer in enumerate(model.layers):
            if isinstance(layer, Flatten):
                continue
            shape = layer.output_shape
            if len(shape) == 3 and shape[:2] != (1, 1):
                maps = shape[2]
                columns = max(-(-maps // MAX_GRID_ROWS), min(maps, 2))
                rows = -(-maps // columns)
                cell = GRID_HEIGHT / ImageGrid.height_for(rows, shape[:2])
                grid = ImageGrid(self.view_box, maps, columns, shape[:2], origin=(x, 0.0),
                                 cell_size=cell)
                vector_columns = 0
            else:
                units = shape[-1]
                vector_columns = max(1, round(units / VECTOR_ROWS))
                cell_shape = (-(-units // vector_columns), vector_columns)
                cell = GRID_HEIGHT * max(cell_shape) / cell_shape[0]
                grid = ImageGrid(self.view_box, 1, 1, cell_shape, origin=(x, 0.0),
                                 cell_size=cell)
            is_output = index == len(model.layers) - 1
            if is_output:
                self._label_classes(grid)
            self.columns.append(_LayerColumn(index, layer, grid, vector_columns))
            caption = f"{layer_caption(layer, is_output)}<br>{shape_caption(shape)}"
            name = _name_html(layer.name)
            title = pg.TextItem(anchor=(0.0, 1.0))
            title.setToolTip(caption.replace("<br>", ", "))
            title.setPos(x - 0.1, -0.1)
            self.view_box.addItem(title)
            self._titles.append((title, name + f"<div style='color:{theme.MUTED}; "
                                               f"font-size:{theme.pt(10)}'>{caption}</div>", name))
            x = grid.extent().right() + LAYER_SPACING
        self._titles_short = None
        show_rect(self.view_box, QRectF(-0.3, -TITLE_HEIGHT, x - LAYER_SPACING + self._label_room(),
                                        GRID_HEIGHT + TITLE_HEIGHT + 0.2), padding=0.0)
        self.refit_texts()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if hasattr(self, "_titles"):  # pyqtgraph resizes the view before it is built
            self.refit_texts()

    def refit_texts(self) -> None:
        """Full titles (name, operation, shape) where they fit above and beside their grids;
        on a small screen or under a large text scale only the layer names (the rest is in
        the title's tooltip), so no title runs into its neighbour or off the view."""
        self._set_titles(short=False)
        grid_top = self.mapFromScene(self.view_box.mapViewToScene(QPointF(0.0, 0.0))).y()
        starts = [self.mapFromScene(self.view_box.mapViewToScene(
            QPointF(column.grid.extent().left(), 0.0))).x() for column in self.columns]
        ends = [*starts[1:], self.viewport().width()]
        fits = all(title.textItem.boundingRect().width() * title.scale() <= end - start
                   and title.textItem.boundingRect().height() * title.scale() <= grid_top
                   for (title, _, _), start, end in zip(self._titles, starts, ends, strict=True))
        self._set_titles(short=not fits)
        if not fits:
            self._elide_names([end - start for start, end in zip(starts, ends, strict=True)])
        self._fit_class_labels()

    def _elide_names(self, rooms: list[float]) -> None:
        """A layer name wider than the room its column leaves in smaller type, and if it is
        still too wide, shortened ("hidd…")."""
        for (title, _, _), column, room in zip(self._titles, self.columns, rooms, strict=True):
            name = column.layer.name
            if _width(title) > room:
                title.setHtml(_name_html(name, SMALL_NAME_POINTS))
            while len(name) > 1 and _width(title) > room:
                name = name[:-1]
                title.setHtml(_name_html(name + "…", SMALL_NAME_POINTS))

    def _fit_class_labels(self) -> None:
        """The output's class digits no taller than one unit of its column."""
        if not self._class_labels:
            return
        grid = self.columns[-1].grid
        unit = grid.cell_size[0] / grid.cell_shape[0]
        top, bottom = (self.mapFromScene(self.view_box.mapViewToScene(QPointF(0.0, y))).y()
                       for y in (0.0, unit))
        font = theme.font(12, bold=True)  # at the presenter text scale
        if QFontMetrics(font).height() > bottom - top:
            font.setPixelSize(max(6, int((bottom - top) / 1.25)))
        for label in self._class_labels:
            label.setScale(1.0)  # the font already has the text scale
            label.setFont(font)

    def _set_titles(self, short: bool) -> None:
        if short == self._titles_short:
            return
        self._titles_short = short
        for title, full, name in self._titles:
            title.setHtml(name if short else full)

    def _label_room(self) -> float:
        """View units right of the output column for its class names (about 3/4 of a unit
        height per character: the labels are at most one unit tall)."""
        if not self._class_labels:
            return 2.6
        grid = self.columns[-1].grid
        unit = grid.cell_size[0] / grid.cell_shape[0]
        longest = max(len(label.toPlainText()) for label in self._class_labels)
        return max(2.6, 0.3 + 0.75 * longest * min(unit, 1.0))

    def _label_classes(self, grid: ImageGrid) -> None:
        """Write each output unit's class name (0-9 for digits) to its right, for a column
        of one unit per row."""
        if grid.cell_shape[1] != 1:
            return   # more classes than one column holds: their names are in the read-out
        height, width = grid.cell_size
        unit_height = height / grid.cell_shape[0]
        extent = grid.extent()
        names = self.session.class_names
        for unit in range(grid.cell_shape[0]):
            label = pg.TextItem(names[unit], color=theme.TEXT, anchor=(0.0, 0.5))
            label.setFont(theme.font(12, bold=True))
            self._class_labels.append(label)
            label.setPos(extent.right() + 0.05, extent.top() + (unit + 0.5) * unit_height)
            self.view_box.addItem(label)

    # --- session events --------------------------------------------------------------------------

    def _on_session_model_changed(self) -> None:
        if self._layout() != self._built_layout:  # other shapes or other captions
            self._build()

    def _layout(self) -> list[tuple]:
        """What the view draws of the model: each shown layer's name, shape and caption."""
        layers = self.session.model.layers
        return [(layer.name, layer.output_shape, layer_caption(layer, index == len(layers) - 1))
                for index, layer in enumerate(layers)
                if not isinstance(layer, Flatten)] + [self.session.class_names]

    def _on_session_activations_changed(self) -> None:
        activations = self.session.activations
        for column in self.columns:
            values = activations[column.index]
            levels = theme.symmetric_levels(values)
            self.levels[column.index] = levels
            column.grid.set_images(column.images(values), levels)
        self.emit_levels()

    def emit_levels(self) -> None:
        """Say (levels_shown) which levels the layer a colour bar describes has."""
        if self.columns:
            column = self.columns[self._bar_column]
            self.levels_shown.emit(column.layer.name,
                                   *self.levels.get(column.index, (-1.0, 1.0)))

    def _on_session_selection_changed(self) -> None:
        for column in self.columns:
            column.grid.clear_mark()
        unit = self.session.selection
        for column in self.columns:
            if unit is not None and column.index == unit.layer:
                column.grid.mark(*column.place_of(unit))

    # --- mouse -----------------------------------------------------------------------------------

    def unit_at(self, scene_pos: QPointF) -> UnitRef | None:
        """The unit drawn under a scene point, or None."""
        for column in self.columns:
            hit = column.grid.cell_at(scene_pos)
            if hit is not None:
                return column.unit_at(*hit)
        return None

    def unit_name(self, unit: UnitRef) -> str:
        """'C3 · map 5 · row 3, col 7' (numbered from 0, as in the code)."""
        layer = self.session.model.layers[unit.layer]
        if len(layer.output_shape) == 3 and layer.output_shape[:2] != (1, 1):
            return self.tr("{0} · map {1} · row {2}, col {3}").format(
                layer.name, unit.channel, unit.row, unit.col)
        if unit.layer == len(self.session.model.layers) - 1:
            return self.tr("{0} · class {1}").format(layer.name,
                                                      self.session.class_names[unit.channel])
        return self.tr("{0} · unit {1}").format(layer.name, unit.channel)

    def describe(self, unit: UnitRef) -> str:
        """The unit's name and its current value."""
        activations = self.session.activations
        if activations is None:
            return self.unit_name(unit)
        values = activations[unit.layer]
        value = values[unit.row, unit.col, unit.channel] if values.ndim == 3 else \
            values[unit.channel]
        return self.tr("{0} · value {1}").format(self.unit_name(unit), f"{float(value):.6f}")

    def mouseMoveEvent(self, event) -> None:
        # Not the scene's sigMouseMoved: pyqtgraph drops moves closer than 10 ms apart, which
        # would leave the read-out on the previous unit when the mouse stops.
        super().mouseMoveEvent(event)
        unit = self.unit_at(self.mapToScene(event.position().toPoint()))
        if unit is not None:
            column = next(i for i, c in enumerate(self.columns) if c.index == unit.layer)
            if column != self._bar_column:
                self._bar_column = column
                self.emit_levels()
        text = self.describe(unit) if unit is not None else ""
        if text != self.hover_text:
            self.hover_text = text
            self.unit_hovered.emit(text)

    def _on_scene_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        unit = self.unit_at(event.scenePos())
        self.session.select_unit(None if unit == self.session.selection else unit)

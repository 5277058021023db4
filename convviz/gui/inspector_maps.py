"""The image inspector's pictures: the photo, and the grid of feature maps with histograms.

Every map is drawn in the photo's pixel coordinates, each cell as a block centred on the
pixels it reads (``FeatureMap.origin`` and ``cell_step``), so all views share one coordinate
system: they pan and zoom together, and one hover point names a pixel in the photo and a cell
in every map.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsRectItem

from convviz.core.inspection import FeatureMap
from convviz.gui import theme
from convviz.gui.inspector_controls import DisplaySettings
from convviz.gui.inspector_image import PyramidImageItem, ViewSync

HISTOGRAM_BINS = 64
HISTOGRAM_HEIGHT = 78
TITLE_POINT_SIZE = 13
RECEPTIVE_FIELD_COLOUR = "#00b4d8"
"""Cyan: stands out on inferno, grey and the diverging maps alike."""


def _still_view(view: pg.ViewBox) -> None:
    """Rows go down, square pixels; the mouse pans and zooms, no context menu."""
    view.invertY(True)
    view.setAspectLocked(True)
    view.setMenuEnabled(False)
    view.setBackgroundColor(QColor("#f4f4f4"))


def _outline(colour: str, width: float) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    item.setPen(theme.pen(colour, width))
    item.setZValue(10)
    item.setVisible(False)
    return item


def _title_html(text: str, readout: str) -> str:
    extra = f"<span style='color:{theme.MUTED}; font-weight:normal'>  {readout}</span>" if (
        readout) else ""
    return f"<span style='color:{theme.TEXT}; font-weight:bold'>{text}</span>{extra}"


class InputPanel(pg.GraphicsLayoutWidget):
    """The photo, with the hovered pixel or the hovered cell's receptive field outlined."""

    def __init__(self, sync: ViewSync) -> None:
        super().__init__()
        self.setBackground(theme.BACKGROUND)
        self.title_item = self.ci.addLabel("", row=0, col=0, size=f"{TITLE_POINT_SIZE}pt")
        self.view = self.ci.addViewBox(row=1, col=0)
        _still_view(self.view)
        self.image_item = PyramidImageItem()
        self.view.addItem(self.image_item)
        self.pixel_mark = _outline(theme.ACCENT, 2.5)
        self.field_mark = _outline(RECEPTIVE_FIELD_COLOUR, 3.0)
        self.view.addItem(self.pixel_mark)
        self.view.addItem(self.field_mark)
        self.set_title("Drop a photo here")
        sync.add(self.view)

    def set_title(self, text: str, readout: str = "") -> None:
        self.title_item.setText(_title_html(text, readout))

    def set_display(self, pyramid: list[np.ndarray]) -> None:
        height, width = pyramid[0].shape[:2]
        self.image_item.set_pyramid(pyramid, (0.0, 255.0), QRectF(0, 0, width, height))

    def point_at(self, scene_pos: QPointF) -> QPointF | None:
        """The photo coordinates under a scene point, if the point is over the view."""
        if not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        return self.view.mapSceneToView(scene_pos)

    def mark(self, pixel: tuple[int, int] | None, field: QRectF | None) -> None:
        """Outline a photo pixel (y, x) and/or a receptive field (photo coordinates)."""
        self.pixel_mark.setVisible(pixel is not None)
        if pixel is not None:
            self.pixel_mark.setRect(QRectF(pixel[1], pixel[0], 1, 1))
        self.field_mark.setVisible(field is not None)
        if field is not None:
            self.field_mark.setRect(field)


class MapCell:
    """One map in the grid: a title with the hover read-out, the map, its histogram."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int) -> None:
        self.feature_map: FeatureMap | None = None
        self.levels = (0.0, 1.0)
        self.colormap: pg.ColorMap | None = None
        self.readout = ""
        self.selected = False
        self.title_item = layout.addLabel("", row=3 * row, col=col, size=f"{TITLE_POINT_SIZE}pt")
        self.view = layout.addViewBox(row=3 * row + 1, col=col)
        _still_view(self.view)
        self.image_item = PyramidImageItem()
        self.view.addItem(self.image_item)
        self.frame = QGraphicsRectItem()
        self.frame.setPen(theme.pen(theme.FRAME, 1.0))
        self.frame.setZValue(5)
        self.view.addItem(self.frame)
        self.cell_mark = _outline(theme.ACCENT, 2.5)
        self.view.addItem(self.cell_mark)
        self.histogram = layout.addPlot(row=3 * row + 2, col=col)
        self._build_histogram()

    def _build_histogram(self) -> None:
        plot = self.histogram
        plot.setMaximumHeight(HISTOGRAM_HEIGHT)
        plot.setMinimumHeight(HISTOGRAM_HEIGHT)
        plot.hideAxis("left")
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        axis = plot.getAxis("bottom")
        tick_font = QFont(theme.font(9))
        axis.setStyle(tickFont=tick_font, tickLength=-4)
        axis.setTextPen(theme.MUTED)
        axis.setPen(theme.FRAME)
        self.curve = plot.plot(stepMode="center", fillLevel=0, pen=theme.pen(theme.BAR, 1.0),
                               brush=pg.mkBrush(theme.BAR))
        self.level_lines = [pg.InfiniteLine(angle=90, pen=theme.pen(theme.ACCENT, 1.5,
                                                                     dashed=True))
                            for _ in range(2)]
        self.zero_line = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.TEXT, 1.0))
        for line in (*self.level_lines, self.zero_line):
            plot.addItem(line)

    def show_map(self, feature_map: FeatureMap, pyramid: list[np.ndarray],
                 display: DisplaySettings) -> None:
        self.feature_map = feature_map
        (top, left), (step_h, step_w) = feature_map.origin, feature_map.cell_step
        height, width = feature_map.shape
        rect = QRectF(left, top, width * step_w, height * step_h)
        self.frame.setRect(rect)
        self.cell_mark.setVisible(False)
        self.readout = ""
        self._style(display)
        self.image_item.set_pyramid(pyramid, self.levels, rect)
        fractions, edges = feature_map.histogram.rebinned(HISTOGRAM_BINS)
        self.curve.setData(edges, fractions)
        self.histogram.setXRange(float(edges[0]), float(edges[-1]), padding=0.02)
        self.histogram.setYRange(0, float(fractions.max()) * 1.05 or 1, padding=0)
        self.zero_line.setVisible(bool(edges[0] < 0 < edges[-1]))
        self._update_title()

    def restyle(self, display: DisplaySettings) -> None:
        if self.feature_map is not None:
            self._style(display)
            self.image_item.set_display_levels(self.levels)

    def _style(self, display: DisplaySettings) -> None:
        feature_map = self.feature_map
        self.colormap = (display.signed_colormap if feature_map.signed
                         else display.unsigned_colormap)
        self.levels = feature_map.display_levels(display.clip_fraction)
        self.image_item.setColorMap(self.colormap)
        for line, level in zip(self.level_lines, self.levels, strict=True):
            line.setValue(level)
            line.setVisible(level != 0)

    def set_readout(self, text: str) -> None:
        self.readout = text
        self._update_title()

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
        self.frame.setPen(theme.pen(theme.ACCENT if selected else theme.FRAME,
                                    3.0 if selected else 1.0))

    def mark_cell(self, cell: tuple[int, int] | None) -> None:
        self.cell_mark.setVisible(cell is not None)
        if cell is not None:
            (top, left), (step_h, step_w) = self.feature_map.origin, self.feature_map.cell_step
            self.cell_mark.setRect(QRectF(left + cell[1] * step_w, top + cell[0] * step_h,
                                          step_w, step_h))

    def _update_title(self) -> None:
        title = self.feature_map.title if self.feature_map is not None else ""
        self.title_item.setText(_title_html(title, self.readout))


class MapGrid(pg.GraphicsLayoutWidget):
    """Feature maps in a grid, each with its histogram; views join the shared ViewSync.

    With `columns` left to the grid, it picks the number that draws the maps largest in the
    space it has, and lays them out again when resized.
    """

    def __init__(self, sync: ViewSync) -> None:
        super().__init__()
        self.setBackground(theme.BACKGROUND)
        self.sync = sync
        self.cells: list[MapCell] = []
        self.columns = 0
        self.selected = 0
        self._shown: tuple | None = None
        self.ci.setSpacing(6)

    def set_maps(self, maps: tuple[FeatureMap, ...], pyramids, display: DisplaySettings,
                 columns: int | None = None) -> None:
        """Show maps (rebuilding the grid only if the number of cells or columns changed)."""
        self._shown = (maps, pyramids, display, columns)
        wanted = columns or self._best_columns(maps)
        if len(maps) != len(self.cells) or wanted != self.columns:
            self._rebuild(len(maps), wanted)
        for cell, feature_map, pyramid in zip(self.cells, maps, pyramids, strict=True):
            cell.show_map(feature_map, pyramid, display)
        self.select(min(self.selected, len(maps) - 1))

    def clear_maps(self) -> None:
        self._shown = None
        self._rebuild(0, 0)

    def restyle(self, display: DisplaySettings) -> None:
        if self._shown is not None:
            self._shown = (*self._shown[:2], display, self._shown[3])
        for cell in self.cells:
            cell.restyle(display)

    def select(self, index: int) -> None:
        """Outline one map: the one Save map writes."""
        self.selected = max(index, 0)
        for position, cell in enumerate(self.cells):
            cell.set_selected(position == index)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, QPointF] | None:
        """(cell index, photo coordinates) under a scene point, if over a map's view."""
        for index, cell in enumerate(self.cells):
            if cell.view.sceneBoundingRect().contains(scene_pos):
                return index, cell.view.mapSceneToView(scene_pos)
        return None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        shown = getattr(self, "_shown", None)  # resized once inside the base constructor
        if shown is not None and shown[3] is None and (
                self._best_columns(shown[0]) != self.columns):
            self.set_maps(*shown)

    def _best_columns(self, maps: tuple[FeatureMap, ...]) -> int:
        """The column count that draws maps of the first map's shape largest here."""
        map_h, map_w = maps[0].shape if maps else (1, 1)
        step_h, step_w = maps[0].cell_step if maps else (1, 1)
        aspect = (map_h * step_h) / (map_w * step_w)
        best, best_width = 1, 0.0
        extra = HISTOGRAM_HEIGHT + 2.2 * TITLE_POINT_SIZE + 24
        for columns in range(1, max(len(maps), 1) + 1):
            rows = -(-len(maps) // columns)
            width = min(self.width() / columns, (self.height() / rows - extra) / aspect)
            if width > best_width * 1.01:
                best, best_width = columns, width
        return best

    def _rebuild(self, count: int, columns: int) -> None:
        for cell in self.cells:
            self.sync.remove(cell.view)
        self.ci.clear()
        self.cells = []
        self.columns = columns
        for index in range(count):
            row, col = divmod(index, columns)
            self.cells.append(MapCell(self.ci, row, col))
        for cell in self.cells:
            self.sync.add(cell.view)
        self.ci.layout.setVerticalSpacing(2)


def field_rect(field: tuple[tuple[int, int], tuple[int, int]]) -> QRectF:
    """Inclusive (rows, cols) ranges as a rectangle in photo coordinates."""
    (top, bottom), (left, right) = field
    return QRectF(left, top, right - left + 1, bottom - top + 1)


"""The image inspector's pictures: the photo and its feature maps, in one grid of equals.

Each cell has a title (with the hover read-out), a picture and a histogram. The photo comes
first, then one map per kernel (and channel). Every map is drawn in the photo's pixel
coordinates, each of its cells as a block centred on the pixels it reads
(``FeatureMap.origin`` and ``cell_step``), so all views share one coordinate system: they
pan and zoom together, and one hover point names a pixel in the photo and a cell in every map.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsRectItem

from convviz.core.imaging.inspection import FeatureMap, Histogram
from convviz.gui.inspector.controls import DisplaySettings
from convviz.gui.inspector.pyramid_item import PyramidImageItem, ViewSync
from convviz.gui.widgets import theme

HISTOGRAM_BINS = 64
HISTOGRAM_HEIGHT = 78
"""Histogram height in pixels; grids of more than two rows use SHORT_HISTOGRAM_HEIGHT."""
SHORT_HISTOGRAM_HEIGHT = 46
TITLE_POINT_SIZE = 13
"""The photo's luminance, for its histogram's colour bar."""
RECEPTIVE_FIELD_COLOUR = "#00b4d8"
"""Cyan: stands out on the photo, inferno, grey and the diverging maps alike."""


def _outline(colour: str, width: float) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    item.setPen(theme.pen(colour, width))
    item.setZValue(10)
    item.setVisible(False)
    return item


class Ring(pg.ScatterPlotItem):
    """A circle of fixed screen size around a point: finds a one-pixel mark at any zoom."""

    def __init__(self, colour: str) -> None:
        super().__init__(size=26, symbol="o", pen=theme.pen(colour, 2.5), brush=None,
                         pxMode=True)
        self.setZValue(11)
        self.setVisible(False)

    def show_at(self, rect: QRectF | None) -> None:
        self.setVisible(rect is not None)
        if rect is not None:
            self.setData([rect.center().x()], [rect.center().y()])


class TitleItem(pg.LabelItem):
    """A title that never widens its grid column: a long read-out may not push maps aside."""

    def updateMin(self) -> None:
        super().updateMin()
        height = self.itemRect().height()
        self.setMinimumWidth(0)
        self._sizeHint = {Qt.SizeHint.MinimumSize: (0, height),
                          Qt.SizeHint.PreferredSize: (0, height),
                          Qt.SizeHint.MaximumSize: (-1, -1),
                          Qt.SizeHint.MinimumDescent: (0, 0)}
        self.updateGeometry()


class PictureCell:
    """A title, a picture in its own ViewBox (rows down, square pixels, mouse pans and zooms)
    and a histogram below, placed at (row, col) of a grid whose rows come in threes."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int,
                 histogram_height: int) -> None:
        self.title = ""
        self.readout = ""
        self.title_item = TitleItem("", size=theme.pt(TITLE_POINT_SIZE))
        layout.addItem(self.title_item, row=3 * row, col=col)
        self.view = layout.addViewBox(row=3 * row + 1, col=col)
        self.view.invertY(True)
        self.view.setAspectLocked(True)
        self.view.setMenuEnabled(False)
        self.view.setBackgroundColor(QColor("#f4f4f4"))
        self.image_item = PyramidImageItem()
        self.view.addItem(self.image_item)
        self.frame = QGraphicsRectItem()
        self.frame.setPen(theme.pen(theme.FRAME, 1.0))
        self.frame.setZValue(5)
        self.view.addItem(self.frame)
        self.ring = Ring(theme.ACCENT)
        self.view.addItem(self.ring)
        self.histogram = layout.addPlot(row=3 * row + 2, col=col)
        self._build_histogram(histogram_height)

    def _build_histogram(self, height: int) -> None:
        plot = self.histogram
        plot.setFixedHeight(height)
        plot.hideAxis("left")
        plot.setMouseEnabled(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        axis = plot.getAxis("bottom")
        axis.setStyle(tickFont=theme.font(9), tickLength=-4)
        axis.setTextPen(theme.MUTED)
        axis.setPen(theme.FRAME)
        self.curve = plot.plot(stepMode="center", fillLevel=0, pen=theme.pen(theme.MUTED, 1.0),
                               brush=pg.mkBrush(theme.BAR))
        self.peak_label = pg.TextItem(anchor=(0, 0), color=theme.TEXT)
        self.peak_label.setFont(theme.font(9))
        plot.addItem(self.peak_label)
        self.colour_bar = QGraphicsRectItem()
        self.colour_bar.setPen(pg.mkPen(None))
        plot.addItem(self.colour_bar)

    def show_histogram(self, histogram: Histogram) -> None:
        """Draw a histogram above a colour bar; a bin towering over all others (the zeros
        after ReLU) is cut off at the top and labelled with its share, so the rest shows."""
        fractions, edges = histogram.rebinned(HISTOGRAM_BINS)
        self.curve.setData(edges, fractions)
        low, high = float(edges[0]), float(edges[-1])
        self.histogram.setXRange(low, high, padding=0.02)
        order = np.argsort(fractions)
        peak, second = float(fractions[order[-1]]), float(fractions[order[-2]])
        clipped = second > 0 and peak > 4 * second
        top = 2.5 * second if clipped else peak * 1.05 or 1.0
        self.histogram.setYRange(-0.16 * top, top, padding=0)
        self.colour_bar.setRect(QRectF(low, -0.15 * top, high - low, 0.12 * top))
        self.peak_label.setVisible(clipped)
        if clipped:
            at = float(edges[order[-1] + 1])
            right_half = at > (low + high) / 2  # the label reads towards the middle
            self.peak_label.setAnchor((1, 0) if right_half else (0, 0))
            self.peak_label.setText(f"{peak:.0%} ▲" if right_half else f"▲ {peak:.0%}")
            self.peak_label.setPos(float(edges[order[-1]]) if right_half else at, top)

    def colour_histogram(self, colormap: pg.ColorMap, levels: tuple[float, float]) -> None:
        """Fill the bars and the colour bar with the colours their values are drawn in."""
        brush = colormap.getBrush(span=levels, orientation="horizontal")
        self.curve.setBrush(brush)
        self.colour_bar.setBrush(brush)

    def set_title(self, title: str) -> None:
        self.title = title
        self._update_title()

    def set_readout(self, text: str) -> None:
        self.readout = text
        self._update_title()

    def _update_title(self) -> None:
        readout = (f"<span style='color:{theme.MUTED}; font-weight:normal'>  {self.readout}"
                   "</span>" if self.readout else "")
        self.title_item.setText(f"<span style='color:{theme.TEXT}; font-weight:bold'>"
                                f"{self.title}</span>{readout}")


class PhotoCell(PictureCell):
    """The photo, its luminance histogram, and the hovered pixel or the hovered map cell's
    receptive field outlined."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int,
                 histogram_height: int) -> None:
        super().__init__(layout, row, col, histogram_height)
        self.pixel_mark = _outline(theme.ACCENT, 2.5)
        self.field_mark = _outline(RECEPTIVE_FIELD_COLOUR, 3.0)
        self.view.addItem(self.pixel_mark)
        self.view.addItem(self.field_mark)

    def show_photo(self, pyramid: list[np.ndarray], histogram: Histogram) -> None:
        height, width = pyramid[0].shape[:2]
        self.image_item.set_pyramid(pyramid, (0.0, 255.0), QRectF(0, 0, width, height))
        self.frame.setRect(QRectF(0, 0, width, height))
        self.show_histogram(histogram)
        self.colour_histogram(theme.INK, (0.0, 1.0))

    def mark(self, pixel: tuple[int, int] | None, field: QRectF | None) -> None:
        """Outline a photo pixel (y, x) or a receptive field (photo coordinates), or neither."""
        self.pixel_mark.setVisible(pixel is not None and field is None)
        if pixel is not None:
            self.pixel_mark.setRect(QRectF(pixel[1], pixel[0], 1, 1))
        self.field_mark.setVisible(field is not None)
        if field is not None:
            self.field_mark.setRect(field)
        self.ring.show_at(field if field is not None else
                          self.pixel_mark.rect() if pixel is not None else None)


class MapCell(PictureCell):
    """One feature map: its colours follow the display settings; the hovered cell is ringed."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int,
                 histogram_height: int) -> None:
        super().__init__(layout, row, col, histogram_height)
        self.feature_map: FeatureMap | None = None
        self.levels = (0.0, 1.0)
        self.colormap: pg.ColorMap | None = None
        self.selected = False
        self.cell_mark = _outline(theme.ACCENT, 2.5)
        self.view.addItem(self.cell_mark)
        self.level_lines = [pg.InfiniteLine(angle=90, pen=theme.pen(theme.ACCENT, 1.5,
                                                                     dashed=True))
                            for _ in range(2)]
        self.zero_line = pg.InfiniteLine(0, angle=90, pen=theme.pen(theme.TEXT, 1.0))
        for line in (*self.level_lines, self.zero_line):
            self.histogram.addItem(line)

    def show_map(self, feature_map: FeatureMap, pyramid: list[np.ndarray],
                 display: DisplaySettings) -> None:
        self.feature_map = feature_map
        (top, left), (step_h, step_w) = feature_map.origin, feature_map.cell_step
        height, width = feature_map.shape
        rect = QRectF(left, top, width * step_w, height * step_h)
        self.frame.setRect(rect)
        self.mark_cell(None)
        self.readout = ""
        self._style(display)
        self.image_item.set_pyramid(pyramid, self.levels, rect)
        self.show_histogram(feature_map.histogram)
        self.colour_histogram(self.colormap, self.levels)
        edges = feature_map.histogram.edges
        self.zero_line.setVisible(bool(edges[0] < 0 < edges[-1]))
        self.set_title(feature_map.title)

    def restyle(self, display: DisplaySettings) -> None:
        if self.feature_map is not None:
            self._style(display)
            self.image_item.set_display_levels(self.levels)
            self.colour_histogram(self.colormap, self.levels)

    def _style(self, display: DisplaySettings) -> None:
        feature_map = self.feature_map
        self.colormap = (display.signed_colormap if feature_map.signed
                         else display.unsigned_colormap)
        self.levels = feature_map.display_levels(display.clip_fraction)
        self.image_item.setColorMap(self.colormap)
        for line, level in zip(self.level_lines, self.levels, strict=True):
            line.setValue(level)
            line.setVisible(level != 0)

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
        self.ring.show_at(self.cell_mark.rect() if cell is not None else None)


class PictureGrid(pg.GraphicsLayoutWidget):
    """The photo, then its feature maps, in a grid of equal cells; views join the ViewSync.

    Maps of one kernel on each colour channel fill a row each, right of the photo. Otherwise
    the grid picks the column count that draws the pictures largest in the space it has, and
    lays them out again when resized.
    """

    def __init__(self, sync: ViewSync) -> None:
        super().__init__()
        self.setBackground(theme.BACKGROUND)
        self.sync = sync
        self.cells: list[MapCell] = []
        self.columns = 1
        self.channels = 1
        self.selected = 0
        self._shown: tuple | None = None
        self.ci.setSpacing(6)
        self.ci.layout.setVerticalSpacing(2)
        self.photo = PhotoCell(self.ci, 0, 0, HISTOGRAM_HEIGHT)
        sync.add(self.photo.view)

    def set_photo(self, pyramid: list[np.ndarray], histogram: Histogram, title: str) -> None:
        self.photo.show_photo(pyramid, histogram)
        self.photo.set_title(title)

    def set_maps(self, maps: tuple[FeatureMap, ...], pyramids, display: DisplaySettings,
                 channels: int = 1) -> None:
        """Show maps (rebuilding the grid only if its shape changed)."""
        self._shown = (maps, pyramids, display, channels)
        columns = channels + 1 if channels > 1 else self._best_columns(maps)
        if len(maps) != len(self.cells) or (columns, channels) != (self.columns, self.channels):
            self._rebuild(len(maps), columns, channels)
        for cell, feature_map, pyramid in zip(self.cells, maps, pyramids, strict=True):
            cell.show_map(feature_map, pyramid, display)
        self.select(min(self.selected, len(maps) - 1))

    def clear_maps(self) -> None:
        self._shown = None
        self._rebuild(0, 1, 1)

    def restyle(self, display: DisplaySettings) -> None:
        if self._shown is not None:
            self._shown = (self._shown[0], self._shown[1], display, self._shown[3])
        for cell in self.cells:
            cell.restyle(display)

    def select(self, index: int) -> None:
        """Outline one map: the one Save map writes."""
        self.selected = max(index, 0)
        for position, cell in enumerate(self.cells):
            cell.set_selected(position == index)

    def cell_at(self, scene_pos: QPointF) -> tuple[PictureCell, QPointF] | None:
        """(cell, photo coordinates) under a scene point, if it is over a picture."""
        for cell in (self.photo, *self.cells):
            if cell.view.sceneBoundingRect().contains(scene_pos):
                return cell, cell.view.mapSceneToView(scene_pos)
        return None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        shown = getattr(self, "_shown", None)  # resized once inside the base constructor
        if shown is not None and shown[3] == 1 and self._best_columns(shown[0]) != self.columns:
            self.set_maps(*shown)

    def _best_columns(self, maps: tuple[FeatureMap, ...]) -> int:
        """The column count that draws the photo and maps largest here."""
        count = len(maps) + 1
        map_h, map_w = maps[0].shape if maps else (1, 1)
        step_h, step_w = maps[0].cell_step if maps else (1, 1)
        aspect = (map_h * step_h) / (map_w * step_w)
        best, best_width = 1, 0.0
        for columns in range(1, count + 1):
            rows = -(-count // columns)
            extra = _histogram_height(rows) + 2.2 * TITLE_POINT_SIZE + 24
            width = min(self.width() / columns, (self.height() / rows - extra) / aspect)
            if width > best_width * 1.01:
                best, best_width = columns, width
        return best

    def _slots(self, count: int, columns: int, channels: int) -> list[tuple[int, int]]:
        """(row, col) of each map: after the photo, or a row per kernel right of it."""
        if channels > 1:
            return [(index // channels, 1 + index % channels) for index in range(count)]
        return [divmod(index + 1, columns) for index in range(count)]

    def _rebuild(self, count: int, columns: int, channels: int) -> None:
        """New map cells in new places; the photo keeps its place (and its view)."""
        for cell in self.cells:
            self.sync.remove(cell.view)
            for item in (cell.title_item, cell.view, cell.histogram):
                self.ci.removeItem(item)
        self.columns, self.channels = columns, channels
        slots = self._slots(count, columns, channels)
        rows = max([row for row, _ in slots], default=0) + 1
        height = _histogram_height(rows)
        self.photo.histogram.setFixedHeight(height)
        self.cells = [MapCell(self.ci, row, col, height) for row, col in slots]
        for cell in self.cells:
            self.sync.add(cell.view)


def _histogram_height(rows: int) -> int:
    return HISTOGRAM_HEIGHT if rows <= 2 else SHORT_HISTOGRAM_HEIGHT


def field_rect(field: tuple[tuple[int, int], tuple[int, int]]) -> QRectF:
    """Inclusive (rows, cols) ranges as a rectangle in photo coordinates."""
    (top, bottom), (left, right) = field
    return QRectF(left, top, right - left + 1, bottom - top + 1)

"""A zoomable grid of numbered cells: the stepper's input, kernel, products and output panels.

Each cell is one pixel of an ImageItem (colour by value) with its number painted on top whenever
the zoom makes it legible. Outlines (the receptive field, the current output cell, the max-pool
winner, a clicked pixel) and a hatched padding border are drawn over the cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from convviz.core.formatting import format_number
from convviz.gui.widgets import theme
from convviz.gui.widgets.wrapping_label import WrappingLabel

MIN_FONT_PX = 9
MAX_FONT_PX = 34
MAX_LABELS = 4000
TITLE_POINT_SIZE = 13


@dataclass(frozen=True)
class CellMarks:
    """Blocks of cells (row, col, height, width) outlined with one pen, optionally filled.

    The pen width is in screen pixels, whatever the zoom.
    """

    blocks: tuple[tuple[int, int, int, int], ...]
    color: str
    width: float = 3.0
    fill_alpha: int = 0
    dashed: bool = False


def colour_cells(values: np.ndarray, colormap: pg.ColorMap | None,
                 levels: tuple[float, float]) -> np.ndarray:
    """RGBA uint8 (h, w, 4) for (h, w) values through a colormap, or (h, w, 3) RGB values.

    NaN cells (not yet computed) come out transparent.
    """
    low, high = levels
    span = (high - low) or 1.0
    scaled = np.clip((values - low) / span, 0.0, 1.0)
    blank = np.isnan(scaled)
    if values.ndim == 3:
        blank = blank.any(axis=2)
        rgba = np.empty((*values.shape[:2], 4), np.uint8)
        rgba[..., :3] = np.nan_to_num(scaled * 255).astype(np.uint8)
    else:
        lut = _lookup_table(colormap)
        rgba = lut[(np.nan_to_num(scaled) * (len(lut) - 1) + 0.5).astype(np.intp)]
    rgba[..., 3] = np.where(blank, 0, 255)
    return np.ascontiguousarray(rgba)


_lookup_tables: dict[int, np.ndarray] = {}


def _lookup_table(colormap: pg.ColorMap) -> np.ndarray:
    """256 RGBA colours of a colormap, computed once (mapping through it is ~10x slower)."""
    key = id(colormap)
    if key not in _lookup_tables:
        _lookup_tables[key] = colormap.getLookupTable(0.0, 1.0, 256, alpha=True).astype(np.uint8)
    return _lookup_tables[key]


class _CellLabels(pg.GraphicsObject):
    """Paints the number of every visible cell in screen pixels, if the cells are big enough."""

    def __init__(self) -> None:
        super().__init__()
        self.values = np.zeros((0, 0), np.float32)
        self.light_text = np.zeros((0, 0), bool)
        self.faint = np.zeros((0, 0), bool)
        self.corner_labels: dict[tuple[int, int], str] = {}
        self.bold_cells: set[tuple[int, int]] = set()
        self.text_width = 1.0  # width of the longest label in font-size units (em)

    def set_data(self, values, light_text, faint, longest: str) -> None:
        self.prepareGeometryChange()
        self.values, self.light_text, self.faint = values, light_text, faint
        font = QFont()
        font.setPixelSize(100)
        font.setBold(True)
        self.text_width = max(QFontMetricsF(font).horizontalAdvance(longest) / 100, 0.5)
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.values.shape[1], self.values.shape[0])

    def font_px(self, cell_px: float) -> float:
        """Font size that fits the longest label into a cell of cell_px screen pixels."""
        return min(0.42 * cell_px, 0.8 * cell_px / self.text_width, MAX_FONT_PX)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        transform = painter.transform()
        origin = transform.map(QPointF(0, 0))
        cell_px = abs(transform.map(QPointF(1, 0)).x() - origin.x())
        font_px = self.font_px(cell_px)
        if font_px < MIN_FONT_PX or self.values.size == 0:
            return
        rows, cols = self._visible_range()
        if (rows.stop - rows.start) * (cols.stop - cols.start) > MAX_LABELS:
            return
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont()
        font.setPixelSize(round(font_px))
        bold = QFont(font)
        bold.setBold(True)
        faint_font = QFont(font)
        faint_font.setItalic(True)
        corner_font = QFont()
        corner_font.setPixelSize(max(round(0.27 * cell_px), 8))
        corner_font.setBold(True)
        for r in rows:
            for c in cols:
                value = self.values[r, c]
                if np.isnan(value):
                    continue
                top_left = transform.map(QPointF(c, r))
                rect = QRectF(top_left.x(), top_left.y(), cell_px, cell_px)
                if self.faint[r, c]:
                    painter.setFont(faint_font)
                    painter.setPen(QColor(theme.FAINT))
                else:
                    painter.setFont(bold if (r, c) in self.bold_cells else font)
                    painter.setPen(QColor("white" if self.light_text[r, c] else theme.TEXT))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, format_number(value))
        if self.corner_labels and cell_px >= 30:
            painter.setFont(corner_font)
            painter.setPen(QColor(theme.WEIGHT))
            for (r, c), text in self.corner_labels.items():
                top_left = transform.map(QPointF(c, r))
                rect = QRectF(top_left.x(), top_left.y(), cell_px - 3, cell_px - 1)
                painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                                 text)
        painter.restore()

    def _visible_range(self) -> tuple[range, range]:
        height, width = self.values.shape
        box = self.getViewBox()
        view = box.viewRect() if box is not None else self.boundingRect()
        rows = range(max(int(np.floor(view.top())), 0), min(int(np.ceil(view.bottom())), height))
        cols = range(max(int(np.floor(view.left())), 0), min(int(np.ceil(view.right())), width))
        return rows, cols


class _CellOutlines(pg.GraphicsObject):
    """Hatched padding, the real-input border, and sets of outlined cells."""

    def __init__(self) -> None:
        super().__init__()
        self.shape_hw = (0, 0)
        self.inner: tuple[int, int, int, int] | None = None  # top, left, height, width
        self.marks: list[CellMarks] = []

    def boundingRect(self) -> QRectF:
        return QRectF(-1, -1, self.shape_hw[1] + 2, self.shape_hw[0] + 2)

    def set_layout(self, shape_hw, inner) -> None:
        self.prepareGeometryChange()
        self.shape_hw, self.inner = shape_hw, inner
        self.update()

    def set_marks(self, marks: list[CellMarks]) -> None:
        self.marks = marks
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        height, width = self.shape_hw
        if self.inner is not None and self.inner != (0, 0, height, width):
            top, left, inner_h, inner_w = self.inner
            bottom = top + inner_h
            bands = (QRectF(0, 0, width, top), QRectF(0, bottom, width, height - bottom),
                     QRectF(0, top, left, inner_h),
                     QRectF(left + inner_w, top, width - left - inner_w, inner_h))
            hatch = QBrush(QColor(110, 110, 110, 120), Qt.BrushStyle.BDiagPattern)
            hatch.setTransform(painter.transform().inverted()[0])  # hatch lines in screen pixels
            for band in bands:
                painter.fillRect(band, QColor(255, 255, 255, 150))
                painter.fillRect(band, hatch)
            border = QPen(QColor(theme.TEXT), 2.5)
            border.setCosmetic(True)
            painter.setPen(border)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(left, top, inner_w, inner_h))
        grid = QPen(QColor(0, 0, 0, 40), 1)
        grid.setCosmetic(True)
        painter.setPen(grid)
        for r in range(height + 1) if height <= 64 else ():
            painter.drawLine(QPointF(0, r), QPointF(width, r))
        for c in range(width + 1) if width <= 64 else ():
            painter.drawLine(QPointF(c, 0), QPointF(c, height))
        for mark in self.marks:
            colour = QColor(mark.color)
            pen = QPen(colour, mark.width)
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            if mark.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            fill = QColor(colour)
            fill.setAlpha(mark.fill_alpha)
            painter.setPen(pen)
            painter.setBrush(QBrush(fill) if mark.fill_alpha else Qt.BrushStyle.NoBrush)
            for r, c, h, w in mark.blocks:
                painter.drawRect(QRectF(c, r, w, h))


class CellGrid(QWidget):
    """One titled panel of numbered cells; emits ``cell_clicked(row, col)`` on a left click.

    The title is a QLabel above a bare pyqtgraph canvas, so a long title wraps instead of
    widening the scene.
    """

    cell_clicked = Signal(int, int)

    def __init__(self, title: str = "", interactive: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = WrappingLabel(title)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setFont(theme.font(TITLE_POINT_SIZE, bold=True))
        self.title.setStyleSheet(f"color: {theme.TEXT};")
        self.canvas = pg.GraphicsView(background=theme.BACKGROUND)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.canvas.setMinimumSize(60, 60)
        self.view_box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=interactive)
        self.view_box.setMouseEnabled(interactive, interactive)
        self.canvas.setCentralItem(self.view_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        self.image_item = pg.ImageItem()
        self.outlines = _CellOutlines()
        self.labels = _CellLabels()
        for z, item in enumerate((self.image_item, self.outlines, self.labels)):
            item.setZValue(z)
            self.view_box.addItem(item)
        self.values = np.zeros((0, 0), np.float32)
        self.canvas.scene().sigMouseClicked.connect(self._on_scene_clicked)

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_values(self, values: np.ndarray, colormap: pg.ColorMap | None,
                   levels: tuple[float, float], faint: np.ndarray | None = None,
                   label_values: np.ndarray | None = None) -> None:
        """Show (h, w) values through colormap (or (h, w, 3) RGB with colormap None).

        NaN cells are blank. ``faint`` marks cells (padding) whose numbers are greyed;
        ``label_values`` are the numbers written (default: the values themselves).
        """
        rgba = colour_cells(values, colormap, levels)
        shape_changed = rgba.shape[:2] != self.values.shape[:2]
        self.image_item.setImage(rgba, levels=(0, 255), autoLevels=False)
        numbers = values if label_values is None else label_values
        self.values = np.asarray(numbers, np.float32)
        luminance = rgba[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
        light_text = (luminance < 120) & (rgba[..., 3] > 0)
        faint = np.zeros(self.values.shape, bool) if faint is None else faint
        finite = self.values[np.isfinite(self.values)]
        longest = max((format_number(v) for v in _extremes(finite)), key=len, default="0")
        self.labels.set_data(self.values, light_text, faint, longest)
        if shape_changed:
            self.outlines.set_layout(self.values.shape, None)

    def set_inner(self, top: int, left: int, height: int, width: int) -> None:
        """Mark everything outside this block as padding (hatched, behind a border)."""
        self.outlines.set_layout(self.values.shape, (top, left, height, width))

    def set_marks(self, marks: list[CellMarks], bold_cells=(), corner_labels=None) -> None:
        self.outlines.set_marks(marks)
        self.labels.bold_cells = set(bold_cells)
        self.labels.corner_labels = corner_labels or {}
        self.labels.update()

    def show_all(self) -> None:
        height, width = self.values.shape
        self.view_box.setRange(QRectF(0, 0, width, height), padding=0.02)

    def show_around(self, rows: tuple[int, int], cols: tuple[int, int], cells: int) -> None:
        """Zoom to about cells x cells around the inclusive block rows x cols."""
        centre_r, centre_c = (rows[0] + rows[1] + 1) / 2, (cols[0] + cols[1] + 1) / 2
        half = max(cells, rows[1] - rows[0] + 3, cols[1] - cols[0] + 3) / 2
        self.view_box.setRange(QRectF(centre_c - half, centre_r - half, 2 * half, 2 * half),
                               padding=0)
        self._keep_inside()

    def ensure_visible(self, rows: tuple[int, int], cols: tuple[int, int]) -> None:
        """Pan (keeping the zoom) so the inclusive block rows x cols is in view."""
        view = self.view_box.viewRect()
        block = QRectF(cols[0], rows[0], cols[1] - cols[0] + 1, rows[1] - rows[0] + 1)
        if view.contains(block):
            return
        shift = block.center() - view.center()
        self.view_box.translateBy(x=shift.x(), y=shift.y())
        self._keep_inside()

    def _keep_inside(self) -> None:
        """Slide the view back over the grid where it shows empty space beyond an edge."""
        view = self.view_box.viewRect()
        height, width = self.values.shape
        shifts = []
        for low, size, extent in ((view.left(), view.width(), width),
                                  (view.top(), view.height(), height)):
            if size >= extent:
                shifts.append(extent / 2 - (low + size / 2))
            else:
                shifts.append(min(max(low, 0.0), extent - size) - low)
        if any(abs(shift) > 1e-9 for shift in shifts):
            self.view_box.translateBy(x=shifts[0], y=shifts[1])

    def cell_pixels(self) -> float:
        """Screen size of one cell at the current zoom."""
        width_px = self.view_box.width()
        view_width = self.view_box.viewRect().width()
        return width_px / view_width if view_width else 0.0

    def numbers_legible(self) -> bool:
        """Whether the numbers are drawn at the current zoom."""
        return self.labels.font_px(self.cell_pixels()) >= MIN_FONT_PX

    def cell_centre(self, row: int, col: int):
        """Canvas coordinates of a cell's centre (to click it from tests and tools)."""
        scene_pos = self.view_box.mapViewToScene(QPointF(col + 0.5, row + 0.5))
        return self.canvas.mapFromScene(scene_pos)

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = self.view_box.mapSceneToView(event.scenePos())
        row, col = int(np.floor(pos.y())), int(np.floor(pos.x()))
        if 0 <= row < self.values.shape[0] and 0 <= col < self.values.shape[1]:
            event.accept()
            self.cell_clicked.emit(row, col)


def _extremes(values: np.ndarray) -> list[float]:
    """A few values whose formatted text is likely the longest (min, max, a fraction)."""
    if not values.size:
        return []
    picks = [float(values.min()), float(values.max())]
    fractional = values[np.abs(values - np.round(values)) > 1e-6]
    if fractional.size:
        picks += [float(fractional.min()), float(fractional[np.argmin(np.abs(fractional))])]
    return picks

"""A grid of small images in a pyqtgraph ViewBox: feature maps, kernels, unit vectors.

The cells are tiled into one mosaic shown by one bare ImageItem (gaps are NaN, which draws as
transparent): a layer's 16 maps cost one image conversion per update, not 16, which keeps the
live view within a display frame. Thin frames outline the cells. The grid answers which cell
and pixel lie under a scene point (hover read-outs, clicks) and can outline one pixel (the
selected unit).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem

from convviz.gui.widgets import theme

GAP = 0.12
"""Space between cells, as a fraction of a cell (at least one pixel)."""


def configure_view_box(view_box: pg.ViewBox) -> None:
    """A still picture: rows go down, square pixels, no panning, zooming or context menu."""
    view_box.invertY(True)
    view_box.setAspectLocked(True)
    view_box.setMouseEnabled(False, False)
    view_box.setMenuEnabled(False)
    view_box.enableAutoRange(enable=False)


def show_rect(view_box: pg.ViewBox, rect: QRectF, padding: float = 0.02) -> None:
    """Fit a still view to rect."""
    configure_view_box(view_box)
    view_box.setRange(rect, padding=padding)


def fit_below_texts(view_box: pg.ViewBox, content: QRectF, above: float,
                    below: float = 0.0) -> None:
    """Fit a still view to content with `above` and `below` pixels left free for texts that
    keep their size in pixels (titles, notes), whatever the view's size."""
    width, height = view_box.width(), view_box.height()
    if width < 2 or height < 2 or content.width() <= 0 or content.height() <= 0:
        return
    scale = max(1e-3, min(width / content.width(), (height - above - below) / content.height()))
    view_box.setRange(QRectF(content.left(), content.top() - above / scale, width / scale,
                             height / scale), padding=0.0)


def _gap_pixels(cell_shape: tuple[int, int]) -> int:
    return max(1, round(GAP * max(cell_shape)))


class ImageGrid:
    """`count` cells of `cell_shape` pixels in a rows x columns grid, filled row by row, with
    its top-left corner at `origin` and each cell's longer side `cell_size` view units long."""

    def __init__(self, view_box: pg.ViewBox, count: int, columns: int,
                 cell_shape: tuple[int, int], colormap: pg.ColorMap = theme.DIVERGING,
                 origin: tuple[float, float] = (0.0, 0.0), cell_size: float = 1.0):
        self.view_box = view_box
        self.count = count
        self.columns = columns
        self.rows = -(-count // columns)
        self.cell_shape = cell_shape
        height, width = cell_shape
        self.gap = _gap_pixels(cell_shape)
        self.pitch = (height + self.gap, width + self.gap)
        self.shape = (self.rows * self.pitch[0] - self.gap, self.columns * self.pitch[1] - self.gap)
        self.pixel = cell_size / max(height, width)  # view units per pixel
        self.cell_size = (height * self.pixel, width * self.pixel)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap(colormap)
        self.set_images([np.zeros(cell_shape, np.float32)] * count, (-1.0, 1.0))
        self.image_item.setRect(QRectF(origin[0], origin[1], self.shape[1] * self.pixel,
                                       self.shape[0] * self.pixel))  # after the image exists
        view_box.addItem(self.image_item)
        frames = QPainterPath()
        for index in range(count):
            top, left = self.cell_origin(index)
            frames.addRect(QRectF(left, top, width, height))
        frame_item = QGraphicsPathItem(frames, self.image_item)
        frame_item.setPen(theme.pen(theme.FRAME, 1.0))
        self._mark = QGraphicsRectItem(self.image_item)
        self._mark.setPen(theme.pen(theme.ACCENT, 3.5))
        self._mark.setZValue(10)
        self._mark.setVisible(False)

    @staticmethod
    def height_for(rows: int, cell_shape: tuple[int, int], cell_size: float = 1.0) -> float:
        """Height in view units of `rows` rows of such cells, gaps included."""
        gap = _gap_pixels(cell_shape)
        return cell_size * (rows * (cell_shape[0] + gap) - gap) / max(cell_shape)

    def cell_origin(self, index: int) -> tuple[int, int]:
        """Mosaic pixel (row, col) of cell `index`'s top-left corner."""
        row, col = divmod(index, self.columns)
        return row * self.pitch[0], col * self.pitch[1]

    def extent(self) -> QRectF:
        """Where the grid sits in view coordinates."""
        return self.image_item.mapRectToParent(self.image_item.boundingRect())

    def set_images(self, images, levels: tuple[float, float]) -> None:
        """Show one (h, w) array per cell, all on the same colour scale."""
        mosaic = np.full(self.shape, np.nan, np.float32)
        height, width = self.cell_shape
        for index, image in enumerate(images):
            top, left = self.cell_origin(index)
            mosaic[top:top + height, left:left + width] = image
        self.image_item.setImage(mosaic, levels=levels, autoLevels=False)

    def cell_image(self, index: int) -> np.ndarray:
        """The values cell `index` shows now."""
        top, left = self.cell_origin(index)
        return self.image_item.image[top:top + self.cell_shape[0], left:left + self.cell_shape[1]]

    def scene_point(self, index: int, row: int, col: int) -> QPointF:
        """Scene position of the centre of pixel (row, col) of cell `index`."""
        top, left = self.cell_origin(index)
        return self.image_item.mapToScene(QPointF(left + col + 0.5, top + row + 0.5))

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int, int] | None:
        """(cell index, pixel row, pixel col) under a scene point, or None (a gap or outside)."""
        point = self.image_item.mapFromScene(scene_pos)
        y, x = int(np.floor(point.y())), int(np.floor(point.x()))
        if not (0 <= y < self.shape[0] and 0 <= x < self.shape[1]):
            return None
        (grid_row, row), (grid_col, col) = divmod(y, self.pitch[0]), divmod(x, self.pitch[1])
        index = grid_row * self.columns + grid_col
        if row >= self.cell_shape[0] or col >= self.cell_shape[1] or index >= self.count:
            return None
        return index, row, col

    def mark(self, index: int, row: int, col: int) -> None:
        """Outline one pixel of one cell."""
        top, left = self.cell_origin(index)
        self._mark.setRect(QRectF(left + col - 0.15, top + row - 0.15, 1.3, 1.3))
        self._mark.setVisible(True)

    def clear_mark(self) -> None:
        self._mark.setVisible(False)

    @property
    def marked(self) -> bool:
        return self._mark.isVisible()

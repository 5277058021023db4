"""A grid of small images in one pyqtgraph ViewBox: feature maps, kernels, unit vectors.

Each cell is a bare ImageItem placed with setRect (one view unit per cell, a small gap between
cells) and outlined by a thin frame. The grid answers which cell and pixel lie under a scene
point (for hover read-outs and clicks) and can outline one pixel (the selected unit).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsRectItem

from convviz.gui import theme

GAP = 0.12
"""Space between cells, as a fraction of a cell."""


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
        self.origin = origin
        height, width = cell_shape
        scale = cell_size / max(height, width)
        self.cell_size = (height * scale, width * scale)
        self.gap = GAP * cell_size
        self.items: list[pg.ImageItem] = []
        frame_pen = theme.pen(theme.FRAME, 1.0)
        for index in range(count):
            item = pg.ImageItem(axisOrder="row-major")
            item.setColorMap(colormap)
            item.setImage(np.zeros(cell_shape, np.float32), levels=(-1.0, 1.0))
            item.setRect(self.cell_rect(index))
            view_box.addItem(item)
            frame = QGraphicsRectItem(self.cell_rect(index))
            frame.setPen(frame_pen)
            frame.setZValue(5)
            view_box.addItem(frame)
            self.items.append(item)
        self._mark = QGraphicsRectItem()
        self._mark.setPen(theme.pen(theme.ACCENT, 3.5))
        self._mark.setZValue(10)
        self._mark.setVisible(False)

    @staticmethod
    def height_for(rows: int, cell_size: float = 1.0) -> float:
        """Height in view units of `rows` rows of cells `cell_size` tall."""
        return rows * cell_size + (rows - 1) * GAP * cell_size

    def cell_rect(self, index: int) -> QRectF:
        """Where cell `index` sits in view coordinates."""
        row, col = divmod(index, self.columns)
        height, width = self.cell_size
        return QRectF(self.origin[0] + col * (width + self.gap),
                      self.origin[1] + row * (height + self.gap), width, height)

    def extent(self) -> QRectF:
        height, width = self.cell_size
        return QRectF(self.origin[0], self.origin[1],
                      self.columns * (width + self.gap) - self.gap,
                      self.rows * (height + self.gap) - self.gap)

    def set_images(self, images, levels: tuple[float, float]) -> None:
        """Show one (h, w) array per cell, all on the same colour scale."""
        for item, image in zip(self.items, images, strict=True):
            item.setImage(image, levels=levels, autoLevels=False)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int, int] | None:
        """(cell index, pixel row, pixel col) under a scene point, or None."""
        height, width = self.cell_shape
        for index, item in enumerate(self.items):
            point = item.mapFromScene(scene_pos)
            if 0 <= point.x() < width and 0 <= point.y() < height:
                return index, int(point.y()), int(point.x())
        return None

    def mark(self, index: int, row: int, col: int) -> None:
        """Outline one pixel of one cell."""
        self._mark.setParentItem(self.items[index])
        self._mark.setRect(QRectF(col - 0.15, row - 0.15, 1.3, 1.3))
        self._mark.setVisible(True)

    def clear_mark(self) -> None:
        self._mark.setVisible(False)

    @property
    def marked(self) -> bool:
        return self._mark.isVisible()

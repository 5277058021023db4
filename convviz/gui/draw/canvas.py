"""The drawing canvas and the 28x28 "what the network sees" view, with receptive-field boxes.

`CanvasView` turns mouse (and pen: Qt turns tablet events into mouse events) presses, drags and
releases into strokes on a core `DrawingCanvas` and shows its ink; all rasterising happens in
the core. `DigitView` shows the prepared 28x28 input. Both can outline a receptive field.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainterPath, QPixmap
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QLabel,
    QSizePolicy,
    QWidget,
)

from convviz.core.drawing.canvas import Brush, DrawingCanvas
from convviz.gui.widgets import theme
from convviz.gui.widgets.image_grid import show_rect

FieldRect = tuple[tuple[float, float], tuple[float, float]]
"""((top, bottom), (left, right)) edges in image pixels."""


class _PictureView(pg.GraphicsView):
    """A single-image view: an ImageItem filling a still ViewBox, plus an accent outline."""

    def __init__(self, shape: tuple[int, int], parent: QWidget | None = None):
        super().__init__(parent, background=theme.BACKGROUND)
        self.setAcceptDrops(False)  # files dropped here go to the window
        self.shape = shape
        self.view_box = pg.ViewBox()
        self.setCentralItem(self.view_box)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap(theme.INK)
        self.image_item.setImage(np.zeros(shape, np.float32), levels=(0.0, 1.0))
        self.view_box.addItem(self.image_item)
        border = QGraphicsRectItem(QRectF(0, 0, shape[1], shape[0]))
        border.setPen(theme.pen(theme.FRAME, 1.0))
        self.view_box.addItem(border)
        self.field_item = QGraphicsRectItem()
        self.field_item.setPen(theme.pen(theme.ACCENT, 3.0))
        fill = QColor(theme.ACCENT)
        fill.setAlpha(30)
        self.field_item.setBrush(fill)
        self.field_item.setZValue(10)
        self.field_item.setVisible(False)
        self.view_box.addItem(self.field_item)
        show_rect(self.view_box, QRectF(0, 0, shape[1], shape[0]), padding=0.01)

    def show_field(self, field: FieldRect | None) -> None:
        """Outline a region (clipped to the image), or hide the outline."""
        if field is None:
            self.field_item.setVisible(False)
            return
        (top, bottom), (left, right) = field
        height, width = self.shape
        top, bottom = max(top, 0.0), min(bottom, float(height))
        left, right = max(left, 0.0), min(right, float(width))
        self.field_item.setRect(QRectF(left, top, right - left, bottom - top))
        self.field_item.setVisible(True)

    @property
    def field_rect(self) -> QRectF | None:
        """The outlined region in image pixels, None if none is shown."""
        return self.field_item.rect() if self.field_item.isVisible() else None

    def image_point(self, widget_pos: QPointF) -> QPointF:
        """Image coordinates (x = column, y = row, in pixels) of a point in this widget."""
        return self.image_item.mapFromScene(self.mapToScene(widget_pos.toPoint()))


class CanvasView(_PictureView):
    """Draw with the left button (or a pen); shows the canvas ink as white chalk on black."""

    ink_changed = Signal()
    stroke_finished = Signal()

    def __init__(self, canvas: DrawingCanvas, brush: Brush, parent: QWidget | None = None):
        super().__init__((canvas.size, canvas.size), parent)
        self.canvas = canvas
        self.brush = brush
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.brush_outline = QGraphicsEllipseItem()
        self.brush_outline.setPen(theme.pen("#7fb2ff", 1.5))
        self.brush_outline.setZValue(20)
        self.brush_outline.setVisible(False)
        self.view_box.addItem(self.brush_outline)

    def set_brush(self, brush: Brush) -> None:
        self.brush = brush
        if self.brush_outline.isVisible():
            self._move_outline(self.brush_outline.rect().center())

    def refresh(self) -> None:
        """Show the canvas' current ink."""
        self.image_item.setImage(self.canvas.ink, levels=(0.0, 1.0), autoLevels=False)

    def _move_outline(self, centre: QPointF) -> None:
        radius = self.brush.radius
        self.brush_outline.setRect(QRectF(centre.x() - radius, centre.y() - radius,
                                          2 * radius, 2 * radius))
        self.brush_outline.setVisible(True)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        point = self.image_point(event.position())
        self.canvas.begin_stroke(point.x(), point.y(), self.brush)
        self._after_ink_change()
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        point = self.image_point(event.position())
        self._move_outline(point)
        if self.canvas.is_drawing:  # from press to release
            self.canvas.extend_stroke(point.x(), point.y())
            self._after_ink_change()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.canvas.is_drawing:
            return super().mouseReleaseEvent(event)
        self.canvas.end_stroke()
        self.stroke_finished.emit()
        event.accept()

    def leaveEvent(self, event) -> None:
        self.brush_outline.setVisible(False)
        super().leaveEvent(event)

    def _after_ink_change(self) -> None:
        self.refresh()
        self.ink_changed.emit()


class DigitView(_PictureView):
    """The network's input, 28x28 for a digit or any H x W, grey or colour; hovering reports
    the pixel under the mouse."""

    pixel_hovered = Signal(str)

    def __init__(self, shape: tuple[int, int] = (28, 28), parent: QWidget | None = None,
                 colour: bool = False):
        super().__init__(shape, parent)
        self.colour = colour
        if colour:
            self.image_item.setLookupTable(None)
            self.image_item.setImage(np.zeros((*shape, 3), np.float32), levels=(0.0, 1.0))
        self.setMouseTracking(True)
        grid = QPainterPath()
        for k in range(1, shape[0]):
            grid.moveTo(0, k)
            grid.lineTo(shape[1], k)
        for k in range(1, shape[1]):
            grid.moveTo(k, 0)
            grid.lineTo(k, shape[0])
        grid_item = QGraphicsPathItem(grid)
        grid_item.setPen(theme.pen("#303030", 1.0))
        grid_item.setZValue(5)
        grid_item.setVisible(not colour)   # a photo's pixels read better without lines
        self.view_box.addItem(grid_item)
        self.hover_text = ""

    def set_pixels(self, pixels: np.ndarray) -> None:
        self.image_item.setImage(pixels, levels=(0.0, 1.0), autoLevels=False)

    def mouseMoveEvent(self, event) -> None:
        point = self.image_point(event.position())
        row, col = int(np.floor(point.y())), int(np.floor(point.x()))
        text = ""
        if 0 <= row < self.shape[0] and 0 <= col < self.shape[1]:
            values = np.atleast_1d(self.image_item.image[row, col])
            if self.colour:
                value = "RGB " + ", ".join(f"{float(v):.3f}" for v in values)
            else:
                value = f"value {float(values[0]):.6f}"
            text = f"input · row {row}, col {col} · {value}"
        if text != self.hover_text:
            self.hover_text = text
            self.pixel_hovered.emit(text)
        super().mouseMoveEvent(event)


class ScaledPicture(QLabel):
    """A picture shown as large as the label allows, keeping its aspect ratio."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(*PICTURE_MINIMUM)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._pixmap: QPixmap | None = None

    def set_pixels(self, pixels: np.ndarray | None) -> None:
        """Show (H, W, 1 or 3) float pixels in [0, 1], or nothing."""
        self._pixmap = None if pixels is None else QPixmap.fromImage(rgb_image(pixels))
        self._rescale()

    @property
    def shown_size(self) -> tuple[int, int]:
        """(width, height) of the picture as shown, (0, 0) if none."""
        shown = self.pixmap()
        return (0, 0) if shown is None or shown.isNull() else (shown.width(), shown.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None:
            self.clear()
            return
        self.setPixmap(self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))


PICTURE_MINIMUM = (160, 120)


def rgb_image(pixels: np.ndarray) -> QImage:
    """A QImage (a copy) of (H, W, 1 or 3) float pixels in [0, 1]."""
    pixels = np.asarray(pixels, np.float32)
    rgb = np.repeat(pixels, 3, axis=2) if pixels.shape[2] == 1 else pixels
    data = np.ascontiguousarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8))
    height, width = data.shape[:2]
    return QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()

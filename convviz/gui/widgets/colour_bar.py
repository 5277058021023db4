"""A colour bar: the colormap as a strip, the numbers its ends and middle stand for, and what
the colours mean in words, so a class reads a map's colours as numbers.

General on purpose: any colormap and levels (the theme's diverging map with symmetric levels
for activations and kernels; a sequential map for non-negative grids), any caption.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from convviz.core.formatting import format_number
from convviz.gui.i18n import QT_TRANSLATE_NOOP, translate
from convviz.gui.widgets import theme

DIVERGING_MEANING = QT_TRANSLATE_NOOP("ColourBar", "blue negative · white zero · red positive")
STRIP_WIDTH = 180
"""The strip's length in pixels at 100 % text (it grows with the text)."""


class ColourBar(QWidget):
    """`caption  [low ... middle ... high]` with the colormap painted between the numbers."""

    def __init__(self, colormap: pg.ColorMap = theme.DIVERGING,
                 levels: tuple[float, float] = (-1.0, 1.0), caption: str = DIVERGING_MEANING,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.colormap = colormap
        self.levels = (float(levels[0]), float(levels[1]))
        self.caption = translate("ColourBar", caption)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._update_tooltip()

    def set_levels(self, low: float, high: float, caption: str | None = None) -> None:
        """The values the strip's two ends stand for (and a new caption, if given)."""
        self.levels = (float(low), float(high))
        if caption is not None:
            self.caption = caption
        self._update_tooltip()
        self.updateGeometry()
        self.update()

    def show_layer(self, name: str, low: float, high: float) -> None:
        """Describe the diverging colours of one layer (a view's `levels_shown` signal)."""
        self.set_levels(low, high, f"{name}: {translate('ColourBar', DIVERGING_MEANING)}")

    def set_colormap(self, colormap: pg.ColorMap) -> None:
        self.colormap = colormap
        self.update()

    def tick_texts(self) -> tuple[str, str, str]:
        """The numbers written under the strip's start, middle and end."""
        low, high = self.levels
        return format_number(low), format_number((low + high) / 2), format_number(high)

    def _update_tooltip(self) -> None:
        low, middle, high = self.tick_texts()
        self.setToolTip(self.tr("Colours stand for numbers: {0} at the left end, {1} in the "
                                "middle, {2} at the right end ({3})").format(
            low, middle, high, self.caption))

    def _strip_width(self) -> int:
        return round(STRIP_WIDTH * theme.text_scale())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(self.caption) + self._strip_width() + 3 * 8
        return QSize(width, 2 * metrics.height() + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._strip_width() + 16, 2 * self.fontMetrics().height() + 6)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        strip = self._strip_width()
        caption_room = self.width() - strip - 16
        right = self.width() - 8
        left = right - strip
        painter.setPen(QColor(theme.MUTED))
        if caption_room > 40:  # on one line, or two beside the strip and its numbers
            room = QRectF(0, 0, caption_room, 2 * line)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            wrap = flags | Qt.TextFlag.TextWordWrap
            if metrics.boundingRect(room.toRect(), wrap, self.caption).height() <= 2 * line:
                painter.drawText(room, wrap, self.caption)
            else:
                painter.drawText(room, flags, metrics.elidedText(
                    self.caption, Qt.TextElideMode.ElideRight, caption_room))
        gradient = QLinearGradient(left, 0, right, 0)
        for position, colour in zip(*self.colormap.getStops(mode="qcolor"), strict=True):
            gradient.setColorAt(float(position), colour)
        bar = QRectF(left, 2, strip, line - 4)
        painter.fillRect(bar, gradient)
        painter.setPen(QPen(QColor(theme.FRAME)))
        painter.drawRect(bar)
        painter.setPen(QColor(theme.TEXT))
        for text, x, align in zip(self.tick_texts(), (left, left + strip / 2, right),
                                  (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter,
                                   Qt.AlignmentFlag.AlignRight), strict=True):
            width = metrics.horizontalAdvance(text) + 4
            start = {Qt.AlignmentFlag.AlignLeft: x, Qt.AlignmentFlag.AlignRight: x - width}.get(
                align, x - width / 2)
            painter.drawText(QRectF(start, line, width, line), align
                             | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

"""The look shared by convviz's views: colours, colormaps, fonts sized for a projector, panels.

Light backgrounds (they survive a washed-out classroom projector), the network's own pictures
(canvas, input, activations) in strong colour, and every panel with a clear title.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

pg.setConfigOptions(imageAxisOrder="row-major")

DIVERGING = pg.colormap.get("CET-D1")
"""Signed values (activations, weights): blue negative, white-grey zero, red positive."""
INK = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])
"""The network's input: white ink on black, as MNIST."""

BACKGROUND = "#ffffff"
FRAME = "#c8c8c8"
TEXT = "#202020"
MUTED = "#6b6b6b"
ACCENT = "#e8590c"
"""Highlights: the top class, the selected unit and its receptive field."""
BAR = "#9aa5b1"

BASE_POINT_SIZE = 11
TITLE_POINT_SIZE = 14
BIG_NUMBER_POINT_SIZE = 60


def apply(app: QApplication) -> None:
    """Fusion style with a font large enough to read from the back of a room."""
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)


def font(point_size: int, bold: bool = False) -> QFont:
    result = QFont(QApplication.font())
    result.setPointSize(point_size)
    result.setBold(bold)
    return result


def pen(color: str, width: float = 2.0, dashed: bool = False):
    """A cosmetic pen (width in screen pixels, whatever the zoom)."""
    from PySide6.QtCore import Qt

    result = pg.mkPen(QColor(color), width=width)
    result.setCosmetic(True)
    if dashed:
        result.setStyle(Qt.PenStyle.DashLine)
    return result


def symmetric_levels(values, floor: float = 1e-3) -> tuple[float, float]:
    """(-m, m) with m the largest magnitude: zero sits in the middle of a diverging map."""
    largest = max(float(abs(values).max()) if values.size else 0.0, floor)
    return -largest, largest


class Panel(QFrame):
    """A framed box with a bold title (and an optional grey subtitle) above its content."""

    def __init__(self, title: str, content: QWidget, subtitle: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("panel")
        self.setStyleSheet(f"QFrame#panel {{ border: 1px solid {FRAME}; border-radius: 6px;"
                           f" background: {BACKGROUND}; }}")
        self.title_label = QLabel(title)
        self.title_label.setFont(font(TITLE_POINT_SIZE, bold=True))
        self.title_label.setStyleSheet(f"color: {TEXT};")
        self.subtitle_label = QLabel(subtitle)
        self.subtitle_label.setStyleSheet(f"color: {MUTED};")
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setVisible(bool(subtitle))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(content, 1)
        self.content = content

    def set_subtitle(self, text: str) -> None:
        self.subtitle_label.setText(text)
        self.subtitle_label.setVisible(bool(text))

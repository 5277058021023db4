"""The look shared by convviz's views: colours, colormaps, fonts sized for a projector, panels.

Light backgrounds (they survive a washed-out classroom projector), the network's own pictures
(canvas, input, activations) in strong colour, and every panel with a clear title.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from convviz.gui.i18n import translate

DIVERGING = pg.colormap.get("CET-D1")
"""Signed values (activations, weights): blue negative, white-grey zero, red positive."""
INK = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])
"""The network's input: white ink on black, as MNIST."""


def _upper_half(colormap: pg.ColorMap) -> pg.ColorMap:
    positions, colours = colormap.getStops(mode=pg.ColorMap.BYTE)
    keep = positions >= 0.5
    return pg.ColorMap((positions[keep] - 0.5) * 2, colours[keep])


PAPER = _upper_half(DIVERGING)
"""Non-negative numbers that are not a picture (the stepper's example grids): DIVERGING's
positive half, zero to red, so a positive number has one colour in every tab."""
NEGATIVE_COLOUR = DIVERGING.map(0.0, mode=pg.ColorMap.QCOLOR).name()
POSITIVE_COLOUR = DIVERGING.map(1.0, mode=pg.ColorMap.QCOLOR).name()


def sign_legend() -> str:
    """What the diverging colours mean, as rich text for legends, in the current language."""
    return translate("Theme", "<span style='color:{0}'>■</span> negative · white zero · "
                              "<span style='color:{1}'>■</span> positive").format(
        NEGATIVE_COLOUR, POSITIVE_COLOUR)


BACKGROUND = "#ffffff"
FRAME = "#c8c8c8"
TEXT = "#202020"
MUTED = "#6b6b6b"
ACCENT = "#e8590c"
"""Highlights: the top class, the selected unit and its receptive field."""
BAR = "#9aa5b1"
SERIES = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf")
"""One colour per curve where a plot shows many (classes in the shift sweep, layers in the
gradient-norm plot): matplotlib's tab10, told apart on a projector."""
FAINT = "#8a8a8a"
"""Numbers that matter less, such as those of padding cells."""

# Marks on grids of numbers, one colour per role (the stepper's legend names them).
WINDOW = "#ff7f0e"
"""The receptive field being read and the output cell it fills."""
WINNER = "#1a9e3a"
"""The max-pool winner."""
PROBE = "#8e2bd8"
"""A clicked input pixel and the output cells that read it."""
WEIGHT = "#b00020"
"""Kernel weights written over the input pixels."""

# Messages: (background, text and border) per level.
INFO_COLOURS = ("#e7f1fb", "#1c4f80")
WARNING_COLOURS = ("#fff4d6", "#7a5300")
ERROR_COLOURS = ("#fde2e1", "#8a1c16")

BASE_POINT_SIZE = 11
TITLE_POINT_SIZE = 14
BIG_NUMBER_POINT_SIZE = 48
LEVELS_FLOOR = 1e-3
"""Symmetric levels are at least (-floor, floor): an all-zero or near-zero map (a dead ReLU
unit, an empty kernel) stays neutral instead of stretching noise over the whole colormap."""


_TEXT_SCALE = [1.0]
"""The presenter text scale (1.0 = 100 %); set by widgets/text_scale.py, read by font and pt."""


def text_scale() -> float:
    """The text scale every font and point size of the theme is multiplied by."""
    return _TEXT_SCALE[0]


def set_text_scale(scale: float) -> None:
    """Fonts made from now on are scaled by `scale` (text_scale.apply_text_scale also
    rescales the ones already on screen)."""
    _TEXT_SCALE[0] = float(scale)


def apply(app: QApplication) -> None:
    """Fusion style with a font large enough to read from the back of a room."""
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSizeF(BASE_POINT_SIZE * text_scale())
    app.setFont(font)


def font(point_size: float, bold: bool = False) -> QFont:
    """The application's font at this size (times the presenter text scale)."""
    result = QFont(QApplication.font())
    result.setPointSizeF(point_size * text_scale())
    result.setBold(bold)
    return result


def pt(point_size: float) -> str:
    """A CSS font size for rich text and style sheets, times the presenter text scale."""
    return f"{point_size * text_scale():.3g}pt"


def pen(color: str, width: float = 2.0, dashed: bool = False):
    """A cosmetic pen (width in screen pixels, whatever the zoom)."""
    from PySide6.QtCore import Qt

    result = pg.mkPen(QColor(color), width=width)
    result.setCosmetic(True)
    if dashed:
        result.setStyle(Qt.PenStyle.DashLine)
    return result


def symmetric_levels(values: np.ndarray) -> tuple[float, float]:
    """(-m, m) with m the largest magnitude (at least LEVELS_FLOOR): zero sits in the middle
    of a diverging map."""
    largest = max(float(np.abs(values).max()) if values.size else 0.0, LEVELS_FLOOR)
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

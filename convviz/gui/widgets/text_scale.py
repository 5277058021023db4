"""Presenter mode: every text and number in the window scaled as a browser zooms (Ctrl+= / -).

The theme's `font()` and `pt()` multiply by the current scale, so whatever is built from now
on has the new size; `apply_text_scale` also rescales what is already on screen by the ratio
of the new scale to the old one: the application font, fonts set on widgets, point sizes in
style sheets and rich text, and in pyqtgraph views the text items, labels and axes. A view
that places its own texts has a `refit_texts()` method, called afterwards.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QGraphicsView, QLabel, QWidget

from convviz.gui.widgets import theme

TEXT_SCALES = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)
"""The steps of Ctrl+= and Ctrl+-, as a browser's zoom."""
PRESENTER_SCALE = 1.5
"""What the presenter-mode action switches to: readable at the back of a classroom."""
_POINT_SIZE = re.compile(r"font-size:\s*([0-9.]+)pt")


def next_scale(scale: float, step: int) -> float:
    """The scale one step (+1 larger, -1 smaller) from `scale`, kept within TEXT_SCALES."""
    if step > 0:
        return next((s for s in TEXT_SCALES if s > scale + 1e-6), TEXT_SCALES[-1])
    return next((s for s in reversed(TEXT_SCALES) if s < scale - 1e-6), TEXT_SCALES[0])


def clamp_scale(scale: float) -> float:
    """A scale read back from the settings, kept within the steps' range."""
    return min(max(float(scale), TEXT_SCALES[0]), TEXT_SCALES[-1])


def apply_text_scale(scale: float, roots: list[QWidget]) -> None:
    """Make `scale` the text scale and resize every text under `roots` to it."""
    ratio = scale / theme.text_scale()
    if abs(ratio - 1.0) < 1e-9:
        return
    theme.set_text_scale(scale)
    app = QApplication.instance()
    font = app.font()
    font.setPointSizeF(theme.BASE_POINT_SIZE * scale)
    app.setFont(font)
    widgets = [w for root in roots for w in [root, *root.findChildren(QWidget)]]
    # Every widget's font, read before any is changed: a parent's new font would reach the
    # children that inherit it, which would then be scaled twice. (The application font does
    # not reach widgets that already exist, so each is given its font explicitly.)
    fonts = [QFont(widget.font()) for widget in widgets]
    for widget, font in zip(widgets, fonts, strict=True):
        widget.setFont(_scaled_font(font, ratio))
    for widget in widgets:
        _rescale_widget(widget, ratio)
    for widget in widgets:  # views that place their own texts (fixed in pixels) redo it
        refit = getattr(widget, "refit_texts", None)
        if callable(refit):
            refit()


def _scaled_points(text: str, ratio: float) -> str:
    return _POINT_SIZE.sub(lambda m: f"font-size:{float(m.group(1)) * ratio:.3g}pt", text)


def _scaled_font(font: QFont, ratio: float) -> QFont:
    """font with its point (or pixel) size times ratio."""
    result = QFont(font)
    if font.pointSizeF() > 0:
        result.setPointSizeF(font.pointSizeF() * ratio)
    elif font.pixelSize() > 0:
        result.setPixelSize(max(1, round(font.pixelSize() * ratio)))
    return result


def _rescale_widget(widget: QWidget, ratio: float) -> None:
    """Point sizes in the widget's style sheet and rich text, and its pyqtgraph items."""
    if "font-size" in widget.styleSheet():
        widget.setStyleSheet(_scaled_points(widget.styleSheet(), ratio))
    if isinstance(widget, QLabel) and "font-size" in widget.text():
        widget.setText(_scaled_points(widget.text(), ratio))
    if isinstance(widget, QGraphicsView) and widget.scene() is not None:
        for item in widget.scene().items():
            _rescale_graphics_item(item, ratio)


def _rescale_graphics_item(item, ratio: float) -> None:
    if isinstance(item, pg.TextItem):
        item.setScale(item.scale() * ratio)  # keeps holding when its text is set again
    elif isinstance(item, pg.LabelItem):
        size = item.opts.get("size")
        if size and size.endswith("pt"):
            item.opts["size"] = f"{float(size[:-2]) * ratio:.3g}pt"
        item.setText(_scaled_points(item.text, ratio))
    elif isinstance(item, pg.AxisItem):
        font = item.style.get("tickFont")
        item.setStyle(tickFont=theme.font(theme.BASE_POINT_SIZE) if font is None  # app font
                      else _scaled_font(font, ratio))
        label_size = item.labelStyle.get("font-size")
        if label_size and label_size.endswith("pt"):
            item.labelStyle["font-size"] = f"{float(label_size[:-2]) * ratio:.3g}pt"
            item._updateLabel()

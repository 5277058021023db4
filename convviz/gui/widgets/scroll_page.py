"""A column that scrolls when the screen is too small for it, instead of squeezing.

A page in a QScrollArea whose layout has a height for its width (any word-wrapped label
gives it one) is sized by its *preferred* height, far taller than the screen, so the page
always scrolled and its stretchable parts (grids, plots) grew tall. This page says it has no
height for width: it gets the room on screen, and scrolls only below its minimum height.
Word-wrapped labels in it should be `WrappingLabel`s, whose height is fixed to the height
their lines need, so the minimum holds every line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class _Page(QWidget):
    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return False


def scroll_page(content: QWidget, horizontal: bool = True) -> QScrollArea:
    """A frameless scroll area showing `content` at the size on screen (at least its minimum)."""
    page = _Page()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(content)
    holder = QWidget()  # the scroll area asks its widget's layout, which asks the page
    holder_layout = QVBoxLayout(holder)
    holder_layout.setContentsMargins(0, 0, 0, 0)
    holder_layout.addWidget(page)
    scroll = QScrollArea()
    scroll.setWidget(holder)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    if not horizontal:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll

"""A QTabWidget that needs only the room of the page on show.

QTabWidget asks for the minimum size of its largest page, so in a scroll area (the main
window's tabs beside the Lessons panel) a narrow tab scrolled as far as the widest one.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QTabWidget, QWidget

FRAME = 8
"""Room for the tab widget's frame around a page."""


class CurrentPageTabs(QTabWidget):
    """Tabs whose minimum width and height are those of the current page (and the bar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _: self.updateGeometry())

    def all_pages_minimum(self) -> QSize:
        """What a QTabWidget asks for: the room of its largest page."""
        return super().minimumSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        needed = page.minimumSizeHint().expandedTo(page.minimumSize())
        bar = self.tabBar().minimumSizeHint()
        return QSize(max(needed.width() + FRAME, bar.width()),
                     needed.height() + bar.height() + FRAME)

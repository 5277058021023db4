"""A highlight that frames one widget of the window and follows it.

The overlay is a transparent child of the window's central widget, above the tabs, that
lets every click through. It dims the rest of the tabs a little and outlines the target;
it moves with the target when the window is resized, a splitter moves or the tab changes,
and hides while the target is not on show.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QScrollArea, QStackedWidget, QTabWidget, QWidget

from convviz.gui.widgets import theme

MARGIN = 4
PEN_WIDTH = 4
DIM = QColor(20, 30, 50, 55)
_FOLLOW_EVENTS = (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show, QEvent.Type.Hide,
                  QEvent.Type.LayoutRequest)


class HighlightOverlay(QWidget):
    """Outlines ``target`` (a widget inside ``area``) while it is visible."""

    def __init__(self, area: QWidget) -> None:
        super().__init__(area)
        self.area = area
        self.target: QWidget | None = None
        self.frame = QRect()
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self._reveal)
        area.installEventFilter(self)
        self.hide()

    def track(self, target: QWidget | None) -> None:
        """Outline ``target`` from now on (None: no highlight)."""
        if self.target is not None:
            self.target.removeEventFilter(self)
            self.target.destroyed.disconnect(self._on_target_destroyed)
        self.target = target
        if target is not None:
            target.installEventFilter(self)
            target.destroyed.connect(self._on_target_destroyed)
            _bring_forward(target)
            self._reveal()
            self._later.start()  # again once the step's layout has settled
        self.follow()

    def _reveal(self) -> None:
        """Scroll every scroll area around the target so that it is in view."""
        target = self.target
        if target is None:
            return
        child, parent = target, target.parentWidget()
        while parent is not None and parent is not self.area:
            if isinstance(parent, QScrollArea) and parent.widget() is not None:
                parent.ensureWidgetVisible(child, 0, 0)
                child = parent
            parent = parent.parentWidget()
        self.follow()

    def _on_target_destroyed(self) -> None:
        self.target = None
        self.follow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _FOLLOW_EVENTS:
            self.follow()
            self._later.start()  # in view again once the layouts have settled
        return False

    def follow(self) -> None:
        """Put the frame on the target's visible part, or hide when it is not on show."""
        target = self.target
        frame = QRect()
        if target is not None and target.isVisible() and self.area.isVisible():
            frame = _visible_rect(target, self.area)
        if frame.isEmpty():
            self.frame = QRect()
            self.hide()
            return
        self.frame = frame.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN) \
            .intersected(self.area.rect().adjusted(1, 1, -1, -1))
        self.setGeometry(self.area.rect())
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.frame.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outside = QPainterPath()
        outside.addRect(self.rect().toRectF())
        hole = QPainterPath()
        hole.addRoundedRect(self.frame.toRectF(), 8, 8)
        painter.fillPath(outside.subtracted(hole), DIM)
        painter.setPen(QPen(QColor(theme.ACCENT), PEN_WIDTH))
        painter.drawRoundedRect(self.frame.toRectF(), 8, 8)
        painter.end()


def _bring_forward(widget: QWidget) -> None:
    """Show the tab page ``widget`` sits on, in every tab widget around it (once, when a step
    starts: the reader may switch away from it afterwards)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        tabs = parent.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(tabs, QTabWidget):
            tabs.setCurrentWidget(child)
        child, parent = parent, tabs


def _visible_rect(widget: QWidget, area: QWidget) -> QRect:
    """The part of ``widget`` its ancestors (scroll areas, splitters) leave on show, in
    ``area``'s coordinates."""
    rect = QRect(widget.mapTo(area, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not area:
        rect = rect.intersected(QRect(parent.mapTo(area, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(area.rect())

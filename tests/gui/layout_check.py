"""What a person would call a broken layout, found from widget geometry alone.

`layout_problems(window)` walks every visible widget under `window` and returns one sentence
per problem:

- a widget that leaves its parent (so it is cut off, or leaves the window),
- two visible siblings whose rectangles overlap (one is drawn over the other),
- a button, label, combo or spin box smaller than the size its text needs (text cut),
- a table whose rows are hidden though it cannot scroll, or whose numbers are cut,
- the window itself bigger than asked for (it grew past the screen by itself),
- in a pyqtgraph view, a text (a layer name, a map title) that overlaps another text or is
  cut by the edge of the view.

Widgets inside a scroll area's viewport may extend past it the ways it scrolls (that is what
scrolling is for; a direction whose scroll bar is turned off clips), and
pages of a stacked widget that are not on show are skipped, because Qt hides them.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QLabel,
    QMenu,
    QTableView,
    QWidget,
)

_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
TOLERANCE = 1
"""Pixels of slack: Qt's frames may touch (share an edge) without overlapping."""


def describe(widget: QWidget) -> str:
    """A name for a widget in a problem sentence: its class, object name and text if any."""
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(f"#{widget.objectName()}")
    text = getattr(widget, "text", None)
    if callable(text) and isinstance(widget, QAbstractButton | QLabel):
        shown = text().strip().replace("\n", " ")
        if shown:
            parts.append(repr(shown[:40]))
    parent = widget.parentWidget()
    while parent is not None and not parent.objectName():
        parent = parent.parentWidget()
    if parent is not None:
        parts.append(f"in #{parent.objectName()}")
    return " ".join(parts)


def _shrunk(rect: QRect) -> QRect:
    return rect.adjusted(TOLERANCE, TOLERANCE, -TOLERANCE, -TOLERANCE)


def _visible_children(widget: QWidget) -> list[QWidget]:
    return [child for child in widget.findChildren(QWidget, options=_DIRECT)
            if child.isVisible() and not child.isWindow() and not isinstance(child, QMenu)]


def _scrolling_directions(widget: QWidget) -> tuple[bool, bool]:
    """(horizontally, vertically): the ways a scroll area's viewport scrolls its content,
    which may be larger than the viewport that way (a scroll bar turned off clips)."""
    parent = widget.parentWidget()
    if not isinstance(parent, QAbstractScrollArea) or parent.viewport() is not widget:
        return False, False
    off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    return (parent.horizontalScrollBarPolicy() != off,
            parent.verticalScrollBarPolicy() != off)


def _leaves(inside: QRect, rect: QRect, scrolls: tuple[bool, bool]) -> bool:
    rect = _shrunk(rect)
    across = rect.left() < inside.left() or rect.right() > inside.right()
    down = rect.top() < inside.top() or rect.bottom() > inside.bottom()
    return (across and not scrolls[0]) or (down and not scrolls[1])


def _text_is_cut(widget: QWidget) -> str | None:
    """Why widget's text does not fit in it, or None."""
    size = widget.size()
    if isinstance(widget, QLabel):
        if not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
            return None
        if widget.wordWrap():
            needed = widget.heightForWidth(size.width())
            return (f"{describe(widget)} needs {needed} px of height at width {size.width()},"
                    f" has {size.height()}") if needed > size.height() + TOLERANCE else None
        hint = widget.minimumSizeHint()
    elif isinstance(widget, QAbstractButton | QComboBox | QAbstractSpinBox):
        hint = widget.minimumSizeHint()
    else:
        return None
    if hint.width() > size.width() + TOLERANCE or hint.height() > size.height() + TOLERANCE:
        return (f"{describe(widget)} needs {hint.width()}x{hint.height()},"
                f" has {size.width()}x{size.height()}")
    return None


def layout_problems(window: QWidget, expected_size: tuple[int, int] | None = None) -> list[str]:
    """Every overlap, clipped or cut widget under window (see the module docstring)."""
    problems: list[str] = []
    if expected_size is not None and (window.width(), window.height()) != expected_size:
        problems.append(f"the window is {window.width()}x{window.height()},"
                        f" not the {expected_size[0]}x{expected_size[1]} asked for")
    pending = [window]
    while pending:
        parent = pending.pop()
        children = _visible_children(parent)
        inside = QRect(0, 0, parent.width(), parent.height())
        scrolls = _scrolling_directions(parent)
        for index, child in enumerate(children):
            rect = child.geometry()
            if _leaves(inside, rect, scrolls):
                problems.append(f"{describe(child)} at {_rect_text(rect)} leaves its parent"
                                f" {describe(parent)} of {parent.width()}x{parent.height()}")
            for other in children[index + 1:]:
                if _shrunk(rect).intersects(_shrunk(other.geometry())):
                    problems.append(f"{describe(child)} at {_rect_text(rect)} overlaps"
                                    f" {describe(other)} at {_rect_text(other.geometry())}")
            cut = _text_is_cut(child)
            if cut:
                problems.append(cut)
            if isinstance(child, QGraphicsView):
                problems.extend(graphics_text_problems(child))
            if isinstance(child, QTableView):
                problems.extend(table_problems(child))
        pending.extend(children)
    return problems


def _rect_text(rect: QRect) -> str:
    return f"({rect.x()},{rect.y()} {rect.width()}x{rect.height()})"



def _text_rects(view: QGraphicsView) -> list[tuple[str, QRect]]:
    """(text, rectangle in view pixels) of every visible non-empty text item in the scene."""
    found = []
    for item in view.scene().items():
        if isinstance(item, pg.TextItem):
            text_item = item.textItem
        elif isinstance(item, pg.LabelItem):
            text_item = item.item
        else:
            continue
        text = text_item.toPlainText().strip()
        if not text or not item.isVisible() or not text_item.isVisible():
            continue
        margin = text_item.document().documentMargin()  # blank space around the glyphs
        box = text_item.sceneBoundingRect().adjusted(margin, margin, -margin, -margin)
        rect = view.mapFromScene(box).boundingRect()
        found.append((text.replace("\n", " ")[:40], rect))
    return found


def graphics_text_problems(view: QGraphicsView) -> list[str]:
    """Texts in a pyqtgraph view that overlap each other or are cut by the view's edge."""
    problems = []
    texts = _text_rects(view)
    inside = view.viewport().rect()
    name = describe(view)
    for index, (text, rect) in enumerate(texts):
        if not inside.contains(_shrunk(rect)):
            problems.append(f"text {text!r} at {_rect_text(rect)} is cut by the edge of {name}"
                            f" ({inside.width()}x{inside.height()})")
        for other, other_rect in texts[index + 1:]:
            if _shrunk(rect).intersects(_shrunk(other_rect)):
                problems.append(f"text {text!r} at {_rect_text(rect)} overlaps {other!r} at"
                                f" {_rect_text(other_rect)} in {name}")
    return problems


def table_problems(table: QTableView) -> list[str]:
    """Rows hidden although the table cannot scroll to them, and numbers cut in their cells."""
    problems = []
    model = table.model()
    if model is None or not model.rowCount():
        return problems
    rows_height = sum(table.rowHeight(r) for r in range(model.rowCount()))
    room = table.viewport().height()
    if not table.verticalScrollBar().isVisible() and rows_height > room + TOLERANCE:
        problems.append(f"{describe(table)} shows {room} px of its {rows_height} px of rows")
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            text = str(model.index(row, col).data() or "")
            if metrics.horizontalAdvance(text) + 6 > table.columnWidth(col):
                problems.append(f"{describe(table)} cell ({row}, {col}) {text!r} is cut")
    return problems

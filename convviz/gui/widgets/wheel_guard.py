"""The mouse wheel edits only the field that has the focus; otherwise it scrolls.

Qt lets the wheel change any spin box, combo box or slider that happens to pass under the
pointer, so scrolling a control panel quietly changes settings (a kernel size 3 becomes 1).
`guard_wheel(root)` gives every such control under `root` click-or-Tab focus only, and hands
a wheel turned over an unfocused one on to the scroll area around it, which scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():
            return False
        area = watched.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:  # Qt does not pass a wheel on by itself once it is filtered
            QApplication.sendEvent(area.viewport(), event)
        return True


def guard_wheel(root: QWidget) -> None:
    """Guard every spin box, combo box and slider under `root` (call once it is built)."""
    guard = root.findChild(_WheelGuard)
    if guard is None:
        guard = _WheelGuard(root)
    for kind in GUARDED:
        for widget in root.findChildren(kind):
            if isinstance(widget, QScrollBar):
                continue  # a scroll bar's wheel scrolls
            if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(guard)

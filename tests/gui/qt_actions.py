"""How GUI tests act like a person: strokes on the Draw canvas, hovering, dropping, showing.

Shared by the GUI test modules (tests/gui is on pytest's path); test modules never import
each other.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from convviz.core.drawing.canvas import digit_strokes
from convviz.gui import workers
from convviz.gui.main_window import MainWindow

WARM_UP_MS = 180_000  # a cold Numba cache (fresh clone) compiles the kernels first


def shown(qtbot, widget: QWidget, width: int, height: int) -> QWidget:
    """Register `widget` with qtbot, give it a size and wait until it is on screen.

    Before qtbot closes it, its worker threads finish (in the app the main window waits)."""
    qtbot.addWidget(widget, before_close_func=workers.wait_for_workers)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def canvas_pos(window: MainWindow, x: float, y: float) -> QPoint:
    view = window.draw_tab.canvas_view
    return view.mapFromScene(view.image_item.mapToScene(QPointF(x, y)))


def press_and_drag(qtbot, window: MainWindow, points) -> None:
    viewport = window.draw_tab.canvas_view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=canvas_pos(window, *points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(viewport, canvas_pos(window, x, y))


def draw_stroke(qtbot, window: MainWindow, points) -> None:
    press_and_drag(qtbot, window, points)
    qtbot.mouseRelease(window.draw_tab.canvas_view.viewport(), Qt.MouseButton.LeftButton,
                       pos=canvas_pos(window, *points[-1]))


def draw_digit(qtbot, window: MainWindow, digit: int = 3) -> None:
    for stroke in digit_strokes(digit, (140.0, 140.0), 200.0):
        draw_stroke(qtbot, window, stroke)


def hover(widget, pos: QPoint) -> None:
    """Move the mouse over widget with no button pressed (QTest only moves the cursor)."""
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(widget.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drop(window: MainWindow, mime: QMimeData) -> None:
    point = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)


def choose(qtbot, combo, text: str) -> None:
    """Pick the combo box entry starting with `text` with the arrow keys, from the top."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText().startswith(text):
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"no entry starts with {text!r}")


def type_into(qtbot, box, text: str) -> None:
    """Select a spin box's text and type over it, one key at a time."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)


def click(qtbot, button) -> None:
    """Click an enabled button with the left mouse button."""
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_menu(qtbot, window, menu: QMenu) -> None:
    """Click a menu's title in the menu bar, as a person opens it."""
    bar = window.menuBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible)


def click_item(qtbot, menu: QMenu, action) -> None:
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def choose_language(qtbot, window, name: str) -> None:
    """View > Language > `name`, with the mouse."""
    open_menu(qtbot, window, window.view_menu)
    click_item(qtbot, window.view_menu, window.language_menu.menuAction())
    qtbot.waitUntil(window.language_menu.isVisible)
    action = next(a for a in window.language_menu.actions() if a.text() == name)
    click_item(qtbot, window.language_menu, action)
    qtbot.waitUntil(lambda: action.isChecked() and not window.view_menu.isVisible())
    QApplication.processEvents()  # Qt posts LanguageChange to every widget: deliver them

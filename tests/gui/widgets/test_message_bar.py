"""The one message bar: levels, fading information, dismissing, clearing."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget
from qt_actions import shown

from convviz.gui.widgets import theme
from convviz.gui.widgets.message_bar import MessageBar, MessageLevel


def in_window(qtbot, bar: MessageBar) -> QWidget:
    """The bar in a shown window, as in the app (hidden until it has something to say)."""
    window = QWidget()
    QVBoxLayout(window).addWidget(bar)
    return shown(qtbot, window, 400, 80)


def test_information_fades_problems_stay_until_dismissed(qtbot):
    bar = MessageBar(info_seconds=0.05)
    window = in_window(qtbot, bar)
    assert bar.isHidden()
    bar.show_message("Loaded 'seven.png'.")
    assert bar.isVisible() and bar.level is MessageLevel.INFO
    assert bar.text() == "Loaded 'seven.png'."
    qtbot.waitUntil(bar.isHidden, timeout=2000)
    bar.show_message("The picture could not be read.", MessageLevel.ERROR)
    assert theme.ERROR_COLOURS[0] in bar.styleSheet()
    qtbot.wait(150)
    assert bar.isVisible() and bar.level is MessageLevel.ERROR
    qtbot.mouseClick(bar.findChild(QToolButton), Qt.MouseButton.LeftButton)
    assert bar.isHidden() and window.isVisible()


def test_a_bar_without_close_button_is_cleared_by_its_owner(qtbot):
    bar = MessageBar(closable=False)
    window = in_window(qtbot, bar)
    assert window.isVisible() and bar.isHidden() and bar.findChild(QToolButton) is None
    bar.show_message("MNIST is missing.", MessageLevel.WARNING)
    qtbot.wait(50)
    assert bar.isVisible() and bar.level is MessageLevel.WARNING
    bar.clear()
    assert bar.isHidden() and bar.text() == ""

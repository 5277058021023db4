"""The Help menu: every shortcut listed, a guide to the tab on show, About with licences, and
a tooltip in plain words on every control of every tab."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QScrollBar,
    QSlider,
    QTabBar,
    QWidget,
)

from convviz.gui import help_dialogs

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QSlider, QLineEdit)


def visible_controls(tab: QWidget) -> list[QWidget]:
    """The controls a person can use on a tab (not the parts Qt builds inside them: a spin
    box's text field, scroll bars, tab bar arrows, a table's corner button)."""
    found = []
    for widget in tab.findChildren(QWidget):
        parent = widget.parentWidget()
        if not isinstance(widget, CONTROLS) or not widget.isVisible():
            continue
        if isinstance(widget, QScrollBar) or isinstance(parent, QScrollBar | QTabBar):
            continue
        if isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
            continue
        if isinstance(parent, QAbstractItemView):
            continue
        found.append(widget)
    return found


def test_every_visible_control_has_a_tooltip(qtbot, window):
    missing = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        controls = visible_controls(window.tabs.currentWidget())
        assert len(controls) >= 3, window.tabs.tabText(index)
        missing += [f"{window.tabs.tabText(index)}: {type(c).__name__} "
                    f"{getattr(c, 'text', lambda: '')()!r}" for c in controls
                    if not c.toolTip().strip()]
    assert not missing, "\n".join(missing)


def test_the_shortcuts_dialog_lists_every_action_with_keys(qtbot, window):
    window.shortcuts_action.trigger()
    dialog = window.help_dialog
    assert dialog.isVisible()
    table = dialog.table
    listed = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    for action in window.findChildren(QAction):
        if action.shortcuts():
            name = action.text().replace("&", "").rstrip("…")
            assert any(what == name for _, what in listed), name
    assert ("Space", "Play or pause the walk (Stepper tab)") in listed
    assert any(what.startswith("Presenter mode") for _, what in listed)


@pytest.mark.parametrize("tab", ["Draw", "Stepper", "Image inspection", "Train"])
def test_what_am_i_looking_at_explains_the_tab_on_show(qtbot, window, tab):
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == tab)
    window.tabs.setCurrentIndex(index)
    QApplication.processEvents()
    window.guide_action.trigger()
    dialog = window.help_dialog
    guide = help_dialogs.GUIDES[tab]
    assert dialog.sentences.text() == guide.sentences
    assert not dialog.picture.pixmap().isNull()
    assert dialog.picture.pixmap().width() <= help_dialogs.PICTURE_WIDTH
    for number, (attribute, caption) in enumerate(guide.parts, start=1):
        assert isinstance(getattr(window.tabs.currentWidget(), attribute), QWidget), attribute
        assert f"{number}</b> &nbsp;{caption}" in dialog.legend.text()


def test_the_labelled_picture_marks_each_part(qtbot, window):
    guide = help_dialogs.GUIDES["Draw"]
    tab = window.draw_tab
    plain = tab.grab().toImage()
    marked = help_dialogs.labelled_picture(tab, guide).toImage()
    scale = marked.width() / plain.width()
    corner = tab.canvas_panel.mapTo(tab, tab.canvas_panel.rect().topRight())
    x, y = round(corner.x() * scale) - 4 - 13, round(corner.y() * scale) + 4 + 4
    assert marked.pixelColor(x, y).name() == "#e8590c", "the numbered marker's disc"


def test_about_gives_the_version_and_the_bundled_licences(qtbot, window):
    window.about_action.trigger()
    text = window.help_dialog.text.text()
    assert f"convviz {help_dialogs.version('convviz')}" in text
    for name, _, licence in help_dialogs.BUNDLED_LIBRARIES:
        assert name in text and licence in text
        assert help_dialogs.version(name) != "not installed", name

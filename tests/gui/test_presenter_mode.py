"""Presenter mode: one action and Ctrl+= / Ctrl+- / Ctrl+0 scale every text, remembered.

Settings live in the test's temporary folder (conftest's settings_in_tmp_path and an INI file
under tmp_path), never in the user's real settings.
"""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from convviz.gui.widgets import text_scale, theme


@pytest.fixture(autouse=True)
def normal_scale_afterwards(qapp):
    """The app's own font and style (theme.apply), and 100 % again after each test."""
    font, style = qapp.font(), qapp.style().name()
    theme.apply(qapp)
    yield
    qapp.setStyle(style)
    theme.set_text_scale(1.0)
    qapp.setFont(font)


def sizes(window) -> dict[str, float]:
    """Point sizes of a panel title (a font set on it), the app font, a button and a label
    that take the app's font, a pyqtgraph text item (its size times its scale) and a plot
    axis's tick font."""
    title = window.draw_tab.canvas_panel.title_label
    items = window.draw_tab.activation_view.scene().items()
    text_item = next(item for item in items if isinstance(item, pg.TextItem))
    plot = window.train_tab.plots.findChildren(pg.GraphicsView)[0]
    axis = next(item for item in plot.scene().items() if isinstance(item, pg.AxisItem))
    tick_font = axis.style["tickFont"] or QApplication.font()
    return {"title": title.font().pointSizeF(), "app": QApplication.font().pointSizeF(),
            "button": window.draw_tab.pen_button.font().pointSizeF(),
            "subtitle": window.draw_tab.canvas_panel.subtitle_label.font().pointSizeF(),
            "text item": text_item.scale() * text_item.textItem.font().pointSizeF(),
            "axis": tick_font.pointSizeF()}


def test_presenter_action_scales_every_text_by_half(qtbot, window):
    before = sizes(window)
    window.presenter_action.trigger()
    assert window.text_scale == 1.5 and window.presenter_action.isChecked()
    after = sizes(window)
    for name in before:
        assert after[name] == pytest.approx(1.5 * before[name], rel=0.02), name
    window.presenter_action.trigger()
    assert window.text_scale == 1.0 and not window.presenter_action.isChecked()
    assert sizes(window) == pytest.approx(before, rel=0.02)


def test_browser_keys_step_the_scale_and_ctrl_0_resets(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale == 1.1
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale == 1.25
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale == 1.1
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale == 1.0
    for _ in range(5):
        qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale == text_scale.TEXT_SCALES[0]


def test_the_scale_is_remembered_across_restarts(qtbot, make_window, tmp_path):
    path = str(tmp_path / "remembered.ini")
    first = make_window(warm=False, settings=QSettings(path, QSettings.Format.IniFormat))
    first.presenter_action.trigger()
    first.save_settings()
    first.close()
    theme.set_text_scale(1.0)  # as in a new process
    second = make_window(warm=False, settings=QSettings(path, QSettings.Format.IniFormat))
    assert second.text_scale == 1.5 and second.presenter_action.isChecked()
    assert second.draw_tab.canvas_panel.title_label.font().pointSizeF() == pytest.approx(
        1.5 * theme.TITLE_POINT_SIZE)


def test_a_broken_saved_scale_falls_back_to_normal(qtbot, make_window, tmp_path):
    settings = QSettings(str(tmp_path / "broken.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/text_scale", "enormous")
    assert make_window(warm=False, settings=settings).text_scale == 1.0


def test_steps_stay_within_the_range():
    assert text_scale.next_scale(1.0, 1) == 1.1
    assert text_scale.next_scale(2.0, 1) == 2.0
    assert text_scale.next_scale(0.8, -1) == 0.8
    assert text_scale.clamp_scale(9) == 2.0

"""The Draw tab's "Why this prediction?" view, driven as a person would: draw, open the tab,
pick a class, ask for the random-weights comparison."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from qt_actions import draw_digit, draw_stroke

from convviz.core.attribution import METHODS, explain

MAPS_MS = 20_000
UPDATE_WAIT_MS = 300


def open_why_tab(qtbot, window):
    tabs = window.draw_tab.details_tabs
    index = window.draw_tab.detail_index(window.draw_tab.why_view)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
    return window.draw_tab.why_view


def wait_for_maps(qtbot, view):
    qtbot.waitUntil(lambda: view.explanation is not None and not view.busy, timeout=MAPS_MS)


def expected(window, class_index, randomised=False):
    model = window.session.model.clone()
    return explain(model, window.session.digit.pixels[:, :, None], class_index,
                   randomised=randomised)


def test_the_maps_explain_the_prediction_of_the_digit_drawn(qtbot, window):
    draw_digit(qtbot, window, 3)
    view = open_why_tab(qtbot, window)
    wait_for_maps(qtbot, view)
    predicted = int(np.argmax(window.session.probabilities))
    truth = expected(window, predicted)
    assert view.explanation.class_index == predicted
    for name in METHODS:
        np.testing.assert_array_equal(view.explanation.maps[name], truth.maps[name])
        np.testing.assert_array_equal(view.panels[name].map.image, truth.maps[name])
    np.testing.assert_array_equal(view.panels["saliency"].digit.image,
                                  window.session.digit.pixels)
    assert view.question_label.text().startswith(f"Why {predicted}?")
    assert "Red speaks for" in view.legend_label.text()
    assert f"{100 * truth.probability:.1f} %" in view.question_label.text()
    assert "at C3" in view.panels["grad-cam"].title.text


def test_why_not_another_class(qtbot, window):
    draw_digit(qtbot, window, 3)
    view = open_why_tab(qtbot, window)
    wait_for_maps(qtbot, view)
    predicted = int(np.argmax(window.session.probabilities))
    other = 8 if predicted != 8 else 5
    view.class_box.setFocus()
    for _ in range(other + 1):          # "the prediction", then 0, 1, ...
        qtbot.keyClick(view.class_box, Qt.Key.Key_Down)
    assert view.class_box.currentText() == str(other)
    qtbot.waitUntil(lambda: view.explanation.class_index == other and not view.busy,
                    timeout=MAPS_MS)
    assert view.question_label.text().startswith(f"Why not {other}?")
    np.testing.assert_array_equal(view.explanation.maps["occlusion"],
                                  expected(window, other).maps["occlusion"])


def test_the_random_weights_comparison_shows_the_sanity_check(qtbot, window):
    draw_digit(qtbot, window, 7)
    view = open_why_tab(qtbot, window)
    wait_for_maps(qtbot, view)
    assert not view.random_panels["saliency"].view_box.isVisible()
    qtbot.mouseClick(view.random_box, Qt.MouseButton.LeftButton,
                     pos=view.random_box.rect().center())
    assert view.random_box.isChecked()
    qtbot.waitUntil(lambda: view.explanation.similarities is not None and not view.busy,
                    timeout=MAPS_MS)
    assert view.random_panels["saliency"].view_box.isVisible()
    truth = expected(window, view.explanation.class_index, randomised=True)
    for name in METHODS:
        assert view.explanation.similarities[name] == truth.similarities[name]
        np.testing.assert_array_equal(view.random_panels[name].map.image,
                                      truth.randomised_maps[name])
        assert f"{truth.similarities[name]:+.2f}" in view.random_panels[name].scale.text
    assert "rank correlation" in view.sanity_label.text()


def test_nothing_is_computed_while_the_view_is_hidden(qtbot, window):
    draw_digit(qtbot, window, 1)
    view = open_why_tab(qtbot, window)
    wait_for_maps(qtbot, view)
    shown = view.explanation
    tabs = window.draw_tab.details_tabs
    tabs.setCurrentIndex(window.draw_tab.detail_index(window.draw_tab.layer_table))
    draw_stroke(qtbot, window, [(60.0, 60.0), (200.0, 200.0)])
    qtbot.wait(300)
    assert view.explanation is shown and not view.busy
    tabs.setCurrentIndex(window.draw_tab.detail_index(view))
    qtbot.waitUntil(lambda: view.explanation is not shown and not view.busy, timeout=MAPS_MS)
    np.testing.assert_array_equal(
        view.explanation.maps["saliency"],
        expected(window, view.explanation.class_index).maps["saliency"])


def test_a_blank_canvas_gets_no_maps_only_a_request_to_draw(qtbot, window):
    view = open_why_tab(qtbot, window)
    qtbot.wait(UPDATE_WAIT_MS)                # a request, had one been made, would be sent
    assert not view.busy and view.explanation is None
    assert view.question_label.text() == "Draw a digit first"
    assert all(panel.values is None and panel.map.image is None
               for panel in view.panels.values())
    draw_digit(qtbot, window, 3)
    wait_for_maps(qtbot, view)
    assert view.panels["saliency"].map.image is not None
    clear = next(button for button in window.draw_tab.findChildren(QToolButton)
                 if button.defaultAction() is window.draw_tab.clear_action)
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert window.session.digit.is_blank
    qtbot.wait(UPDATE_WAIT_MS)
    qtbot.waitUntil(lambda: not view.busy, timeout=MAPS_MS)
    assert view.explanation is None and view.question_label.text() == "Draw a digit first"
    assert all(panel.values is None and panel.map.image is None
               for panel in view.panels.values())
    assert view.legend_label.text() == ""

"""The tabs work together: the stepper walks the current drawing and activations, the learned
kernels follow the model, and pictures go to the image inspector while it is on show."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from qt_actions import draw_digit, drop

from convviz.gui.tab_feeds import ACTIVATIONS, DRAWING

LOAD_MS = 60_000


def stepper_values(window, name: str) -> np.ndarray:
    return window.stepper_tab.controls._sources[name].values


def drop_file(window, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop(window, mime)


def test_stepper_walks_the_current_drawing_and_activations(qtbot, window):
    window.tabs.setCurrentWidget(window.stepper_tab)
    blank = stepper_values(window, DRAWING).copy()
    window.tabs.setCurrentWidget(window.draw_tab)
    draw_digit(qtbot, window, 3)
    qtbot.waitUntil(lambda: window.session.digit.pixels.max() > 0.5)
    window.tabs.setCurrentWidget(window.stepper_tab)
    drawing = stepper_values(window, DRAWING)
    np.testing.assert_array_equal(drawing[:, :, 0], window.session.digit.pixels)
    assert not np.array_equal(drawing, blank)
    c1 = window.session.activations[0]
    np.testing.assert_array_equal(stepper_values(window, ACTIVATIONS.format("C1")), c1)


def test_hidden_stepper_is_not_redrawn_while_drawing(qtbot, window):
    window.tabs.setCurrentWidget(window.stepper_tab)
    before = stepper_values(window, DRAWING).copy()
    window.tabs.setCurrentWidget(window.draw_tab)
    draw_digit(qtbot, window, 3)
    qtbot.waitUntil(lambda: window.session.digit.pixels.max() > 0.5)
    np.testing.assert_array_equal(stepper_values(window, DRAWING), before)


def test_learned_kernels_follow_the_model(qtbot, window):
    window.tabs.setCurrentWidget(window.stepper_tab)
    controls = window.stepper_tab.controls
    kernel = window.session.model.layers[0].params["kernel"]
    np.testing.assert_array_equal(controls._learned["C1 #2"], kernel[:, :, :, 2])
    weights = [w * 2 for w in window.session.model.get_weights()]
    window.session.set_weights(weights)
    np.testing.assert_array_equal(controls._learned["C1 #2"], weights[0][:, :, :, 2])


def test_a_drop_goes_to_the_inspector_while_it_is_on_show(qtbot, window, tmp_path):
    path = tmp_path / "stripes.png"
    pixels = np.zeros((40, 60, 3), np.uint8)
    pixels[:, ::4] = 255
    Image.fromarray(pixels).save(path)
    drawing_before = window.session.digit.pixels.copy()
    window.tabs.setCurrentWidget(window.inspector_tab)
    with qtbot.waitSignal(window.inspector_tab.image_loaded, timeout=LOAD_MS):
        drop_file(window, path)
    assert window.inspector_tab.image.shape == (40, 60)
    assert window.tabs.currentWidget() is window.inspector_tab
    np.testing.assert_array_equal(window.session.digit.pixels, drawing_before)


def test_paste_goes_to_the_inspector_while_it_is_on_show(qtbot, window):
    image = QImage(30, 20, QImage.Format.Format_RGB888)
    image.fill(0x808080)
    QApplication.clipboard().setImage(image)  # (a QMimeData handed over crashed Qt at exit)
    drawing_before = window.session.digit.pixels.copy()
    window.tabs.setCurrentWidget(window.inspector_tab)
    with qtbot.waitSignal(window.inspector_tab.image_loaded, timeout=LOAD_MS):
        window.paste_action.trigger()
    assert window.inspector_tab.image.shape == (20, 30)
    np.testing.assert_array_equal(window.session.digit.pixels, drawing_before)

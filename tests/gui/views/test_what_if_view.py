"""The Draw tab's "What if…?" view, driven by clicks: switch filters off, edit a kernel,
shift and sweep the input, change the temperature, read the test accuracy, and Reset."""

import numpy as np
from fake_data import synthetic_digits, write_mnist
from PySide6.QtCore import Qt
from qt_actions import draw_digit, draw_stroke

from convviz.core.experiments import SHIFTS, shift_image, shift_sweep, softmax_with_temperature
from convviz.core.training.evaluation import evaluate

ACCURACY_MS = 60_000


def open_what_if(qtbot, window):
    tabs = window.draw_tab.details_tabs
    view = window.draw_tab.what_if_view
    bar = tabs.tabBar()
    index = window.draw_tab.detail_index(view)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == window.draw_tab.detail_index(view)
    return view


def click_map(qtbot, view, layer_name, index):
    qtbot.wait(20)    # the layout settles (texts changed by the last click), as before a person
    layer, _, grid = next(g for g in view.grids if g[0].name == layer_name)
    point = view.maps.mapFromScene(grid.scene_point(index, 2, 2))
    qtbot.mouseClick(view.maps.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_switching_a_filter_off_changes_everything_and_reset_restores_it_exactly(qtbot, window):
    draw_digit(qtbot, window, 5)
    session = window.session
    trained = [w.copy() for w in session.model.get_weights()]
    before_maps = [a.copy() for a in session.activations]
    before = session.probabilities.copy()
    view = open_what_if(qtbot, window)
    assert view.grids and [g[0].name for g in view.grids] == ["C1", "C3"]
    click_map(qtbot, view, "C1", 2)
    assert view.what_if.switched_off == {("C1", 2)}
    assert not session.activations[0][..., 2].any()
    assert not np.array_equal(session.activations[2], before_maps[2])
    assert not np.array_equal(session.probabilities, before)
    assert "C1 #2" in view.status_label.text() and view.reset_button.isEnabled()
    click_map(qtbot, view, "C3", 7)
    assert not session.activations[2][..., 7].any()
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    for a, b in zip(trained, session.model.get_weights(), strict=True):
        assert a.tobytes() == b.tobytes()
    for a, b in zip(before_maps, session.activations, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(session.probabilities, before)
    assert not view.reset_button.isEnabled()


def test_clicking_a_switched_off_map_again_switches_it_on(qtbot, window):
    draw_digit(qtbot, window, 2)
    view = open_what_if(qtbot, window)
    click_map(qtbot, view, "C1", 0)
    click_map(qtbot, view, "C1", 0)
    assert not view.what_if.is_modified
    assert window.session.activations[0][..., 0].any()


def test_editing_a_first_layer_weight(qtbot, window):
    draw_digit(qtbot, window, 4)
    view = open_what_if(qtbot, window)
    view.kernel_combo.setCurrentIndex(3)
    view.kernel_table.edit_cell(1, 2, "2.5")
    assert window.session.model.layers[0].params["kernel"][1, 2, 0, 3] == 2.5
    assert view.what_if.edits == {("C1", 1, 2, 0, 3): 2.5}
    assert "1 kernel weight edited" in view.status_label.text()
    view.reset()
    assert window.session.model.layers[0].params["kernel"][1, 2, 0, 3] != 2.5


def test_shifting_moves_the_input_and_the_maps_with_it(qtbot, window):
    draw_digit(qtbot, window, 1)
    session = window.session
    base = session.digit.pixels.copy()
    maps = session.activations[0].copy()
    view = open_what_if(qtbot, window)
    for _ in range(2):
        qtbot.mouseClick(view.shift_buttons["▶"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.shift_buttons["▼"], Qt.MouseButton.LeftButton)
    assert view.shift == (1, 2)
    np.testing.assert_array_equal(session.digit.pixels, shift_image(base, 1, 2))
    assert not session.digit.is_blank
    # C1 is a stride-1 'same' convolution: its maps move with the input (away from the border)
    np.testing.assert_allclose(session.activations[0][4:24, 4:24],
                               shift_image(maps, 1, 2)[4:24, 4:24], atol=1e-5)
    assert "+2 px right, +1 px down" in view.shift_label.text()
    draw_stroke(qtbot, window, [(40.0, 40.0), (60.0, 60.0)])     # a new drawing: no shift
    assert view.shift == (0, 0)


def test_the_sweep_plots_13_points_per_class(qtbot, window):
    draw_digit(qtbot, window, 7)
    view = open_what_if(qtbot, window)
    qtbot.mouseClick(view.sweep_button, Qt.MouseButton.LeftButton)
    expected = shift_sweep(window.session.model, window.session.digit.pixels, "horizontal")
    for k, curve in enumerate(view.sweep_curves):
        xs, ys = curve.getData()
        assert list(xs) == list(SHIFTS) and len(ys) == 13
        np.testing.assert_allclose(ys, expected.probabilities[:, k], rtol=1e-6)


def test_the_temperature_reshapes_the_shown_probabilities(qtbot, window):
    draw_digit(qtbot, window, 3)
    view = open_what_if(qtbot, window)
    view.temperature_slider.setFocus()
    for _ in range(4):
        qtbot.keyClick(view.temperature_slider, Qt.Key.Key_Right)
    assert view.temperature == 2.0
    logits = window.session.model.forward(window.session.digit.pixels[None, :, :, None])[0]
    np.testing.assert_allclose(window.draw_tab.prediction_view.heights,
                               softmax_with_temperature(logits, 2.0), rtol=1e-5)
    assert "temperature 2" in view.status_label.text()
    view.reset()
    assert window.session.temperature == 1.0


def test_the_test_accuracy_follows_the_experiments(qtbot, make_window, tmp_path):
    images, labels = synthetic_digits(200, seed=1)
    write_mnist(tmp_path / "mnist", (images, labels), (images[:120], labels[:120]))
    window = make_window(data_dir=tmp_path / "mnist")
    qtbot.waitUntil(lambda: window.draw_tab.mnist is not None, timeout=10_000)
    view = open_what_if(qtbot, window)
    qtbot.waitUntil(lambda: view.accuracy is not None, timeout=ACCURACY_MS)
    assert "120 MNIST digits" in view.accuracy_label.text()
    click_map(qtbot, view, "C1", 1)
    model = window.session.model.clone()
    expected = evaluate(model, images[:120], labels[:120]).accuracy
    qtbot.waitUntil(lambda: view.accuracy == expected and not view._accuracy_worker.busy,
                    timeout=ACCURACY_MS)
    assert "trained:" in view.accuracy_label.text()

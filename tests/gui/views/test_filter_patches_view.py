"""The Draw tab's "What filters detect" view: the nine test digits that excite a filter most."""

import numpy as np
from fake_data import synthetic_digits, write_mnist
from PySide6.QtCore import Qt

from convviz.core.experiments import top_patches
from convviz.core.nn.presets import lenet5_classic, mlp_baseline
from convviz.core.nn.serialization import load_model, save_model
from convviz.core.training.data import images_to_float

PATCHES_MS = 60_000


def test_the_top_patches_of_the_chosen_filter_come_from_the_test_set(qtbot, make_window,
                                                                      tmp_path):
    images, labels = synthetic_digits(120, seed=3)
    write_mnist(tmp_path / "mnist", (images, labels), (images[:60], labels[:60]))
    window = make_window(data_dir=tmp_path / "mnist")
    qtbot.waitUntil(lambda: window.draw_tab.mnist is not None, timeout=10_000)
    tabs = window.draw_tab.details_tabs
    view = window.draw_tab.patches_view
    bar = tabs.tabBar()
    index = window.draw_tab.detail_index(view)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: view.result is not None and not view.busy, timeout=PATCHES_MS)
    assert view.filter_combo.currentText() == "C1 #0"
    view.filter_combo.setFocus()
    for _ in range(9):                       # C1 #0..5, then C3 #0, #1, #2, #3
        qtbot.keyClick(view.filter_combo, Qt.Key.Key_Down)
    assert view.filter_combo.currentText() == "C3 #3"
    qtbot.waitUntil(lambda: view.result.layer_name == "C3" and not view.busy,
                    timeout=PATCHES_MS)
    expected = top_patches(window.session.model.clone(), "C3", 3, images_to_float(images[:60]))
    np.testing.assert_array_equal(view.result.indices, expected.indices)
    np.testing.assert_array_equal(view.patch_grid.cell_image(0), expected.patches[0][..., 0])
    assert view.result.field == (14, 14)
    assert "9 of 60 test digits" in view.status_label.text()


def test_without_mnist_the_view_says_how_to_get_it(qtbot, window):
    view = window.draw_tab.patches_view
    window.draw_tab.show_detail(view)
    assert view.result is None and "Load MNIST" in view.status_label.text()


def open_patches(qtbot, make_window, tmp_path):
    images, labels = synthetic_digits(120, seed=3)
    write_mnist(tmp_path / "mnist", (images, labels), (images[:60], labels[:60]))
    window = make_window(data_dir=tmp_path / "mnist")
    qtbot.waitUntil(lambda: window.draw_tab.mnist is not None, timeout=10_000)
    tabs = window.draw_tab.details_tabs
    view = window.draw_tab.patches_view
    bar = tabs.tabBar()
    index = window.draw_tab.detail_index(view)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: view.result is not None and not view.busy, timeout=PATCHES_MS)
    return window, view, images[:60]


def test_a_result_for_an_older_model_is_dropped_and_the_kernel_is_the_results(qtbot, make_window,
                                                                             tmp_path):
    window, view, test_images = open_patches(qtbot, make_window, tmp_path)
    tabs = window.draw_tab.details_tabs
    view.filter_combo.setCurrentText("C3 #3")          # a request in flight…
    assert view.busy
    tabs.setCurrentIndex(0)                            # …the view hidden, another model opened
    other = lenet5_classic(seed=7)
    path = tmp_path / "other.npz"
    save_model(other, path)
    window.session.set_model(load_model(path), "other.npz")   # at once, while C3 runs
    qtbot.waitUntil(lambda: not view.busy, timeout=PATCHES_MS)
    assert view.result.layer_name == "C1"              # the old model's C3 result was dropped
    window.draw_tab.show_detail(view)
    view.filter_combo.setCurrentText("C3 #3")
    qtbot.waitUntil(lambda: view.result.layer_name == "C3" and not view.busy,
                    timeout=PATCHES_MS)
    kernel = window.session.model.layers[2].params["kernel"][:, :, :, 3]
    np.testing.assert_array_equal(view.kernel_grid.cell_image(0), kernel[:, :, 0])
    expected = top_patches(window.session.model.clone(), "C3", 3, images_to_float(test_images))
    np.testing.assert_array_equal(view.result.indices, expected.indices)
    # a model without the layer: the old request's result is dropped, never looked up in it
    view.filter_combo.setCurrentText("C1 #1")
    tabs.setCurrentIndex(0)
    save_model(mlp_baseline(), path)
    window.model_file.ask_open_path = lambda: path
    with qtbot.waitSignal(window.model_file.open_finished, timeout=PATCHES_MS):
        window.model_file.open_action.trigger()
    qtbot.waitUntil(lambda: not view.busy, timeout=PATCHES_MS)
    window.draw_tab.show_detail(view)
    assert "no convolution layer" in view.status_label.text()


def test_weights_pushed_by_training_wait_until_they_are_still(qtbot, make_window, tmp_path):
    window, view, test_images = open_patches(qtbot, make_window, tmp_path)
    session = window.session
    trained = session.model.get_weights()
    for step in range(1, 6):                           # five pushes, 0.1 s apart (training: 0.2 s)
        session.set_weights([w * (1 + 0.05 * step) for w in trained])
        assert not view._worker.busy                   # no worker runs against the trainer
        qtbot.wait(100)
    assert view.busy and "still" in view.status_label.text()
    qtbot.waitUntil(lambda: not view.busy, timeout=PATCHES_MS)   # still for 1.5 s: once
    expected = top_patches(session.model.clone(), "C1", 0, images_to_float(test_images))
    np.testing.assert_array_equal(view.result.values, expected.values)
    kernel = session.model.layers[0].params["kernel"][:, :, 0, 0]
    np.testing.assert_array_equal(view.kernel_grid.cell_image(0), kernel)

"""The Draw tab's "What filters detect" view: the nine test digits that excite a filter most."""

import numpy as np
from fake_data import synthetic_digits, write_mnist
from PySide6.QtCore import Qt

from convviz.core.experiments import top_patches
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

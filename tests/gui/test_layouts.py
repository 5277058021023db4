"""Every tab at the screen sizes a classroom has: nothing overlaps, nothing is cut or clipped.

Each tab is shown in the states that used to break it (a picture opened on the Draw tab, six
maps in the inspector, a six-channel and a one-row grid in the Stepper) at 1366x768 and
1280x720, and `layout_check.layout_problems` must find nothing. The checker itself is shown
to find the problems it looks for on layouts broken on purpose.
"""

from __future__ import annotations

import numpy as np
import pytest
from layout_check import layout_problems
from PIL import Image
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from qt_actions import shown

from convviz.core.drawing.digit_preprocess import import_picture
from convviz.core.nn.presets import build_preset
from convviz.core.stepper import learned_kernels
from convviz.gui.main_window import MainWindow

SIZES = [(1366, 768), (1280, 720)]
INSPECTOR_KERNELS = ["Gaussian blur 3x3", "Sobel x", "Sobel y", "Laplacian", "Emboss", "Sharpen"]


pytestmark = pytest.mark.usefixtures("app_look")  # tests/gui/conftest.py: the app's style


def settle(qtbot) -> None:
    """Let layouts and pyqtgraph's deferred geometry updates run."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


def picture_on_the_draw_tab(window: MainWindow, tmp_path) -> None:
    path = tmp_path / "photo.png"
    rng = np.random.default_rng(0)
    pixels = np.full((300, 400, 3), 235, np.uint8)
    pixels[60:240, 180:220] = rng.integers(0, 60, (180, 40, 3))
    Image.fromarray(pixels).save(path)
    window.draw_tab.show_picture(import_picture(path, "'photo.png'",
                                                canvas_size=window.draw_tab.canvas.size))


def six_maps_in_the_inspector(window: MainWindow, qtbot) -> None:
    inspector = window.inspector_tab
    inspector.load_sample()
    qtbot.waitUntil(lambda: inspector.computed is not None, timeout=30_000)
    inspector.controls.check_kernels(INSPECTOR_KERNELS)
    qtbot.waitUntil(lambda: not inspector.mapper.busy and inspector.computed is not None
                    and len(inspector.computed.pyramids) == len(INSPECTOR_KERNELS), timeout=30_000)


def six_channels_in_the_stepper(window: MainWindow) -> None:
    stepper = window.stepper_tab
    stepper.set_model_kernels(*learned_kernels(window.session.model))
    stepper.set_external_input("Activation maps S2", np.random.default_rng(1).normal(
        size=(14, 14, 6)), select=True)
    stepper.controls.kernel_combo.setCurrentText("C3 #2")
    assert stepper.stepper is not None and stepper.stepper.channels == 6


def one_row_grid_in_the_stepper(window: MainWindow) -> None:
    controls = window.stepper_tab.controls
    controls.select_input("Custom grid")
    controls.grid_size.set_value((1, 16))


def colour_model_on_the_draw_tab(window: MainWindow, qtbot) -> None:
    model = build_preset("colour-cnn")
    model.class_names = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                         "horse", "ship", "truck")
    window.session.set_model(model, "a colour CNN")
    settle(qtbot)                         # the views rebuild, then the input follows
    window.draw_tab.take_test_picture()


SCENES = {
    "Draw, a picture opened": (0, lambda window, qtbot, tmp_path:
                               picture_on_the_draw_tab(window, tmp_path)),
    "Stepper, slides example": (1, lambda window, qtbot, tmp_path: None),
    "Stepper, six channels": (1, lambda window, qtbot, tmp_path:
                              six_channels_in_the_stepper(window)),
    "Stepper, a one-row grid": (1, lambda window, qtbot, tmp_path:
                                one_row_grid_in_the_stepper(window)),
    "Image inspection, six maps": (2, lambda window, qtbot, tmp_path:
                                   six_maps_in_the_inspector(window, qtbot)),
    "Train": (3, lambda window, qtbot, tmp_path: None),
    "Draw, a colour model with a picture": (0, lambda window, qtbot, tmp_path:
                                            colour_model_on_the_draw_tab(window, qtbot)),
}


def problems_in_every_scene(window: MainWindow, qtbot, tmp_path, size) -> dict[str, list[str]]:
    window.resize(*size)
    found = {}
    for name, (tab, prepare) in SCENES.items():
        window.tabs.setCurrentIndex(tab)
        settle(qtbot)
        prepare(window, qtbot, tmp_path)
        settle(qtbot)
        found[name] = layout_problems(window, size)
    return found


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_tab_fits_a_classroom_screen(qtbot, window, tmp_path, size):
    found = problems_in_every_scene(window, qtbot, tmp_path, size)
    assert not any(found.values()), "\n".join(
        f"{scene}: {problem}" for scene, problems in found.items() for problem in problems)


def test_at_presenter_scale_every_tab_still_fits_1366x768(qtbot, window, tmp_path):
    window.set_text_scale(1.5)
    found = problems_in_every_scene(window, qtbot, tmp_path, (1366, 768))
    assert not any(found.values()), "\n".join(
        f"{scene}: {problem}" for scene, problems in found.items() for problem in problems)


# --- the checker finds what it looks for ---------------------------------------------------------

def test_the_checker_finds_overlapping_and_escaping_widgets(qtbot):
    parent = shown(qtbot, QWidget(), 300, 200)
    first, second = QPushButton("first", parent), QPushButton("second", parent)
    first.setGeometry(10, 10, 120, 40)
    second.setGeometry(100, 30, 120, 40)
    outside = QLabel("outside", parent)
    outside.setGeometry(250, 150, 120, 40)
    for widget in (first, second, outside):
        widget.show()
    problems = layout_problems(parent, (300, 200))
    assert any("'first'" in p and "overlaps" in p and "'second'" in p for p in problems)
    assert any("'outside'" in p and "leaves its parent" in p for p in problems)
    second.setGeometry(140, 10, 120, 40)
    outside.setGeometry(10, 100, 120, 40)
    assert layout_problems(parent, (300, 200)) == []


def test_the_checker_finds_cut_text_and_a_grown_window(qtbot):
    parent = shown(qtbot, QWidget(), 300, 200)
    button = QPushButton("a button with a long text", parent)
    button.setGeometry(10, 10, 40, 30)
    button.show()
    problems = layout_problems(parent, (300, 150))
    assert any("long text" in p and "needs" in p for p in problems)
    assert any("not the 300x150 asked for" in p for p in problems)

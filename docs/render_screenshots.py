"""Render convviz's views offscreen into docs/images/, one function per view.

    python docs/render_screenshots.py                # every view
    python docs/render_screenshots.py main-window    # only some

Qt runs on the offscreen platform with a virtual 1920x1200 screen, so windows get the size
they ask for. Add a function for a new view and register it in RENDERERS.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

IMAGES = Path(__file__).resolve().parent / "images"


def _use_offscreen_screen(width: int = 1920, height: int = 1200) -> None:
    """Offscreen Qt with a screen big enough for a 1400x900 window (set before Qt starts)."""
    config = Path(tempfile.mkdtemp(prefix="convviz-shots-")) / "offscreen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "docs", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _wait_until(condition: Callable[[], bool], seconds: float = 300.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the view did not get ready in time")
        QApplication.processEvents()
        time.sleep(0.005)


def _draw_digit(window, digit: int, centre: tuple[float, float]) -> None:
    """Draw `digit` on the Draw tab's canvas with the mouse, stroke by stroke."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    from convviz.core.drawing.canvas import digit_strokes

    view = window.draw_tab.canvas_view

    def at(x: float, y: float):
        return view.mapFromScene(view.image_item.mapToScene(QPointF(x, y)))

    for stroke in digit_strokes(digit, centre, 205.0):
        QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, at(*stroke[0]))
        for x, y in stroke[1:]:
            QTest.mouseMove(view.viewport(), at(x, y))
        QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier, at(*stroke[-1]))


def _window_with_a_drawn_three():
    """The main window on the shipped model, warmed up, with a 3 drawn on the canvas."""
    from PySide6.QtCore import QEvent, QSettings
    from PySide6.QtWidgets import QApplication

    from convviz.core.training.data import missing_files, resolve_data_dir
    from convviz.gui.app import load_startup_model
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession
    from convviz.gui.widgets.message_bar import MessageLevel

    model, description, problem = load_startup_model()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(DigitSession(model, description), settings, resolve_data_dir(None))
    window.show()
    if problem:
        window.message_bar.show_message(problem, MessageLevel.WARNING)
    window.start_background_work()
    _wait_until(lambda: window.session.is_ready)
    if not missing_files(window.data_dir):
        _wait_until(lambda: window.draw_tab.mnist is not None)
    _draw_digit(window, 3, (140.0, 145.0))
    view = window.draw_tab.canvas_view
    QApplication.sendEvent(view, QEvent(QEvent.Type.Leave))  # the pen leaves the canvas
    return window


def _grab(window, name: str) -> Path:
    """Let the layout settle, save the window as docs/images/`name`, close it."""
    from PySide6.QtWidgets import QApplication

    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / name
    window.grab().save(str(path))
    window.close()
    return path


def render_main_window() -> Path:
    """The Draw tab with a hand-drawn 3 and the most active C3 unit selected (its receptive
    field outlined on the input and the canvas, its value read out)."""
    import numpy as np
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from convviz.gui.session import UnitRef

    window = _window_with_a_drawn_three()
    c3 = 2
    row, col, channel = np.unravel_index(np.argmax(window.session.activations[c3]),
                                         window.session.activations[c3].shape)
    window.session.select_unit(UnitRef(c3, int(channel), int(row), int(col)))
    activations = window.draw_tab.activation_view
    column = next(c for c in activations.columns if c.index == c3)
    point = activations.mapFromScene(column.grid.scene_point(int(channel), int(row), int(col)))
    QApplication.sendEvent(activations.viewport(), QMouseEvent(
        QEvent.Type.MouseMove, QPointF(point), QPointF(activations.mapToGlobal(point)),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    return _grab(window, "main-window.png")


def render_why() -> Path:
    """The Draw tab's "Why this prediction?" view for a drawn 3, compared with random
    weights."""
    window = _window_with_a_drawn_three()
    tabs = window.draw_tab.details_tabs
    view = window.draw_tab.why_view
    tabs.setCurrentIndex(window.draw_tab.detail_index(view))
    window.draw_tab.right_splitter.setSizes([700, 250])
    view.random_box.setChecked(True)
    _wait_until(lambda: view.explanation is not None and view.explanation.similarities
                is not None and not view.busy)
    from PySide6.QtWidgets import QApplication
    for _ in range(20):  # let the layout take the new texts in
        QApplication.processEvents()
    path = IMAGES / "why.png"
    window.grab().save(str(path))
    window.close()
    return path


def render_train(replay: bool = False) -> Path:
    """The Train tab mid-run: a new classic LeNet-5 on 12,000 real MNIST digits (the shared
    copy, else the user's), two epochs done, with the curves, kernels, the maps of a drawn 5
    and the test set's confusion matrix with the digits of its largest mistake cell. With
    replay=True: the "Replay and gradients" panel instead, its slider a third of the way."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from convviz.core.training.data import MnistData, load_mnist, missing_files, resolve_data_dir
    from convviz.gui.app import load_startup_model
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession

    shared = Path("/work/shared/data/mnist")
    folder = shared if shared.is_dir() and not missing_files(shared) else resolve_data_dir(None)
    mnist = load_mnist(folder)
    subset = MnistData(mnist.train_images[:12_000], mnist.train_labels[:12_000],
                       mnist.test_images, mnist.test_labels)
    model, description, _ = load_startup_model()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(DigitSession(model, description), settings, folder)
    window.show()
    window.start_background_work()
    _wait_until(lambda: window.session.is_ready and window.train_tab.mnist is not None)
    _draw_digit(window, 5, (140.0, 140.0))
    train = window.train_tab
    train.set_data(subset)
    train.settings.epochs_box.setValue(5)
    window.tabs.setCurrentWidget(train)
    train.start_button.click()
    _wait_until(lambda: (train.results_view.evaluation is not None and train.last_step is not None
                         and train.last_step.epoch == 3 and train.last_step.batch > 60))
    window.tabs.setFocus()  # no spin box caret in the picture
    if replay:
        train.pause_button.click()
        panel = train.replay_panel
        train.right_tabs.setCurrentIndex(1)
        _wait_until(lambda: train.state.value == "paused")
        panel.slider.setValue(len(panel.timeline) // 3)
        panel.refresh()
    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / ("train-replay.png" if replay else "train.png")
    window.grab().save(str(path))
    train.shutdown()
    window.model_file.modified = False  # a picture, not a model to keep
    window.close()
    return path


def render_train_compare() -> Path:
    """The Train tab's "Compare runs" page at 1366x768: three short runs on 3,000 real MNIST
    digits (LeNet-5 classic with Adam; the same start with SGD and momentum, its learning
    rate raised mid-run; the MLP baseline) overlaid, and the table of runs."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from convviz.core import lenet5
    from convviz.core.training.data import MnistData, load_mnist, missing_files, resolve_data_dir
    from convviz.gui.main_window import MainWindow
    from convviz.gui.model_file import CloseChoice
    from convviz.gui.session import DigitSession

    shared = Path("/work/shared/data/mnist")
    folder = shared if shared.is_dir() and not missing_files(shared) else resolve_data_dir(None)
    mnist = load_mnist(folder)
    subset = MnistData(mnist.train_images[:3000], mnist.train_labels[:3000],
                       mnist.test_images[:2000], mnist.test_labels[:2000])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(DigitSession(lenet5("classic"), "LeNet-5"), settings, folder)
    window.resize(1366, 768)
    window.show()
    window.model_file.ask_before_discarding = lambda action: CloseChoice.DISCARD
    train = window.train_tab
    train.set_data(subset)
    window.tabs.setCurrentWidget(train)
    options = train.settings
    options.epochs_box.setValue(4)

    def run(optimizer: str, arch: str, start: str, raise_rate_at: int | None = None) -> None:
        options.start_box.setCurrentIndex(options.start_box.findData(start))
        options.arch_box.setCurrentIndex(options.arch_box.findData(arch))
        options.optimizer_box.setCurrentIndex(options.optimizer_box.findData(optimizer))
        train.start_button.click()
        if raise_rate_at is not None:
            _wait_until(lambda: train.last_step is not None
                        and train.last_step.step >= raise_rate_at)
            options.learning_rate_box.setValue(options.learning_rate_box.value() * 5)
        _wait_until(lambda: train.state.value == "idle" and train.worker is None)

    run("adam", "classic", "new")
    run("momentum", "classic", "run:1", raise_rate_at=80)
    run("adam", "mlp", "new")
    train.right_tabs.setCurrentIndex(2)
    window.tabs.setFocus()  # no spin box caret in the picture
    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / "train-compare.png"
    window.grab().save(str(path))
    window.model_file.modified = False  # a picture, not a model to keep
    window.close()
    return path


def render_inspector() -> Path:
    """The sample photo beside a blur, Sobel x, Sobel y, Laplacian and Emboss after ReLU and
    max pooling, the pointer on a Sobel y cell with its receptive field outlined on the photo."""
    from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from convviz.gui import workers
    from convviz.gui.inspector.view import InspectorView

    view = InspectorView()
    view.resize(1600, 960)
    view.show()
    view.load_sample()
    _wait_until(lambda: view.computed is not None)
    controls = view.controls
    controls.check_kernels(["Gaussian blur 3x3", "Sobel x", "Sobel y", "Laplacian", "Emboss"])
    controls.activation_combo.setCurrentText("ReLU")
    controls.pooling_combo.setCurrentText("max")
    _wait_until(lambda: not view.mapper.busy and view.computed.request.chain.pooling is not None)
    view.grab()
    view.sync.show_region(QRectF(130, 230, 800, 530))  # zoomed in on the houses and the sign
    grid = view.grid
    cell = next(c for c in grid.cells if c.feature_map.title == "Sobel y")
    scene = cell.view.mapViewToScene(QPointF(470.0, 341.0))  # the cream house's eaves
    pos = QPointF(grid.mapFromScene(scene))
    QApplication.sendEvent(grid.viewport(), QMouseEvent(
        QEvent.Type.MouseMove, pos, grid.viewport().mapToGlobal(pos), Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    for _ in range(10):
        QApplication.processEvents()
    path = IMAGES / "inspector.png"
    view.grab().save(str(path))
    workers.wait_for_workers(view)
    view.close()
    return path


def render_stepper() -> Path:
    """The stepper mid-walk as on the slides: the example 7x7 grid, the vertical-edge kernel,
    stride 2, padding 1 on every side, at step 5 of 16."""
    from PySide6.QtWidgets import QApplication

    from convviz.gui.stepper.view import StepperView

    view = StepperView()
    view.resize(1600, 900)
    view.show()
    controls = view.controls
    view.select_input("Example 7×7 numbers")
    controls.kernel_combo.setCurrentText("Vertical edge")
    controls.stride_spin.set_value((2, 2))
    controls.padding_combo.setCurrentText("explicit")
    for side in (controls.pad_top, controls.pad_bottom, controls.pad_left, controls.pad_right):
        side.setValue(1)
    view.go_to_step(4)
    QApplication.processEvents()
    path = IMAGES / "stepper.png"
    view.grab().save(str(path))
    return path


def render_stepper_german() -> Path:
    """The Stepper tab of the whole window in German (View > Language > Deutsch) at 1366x768,
    on the slides example: where longer German labels would be clipped."""
    from PySide6.QtCore import QSettings

    from convviz.gui import i18n
    from convviz.gui.app import load_startup_model
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    settings.setValue(i18n.LANGUAGE_KEY, "de")
    i18n.install_language("de")
    model, description, _ = load_startup_model()
    window = MainWindow(DigitSession(model, description), settings, None)
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentWidget(window.stepper_tab)
    view = window.stepper_tab
    _wait_until(lambda: view.stepper is not None)
    controls = view.controls
    view.select_input("Example 7×7 numbers")
    controls.stride_spin.set_value((2, 2))
    controls.padding_combo.setCurrentIndex(controls.padding_combo.findData("explicit"))
    for side in (controls.pad_top, controls.pad_bottom, controls.pad_left, controls.pad_right):
        side.setValue(1)
    view.go_to_step(4)
    return _grab_german(window, "stepper-de.png")


def render_what_if() -> Path:
    """The Draw tab's "What if…?" view for a drawn 3: C1 #2 and C3 #5 switched off, the
    input shifted 2 px right, the horizontal sweep plotted, test accuracy when MNIST is there."""
    from PySide6.QtWidgets import QApplication

    window = _window_with_a_drawn_three()
    tabs = window.draw_tab.details_tabs
    view = window.draw_tab.what_if_view
    tabs.setCurrentIndex(window.draw_tab.detail_index(view))
    window.draw_tab.right_splitter.setSizes([760, 190])
    window.draw_tab.top_splitter.setSizes([330, 700])
    view.toggle_filter("C1", 2)
    view.toggle_filter("C3", 5)
    view.set_shift(0, 2)
    view.run_sweep()
    if view.mnist is not None:
        _wait_until(lambda: view.accuracy is not None and not view._accuracy_worker.busy)
    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / "what-if.png"
    window.grab().save(str(path))
    window.close()
    return path


def render_filter_patches() -> Path:
    """The Draw tab's "What filters detect" view for C3 #5 (needs MNIST: set CONVVIZ_DATA)."""
    from PySide6.QtWidgets import QApplication

    window = _window_with_a_drawn_three()
    tabs = window.draw_tab.details_tabs
    view = window.draw_tab.patches_view
    tabs.setCurrentIndex(window.draw_tab.detail_index(view))
    window.draw_tab.right_splitter.setSizes([600, 350])
    window.draw_tab.top_splitter.setSizes([300, 730])
    view.choose("C3", 5)
    if view.mnist is not None:
        _wait_until(lambda: view.result is not None and view.result.layer_name == "C3"
                    and not view.busy)
    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / "filter-patches.png"
    window.grab().save(str(path))
    window.close()
    return path


def render_stepper_backward() -> Path:
    """The Stepper's backward pass mid-walk: the network's own gradient for C1 #2 on a drawn
    3 labelled 8, the kernel gradient at tap 13 of 25."""
    from PySide6.QtWidgets import QApplication

    from convviz.gui.stepper.backward import NETWORK

    window = _window_with_a_drawn_three()
    window.resize(1600, 900)
    window.tabs.setCurrentWidget(window.stepper_tab)
    view = window.stepper_tab
    view.controls.kernel_combo.setCurrentText("C1 #2")
    view.modes.setCurrentWidget(view.backward_page)
    backward = view.backward_view
    backward.source_combo.setCurrentText(NETWORK)
    backward.label_combo.setCurrentText("8")
    backward.go_to_step(12)
    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / "stepper-backward.png"
    window.grab().save(str(path))
    window.close()
    return path


CLASSROOM_SCREENS = ((1366, 768, 1.0), (1920, 1080, 1.5))
"""A laptop at 100 % text and a projector in presenter mode (150 %)."""


def render_classroom() -> Path:
    """Every tab at each of CLASSROOM_SCREENS: a drawn 3 on the Draw tab, the Stepper's
    slides example, the sample photo through six kernels, the Train tab before a run."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from convviz.gui.app import load_startup_model
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession

    model, description, _ = load_startup_model()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(DigitSession(model, description), settings, None)
    window.show()
    window.start_background_work()
    _wait_until(lambda: window.session.is_ready)
    _draw_digit(window, 3, (140.0, 145.0))
    inspector = window.inspector_tab
    window.tabs.setCurrentWidget(inspector)
    inspector.load_sample()
    _wait_until(lambda: inspector.computed is not None)
    inspector.controls.check_kernels(["Gaussian blur 3x3", "Sobel x", "Sobel y", "Laplacian",
                                      "Emboss", "Sharpen"])
    _wait_until(lambda: not inspector.mapper.busy and len(inspector.computed.pyramids) == 6)
    names = ["draw", "stepper", "inspector", "train"]
    for width, height, scale in CLASSROOM_SCREENS:
        window.set_text_scale(scale)
        window.resize(width, height)
        for index, name in enumerate(names):
            window.tabs.setCurrentIndex(index)
            for _ in range(30):
                QApplication.processEvents()
                time.sleep(0.01)
            window.grab().save(str(IMAGES / f"classroom-{name}-{width}x{height}"
                                             f"-{round(scale * 100)}.png"))
    window.set_text_scale(1.0)
    window.close()
    return IMAGES / "classroom-*.png"


def render_lab(problem: bool = False) -> Path:
    """The Lab tab at 1366x768 with a custom CNN (two 3x3 convolutions with batch
    normalisation, a strided one, global average pooling), its time per epoch measured;
    `problem`: a kernel too large for its input, explained in its row."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from convviz.core import lenet5
    from convviz.core.design.design import Design
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(DigitSession(lenet5("classic"), "LeNet-5"), settings,
                        Path(tempfile.mkdtemp()))
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentWidget(window.lab_tab)
    lab = window.lab_tab
    design = Design(name="my-cnn")
    for kind in ("Conv2D", "BatchNormalization", "Conv2D", "MaxPool2D", "Conv2D", "Conv2D",
                 "GlobalAvgPool2D", "Dropout", "Dense"):
        design.add(kind)
    design.set_argument(0, "filters", 24)
    design.set_argument(2, "filters", 24)
    design.set_argument(4, "filters", 48)
    design.set_argument(4, "strides", 2)
    design.set_argument(5, "filters", 64)
    design.set_argument(5, "padding", "valid")
    design.set_argument(8, "units", 10)
    design.set_argument(8, "activation", "softmax")
    if problem:
        design.set_argument(5, "kernel_size", 9)
    lab.set_design(design)
    lab.layer_list.setCurrentRow(4)
    lab.message_bar.clear()
    window.statusBar().clearMessage()
    if not problem:
        _wait_until(lambda: lab.estimate is not None)
    for _ in range(20):
        QApplication.processEvents()
    path = IMAGES / ("lab-problem.png" if problem else "lab.png")
    window.grab().save(str(path))
    window.close()
    return path


LESSON_SHOTS = (("stride", 1, "4"), ("pooling", 1, None),
                ("convolution-2d-edges", 2, "Horizontal edge"))
"""(lesson, step, answer or None): the steps shown in docs/images/lesson-*.png."""


def _window_with_this_checkout_s_lessons(settings):
    """The main window at 1366x768 on the shipped model, warmed up, with this checkout's
    lessons (assets/lessons: English and German) loaded."""
    from convviz.gui.app import load_startup_model
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession

    model, description, _ = load_startup_model()
    window = MainWindow(DigitSession(model, description), settings, None)
    window.resize(1366, 768)
    window.show()
    window.start_background_work()
    _wait_until(lambda: window.session.is_ready)
    window.lessons.load(Path(__file__).resolve().parent.parent / "assets" / "lessons")
    window.message_bar.clear()
    return window


def render_lessons() -> Path:
    """Three lesson steps with their highlight, at 1366x768 in presenter mode (150 %), the
    Lessons panel open beside the tabs; the first with its quiz answered."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = _window_with_this_checkout_s_lessons(settings)
    window.set_text_scale(1.5)
    window.lessons.show_panel()
    window.resize(1366, 768)  # presenter text made the window taller while the panel was off
    window.statusBar().clearMessage()
    panel = window.lessons.panel
    for lesson_id, step, answer in LESSON_SHOTS:
        panel.open_lesson(lesson_id, step)
        if answer is not None:
            panel.answer_edit.setText(answer)
            panel.choice_box.setCurrentIndex(max(panel.choice_box.findData(answer), 0))
            panel.check_answer()
        for _ in range(30):
            QApplication.processEvents()
            time.sleep(0.01)
        window.grab().save(str(IMAGES / f"lesson-{lesson_id}-{step + 1}.png"))
    window.set_text_scale(1.0)
    window.close()
    return IMAGES / "lesson-*.png"


def render_draw_colour() -> Path:
    """The Draw tab at 1366x768 on a colour CNN with a photo: the street scene the inspector
    paints, as "your picture" and resized to the 32x32x3 the network sees. The CNN is fitted
    for a few seconds on generated data (jittered crops of the app's painted pictures, five
    named classes), so its kernels and answer are a trained network's, not noise."""
    import io

    import numpy as np
    from PIL import Image
    from PySide6.QtCore import QSettings

    from convviz.core.drawing.picture_input import prepare_picture, sample_pictures
    from convviz.core.nn.presets import colour_cnn
    from convviz.gui.inspector.sample import sample_photo
    from convviz.gui.main_window import MainWindow
    from convviz.gui.session import DigitSession

    street = sample_photo(480, 320, noise=4.0)
    pictures = {"street": street.astype(np.float32) / 255,
                **{name.removeprefix("a ").removeprefix("an "): pixels
                   for name, pixels in sample_pictures(128).items()}}
    rng = np.random.default_rng(0)
    images, labels = [], []
    for label, pixels in enumerate(pictures.values()):
        height, width = pixels.shape[:2]
        for _ in range(300):          # a crop of 60-100 % of each side, maybe mirrored
            h, w = (int(side * rng.uniform(0.6, 1.0)) for side in (height, width))
            top, left = rng.integers(0, height - h + 1), rng.integers(0, width - w + 1)
            crop = pixels[top:top + h, left:left + w]
            crop = crop[:, ::-1] if rng.random() < 0.5 else crop
            crop = np.clip(crop * rng.uniform(0.8, 1.2), 0, 1)
            images.append(prepare_picture(crop, (32, 32, 3)).pixels)
            labels.append(label)
    model = colour_cnn(classes=len(pictures), seed=1)
    model.class_names = tuple(pictures)
    model.compile("adam", metrics=["accuracy"])
    model.fit(np.stack(images), np.array(labels), batch_size=32, epochs=3, verbose=0)

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(DigitSession(model, "colour CNN (fitted on painted pictures)"),
                        settings, Path(tempfile.mkdtemp()))
    window.resize(1366, 768)
    window.show()
    window.start_background_work()
    _wait_until(lambda: window.session.is_ready)
    photo = io.BytesIO()
    Image.fromarray(sample_photo(1200, 800, noise=4.0)).save(photo, "PNG")
    window.open_image(photo.getvalue(), "a street photo")
    _wait_until(lambda: not window.session.digit.is_blank)
    window.draw_tab.kernel_picker.layer_box.setCurrentIndex(1)      # conv1, every colour
    return _grab(window, "draw-colour.png")


def render_lesson_german() -> Path:
    """A lesson step in German at 1366x768: the Lessons panel below the tabs on the German
    padding lesson (assets/lessons/de), its quiz answered, the window in German."""
    from PySide6.QtCore import QSettings

    from convviz.gui import i18n

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "convviz.ini"), QSettings.Format.IniFormat)
    settings.setValue(i18n.LANGUAGE_KEY, "de")
    window = _window_with_this_checkout_s_lessons(settings)
    window.lessons.show_panel()
    window.resize(1366, 768)
    window.statusBar().clearMessage()
    panel = window.lessons.panel
    panel.open_lesson("padding", 1)
    panel.answer_edit.setText("8")
    panel.check_answer()
    return _grab_german(window, "lesson-de.png")


def _grab_german(window, name: str) -> Path:
    """Let the German window settle, save it as docs/images/`name`, close it, back to
    English."""
    from PySide6.QtWidgets import QApplication

    from convviz.gui import i18n

    for _ in range(30):
        QApplication.processEvents()
        time.sleep(0.01)
    path = IMAGES / name
    window.grab().save(str(path))
    window.close()
    i18n.install_language("en")
    return path


RENDERERS: dict[str, Callable[[], Path]] = {
    "classroom": render_classroom,
    "main-window": render_main_window,
    "draw-colour": render_draw_colour,
    "why": render_why,
    "what-if": render_what_if,
    "filter-patches": render_filter_patches,
    "inspector": render_inspector,
    "stepper": render_stepper,
    "stepper-backward": render_stepper_backward,
    "stepper-de": render_stepper_german,
    "train": render_train,
    "train-replay": lambda: render_train(replay=True),
    "train-compare": render_train_compare,
    "lab": render_lab,
    "lab-problem": lambda: render_lab(problem=True),
    "lessons": render_lessons,
    "lesson-de": render_lesson_german,
}


def main(names: list[str]) -> int:
    unknown = set(names) - set(RENDERERS)
    if unknown:
        print(f"unknown views {sorted(unknown)}; choose from {sorted(RENDERERS)}", file=sys.stderr)
        return 2
    _use_offscreen_screen()
    from convviz.gui.app import create_application

    create_application()
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name in names or RENDERERS:
        print(f"{name}: {RENDERERS[name]()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

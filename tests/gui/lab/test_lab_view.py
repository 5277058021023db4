"""The Lab tab driven like a person: a network built from nothing by clicks and typing, the
table following each keystroke, an impossible setting explained and Train disabled, the Keras
code copied and run, a design saved and opened again, and the design handed to the Train tab
and trained for a few batches."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_actions import choose, type_into

from convviz.core import lenet5
from convviz.core.training.data import MnistData
from convviz.gui import workers
from convviz.gui.lab.view import LabView
from convviz.gui.mnist_source import MnistSource
from convviz.gui.session import DigitSession
from convviz.gui.train.view import TrainView
from convviz.gui.widgets.message_bar import MessageLevel

LEFT = Qt.MouseButton.LeftButton
FIRST_STEP_MS = 180_000  # a cold Numba cache compiles the training kernels first
OUTPUT, PARAMS, LAST = 2, 3, 5


@pytest.fixture
def lab(qtbot):
    view = LabView()
    qtbot.addWidget(view, before_close_func=workers.wait_for_workers)
    view.resize(1366, 740)
    view.show()
    qtbot.waitExposed(view)
    return view


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def add(qtbot, lab: LabView, kind: str) -> None:
    choose(qtbot, lab.add_box, kind)
    click(qtbot, lab.add_button)


def build_small_cnn(qtbot, lab: LabView) -> None:
    """Input 28x28x1; Conv2D(8, 3, valid), MaxPool2D, Flatten, Dense(10), from nothing."""
    choose(qtbot, lab.preset_box, "an empty")
    click(qtbot, lab.preset_button)
    assert lab.table.rowCount() == 0 and not lab.train_button.isEnabled()
    add(qtbot, lab, "Conv2D")
    type_into(qtbot, lab.editor.fields["filters"], "8")
    choose(qtbot, lab.editor.fields["padding"], "valid")
    add(qtbot, lab, "MaxPool2D")
    add(qtbot, lab, "Flatten")
    add(qtbot, lab, "Dense")
    type_into(qtbot, lab.editor.fields["units"], "10")
    choose(qtbot, lab.editor.fields["activation"], "linear")


def test_a_cnn_built_by_clicks_and_typing_fills_the_table(qtbot, lab):
    build_small_cnn(qtbot, lab)
    table = lab.table
    assert table.rowCount() == 4
    assert [lab.layer_list.item(row).text() for row in range(4)] == [
        '1. Conv2D(8, 3, activation="relu")', "2. MaxPooling2D()", "3. Flatten()", "4. Dense(10)"]
    assert [table.text(row, OUTPUT) for row in range(4)] == ["26×26×8", "13×13×8", "1352", "10"]
    assert table.text(0, PARAMS) == f"{3 * 3 * 8 + 8:,}"
    assert table.text(3, PARAMS) == f"{1352 * 10 + 10:,}"
    assert table.text(0, LAST) == "height and width: ⌊(28 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = " \
                                  "⌊25 / 1⌋ + 1 = 26"
    assert lab.train_button.isEnabled()
    type_into(qtbot, lab.input_boxes[1], "20")  # a wide input: one formula per axis
    assert table.text(0, LAST).split("\n")[1] == ("width: ⌊(20 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 "
                                                  "= ⌊17 / 1⌋ + 1 = 18")
    assert table.text(0, OUTPUT) == "26×18×8"
    type_into(qtbot, lab.input_boxes[1], "28")
    # as you type: each keystroke of "16" is a design the table shows
    type_into(qtbot, lab.editor.fields["units"], "1")
    assert table.text(3, OUTPUT) == "1" and not lab.train_button.isEnabled()
    assert "at least 2" in lab.problems_label.text()
    qtbot.keyClicks(lab.editor.fields["units"], "6")
    assert table.text(3, OUTPUT) == "16" and table.text(3, PARAMS) == f"{1352 * 16 + 16:,}"
    assert lab.train_button.isEnabled()


def test_an_impossible_kernel_is_explained_next_to_its_layer_and_disables_train(qtbot, lab):
    build_small_cnn(qtbot, lab)
    for box, size in zip(lab.input_boxes, ("6", "6"), strict=False):
        type_into(qtbot, box, size)
    lab.layer_list.setFocus()
    qtbot.keyClick(lab.layer_list, Qt.Key.Key_Home)
    type_into(qtbot, lab.editor.fields["kernel_size"], "7")
    sentence = ("a 7×7 kernel does not fit the 6×6 input of this layer: lower the kernel, add "
                "padding or remove a pooling layer")
    assert lab.table.text(0, LAST) == sentence
    assert lab.table.text(1, LAST) == "unknown until the layer above works"
    assert sentence in lab.problems_label.text() and lab.problems_label.isVisible()
    assert not lab.train_button.isEnabled() and not lab.save_button.isEnabled()
    assert lab.layer_list.item(0).toolTip().endswith(sentence)
    choose(qtbot, lab.editor.fields["padding"], "same")
    assert lab.table.text(0, OUTPUT) == "6×6×8" and lab.train_button.isEnabled()
    assert lab.save_button.isEnabled()


def test_keys_remove_and_move_layers(qtbot, lab):
    build_small_cnn(qtbot, lab)
    lab.layer_list.setFocus()
    qtbot.keyClick(lab.layer_list, Qt.Key.Key_Up)  # from Dense to Flatten
    qtbot.keyClick(lab.layer_list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [spec.kind for spec in lab.design.layers] == ["Conv2D", "Flatten", "MaxPool2D",
                                                         "Dense"]
    assert "move it before the Flatten" in lab.table.text(2, LAST)
    qtbot.keyClick(lab.layer_list, Qt.Key.Key_Delete)  # the Flatten, still chosen
    assert [spec.kind for spec in lab.design.layers] == ["Conv2D", "MaxPool2D", "Dense"]
    assert "add a Flatten" in lab.table.text(2, LAST)


def test_copied_keras_code_runs_and_builds_the_design(qtbot, lab, capsys):
    build_small_cnn(qtbot, lab)
    click(qtbot, lab.copy_button)
    code = QApplication.clipboard().text()
    namespace: dict = {}
    exec(compile(code, "<clipboard>", "exec"), namespace)
    model = namespace["model"]
    assert [type(layer).__name__ for layer in model.layers] == ["Conv2D", "MaxPool2D",
                                                                "Flatten", "Dense"]
    assert model.layer_summary().rows[-1].output_shape == (10,)
    assert model.count_params() == lab.check.summary.total_params
    assert "Total params" in capsys.readouterr().out


def test_save_and_open_a_design_and_a_bad_file_gets_a_sentence(qtbot, lab, tmp_path):
    build_small_cnn(qtbot, lab)
    path = tmp_path / "small.json"
    lab.ask_save_path = lambda: str(path)
    lab.ask_open_path = lambda: str(path)
    click(qtbot, lab.save_button)
    saved = copy.deepcopy(lab.design)
    choose(qtbot, lab.preset_box, "MLP")
    click(qtbot, lab.preset_button)
    assert lab.table.rowCount() == 3
    click(qtbot, lab.open_button)
    assert lab.design == saved and lab.table.text(1, OUTPUT) == "13×13×8"
    path.write_text('{"name": "x", "input_shape": [28, 28, 1], "layers": [{"class": "Dense", '
                    '"config": {"units": -3}}]}')
    click(qtbot, lab.open_button)
    assert lab.message_bar.level is MessageLevel.ERROR
    assert "cannot be opened" in lab.message_bar.text() and "units" in lab.message_bar.text()
    assert lab.design == saved  # nothing lost


def test_the_time_per_epoch_is_measured_off_the_gui_thread(qtbot, lab):
    build_small_cnn(qtbot, lab)
    qtbot.waitUntil(lambda: lab.estimate is not None, timeout=FIRST_STEP_MS)
    assert lab.estimate.images == 55_000 and lab.estimate.seconds_per_batch > 0
    assert "per epoch on this computer" in lab.estimate_label.text()


def test_a_colour_design_goes_to_the_train_tab_which_explains_what_it_needs(qtbot, lab,
                                                                              tmp_path):
    session = DigitSession(lenet5("classic"), "test model")
    train = TrainView(session, MnistSource(tmp_path / "no-mnist"))
    qtbot.addWidget(train)
    lab.train_requested.connect(train.set_design)
    choose(qtbot, lab.preset_box, "colour")
    click(qtbot, lab.preset_button)
    with qtbot.waitSignal(lab.train_requested):
        click(qtbot, lab.train_button)
    assert "takes 32×32×3 images and gives 10 class scores, but MNIST has 28×28×1 images" in (
        train.fit_label.text())
    assert not train.start_button.isEnabled() and not train.step_button.isEnabled()
    train.settings.dataset_box.setCurrentIndex(train.settings.dataset_box.findData("cifar10"))
    assert train.fit_label.text() == "" and train.start_button.isEnabled()


def test_train_this_design_trains_it_in_the_train_tab(qtbot, lab, tmp_path):
    session = DigitSession(lenet5("classic"), "test model")
    session.mark_ready()
    train = TrainView(session, MnistSource(tmp_path / "no-mnist"))
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (300, 28, 28)).astype(np.uint8)
    labels = rng.integers(0, 10, 300).astype(np.uint8)
    train.set_data(MnistData(images, labels, images[:50], labels[:50]))
    train.settings.epochs_box.setValue(50)
    qtbot.addWidget(train, before_close_func=lambda v: (v.shutdown(), workers.wait_for_workers(v)))
    lab.train_requested.connect(train.set_design)
    build_small_cnn(qtbot, lab)
    with qtbot.waitSignal(lab.train_requested):
        click(qtbot, lab.train_button)
    assert "the Lab's design" in train.design_label.text()
    click(qtbot, train.start_button)
    qtbot.waitUntil(lambda: train.last_step is not None and train.last_step.step >= 2,
                    timeout=FIRST_STEP_MS)
    kinds = [type(layer).__name__ for layer in session.model.layers]
    assert kinds == ["Conv2D", "MaxPool2D", "Flatten", "Dense"]
    assert session.model.layers[0].params["kernel"].shape == (3, 3, 1, 8)
    assert "Training the Lab's design" in train.message_bar.text()
    train.shutdown()


def test_the_window_has_a_lab_tab_that_hands_its_design_to_the_train_tab(qtbot, make_window):
    window = make_window(warm=False)
    index = window.tabs.indexOf(window.lab_tab)
    assert window.tabs.tabText(index) == "Lab"
    window.tabs.setCurrentIndex(index)
    click(qtbot, window.lab_tab.train_button)  # the small VGG it starts from
    assert window.tabs.currentWidget() is window.train_tab
    builder, description = window.train_tab.design
    assert description == "the Lab's design small-vgg"
    assert builder(0).get_config() == window.lab_tab.design.build(0).get_config()
    assert window.train_tab.lenet_button.isVisible()
    click(qtbot, window.train_tab.lenet_button)
    assert window.train_tab.design is None and not window.train_tab.design_label.isVisible()

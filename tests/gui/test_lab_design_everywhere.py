"""The architecture lab end to end, as a student does it: a CNN that is not LeNet-5 built in
the Lab tab by clicks and typing (an impossible kernel explained and Train disabled on the
way), trained for a few batches in the Train tab on generated digits, and then every tab —
Draw (activations, kernels, layer table), Stepper and Image inspection — shows that network's
layers, kernels and shapes, with the weights it was trained to."""

from __future__ import annotations

import numpy as np
from model_views import check_every_tab_shows_the_model
from qt_actions import choose, click, type_into

from convviz.core.training.data import MnistData
from convviz.gui.model_file import CloseChoice
from convviz.gui.train.view import TrainState

FIRST_STEP_MS = 180_000  # a cold Numba cache compiles the new network's kernels first


def add(qtbot, lab, kind: str) -> None:
    choose(qtbot, lab.add_box, kind)
    click(qtbot, lab.add_button)


def test_a_lab_design_trained_in_the_app_is_what_every_tab_shows(qtbot, window):
    window.model_file.ask_keep_weights = lambda training: CloseChoice.DISCARD  # at teardown
    window.tabs.setCurrentWidget(window.lab_tab)
    lab = window.lab_tab
    choose(qtbot, lab.preset_box, "an empty")
    click(qtbot, lab.preset_button)
    add(qtbot, lab, "Conv2D")                         # conv 6 × 5×5 same, tanh
    type_into(qtbot, lab.editor.fields["filters"], "6")
    type_into(qtbot, lab.editor.fields["kernel_size"], "5")
    choose(qtbot, lab.editor.fields["activation"], "tanh")
    add(qtbot, lab, "AvgPool2D")
    add(qtbot, lab, "Conv2D")                         # conv 12 × 3×3 valid, relu
    type_into(qtbot, lab.editor.fields["filters"], "12")
    choose(qtbot, lab.editor.fields["padding"], "valid")
    type_into(qtbot, lab.editor.fields["kernel_size"], "15")   # cannot fit 14×14
    assert not lab.train_button.isEnabled()
    assert "does not fit the 14×14 input of this layer" in lab.problems_label.text()
    type_into(qtbot, lab.editor.fields["kernel_size"], "3")
    add(qtbot, lab, "MaxPool2D")
    add(qtbot, lab, "Flatten")
    add(qtbot, lab, "Dense")
    type_into(qtbot, lab.editor.fields["units"], "10")
    choose(qtbot, lab.editor.fields["activation"], "linear")
    assert lab.train_button.isEnabled(), lab.problems_label.text()
    click(qtbot, lab.train_button)
    train = window.train_tab
    assert window.tabs.currentWidget() is train

    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (256, 28, 28)).astype(np.uint8)
    labels = rng.integers(0, 10, 256).astype(np.uint8)
    train.set_data(MnistData(images, labels, images[:64], labels[:64]))
    train.settings.epochs_box.setValue(1)             # a few batches: one epoch of 256 digits
    click(qtbot, train.start_button)
    qtbot.waitUntil(lambda: train.state is TrainState.IDLE and train.worker is None
                    and train.last_step is not None, timeout=FIRST_STEP_MS)
    assert train.last_step.step >= 3 and train.run.status == "completed"

    shown = window.session.model
    assert [type(layer).__name__ for layer in shown.layers] == [
        "Conv2D", "AvgPool2D", "Conv2D", "MaxPool2D", "Flatten", "Dense"]
    assert shown.layers[0].params["kernel"].shape == (5, 5, 1, 6)
    assert shown.layers[2].params["kernel"].shape == (3, 3, 6, 12)
    for mine, trained in zip(shown.get_weights(), train.trainer.model.get_weights(),
                             strict=True):
        np.testing.assert_array_equal(mine, trained)        # the weights it was trained to
    captions = " ".join(html for _, html, _ in window.draw_tab.activation_view._titles)
    assert "conv 5×5 same<br>tanh" in captions and "avg pool 2×2" in captions
    assert "conv 3×3<br>relu" in captions and "C1" not in captions
    check_every_tab_shows_the_model(qtbot, window)

"""The Stepper's backward mode, driven by keys and clicks: every number it shows is the
core's backward pass (and, for a learned C1 filter, the network's own gradient)."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from qt_actions import draw_digit, shown

from convviz.core.backward_stepper import BackwardStepper
from convviz.core.formatting import format_number
from convviz.core.nn.presets import lenet5_classic
from convviz.gui.stepper.backward import NETWORK, ONES, PREDICTED, RANDOM, TYPED
from convviz.gui.stepper.view import StepperView


def open_backward(qtbot, view: StepperView):
    bar = view.modes.tabBar()
    index = view.modes.indexOf(view.backward_page)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert view.backward_mode
    return view.backward_view


def pick(combo, text):
    combo.setCurrentIndex(combo.findText(text))
    assert combo.currentText() == text


def shown_cells(grid) -> np.ndarray:
    return np.asarray(grid.values, np.float64)


@pytest.fixture
def view(qtbot):
    return shown(qtbot, StepperView(), 1500, 950)


def test_the_kernel_gradient_fills_in_tap_by_tap_from_the_keys(qtbot, view):
    backward = open_backward(qtbot, view)
    walk = backward.walk
    assert isinstance(walk, BackwardStepper) and walk.target == "kernel"
    assert walk.n_steps == 9                          # the slides' 3x3 vertical-edge kernel
    np.testing.assert_array_equal(walk.output_gradient[:, :, 0], np.ones((4, 4)))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert walk.position == 2
    result = shown_cells(backward.result_grid).ravel()
    np.testing.assert_allclose(result[:3], walk.kernel_gradient[:, :, 0].ravel()[:3])
    assert np.isnan(result[3:]).all()
    # all-ones dL/dY: dL/dW[u, v] is the sum of the inputs tap (u, v) reads
    x = view.stepper.x[:, :, 0].astype(np.float64)
    assert walk.kernel_gradient[0, 2, 0] == pytest.approx(x[0:4, 2:6].sum())
    assert "dL/dw[0, 2, 0]" in backward.explanation_label.text()
    assert "← " in backward.explanation_label.text()          # the update step
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert walk.position == 8
    np.testing.assert_allclose(shown_cells(backward.result_grid),
                               walk.kernel_gradient[:, :, 0])
    assert not view.stepper.position                 # the forward walk did not move


def test_the_input_gradient_and_its_flip(qtbot, view):
    backward = open_backward(qtbot, view)
    pick(backward.source_combo, RANDOM)
    pick(backward.target_combo, "input gradient dL/dX")
    walk = backward.walk
    assert walk.target == "input" and walk.n_steps == 36
    for _ in range(7):
        backward.buttons["Step ▶"].click()
    step = walk.step()
    assert step.pixel == (1, 1)
    np.testing.assert_allclose(step.values, walk.input_gradient[1, 1], rtol=1e-6)
    assert "rotated by 180°" in backward.explanation_label.text()
    shown_values = shown_cells(backward.result_grid).ravel()
    np.testing.assert_allclose(shown_values[:8], walk.input_gradient[:, :, 0].ravel()[:8])
    assert np.isnan(shown_values[8:]).all()


def test_pooling_steps_only_the_input_gradient(qtbot, view):
    view.controls.operation_combo.setCurrentText("Max pooling")
    backward = open_backward(qtbot, view)
    assert [backward.target_combo.itemText(k) for k in range(backward.target_combo.count())] \
        == ["input gradient dL/dX"]
    assert backward.walk.mode == "max"
    assert "routes each gradient to its winner" in backward.heading_label.text()


def test_a_setting_that_does_not_fit_turns_the_backward_walk_off_with_its_reason(qtbot, view):
    backward = open_backward(qtbot, view)
    view.controls.flip_check.setChecked(True)
    assert backward.walk is None and backward.error_label.isVisible()
    assert "flip" in backward.error_label.text()
    view.controls.flip_check.setChecked(False)
    assert backward.walk is not None and not backward.error_label.isVisible()


def test_the_networks_own_gradient_for_a_learned_c1_filter(qtbot, window):
    draw_digit(qtbot, window, 3)
    window.tabs.setCurrentWidget(window.stepper_tab)
    view = window.stepper_tab
    backward = open_backward(qtbot, view)
    pick(backward.source_combo, NETWORK)
    assert backward.walk is None and "C1 #0" in backward.error_label.text()
    view.controls.kernel_combo.setCurrentText("C1 #4")
    pick(backward.label_combo, "7")
    walk = backward.walk
    assert walk is not None and walk.n_steps == 25
    # the network's own C1 kernel gradient for filter 4, label 7
    model = window.session.model
    digit = window.session.digit.pixels[None, :, :, None]
    loss, grad = model.loss_and_gradient(model.forward(digit), np.array([7]))
    model.backward(grad)
    expected = model.layers[0].grads["kernel"][:, :, 0, 4]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    np.testing.assert_allclose(shown_cells(backward.result_grid), expected, rtol=1e-4,
                               atol=1e-6)
    assert walk.bias_gradient == pytest.approx(float(model.layers[0].grads["bias"][4]),
                                               rel=1e-4, abs=1e-7)
    assert "labelled 7" in backward.source_label.text()
    assert f"({format_number(loss)})" in backward.source_label.text()
    pick(backward.source_combo, ONES)
    assert backward.walk.output_gradient.shape[:2] == view.stepper.output_hw


def test_a_typed_output_gradient(qtbot, view):
    backward = open_backward(qtbot, view)
    pick(backward.source_combo, TYPED)
    assert backward.typed_table.isVisible()
    np.testing.assert_array_equal(backward.walk.output_gradient[:, :, 0], np.ones((4, 4)))
    backward.typed_table.edit_cell(0, 0, "3")
    backward.typed_table.edit_cell(2, 1, "-1.5")
    dy = backward.walk.output_gradient[:, :, 0]
    assert dy[0, 0] == 3 and dy[2, 1] == -1.5 and dy[1, 1] == 1
    x = view.stepper.x[:, :, 0].astype(np.float64)
    expected = sum(x[i, j] * dy[i, j] for i in range(4) for j in range(4))   # tap (0, 0)
    assert backward.walk.kernel_gradient[0, 0, 0] == pytest.approx(expected, rel=1e-5)
    pick(backward.source_combo, ONES)
    assert not backward.typed_table.isVisible()


def test_the_labels_follow_the_models_classes_and_a_bad_label_is_a_sentence(qtbot, window,
                                                                           tmp_path):
    draw_digit(qtbot, window, 3)
    window.tabs.setCurrentWidget(window.stepper_tab)
    view = window.stepper_tab
    backward = open_backward(qtbot, view)
    pick(backward.source_combo, NETWORK)
    view.controls.kernel_combo.setCurrentText("C1 #4")
    pick(backward.label_combo, "7")
    assert backward.walk is not None
    # File > Open model refuses models without 10 classes until every view is general (the
    # architecture-lab issue); the session takes one directly, as a general app will
    window.session.set_model(lenet5_classic(classes=3, seed=1), "a 3-class network")
    assert window.session.model.output_shape == (3,)
    labels = [backward.label_combo.itemText(k) for k in range(backward.label_combo.count())]
    assert labels == [PREDICTED, "0", "1", "2"]
    assert backward.label_combo.currentText() == PREDICTED   # 7 is gone: the prediction
    view.controls.kernel_combo.setCurrentText("C1 #1")     # the new model's own filter
    pick(backward.label_combo, "2")
    assert backward.walk is not None and "labelled 2" in backward.source_label.text()
    # a label the model lacks, had one come through, is the view's sentence, not an exception
    backward.label_combo.addItem("5")
    pick(backward.label_combo, "5")
    assert backward.walk is None and not backward.left_grid.isVisible()
    assert "from 0 to 2" in backward.error_label.text()

"""A what-if experiment is never saved or trained on by accident, and the views around it
never show stale or unmarked numbers: Save writes the trained weights and says so, Start
restores them first, training's weight pushes end an experiment cleanly, the temperature is
marked wherever it applies and is 1 again for a new model, the sweep follows its network, and
the accuracy waits for training's weights to settle."""

import numpy as np
from fake_data import synthetic_digits, write_mnist
from PySide6.QtCore import Qt
from qt_actions import draw_digit, draw_stroke
from test_what_if_view import click_map, open_what_if

from convviz.core import Activation, Sequential, lenet5
from convviz.core.experiments import shift_sweep
from convviz.core.nn.serialization import load_model, save_model
from convviz.core.training.data import MnistData
from convviz.core.training.evaluation import evaluate
from convviz.gui.model_file import CloseChoice

ACCURACY_MS = 60_000
FIRST_STEP_MS = 180_000   # a cold Numba cache compiles the training kernels first


def same(a, b) -> bool:
    return all(x.tobytes() == y.tobytes() for x, y in zip(a, b, strict=True))


def test_save_writes_the_trained_weights_not_the_experiment_and_says_so(qtbot, window,
                                                                        tmp_path):
    draw_digit(qtbot, window, 5)
    trained = window.session.model.get_weights()
    view = open_what_if(qtbot, window)
    click_map(qtbot, view, "C1", 2)
    assert window.session.experiment is not None
    assert "what-if experiment on" in window.windowTitle()
    path = tmp_path / "saved.npz"
    window.model_file.ask_save_path = lambda: path
    window.model_file.save_action.trigger()                 # File > Save model (Ctrl+S)
    assert same(load_model(path).get_weights(), trained)
    assert "trained weights, not the what-if experiment" in window.message_bar.text()
    assert "C1 #2" in window.message_bar.text()
    assert not window.session.activations[0][..., 2].any()   # the experiment stays on show
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert window.session.experiment is None
    assert "what-if" not in window.windowTitle()


def test_start_training_restores_the_trained_weights_first(qtbot, window):
    draw_digit(qtbot, window, 5)
    session = window.session
    trained = session.model.get_weights()
    view = open_what_if(qtbot, window)
    click_map(qtbot, view, "C1", 2)
    tab = window.train_tab
    tab.set_data(MnistData(*synthetic_digits(256, 0), *synthetic_digits(64, 1)))
    tab.settings.epochs_box.setValue(200)
    tab.settings.start_box.setCurrentIndex(tab.settings.start_box.findData("current"))
    assert tab.settings.starts_from_current
    window.tabs.setCurrentWidget(tab)
    try:
        qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        assert tab.is_training
        assert session.experiment is None and same(session.model.get_weights(), trained)
        assert not view.what_if.is_modified and not view.reset_button.isEnabled()
        assert "experiment (switched off: C1 #2) was undone" in tab.message_bar.text()
        qtbot.waitUntil(lambda: tab.last_step is not None and tab.last_step.step >= 2,
                        timeout=FIRST_STEP_MS)
        # C1 #2 trains on from its trained kernel, not from the zeros of the experiment
        kernel = tab.trainer.model.layers[0].params["kernel"][..., 2]
        before = trained[0][..., 2]
        assert np.abs(kernel - before).max() < 0.25 * np.abs(before).max()
    finally:
        tab.shutdown()
        window.model_file.ask_keep_weights = lambda training: CloseChoice.DISCARD


def test_weights_pushed_by_training_end_an_experiment_cleanly(qtbot, window):
    draw_digit(qtbot, window, 3)
    session = window.session
    view = open_what_if(qtbot, window)
    click_map(qtbot, view, "C3", 4)
    pushed = [w * 1.01 for w in view.what_if.trained_weights()]
    session.set_weights(pushed)                      # what the Train tab does 5 times a second
    assert session.experiment is None and not view.what_if.is_modified
    assert "experiment ended" in view.status_label.text()
    assert "what-if" not in window.windowTitle()
    assert same(view.what_if.trained_weights(), pushed)   # the baseline: training's weights
    assert session.activations[2][..., 4].any()


def test_the_temperature_is_marked_reset_for_a_new_model_and_off_for_softmax(qtbot, window,
                                                                            tmp_path):
    draw_digit(qtbot, window, 3)
    view = open_what_if(qtbot, window)
    view.temperature_slider.setFocus()
    for _ in range(4):
        qtbot.keyClick(view.temperature_slider, Qt.Key.Key_Right)
    assert window.session.temperature == 2.0
    assert "T = 2" in window.draw_tab.prediction_view.confidence_label.text()
    window.tabs.setCurrentWidget(window.train_tab)
    assert "T = 2" in window.train_tab.probe_view.confidence_label.text()
    window.tabs.setCurrentWidget(window.draw_tab)
    qtbot.mouseClick(view.sweep_button, Qt.MouseButton.LeftButton)
    expected = shift_sweep(window.session.model, window.session.digit.pixels, temperature=2.0)
    _, ys = view.sweep_curves[3].getData()
    np.testing.assert_allclose(ys, expected.probabilities[:, 3], rtol=1e-5)
    assert view.sweep.temperature == 2.0
    why = window.draw_tab.why_view
    window.draw_tab.show_detail(why)
    qtbot.waitUntil(lambda: why.explanation is not None and not why.busy, timeout=20_000)
    assert "at T = 1" in why.question_label.text()
    window.draw_tab.show_detail(view)

    softmax_model = lenet5("classic", seed=3)
    softmax_model = Sequential([*softmax_model.layers, Activation("softmax")],
                               input_shape=softmax_model.input_shape)
    path = tmp_path / "softmax.npz"
    save_model(softmax_model, path)
    window.model_file.ask_open_path = lambda: path
    with qtbot.waitSignal(window.model_file.open_finished, timeout=20_000):  # read off-thread
        window.model_file.open_action.trigger()             # File > Open model…
    assert window.session.temperature == 1.0 and view.temperature == 1.0
    assert "T =" not in window.draw_tab.prediction_view.confidence_label.text()
    assert not view.temperature_slider.isEnabled()
    assert "applies softmax itself" in view.temperature_slider.toolTip()
    assert view.sweep is None and all(curve.getData()[0] is None or not len(curve.getData()[0])
                                      for curve in view.sweep_curves)


def sweep_shown(view) -> np.ndarray:
    return np.stack([curve.getData()[1] for curve in view.sweep_curves], axis=1)


def test_the_sweep_follows_new_drawings_and_experiments(qtbot, window):
    draw_digit(qtbot, window, 7)
    view = open_what_if(qtbot, window)
    qtbot.mouseClick(view.sweep_button, Qt.MouseButton.LeftButton)
    first = sweep_shown(view).copy()
    draw_stroke(qtbot, window, [(40.0, 40.0), (60.0, 160.0)])      # a new drawing
    now = shift_sweep(window.session.model, window.session.digit.pixels)
    np.testing.assert_allclose(sweep_shown(view), now.probabilities, rtol=1e-5)
    assert not np.allclose(sweep_shown(view), first)
    click_map(qtbot, view, "C1", 2)                                   # an experiment
    now = shift_sweep(window.session.model, window.session.digit.pixels)
    np.testing.assert_allclose(sweep_shown(view), now.probabilities, rtol=1e-5)


def test_training_weights_are_scored_once_still_and_own_changes_at_once(qtbot, make_window,
                                                                        tmp_path):
    images, labels = synthetic_digits(200, seed=1)
    write_mnist(tmp_path / "mnist", (images, labels), (images[:120], labels[:120]))
    window = make_window(data_dir=tmp_path / "mnist")
    qtbot.waitUntil(lambda: window.draw_tab.mnist is not None, timeout=10_000)
    draw_digit(qtbot, window, 2)
    view = open_what_if(qtbot, window)
    qtbot.waitUntil(lambda: view.accuracy is not None and not view._accuracy_worker.busy,
                    timeout=ACCURACY_MS)
    session = window.session
    trained = session.model.get_weights()
    for step in range(1, 6):                         # five pushes 0.1 s apart, as training
        session.set_weights([w * (1 + 0.02 * step) for w in trained])
        assert not view._accuracy_worker.busy        # no evaluation runs against the trainer
        qtbot.wait(100)
    assert "still" in view.accuracy_label.text()
    expected = evaluate(session.model.clone(), images[:120], labels[:120]).accuracy
    qtbot.waitUntil(lambda: view.accuracy == expected and not view._accuracy_worker.busy
                    and not view._weights_settled.pending, timeout=ACCURACY_MS)   # once still
    assert view.trained_accuracy == expected
    click_map(qtbot, view, "C1", 1)                  # the view's own change: scored at once
    assert view._accuracy_worker.busy
    qtbot.waitUntil(lambda: not view._accuracy_worker.busy, timeout=ACCURACY_MS)
    assert view.trained_accuracy == expected         # kept: still valid
    assert view.accuracy == evaluate(session.model.clone(), images[:120],
                                     labels[:120]).accuracy


def test_the_kernel_editor_says_its_channel_and_edits_switch_a_filter_back_on(qtbot, window):
    draw_digit(qtbot, window, 4)
    view = open_what_if(qtbot, window)
    assert "input channel 0" in view.kernel_channel_label.text()
    click_map(qtbot, view, "C1", 3)
    view.kernel_combo.setCurrentIndex(3)
    view.kernel_table.edit_cell(1, 2, "2.5")
    assert ("C1", 3) not in view.what_if.switched_off
    assert window.session.model.layers[0].params["kernel"][1, 2, 0, 3] == 2.5
    assert window.session.activations[0][..., 3].any()
    assert "switched it on again" in view.status_label.text()

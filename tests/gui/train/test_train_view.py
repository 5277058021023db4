"""The Train tab, driven through its buttons: runs on a worker thread, live views, evaluation,
divergence, models saved and reopened, and closing the window mid-run.

Training data are small generated digits (a bright bar whose place says the class), injected
into the tab, so no test needs MNIST or the network. Assertions are on state and on the data
the views hold (curve.getData(), image_item.image), never on pixels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fake_data import bar_digits, write_mnist
from PySide6.QtCore import QSettings, Qt

from convviz.core import lenet5
from convviz.core.drawing.digit_preprocess import PreparedDigit
from convviz.core.nn.serialization import load_model
from convviz.core.training.data import MNIST_FILES, DatasetError, MnistData, images_to_float
from convviz.core.training.trainer import StepRecord
from convviz.gui import workers
from convviz.gui.main_window import MainWindow
from convviz.gui.mnist_source import MnistSource
from convviz.gui.model_file import CloseChoice
from convviz.gui.session import DigitSession
from convviz.gui.train.data_dialog import MnistDialog
from convviz.gui.train.plots import TrainingPlots
from convviz.gui.train.view import TrainState, TrainView
from convviz.gui.widgets.message_bar import MessageLevel

FIRST_STEP_MS = 180_000  # a cold Numba cache compiles the training kernels first
STEP_MS = 20_000
LEFT = Qt.MouseButton.LeftButton


def small_mnist(train: int = 512, test: int = 200) -> MnistData:
    return MnistData(*bar_digits(train, 0), *bar_digits(test, 1, wrong_labels=0.2))


def a_digit() -> PreparedDigit:
    images, _ = bar_digits(1, 7)
    return PreparedDigit(images[0].astype(np.float32) / 255, None)


@pytest.fixture
def session():
    made = DigitSession(lenet5("classic"), "test model")
    made.mark_ready()  # batch-1 kernels on this thread, as the warm-up worker would
    made.set_input(a_digit())
    return made


@pytest.fixture
def view(qtbot, session, tmp_path):
    made = TrainView(session, MnistSource(tmp_path / "no-mnist"))
    made.set_data(small_mnist())
    made.settings.epochs_box.setValue(200)  # runs outlast every test; they are stopped
    made.settings.batch_box.setValue(32)
    qtbot.addWidget(made, before_close_func=stop_work)
    made.resize(1400, 850)
    made.show()
    return made


def stop_work(view: TrainView) -> None:
    """What the main window does for its Train tab on close: stop the run, wait for workers."""
    view.shutdown()
    workers.wait_for_workers(view)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def curve_length(view: TrainView, quantity: str, name: str) -> int:
    x, _ = view.plots.curves[quantity, name].getData()
    return 0 if x is None else len(x)


def steps_done(view: TrainView) -> int:
    return 0 if view.last_step is None else view.last_step.step


def wait_until_parked(qtbot, view: TrainView) -> None:
    """Until the paused worker has parked and its report has reached the views."""
    qtbot.waitUntil(lambda: view.worker.waiting and not view.worker._reports, timeout=STEP_MS)
    view._drain()


def test_start_pause_resume_stop_with_the_buttons(qtbot, view):
    click(qtbot, view.start_button)
    assert view.state is TrainState.RUNNING and view.worker.isRunning()
    assert not view.settings.batch_box.isEnabled() and view.settings.learning_rate_box.isEnabled()
    qtbot.waitUntil(lambda: steps_done(view) >= 3, timeout=FIRST_STEP_MS)
    assert view.progress_bar.value() >= 3
    assert "images/s" in view.speed_label.text()

    click(qtbot, view.pause_button)
    assert view.pause_button.text().endswith("Resume")
    wait_until_parked(qtbot, view)
    parked = view.trainer.step
    qtbot.wait(150)  # a few refresh ticks: nothing moves while paused
    assert view.trainer.step == parked == steps_done(view)

    click(qtbot, view.pause_button)
    assert view.state is TrainState.RUNNING
    qtbot.waitUntil(lambda: steps_done(view) > parked, timeout=STEP_MS)

    with qtbot.waitSignal(view.worker.finished, timeout=STEP_MS):  # the thread ends
        click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=STEP_MS)
    assert view.worker is None
    assert "stopped" in view.message_bar.text()
    assert view.start_button.isEnabled() and view.reset_button.isEnabled()
    assert view.settings.batch_box.isEnabled()
    # The session holds the trainer's last weights.
    for shown, trained in zip(view.session.model.get_weights(), view.trainer.model.get_weights(),
                              strict=True):
        np.testing.assert_array_equal(shown, trained)

    click(qtbot, view.reset_button)
    assert curve_length(view, "loss", "batch") == 0
    assert view.progress_bar.text() == "not started"


def test_the_curves_grow_and_epochs_add_points(qtbot, view):
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: curve_length(view, "loss", "batch") >= 2, timeout=FIRST_STEP_MS)
    batches = curve_length(view, "loss", "batch")
    qtbot.waitUntil(lambda: curve_length(view, "loss", "batch") > batches, timeout=STEP_MS)
    qtbot.waitUntil(lambda: curve_length(view, "accuracy", "test") >= 2, timeout=STEP_MS)
    for quantity in ("loss", "accuracy"):
        for name in ("smoothed", "train", "validation"):
            assert curve_length(view, quantity, name) >= 1, (quantity, name)
    x, loss = view.plots.values("loss", "batch")
    assert np.all(np.diff(x) > 0) and np.all(loss > 0)
    assert len(view.plots.curves["loss", "batch"].getData()[0]) == len(x)
    _, accuracy = view.plots.curves["accuracy", "test"].getData()
    assert np.all((0 <= accuracy) & (accuracy <= 100))


def test_kernels_maps_and_the_draw_tab_follow_the_training(qtbot, view, session):
    kernels = view.kernel_view.grids[0][1].image_item.image.copy()
    maps = view.probe_view.grids[0][1].image_item.image.copy()
    first_kernel = session.model.layers[0].params["kernel"].copy()
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: steps_done(view) >= 5, timeout=FIRST_STEP_MS)
    qtbot.waitUntil(lambda: not np.array_equal(
        view.kernel_view.grids[0][1].image_item.image, kernels, equal_nan=True), timeout=STEP_MS)
    qtbot.waitUntil(lambda: not np.array_equal(
        view.probe_view.grids[0][1].image_item.image, maps, equal_nan=True), timeout=STEP_MS)
    # The session's own model (GUI thread) got new weights; the trainer's is another object.
    assert not np.array_equal(session.model.layers[0].params["kernel"], first_kernel)
    assert session.model is not view.trainer.model
    assert all(a is not b for a, b in zip(session.model.layers, view.trainer.model.layers,
                                          strict=False))


def test_one_batch_at_a_time(qtbot, view):
    click(qtbot, view.step_button)
    assert view.state is TrainState.PAUSED
    qtbot.waitUntil(lambda: steps_done(view) == 1, timeout=FIRST_STEP_MS)
    wait_until_parked(qtbot, view)
    assert view.trainer.step == 1
    click(qtbot, view.step_button)
    qtbot.waitUntil(lambda: steps_done(view) == 2, timeout=STEP_MS)
    wait_until_parked(qtbot, view)
    assert view.trainer.step == 2
    np.testing.assert_array_equal(view.session.model.layers[0].params["kernel"],
                                  view.trainer.model.layers[0].params["kernel"])


def test_the_learning_rate_changes_while_training_runs(qtbot, view):
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: steps_done(view) >= 2, timeout=FIRST_STEP_MS)
    assert view.last_step.learning_rate == pytest.approx(0.001)
    view.settings.learning_rate_box.setValue(0.0003)
    qtbot.waitUntil(lambda: view.last_step.learning_rate == pytest.approx(0.0003),
                    timeout=STEP_MS)
    qtbot.waitUntil(lambda: "learning rate 0.0003" in view.speed_label.text(), timeout=STEP_MS)
    assert "learning rate 0.0003," in view.message_bar.text(), "the banner names the new rate"
    assert "0.001" not in view.message_bar.text()


def test_after_another_model_is_opened_no_text_describes_the_run_before(qtbot, view, session):
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.results_view.evaluation is not None, timeout=FIRST_STEP_MS)
    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=STEP_MS)
    assert "After epoch" in view.summary_label.text() and view.message_bar.isVisible()
    session.set_model(lenet5("classic", seed=5), "other.npz")  # what Open model does
    assert view.summary_label.text() == "" and not view.message_bar.isVisible()
    assert view.progress_bar.format() == "not started"
    assert curve_length(view, "loss", "batch") == 0 and view.results_view.evaluation is None


def test_a_diverging_run_stops_and_keeps_the_last_good_weights(qtbot, view):
    settings = view.settings
    settings.arch_box.setCurrentIndex(settings.arch_box.findData("modern"))
    settings.optimizer_box.setCurrentIndex(settings.optimizer_box.findData("sgd"))
    settings.learning_rate_box.setValue(10_000.0)  # ReLUs blow up
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=FIRST_STEP_MS)
    message = view.message_bar.text()
    assert "NaN or infinite" in message and "last good weights" in message
    assert view.message_bar.isVisible() and view.message_bar.level is MessageLevel.ERROR
    weights = view.session.model.get_weights()
    assert all(np.isfinite(w).all() for w in weights)
    for shown, kept in zip(weights, view.trainer.model.get_weights(), strict=True):
        np.testing.assert_array_equal(shown, kept)
    assert np.isfinite(view.session.probabilities).all()


def test_settings_that_cannot_train_are_explained(qtbot, view):
    images, labels = bar_digits(300, 3)
    labels[0] = 12
    view.set_data(MnistData(images, labels, images, labels))
    click(qtbot, view.start_button)
    assert view.state is TrainState.IDLE and view.worker is None
    assert "labels must be digits 0-9" in view.message_bar.text()
    assert view.settings.learning_rate_box.minimum() > 0  # the widgets rule out the rest
    assert view.settings.batch_box.minimum() == 1 and view.settings.dropout_box.maximum() < 1


def test_the_confusion_matrix_lists_the_digits_of_a_clicked_cell(qtbot, view):
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.results_view.evaluation is not None, timeout=FIRST_STEP_MS)
    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=STEP_MS)
    results = view.results_view
    evaluation = results.evaluation
    assert evaluation.count == 200
    np.testing.assert_array_equal(results.confusion_view.confusion, evaluation.confusion)
    mistakes = evaluation.confusion.copy()
    np.fill_diagonal(mistakes, 0)
    true, predicted = np.unravel_index(int(np.argmax(mistakes)), mistakes.shape)
    assert mistakes[true, predicted] > 0  # a fifth of the test labels are wrong
    confusion_view = results.confusion_view
    qtbot.mouseClick(confusion_view.viewport(), LEFT,
                     pos=confusion_view.cell_centre(int(true), int(predicted)).toPoint())
    assert results.selected == (true, predicted)
    shown = results.shown_indices()
    assert len(shown) == min(mistakes[true, predicted], 60)
    assert all(evaluation.labels[i] == true and evaluation.predictions[i] == predicted
               for i in shown)
    assert f"labelled <b>{true}</b> called <b>{predicted}</b>" in results.cell_label.text()
    assert results.digit_list.item(0).text().startswith(f"{true}→{predicted} ")


# --- data ----------------------------------------------------------------------------------------

def write_small_mnist(folder: Path, mnist: MnistData) -> None:
    write_mnist(folder, (mnist.train_images, mnist.train_labels),
                (mnist.test_images, mnist.test_labels))


def test_without_mnist_start_asks_for_it_then_trains(qtbot, session, tmp_path):
    view = TrainView(session, MnistSource(tmp_path / "empty"))
    qtbot.addWidget(view)
    view.settings.epochs_box.setValue(1)
    asked = []
    view.ask_for_data = lambda parent, folder: asked.append(folder)  # declined: None
    click(qtbot, view.start_button)
    assert asked == [tmp_path / "empty"] and view.state is TrainState.IDLE
    assert "needs the MNIST digits" in view.message_bar.text()

    folder = tmp_path / "chosen"
    write_small_mnist(folder, small_mnist(train=300, test=50))
    view.ask_for_data = lambda parent, start: folder
    with qtbot.waitSignal(view.data.loaded, timeout=STEP_MS):
        click(qtbot, view.start_button)
    assert view.data_dir == folder and len(view.mnist.train_labels) == 300
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=FIRST_STEP_MS)
    assert view.message_bar.text().startswith("Trained 1 epochs")
    stop_work(view)  # before the view, local to this test, is deleted


def test_the_download_dialog_reports_progress_and_failures(qtbot, tmp_path):
    def fake_download(folder, progress):
        for done in (0, 40, 100):
            progress(next(iter(MNIST_FILES)), done, 100)
        write_small_mnist(folder, small_mnist(train=20, test=10))
        return folder

    dialog = MnistDialog(tmp_path / "mnist", download=fake_download)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=STEP_MS):
        click(qtbot, dialog.download_button)
    assert dialog.data_dir == tmp_path / "mnist" and dialog.progress_bar.value() == 100

    def failing_download(folder, progress):
        raise DatasetError("Downloading MNIST failed: no mirror delivered it")

    dialog = MnistDialog(tmp_path / "other", download=failing_download,
                         choose=lambda parent, start: tmp_path)
    qtbot.addWidget(dialog)
    click(qtbot, dialog.download_button)
    qtbot.waitUntil(lambda: not dialog.downloading, timeout=STEP_MS)
    assert "no mirror delivered it" in dialog.message_bar.text()
    assert dialog.message_bar.level is MessageLevel.ERROR
    assert dialog.download_button.isEnabled()
    click(qtbot, dialog.folder_button)  # tmp_path holds no MNIST files
    assert "does not hold the MNIST files" in dialog.message_bar.text()
    assert dialog.data_dir == tmp_path / "other"  # not accepted


def test_cancelling_a_download_keeps_nothing(qtbot, tmp_path):
    def endless_download(folder, progress):
        while True:
            progress("train-images-idx3-ubyte.gz", 1, 10)  # raises once cancelled

    dialog = MnistDialog(tmp_path / "mnist", download=endless_download)
    qtbot.addWidget(dialog)
    click(qtbot, dialog.download_button)
    qtbot.waitUntil(lambda: "File 1 of 4" in dialog.message_bar.text(), timeout=STEP_MS)
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: not dialog.downloading, timeout=STEP_MS)
    assert "cancelled" in dialog.message_bar.text()
    assert dialog.message_bar.level is MessageLevel.INFO
    assert not (tmp_path / "mnist").exists() or not any((tmp_path / "mnist").iterdir())


# --- the window: models and closing ---------------------------------------------------------------

@pytest.fixture
def window(qtbot, tmp_path):
    made = MainWindow(DigitSession(lenet5("classic"), "test model"),
                      QSettings(str(tmp_path / "convviz.ini"), QSettings.Format.IniFormat),
                      tmp_path / "no-mnist")
    qtbot.addWidget(made)
    made.session.mark_ready()
    made.session.set_input(a_digit())
    made.train_tab.set_data(small_mnist())
    made.train_tab.settings.epochs_box.setValue(200)
    made.show()
    yield made
    made.train_tab.shutdown()


def test_closing_during_training_asks_and_leaves_no_thread(qtbot, window, tmp_path):
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    click(qtbot, tab.start_button)
    qtbot.waitUntil(lambda: steps_done(tab) >= 2, timeout=FIRST_STEP_MS)
    assert window.windowTitle().endswith(" *")
    questions = []
    window.model_file.ask_keep_weights = (
        lambda training: questions.append(training) or CloseChoice.CANCEL)
    window.close()
    assert questions == [True] and window.isVisible() and tab.worker.isRunning()

    worker = tab.worker
    saved = tmp_path / "kept.npz"
    window.model_file.ask_keep_weights = lambda training: CloseChoice.SAVE
    window.model_file.ask_save_path = lambda: saved
    window.close()
    assert not window.isVisible()
    assert not worker.isRunning() and tab.worker is None
    kept = load_model(saved)
    for in_file, trained in zip(kept.get_weights(), tab.trainer.model.get_weights(), strict=True):
        np.testing.assert_array_equal(in_file, trained)


def test_discarding_on_close_leaves_saved_files_alone(qtbot, window, tmp_path):
    saved = tmp_path / "before.npz"
    window.model_file.save(saved)
    before = saved.read_bytes()
    click(qtbot, window.train_tab.step_button)
    qtbot.waitUntil(lambda: window.model_file.modified, timeout=FIRST_STEP_MS)
    window.model_file.ask_keep_weights = lambda training: CloseChoice.DISCARD
    window.close()
    assert not window.isVisible() and window.train_tab.worker is None
    assert saved.read_bytes() == before


def test_a_saved_model_reopens_with_identical_predictions(qtbot, window, tmp_path):
    tab, model_file = window.train_tab, window.model_file
    assert window.windowTitle() == "convviz · test model"
    for steps in (1, 2, 3):
        click(qtbot, tab.step_button)
        qtbot.waitUntil(lambda steps=steps: steps_done(tab) == steps, timeout=FIRST_STEP_MS)
        wait_until_parked(qtbot, tab)
    click(qtbot, tab.stop_button)
    qtbot.waitUntil(lambda: tab.state is TrainState.IDLE, timeout=STEP_MS)
    assert window.windowTitle() == "convviz · new LeNet-5 classic, trained here *"
    images = small_mnist().test_images[:50]
    expected = window.session.model.predict(images_to_float(images))
    probabilities = window.session.probabilities.copy()

    path = tmp_path / "trained.npz"
    model_file.ask_save_path = lambda: path
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert path.is_file() and window.windowTitle() == "convviz · trained.npz"

    window.session.set_model(lenet5("classic", seed=5), "another")
    assert not np.allclose(window.session.probabilities, probabilities)
    model_file.ask_open_path = lambda: path
    with qtbot.waitSignal(model_file.open_finished, timeout=5000):
        model_file.open_action.trigger()
    assert window.windowTitle() == "convviz · trained.npz"
    np.testing.assert_array_equal(window.session.probabilities, probabilities)
    np.testing.assert_array_equal(window.session.model.predict(images_to_float(images)),
                                  expected)


def test_a_bad_model_file_is_reported_and_the_model_kept(qtbot, window, tmp_path):
    model = window.session.model
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    window.model_file.ask_open_path = lambda: bad
    with qtbot.waitSignal(window.model_file.open_finished, timeout=5000):
        window.model_file.open_action.trigger()
    assert window.session.model is model
    assert window.message_bar.level is MessageLevel.ERROR
    assert "could not be opened" in window.message_bar.text()


def train_one_batch(qtbot, window) -> list[np.ndarray]:
    """One batch from random weights, then stop: the window holds unsaved training (which
    the close at the end of the test discards)."""
    tab = window.train_tab
    window.model_file.ask_keep_weights = lambda training: CloseChoice.DISCARD
    click(qtbot, tab.step_button)
    qtbot.waitUntil(lambda: steps_done(tab) == 1, timeout=FIRST_STEP_MS)
    wait_until_parked(qtbot, tab)
    click(qtbot, tab.stop_button)
    qtbot.waitUntil(lambda: tab.state is TrainState.IDLE, timeout=STEP_MS)
    assert window.model_file.modified and window.windowTitle().endswith(" *")
    return window.session.model.get_weights()


def assert_weights(window, expected: list[np.ndarray]) -> None:
    for shown, kept in zip(window.session.model.get_weights(), expected, strict=True):
        np.testing.assert_array_equal(shown, kept)


@pytest.mark.parametrize("button", ["start_button", "step_button"])
def test_a_new_run_from_random_weights_asks_before_discarding_training(qtbot, window, tmp_path,
                                                                       button):
    tab, model_file = window.train_tab, window.model_file
    trained = train_one_batch(qtbot, window)
    asked = []
    model_file.ask_before_discarding = lambda action: asked.append(action) or CloseChoice.CANCEL
    click(qtbot, getattr(tab, button))
    assert asked == ["starting a new run from random weights"]
    assert tab.worker is None and tab.state is TrainState.IDLE
    assert_weights(window, trained)

    saved = tmp_path / "kept.npz"
    model_file.ask_before_discarding = lambda action: CloseChoice.SAVE
    model_file.ask_save_path = lambda: saved
    click(qtbot, getattr(tab, button))
    assert tab.worker is not None, "saved, then the new run starts"
    for in_file, before in zip(load_model(saved).get_weights(), trained, strict=True):
        np.testing.assert_array_equal(in_file, before)


def test_going_on_from_the_current_model_asks_nothing(qtbot, window):
    tab = window.train_tab
    train_one_batch(qtbot, window)
    window.model_file.ask_before_discarding = lambda action: pytest.fail("asked " + action)
    tab.settings.start_box.setCurrentIndex(tab.settings.start_box.findData("current"))
    click(qtbot, tab.step_button)
    assert tab.worker is not None


def test_opening_a_model_asks_before_discarding_training(qtbot, window, tmp_path):
    model_file = window.model_file
    other = tmp_path / "other.npz"
    model_file.save(other)
    trained = train_one_batch(qtbot, window)
    opened = []
    model_file.ask_open_path = lambda: opened.append(1) or other
    model_file.ask_before_discarding = lambda action: CloseChoice.CANCEL
    model_file.open_action.trigger()
    assert opened == [] and model_file.modified
    assert_weights(window, trained)

    model_file.ask_before_discarding = lambda action: CloseChoice.DISCARD
    with qtbot.waitSignal(model_file.open_finished, timeout=STEP_MS):  # read in the background
        model_file.open_action.trigger()
    assert opened == [1] and not model_file.modified
    assert window.windowTitle() == "convviz · other.npz"


def test_reset_clears_the_plots_but_keeps_the_unsaved_weights(qtbot, window):
    """Reset throws nothing away that is not on screen, so it asks nothing."""
    tab = window.train_tab
    trained = train_one_batch(qtbot, window)
    window.model_file.ask_before_discarding = lambda action: pytest.fail("asked " + action)
    click(qtbot, tab.reset_button)
    assert curve_length(tab, "loss", "batch") == 0
    assert_weights(window, trained)
    assert window.model_file.modified


def test_a_loss_that_explodes_is_stopped_marked_and_explained(qtbot, view):
    """Adam at learning rate 50: the weights stay finite, the loss jumps into the thousands."""
    view.settings.learning_rate_box.setValue(50.0)
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=FIRST_STEP_MS)
    text = view.message_bar.text()
    assert view.message_bar.level is MessageLevel.ERROR
    assert "far above its start" in text and "try a lower learning rate" in text
    assert view.plots.divergence_x == pytest.approx(
        view.trainer.step / view.trainer.batches_per_epoch)
    assert steps_done(view) == view.trainer.step < 3 * view.trainer.batches_per_epoch
    low, high = view.plots.loss_plot.viewRange()[1]
    assert high < 8, "the y range (log10) stays readable"
    view.plots.log_check.setChecked(False)
    assert not view.plots.loss_plot.getAxis("left").logMode
    low, high = view.plots.loss_plot.viewRange()[1]
    assert low <= 0 < high and high < 1e8
    click(qtbot, view.reset_button)
    assert view.plots.divergence_x is None


def step_record(step: int, loss: float, batches: int = 100) -> StepRecord:
    epoch, batch = divmod(step - 1, batches)
    return StepRecord(epoch=epoch + 1, epochs=5, batch=batch + 1, batches=batches, step=step,
                      loss=loss, accuracy=0.5, epoch_loss=loss, epoch_accuracy=0.5,
                      learning_rate=0.01, images_per_second=1000.0)


def test_the_loss_range_ignores_an_absurd_outlier_and_ticks_stay_short(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    losses = [2.3 * 0.99 ** k for k in range(60)] + [3e14] + [0.5] * 60
    for step, loss in enumerate(losses, 1):
        plots.add_step(step_record(step, loss))
    plots.refresh()
    low, high = plots.loss_plot.viewRange()[1]
    assert 0.5 <= 10 ** high < 100, "the 3e14 batch is left above the plot"
    assert 10 ** low <= 0.5
    axis = plots.loss_plot.getAxis("left")
    labels = axis.tickStrings([0.0, 14.5], 1.0, 1.0)
    assert labels == ["1", "3.2×10¹⁴"]
    plots.log_check.setChecked(False)
    assert plots.loss_plot.viewRange()[1][1] < 100
    assert plots.loss_plot.getAxis("left").tickStrings([2e14], 1.0, 1e14) == ["2×10¹⁴"]

"""The Train tab's datasets and runs, driven like a person: Fashion-MNIST downloaded (checked
against its checksums) and CIFAR-10 found in a folder through the dataset chooser, the class
names in the confusion matrix, two runs compared on overlaid curves, a run started from the
initial weights of another, learning-rate changes marked, and runs saved with the model and
opened again (a malformed runs entry is one sentence).

The datasets are small files written here in the real formats, served from 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json

import fake_data
import numpy as np
import pytest
from fake_data import bar_digits, cifar_archive, cifar_batch, idx_bytes
from PySide6.QtCore import QSettings, Qt
from qt_actions import choose, click, type_into

from convviz.core import lenet5
from convviz.core.nn.serialization import model_to_arrays, save_arrays
from convviz.core.training import cifar10, datasets, runs
from convviz.core.training.data import MnistData
from convviz.gui import workers
from convviz.gui.main_window import MainWindow
from convviz.gui.mnist_source import MnistSource
from convviz.gui.session import DigitSession
from convviz.gui.train.data_dialog import DatasetDialog
from convviz.gui.train.view import TrainState, TrainView
from convviz.gui.widgets.message_bar import MessageLevel

FIRST_RUN_MS = 240_000  # a cold Numba cache compiles the training kernels first
RUN_MS = 60_000

serve = fake_data.serve  # the shared 127.0.0.1 mirror fixture


@pytest.fixture
def view(qtbot, tmp_path):
    session = DigitSession(lenet5("classic"), "test model")
    session.mark_ready()
    made = TrainView(session, MnistSource(tmp_path / "no-mnist"))
    made.set_data(MnistData(*bar_digits(400, 0), *bar_digits(100, 1, wrong_labels=0.2)))
    made.dataset_folders = {name: tmp_path / name for name in made.dataset_folders}
    made.settings.batch_box.setValue(32)
    qtbot.addWidget(made, before_close_func=lambda v: (v.shutdown(),
                                                       workers.wait_for_workers(v)))
    made.resize(1366, 768)
    made.show()
    return made


def run_to_the_end(qtbot, view: TrainView, timeout: int = FIRST_RUN_MS) -> None:
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE and view.worker is None,
                    timeout=timeout)


def show_compare_page(qtbot, view: TrainView) -> None:
    bar = view.right_tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Compare runs")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert view.right_tabs.currentIndex() == index


def test_two_runs_are_overlaid_with_their_labels_and_listed(qtbot, view):
    view.settings.epochs_box.setValue(2)
    run_to_the_end(qtbot, view)
    choose(qtbot, view.settings.optimizer_box, "SGD with momentum")
    choose(qtbot, view.settings.start_box, "the initial weights of run 1")
    run_to_the_end(qtbot, view, RUN_MS)
    first, second = view.runs.runs
    assert second.settings.start == "the initial weights of run 1"
    for a, b in zip(first.initial_weights, second.initial_weights, strict=True):
        np.testing.assert_array_equal(a, b)  # a fair comparison: the same start

    show_compare_page(qtbot, view)
    panel = view.runs_panel
    assert panel.table.rowCount() == 2
    assert panel.table.item(1, 2).text() == "SGD with momentum"
    assert panel.table.item(0, 5).text() == "MNIST" and panel.table.item(0, 7).text().endswith("%")
    plots = panel.plots
    for run in (first, second):
        assert run.label in panel.legend_label.text()
        for quantity in ("loss", "accuracy"):
            train = plots.curves[run.number, quantity, "train"]
            validation = plots.curves[run.number, quantity, "validation"]
            assert train.name() == f"{run.label}, training"
            assert validation.name() == f"{run.label}, validation"
            x, _ = plots.values(run.number, quantity, "train")
            assert len(x) == len(run.steps) == 2 * view.trainer.batches_per_epoch
            x, y = plots.values(run.number, quantity, "validation")
            np.testing.assert_array_equal(x, [1.0, 2.0])
            assert train.opts["pen"].color() == validation.opts["pen"].color()
            assert train.opts["pen"].style() == Qt.PenStyle.SolidLine
            assert validation.opts["pen"].style() == Qt.PenStyle.DashLine
    _, accuracy = plots.values(2, "accuracy", "validation")
    np.testing.assert_allclose(accuracy, [100 * v for _, _, v in second.validation])
    assert "Adam" in first.label and "SGD with momentum" in second.label

    panel.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # run 1 off the plots
    assert (1, "loss", "train") not in plots.curves and (2, "loss", "train") in plots.curves
    assert first.label not in panel.legend_label.text()


def test_initial_weights_of_another_network_are_refused_with_a_sentence(qtbot, view):
    view.settings.epochs_box.setValue(1)
    run_to_the_end(qtbot, view)
    choose(qtbot, view.settings.start_box, "the initial weights of run 1")
    choose(qtbot, view.settings.arch_box, "MLP")
    click(qtbot, view.start_button)
    assert view.state is TrainState.IDLE and len(view.runs.runs) == 1
    assert "run 1's initial weights do not fit this network" in view.message_bar.text()


def test_a_learning_rate_change_is_marked_on_the_live_and_compared_curves(qtbot, view):
    view.settings.epochs_box.setValue(50)
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.last_step is not None and view.last_step.step >= 2,
                    timeout=FIRST_RUN_MS)
    type_into(qtbot, view.settings.learning_rate_box, "0.0002")
    qtbot.keyClick(view.settings.learning_rate_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.last_step.learning_rate == pytest.approx(0.0002),
                    timeout=RUN_MS)
    view._drain()
    (x, rate), = view.plots.rate_marks
    assert rate == pytest.approx(0.0002) and view.run.rate_changes == [(x, rate)]
    batches = view.trainer.batches_per_epoch
    assert x >= 2 / batches and x * batches == pytest.approx(round(x * batches)), "a step start"
    lines = [item for item in view.plots.loss_plot.getPlotItem().items
             if getattr(item, "label", None) is not None and item.value() == pytest.approx(x)]
    assert lines and lines[0].label.toPlainText() == "lr 0.0002"
    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=RUN_MS)
    show_compare_page(qtbot, view)
    (plot, mark), *_ = view.runs_panel.plots.marks[1]
    assert mark.value() == pytest.approx(x) and mark.label.toPlainText() == "lr 0.0002"
    assert "→ 0.0002" in view.runs_panel.table.item(0, 3).text()


# --- datasets through the chooser ---------------------------------------------------------------

def fashion_files() -> dict[str, bytes]:
    (train_x, train_y), (test_x, test_y) = bar_digits(300, 2), bar_digits(60, 3)
    arrays = {"train-images-idx3-ubyte": train_x, "train-labels-idx1-ubyte": train_y,
              "t10k-images-idx3-ubyte": test_x, "t10k-labels-idx1-ubyte": test_y}
    return {f"{name}.gz": gzip.compress(idx_bytes(array), mtime=0)
            for name, array in arrays.items()}


def md5_table(files: dict[str, bytes]) -> dict[str, str]:
    return {name: f"md5:{hashlib.md5(raw).hexdigest()}" for name, raw in files.items()}


def drive_dialog(qtbot, button: str, outcome: list):
    """An ask_for_dataset that shows the real dialog and clicks `button` in it, as a person
    would; the dialogs are kept in `outcome`."""
    def ask(parent, spec, folder):
        dialog = DatasetDialog(spec, folder, parent, choose=lambda *_: outcome[0])
        qtbot.addWidget(dialog)
        dialog.show()
        outcome.append(dialog)
        if button == "download":
            click(qtbot, dialog.download_button)
            qtbot.waitUntil(lambda: not dialog.downloading, timeout=RUN_MS)
        else:
            click(qtbot, dialog.folder_button)
        return dialog.data_dir if dialog.result() == DatasetDialog.DialogCode.Accepted else None
    return ask


def test_fashion_mnist_is_downloaded_checked_and_trained_on(qtbot, view, serve, tmp_path):
    files = fashion_files()
    url = serve(files)
    dialogs = [None]
    view.ask_for_dataset = drive_dialog(qtbot, "download", dialogs)
    # First a mirror whose files do not match the published checksums: refused, nothing kept.
    view.specs["fashion-mnist"] = dataclasses.replace(
        datasets.FASHION_MNIST, files={name: "md5:" + "0" * 32 for name in files},
        mirrors=[url])
    choose(qtbot, view.settings.dataset_box, "Fashion-MNIST")
    click(qtbot, view.start_button)
    assert "no mirror delivered" in dialogs[-1].message_bar.text()
    assert "Training needs Fashion-MNIST" in view.message_bar.text()
    assert not any((tmp_path / "fashion-mnist").glob("*.gz"))
    view.specs["fashion-mnist"] = dataclasses.replace(
        datasets.FASHION_MNIST, files=md5_table(files), mirrors=[url])
    view.settings.epochs_box.setValue(1)
    run_to_the_end(qtbot, view)
    assert sorted(p.name for p in (tmp_path / "fashion-mnist").iterdir()) == sorted(files)
    assert view.run.settings.dataset == "Fashion-MNIST" and view.run.status == "completed"
    assert view.trainer.model.input_shape == (28, 28, 1)
    assert view.session.model.class_names == datasets.FASHION_MNIST.class_names
    matrix = view.results_view.confusion_view
    assert matrix.class_names == datasets.FASHION_MNIST.class_names
    left = dict((label, value) for value, label in matrix.plot.getAxis("left")._tickLevels[0])
    assert "Ankle boot" in left and "T-shirt/top" in left
    view.results_view.select_cell(0, 9)
    assert "labelled <b>T-shirt/top</b> called <b>Ankle boot</b>" in (
        view.results_view.cell_label.text())
    assert "Fashion-MNIST: 270 training images" in view.data_label.text()


def write_cifar(folder) -> None:
    batches = {name: cifar_batch(24, seed)[0]
               for seed, name in enumerate((*cifar10.TRAIN_BATCHES, cifar10.TEST_BATCH))}
    folder.mkdir(parents=True)
    (folder / cifar10.ARCHIVE).write_bytes(cifar_archive(batches))


def test_cifar10_from_a_chosen_folder_trains_the_colour_cnn(qtbot, view, tmp_path):
    write_cifar(tmp_path / "my-cifar")
    dialogs = [tmp_path / "my-cifar"]
    view.ask_for_dataset = drive_dialog(qtbot, "folder", dialogs)
    choose(qtbot, view.settings.dataset_box, "CIFAR-10")
    choose(qtbot, view.settings.arch_box, "colour CNN")
    view.settings.epochs_box.setValue(1)
    run_to_the_end(qtbot, view)
    assert view.trainer.model.input_shape == (32, 32, 3) and view.run.status == "completed"
    assert not view.off_session, "the other tabs show colour models too"
    assert view.message_bar.text() == "Trained 1 epochs. Save the model with Ctrl+S."
    shown = view.session.model
    assert shown.input_shape == (32, 32, 3) and shown.class_names[0] == "airplane"
    for mine, trained in zip(shown.get_weights(), view.trainer.model.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, trained)
    assert not view.learn_panel.subtitle_label.text().startswith("Not this network's")
    assert view.results_view.confusion_view.class_names[0] == "airplane"
    assert view.results_view.images.shape[1:] == (32, 32, 3)
    assert view.run.settings.dataset == "CIFAR-10" and view.run.settings.architecture == (
        "colour CNN")


def test_a_design_that_does_not_fit_the_dataset_is_one_sentence_and_start_is_off(qtbot, view):
    view.set_design(lambda seed: lenet5("classic", seed=seed), "the Lab's design digits")
    assert view.start_button.isEnabled() and not view.fit_label.text()
    choose(qtbot, view.settings.dataset_box, "CIFAR-10")
    assert view.fit_label.text() == (
        "This design takes 28×28×1 images and gives 10 class scores, but CIFAR-10 has 32×32×3 "
        "images of 10 classes: choose another dataset, or change the network in the Lab.")
    assert not view.start_button.isEnabled() and not view.step_button.isEnabled()
    choose(qtbot, view.settings.dataset_box, "Fashion-MNIST")
    assert view.start_button.isEnabled() and not view.fit_label.text()


def test_an_image_folder_names_its_classes_and_a_wrong_count_is_explained(qtbot, view, tmp_path):
    from PIL import Image

    for name in ("apples", "pears", "plums"):
        (tmp_path / "fruit" / name).mkdir(parents=True)
        for index in range(8):
            Image.new("RGB", (10, 10), (30 * index, 80, 10)).save(
                tmp_path / "fruit" / name / f"{index}.png")
    view.ask_for_image_folder = lambda parent, start: tmp_path / "fruit"
    view.set_design(lambda seed: lenet5("classic", seed=seed), "the Lab's design digits")
    choose(qtbot, view.settings.dataset_box, "a folder")
    assert "gives 10 class scores, but the folder fruit has images of 3 classes" in (
        view.fit_label.text())
    view.set_design(None, "")
    choose(qtbot, view.settings.arch_box, "MLP")
    view.settings.epochs_box.setValue(1)
    run_to_the_end(qtbot, view)
    assert view.run.settings.dataset == "fruit" and view.trainer.model.output_shape == (3,)
    assert view.results_view.confusion_view.class_names == ("apples", "pears", "plums")


# --- runs saved with the model ------------------------------------------------------------------

def new_window(tmp_path, name: str) -> MainWindow:
    window = MainWindow(DigitSession(lenet5("classic"), "test model"),
                        QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat),
                        tmp_path / "no-mnist")
    window.session.mark_ready()
    window.train_tab.set_data(MnistData(*bar_digits(300, 0), *bar_digits(60, 1)))
    return window


def test_a_saved_model_reopens_with_its_runs_and_a_bad_runs_entry_is_a_sentence(qtbot,
                                                                                 tmp_path):
    first = new_window(tmp_path, "first")
    qtbot.addWidget(first)
    first.show()
    tab = first.train_tab
    tab.settings.epochs_box.setValue(1)
    run_to_the_end(qtbot, tab)
    path = tmp_path / "trained.npz"
    first.model_file.ask_save_path = lambda: path
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert path.is_file()
    saved = tab.runs.runs[0]

    second = new_window(tmp_path, "second")
    qtbot.addWidget(second)
    second.show()
    second.model_file.ask_open_path = lambda: path
    with qtbot.waitSignal(second.model_file.open_finished, timeout=10_000) as opened:
        second.model_file.open_action.trigger()
    assert opened.args == [True]
    assert second.message_bar.text() == ("Opened trained.npz, with 1 saved run (Train tab, "
                                         "Compare runs).")
    (back,) = second.train_tab.runs.runs
    assert back.settings == saved.settings and back.source == "trained.npz"
    assert back.validation == saved.validation and back.test_accuracy == saved.test_accuracy
    assert second.train_tab.runs_panel.table.item(0, 12).text() == "completed (from trained.npz)"

    broken = tmp_path / "broken.npz"
    arrays = model_to_arrays(lenet5("classic", seed=3))
    document = json.loads(runs.runs_to_json([saved]))
    document["runs"][0]["settings"]["batch_size"] = "lots"
    arrays[runs.RUNS_KEY] = np.array(json.dumps(document))
    save_arrays(broken, arrays)
    second.model_file.ask_open_path = lambda: broken
    with qtbot.waitSignal(second.model_file.open_finished, timeout=10_000) as opened:
        second.model_file.open_action.trigger()
    assert opened.args == [True], "the model itself opens"
    assert second.message_bar.text() == (
        "Opened broken.npz, but broken.npz: its saved runs cannot be read: run 1: the batch "
        "size must be a whole number from 1 to 1000000, got 'lots'; the model itself is fine.")
    assert second.message_bar.level is MessageLevel.WARNING
    assert len(second.train_tab.runs.runs) == 1, "the runs there were are kept"
    for window in (first, second):
        window.train_tab.shutdown()

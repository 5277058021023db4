"""The real window against hostile files (issue 17, classes 1, 2, 5 and 6): every picture
route and Open model end in one sentence in the message bar, Ghostscript never starts, no
exception reaches a Qt slot (pytest-qt fails a test on one), and start-up survives an
unreadable MNIST folder. The hostile files come from tests/hostile/hostile_files.py."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import hostile_files as hf
import numpy as np
import pytest

from convviz.core import Conv2D, Dense, Dropout, Flatten, Sequential, save_model
from convviz.gui.widgets.message_bar import MessageLevel

READ_MS = 10_000


def hostile_pictures(folder: Path) -> dict[str, Path]:
    postscript = folder / "digit.png"
    postscript.write_bytes(hf.POSTSCRIPT_LOOP)
    pictures = {"PostScript named .png": postscript}
    if sys.platform != "win32":
        fifo = folder / "fifo.png"
        os.mkfifo(fifo)
        pictures["FIFO"] = fifo
        pictures["device"] = Path("/dev/urandom")
    return pictures


def test_hostile_pictures_on_the_draw_tab_are_one_sentence(qtbot, window, tmp_path,
                                                            monkeypatch):
    record = hf.install_fake_ghostscript(tmp_path, monkeypatch)
    for name, path in hostile_pictures(tmp_path).items():
        window.message_bar.show_message("", MessageLevel.INFO)
        window.open_image(path)
        qtbot.waitUntil(lambda: window.message_bar.level is MessageLevel.ERROR
                        and "Cannot open" in window.message_bar.text(), timeout=READ_MS)
        assert "Traceback" not in window.message_bar.text(), name
    assert not record.exists(), record.read_text()


def test_hostile_pictures_in_the_stepper_are_one_sentence(qtbot, window, tmp_path, monkeypatch):
    record = hf.install_fake_ghostscript(tmp_path, monkeypatch)
    controls = window.stepper_tab.controls
    for name, path in hostile_pictures(tmp_path).items():
        with qtbot.waitSignal(controls.load_failed, timeout=READ_MS) as failed:
            controls.load_image(path)
        assert failed.args[0].startswith("Cannot open"), (name, failed.args)
    assert not record.exists(), record.read_text()


def odd_models() -> dict[str, Sequential]:
    """Valid model files that the views of this convviz cannot show. (A digit classifier
    without convolutions, the MLP baseline, is shown: test_app_startup visits every view
    with one.)"""
    digit = (28, 28, 1)
    return {
        "a lone Conv2D": Sequential([Conv2D(4, 3)], input_shape=digit),
        "a lone Flatten": Sequential([Flatten()], input_shape=digit),
        "1 output": Sequential([Conv2D(2, 3), Flatten(), Dense(1, activation="sigmoid")],
                               input_shape=digit),
        "500 outputs": Sequential([Flatten(), Dense(500)], input_shape=digit),
        "2,000 layers": Sequential([Conv2D(1, 3), *[Dropout(0.0) for _ in range(2000)],
                                    Flatten(), Dense(10, activation="softmax")],
                                   input_shape=digit),
        "2-channel input": Sequential([Conv2D(2, 3), Flatten(), Dense(10)],
                                      input_shape=(32, 32, 2)),
    }


@pytest.mark.parametrize("name", list(odd_models()))
def test_open_model_refuses_what_the_views_cannot_show(qtbot, window, tmp_path, name):
    path = tmp_path / "odd.npz"
    save_model(odd_models()[name], path)
    model = window.session.model
    window.model_file.ask_open_path = lambda: path
    with qtbot.waitSignal(window.model_file.open_finished, timeout=READ_MS) as finished:
        window.model_file.open_action.trigger()
    assert finished.args == [False]
    assert window.session.model is model
    assert window.message_bar.level is MessageLevel.ERROR
    assert window.message_bar.text().startswith("The model could not be opened: odd.npz: ")
    qtbot.wait(50)  # the views' queued updates, if any, run before pytest-qt's check


def test_hostile_model_files_are_one_sentence_off_the_gui_thread(qtbot, window, tmp_path):
    paths = [hf.model_with_negative_shape(tmp_path / "negative.npz", 50)]
    if sys.platform != "win32":
        os.mkfifo(tmp_path / "fifo.npz")
        paths += [tmp_path / "fifo.npz", Path("/dev/urandom")]
    for path in paths:
        window.model_file.ask_open_path = lambda path=path: path
        started = time.perf_counter()
        with qtbot.waitSignal(window.model_file.open_finished, timeout=READ_MS) as finished:
            window.model_file.open_action.trigger()
            assert time.perf_counter() - started < 0.5  # the trigger returned: read elsewhere
        assert finished.args == [False]
        assert "could not be opened" in window.message_bar.text(), path


def test_closing_while_a_model_is_read_returns_at_once(qtbot, make_window, tmp_path,
                                                       monkeypatch):
    """The read is abandoned: a read that takes 5 s does not hold the window's close."""
    import threading

    from convviz.gui import model_file

    release = threading.Event()

    def slow_load(path):
        release.wait(5)
        raise ValueError("never shown")

    monkeypatch.setattr(model_file, "load_model", slow_load)
    window = make_window(warm=False)
    window.model_file.ask_open_path = lambda: tmp_path / "slow.npz"
    window.model_file.open_action.trigger()
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 2
    release.set()


def test_closing_while_a_picture_is_read_returns_at_once(qtbot, make_window, tmp_path,
                                                         monkeypatch):
    """Picture imports are abandoned on close as model reads are: a 5 s decode does not hold
    the window's close."""
    import threading

    from convviz.gui import main_window

    release = threading.Event()

    def slow_import(source, name, **options):
        release.wait(5)
        raise ValueError("never shown")

    monkeypatch.setattr(main_window, "import_picture", slow_import)
    window = make_window(warm=False)
    window.open_image(tmp_path / "slow.png")
    assert window._draw_importer.busy
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 2
    release.set()


def test_start_up_survives_an_unreadable_mnist_folder(qtbot, make_window, tmp_path,
                                                      monkeypatch):
    """Root reads any folder, so the PermissionError a student meets is raised by hand."""
    folder = tmp_path / "locked-mnist"
    folder.mkdir()
    real_is_file = Path.is_file

    def is_file(self):
        if self.parent == folder:
            raise PermissionError(13, "Permission denied")
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    window = make_window(data_dir=folder)
    assert window.isVisible() and window.draw_tab.mnist is None
    assert "cannot be read (Permission denied)" in window.draw_tab.sample_box.toolTip()
    assert np.isfinite(window.session.probabilities).all()

"""Workers hand results and exceptions (with their tracebacks) back to the GUI thread; the
error log turns an exception into a log record and one sentence for a person."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject

from convviz.core.imaging.image_io import ImageLoadError
from convviz.gui import error_log, workers


def test_the_worker_runs_the_first_and_the_newest_request(qtbot):
    gate = threading.Event()
    ran = []

    def compute(request):
        ran.append(request)
        if request == "first":
            gate.wait(10)
        if request == "broken":
            raise ValueError("cannot")
        return request.upper()

    owner = QObject()
    worker = workers.LatestRequestWorker(compute, owner)
    results = []
    worker.request_finished.connect(lambda request, result: results.append(result))
    for request in ("first", "second", "third", "newest"):
        worker.submit(request)
    with qtbot.waitSignal(worker.request_finished, timeout=10000,
                          check_params_cb=lambda request, _: request == "newest"):
        gate.set()
    assert ran == ["first", "newest"] and results == ["FIRST", "NEWEST"]
    assert not worker.busy
    with qtbot.waitSignal(worker.request_failed, timeout=10000) as failed:
        worker.submit("broken")
    request, error = failed.args
    assert request == "broken" and isinstance(error, ValueError) and str(error) == "cannot"
    assert error.__traceback__ is not None, "the exception keeps its traceback"
    workers.wait_for_workers(owner)


def test_the_picture_importer_converts_off_the_gui_thread_and_reports_failures(qtbot, tmp_path):
    path = tmp_path / "grey.png"
    Image.fromarray(np.full((6, 8), 90, np.uint8)).save(path)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    threads = []

    def convert(source, name, scale):
        threads.append(threading.current_thread())
        return name, np.asarray(Image.open(source)) * scale

    owner = QObject()
    importer = workers.PictureImporter(convert, owner)
    with qtbot.waitSignal(importer.imported, timeout=10_000) as imported:
        importer.take(path, "'grey.png'", scale=2)
    name, pixels = imported.args[0]
    assert name == "'grey.png'" and pixels.shape == (6, 8) and (pixels == 180).all()
    assert threads and threads[0] is not threading.main_thread()
    with qtbot.waitSignal(importer.failed, timeout=10_000) as failed:
        importer.take(broken, "'broken.png'", scale=1)
    assert failed.args[0] == "'broken.png'" and isinstance(failed.args[1], Exception)
    shown = []
    importer.imported.connect(lambda result: shown.append(result[0]))
    with qtbot.waitSignal(importer.imported, timeout=10_000,
                          check_params_cb=lambda result: result[0] == "'newest'"):
        for name in ("'first'", "'second'", "'newest'"):
            importer.take(path, name, scale=1)
    assert shown == ["'newest'"], "a picture overtaken by a newer one is never shown"
    workers.wait_for_workers(owner)


def test_an_expected_error_is_its_own_sentence_and_a_bug_points_at_the_log(caplog):
    problem = ImageLoadError("'x.png' is not a picture convviz can read.")
    with caplog.at_level(logging.INFO, logger="convviz"):
        assert error_log.report(problem, "Loading") == str(problem)
        try:
            {}["missing"]
        except KeyError as bug:
            text = error_log.report(bug, "Drawing")
    assert "KeyError" in text and str(error_log.log_folder()) in text
    levels = [(record.levelno, record.exc_info is not None) for record in caplog.records]
    assert levels == [(logging.WARNING, True), (logging.ERROR, True)]


def test_the_log_file_gets_the_traceback(tmp_path):
    path = error_log.start_log_file(tmp_path / "log")
    try:
        try:
            raise RuntimeError("kaboom")
        except RuntimeError as error:
            error_log.report(error, "Testing the log")
        for handler in error_log.LOGGER.handlers:
            handler.flush()
        text = Path(path).read_text()
        assert "Testing the log" in text and "Traceback" in text and "kaboom" in text
    finally:
        for handler in list(error_log.LOGGER.handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                error_log.LOGGER.removeHandler(handler)
                handler.close()


def test_an_unwritable_log_folder_leaves_the_app_without_a_log_file(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    assert error_log.start_log_file(blocker / "log") is None

"""Work that must not block the GUI thread; the only module that makes threads.

A `FunctionWorker` runs one function on its own QThread and reports its result (or the error's
message) back on the GUI thread through signals. Windows wait for their workers on close.
A `LatestRequestWorker` runs a stream of requests through such workers, newest first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from convviz.core.data import MnistData, load_mnist
from convviz.core.digit_preprocess import picture_ink, shrink_to_fit
from convviz.core.image_io import ImageLoadError, load_image
from convviz.core.model import Sequential

PREVIEW_SIDE = 480
"""Longest side of the colour preview kept for display."""


class FunctionWorker(QThread):
    """Runs `function()` on a new thread; `succeeded(result)` or `failed(message)` follows."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, function: Callable[[], object], parent: QObject):
        super().__init__(parent)
        self._function = function

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as error:  # reported to the user; the GUI must never die of it
            self.failed.emit(str(error) or type(error).__name__)
        else:
            self.succeeded.emit(result)


def start(function: Callable[[], object], parent: QObject, on_success: Callable[[object], None],
          on_failure: Callable[[str], None]) -> FunctionWorker:
    """Run function on a worker thread owned by parent (which must wait for it on close).

    The handlers are connected before the thread starts, so a quick result is never missed.
    """
    worker = FunctionWorker(function, parent)
    worker.succeeded.connect(on_success)
    worker.failed.connect(on_failure)
    worker.finished.connect(worker.deleteLater)
    worker.start()
    return worker


def wait_for_workers(parent: QObject) -> None:
    """Block until every worker owned by parent has finished (call when closing)."""
    for worker in parent.findChildren(FunctionWorker):
        worker.wait()


class LatestRequestWorker(QObject):
    """Runs `compute(request)` off the GUI thread, one request at a time, the newest winning.

    A request submitted while another runs waits; a newer one replaces it, so a burst of
    control changes runs the first and the last only. Each run ends in `request_finished
    (request, result)` or `request_failed(request, message)` on the GUI thread, after the next
    request (if any) has started: `busy` then says whether a newer result is on its way.
    """

    request_finished = Signal(object, object)
    request_failed = Signal(object, str)

    def __init__(self, compute: Callable[[object], object], parent: QObject):
        super().__init__(parent)
        self._compute = compute
        self._running: FunctionWorker | None = None
        self._request: object = None
        self._pending: tuple[object] | None = None

    @property
    def busy(self) -> bool:
        """True while a request runs or waits."""
        return self._running is not None

    def submit(self, request: object) -> None:
        if self._running is None:
            self._start(request)
        else:
            self._pending = (request,)

    def _start(self, request: object) -> None:
        self._request = request
        worker = FunctionWorker(partial(self._compute, request), self)
        worker.succeeded.connect(self._on_worker_succeeded)
        worker.failed.connect(self._on_worker_failed)
        worker.finished.connect(worker.deleteLater)
        self._running = worker
        worker.start()

    def _next(self) -> object:
        """Start the newest waiting request; returns the request that just ended."""
        request, self._running = self._request, None
        if self._pending is not None:
            (pending,), self._pending = self._pending, None
            self._start(pending)
        return request

    def _on_worker_succeeded(self, result: object) -> None:
        self.request_finished.emit(self._next(), result)

    def _on_worker_failed(self, message: str) -> None:
        self.request_failed.emit(self._next(), message)


# --- the jobs ----------------------------------------------------------------------------------

def warm_up(model: Sequential) -> float:
    """Compile (or load from Numba's disk cache) the batch-1 kernels; returns seconds taken.

    Runs on a clone: a layer caches its activations, so a model belongs to one thread.
    """
    start_time = time.perf_counter()
    model.forward_all(np.zeros((1, *model.input_shape), np.float32))
    return time.perf_counter() - start_time


def start_warm_up(model: Sequential, parent: QObject, on_success: Callable[[float], None],
                  on_failure: Callable[[str], None]) -> FunctionWorker:
    """Warm up a copy of model on a worker thread; on_success gets the seconds it took."""
    twin = model.clone()
    return start(lambda: warm_up(twin), parent, on_success, on_failure)


@dataclass(frozen=True)
class ImportedPicture:
    """A loaded picture turned into canvas ink, with a small colour preview and notices."""

    name: str
    ink: np.ndarray
    preview: np.ndarray
    inverted: bool
    notices: list[str] = field(default_factory=list)


def import_picture(source: str | Path | bytes, canvas_size: int, name: str) -> ImportedPicture:
    """Load an image (path or encoded bytes) and make canvas ink of it; ImageLoadError if not."""
    loaded = load_image(source)
    ink, inverted = picture_ink(loaded.pixels, canvas_size)
    notices = list(loaded.notices)
    if not ink.any():
        raise ImageLoadError(f"No digit found in {name}: the picture is almost uniform.")
    if inverted:
        notices.append("Dark ink on a light background was inverted: MNIST digits are white "
                       "on black.")
    return ImportedPicture(name, ink, shrink_to_fit(loaded.pixels, PREVIEW_SIDE), inverted,
                           notices)


def start_picture_import(source: str | Path | bytes, canvas_size: int, name: str,
                         parent: QObject, on_success: Callable[[ImportedPicture], None],
                         on_failure: Callable[[str], None]) -> FunctionWorker:
    return start(lambda: import_picture(source, canvas_size, name), parent, on_success,
                 on_failure)


def start_mnist_load(data_dir: Path, parent: QObject, on_success: Callable[[MnistData], None],
                     on_failure: Callable[[str], None]) -> FunctionWorker:
    """Read the MNIST files (a few hundred milliseconds of decompression) off the GUI thread."""
    return start(lambda: load_mnist(data_dir), parent, on_success, on_failure)

"""Work that must not block the GUI thread; the only module that makes threads.

A `FunctionWorker` runs one function on its own QThread and reports its result (or the error's
message) back on the GUI thread through signals. Windows wait for their workers on close.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
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

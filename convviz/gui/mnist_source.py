"""The one owner of the MNIST digits the app has loaded, shared by the Draw and Train tabs.

The main window makes one and hands it to both tabs: whichever asks first loads the files (on
a worker thread), and both receive the same arrays, never a second copy or a second read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from convviz.core.training.data import MnistData, missing_files
from convviz.gui import workers


class MnistSource(QObject):
    """The MNIST folder, the digits read from it (None until then) and their loading.

    `loaded(mnist)` follows `load()` or `set_data()`; `failed(exception)` a read that failed
    (a truncated or corrupt file: the digits loaded before, if any, stay).
    """

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(self, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = Path(folder)
        self.mnist: MnistData | None = None
        self.loading = False

    def missing(self) -> list[str]:
        """The MNIST files the folder lacks (empty when all four are there)."""
        return missing_files(self.folder)

    def load(self, folder: Path | None = None) -> None:
        """Read the digits from `folder` (default: the current one) off the GUI thread.

        A load already under way is not started twice; its result reaches every listener.
        """
        if folder is not None:
            self.folder = Path(folder)
        if self.loading:
            return
        self.loading = True
        workers.start_mnist_load(self.folder, self, self._on_worker_succeeded,
                                 self._on_worker_failed)

    def set_data(self, mnist: MnistData) -> None:
        """Use these digits (MNIST, or any MnistData-like set of 28x28 digits)."""
        self.mnist = mnist
        self.loaded.emit(mnist)

    def _on_worker_succeeded(self, mnist: MnistData) -> None:
        self.loading = False
        self.set_data(mnist)

    def _on_worker_failed(self, error: Exception) -> None:
        self.loading = False
        self.failed.emit(error)

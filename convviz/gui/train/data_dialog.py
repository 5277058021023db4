"""When a dataset is missing: download it (with progress and cancel) or point at a folder
that has it. Also the folder chooser for "a folder of my own images".

The download runs on a worker thread (`workers.MnistDownloadWorker`) through the core's
`download_files`, which checks every file against the dataset's published checksum and never
leaves a partial file, so a failed or cancelled download can simply be tried again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from convviz.core.training import datasets
from convviz.core.training.data import DatasetError, DownloadCancelled
from convviz.gui import error_log, workers
from convviz.gui.widgets.message_bar import MessageBar, MessageLevel

FolderChooser = Callable[[QWidget, Path], Path | None]


def choose_folder(parent: QWidget, start: Path, title: str = "MNIST") -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, f"Folder with the {title} files",
                                              str(start))
    return Path(folder) if folder else None


def choose_image_folder(parent: QWidget, start: Path) -> Path | None:
    """A folder with one sub-folder of pictures per class, or None."""
    folder = QFileDialog.getExistingDirectory(
        parent, "A folder with one sub-folder of pictures per class", str(start))
    return Path(folder) if folder else None


SIZES = {"mnist": "60,000 training and 10,000 test digits (11 MB to download)",
         "fashion-mnist": "60,000 training and 10,000 test pictures of clothes, 28×28 grey "
                          "(30 MB to download)",
         "cifar10": "50,000 training and 10,000 test colour photos, 32×32, of ten classes "
                    "(163 MB to download)"}


class DatasetDialog(QDialog):
    """Offers to download a dataset (`spec`) into `data_dir` or to use another folder;
    `data_dir` is the folder holding the files once the dialog is accepted."""

    def __init__(self, spec: datasets.RemoteDataset, data_dir: Path,
                 parent: QWidget | None = None, *, download: Callable[..., Path] | None = None,
                 choose: FolderChooser | None = None):
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(f"{spec.title} is needed for training")
        self.data_dir = data_dir
        self._download = download or (lambda folder, progress: datasets.download(
            spec, folder, progress))
        self._choose = choose or (lambda parent, start: choose_folder(parent, start,
                                                                       spec.title))
        self.worker: workers.MnistDownloadWorker | None = None
        key = next((k for k, known in datasets.DATASETS.items() if known is spec), "")
        intro = QLabel(
            f"<p>Training uses {spec.title}: {SIZES.get(key, ', '.join(spec.files))}. Each "
            f"file is checked against its published checksum.</p>"
            f"<p>They are not in <b>{data_dir}</b>.</p>")
        intro.setWordWrap(True)
        self.message_bar = MessageBar(closable=False)
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.download_button = QPushButton(f"Download {spec.title}")
        self.download_button.setDefault(True)
        self.folder_button = QPushButton("Choose a folder…")
        self.cancel_button = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.message_bar)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self.download_button.clicked.connect(self._on_download_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

    @property
    def downloading(self) -> bool:
        return self.worker is not None

    def _say(self, text: str, level: MessageLevel = MessageLevel.INFO) -> None:
        self.message_bar.show_message(text, level)

    def _on_download_button_clicked(self) -> None:
        self.worker = workers.MnistDownloadWorker(self.data_dir, self, self._download)
        self.worker.progress_reported.connect(self._on_worker_progress_reported)
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.finished.connect(self.worker.deleteLater)
        self.download_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(True)
        self._say(f"Connecting… (into {self.data_dir})")
        self.worker.start()

    def _on_worker_progress_reported(self, name: str, done: int, total: int) -> None:
        files = list(self.spec.files)
        number = files.index(name) + 1 if name in files else 1
        if total:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
        self._say(f"File {number} of {len(files)}: {name}, {done / 1e6:.1f}"
                  + (f" of {total / 1e6:.1f} MB" if total else " MB"))

    def _end_worker(self) -> None:
        """Let the worker's thread end (it reports just before), then forget it."""
        if self.worker is not None:
            self.worker.wait()
            self.worker = None

    def _on_worker_succeeded(self, folder: object) -> None:
        self._end_worker()
        self.data_dir = Path(folder)
        self.accept()

    def _on_worker_failed(self, error: Exception) -> None:
        self._end_worker()
        self.progress_bar.setVisible(False)
        self.download_button.setEnabled(True)
        self.folder_button.setEnabled(True)
        if isinstance(error, DownloadCancelled):
            self._say("Download cancelled. No partial file was kept; you can start again.")
        else:
            message = error_log.report(error, f"Downloading {self.spec.title}")
            self._say(f"The download failed: {message}\nNo partial file was kept.",
                      MessageLevel.ERROR)

    def _on_folder_button_clicked(self) -> None:
        folder = self._choose(self, self.data_dir)
        if folder is None:
            return
        try:
            missing = datasets.missing(self.spec, folder)
        except DatasetError as error:
            self._say(str(error), MessageLevel.ERROR)
            return
        if missing:
            self._say(f"{folder} does not hold the {self.spec.title} files (missing: "
                      f"{', '.join(missing)}).", MessageLevel.ERROR)
            return
        self.data_dir = folder
        self.accept()

    def _on_cancel_button_clicked(self) -> None:
        if self.worker is not None:
            self.worker.cancel()  # the failure report re-enables the buttons
            self._say("Cancelling…")
        else:
            self.reject()

    def done(self, result: int) -> None:
        """Closing (Escape, the window's close button) cancels a download first."""
        if self.worker is not None:
            self.worker.cancel()
            self._end_worker()
        super().done(result)


class MnistDialog(DatasetDialog):
    """The dialog for MNIST (the Draw tab's digits too)."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None, **chosen):
        super().__init__(datasets.MNIST, data_dir, parent, **chosen)


def ask_for_dataset(parent: QWidget, spec: datasets.RemoteDataset,
                    data_dir: Path) -> Path | None:
    """The folder with `spec`'s files, after the user downloaded or chose it; None if not."""
    dialog = DatasetDialog(spec, data_dir, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return dialog.data_dir if accepted else None


def ask_for_mnist(parent: QWidget, data_dir: Path) -> Path | None:
    """The folder with the MNIST files, after the user downloaded or chose it; None if not."""
    dialog = MnistDialog(data_dir, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return dialog.data_dir if accepted else None

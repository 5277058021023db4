"""The Train tab: train a network on a dataset in the background, watch it learn, compare runs.

A run is a `core.training.Trainer` driven by a `workers.TrainingWorker` on its own thread, on
the trainer's own model with the parallel kernels. The GUI thread never touches that model: it
drains the worker's reports with a timer at display rate (never once per batch), grows the
plots, moves the progress bar, and a few times a second copies the reported weights into the
session's model (serial batch-1 kernels), so every view of the network, on this tab and on
the Draw tab, follows the weights as they change. After each epoch the worker scores the test
set, shown as a confusion matrix (rows and columns named by the dataset's classes) whose
cells list their images.

Datasets: MNIST (the app's one copy, shared with the Draw tab through the MnistSource),
Fashion-MNIST, CIFAR-10 (each downloaded against its published checksums, or found in a
folder) and a folder of one's own pictures. The network is a preset built for the dataset's
images, the current model, or a design from the Lab; a design whose input or class count does
not fit the dataset is one sentence, and Start is disabled. Every run is kept in a
`core.training.runs.RunLog` with its settings and curves: the "Compare runs" page overlays
the runs checked in its table, and a new run may start from the initial weights of an
earlier one. A change of the learning rate during a run is marked on the curves.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from convviz.core.formatting import format_compact, format_duration
from convviz.core.nn.model import Sequential, lenet5
from convviz.core.training import datasets
from convviz.core.training.data import DatasetError, MnistData
from convviz.core.training.datasets import TrainingSet
from convviz.core.training.runs import Run, RunLog, RunSettings
from convviz.core.training.trainer import ARCHITECTURES, EpochRecord, StepRecord, Trainer
from convviz.gui import error_log, workers
from convviz.gui.mnist_source import MnistSource
from convviz.gui.session import DigitSession, unshowable_reason
from convviz.gui.train.compare import RunsPanel
from convviz.gui.train.confusion import TestResultsView
from convviz.gui.train.data_dialog import ask_for_dataset, ask_for_mnist, choose_image_folder
from convviz.gui.train.plots import TrainingPlots, legend_html
from convviz.gui.train.replay import ReplayPanel
from convviz.gui.train.settings import ARCHITECTURE_NAMES, TrainingSettings
from convviz.gui.views.kernels import KernelView
from convviz.gui.views.probe import ProbeView
from convviz.gui.widgets import theme
from convviz.gui.widgets.colour_bar import ColourBar
from convviz.gui.widgets.message_bar import MessageBar, MessageLevel
from convviz.gui.widgets.scroll_page import scroll_page
from convviz.gui.widgets.wrapping_label import WrappingLabel

REFRESH_MS = 100
"""The curves take in the worker's reports 10 times a second: smooth enough to watch, while the
GUI thread keeps its share of the two cores that training also wants near a tenth."""
WEIGHTS_SECONDS = 0.2
"""Weights reach the session (and every view of the network) at most 5 times a second."""
PROGRESS_SECONDS = 0.2
"""The progress bar and its figures change at most 5 times a second."""
VALIDATION_SHARE, MAX_VALIDATION = 10, 5000
"""A tenth of the training images, at most 5,000 (as `convviz train`), are held out."""
SHAPES = {"mnist": (28, 28, 1), "fashion-mnist": (28, 28, 1), "cifar10": (32, 32, 3)}
"""The images of each downloadable dataset, known before it is read."""
FOLDER_SHAPE = (32, 32, 3)
"""A folder's pictures for a preset network: the colour CNN's size."""
LEARN_SUBTITLE = "Kernels and the feature maps of your digit (Draw tab), following the training"
SHOWN_SHAPE, SHOWN_OUTPUT = (28, 28, 1), (10,)
"""What the other tabs' views show so far; a network of another shape trains here only."""


class TrainState(enum.Enum):
    """What the tab is doing; the buttons follow it."""

    IDLE = "idle"
    LOADING = "loading"  # reading the dataset before a run
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"  # asked to stop, the current batch finishing


def validation_size(images: int) -> int:
    return min(MAX_VALIDATION, images // VALIDATION_SHARE)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def class_folders(folder: Path) -> list[str]:
    """The visible sub-folders of `folder` (its classes), without reading any picture."""
    try:
        return sorted(entry.name for entry in folder.iterdir()
                      if entry.is_dir() and not entry.name.startswith("."))
    except OSError:
        return []


class StatusLine(QWidget):
    """Text that changes many times a second, cheaply: a QLabel's setText makes the window lay
    itself out again (3 ms a time here); this one only repaints its own fixed-size strip."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None):
        super().__init__(parent)
        self._text = ""
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # QLabel's name, so the two swap freely
        if text != self._text:
            self._text = text
            self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, self._text)


class TrainView(QWidget):
    """Settings and controls, progress, live plots, kernels and maps, test-set evaluation."""

    model_replaced = Signal()
    """The session got a new network (a run from random weights started)."""
    model_trained = Signal()
    """Training changed the session's weights."""
    dataset_read = Signal(object)
    """A dataset other than MNIST was read (its TrainingSet): the Draw tab takes test
    pictures from it."""

    def __init__(self, session: DigitSession, data: MnistSource, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.data = data
        self.ask_for_data: Callable[[QWidget, Path], Path | None] = ask_for_mnist
        self.ask_for_dataset: Callable[[QWidget, datasets.RemoteDataset, Path], Path | None] = (
            ask_for_dataset)
        self.ask_for_image_folder: Callable[[QWidget, Path], Path | None] = choose_image_folder
        self.specs: dict[str, datasets.RemoteDataset] = dict(datasets.DATASETS)
        """The downloadable datasets by DATASET_NAMES key (tests give their own checksums)."""
        self.dataset_folders: dict[str, Path] = {
            name: datasets.dataset_dir(spec) for name, spec in self.specs.items()
            if name != "mnist"}
        self.image_folder: Path | None = None
        self._sets: dict[tuple, TrainingSet] = {}  # read datasets other than MNIST
        self._mnist_set: TrainingSet | None = None
        self.runs = RunLog()
        self.run: Run | None = None
        """The run going on or last made; its record grows as the worker reports."""
        self._test_images: np.ndarray | None = None
        self.off_session = False
        self._unshown_reason: str | None = None
        """Whether the network training now is one the other tabs cannot show (so far)."""
        self.may_replace_model: Callable[[], bool] = lambda: True
        """Asked before a run from random weights replaces the session's model (the window
        asks about unsaved training here); False: the run does not start."""
        self.design: tuple[Callable[[int], Sequential], str] | None = None
        """(builder(seed), description) of a design from the Lab that Start trains, or None
        for a preset (see set_design)."""
        self._design_model: Sequential | None = None  # the design, built once to check fits
        self.trainer: Trainer | None = None
        self.worker: workers.TrainingWorker | None = None
        self._release_warm_up = lambda: None  # lets the app's warm-up go on (see _start_run)
        self.state = TrainState.IDLE
        self._start_paused: bool | None = None  # a start waiting for the data
        self._banner: str | None = None  # the run's banner while the message bar shows it
        self.last_step: StepRecord | None = None
        self._weights: list[np.ndarray] | None = None  # reported, not yet in the session
        self._weights_pushed = -float("inf")
        self._progress_shown = -float("inf")
        self.settings = TrainingSettings()
        self.settings.set_current_model(session.model)
        self.plots = TrainingPlots()
        self.kernel_view = KernelView(session)
        self.probe_view = ProbeView(session)
        self.kernel_bar = ColourBar()
        self.kernel_view.levels_shown.connect(self.kernel_bar.show_layer)
        self.kernel_view.emit_levels()
        self.results_view = TestResultsView()
        self.runs_panel = RunsPanel()
        self._make_layout()
        data.loaded.connect(self._on_data_loaded)
        data.failed.connect(
            lambda error: self._on_data_failed(error) if self.settings.dataset == "mnist" else None)
        if data.mnist is not None:
            self._on_data_loaded(data.mnist)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.pause_button.clicked.connect(self._on_pause_button_clicked)
        self.step_button.clicked.connect(self._on_step_button_clicked)
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.settings.learning_rate_changed.connect(self._on_settings_learning_rate_changed)
        self.settings.dataset_changed.connect(self._on_settings_dataset_changed)
        self.settings.arch_box.currentIndexChanged.connect(self._update_controls)
        self.settings.start_box.currentIndexChanged.connect(self._update_controls)
        session.model_changed.connect(self._on_session_model_changed)
        self._show_data_counts()
        self._update_controls()

    # --- construction ----------------------------------------------------------------------------

    def _make_layout(self) -> None:
        self.start_button = QPushButton("▶ Start")
        self.pause_button = QPushButton("❚❚ Pause")
        self.step_button = QPushButton("↦ One batch")
        self.stop_button = QPushButton("■ Stop")
        self.reset_button = QPushButton("↺ Reset")
        self.start_button.setToolTip("Train with these settings")
        self.pause_button.setToolTip("Pause or resume between two batches")
        self.step_button.setToolTip("Train on one batch, then pause")
        self.stop_button.setToolTip("End the run; the network keeps the weights it has")
        self.reset_button.setToolTip("Clear the plots and results (the weights stay)")
        buttons = QGridLayout()
        buttons.setSpacing(6)
        for button in (self.start_button, self.pause_button, self.step_button,
                       self.stop_button, self.reset_button):
            button.setFont(theme.font(12, bold=True))
            button.setStyleSheet("padding: 6px;")  # tall buttons, at any text size
        buttons.addWidget(self.start_button, 0, 0, 1, 2)
        buttons.addWidget(self.pause_button, 1, 0)
        buttons.addWidget(self.step_button, 1, 1)
        buttons.addWidget(self.stop_button, 2, 0)
        buttons.addWidget(self.reset_button, 2, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("not started")
        self.progress_bar.setValue(0)
        self.progress_bar.setMinimumHeight(28)
        self.progress_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.speed_label = StatusLine()
        self.summary_label = WrappingLabel("")
        self.summary_label.setStyleSheet(f"color: {theme.TEXT};")
        self.message_bar = MessageBar(closable=False)
        self.design_label = WrappingLabel("")
        self.design_label.setVisible(False)
        self.lenet_button = QPushButton("Train LeNet-5 again")
        self.lenet_button.setToolTip("Forget the Lab's design: Start trains LeNet-5")
        self.lenet_button.setVisible(False)
        self.lenet_button.clicked.connect(lambda: self.set_design(None, ""))
        self.data_label = WrappingLabel("")
        self.data_label.setStyleSheet(f"color: {theme.MUTED};")
        self.fit_label = WrappingLabel("")
        self.fit_label.setStyleSheet(f"color: {theme.ERROR_COLOURS[1]};")
        self.fit_label.setVisible(False)
        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.settings)
        column.addWidget(self.design_label)
        column.addWidget(self.lenet_button)
        column.addWidget(self.fit_label)
        column.addSpacing(8)
        column.addLayout(buttons)
        column.addSpacing(8)
        column.addWidget(self.progress_bar)
        column.addWidget(self.speed_label)
        column.addWidget(self.message_bar)
        column.addWidget(self.summary_label)
        column.addStretch(1)
        column.addWidget(self.data_label)
        self.controls_panel = theme.Panel("Training", scroll_page(controls, horizontal=False))
        self._controls = controls
        self.refit_texts()
        self.controls_panel.setMaximumWidth(400)
        self.plots_panel = theme.Panel("Learning curves", self.plots, legend_html())
        learn = QWidget()
        learn_layout = QVBoxLayout(learn)
        learn_layout.setContentsMargins(0, 0, 0, 0)
        learn_layout.addWidget(self.kernel_view, 3)
        learn_layout.addWidget(self.kernel_bar)
        learn_layout.addWidget(self.probe_view, 2)
        self.kernel_view.setMinimumHeight(80)
        self.learn_panel = theme.Panel(
            "What the network learns", scroll_page(learn, horizontal=False), LEARN_SUBTITLE)
        self.results_panel = theme.Panel("Test set", self.results_view)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.bottom_splitter.addWidget(self.learn_panel)
        self.bottom_splitter.addWidget(self.results_panel)
        self.bottom_splitter.setSizes([430, 600])
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.plots_panel)
        self.right_splitter.addWidget(self.bottom_splitter)
        self.right_splitter.setSizes([350, 470])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.controls_panel)
        self.replay_panel = ReplayPanel(self.session)
        self.right_tabs = QTabWidget()
        self.right_tabs.addTab(self.right_splitter, "Live")
        self.right_tabs.addTab(theme.Panel(
            "Replay and gradients", self.replay_panel,
            "Any recorded moment of the run: kernels, your digit's maps, the test result of "
            "the epoch, and each layer's gradient norm per step"), "Replay and gradients")
        self.right_tabs.addTab(theme.Panel(
            "Compare runs", self.runs_panel,
            "Every run of this session (and those saved with the model): check runs to "
            "overlay their curves"), "Compare runs")
        self.right_tabs.currentChanged.connect(lambda _: self._refresh_replay())
        self.right_tabs.currentChanged.connect(lambda _: self._refresh_runs())
        self.main_splitter.addWidget(self.right_tabs)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([340, 1060])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.main_splitter)

    def refit_texts(self) -> None:
        """The controls column as wide as its controls need at the current text size."""
        self.controls_panel.setMinimumWidth(self._controls.minimumSizeHint().width() + 40)

    # --- a design from the Lab ------------------------------------------------------------------

    def set_design(self, model_builder: Callable[[int], Sequential] | None,
                   description: str) -> None:
        """Make Start train `model_builder(seed)` from random weights instead of a preset; None
        goes back to the presets. The design must fit the chosen dataset (else Start says
        why and is disabled)."""
        self.design = None if model_builder is None else (model_builder, description)
        self._design_model = None if model_builder is None else model_builder(0)
        self.design_label.setText(f"Start trains <b>{description}</b> from random weights "
                                  "(the Network and Dropout choices are not used)."
                                  if self.design else "")
        for widget in (self.design_label, self.lenet_button):
            widget.setVisible(self.design is not None)
        if self.design is not None and self.settings.starts_from_current:
            self.settings.start_box.setCurrentIndex(0)
        self._update_controls()

    # --- data ------------------------------------------------------------------------------------

    @property
    def mnist(self) -> MnistData | None:
        """The digits training uses (the app's one copy, from the MnistSource)."""
        return self.data.mnist

    @property
    def data_dir(self) -> Path:
        return self.data.folder

    def set_data(self, mnist: MnistData) -> None:
        """Train on these images (MNIST, or any MnistData-like set of 28x28 digits)."""
        self.data.set_data(mnist)

    @property
    def training_set(self) -> TrainingSet | None:
        """The chosen dataset, if it has been read."""
        if self.settings.dataset == "mnist":
            mnist = self.mnist
            if mnist is None:
                return None
            if self._mnist_set is None or self._mnist_set.train_images is not mnist.train_images:
                self._mnist_set = TrainingSet(
                    "mnist", datasets.MNIST.title, mnist.train_images, mnist.train_labels,
                    mnist.test_images, mnist.test_labels, datasets.MNIST.class_names)
            return self._mnist_set
        key = self._set_key()
        return None if key is None else self._sets.get(key)

    def _set_key(self) -> tuple | None:
        name = self.settings.dataset
        if name != "folder":
            return (name, str(self.dataset_folders[name]))
        if self.image_folder is None:
            return None
        return ("folder", str(self.image_folder), self._folder_shape())

    def _folder_shape(self) -> tuple[int, int, int]:
        """The size a folder's pictures are read at: what the network to train takes."""
        return self._wanted_shape() or FOLDER_SHAPE

    def _wanted_shape(self) -> tuple[int, int, int] | None:
        """The input shape the network to train insists on (a design's or the current
        model's), or None: a preset is built for the dataset's images."""
        if self.settings.starts_from_current:
            return tuple(self.session.model.input_shape)
        if self.design is not None:
            return tuple(self._design_model.input_shape)
        return None

    def _dataset_shape_and_classes(self) -> tuple[tuple[int, int, int] | None, int | None]:
        """The chosen dataset's image shape and class count, as far as known before reading."""
        known = self.training_set
        if known is not None:
            return known.image_shape, len(known.class_names)
        name = self.settings.dataset
        if name == "folder":
            classes = class_folders(self.image_folder) if self.image_folder else []
            return None, len(classes) or None
        return SHAPES.get(name), len(self.specs[name].class_names)

    def fit_problem(self) -> str | None:
        """One sentence if the network to train cannot take the chosen dataset, else None."""
        if self.settings.starts_from_current:
            model, what = self.session.model, "The current model"
        elif self.design is not None:
            model, what = self._design_model, "This design"
        else:
            return None
        shape, classes = self._dataset_shape_and_classes()
        title = self._dataset_title()
        shape_wrong = shape is not None and tuple(model.input_shape) != shape
        classes_wrong = classes is not None and model.output_shape != (classes,)
        if not (shape_wrong or classes_wrong):
            return None
        has = (f"{_shape_text(shape)} images" if shape is not None else "images") + (
            f" of {classes} classes" if classes is not None else "")
        return (f"{what} takes {_shape_text(model.input_shape)} images and gives "
                f"{model.output_shape[-1]} class scores, but {title} has {has}: choose "
                "another dataset, or change the network in the Lab.")

    def _dataset_title(self) -> str:
        name = self.settings.dataset
        if name == "folder":
            return f"the folder {self.image_folder.name}" if self.image_folder else "the folder"
        return self.specs[name].title

    def _on_settings_dataset_changed(self, name: str) -> None:
        if name == "folder":
            folder = self.ask_for_image_folder(self, self.image_folder or Path.home())
            if folder is not None:
                self.image_folder = Path(folder)
        self._show_data_counts()
        self._update_controls()

    def _show_data_counts(self) -> None:
        chosen = self.training_set
        if chosen is None:
            where = (f" in {self.image_folder}" if self.settings.dataset == "folder"
                     and self.image_folder else "")
            self.data_label.setText(f"{self._dataset_title()}{where} is read when you press "
                                    "Start." if self.settings.dataset != "folder"
                                    or self.image_folder else
                                    "Choose a folder with one sub-folder of pictures per class "
                                    "when you press Start.")
            return
        train, test = len(chosen.train_labels), len(chosen.test_labels)
        held = validation_size(train)
        self.data_label.setText(f"{chosen.title}: {train - held:,} training images, {held:,} "
                                f"held out for validation; {test:,} test images; "
                                f"{len(chosen.class_names)} classes."
                                + (f" {chosen.note}" if chosen.note else ""))

    def _on_data_loaded(self, mnist: MnistData) -> None:
        if self.settings.dataset == "mnist":
            self._show_data_counts()
            self._update_controls()
        if self.state is not TrainState.LOADING or self.settings.dataset != "mnist":
            return  # not asked for here (the Draw tab's load at start-up, or set_data)
        self._resume_start()

    def _resume_start(self) -> None:
        """The data a Start waited for are here: start it."""
        self._set_state(TrainState.IDLE)
        paused, self._start_paused = self._start_paused, None
        if paused is not None:
            self._start_run(paused)
            if paused and self.worker is not None:
                self.worker.step()

    def _load_data(self) -> None:
        if self.settings.dataset != "mnist":
            self._load_other_data()
            return
        folder = self.data_dir
        try:
            missing = self.data.missing()
        except DatasetError as error:  # an unreadable folder
            self._start_paused = None
            self._say(error_log.report(error, "Looking for MNIST"), MessageLevel.ERROR)
            return
        if missing:
            folder = self.ask_for_data(self, folder)
            if folder is None:
                self._start_paused = None
                self._say("Training needs the MNIST digits: download them, or choose a folder "
                          "that has them, when you press Start.", MessageLevel.WARNING)
                return
        self._show_loading("MNIST")
        self.data.load(folder)

    def _show_loading(self, title: str) -> None:
        self._set_state(TrainState.LOADING)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat(f"reading {title}…")

    def _load_other_data(self) -> None:
        """Find (download, or ask for) and read Fashion-MNIST, CIFAR-10 or a folder."""
        name = self.settings.dataset
        if name == "folder":
            folder = self.image_folder or self.ask_for_image_folder(self, Path.home())
            if folder is None:
                self._start_paused = None
                self._say("Choose a folder with one sub-folder of pictures per class (their "
                          "names are the classes), then press Start.", MessageLevel.WARNING)
                return
            self.image_folder = folder = Path(folder)
            shape, title = self._folder_shape(), folder.name
            read = lambda: datasets.read_image_folder(folder, shape)  # noqa: E731
        else:
            spec, folder = self.specs[name], self.dataset_folders[name]
            try:
                missing = datasets.missing(spec, folder)
            except DatasetError as error:
                self._start_paused = None
                self._say(error_log.report(error, f"Looking for {spec.title}"),
                          MessageLevel.ERROR)
                return
            if missing:
                folder = self.ask_for_dataset(self, spec, folder)
                if folder is None:
                    self._start_paused = None
                    self._say(f"Training needs {spec.title}: download it, or choose a folder "
                              "that has it, when you press Start.", MessageLevel.WARNING)
                    return
                self.dataset_folders[name] = folder = Path(folder)
            title = spec.title
            read = lambda: datasets.read_training_set(spec, folder)  # noqa: E731
        key = self._set_key()
        self._show_loading(title)
        workers.start(read, self, lambda loaded: self._on_set_read(key, loaded),
                      self._on_data_failed)

    def _on_set_read(self, key: tuple, loaded: TrainingSet) -> None:
        self._sets[key] = loaded
        self._show_data_counts()
        self.dataset_read.emit(loaded)
        if self.state is TrainState.LOADING:
            self._resume_start()

    def _on_data_failed(self, error: Exception) -> None:
        if self.state is not TrainState.LOADING:
            return  # the tab that asked reports it
        title = self._dataset_title()
        text = error_log.report(error, f"Reading {title}")
        self._start_paused = None
        self._set_state(TrainState.IDLE)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setFormat("not started")
        self._say(f"{title} could not be read: {text}", MessageLevel.ERROR)

    # --- a run -----------------------------------------------------------------------------------

    @property
    def is_training(self) -> bool:
        """Whether a run's thread exists (running, paused or stopping)."""
        return self.worker is not None

    def _start_run(self, paused: bool) -> None:
        chosen = self.training_set
        if chosen is None:
            self._start_paused = paused
            self._load_data()
            return
        problem = self.fit_problem()
        if problem is not None:
            self._say(problem, MessageLevel.ERROR)
            return
        if not self.settings.starts_from_current and not self.may_replace_model():
            return
        try:
            config = self.settings.config(validation_size(len(chosen.train_labels)),
                                          classes=len(chosen.class_names))
            model = (None if self.design is None or self.settings.starts_from_current
                     else self.design[0](config.seed))
            trainer = Trainer(config, chosen.train_images, chosen.train_labels, model=model)
            trainer.model.class_names = chosen.class_names
            self._take_initial_weights(trainer.model)
        except ValueError as error:
            self._say(f"These settings cannot train: {error}", MessageLevel.ERROR)
            return
        undone = self.session.clear_experiment()   # training never starts from a what-if
        self.off_session = False
        if self.settings.starts_from_current:
            trainer.model.set_weights(self.session.model.get_weights())
        else:
            self._show_new_network(trainer, config, model)
        self.learn_panel.set_subtitle(
            f"Not this network's: these are {self.session.description}'s (the views cannot "
            f"show this one: {self._unshown_reason})" if self.off_session
            else LEARN_SUBTITLE)
        self.trainer = trainer
        self.last_step = None
        self._weights = None
        self.run = self.runs.start(self._run_settings(trainer, chosen),
                                   trainer.model.get_weights())
        self._test_images = chosen.test_images
        self.runs_panel.set_runs(self.runs.runs)
        self.settings.set_runs_with_weights(
            [(run.number, run.settings.architecture) for run in self.runs.runs
             if run.initial_weights is not None])
        self.plots.start(config.epochs, trainer.batches_per_epoch)
        self.replay_panel.clear()
        self.results_view.set_class_names(chosen.class_names)
        self.summary_label.setText("")
        self.progress_bar.setRange(0, config.epochs * trainer.batches_per_epoch)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("starting (the first run compiles the kernels)…")
        self.speed_label.setText(" ")
        undone = ("" if undone is None else f"The what-if experiment ({undone}) was undone "
                  "first: training starts from the trained weights. ")
        self._say_banner(trainer.base_learning_rate, undone)
        self.worker = workers.TrainingWorker(
            trainer, self, test_set=(chosen.test_images, chosen.test_labels),
            snapshot_seconds=WEIGHTS_SECONDS, paused=paused)
        self.worker.finished.connect(self._on_worker_finished)
        self._set_state(TrainState.PAUSED if paused else TrainState.RUNNING)
        # the app's background compilation waits until this run has its kernels: Numba
        # compiles one kernel at a time, and Start must not wait for the inspector's
        self._release_warm_up = self.session.kernel_warm_up.hold()
        self.worker.start()
        self._timer.start()

    def _take_initial_weights(self, model: Sequential) -> None:
        """Start `model` from the initial weights of the run the settings name, if any;
        ValueError if that run's network is another."""
        number = self.settings.initial_weights_run
        if number is None or self.settings.starts_from_current:
            return
        source = self.runs.get(number)
        weights = None if source is None else source.initial_weights
        shapes = [w.shape for w in model.get_weights()]
        if weights is None or [w.shape for w in weights] != shapes:
            raise ValueError(f"run {number}'s initial weights do not fit this network (it was "
                             f"{source.settings.architecture if source else 'not kept'}): "
                             "choose the same network, or random weights")
        model.set_weights(weights)

    def _show_new_network(self, trainer: Trainer, config, model: Sequential | None) -> None:
        """Put a run's new network in the session (every tab shows it), if the views can show
        it; else it trains here only (`off_session`)."""
        lenet = (model is None and config.arch in ARCHITECTURES
                 and trainer.model.input_shape == SHOWN_SHAPE
                 and trainer.model.output_shape == SHOWN_OUTPUT)
        if lenet:
            # The session's model takes the new weights if it is a LeNet-5 of this kind (the
            # views keep their layout); else a new one is shown. Dropout is left out: outside
            # training it passes its input through.
            shown = (self.session.model if self.settings.current_variant == config.arch
                     else lenet5(config.arch))
            shown.set_weights(trainer.model.get_weights())
            description = f"new LeNet-5 {config.arch}, trained here"
        else:
            shown = trainer.model.clone()
            description = f"{self._network_name()}, trained here"
        shown.class_names = trainer.model.class_names
        self._unshown_reason = unshowable_reason(shown)
        if self._unshown_reason is not None:
            self.off_session = True
            return
        try:
            self.session.set_model(shown, description)
        except ValueError as error:
            self._unshown_reason = str(error)
            self.off_session = True
            return
        self.model_replaced.emit()

    def _network_name(self) -> str:
        if self.settings.starts_from_current:
            return self.session.description
        if self.design is not None:
            return self.design[1]
        return ARCHITECTURE_NAMES[self.settings.arch].split(":")[0].split(" (")[0]

    def _run_settings(self, trainer: Trainer, chosen: TrainingSet) -> RunSettings:
        config = trainer.config
        return RunSettings(
            architecture=self._network_name(), optimizer=self.settings.optimizer_box.currentText(),
            learning_rate=trainer.base_learning_rate, batch_size=config.batch_size,
            dataset=chosen.title, epochs=config.epochs, seed=config.seed,
            start=self.settings.start_box.currentText(),
            parameters=trainer.model.count_params())

    def shutdown(self) -> None:
        """Stop a run and wait for its thread; its last weights go into the session."""
        if self.worker is not None:
            self.worker.stop()
            self.worker.wait()
            self._on_worker_finished()

    def _on_worker_finished(self) -> None:
        worker = self.worker
        if worker is None or worker.isRunning():
            return  # already handled by shutdown()
        self._drain()
        self.worker = None
        worker.deleteLater()
        self._timer.stop()
        self._set_state(TrainState.IDLE)

    # --- buttons ---------------------------------------------------------------------------------

    def _on_start_button_clicked(self) -> None:
        if self.state == TrainState.IDLE:
            self._start_run(paused=False)

    def _on_pause_button_clicked(self) -> None:
        if self.state == TrainState.RUNNING:
            self.worker.pause()
            self._set_state(TrainState.PAUSED)
        elif self.state == TrainState.PAUSED:
            self.worker.resume()
            self._set_state(TrainState.RUNNING)

    def _on_step_button_clicked(self) -> None:
        if self.state == TrainState.IDLE:
            self._start_run(paused=True)
        if self.state == TrainState.PAUSED:
            self.worker.step()

    def _on_stop_button_clicked(self) -> None:
        if self.worker is not None and self.state in (TrainState.RUNNING, TrainState.PAUSED):
            self.worker.stop()
            self._set_state(TrainState.STOPPING)

    def _on_reset_button_clicked(self) -> None:
        if self.state == TrainState.IDLE:
            self._forget_run()

    def _forget_run(self) -> None:
        """Clear what the last run left on screen (plots, results, texts); the weights stay."""
        self.trainer = None
        self._banner = None
        self.plots.start(self.settings.epochs_box.value(), 200)
        self.replay_panel.clear()
        self.results_view.clear()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("not started")
        self.speed_label.setText(" ")
        self.summary_label.setText("")
        self.message_bar.clear()
        self._update_controls()

    def _on_settings_learning_rate_changed(self, rate: float) -> None:
        if self.worker is not None:
            self.worker.set_learning_rate(rate)
            if self._banner is not None and self.message_bar.text() == self._banner:
                self._say_banner(rate)  # the banner names the rate in use

    def _say_banner(self, rate: float, prefix: str = "") -> None:
        """The run's banner (kept to be said again when the rate changes), after prefix."""
        config = self.trainer.config
        network = self.run.settings.architecture if self.run else config.arch
        alone = f" {self._alone_text()}" if self.off_session else ""
        self._banner = (f"Training {network} on {self.run.settings.dataset} with "
                        f"{self.settings.optimizer_box.currentText()}, learning rate "
                        f"{rate:g}, batch {config.batch_size}.{alone}")
        self._say(prefix + self._banner, MessageLevel.INFO)

    def _alone_text(self) -> str:
        return (f"The other tabs, and Save, keep {self.session.description}: they cannot show "
                f"this network ({self._unshown_reason}).")

    def _set_state(self, state: TrainState) -> None:
        self.state = state
        self._update_controls()

    def _update_controls(self) -> None:
        state = self.state
        problem = self.fit_problem() if state == TrainState.IDLE else None
        self.fit_label.setText(problem or "")
        self.fit_label.setVisible(problem is not None)
        self.start_button.setEnabled(state == TrainState.IDLE and problem is None)
        self.pause_button.setEnabled(state in (TrainState.RUNNING, TrainState.PAUSED))
        self.pause_button.setText("▶ Resume" if state == TrainState.PAUSED else "❚❚ Pause")
        self.step_button.setEnabled(state == TrainState.PAUSED
                                    or (state == TrainState.IDLE and problem is None))
        self.stop_button.setEnabled(state in (TrainState.RUNNING, TrainState.PAUSED))
        self.reset_button.setEnabled(state == TrainState.IDLE and self.trainer is not None)
        self.settings.set_running(state != TrainState.IDLE)

    # --- reports ---------------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        self._drain()

    def _drain(self) -> None:
        """Take the worker's reports into the views (called at display rate)."""
        worker = self.worker
        if worker is None:
            return
        ended = None
        for report in worker.take_reports():
            if isinstance(report, StepRecord | workers.WeightsCopied):
                self._release_warm_up()  # a step ran, or the run is parked or over
            if isinstance(report, StepRecord):
                self.plots.add_step(report)
                self._record_step(report)
                self.replay_panel.add_step(report)
                self.last_step = report
                if report.weights is not None and not self.off_session:
                    self._weights = list(report.weights.values())
            elif isinstance(report, EpochRecord):
                self.plots.add_epoch(report)
                self.run.add_epoch(report)
                self._show_epoch(report)
            elif isinstance(report, workers.TestEvaluated):
                self.plots.add_test(report.epoch, report.evaluation.accuracy)
                self.run.add_test(report.epoch, report.evaluation.accuracy)
                self.replay_panel.add_test(report.epoch, self.last_step.step if self.last_step
                                           else 0, report.evaluation.accuracy,
                                           report.evaluation.confusion)
                self.results_view.set_evaluation(report.evaluation, self._test_images,
                                                 report.epoch)
            elif isinstance(report, workers.WeightsCopied):
                if self.off_session:  # the session's views cannot take these weights
                    if report.ended:
                        ended = report
                    continue
                self._weights = report.weights
                if self.last_step is not None:
                    self.replay_panel.add_weights(self.last_step.step, self.last_step.epoch,
                                                  report.weights)
                self._weights_pushed = self._progress_shown = -float("inf")  # paused or ended
                if report.ended:
                    ended = report
        self._push_weights()
        if self.isVisible():
            self.plots.refresh()
            self._refresh_replay()
            self._refresh_runs()
        self._show_progress()
        if ended is not None:
            self._end_run(ended)

    def _refresh_replay(self) -> None:
        if self.replay_panel.isVisible():
            self.replay_panel.refresh()

    def _record_step(self, record: StepRecord) -> None:
        """Grow the run's record; a new learning rate is marked on the live curves."""
        marked = len(self.run.rate_changes)
        self.run.add_step(record)
        for x, rate in self.run.rate_changes[marked:]:
            self.plots.mark_rate_change(x, rate)

    def _refresh_runs(self) -> None:
        if self.run is not None and self.runs_panel.isVisible():
            self.runs_panel.update_run(self.run)

    def add_saved_runs(self, runs: list[Run], source: str) -> int:
        """Runs read from a model file join the table; returns how many were new."""
        added = self.runs.add_saved(runs, source)
        if added:
            self.runs_panel.set_runs(self.runs.runs)
        return len(added)

    def _push_weights(self) -> None:
        now = time.perf_counter()
        if self._weights is None or now - self._weights_pushed < WEIGHTS_SECONDS:
            return
        self.session.set_weights(self._weights)
        self._weights, self._weights_pushed = None, now
        self.model_trained.emit()

    def _show_progress(self) -> None:
        record, now = self.last_step, time.perf_counter()
        if record is None or now - self._progress_shown < PROGRESS_SECONDS:
            return
        self._progress_shown = now
        self.progress_bar.setValue((record.epoch - 1) * record.batches + record.batch)
        self.progress_bar.setFormat(f"epoch {record.epoch} of {record.epochs} · batch "
                                    f"{record.batch} of {record.batches}")
        left = ((record.batches - record.batch) + (record.epochs - record.epoch)
                * record.batches) * self.trainer.config.batch_size
        eta = format_duration(left / max(record.images_per_second, 1e-9))
        state = {TrainState.PAUSED: " · paused",
                 TrainState.STOPPING: " · stopping…"}.get(self.state, "")
        self.speed_label.setText(f"{record.images_per_second:,.0f} images/s · {eta} left · "
                                 f"learning rate {record.learning_rate:.3g}{state}")

    def _show_epoch(self, record: EpochRecord) -> None:
        validation = ("" if record.val_loss is None else
                      f"<br>validation: loss {format_compact(record.val_loss)}, "
                      f"{100 * record.val_accuracy:.2f}% correct")
        self.summary_label.setText(
            f"<b>After epoch {record.epoch}</b> ({record.seconds:.1f} s)<br>training: loss "
            f"{format_compact(record.train_loss)}, {100 * record.train_accuracy:.2f}% correct"
            f"{validation}")

    def _end_run(self, report: workers.WeightsCopied) -> None:
        finished = report.finished
        self.run.finish("failed" if report.error is not None else "stopped" if finished is None
                        else "diverged" if finished.diverged else "completed")
        self.runs_panel.update_run(self.run)
        if report.error is not None:
            text = error_log.report(report.error, "Training")
            self._say(f"Training failed: {text} The network keeps the weights of its last "
                      "complete batch.", MessageLevel.ERROR)
        elif finished is not None and finished.diverged:
            self._say(finished.message, MessageLevel.ERROR)
            self.plots.mark_divergence(finished.step, self.trainer.batches_per_epoch)
        elif finished is not None and self.off_session:
            self._say(f"{finished.message} {self._alone_text()}", MessageLevel.INFO)
        elif finished is not None:
            self._say(f"{finished.message} Save the model with Ctrl+S.", MessageLevel.INFO)
        else:
            record = self.last_step
            where = (f" in epoch {record.epoch}, after batch {record.batch}"
                     if record is not None else " before the first batch")
            self._say(f"Training stopped{where}. The network keeps the weights it had then.",
                      MessageLevel.INFO)
        if self.last_step is not None:
            self.speed_label.setText(f"{self.last_step.images_per_second:,.0f} images/s "
                                     f"(last epoch)")
        if finished is not None and finished.reason == "completed" and self.last_step:
            self.progress_bar.setFormat(f"done: {finished.epoch} epochs")

    def _say(self, text: str, level: MessageLevel) -> None:
        self.message_bar.show_message(text, level)

    # --- reactions -------------------------------------------------------------------------------

    def _on_session_model_changed(self) -> None:
        if self.worker is None:  # another model opened, or a run's own new network
            self.settings.set_current_model(self.session.model)
            self._forget_run()  # the texts of a run on the model before would be false

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.plots.refresh()

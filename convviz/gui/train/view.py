"""The Train tab: train LeNet-5 on MNIST in the background and watch it learn.

A run is a `core.training.Trainer` driven by a `workers.TrainingWorker` on its own thread, on
the trainer's own model with the parallel kernels. The GUI thread never touches that model: it
drains the worker's reports with a timer at display rate (never once per batch), grows the
plots, moves the progress bar, and a few times a second copies the reported weights into the
session's model (serial batch-1 kernels), so every view of the network, on this tab and on
the Draw tab, follows the weights as they change. After each epoch the worker scores the test
set, shown as a confusion matrix whose cells list their digits.
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
from convviz.core.training.data import DatasetError, MnistData
from convviz.core.training.trainer import EpochRecord, StepRecord, Trainer
from convviz.gui import error_log, workers
from convviz.gui.mnist_source import MnistSource
from convviz.gui.session import DigitSession
from convviz.gui.train.confusion import TestResultsView
from convviz.gui.train.data_dialog import ask_for_mnist
from convviz.gui.train.plots import TrainingPlots, legend_html
from convviz.gui.train.replay import ReplayPanel
from convviz.gui.train.settings import TrainingSettings
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


class TrainState(enum.Enum):
    """What the tab is doing; the buttons follow it."""

    IDLE = "idle"
    LOADING = "loading"  # reading MNIST before a run
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"  # asked to stop, the current batch finishing


def validation_size(images: int) -> int:
    return min(MAX_VALIDATION, images // VALIDATION_SHARE)


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

    def __init__(self, session: DigitSession, data: MnistSource, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.data = data
        self.ask_for_data: Callable[[QWidget, Path], Path | None] = ask_for_mnist
        self.may_replace_model: Callable[[], bool] = lambda: True
        """Asked before a run from random weights replaces the session's model (the window
        asks about unsaved training here); False: the run does not start."""
        self.design: tuple[Callable[[int], Sequential], str] | None = None
        """(builder(seed), description) of a design from the Lab that Start trains, or None
        for LeNet-5 (see set_design)."""
        self.trainer: Trainer | None = None
        self.worker: workers.TrainingWorker | None = None
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
        self._make_layout()
        data.loaded.connect(self._on_data_loaded)
        data.failed.connect(self._on_data_failed)
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
        session.model_changed.connect(self._on_session_model_changed)
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
        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.settings)
        column.addWidget(self.design_label)
        column.addWidget(self.lenet_button)
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
            "What the network learns", scroll_page(learn, horizontal=False),
            "Kernels and the feature maps of your digit (Draw tab), following the training")
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
        self.right_tabs.currentChanged.connect(lambda _: self._refresh_replay())
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
        """Make Start train `model_builder(seed)` (a 28x28x1 design with 10 outputs) from
        random weights instead of LeNet-5; None goes back to LeNet-5."""
        self.design = None if model_builder is None else (model_builder, description)
        self.design_label.setText(f"Start trains <b>{description}</b> from random weights "
                                  "(the LeNet-5 and dropout choices are not used)."
                                  if self.design else "")
        for widget in (self.design_label, self.lenet_button):
            widget.setVisible(self.design is not None)
        if self.design is not None and self.settings.starts_from_current:
            self.settings.start_box.setCurrentIndex(0)

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

    def _on_data_loaded(self, mnist: MnistData) -> None:
        train, test = len(mnist.train_labels), len(mnist.test_labels)
        held = validation_size(train)
        self.data_label.setText(f"{train - held:,} training images, {held:,} held out for "
                                f"validation; {test:,} test images.")
        if self.state is not TrainState.LOADING:
            return  # not asked for here (the Draw tab's load at start-up, or set_data)
        self._set_state(TrainState.IDLE)
        paused, self._start_paused = self._start_paused, None
        if paused is not None:
            self._start_run(paused)
            if paused and self.worker is not None:
                self.worker.step()

    def _load_data(self) -> None:
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
        self._set_state(TrainState.LOADING)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat("reading MNIST…")
        self.data.load(folder)

    def _on_data_failed(self, error: Exception) -> None:
        if self.state is not TrainState.LOADING:
            return  # the tab that asked reports it
        text = error_log.report(error, f"Reading MNIST from {self.data_dir}")
        self._start_paused = None
        self._set_state(TrainState.IDLE)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setFormat("not started")
        self._say(f"MNIST could not be read: {text}", MessageLevel.ERROR)

    # --- a run -----------------------------------------------------------------------------------

    @property
    def is_training(self) -> bool:
        """Whether a run's thread exists (running, paused or stopping)."""
        return self.worker is not None

    def _start_run(self, paused: bool) -> None:
        if self.mnist is None:
            self._start_paused = paused
            self._load_data()
            return
        if not self.settings.starts_from_current and not self.may_replace_model():
            return
        mnist = self.mnist
        try:
            config = self.settings.config(validation_size(len(mnist.train_labels)))
            model = (None if self.design is None or self.settings.starts_from_current
                     else self.design[0](config.seed))
            trainer = Trainer(config, mnist.train_images, mnist.train_labels, model=model)
        except ValueError as error:
            self._say(f"These settings cannot train: {error}", MessageLevel.ERROR)
            return
        undone = self.session.clear_experiment()   # training never starts from a what-if
        if self.settings.starts_from_current:
            trainer.model.set_weights(self.session.model.get_weights())
        else:
            # The session's model takes the new weights if it is a LeNet-5 of this kind (the
            # views keep their layout); else a new one is shown. Dropout is left out: outside
            # training it passes its input through.
            if model is not None:
                shown, description = model.clone(), f"{self.design[1]}, trained here"
            else:
                shown = (self.session.model if self.settings.current_variant == config.arch
                         else lenet5(config.arch))
                shown.set_weights(trainer.model.get_weights())
                description = f"new LeNet-5 {config.arch}, trained here"
            self.session.set_model(shown, description)
            self.model_replaced.emit()
        self.trainer = trainer
        self.last_step = None
        self._weights = None
        self.plots.start(config.epochs, trainer.batches_per_epoch)
        self.replay_panel.clear()
        self.results_view.clear()
        self.summary_label.setText("")
        self.progress_bar.setRange(0, config.epochs * trainer.batches_per_epoch)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("starting (the first run compiles the kernels)…")
        self.speed_label.setText(" ")
        undone = ("" if undone is None else f"The what-if experiment ({undone}) was undone "
                  "first: training starts from the trained weights. ")
        self._say_banner(trainer.base_learning_rate, undone)
        self.worker = workers.TrainingWorker(
            trainer, self, test_set=(mnist.test_images, mnist.test_labels),
            snapshot_seconds=WEIGHTS_SECONDS, paused=paused)
        self.worker.finished.connect(self._on_worker_finished)
        self._set_state(TrainState.PAUSED if paused else TrainState.RUNNING)
        self.worker.start()
        self._timer.start()

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
        network = (self.design[1] if self.design and not self.settings.starts_from_current
                   else f"a {config.arch} LeNet-5")
        self._banner = (f"Training {network} with "
                        f"{self.settings.optimizer_box.currentText()}, learning rate "
                        f"{rate:g}, batch {config.batch_size}.")
        self._say(prefix + self._banner, MessageLevel.INFO)

    def _set_state(self, state: TrainState) -> None:
        self.state = state
        self._update_controls()

    def _update_controls(self) -> None:
        state = self.state
        self.start_button.setEnabled(state == TrainState.IDLE)
        self.pause_button.setEnabled(state in (TrainState.RUNNING, TrainState.PAUSED))
        self.pause_button.setText("▶ Resume" if state == TrainState.PAUSED else "❚❚ Pause")
        self.step_button.setEnabled(state in (TrainState.IDLE, TrainState.PAUSED))
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
            if isinstance(report, StepRecord):
                self.plots.add_step(report)
                self.replay_panel.add_step(report)
                self.last_step = report
                if report.weights is not None:
                    self._weights = list(report.weights.values())
            elif isinstance(report, EpochRecord):
                self.plots.add_epoch(report)
                self._show_epoch(report)
            elif isinstance(report, workers.TestEvaluated):
                self.plots.add_test(report.epoch, report.evaluation.accuracy)
                self.replay_panel.add_test(report.epoch, self.last_step.step if self.last_step
                                           else 0, report.evaluation.accuracy,
                                           report.evaluation.confusion)
                self.results_view.set_evaluation(report.evaluation, self.mnist.test_images,
                                                 report.epoch)
            elif isinstance(report, workers.WeightsCopied):
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
        self._show_progress()
        if ended is not None:
            self._end_run(ended)

    def _refresh_replay(self) -> None:
        if self.replay_panel.isVisible():
            self.replay_panel.refresh()

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
        if report.error is not None:
            text = error_log.report(report.error, "Training")
            self._say(f"Training failed: {text} The network keeps the weights of its last "
                      "complete batch.", MessageLevel.ERROR)
        elif finished is not None and finished.diverged:
            self._say(finished.message, MessageLevel.ERROR)
            self.plots.mark_divergence(finished.step, self.trainer.batches_per_epoch)
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

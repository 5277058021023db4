"""Save and Open model for the main window: the session's model as an .npz document.

The window's title names the model (its file, or where it came from) and ends in "*" while it
holds training that is not saved. Files are written atomically and read with the core's safe
loader (`core.serialization`), so a failed save never damages a saved model and a bad file is
reported, never loaded; the file is read off the GUI thread, and a model the views cannot show
(not a classifier of grey or colour pictures) is refused with a sentence. While a what-if
experiment is on (the Draw tab's What-if view), the title says so and Save writes the trained
weights, not the experiment, and says that. The Train tab's runs are saved beside the model (a
JSON entry, see core.training.runs) and come back into its run table when the file is opened;
a malformed runs entry is one sentence and loses nothing else. Whatever would throw unsaved
training away asks first (Save / Discard / Cancel): closing the window, opening another model,
and a new run from random weights on the Train tab. The questions and the file dialogs are
attributes, so tests replace them."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from convviz.core.nn.model import Sequential
from convviz.core.nn.serialization import load_model
from convviz.core.training.runs import RunsError, read_runs, save_model_with_runs
from convviz.gui import error_log, workers
from convviz.gui.session import DigitSession, unshowable_reason
from convviz.gui.train.view import TrainView
from convviz.gui.widgets.message_bar import MessageLevel

APP_NAME = "convviz"


def model_filter() -> str:
    """The file dialogs' filter for model files, in the current language."""
    return QCoreApplication.translate("ModelFile", "convviz models (*.npz);;All files (*)")


def ask_save_path(parent: QWidget, suggestion: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate(
        "ModelFile", "Save the model"), suggestion, model_filter())
    if not path:
        return None
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def ask_open_path(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, QCoreApplication.translate(
        "ModelFile", "Open a model"), "", model_filter())
    return Path(path) if path else None


class CloseChoice(enum.Enum):
    """What to do with unsaved trained weights before they would be lost."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"  # keep the window open


def ask_keep_weights(parent: QWidget, training: bool) -> CloseChoice:
    """Ask what to do with trained weights when the window closes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("ModelFile", "Keep the trained weights?"))
    box.setText(QCoreApplication.translate("ModelFile", "Training is still running.") if training
                else QCoreApplication.translate(
                    "ModelFile", "The model holds training that has not been saved."))
    box.setInformativeText(QCoreApplication.translate(
        "ModelFile", "Save the weights to a model file before closing? Training stops either "
        "way; files saved before stay as they are."))
    return _choice(box)


def ask_before_discarding(parent: QWidget, action: str) -> CloseChoice:
    """Ask whether to save unsaved trained weights before `action` (e.g. "opening another
    model") replaces them."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("ModelFile", "Keep the trained weights?"))
    box.setText(QCoreApplication.translate(
        "ModelFile", "The model holds training that has not been saved."))
    box.setInformativeText(QCoreApplication.translate(
        "ModelFile", "Save the weights to a model file before {0}? Discard throws them away; "
        "Cancel leaves everything as it is.").format(action))
    return _choice(box)


def _choice(box: QMessageBox) -> CloseChoice:
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    return {QMessageBox.StandardButton.Save: CloseChoice.SAVE,
            QMessageBox.StandardButton.Discard: CloseChoice.DISCARD}.get(
        QMessageBox.StandardButton(answer), CloseChoice.CANCEL)


def _read_runs_or_problem(path: Path) -> list | str:
    """The runs saved in the model file, or the sentence saying why they cannot be read."""
    try:
        return read_runs(path)
    except RunsError as error:
        return str(error)


class ModelFile(QObject):
    """The File menu's Save model / Open model, the window title, and the question on close."""

    open_finished = Signal(bool)

    def __init__(self, window: QMainWindow, session: DigitSession, train_view: TrainView,
                 report: Callable[[str, MessageLevel], None]):
        super().__init__(window)
        self.window, self.session, self.train_view = window, session, train_view
        self.report = report  # (text, level) into the window's message bar
        self.path: Path | None = None
        self.modified = False
        self.ask_save_path: Callable[[], Path | None] = lambda: ask_save_path(
            window, str(self.path or "lenet5-trained.npz"))
        self.ask_open_path: Callable[[], Path | None] = lambda: ask_open_path(window)
        self.ask_keep_weights: Callable[[bool], CloseChoice] = lambda training: ask_keep_weights(
            window, training)
        self.ask_before_discarding: Callable[[str], CloseChoice] = (
            lambda action: ask_before_discarding(window, action))
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self._on_save_action_triggered)
        self.save_as_action = QAction(self)
        self.save_as_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.triggered.connect(self._on_save_as_action_triggered)
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.actions = [self.open_action, self.save_action, self.save_as_action]
        train_view.model_trained.connect(self._on_train_view_model_trained)
        train_view.model_replaced.connect(self._on_train_view_model_replaced)
        train_view.may_replace_model = lambda: self.may_discard(
            self.tr("starting a new run from random weights"))
        session.experiment_changed.connect(self._update_title)
        self.retranslate()

    def retranslate(self) -> None:
        """The actions' texts and the window title in the current language (the window calls
        this on a language change: a QObject gets no LanguageChange event of its own)."""
        self.save_action.setText(self.tr("&Save model"))
        self.save_as_action.setText(self.tr("Save model &as…"))
        self.open_action.setText(self.tr("Open &model…"))
        self._update_title()

    @property
    def name(self) -> str:
        if self.path is not None:
            return self.path.name
        return self.session.description

    def title(self) -> str:
        experiment = (self.tr(" · what-if experiment on (Save keeps the trained weights)")
                      if self.session.experiment is not None else "")
        return f"{APP_NAME} · {self.name}{' *' if self.modified else ''}{experiment}"

    def save(self, path: Path | None = None) -> bool:
        """Write the session's model to `path` (default: its file, else ask); True if saved."""
        path = path or self.path or self.ask_save_path()
        if path is None:
            return False
        experiment = self.session.experiment
        model = self.session.model
        if experiment is not None:     # the trained network, never the experiment on show
            model = model.clone()
            model.set_weights(self.session.trained_weights())
        try:
            save_model_with_runs(model, self.train_view.runs.runs, path)
        except (OSError, ValueError) as error:  # ValueError: NaN weights are never written
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.report(self.tr("The model could not be saved to {0}: {1}").format(path, reason),
                        MessageLevel.ERROR)
            return False
        self.path, self.modified = Path(path), False
        self._update_title()
        self.report(self.tr("Model saved to {0}.").format(path) + (
            "" if experiment is None else self.tr(
                " It holds the trained weights, not the what-if experiment on show ({0}).").format(
                    experiment.description)), MessageLevel.INFO)
        return True

    def open(self, path: Path, remember_path: bool = True) -> None:
        """Read a model file off the GUI thread, then show it in every tab if the views can;
        `open_finished(loaded)` follows, and the message bar says what happened.

        remember_path=False (a temporary copy, as convviz.show() hands over): Save then asks
        where to keep the model instead of writing to a file about to disappear.
        """
        if self._refused_while_training():
            self.open_finished.emit(False)
            return
        path = Path(path)
        self.report(self.tr("Opening {0}…").format(path.name), MessageLevel.INFO)
        workers.start_detached(lambda: (load_model(path), _read_runs_or_problem(path)), self,
                               partial(self._on_model_read, path, remember_path),
                               partial(self._on_model_read_failed, path))

    def _on_model_read(self, path: Path, remember_path: bool,
                       read: tuple[Sequential, list | str]) -> None:
        model, runs = read
        problem = (self.tr("training started while it was read") if self.train_view.is_training
                   else unshowable_reason(model))
        name = path.name if remember_path else model.name
        if problem is None:
            try:
                self.session.set_model(model, name)
            except ValueError as error:
                problem = str(error)
        if problem is not None:
            self.report(self.tr("The model could not be opened: {0}: {1}.").format(name, problem),
                        MessageLevel.ERROR)
            self.open_finished.emit(False)
            return
        self.path, self.modified = (path if remember_path else None), False
        self._update_title()
        if isinstance(runs, str):
            self.report(self.tr("Opened {0}, but {1}; the model itself is fine.").format(
                name, runs), MessageLevel.WARNING)
        else:
            added = self.train_view.add_saved_runs(runs, name)
            text = (self.tr("Opened {0}.") if not added
                    else self.tr("Opened {0}, with 1 saved run (Train tab, Compare runs).")
                    if added == 1 else
                    self.tr("Opened {0}, with {1} saved runs (Train tab, Compare runs)."))
            self.report(text.format(name, added), MessageLevel.INFO)
        self.open_finished.emit(True)

    def _on_model_read_failed(self, path: Path, error: Exception) -> None:
        text = error_log.report(error, f"Opening the model {path}")
        self.report(self.tr("The model could not be opened: {0}").format(text), MessageLevel.ERROR)
        self.open_finished.emit(False)

    def may_discard(self, action: str) -> bool:
        """Before `action` replaces the session's model: ask about unsaved training (Save /
        Discard / Cancel); True if it may go ahead (saved, discarded, or nothing unsaved)."""
        if not self.modified:
            return True
        answer = self.ask_before_discarding(action)
        if answer is CloseChoice.CANCEL:
            return False
        return answer is CloseChoice.DISCARD or self.save()

    def may_close(self) -> bool:
        """Ask about unsaved training, stop the training thread; False: keep the window open."""
        if self.train_view.is_training or self.modified:
            answer = self.ask_keep_weights(self.train_view.is_training)
            if answer is CloseChoice.CANCEL:
                return False
            self.train_view.shutdown()  # its last weights are now the session's
            if answer is CloseChoice.SAVE and not self.save():
                return False
        self.train_view.shutdown()
        return True

    def _refused_while_training(self) -> bool:
        if self.train_view.is_training:
            self.report(self.tr("Stop the training before opening another model."),
                        MessageLevel.WARNING)
        return self.train_view.is_training

    def _update_title(self) -> None:
        self.window.setWindowTitle(self.title())

    def _on_save_action_triggered(self) -> None:
        self.save()

    def _on_save_as_action_triggered(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.save(path)

    def _on_open_action_triggered(self) -> None:
        if (self._refused_while_training()
                or not self.may_discard(self.tr("opening another model"))):
            return
        path = self.ask_open_path()
        if path is not None:
            self.open(path)

    def _on_train_view_model_trained(self) -> None:
        if not self.modified:
            self.modified = True
            self._update_title()

    def _on_train_view_model_replaced(self) -> None:
        self.path, self.modified = None, True
        self._update_title()

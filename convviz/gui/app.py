"""Start the app: Qt application, the shipped model (or an untrained one), the main window."""

from __future__ import annotations

import contextlib
import gc
import importlib.resources
import sys
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from convviz.core import ModelFileError, Sequential, lenet5, load_model
from convviz.core.training.data import resolve_data_dir
from convviz.gui import error_log, i18n
from convviz.gui.i18n import translate
from convviz.gui.main_window import MainWindow
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.message_bar import MessageLevel

SHIPPED_MODEL = ("models", "lenet5.npz")


def load_startup_model() -> tuple[Sequential, str, str | None]:
    """(model, description, problem): the shipped LeNet-5, else a random one and why."""
    resource = importlib.resources.files("convviz.assets").joinpath(*SHIPPED_MODEL)
    problem = translate("App", "The trained model (assets/models/lenet5.npz) is missing")
    if resource.is_file():
        with importlib.resources.as_file(resource) as path:
            try:
                return load_model(path), translate("App", "LeNet-5 trained on MNIST"), None
            except ModelFileError as error:
                problem = translate("App", "The trained model could not be read ({0})").format(
                    error)
    return (lenet5("classic"), translate("App", "untrained LeNet-5 (random weights)"),
            translate("App", "{0}, so the network has random weights and its predictions are "
                             "guesses.").format(problem))


def configure_pyqtgraph() -> None:
    """pyqtgraph's global options, set once before any plot exists: images are (row, column),
    as NumPy and the core hold them."""
    pg.setConfigOptions(imageAxisOrder="row-major")


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("convviz")
    app.setApplicationName("convviz")
    configure_pyqtgraph()
    theme.apply(app)
    return app


def freeze_startup_objects() -> None:
    """Leave the objects made at start-up out of the garbage collector's full passes.

    Qt wrappers, pyqtgraph items and Numba's compiled code live as long as the app; scanning
    them made each full collection take ~100 ms, a visible stall in the middle of a stroke.
    """
    gc.freeze()


def open_main_window(settings: QSettings | None = None) -> MainWindow:
    """Show the main window at once (in the language chosen last time) and prepare the
    network behind it."""
    settings = settings or QSettings()
    i18n.install_language(i18n.saved_language(settings))
    model, description, problem = load_startup_model()
    window = MainWindow(DigitSession(model, description), settings, resolve_data_dir(None))
    window.show()
    if problem:
        error_log.LOGGER.warning(problem)
        window.message_bar.show_message(problem, MessageLevel.WARNING)
    window.session.warmed_up.connect(freeze_startup_objects)
    window.start_background_work()
    return window


def open_startup_files(window: MainWindow, image: str | Path | None = None,
                       model: str | Path | None = None, model_is_copy: bool = False) -> None:
    """Show the model file and the picture named on the command line, if any.

    A copy (convviz.show()'s temporary file) is deleted once read, with its folder.
    """
    if model is not None:
        if model_is_copy:  # deleted once the (background) read has ended, loaded or not
            def discard(_loaded: bool) -> None:
                window.model_file.open_finished.disconnect(discard)
                discard_copy(model)
            window.model_file.open_finished.connect(discard)
        window.model_file.open(Path(model), remember_path=not model_is_copy)
    if image is not None:
        window.open_image(Path(image))


def discard_copy(path: str | Path) -> None:
    """Delete convviz.show()'s temporary model file and its folder (if nothing else is in it)."""
    Path(path).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: not ours to remove
        Path(path).parent.rmdir()


def run(image: str | Path | None = None, model: str | Path | None = None,
        model_is_copy: bool = False) -> int:
    """Open the main window on `model` and `image` if given; run until it is closed."""
    error_log.start_log_file()
    error_log.log_uncaught_exceptions()
    app = create_application()
    window = open_main_window()
    open_startup_files(window, image, model, model_is_copy)
    return app.exec()

"""Errors keep their cause: tracebacks go to a log file, the person reads one clear sentence.

Workers hand exceptions over as objects; `report` logs one with its traceback and returns what
the window shows. The core's own errors (ValueError subclasses such as ImageLoadError or
DatasetError, and OSError) are already worded for a student, so their message is the sentence;
anything else is a bug, and the sentence says so and where the details are.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication

LOGGER = logging.getLogger("convviz")
LOG_FILE_NAME = "convviz.log"
LOG_FILE_BYTES = 1_000_000
"""A log file is rotated at about this size; three old ones are kept."""


def log_folder() -> Path:
    """The per-user folder for convviz's log (e.g. ~/.local/state/convviz/log on Linux)."""
    return platformdirs.user_log_path("convviz", appauthor=False)


def start_log_file(folder: Path | None = None) -> Path | None:
    """Send convviz's log records to a rotating file in `folder`; returns its path.

    None when the folder cannot be written (a read-only home): the app runs on, logging to
    stderr as Python does by default.
    """
    folder = folder or log_folder()
    path = folder / LOG_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_FILE_BYTES, backupCount=3,
                                      encoding="utf-8")
    except OSError as error:
        LOGGER.warning("No log file in %s: %s", folder, error)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    return path


def is_expected(error: BaseException) -> bool:
    """Bad input or a file problem (worded for a person), rather than a bug."""
    return isinstance(error, ValueError | OSError)


def sentence(error: BaseException) -> str:
    """What a person reads about `error`."""
    if is_expected(error):
        return str(error) or type(error).__name__
    return QCoreApplication.translate(
        "ErrorLog", "Something went wrong inside convviz ({0}: {1}). The details are in the log, "
        "in {2} (Help → Open log folder).").format(type(error).__name__, error, log_folder())


def report(error: BaseException, context: str) -> str:
    """Log `error` with its traceback under `context` (what was being done); returns its sentence.

    Expected errors are logged as warnings, anything else as an error.
    """
    level = logging.WARNING if is_expected(error) else logging.ERROR
    text = sentence(error)
    LOGGER.log(level, "%s: %s", context, text, exc_info=error)
    return text


def log_uncaught_exceptions() -> None:
    """Also log exceptions that escape a Qt slot (Qt prints them and carries on)."""
    previous = sys.excepthook

    def hook(kind, error, traceback) -> None:
        LOGGER.error("Uncaught exception", exc_info=(kind, error, traceback))
        previous(kind, error, traceback)

    sys.excepthook = hook

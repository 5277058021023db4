"""GUI test set-up: Qt runs offscreen, and no test ever reads or writes the user's settings.

QT_QPA_PLATFORM must be set before any QApplication exists, hence at import time here. The
PySide6 6.12.0 reference-count guard (None and True, see convviz.gui.qt_compat) is applied
before any test runs, as the app applies it at start-up.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from convviz.gui import qt_compat  # noqa: E402

qt_compat.protect_singletons()


@pytest.fixture(autouse=True)
def settings_in_tmp_path(tmp_path):
    """Every QSettings the code under test makes lives in this test's temporary folder."""
    folder = str(tmp_path / "settings")
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, folder)
    return folder

"""GUI test set-up: Qt runs offscreen, and no test ever reads or writes the user's settings.

QT_QPA_PLATFORM must be set before any QApplication exists, hence at import time here.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from qt_actions import WARM_UP_MS

from convviz.core import lenet5
from convviz.gui import i18n
from convviz.gui.app import configure_pyqtgraph
from convviz.gui.main_window import MainWindow
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme


@pytest.fixture(autouse=True, scope="session")
def pyqtgraph_options():
    """Views built without the app get pyqtgraph's options from the app's own start-up step."""
    configure_pyqtgraph()


@pytest.fixture(autouse=True)
def settings_in_tmp_path(tmp_path):
    """Every QSettings the code under test makes lives in this test's temporary folder."""
    folder = str(tmp_path / "settings")
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, folder)
    return folder


@pytest.fixture(autouse=True)
def english_afterwards():
    """A test that ends in German leaves the next one in English (the installed translator
    is process-wide, like QSettings' path)."""
    yield
    i18n.install_language("en")


@pytest.fixture
def app_look(qapp):
    """The style and font the app starts with (theme.apply), so text needs what it needs."""
    font, style = qapp.font(), qapp.style().name()
    theme.apply(qapp)
    yield
    theme.set_text_scale(1.0)
    qapp.setFont(font)
    qapp.setStyle(style)


@pytest.fixture
def make_window(qtbot, tmp_path):
    """make_window(warm=True, data_dir=None, settings=None) -> a shown MainWindow."""

    def make(warm: bool = True, data_dir: Path | None = None,
             settings: QSettings | None = None) -> MainWindow:
        settings = settings or QSettings(str(tmp_path / "convviz.ini"),
                                         QSettings.Format.IniFormat)
        window = MainWindow(DigitSession(lenet5("classic"), "test model"), settings,
                            data_dir or tmp_path / "no-mnist")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        if warm:
            with qtbot.waitSignal(window.session.warmed_up, timeout=WARM_UP_MS):
                window.start_background_work()
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()

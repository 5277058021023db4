"""The app's languages: Qt translators for convviz's own strings and for Qt's standard dialogs.

Every user-visible string goes through Qt's translation machinery (`self.tr` in QObjects,
`QCoreApplication.translate(context, text)` elsewhere; module-level strings are marked with
`QT_TRANSLATE_NOOP` and translated where they are shown). The catalogs are Qt Linguist files
in convviz/gui/translations/ (convviz_<code>.ts, compiled to .qm by tools/update_translations.py).
Installing a translator makes Qt send every widget a LanguageChange event; widgets that
re-label live handle it in `changeEvent` with a `retranslate()`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QSettings, QTranslator
from PySide6.QtWidgets import QComboBox

LANGUAGES = {"en": "English", "de": "Deutsch"}
"""Language code: its name in that language (the menu shows each in its own words)."""
SOURCE_LANGUAGE = "en"
LANGUAGE_KEY = "view/language"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
"""convviz_<code>.ts (the source catalogs) and their compiled convviz_<code>.qm."""

TRANSLATED_SOURCES = (
    "app.py", "error_log.py", "help_dialogs.py", "i18n.py", "lesson_dock.py", "lesson_stage.py",
    "main_window.py", "mnist_source.py", "model_file.py", "platform_check.py", "session.py",
    "tab_feeds.py",
    "draw", "inspector", "lab", "lessons", "stepper", "views", "widgets",
)
"""The modules and packages under convviz/gui/ whose strings all go through tr: the catalog
is extracted from them (tools/update_translations.py), and tests/gui/test_translations.py
checks that they pass no bare string to Qt. The list grows as packages are converted."""

_installed: list[QTranslator] = []
_current = [SOURCE_LANGUAGE]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate knows)
    """Mark `text` for the catalog under `context`; it is translated where it is shown."""
    return text


def translate(context: str, text: str) -> str:
    """`text` in the current language (QCoreApplication.translate, for code outside QObjects)."""
    return QCoreApplication.translate(context, text)


class Retranslating:
    """Mixin for a QWidget that re-labels itself: its `retranslate()` runs on every
    QEvent.LanguageChange (call it once from the constructor too). List it before the Qt
    base class."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def relabel_combo(combo: QComboBox, context: str, labels: dict[str, str] | None = None) -> None:
    """Translate the items of a combo box whose data are English keys: each item shows
    labels[key] (or the key itself) in the current language."""
    labels = labels or {}
    for index in range(combo.count()):
        key = combo.itemData(index)
        combo.setItemText(index, translate(context, labels.get(key, key)))


def catalog(code: str) -> Path:
    """The compiled catalog of convviz's strings for language `code`."""
    return TRANSLATIONS / f"convviz_{code}.qm"


def saved_language(settings: QSettings) -> str:
    """The language chosen in an earlier session (English if none or not one we ship)."""
    code = settings.value(LANGUAGE_KEY, SOURCE_LANGUAGE)
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def current_language() -> str:
    """The language whose translators are installed."""
    return _current[0]


def install_console_language() -> None:
    """For a message printed before any window opens (the platform check): a bare
    QCoreApplication, if there is none yet, in the language the user's settings name."""
    if QCoreApplication.instance() is None:
        _console_app.append(QCoreApplication(["convviz"]))
    install_language(saved_language(QSettings("convviz", "convviz")))


_console_app: list[QCoreApplication] = []


def install_language(code: str) -> None:
    """Translate the app into `code` from now on (English: remove the translators).

    Qt's own catalog (qtbase_<code>.qm, shipped with PySide6) translates the standard
    dialogs and buttons. Every widget then receives QEvent.LanguageChange. Numbers keep the
    format the core gives them (a decimal point), so the locale is left as it is.
    """
    if code not in LANGUAGES:
        raise ValueError(f"no such language: {code!r}")
    if code == _current[0] and (code == SOURCE_LANGUAGE or _installed):
        return  # already installed: no round of LanguageChange events for nothing
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current[0] = code
    if code == SOURCE_LANGUAGE:
        return
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{code}", qt_folder), (catalog(code).stem, str(TRANSLATIONS))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)

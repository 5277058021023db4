"""The app speaks German too: View > Language re-labels the window at once and is remembered;
the catalog holds a translation for every string of the converted packages, its compiled .qm
is up to date, and no converted module hands Qt a bare English string."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from layout_check import layout_problems
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from qt_actions import choose_language

from convviz.gui import i18n
from convviz.gui.platform_check import MissingLibraries

GUI = Path(i18n.__file__).parent
CATALOG = i18n.TRANSLATIONS / "convviz_de.ts"



def texts(window) -> dict[str, str]:
    """What the test compares: menu titles and actions, tab titles, Stepper and inspector
    labels, the message bar's button."""
    stepper, inspector = window.stepper_tab, window.inspector_tab
    return {
        "file": window.file_menu.title(), "view": window.view_menu.title(),
        "help": window.help_menu.title(), "language": window.language_menu.title(),
        "open": window.open_action.text(), "quit": window.quit_action.text(),
        "presenter": window.presenter_action.text(), "guide": window.guide_action.text(),
        "save model": window.model_file.save_action.text(),
        "tabs": " | ".join(window.tabs.tabText(i) for i in range(window.tabs.count())),
        "stepper input box": stepper.controls.input_box.title(),
        "stepper stride": stepper.controls.stride_label.text(),
        "stepper operation": stepper.controls.operation_combo.currentText(),
        "stepper start": stepper.start_button.text(),
        "stepper step": stepper.step_label.text(),
        "stepper modes": stepper.modes.tabText(1),
        "inspector open": inspector.open_button.text(),
        "inspector colours": inspector.controls.display_box.title(),
        "inspector photo": inspector.grid.photo.title,
        "inspector readout": inspector.readout_label.text(),
        "dismiss": window.message_bar.close_button.toolTip(),
    }


def test_deutsch_from_the_menu_relabels_the_window_at_once_and_english_comes_back(qtbot,
                                                                                 window):
    inspector = window.inspector_tab
    window.tabs.setCurrentWidget(inspector)
    qtbot.mouseClick(inspector.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inspector.computed is not None, timeout=30_000)
    window.tabs.setCurrentWidget(window.stepper_tab)
    qtbot.waitUntil(lambda: window.stepper_tab.stepper is not None)
    english = texts(window)
    assert english["file"] == "&File" and english["stepper start"] == "|◀ Start"
    choose_language(qtbot, window, "Deutsch")
    german = texts(window)
    assert german["file"] == "&Datei"
    assert german["view"] == "&Ansicht"
    assert german["help"] == "&Hilfe"
    assert german["language"] == "&Sprache"
    assert german["open"] == "Bild ö&ffnen…"
    assert german["quit"] == "&Beenden"
    assert german["presenter"] == "&Präsentationsmodus (Text auf 150 %)"
    assert german["guide"] == "&Was sehe ich hier?"
    assert german["save model"] == "Modell &speichern"
    assert german["tabs"] == "Zeichnen | Schritt für Schritt | Bildanalyse | Training | Labor"
    assert german["stepper input box"] == "Eingabe"
    assert german["stepper stride"] == "Schrittweite"
    assert german["stepper operation"] == "Faltung"
    assert german["stepper start"] == "|◀ Anfang"
    assert german["stepper step"].startswith("Schritt 1 von ")
    assert german["stepper modes"] == "Rückwärtsdurchlauf"
    assert german["inspector open"] == "Foto öffnen…"
    assert german["inspector colours"] == "Farben"
    assert german["inspector photo"] == "Foto"
    assert german["inspector readout"].startswith("Maus über Foto oder Karte: Werte ablesen")
    assert german["dismiss"] == "Schließen"
    assert window.settings.value(i18n.LANGUAGE_KEY) == "de"
    choose_language(qtbot, window, "English")
    assert texts(window) == english


def test_an_open_help_dialog_and_qt_s_own_buttons_follow_the_language(qtbot, window):
    window.shortcuts_action.trigger()
    assert window.help_dialog.windowTitle() == "Keyboard shortcuts"
    choose_language(qtbot, window, "Deutsch")
    dialog = window.help_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Tastenkürzel"
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text().replace("&", "") == "Schließen"  # Qt's own catalog (qtbase_de.qm)
    rows = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert "Durchlauf abspielen oder anhalten (Tab Schritt für Schritt)" in rows


def test_the_language_is_remembered_across_a_restart(qtbot, make_window, tmp_path):
    settings_file = str(tmp_path / "restart.ini")
    first = make_window(warm=False, settings=QSettings(settings_file, QSettings.Format.IniFormat))
    choose_language(qtbot, first, "Deutsch")
    first.close()
    i18n.install_language("en")  # as a fresh process starts: no translator installed
    second = make_window(warm=False,
                         settings=QSettings(settings_file, QSettings.Format.IniFormat))
    assert second.file_menu.title() == "&Datei"
    assert second.tabs.tabText(1) == "Schritt für Schritt"
    assert second.language_actions["de"].isChecked()
    assert not second.language_actions["en"].isChecked()


def test_a_hand_edited_language_setting_falls_back_to_english(qtbot, make_window, tmp_path):
    settings = QSettings(str(tmp_path / "odd.ini"), QSettings.Format.IniFormat)
    settings.setValue(i18n.LANGUAGE_KEY, "klingon")
    window = make_window(warm=False, settings=settings)
    assert window.file_menu.title() == "&File"
    assert window.language_actions["en"].isChecked()


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


@pytest.mark.parametrize("language", ["English", "Deutsch"])
@pytest.mark.parametrize("scale", [1.0, 1.5], ids=["100%", "150%"])
def test_in_german_the_stepper_and_the_inspector_fit_1366x768(qtbot, app_look, window, scale,
                                                              language):
    """German words are longer: nothing may be cut, overlap or widen the window (English,
    switched to and back, is the baseline)."""
    choose_language(qtbot, window, language)
    window.set_text_scale(scale)
    window.resize(1366, 768)
    found = []
    window.tabs.setCurrentWidget(window.stepper_tab)
    settle(qtbot)
    found += [f"Stepper: {p}" for p in layout_problems(window, (1366, 768))]
    window.stepper_tab.modes.setCurrentIndex(1)
    settle(qtbot)
    found += [f"Backward pass: {p}" for p in layout_problems(window, (1366, 768))]
    inspector = window.inspector_tab
    window.tabs.setCurrentWidget(inspector)
    inspector.load_sample()
    qtbot.waitUntil(lambda: inspector.computed is not None, timeout=30_000)
    settle(qtbot)
    found += [f"Image inspection: {p}" for p in layout_problems(window, (1366, 768))]
    assert not found, "\n".join(found)


def test_the_platform_check_speaks_the_saved_language():
    """Before any window: the message printed to the terminal is in the chosen language."""
    settings = QSettings("convviz", "convviz")  # the user's settings (here in a temp folder)
    settings.setValue(i18n.LANGUAGE_KEY, "de")
    settings.sync()
    i18n.install_console_language()
    message = MissingLibraries(Path("libqxcb.so"), ("libxcb-cursor.so.0",)).message()
    assert message.startswith("convviz kann kein Fenster öffnen")
    assert "sudo apt install libxcb-cursor0" in message


# --- the catalog -------------------------------------------------------------------------------

def messages(ts_file: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message in a .ts file."""
    found = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            found.append((name, message.find("source").text, message.find("translation")))
    return found


def linguist_tool(name: str) -> str:
    tool = shutil.which(f"pyside6-{name}")
    if tool is None:
        pytest.skip(f"pyside6-{name} is not installed")
    return tool


def test_every_string_of_the_converted_packages_has_a_german_translation(tmp_path):
    """lupdate over today's sources, into a copy of the catalog: nothing new, nothing
    unfinished (a new tr string fails here until it is translated)."""
    copy = tmp_path / CATALOG.name
    shutil.copy(CATALOG, copy)
    sources = [str(path) for name in i18n.TRANSLATED_SOURCES for path in
               (sorted((GUI / name).rglob("*.py")) if (GUI / name).is_dir() else [GUI / name])]
    subprocess.run([linguist_tool("lupdate"), *sources, "-ts", str(copy), "-locations", "none",
                    "-no-obsolete", "-silent"], check=True)
    found = messages(copy)
    assert len(found) > 300
    unfinished = [(context, source) for context, source, translation in found
                  if translation.get("type") == "unfinished" or not translation.text]
    assert not unfinished, "untranslated (run tools/update_translations.py, then translate):\n" \
        + "\n".join(f"{c}: {s!r}" for c, s in unfinished)
    assert {(c, s) for c, s, _ in found} == {(c, s) for c, s, _ in messages(CATALOG)}


def test_each_translation_keeps_the_placeholders_and_one_accelerator():
    placeholders = re.compile(r"\{[^}]*\}")
    for context, source, translation in messages(CATALOG):
        german = translation.text or ""
        assert sorted(placeholders.findall(german)) == sorted(placeholders.findall(source)), \
            (context, source)
        accelerators = [text.replace("&nbsp;", "").replace("&&", "").count("&")
                        for text in (source, german)]
        assert accelerators[0] == accelerators[1], (context, source)


def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path):
    compiled = tmp_path / "convviz_de.qm"
    subprocess.run([linguist_tool("lrelease"), "-silent", str(CATALOG), "-qm", str(compiled)],
                   check=True)
    assert compiled.read_bytes() == i18n.catalog("de").read_bytes(), \
        "run tools/update_translations.py"


# --- no bare strings ---------------------------------------------------------------------------

TEXT_METHODS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setTitle",
    "setPlaceholderText", "setTabText", "setTabToolTip", "setItemText", "addTab", "insertTab",
    "addAction", "addMenu", "addItem", "addItems", "addRow", "insertItem",
    "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabels", "setLabelText",
    "setInformativeText", "setDetailedText", "setSuffix", "setPrefix", "setSpecialValueText",
    "showMessage", "show_message", "set_title", "set_subtitle", "setCancelButtonText",
}
TEXT_CLASSES = {
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QToolButton",
    "QAction", "QMenu", "QLineEdit", "QListWidgetItem", "QTableWidgetItem", "QProgressDialog",
    "QMessageBox", "CellGrid", "Panel", "WrappingLabel",
}
MESSAGE_BOXES = {"information", "warning", "critical", "question", "about"}
FILE_DIALOGS = {"getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"}
TRANSLATORS = {"tr", "translate", "QT_TRANSLATE_NOOP"}
NOTATION = {"dL/dz", "dL/dW", "dL/dz = dL/dy · f'(z)", " px"}
"""Formulas and units: they read the same in every language."""
_MARKUP = re.compile(r"<[^>]*>|&\w+;|\{[^}]*\}")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _is_words(text: str) -> bool:
    """Whether a literal holds words a person reads (markup, placeholders and notation
    aside)."""
    return text not in NOTATION and bool(_WORD.search(_MARKUP.sub(" ", text)))


def _bare_literals(node: ast.AST) -> list[ast.AST]:
    """Literals with words in an argument: plain, f-strings, "...".format(), joined with +."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node] if _is_words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return [node] if _is_words(text) else []
    if isinstance(node, ast.BinOp):
        return _bare_literals(node.left) + _bare_literals(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_literals(node.body) + _bare_literals(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return [found for item in node.elts for found in _bare_literals(item)]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"):
        return _bare_literals(node.func.value)
    return []


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def untranslated_strings(source: str, filename: str = "<source>") -> list[str]:
    """'file:line: text' for every bare literal handed to a Qt text setter or constructor,
    and every f-string inside tr/translate (lupdate cannot extract it)."""
    found = []
    for call in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)):
        name = _called_name(call)
        if name in TRANSLATORS:
            found += [node for node in call.args if isinstance(node, ast.JoinedStr)]
            continue
        if name in TEXT_METHODS or name in TEXT_CLASSES:
            arguments = [*call.args, *(k.value for k in call.keywords)]
        elif name in FILE_DIALOGS:
            arguments = call.args[1:2]  # the caption (a suggested file name is not text)
        elif (name in MESSAGE_BOXES and isinstance(call.func, ast.Attribute)
              and getattr(call.func.value, "id", "") == "QMessageBox"):
            arguments = call.args[1:3]
        else:
            continue
        found += [node for argument in arguments for node in _bare_literals(argument)]
    return [f"{filename}:{node.lineno}: {ast.unparse(node)[:80]}" for node in found]


def converted_files() -> list[Path]:
    return [path for name in i18n.TRANSLATED_SOURCES for path in
            (sorted((GUI / name).rglob("*.py")) if (GUI / name).is_dir() else [GUI / name])]


def test_the_converted_packages_hand_qt_no_bare_string():
    files = converted_files()
    assert len(files) > 20
    problems = [problem for path in files
                for problem in untranslated_strings(path.read_text(), path.name)]
    assert not problems, "wrap these in self.tr(...) or translate(...):\n" + "\n".join(problems)


@pytest.mark.parametrize("line", [
    'label = QLabel("Stride")',
    'button.setText(f"Step {n}")',
    'box.setToolTip("How far " + name)',
    'bar.show_message("Loaded {0}.".format(name), level)',
    'self.setWindowTitle(self.tr(f"Model {name}"))',
    'combo.addItems(["valid", "same"])',
    'QMessageBox.warning(self, "Careful", text)',
    'QFileDialog.getSaveFileName(self, "Save the model", "model.npz", FILTER)',
])
def test_the_checker_finds_a_bare_string(line):
    assert untranslated_strings(line)


@pytest.mark.parametrize("line", [
    'label = QLabel(self.tr("Stride"))',
    'button.setText(self.tr("Step {0}").format(n))',
    'close.setText("✕")',
    'grid.set_title(f"{name} ×{weight}")',
    'QFileDialog.getSaveFileName(self, self.tr("Save"), "model.npz", model_filter())',
    'label.setText(f"<b>{title}</b>&nbsp;{value}")',
])
def test_the_checker_lets_translated_and_wordless_text_pass(line):
    assert untranslated_strings(line) == []


def test_the_app_loads_the_catalog_from_the_package():
    """The .qm ships in the package (pyproject package-data) and Qt can read it."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert i18n.catalog("de").is_file() and translator.load(str(i18n.catalog("de")))
    assert translator.translate("MainWindow", "&File") == "&Datei"


def test_a_language_convviz_does_not_ship_is_refused():
    with pytest.raises(ValueError, match="no such language"):
        i18n.install_language("xx")
    assert i18n.current_language() == "en"

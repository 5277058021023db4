"""The Lessons panel speaks the app's language: View > Language > Deutsch (clicked) shows the
German file of the lesson on show, at the same step, with the panel's and the menus' own
labels in German; English comes back the same way. The German lessons say the same as the
English ones: same steps, setups, highlights, quizzes and live numbers."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_actions import choose_language

from convviz.core.lessons import catalogue


def lesson_file(folder, language: str, lesson_id: str) -> dict:
    found = [json.loads(path.read_text(encoding="utf-8"))
             for path in (folder / language).glob("*.json")]
    return next(data for data in found if data["id"] == lesson_id)


def panel_texts(window) -> dict[str, str]:
    panel = window.lessons.panel
    return {"lesson": panel.lesson_box.currentText(), "title": panel.title_label.text(),
            "text": panel.text_label.text(), "ask": panel.ask_label.text(),
            "progress": panel.progress_label.text(), "check": panel.check_button.text(),
            "back": panel.back_button.text(), "dock": window.lessons.dock.windowTitle(),
            "menu": window.lessons.menu.title(), "next": window.lessons.next_action.text(),
            "file": window.file_menu.title()}


def test_deutsch_from_the_menu_shows_the_german_lesson_at_the_same_step_and_back(
        qtbot, window, shipped_lessons_of_this_checkout):
    window.lessons.show_panel()
    qtbot.waitUntil(window.lessons.dock.isVisible)
    panel = window.lessons.panel
    panel.open_lesson("padding")
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)  # step 2 of 3
    assert panel.index == 1
    english = panel_texts(window)
    source = lesson_file(shipped_lessons_of_this_checkout, "de", "padding")
    step = source["steps"][1]
    choose_language(qtbot, window, "Deutsch")
    german = panel_texts(window)
    assert panel.lesson.language == "de" and panel.index == 1
    assert german["title"] == step["title"] == "Mit Nullen auffüllen"
    assert german["text"].startswith("Ein Ring aus Nullen macht die aufgefüllte Eingabe 8×8")
    assert german["ask"] == step["quiz"]["ask"]
    assert german["lesson"] == "4. " + source["title"]
    assert german["progress"] == "Schritt 2 von 3"
    assert (german["check"], german["back"]) == ("Prüfen", "◀ Zurück")
    assert (german["dock"], german["menu"], german["next"]) == \
        ("Lektionen", "&Lektionen", "&Nächster Schritt")
    assert german["file"] == "&Datei"
    assert window.stepper_tab.stepper.settings.padding == ((1, 1), (1, 1))  # setup kept
    panel.answer_edit.setFocus()
    qtbot.keyClicks(panel.answer_edit, "8")
    qtbot.keyClick(panel.answer_edit, Qt.Key.Key_Return)
    assert panel.feedback_label.text().startswith("Richtig! 6 Zeilen plus 1 oben")
    choose_language(qtbot, window, "English")
    assert panel_texts(window) == english
    assert panel.lesson.language == "en" and panel.index == 1


@pytest.fixture
def lenet5_only_in_english(tmp_path, monkeypatch, shipped_lessons_of_this_checkout):
    """The shipped lessons, but with the German LeNet-5 file taken away (every shipped lesson
    has a German version, so the fallback needs a folder where one is missing)."""
    folder = tmp_path / "lessons"
    shutil.copytree(shipped_lessons_of_this_checkout, folder)
    german = [path for path in (folder / "de").glob("*.json")
              if json.loads(path.read_text(encoding="utf-8"))["id"] == "lenet5"]
    assert len(german) == 1
    german[0].unlink()
    monkeypatch.setattr(catalogue, "shipped_folder", lambda: folder)
    return folder


def test_a_lesson_without_a_german_file_stays_english_in_german(
        qtbot, lenet5_only_in_english, window):
    choose_language(qtbot, window, "Deutsch")
    window.lessons.show_panel()
    panel = window.lessons.panel
    panel.open_lesson("lenet5")
    QApplication.processEvents()
    assert panel.lesson.language == "en"
    assert panel.progress_label.text().startswith("Schritt 1 von ")


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_each_german_lesson_matches_its_english_one(shipped_lessons_of_this_checkout):
    loaded = catalogue.load_folder(shipped_lessons_of_this_checkout)
    assert loaded.problems == ()
    english = {found.id: found for found in loaded.lessons if found.language == "en"}
    german = [found for found in loaded.lessons if found.language == "de"]
    assert len(german) >= 4
    for de in german:
        en = english[de.id]
        assert (de.order, len(de.steps)) == (en.order, len(en.steps)), de.id
        assert de.title != en.title
        for number, (a, b) in enumerate(zip(en.steps, de.steps, strict=True)):
            where = f"{de.id} step {number + 1}"
            assert (a.setup, a.highlight) == (b.setup, b.highlight), where
            assert set(PLACEHOLDER.findall(a.text)) == set(PLACEHOLDER.findall(b.text)), where
            assert (a.quiz is None) == (b.quiz is None), where
            if a.quiz is not None:
                assert (a.quiz.kind, a.quiz.answer, a.quiz.choices) == \
                    (b.quiz.kind, b.quiz.answer, b.quiz.choices), where
                for part in ("ask", "why"):
                    assert set(PLACEHOLDER.findall(getattr(a.quiz, part))) == \
                        set(PLACEHOLDER.findall(getattr(b.quiz, part))), where
    assert {de.id for de in german} == set(english)  # every lesson has its German file
    assert {found.language for found in catalogue.in_language(loaded.lessons, "de")} == {"de"}

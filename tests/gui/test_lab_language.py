"""The Lab tab follows View > Language at once: buttons, tooltips, panel titles, the table's
headers, the layer editor, the totals and the time-per-epoch line; a preset chosen by its
German name starts the network it names, and English comes back as it was."""

from __future__ import annotations

import re

import pytest
from layout_check import layout_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_actions import choose, choose_language

LEFT = Qt.MouseButton.LeftButton



def lab_texts(window) -> dict[str, str]:
    lab = window.lab_tab
    return {
        "preset": lab.preset_box.currentText(), "start": lab.preset_button.text(),
        "add": lab.add_button.text(), "add tip": lab.add_button.toolTip(),
        "input": lab.input_label.text(), "height tip": lab.input_boxes[0].toolTip(),
        "design": lab.design_panel.title_label.text(),
        "check": lab.check_panel.title_label.text(),
        "check subtitle": lab.check_panel.subtitle_label.text(),
        "header": lab.table.horizontalHeaderItem(1).text(),
        "editor title": lab.editor_title.text(),
        "filters tip": lab.editor.fields["filters"].toolTip(),
        "totals": lab.totals_label.text(), "estimate": lab.estimate_label.text(),
        "train": lab.train_button.text(), "copy": lab.copy_button.text(),
        "language tip": window.language_menu.toolTip(),
    }


def test_deutsch_relabels_the_lab_and_english_comes_back(qtbot, window):
    lab = window.lab_tab
    window.tabs.setCurrentWidget(lab)
    english = lab_texts(window)
    assert english["preset"] == "small VGG-style CNN" and english["add"] == "+ Add"
    choose_language(qtbot, window, "Deutsch")
    german = lab_texts(window)
    assert german["preset"] == "kleines CNN im VGG-Stil"
    assert german["start"] == "Übernehmen"
    assert german["add"] == "+ Neu"
    assert german["add tip"].startswith("Füge eine Schicht dieses Typs")
    assert german["input"] == "Eingabe" and german["height tip"] == "Eingabehöhe"
    assert german["design"] == "Entwurf"
    assert german["check"] == "Was jede Schicht tut"
    assert german["check subtitle"].startswith("Neu berechnet, während du tippst")
    assert german["header"] == "Schicht"
    assert german["editor title"].startswith("Nr. 1: ")
    assert german["filters tip"] == "Wie viele Kerne, also wie viele Ausgabekarten"
    assert " Parameter (" in german["totals"] and " Klassenwerte heraus" in german["totals"]
    assert german["estimate"].startswith("Zeit pro Epoche")
    assert german["train"] == "▶ Trainieren"
    assert german["language tip"] == "Der Tab Training ist noch nicht übersetzt"
    choose_language(qtbot, window, "English")
    assert lab_texts(window) == english


def test_a_preset_chosen_by_its_german_name_starts_that_network(qtbot, window):
    lab = window.lab_tab
    window.tabs.setCurrentWidget(lab)
    choose_language(qtbot, window, "Deutsch")
    choose(qtbot, lab.preset_box, "ein leeres")
    qtbot.mouseClick(lab.preset_button, LEFT)
    assert lab.table.rowCount() == 0 and not lab.design.layers
    assert lab.message_bar.text() == "Ausgangspunkt: ein leeres Netz."
    assert lab.editor_title.text() == "Keine Schicht gewählt"
    assert lab.estimate_label.text() == "Zeit pro Epoche: sobald der Entwurf funktioniert."
    choose(qtbot, lab.preset_box, "MLP als Vergleich")
    qtbot.mouseClick(lab.preset_button, LEFT)
    assert lab.preset_box.currentData() == "mlp"
    assert [spec.kind for spec in lab.design.layers][-1] == "Dense"
    choose(qtbot, lab.add_box, "Flatten")  # Keras class names stay as they are
    qtbot.mouseClick(lab.add_button, LEFT)
    assert lab.editor.form.itemAt(0).widget().text() == ("Eine Flatten-Schicht hat keine "
                                                         "einstellbaren Argumente.")


def where(problems: list[str]) -> set[str]:
    """The widgets and cells of layout problems, without the text they show or its size."""
    return {_place(problem) for problem in problems}


def _place(problem: str) -> str:
    return re.sub(r"'[^']*'|\d+x\d+", "", problem)


@pytest.mark.parametrize("scale", [1.0, 1.5], ids=["100%", "150%"])
def test_in_german_the_lab_has_no_layout_problem_english_does_not_have(qtbot, app_look, window,
                                                                      scale):
    """German words are longer: nothing may be cut, overlap or widen the window that is not
    so in English too (the formula column and a long layer name are cut at 1366x768 in both)."""
    window.set_text_scale(scale)
    window.resize(1366, 768)
    window.tabs.setCurrentWidget(window.lab_tab)
    found = {}
    for language in ("English", "Deutsch"):
        choose_language(qtbot, window, language)
        for _ in range(3):
            QApplication.processEvents()
            qtbot.wait(20)
        found[language] = layout_problems(window, (1366, 768))
    assert window.lab_tab.design_panel.title_label.text() == "Entwurf"
    extra = where(found["Deutsch"]) - where(found["English"])
    assert not extra, "\n".join(p for p in found["Deutsch"] if _place(p) in extra)

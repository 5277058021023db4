"""The Train tab's settings follow the language at once: form labels, tooltips and combo
entries (the runs' "initial weights" entries too); the code reads the English keys, so a
dataset or optimizer picked by its German name is the same choice."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from qt_actions import choose

from convviz.gui import i18n
from convviz.gui.train.settings import TrainingSettings


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.install_language("en")
    QApplication.processEvents()


def settings_texts(settings: TrainingSettings) -> dict[str, str]:
    form = settings.form
    return {
        "labels": " | ".join(form.labelForField(w).text() for w in settings._fields),
        "dataset": settings.dataset_box.currentText(),
        "optimizer": settings.optimizer_box.currentText(),
        "start entries": " | ".join(settings.start_box.itemText(i)
                                    for i in range(settings.start_box.count())),
        "batch tip": settings.batch_box.toolTip(), "augment": settings.augment_box.text(),
    }


def test_deutsch_relabels_the_settings_and_choices_stay_keyed_by_english(qtbot):
    settings = TrainingSettings()
    qtbot.addWidget(settings)
    settings.set_runs_with_weights([(1, "LeNet-5 classic")])
    english = settings_texts(settings)
    assert english["start entries"] == ("random weights | the current model | "
                                        "the initial weights of run 1")
    i18n.install_language("de")
    QApplication.processEvents()
    german = settings_texts(settings)
    assert german["labels"] == ("Datensatz | Start mit | Netz | Optimierer | Lernrate | "
                                "Stapelgröße | Epochen | Weight Decay | Dropout | "
                                "Augmentierung | Seed")
    assert german["dataset"] == "MNIST-Ziffern"
    assert german["start entries"] == ("zufällige Gewichte | das aktuelle Modell | "
                                       "die Anfangsgewichte von Lauf 1")
    assert german["batch tip"] == "Bilder pro Aktualisierung"
    assert german["augment"] == "verschieben, drehen, skalieren"
    choose(qtbot, settings.dataset_box, "CIFAR-10-Farbfotos")
    choose(qtbot, settings.optimizer_box, "SGD mit Momentum")
    choose(qtbot, settings.start_box, "die Anfangsgewichte von Lauf 1")
    assert settings.dataset == "cifar10"
    assert settings.config(validation_size=100).optimizer == "momentum"
    assert settings.initial_weights_run == 1
    i18n.install_language("en")
    QApplication.processEvents()
    assert settings.dataset_box.currentText() == "CIFAR-10 colour photos"
    assert settings.optimizer_box.currentText() == "SGD with momentum"
    assert settings.form.labelForField(settings.batch_box).text() == "Batch size"

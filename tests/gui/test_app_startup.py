"""The app opened on a model: `convviz MODEL.npz` from a shell, convviz.show()'s copy."""

from __future__ import annotations

import numpy as np
import pytest

from convviz import cli
from convviz.core import lenet5, save_model
from convviz.core.nn.presets import build_preset
from convviz.gui import app


def same_weights(first, second) -> None:
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


OPEN_MS = 30_000


def open_startup(qtbot, window, **files) -> None:
    """open_startup_files, then wait until the model read in the background is shown."""
    with qtbot.waitSignal(window.model_file.open_finished, timeout=OPEN_MS):
        app.open_startup_files(window, **files)


def test_a_model_file_from_the_shell_is_shown_and_remembered(qtbot, window, tmp_path):
    trained = lenet5("modern", seed=7)
    save_model(trained, tmp_path / "mine.npz")
    open_startup(qtbot, window, model=tmp_path / "mine.npz")
    same_weights(window.session.model, trained)
    assert window.model_file.path == tmp_path / "mine.npz"
    assert "mine.npz" in window.windowTitle()


def test_a_copy_from_show_is_shown_then_deleted_and_save_asks_where(qtbot, window, tmp_path):
    folder = tmp_path / "convviz-show-x"
    folder.mkdir()
    shown = build_preset("lenet5-classic", seed=3)
    save_model(shown, folder / "model.npz")
    open_startup(qtbot, window, model=folder / "model.npz", model_is_copy=True)
    same_weights(window.session.model, shown)
    assert not folder.exists()  # the temporary file and its folder are gone
    assert window.model_file.path is None and "lenet5-classic" in window.windowTitle()
    asked = []
    window.model_file.ask_save_path = lambda: asked.append(True) or tmp_path / "kept.npz"
    assert window.model_file.save() and asked and (tmp_path / "kept.npz").is_file()


def test_a_model_the_views_cannot_show_is_explained(qtbot, window, tmp_path):
    save_model(build_preset("colour-cnn", input_shape=(32, 32, 2)), tmp_path / "colour.npz")
    before = window.session.model
    open_startup(qtbot, window, model=tmp_path / "colour.npz")
    assert window.session.model is before
    assert "could not be opened" in window.message_bar.text()


def test_the_command_line_sends_npz_files_to_the_model_and_others_to_the_picture(monkeypatch):
    calls = []
    monkeypatch.setattr(app, "run", lambda image=None, **options: calls.append((image, options))
                        or 0)
    assert cli.main(["trained.npz"]) == 0 and cli.main(["photo.jpg"]) == 0
    assert calls == [(None, {"model": "trained.npz"}), ("photo.jpg", {})]


@pytest.mark.parametrize("name", ["mlp", "small-vgg", "colour-cnn"])
def test_every_tab_shows_a_preset_without_an_error(window, tmp_path, qtbot, name):
    """An MLP has no kernels to draw: the kernels view used to raise on it (empty max())."""
    save_model(build_preset(name), tmp_path / "preset.npz")
    open_startup(qtbot, window, model=tmp_path / "preset.npz")
    assert window.session.model.name == build_preset(name).name
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(100)  # pytest-qt fails the test on any exception raised in a slot
    window.tabs.setCurrentWidget(window.draw_tab)
    for index in range(window.draw_tab.details_tabs.count()):   # why?, what if?, top patches
        window.draw_tab.details_tabs.setCurrentIndex(index)
        qtbot.wait(300)
    window.tabs.setCurrentWidget(window.stepper_tab)
    window.stepper_tab.modes.setCurrentIndex(1)                  # the backward pass
    qtbot.wait(100)
    window.tabs.setCurrentWidget(window.train_tab)
    window.train_tab.right_tabs.setCurrentIndex(1)               # replay and gradients
    qtbot.wait(100)
    assert window.message_bar.text() == "Opened preset.npz."

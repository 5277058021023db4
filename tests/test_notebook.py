"""convviz.show(model): a copy of the model to a temporary file, the app in another process."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

import convviz
from convviz import notebook
from convviz.core import load_model
from convviz.core.nn.presets import build_preset


class FakePopen:
    """Records the command instead of starting the app."""

    launched: list[FakePopen] = []

    def __init__(self, command, **options):
        self.command, self.options = command, options
        FakePopen.launched.append(self)


def test_show_saves_a_copy_and_starts_the_app_in_another_process(monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    model = build_preset("two-3x3", seed=4)
    started = time.perf_counter()
    process = convviz.show(model)
    assert time.perf_counter() - started < 5  # returns at once: nothing waits for the app
    assert process is FakePopen.launched[-1]
    executable, flag, module, path = process.command
    assert (executable, flag, module) == (sys.executable, "-m", "convviz.gui.shown_model")
    assert process.options["stdin"] is subprocess.DEVNULL
    copy = load_model(path)
    assert copy.get_config() == model.get_config()
    for a, b in zip(copy.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_show_refuses_what_is_not_a_model():
    with pytest.raises(TypeError, match="Sequential"):
        notebook.show("lenet5.npz")


def test_import_convviz_does_not_import_the_engine():
    code = ("import sys, convviz; print(sorted({'numba', 'PySide6', 'numpy'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "[]"

"""Importing the engine does not import Numba; the first computation does (issue 16).

Each check runs in a fresh interpreter: this one has imported Numba already.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
_CHECK = """
import sys
import {module}
before = "numba" in sys.modules
{then}
print(before, "numba" in sys.modules)
"""


def _last_words(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The last two words a fresh interpreter running code prints."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=True, env=env)
    return done.stdout.split()[-2:]


@pytest.mark.parametrize("module", [
    "convviz.core.nn.model", "convviz.core.nn.presets", "convviz.core.stepper",
    "convviz.core.lessons", "convviz.core.training.trainer", "convviz.core.imaging.inspection",
    "convviz.core.benchmark"])
def test_importing_the_engine_does_not_import_numba(module):
    assert _last_words(_CHECK.format(module=module, then="")) == ["False", "False"]


def test_the_first_computation_imports_numba():
    then = ("import numpy as np; from convviz.core.nn import ops; "
            "ops.activate(np.ones((1, 2), np.float32), 'relu')")
    assert _last_words(_CHECK.format(module="convviz.core.nn.ops", then=then)) == ["False", "True"]


@pytest.mark.parametrize("setting", [None, "1", "3"])
def test_threads_are_counted_as_numba_counts_them(setting):
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_NUM_THREADS"}
    if setting is not None:
        env["NUMBA_NUM_THREADS"] = setting
    ours, numbas = _last_words("import numba; from convviz.core.nn.parallel import THREADS; "
                               "print(THREADS, numba.config.NUMBA_NUM_THREADS)", env)
    assert ours == numbas

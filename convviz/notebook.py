"""`convviz.show(model)`: open the app on a model from a notebook or a script, and return.

The app runs in a separate process, so the notebook's kernel never waits for Qt (nor is frozen
by its event loop): the model travels as a temporary .npz file that the app deletes once read.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from convviz.core.nn.model import Sequential
from convviz.core.nn.serialization import save_model

APP_MODULE = "convviz.gui.shown_model"


def show(model: Sequential) -> subprocess.Popen:
    """Open the convviz app on a copy of `model` (architecture and weights); return at once.

    Returns the app's process (``.poll()`` tells whether it is still open). Later changes to
    `model` do not reach the app: call show() again to see them.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"show() takes a convviz Sequential model, got {type(model).__name__}")
    folder = Path(tempfile.mkdtemp(prefix="convviz-show-"))
    path = folder / "model.npz"
    save_model(model, path)
    return subprocess.Popen([sys.executable, "-m", APP_MODULE, str(path)],
                            stdin=subprocess.DEVNULL, start_new_session=True)

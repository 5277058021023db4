"""convviz: watch a convolutional neural network work.

``convviz.show(model)`` opens the app on a model (see convviz.notebook); it is imported on
first use, so ``import convviz`` stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "show":
        from convviz.notebook import show

        return show
    raise AttributeError(f"module 'convviz' has no attribute {name!r}")

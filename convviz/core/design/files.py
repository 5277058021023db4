"""Designs in files: the JSON architecture `Sequential.get_config()` writes, read back through
the core's safe architecture reader (`model_files.load_architecture`), whose ModelFileError
names the file and the problem."""

from __future__ import annotations

import json
import os
from pathlib import Path

from convviz.core.design.design import Design
from convviz.core.nn.model_files import load_architecture


def save_design(design: Design, path: str | os.PathLike) -> None:
    """Write the design as a .json architecture (`convviz train --model FILE` reads it too)."""
    Path(path).write_text(json.dumps(design.to_config(), indent=1) + "\n", encoding="utf-8")


def load_design(path: str | os.PathLike) -> Design:
    """The design a .json architecture describes; ModelFileError (a ValueError) if it is not
    one the core can build."""
    return Design.from_model(load_architecture(path))

"""A model from what a person names on the command line: a model file, an architecture or a
preset.

`.npz`: a saved model (architecture and weights, see serialization). `.json`: an architecture
as `Sequential.get_config()` writes it (`{"name", "input_shape", "layers": [{"class",
"config"}, ...]}`), built with fresh weights. Anything else is taken as a preset name. Every
problem is a ModelFileError naming the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from convviz.core.nn.model import Sequential
from convviz.core.nn.presets import PRESETS, build_preset
from convviz.core.nn.serialization import ModelFileError, load_model, model_from_config

MAX_ARCHITECTURE_BYTES = 1_000_000  # a JSON architecture of any teaching model is a few kB


def load_architecture(path: str | os.PathLike, seed: int | None = 0) -> Sequential:
    """The model a JSON architecture file describes, weights freshly initialised from `seed`."""
    path = Path(path)
    try:
        if not path.is_file():
            raise ModelFileError(f"{path}: there is no such file")
        with path.open("rb") as stream:
            raw = stream.read(MAX_ARCHITECTURE_BYTES + 1)
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error})") from None
    if len(raw) > MAX_ARCHITECTURE_BYTES:
        raise ModelFileError(f"{path}: over {MAX_ARCHITECTURE_BYTES:,} bytes, too large to be "
                             "an architecture")
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{path}: not valid JSON ({error})") from None
    try:
        model = model_from_config(config)
    except ValueError as error:
        raise ModelFileError(f"{path}: {error}") from None
    return Sequential(model.layers, input_shape=model.input_shape, name=model.name, seed=seed,
                      class_names=model.class_names)


def read_model(name: str | os.PathLike, seed: int | None = 0) -> Sequential:
    """A saved model (.npz), an architecture (.json) or a preset called `name`."""
    suffix = Path(name).suffix.lower()
    if suffix == ".npz":
        return load_model(name)
    if suffix == ".json":
        return load_architecture(name, seed)
    if str(name) in PRESETS:
        return build_preset(str(name), seed=seed)
    raise ModelFileError(f"{name}: not a model file (.npz), an architecture (.json) or a preset "
                         f"({', '.join(PRESETS)})")

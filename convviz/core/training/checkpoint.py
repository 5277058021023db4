"""Training checkpoints: a model file plus everything training needs to go on exactly.

A checkpoint is a model .npz (so `load_model` and `convviz evaluate` read it too) with three
additions: a JSON `checkpoint` entry (the training state the trainer hands us: config, epoch,
history, random-generator states ...), the optimizer's state arrays and, with early stopping,
the best weights so far. It is written atomically, so stopping at any moment never leaves a
half-written file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convviz.core.nn.model import Sequential
from convviz.core.nn.optim import Optimizer
from convviz.core.nn.serialization import (
    model_from_arrays,
    model_to_arrays,
    open_arrays,
    save_arrays,
)

FORMAT = "convviz-checkpoint"
VERSION = 1
STATE_KEY = "checkpoint"
_OPTIMIZER_PREFIX = "optimizer/"
_BEST_PREFIX = "best/"


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit: the message names the file and why."""


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """What `load_checkpoint` read: the trainer's JSON state, the model and optimizer arrays."""

    state: dict
    model: Sequential
    optimizer_state: dict[str, np.ndarray]
    best_weights: list[np.ndarray] | None


def save_checkpoint(path: str | os.PathLike, model: Sequential, optimizer: Optimizer,
                    state: dict, best_weights: list[np.ndarray] | None = None) -> None:
    """Write model, optimizer state, JSON-friendly `state` and `best_weights` atomically."""
    arrays = model_to_arrays(model)
    arrays[STATE_KEY] = np.array(json.dumps({"format": FORMAT, "version": VERSION, **state}))
    arrays.update({_OPTIMIZER_PREFIX + key: value
                   for key, value in optimizer.state_arrays().items()})
    for index, weight in enumerate(best_weights or ()):
        arrays[f"{_BEST_PREFIX}{index:03d}"] = weight
    save_arrays(path, arrays)


def load_checkpoint(path: str | os.PathLike) -> Checkpoint:
    """Read a checkpoint written by `save_checkpoint`; any problem raises CheckpointError."""
    path = Path(path)
    with open_arrays(path, CheckpointError, "checkpoint") as archive:
        try:
            arrays = dict(archive)
        except ValueError as error:
            raise CheckpointError(f"{path}: {error}") from None
    if STATE_KEY not in arrays:
        raise CheckpointError(f"{path} is not a training checkpoint (a plain model file?)")
    try:
        state = json.loads(str(arrays[STATE_KEY][()]))
    except (json.JSONDecodeError, TypeError, ValueError):
        raise CheckpointError(f"{path}: its training state is not valid JSON") from None
    if not isinstance(state, dict) or state.pop("format", None) != FORMAT:
        raise CheckpointError(f"{path} is not a convviz checkpoint")
    if state.pop("version", None) != VERSION:
        raise CheckpointError(f"{path}: unknown checkpoint version (this convviz reads {VERSION})")
    try:
        model = model_from_arrays(arrays)
    except ValueError as error:
        raise CheckpointError(f"{path}: {error}") from None
    optimizer_state = {key[len(_OPTIMIZER_PREFIX):]: value for key, value in arrays.items()
                       if key.startswith(_OPTIMIZER_PREFIX)}
    best = sorted(key for key in arrays if key.startswith(_BEST_PREFIX))
    best_weights = [arrays[key] for key in best] or None
    return Checkpoint(state, model, optimizer_state, best_weights)

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
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convviz.core.nn.model import Sequential
from convviz.core.nn.optim import Optimizer
from convviz.core.nn.serialization import (
    ArchiveArrays,
    checked_weights,
    model_from_arrays,
    model_to_arrays,
    open_arrays,
    read_json_entry,
    save_arrays,
)

FORMAT = "convviz-checkpoint"
VERSION = 1
STATE_KEY = "checkpoint"
_OPTIMIZER_PREFIX = "optimizer/"
_BEST_PREFIX = "best/"
_SLOT_NAME = re.compile(r"([a-z_]{1,32})/(\d{1,6})")  # "m/3": slot m of parameter 3


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
    """Read a checkpoint written by `save_checkpoint`; any problem raises CheckpointError.

    Only the entries a checkpoint has are read, each checked from its header against the
    model it describes (an optimizer slot or a best weight must have its parameter's shape),
    so a small file cannot claim a large allocation.
    """
    path = Path(path)
    with open_arrays(path, CheckpointError, "checkpoint") as arrays:
        if STATE_KEY not in arrays:
            raise CheckpointError(f"{path} is not a training checkpoint (a plain model file?)")
        try:
            state = read_json_entry(arrays, STATE_KEY, "training state")
            if not isinstance(state, dict) or state.pop("format", None) != FORMAT:
                raise CheckpointError(f"{path} is not a convviz checkpoint")
            if state.pop("version", None) != VERSION:
                raise CheckpointError(
                    f"{path}: unknown checkpoint version (this convviz reads {VERSION})")
            model = model_from_arrays(arrays)
            shapes = [param.shape for param, _ in model.parameters()]
            optimizer_state = _read_optimizer_state(arrays, shapes)
            best_weights = _read_best_weights(arrays, shapes)
        except CheckpointError:
            raise
        except ValueError as error:
            raise CheckpointError(f"{path}: {error}") from None
    return Checkpoint(state, model, optimizer_state, best_weights)


def _read_optimizer_state(arrays: ArchiveArrays,
                          shapes: list[tuple[int, ...]]) -> dict[str, np.ndarray]:
    """The optimizer's entries: `iterations` (a count) and `<slot>/<i>` arrays shaped like
    parameter i; any other name, or an index past the last parameter, is refused."""
    state = {}
    for key in arrays:
        if not key.startswith(_OPTIMIZER_PREFIX):
            continue
        name = key[len(_OPTIMIZER_PREFIX):]
        if name == "iterations":
            value = arrays.read(key, ())
            if value.dtype.kind not in "ui" or int(value) < 0:
                raise ValueError("its optimizer step count is not a count")
            state[name] = value
            continue
        match = _SLOT_NAME.fullmatch(name)
        if match is None or int(match[2]) >= len(shapes):
            raise ValueError(f"its optimizer entry {name!r} belongs to no parameter of the model")
        shape, what = shapes[int(match[2])], f"optimizer state {name!r}"
        state[name] = checked_weights(arrays.read(key, shape, what=what), shape, what)
    if state and "iterations" not in state:
        raise ValueError("its optimizer state has no step count")
    return state


def _read_best_weights(arrays: ArchiveArrays,
                       shapes: list[tuple[int, ...]]) -> list[np.ndarray] | None:
    """The best weights so far (early stopping): one finite float32 array per parameter."""
    keys = sorted(key for key in arrays if key.startswith(_BEST_PREFIX))
    if not keys:
        return None
    expected = [f"{_BEST_PREFIX}{index:03d}" for index in range(len(shapes))]
    if keys != expected:
        raise ValueError(f"its best weights are {len(keys)} arrays named {keys[0]!r}...; "
                         f"the model has {len(shapes)} parameters")
    return [checked_weights(arrays.read(key, shape, what=f"best weights {key!r}"), shape,
                            f"best weights {key!r}")
            for key, shape in zip(keys, shapes, strict=True)]

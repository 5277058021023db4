"""What a lesson step talks about, as core objects, and the live numbers read from them.

``LessonState`` holds the core objects the app shows (the Stepper's walk, its backward walk,
the network being looked at, the training settings). ``quantities(state)`` names every number
a lesson may quote or ask about; ``state_from_setup(setup)`` builds the state a step's setup
describes without any window, so a lesson can be checked (and tested) against what the app
computes from the same setup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from convviz.core.backward_stepper import BackwardStepper
from convviz.core.formatting import format_bytes, format_number
from convviz.core.kernel_bank import KERNEL_BANK, bank_kernel
from convviz.core.nn.geometry import receptive_field
from convviz.core.nn.model import Sequential
from convviz.core.nn.presets import PRESETS, build_preset
from convviz.core.stepper import Stepper, StepperSettings
from convviz.core.training.trainer import DEFAULT_LEARNING_RATES, TrainingConfig

MNIST_TRAINING_IMAGES = 60_000
"""MNIST's training set; the Train tab holds VALIDATION_IMAGES of it out for validation."""
VALIDATION_IMAGES = 5_000
DEFAULT_INPUT = ((3, 0, 1, 2, 7, 4), (1, 5, 8, 9, 3, 1), (2, 7, 2, 5, 1, 3), (0, 1, 3, 1, 7, 8),
                 (4, 2, 1, 6, 2, 8), (2, 4, 5, 2, 3, 9))
"""The slides' 6x6 grid: a lesson's input until a step gives another."""
DEFAULT_KERNEL = "Vertical edge"


@dataclass(frozen=True)
class LessonState:
    """The core objects one step shows; any may be None when the step does not use it."""

    stepper: Stepper | None = None
    backward: BackwardStepper | None = None
    model: Sequential | None = None
    training: TrainingConfig | None = None


def stepper_settings(setup: dict) -> StepperSettings:
    """The StepperSettings a (merged) setup describes; pooling strides default to the pool."""
    operation = setup.get("operation", "convolution")
    pool = _pair(setup.get("pool_size", 2))
    pooling = operation != "convolution"
    stride = setup.get("stride", pool if operation in ("max", "average") else 1)
    return StepperSettings(
        operation=operation, strides=_pair(stride), padding=padding_value(setup.get("padding")),
        pad_mode="zero" if pooling else setup.get("padding_fill", "zero"),
        dilation_rate=1 if pooling else _pair(setup.get("dilation", 1)),
        flip_kernel=bool(setup.get("flip", False)), bias=float(setup.get("bias", 0.0)),
        activation=setup.get("activation", "linear"), pool_size=pool)


def padding_value(padding) -> str | tuple:
    """'valid' / 'same', or ((top, bottom), (left, right)) for a number or two pairs."""
    if padding is None:
        return "valid"
    if isinstance(padding, str):
        return padding
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    return tuple(tuple(int(v) for v in side) for side in padding)


def input_array(setup: dict) -> np.ndarray:
    """The step's input grid as (H, W, C) float32."""
    values = np.asarray(setup.get("input", DEFAULT_INPUT), np.float32)
    return values[:, :, None] if values.ndim == 2 else values


def kernel_array(setup: dict) -> np.ndarray:
    """The step's kernel as (kh, kw, C): a kernel-bank name or the weights themselves."""
    kernel = setup.get("kernel", DEFAULT_KERNEL)
    values = np.asarray(bank_kernel(kernel).weights if isinstance(kernel, str) else kernel,
                        np.float32)
    return values[:, :, None] if values.ndim == 2 else values


def uses_stepper(setup: dict) -> bool:
    return setup.get("tab") == "stepper"


def state_from_setup(setup: dict) -> LessonState:
    """The state a merged setup describes (ValueError, in the Stepper's words, if it cannot
    be built: a kernel larger than the padded input, ...)."""
    stepper = backward = model = training = None
    if uses_stepper(setup):
        stepper = Stepper(input_array(setup), kernel_array(setup), stepper_settings(setup))
        if setup.get("mode") == "backward":
            backward = BackwardStepper(stepper, np.ones((*stepper.output_hw, _out_channels(
                stepper)), np.float32), setup.get("gradient", "kernel"))
            if "cell" in setup:
                backward.go_to(_walk_index(backward.walk_hw, setup["cell"]))
        elif "cell" in setup:
            stepper.go_to_cell(*setup["cell"])
    if "model" in setup:
        model = build_preset(setup["model"])
    if "training" in setup:
        training = training_config(setup["training"])
    return LessonState(stepper, backward, model, training)


def training_config(training: dict) -> TrainingConfig:
    optimizer = training.get("optimizer", "adam")
    return TrainingConfig(
        arch=training.get("arch", "classic"), optimizer=optimizer,
        learning_rate=float(training.get("learning_rate", DEFAULT_LEARNING_RATES[optimizer])),
        batch_size=int(training.get("batch_size", 64)), epochs=int(training.get("epochs", 5)),
        validation_size=VALIDATION_IMAGES)


def _out_channels(stepper: Stepper) -> int:
    return stepper.channels if stepper.settings.is_pooling else 1


def _walk_index(walk_hw: tuple[int, int], cell) -> int:
    row, col = cell
    if not (0 <= row < walk_hw[0] and 0 <= col < walk_hw[1]):
        raise ValueError(f"the cell ({row}, {col}) is outside the {walk_hw[0]}×{walk_hw[1]} walk")
    return row * walk_hw[1] + col


def _pair(value) -> tuple[int, int]:
    return (int(value), int(value)) if isinstance(value, int) else (int(value[0]), int(value[1]))


def _size(hw) -> str:
    return "×".join(str(int(v)) for v in hw)


# --- the numbers -----------------------------------------------------------------------------

def quantities(state: LessonState) -> dict[str, float | int | str]:
    """Every number (or short text) a step can quote as {name} or ask about."""
    values: dict[str, float | int | str] = {}
    if state.stepper is not None:
        values.update(_stepper_quantities(state.stepper))
    if state.backward is not None:
        values.update(_backward_quantities(state.backward))
    if state.model is not None:
        values.update(_model_quantities(state.model))
    if state.training is not None:
        values.update(_training_quantities(state.training))
    return values


def _stepper_quantities(stepper: Stepper) -> dict:
    geometry = stepper.geometry
    (top, bottom), (left, right) = geometry.padding
    kh, kw = geometry.kernel_hw
    step = stepper.step()
    i, j = step.cell
    values = {
        "input_size": _size(geometry.input_hw), "input_height": geometry.input_hw[0],
        "input_width": geometry.input_hw[1], "channels": stepper.channels,
        "kernel_size": _size(geometry.kernel_hw), "kernel_height": kh, "kernel_width": kw,
        "stride": geometry.strides[0], "stride_width": geometry.strides[1],
        "pad_top": top, "pad_bottom": bottom, "pad_left": left, "pad_right": right,
        "padded_size": _size(geometry.padded_hw), "padded_height": geometry.padded_hw[0],
        "dilation": geometry.dilation[0], "span": geometry.effective_kernel_hw[0],
        "output_size": _size(geometry.output_hw), "output_height": geometry.output_hw[0],
        "output_width": geometry.output_hw[1],
        "output_cells": geometry.output_hw[0] * geometry.output_hw[1],
        "cell": f"({i}, {j})", "cell_row": i, "cell_col": j,
        "size_formula": stepper.size_formulas()[0],
        "input_min": float(stepper.x.min()), "input_max": float(stepper.x.max()),
        "input_values": int(stepper.x.size),
        "output_max": float(stepper.output.max()), "output_min": float(stepper.output.min()),
    }
    if stepper.settings.is_pooling:
        values["cell_value"] = float(step.values[0])
        values["shift_kept"] = _pool_cells_kept_after_shift(stepper)
    else:
        values.update({
            "cell_sum": step.total, "cell_value": step.value,
            "kernel_weights": int(stepper.kernel.size),
            "filter_params": int(stepper.kernel.size) + 1,
        })
    return values


def _pool_cells_kept_after_shift(stepper: Stepper) -> int:
    """How many pooled outputs keep their value when the input moves one pixel to the right
    (a zero column comes in on the left): pooling's small-shift invariance, counted."""
    shifted = np.zeros_like(stepper.x)
    shifted[:, 1:] = stepper.x[:, :-1]
    moved = Stepper(shifted, None, stepper.settings)
    return int(np.isclose(moved.output, stepper.output).all(axis=2).sum())


def _backward_quantities(walk: BackwardStepper) -> dict:
    step = walk.step()
    place = divmod(walk.position, walk.walk_hw[1])
    gradient = walk.kernel_gradient if walk.target == "kernel" else walk.input_gradient
    values = {"gradient_value": float(gradient[place[0], place[1], 0]),
              "gradient_cell": f"({place[0]}, {place[1]})", "walk_steps": walk.n_steps,
              "gradient_terms": len(step.cells if walk.target == "kernel" else step.terms)}
    if walk.bias_gradient is not None:
        values["bias_gradient"] = walk.bias_gradient
    return values


def _model_quantities(model: Sequential) -> dict:
    summary = model.layer_summary()
    values: dict[str, float | int | str] = {
        "total_params": summary.total_params, "layers": len(summary.rows),
        "memory_total": format_bytes(summary.activation_bytes_per_instance),
        "input_shape": _size(model.input_shape)}
    geometries = []
    for layer, row in zip(model.layers, summary.rows, strict=True):
        values[f"shape.{row.name}"] = _size(row.output_shape)
        values[f"params.{row.name}"] = row.params
        values[f"memory.{row.name}"] = format_bytes(row.activation_bytes)
        values[f"values.{row.name}"] = int(np.prod(row.output_shape))
        geometry = getattr(layer, "geometry", None)
        if geometry is not None:
            geometries.append(geometry)
            rows, _ = receptive_field(geometries, 0, 0)
            values[f"rf.{row.name}"] = rows[1] - rows[0] + 1
    values.update(_preset_params())
    return values


@cache
def _preset_params() -> dict[str, int]:
    """Every Lab preset's parameter count as `preset_params.<name>` ('-' written '_'), so a
    step showing one design can compare it with another (the MLP beside LeNet-5)."""
    return {f"preset_params.{name.replace('-', '_')}": build_preset(name).count_params()
            for name in PRESETS}


def _training_quantities(config: TrainingConfig) -> dict:
    images = MNIST_TRAINING_IMAGES - config.validation_size
    return {"learning_rate": config.learning_rate, "batch_size": config.batch_size,
            "epochs": config.epochs, "optimizer": config.optimizer,
            "training_images": images,
            "updates_per_epoch": math.ceil(images / config.batch_size),
            "updates_total": math.ceil(images / config.batch_size) * config.epochs}


def strongest_kernel(state: LessonState, choices: tuple[str, ...]) -> str:
    """Of the kernel-bank names ``choices``, the one whose output on the step's input has the
    largest magnitude: "which kernel detects this edge?", answered by running each."""
    stepper = state.stepper
    if stepper is None:
        raise ValueError("the strongest kernel needs the Stepper tab's input")
    responses = {}
    for name in choices:
        weights = np.asarray(bank_kernel(name).weights, np.float32)
        run = Stepper(stepper.x, weights, stepper.settings)
        responses[name] = float(np.abs(run.output).max())
    return max(choices, key=lambda name: responses[name])


def show(value) -> str:
    """A quantity as a lesson's text shows it."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    return format_number(float(value))


KERNEL_NAMES = tuple(kernel.name for kernel in KERNEL_BANK)

"""Shift the input by whole pixels and watch the network's answer (and maps) follow."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.experiments.temperature import softmax_with_temperature
from convviz.core.nn.model import Sequential

SHIFTS = tuple(range(-6, 7))
"""The sweep's shifts in pixels: −6 … +6."""


def shift_image(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """The picture moved dy pixels down and dx right; what leaves the frame is lost, what
    enters is background (0)."""
    image = np.asarray(image)
    height, width = image.shape[:2]
    if isinstance(dy, bool) or isinstance(dx, bool) or int(dy) != dy or int(dx) != dx:
        raise ValueError(f"shifts are whole pixels, got ({dy!r}, {dx!r})")
    dy, dx = int(dy), int(dx)
    shifted = np.zeros_like(image)
    if abs(dy) >= height or abs(dx) >= width:
        return shifted
    source = image[max(0, -dy):height - max(0, dy), max(0, -dx):width - max(0, dx)]
    shifted[max(0, dy):max(0, dy) + source.shape[0],
            max(0, dx):max(0, dx) + source.shape[1]] = source
    return shifted


@dataclass(frozen=True)
class ShiftSweep:
    """Each class's probability (rows: shifts, columns: classes) for the input shifted
    along one axis, and the shifted inputs."""

    axis: str                 # "horizontal" or "vertical"
    shifts: tuple[int, ...]
    probabilities: np.ndarray  # (shifts, classes)
    images: np.ndarray         # (shifts, H, W, C)
    temperature: float = 1.0   # the softmax temperature of the probabilities


def shift_sweep(model: Sequential, image: np.ndarray, axis: str = "horizontal",
                shifts: tuple[int, ...] = SHIFTS, temperature: float = 1.0) -> ShiftSweep:
    """Run the network on the picture shifted by every amount in shifts (one batch), its
    probabilities softmax(logits / temperature); a model whose last layer applies softmax
    itself has no logits at hand and keeps temperature 1 (the result says which)."""
    if axis not in ("horizontal", "vertical"):
        raise ValueError(f"the sweep moves the picture horizontally or vertically, not {axis!r}")
    image = np.asarray(image, np.float32)
    if image.ndim == 2:
        image = image[..., None]
    moved = np.stack([shift_image(image, 0, s) if axis == "horizontal"
                      else shift_image(image, s, 0) for s in shifts])
    if temperature == 1.0 or model.ends_in_softmax:
        return ShiftSweep(axis, tuple(shifts), model.predict(moved), moved)
    probabilities = softmax_with_temperature(model.forward(moved), temperature)
    return ShiftSweep(axis, tuple(shifts), probabilities, moved, float(temperature))

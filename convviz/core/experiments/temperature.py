"""Softmax at a temperature: the same ranking of classes, more or less sure-looking."""

from __future__ import annotations

import numpy as np


def softmax_with_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T) over the last axis. T = 1 is the network's own answer; T > 1 makes
    it look less sure (flatter), T < 1 surer; the most likely class never changes."""
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"the temperature must be a positive number, got {temperature!r}")
    z = np.asarray(logits, np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)

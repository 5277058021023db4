"""Weight initializers (Keras names). Fans follow Keras: a conv kernel (kh, kw, in, out) has
fan_in = kh*kw*in and fan_out = kh*kw*out; normal variants are plain (not truncated) normals."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Initializer = Callable[[tuple[int, ...], np.random.Generator], np.ndarray]


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


def _uniform(scale: float, fan: str) -> Initializer:
    def init(shape, rng):
        fan_in, fan_out = _fans(shape)
        n = {"in": fan_in, "avg": (fan_in + fan_out) / 2}[fan]
        limit = np.sqrt(3.0 * scale / n)
        return rng.uniform(-limit, limit, size=shape).astype(np.float32)
    return init


def _normal(scale: float, fan: str) -> Initializer:
    def init(shape, rng):
        fan_in, fan_out = _fans(shape)
        n = {"in": fan_in, "avg": (fan_in + fan_out) / 2}[fan]
        return (rng.standard_normal(size=shape) * np.sqrt(scale / n)).astype(np.float32)
    return init


INITIALIZERS: dict[str, Initializer] = {
    "glorot_uniform": _uniform(1.0, "avg"),
    "glorot_normal": _normal(1.0, "avg"),
    "he_uniform": _uniform(2.0, "in"),
    "he_normal": _normal(2.0, "in"),
    "lecun_uniform": _uniform(1.0, "in"),
    "lecun_normal": _normal(1.0, "in"),
    "zeros": lambda shape, rng: np.zeros(shape, np.float32),
}
INITIALIZERS["xavier_uniform"] = INITIALIZERS["glorot_uniform"]
INITIALIZERS["xavier_normal"] = INITIALIZERS["glorot_normal"]


def get_initializer(name: str) -> Initializer:
    """Look up an initializer by its Keras name."""
    try:
        return INITIALIZERS[name]
    except KeyError:
        raise ValueError(
            f"unknown initializer {name!r}; choose one of {', '.join(INITIALIZERS)}"
        ) from None

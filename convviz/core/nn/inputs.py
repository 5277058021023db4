"""The checks every Keras-style entry point (fit, evaluate, predict, train_on_batch) makes on
the arrays a student passes, so a wrong shape or dtype gets a sentence that says what to do.

Arrays are taken as Keras takes them: uint8 0-255 or floats, cast to float32 and never
rescaled (divide by 255 yourself, or start the model with Rescaling(1 / 255)).
"""

from __future__ import annotations

import numpy as np

Shape = tuple[int, ...]


def _shape_text(shape: Shape) -> str:
    return "(N, " + ", ".join(map(str, shape)) + ")"


def check_inputs(x, input_shape: Shape | None, what: str = "x") -> np.ndarray:
    """x as a NumPy array of finite numbers with one example per row of its first axis, of
    the model's input shape when that is known; not converted (batches are, one at a time)."""
    x = np.asarray(x)
    if x.dtype == np.bool_ or not (np.issubdtype(x.dtype, np.integer)
                                   or np.issubdtype(x.dtype, np.floating)):
        raise ValueError(f"{what} must be an array of numbers (uint8 0-255 or floats), "
                         f"got {x.dtype}")
    if x.ndim < 2:
        raise ValueError(f"{what} must be a batch of examples, shape (N, ...), got {x.shape}")
    if np.issubdtype(x.dtype, np.floating) and not np.isfinite(x).all():
        raise ValueError(f"{what} holds NaN or infinite values")
    if input_shape is None or x.shape[1:] == tuple(input_shape):
        return x
    wanted = _shape_text(tuple(input_shape))
    if (*x.shape[1:], 1) == tuple(input_shape):
        raise ValueError(
            f"the model takes {what} of shape {wanted} (Keras' batch, height, width, channels), "
            f"but {what} has shape {x.shape}: add the channel axis with {what}[..., None]")
    if x.shape == tuple(input_shape):
        raise ValueError(f"{what} has the shape of one example {x.shape}; the model takes a "
                         f"batch {wanted}: use {what}[None]")
    raise ValueError(f"the model takes {what} of shape {wanted}, got {x.shape}")


def check_lengths(x: np.ndarray, y, what: str = "x and y") -> np.ndarray:
    """y as an array with one target per example of x."""
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(x):
        raise ValueError(f"{what} must hold as many examples: {len(x)} inputs but "
                         f"{'no' if y.ndim == 0 else len(y)} targets")
    return y

"""Data augmentation: random shifts, small rotations and scaling of a batch of images.

Each image gets its own affine map about the image centre. We compute, for every output pixel,
where it comes from in the input (the inverse map) and sample there bilinearly, all images at
once in NumPy; pixels that come from outside the image are zero (MNIST's background).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Augmentation:
    """Ranges of the random affine maps: each value is drawn uniformly in [-max, +max]."""

    max_shift: float = 2.0  # pixels, horizontally and vertically (independently)
    max_rotation: float = 10.0  # degrees
    max_scale: float = 0.1  # relative: 0.1 scales by a factor in [0.9, 1.1]

    def __post_init__(self) -> None:
        for name in ("max_shift", "max_rotation", "max_scale"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be zero or positive, got {value}")
        if self.max_scale >= 1:
            raise ValueError(f"max_scale must be below 1, got {self.max_scale}")


def random_affine(images: np.ndarray, rng: np.random.Generator,
                  augmentation: Augmentation = Augmentation()) -> np.ndarray:
    """A randomly shifted, rotated and scaled copy of NHWC float32 `images` in [0, 1].

    The same `rng` state gives the same result; the output has the input's shape and dtype and
    stays in [0, 1] (bilinear sampling mixes values, it never extrapolates).
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.dtype != np.float32:
        raise ValueError(f"expected float32 images (N, H, W, C), got {images.dtype} {images.shape}")
    count, height, width, channels = images.shape
    angle = np.deg2rad(rng.uniform(-augmentation.max_rotation, augmentation.max_rotation, count))
    scale = 1.0 + rng.uniform(-augmentation.max_scale, augmentation.max_scale, count)
    shift = rng.uniform(-augmentation.max_shift, augmentation.max_shift, (count, 2))
    # Inverse map: source = centre + R(-angle) / scale @ (target - centre - shift), per image.
    cos = (np.cos(angle) / scale).astype(np.float32)[:, None]
    sin = (np.sin(angle) / scale).astype(np.float32)[:, None]
    centre_y, centre_x = (height - 1) / 2, (width - 1) / 2
    dy = (np.arange(height, dtype=np.float32) - centre_y).repeat(width)[None, :]
    dx = np.tile(np.arange(width, dtype=np.float32) - centre_x, height)[None, :]
    dy = dy - shift[:, :1].astype(np.float32)  # (N, P): target - centre - shift
    dx = dx - shift[:, 1:].astype(np.float32)
    source_y = cos * dy + sin * dx
    source_y += np.float32(centre_y)
    source_x = cos * dx - sin * dy
    source_x += np.float32(centre_x)
    return _bilinear(images, source_y, source_x)


def _bilinear(images: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Sample NHWC `images` at float32 coordinates (N, P) with zeros outside the image."""
    count, height, width, channels = images.shape
    # One zero row/column before and two after: clipped coordinates then land on zeros.
    pitch, plane = width + 3, (height + 3) * (width + 3)
    padded = np.zeros((channels, count, height + 3, pitch), np.float32)
    padded[:, :, 1:height + 1, 1:width + 1] = images.transpose(3, 0, 1, 2)
    np.clip(y, -1, height, out=y)
    np.clip(x, -1, width, out=x)
    y0, x0 = np.floor(y), np.floor(x)
    fy, fx = y - y0, x - x0
    top_left = (y0 * np.float32(pitch) + x0).astype(np.intp)  # small integers: exact
    top_left += np.arange(count, dtype=np.intp)[:, None] * plane + pitch + 1  # image, padding
    out = np.empty((count, height * width, channels), np.float32)
    for channel, values in enumerate(padded.reshape(channels, -1)):
        # Shifted views read the right, lower and lower-right neighbours with the same indices.
        top = np.take(values, top_left)
        right = np.take(values[1:], top_left)
        right -= top
        right *= fx
        top += right
        bottom = np.take(values[pitch:], top_left)
        right = np.take(values[pitch + 1:], top_left)
        right -= bottom
        right *= fx
        bottom += right
        bottom -= top
        bottom *= fy
        top += bottom
        out[..., channel] = top
    np.clip(out, 0.0, 1.0, out=out)
    return out.reshape(count, height, width, channels)

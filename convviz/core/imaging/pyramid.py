"""Image pyramids: a picture halved again and again, for smooth zooming of large maps.

Computed once off the GUI thread; the inspector's view then only picks which level to draw.
"""

from __future__ import annotations

import numpy as np

SMALLEST_LEVEL = 256
"""Halving stops once the longer side is at most this many pixels."""


def halve(image: np.ndarray) -> np.ndarray:
    """Average 2x2 blocks of an (H, W) or (H, W, C) image (an odd last row/column is dropped)."""
    height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    total = image[0:height:2, 0:width:2].astype(np.float32)
    total += image[1:height:2, 0:width:2]
    total += image[0:height:2, 1:width:2]
    total += image[1:height:2, 1:width:2]
    total *= 0.25
    if image.dtype == np.uint8:
        total += 0.5
        return total.astype(np.uint8)
    return total


def mipmaps(image: np.ndarray, smallest: int = SMALLEST_LEVEL) -> list[np.ndarray]:
    """[image, image halved, halved again, ...] down to a longer side of at most `smallest`."""
    levels = [image]
    while max(levels[-1].shape[:2]) > smallest and min(levels[-1].shape[:2]) >= 2:
        levels.append(halve(levels[-1]))
    return levels

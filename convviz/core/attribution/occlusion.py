"""Occlusion sensitivity: blank out a patch, see how much the class's probability drops."""

from __future__ import annotations

import numpy as np

from convviz.core.attribution.gradients import check_class, check_image
from convviz.core.nn.model import Sequential

MAX_PATCHES_PER_BATCH = 1024


def patch_corners(length: int, patch: int, stride: int) -> list[int]:
    """Start positions of patches along one axis: every stride steps, plus one flush with the
    far edge so that every pixel is covered."""
    starts = list(range(0, length - patch + 1, stride))
    if starts[-1] != length - patch:
        starts.append(length - patch)
    return starts


def occlusion_map(model: Sequential, image: np.ndarray, class_index: int, patch: int = 5,
                  stride: int = 1, baseline: float = 0.0) -> np.ndarray:
    """Mean drop of the class's probability over every patch covering each pixel, (H, W).

    Each patch x patch square (every stride pixels) is set to baseline (0: no ink) in a copy
    of the picture; the drop is p(class | picture) - p(class | occluded copy). Positive
    values mark places whose content speaks for the class, negative ones places whose
    content speaks against it. All copies go through the network in a few batches.
    """
    batch = check_image(model, image)
    class_index = check_class(model, class_index)
    height, width = batch.shape[1:3]
    if isinstance(patch, bool) or int(patch) != patch or not 1 <= patch <= min(height, width):
        raise ValueError(f"the patch side must be a whole number from 1 to "
                         f"{min(height, width)}, got {patch!r}")
    if isinstance(stride, bool) or int(stride) != stride or not 1 <= stride <= patch:
        raise ValueError(f"the patch stride must be a whole number from 1 to {patch}, "
                         f"got {stride!r}")
    if not np.isfinite(baseline):
        raise ValueError("the occlusion value must be a finite number")
    patch, stride = int(patch), int(stride)
    corners = [(top, left) for top in patch_corners(height, patch, stride)
               for left in patch_corners(width, patch, stride)]
    reference = float(model.predict(batch)[0, class_index])
    total = np.zeros((height, width), np.float64)
    count = np.zeros((height, width), np.float64)
    for start in range(0, len(corners), MAX_PATCHES_PER_BATCH):
        chunk = corners[start:start + MAX_PATCHES_PER_BATCH]
        copies = np.repeat(batch, len(chunk), axis=0)
        for n, (top, left) in enumerate(chunk):
            copies[n, top:top + patch, left:left + patch, :] = baseline
        drops = reference - model.predict(copies, batch_size=len(chunk))[:, class_index]
        for drop, (top, left) in zip(drops, chunk, strict=True):
            total[top:top + patch, left:left + patch] += drop
            count[top:top + patch, left:left + patch] += 1
    return (total / count).astype(np.float32)

"""What a filter detects: the input patches that excite it most over a set of pictures.

Real top patches help people predict what a unit responds to better than synthetic pictures
made to excite it (Borowski et al. 2021), so convviz shows these: for one filter of a conv
layer, the receptive-field crops of the pictures where the filter's map peaks highest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.nn.geometry import receptive_field
from convviz.core.nn.layers import Conv2D
from convviz.core.nn.model import Sequential

BATCH = 1000


@dataclass(frozen=True)
class TopPatches:
    """The `count` strongest responses of one filter: picture index, map position, value,
    the receptive-field crop (padding as 0), and the filter's mean map over all pictures."""

    layer_name: str
    channel: int
    indices: np.ndarray      # (count,) into the pictures
    positions: np.ndarray    # (count, 2) map row, column of each peak
    values: np.ndarray       # (count,)
    patches: np.ndarray      # (count, ph, pw, C)
    field: tuple[int, int]   # (ph, pw) receptive field size
    mean_map: np.ndarray     # (OH, OW)


def top_patches(model: Sequential, layer_name: str, channel: int, images: np.ndarray,
                count: int = 9) -> TopPatches:
    """Run every picture (N, H, W, C) in [0, 1] up to layer_name and keep the count highest
    peaks of the channel's map, each picture at most once."""
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"the model has no layer called {layer_name!r}")
    index = names.index(layer_name)
    layer = model.layers[index]
    if not isinstance(layer, Conv2D):
        raise ValueError(f"{layer_name} is a {type(layer).__name__}, not a convolution")
    if isinstance(channel, bool) or int(channel) != channel or not 0 <= channel < layer.filters:
        raise ValueError(f"{layer_name} has filters 0 to {layer.filters - 1}, not {channel!r}")
    images = np.asarray(images, np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != tuple(model.input_shape) or not len(images):
        raise ValueError(f"the pictures must be a non-empty batch of {model.input_shape}, got "
                         f"{images.shape}")
    count = min(int(count), len(images))
    peaks = np.empty(len(images), np.float32)
    where = np.empty(len(images), np.intp)
    total = np.zeros(layer.output_shape[:2], np.float64)
    for start in range(0, len(images), BATCH):
        x = images[start:start + BATCH]
        for stage in model.layers[:index + 1]:
            x = stage.forward(x)
        maps = x[..., channel].reshape(len(x), -1)
        where[start:start + len(x)] = maps.argmax(axis=1)
        peaks[start:start + len(x)] = maps.max(axis=1)
        total += x[..., channel].sum(axis=0, dtype=np.float64)
    order = np.argsort(-peaks, kind="stable")[:count]
    width = layer.output_shape[1]
    positions = np.stack([where[order] // width, where[order] % width], axis=1)
    geometries = [stage.geometry for stage in model.layers[:index + 1]
                  if stage.geometry is not None]
    patches = [_crop(images[n], *receptive_field(geometries, int(i), int(j)))
               for n, (i, j) in zip(order, positions, strict=True)]
    rows, cols = receptive_field(geometries, 0, 0)
    return TopPatches(layer_name, int(channel), order, positions, peaks[order],
                      np.stack(patches), (rows[1] - rows[0] + 1, cols[1] - cols[0] + 1),
                      (total / len(images)).astype(np.float32))


def _crop(image: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """image[rows, cols] (inclusive) with 0 where the range leaves the picture."""
    height, width, channels = image.shape
    patch = np.zeros((rows[1] - rows[0] + 1, cols[1] - cols[0] + 1, channels), image.dtype)
    top, left = max(rows[0], 0), max(cols[0], 0)
    bottom, right = min(rows[1], height - 1), min(cols[1], width - 1)
    if top <= bottom and left <= right:
        patch[top - rows[0]:bottom - rows[0] + 1, left - cols[0]:right - cols[0] + 1] = \
            image[top:bottom + 1, left:right + 1]
    return patch

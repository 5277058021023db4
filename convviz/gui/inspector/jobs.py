"""The image inspector's work, run on worker threads: load a photo, compute its feature maps.

Qt-free functions with their inputs and results as frozen records, so a worker can run them
and hand the results to the GUI thread, which only shows them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from convviz.core.imaging.image_io import load_image
from convviz.core.imaging.inspection import (
    ChainSettings,
    Histogram,
    Inspection,
    NamedKernel,
    Pooling,
    SourceImage,
    apply_chain,
    histogram,
    inspect,
)
from convviz.core.imaging.pyramid import mipmaps

ROWS_PER_BLOCK = 256


@dataclass(frozen=True, eq=False)
class PreparedImage:
    """A loaded photo: its planes for the chain, uint8 mipmaps for display, the histogram of
    its luminance, and what to tell."""

    name: str
    source: SourceImage
    display: list[np.ndarray]
    histogram: Histogram
    description: str
    notices: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int]:
        return self.source.shape


def prepare_image(source: str | Path | bytes, name: str) -> PreparedImage:
    """Decode (image_io), split into planes and build the display pyramid; ImageLoadError if
    the file cannot be read."""
    loaded = load_image(source)
    pixels = loaded.pixels
    height, width = pixels.shape[:2]
    display = np.empty(pixels.shape, np.uint8)
    for top in range(0, height, ROWS_PER_BLOCK):  # in blocks: no full-size float temporary
        block = pixels[top:top + ROWS_PER_BLOCK] * np.float32(255)
        block += np.float32(0.5)
        display[top:top + ROWS_PER_BLOCK] = block
    if display.shape[2] == 1:
        display = display[:, :, 0]
    colour = "gray" if pixels.shape[2] == 1 else "colour"
    description = (f"{width}×{height} {loaded.source_format}, {colour}, "
                   f"{loaded.bit_depth}-bit")
    source = SourceImage.from_pixels(pixels)
    warm_up_chain()
    return PreparedImage(name, source, mipmaps(display), histogram(source.luminance, 0.0, 1.0),
                         description, tuple(loaded.notices))


def warm_up_chain() -> None:
    """Run the chain once on a tiny image, so Numba has loaded (or compiled) its kernels
    before a person first turns on an activation or pooling (a second's pause otherwise).

    An 8x8 map takes the same kernel variants as a large one (threaded activation over rows,
    serial single-image pooling, one kernel for every activation and pooling mode); later
    calls cost microseconds.
    """
    tiny = np.zeros((8, 8), np.float32)
    apply_chain(tiny, tiny[:3, :3], ChainSettings(activation="relu",
                                                 pooling=Pooling(mode="average")))


@dataclass(frozen=True, eq=False)
class MapRequest:
    """Which maps to compute: every kernel through the chain, on one prepared image."""

    serial: int
    image: PreparedImage
    kernels: tuple[NamedKernel, ...]
    chain: ChainSettings


@dataclass(frozen=True, eq=False)
class ComputedMaps:
    """An inspection with a display pyramid per map and the seconds it took."""

    request: MapRequest
    inspection: Inspection
    pyramids: tuple[list[np.ndarray], ...]
    seconds: float


def compute_maps(request: MapRequest) -> ComputedMaps:
    """Run the chain (InspectionError if the settings do not fit) and mipmap every map."""
    start = time.perf_counter()
    result = inspect(request.image.source, request.kernels, request.chain)
    pyramids = tuple(mipmaps(feature_map.values) for feature_map in result.maps)
    return ComputedMaps(request, result, pyramids, time.perf_counter() - start)


def coloured(values: np.ndarray, levels: tuple[float, float], lut: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 picture of a map: values scaled by levels into a (256, 3) colour table."""
    low, high = levels
    scaled = np.clip((values - low) * (255.0 / max(high - low, 1e-30)), 0, 255)
    return lut[scaled.astype(np.uint8)]


def save_png(rgb: np.ndarray, path: str | Path) -> None:
    """Write an (H, W, 3) uint8 picture as PNG."""
    Image.fromarray(np.ascontiguousarray(rgb)).save(Path(path), format="PNG")

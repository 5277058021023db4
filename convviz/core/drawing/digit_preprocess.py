"""Turn any ink image into the 28x28 digit the network expects, the way MNIST was made.

MNIST digits were scaled so their longer side fills a 20x20 box (keeping the aspect ratio,
anti-aliased), then placed in a 28x28 field with their centre of mass at the centre. A network
trained on MNIST only recognises digits prepared the same way, so hand-drawn strokes and photos
go through `preprocess_digit`: crop to the ink, area-resample into 20x20, shift by the centre of
mass. Applied to an MNIST digit it gives back that digit (the tests check this).

`ink_from_luminance` turns a photo or scan into ink (0 background, 1 ink), inverting dark ink
on light paper, since MNIST is white ink on black.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from convviz.core.imaging.image_io import ImageLoadError, load_image, to_luminance

DIGIT_SIZE = 28
"""Side of the network input."""

DIGIT_BOX = 20
"""Side of the box the ink is scaled into, as in MNIST."""

INK_THRESHOLD = 0.5 / 255
"""Pixels at or below half an 8-bit grey level are background when finding the ink's box."""

Range = tuple[float, float]


def area_weights(n_in: int, n_out: int, scale: float, offset: float = 0.0) -> np.ndarray:
    """(n_out, n_in) matrix of area resampling along one axis.

    Input pixel i covers [i, i + 1); it lands on [scale*i + offset, scale*(i + 1) + offset) in
    output coordinates. Each output pixel is the mean of the input over its footprint (outside
    the input counts as 0), so an integer upscale repeats pixels and a downscale averages them.
    """
    if not scale > 0:
        raise ValueError(f"the scale must be positive, got {scale}")
    edges = (np.arange(n_out + 1, dtype=np.float64) - offset) / scale
    low, high = edges[:-1, None], edges[1:, None]
    cells = np.arange(n_in, dtype=np.float64)[None, :]
    overlap = np.clip(np.minimum(high, cells + 1) - np.maximum(low, cells), 0.0, None)
    return (overlap * scale).astype(np.float32)


def resize_area(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Area-resample a 2-D image to (height, width) (anti-aliased when shrinking)."""
    image = np.asarray(image, dtype=np.float32)
    rows = area_weights(image.shape[0], height, height / image.shape[0])
    cols = area_weights(image.shape[1], width, width / image.shape[1])
    return rows @ image @ cols.T


def fit_into_square(image: np.ndarray, size: int) -> np.ndarray:
    """Area-resample a 2-D image to fit a size x size square, keeping its aspect ratio,
    centred on a zero background (how a loaded picture goes onto the drawing canvas)."""
    image = np.asarray(image, dtype=np.float32)
    height, width = image.shape
    scale = size / max(height, width)
    top = round((size - height * scale) / 2)
    left = round((size - width * scale) / 2)
    rows = area_weights(height, size, scale, top)
    cols = area_weights(width, size, scale, left)
    return np.clip(rows @ image @ cols.T, 0.0, 1.0)


def shrink_to_fit(image: np.ndarray, max_side: int) -> np.ndarray:
    """An (H, W) or (H, W, C) image shrunk so its longer side is at most max_side (area
    averaging; a huge photo is first block-averaged by a whole factor, which is cheap)."""
    image = np.asarray(image, dtype=np.float32)
    height, width = image.shape[:2]
    factor = max(height, width) // max_side
    if factor >= 2:
        height, width = height // factor, width // factor
        rows = image[0:height * factor:factor].copy()
        for k in range(1, factor):
            rows += image[k:height * factor:factor]
        image = rows[:, 0:width * factor:factor].copy()
        for k in range(1, factor):
            image += rows[:, k:width * factor:factor]
        image /= factor * factor
    if max(height, width) <= max_side:
        return np.ascontiguousarray(image, dtype=np.float32)
    scale = max_side / max(height, width)
    size = max(1, round(height * scale)), max(1, round(width * scale))
    if image.ndim == 2:
        return resize_area(image, *size)
    return np.stack([resize_area(image[..., c], *size) for c in range(image.shape[2])], axis=2)


@dataclass(frozen=True)
class DigitTransform:
    """How source pixels map onto the 28x28 digit: digit = (source - source_origin) * scale
    + digit_origin, per axis, in edge coordinates (pixel r covers [r, r + 1))."""

    scale: float
    source_origin: tuple[int, int]
    digit_origin: tuple[int, int]

    def to_source(self, row: float, col: float) -> tuple[float, float]:
        """The source point under digit point (row, col)."""
        return ((row - self.digit_origin[0]) / self.scale + self.source_origin[0],
                (col - self.digit_origin[1]) / self.scale + self.source_origin[1])

    def source_box(self, rows: tuple[int, int], cols: tuple[int, int]) -> tuple[Range, Range]:
        """Source edge ranges covered by the inclusive digit pixel ranges rows x cols."""
        top, left = self.to_source(rows[0], cols[0])
        bottom, right = self.to_source(rows[1] + 1, cols[1] + 1)
        return (top, bottom), (left, right)


@dataclass(frozen=True)
class PreparedDigit:
    """The network's 28x28 input and where it came from (None for a blank image)."""

    pixels: np.ndarray
    transform: DigitTransform | None

    @property
    def is_blank(self) -> bool:
        return self.transform is None


def ink_box(ink: np.ndarray, threshold: float = INK_THRESHOLD) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right), bottom and right exclusive, of the pixels above threshold."""
    mask = ink > threshold
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Ink-weighted mean (row, col) in pixel-index coordinates (pixel r has its centre at r)."""
    total = float(image.sum())
    rows = np.arange(image.shape[0], dtype=np.float64)
    cols = np.arange(image.shape[1], dtype=np.float64)
    return (float(image.sum(axis=1) @ rows) / total, float(image.sum(axis=0) @ cols) / total)


def preprocess_digit(ink: np.ndarray, size: int = DIGIT_SIZE,
                     box: int = DIGIT_BOX) -> PreparedDigit:
    """MNIST preparation of a 2-D ink image (0 background, 1 ink, any size).

    Crop to the ink, scale the longer side to `box` pixels with area resampling (the crop's
    top-left corner stays on the pixel grid, so an MNIST digit comes back unchanged), then move
    it by whole pixels so its centre of mass lands on pixel (size // 2, size // 2), where MNIST
    digits have theirs. Ink pushed past the border by that shift is cut, as in MNIST.
    """
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2:
        raise ValueError(f"expected a 2-D ink image, got shape {ink.shape}")
    found = ink_box(ink)
    if found is None:
        return PreparedDigit(np.zeros((size, size), np.float32), None)
    top, bottom, left, right = found
    crop = ink[top:bottom, left:right]
    scale = box / max(crop.shape)
    out_h = min(int(np.ceil(crop.shape[0] * scale - 1e-6)), box)
    out_w = min(int(np.ceil(crop.shape[1] * scale - 1e-6)), box)
    scaled = (area_weights(crop.shape[0], out_h, scale) @ crop
              @ area_weights(crop.shape[1], out_w, scale).T)
    # Rounded first, so a centre at exactly x.5 breaks the same way whatever the float noise.
    centre_row, centre_col = (round(c, 4) for c in centre_of_mass(scaled))
    row0 = int(np.floor(size // 2 - centre_row + 0.5))
    col0 = int(np.floor(size // 2 - centre_col + 0.5))
    field = np.zeros((size + 2 * box, size + 2 * box), np.float32)  # room for any shift
    field[box + row0:box + row0 + out_h, box + col0:box + col0 + out_w] = scaled
    digit = np.ascontiguousarray(field[box:box + size, box:box + size])
    np.clip(digit, 0.0, 1.0, out=digit)
    return PreparedDigit(digit, DigitTransform(scale, (top, left), (row0, col0)))


def ink_from_luminance(luminance: np.ndarray) -> tuple[np.ndarray, bool]:
    """(ink, inverted): a photo or scan's luminance (H, W) in [0, 1] turned into ink.

    The background is what the border shows: if the border is mostly light, the picture is
    dark ink on light paper and is inverted (MNIST is white on black). The background level
    plus its noise becomes 0 and the strongest ink 1, so paper texture and uneven grey do not
    count as ink. A uniform picture gives no ink at all.
    """
    luminance = np.clip(np.asarray(luminance, dtype=np.float32), 0.0, 1.0)
    if luminance.ndim != 2:
        raise ValueError(f"expected a 2-D luminance image, got shape {luminance.shape}")
    band = max(1, min(luminance.shape) // 20)
    border = np.concatenate([luminance[:band].ravel(), luminance[-band:].ravel(),
                             luminance[:, :band].ravel(), luminance[:, -band:].ravel()])
    inverted = bool(np.median(border) > 0.5)
    values = 1.0 - luminance if inverted else luminance
    border = 1.0 - border if inverted else border
    background = float(np.median(border))
    noise = 1.4826 * float(np.median(np.abs(border - background)))
    floor = background + 5.0 * noise
    peak = float(values.max())
    if peak - floor < 0.1:
        return np.zeros_like(values), inverted
    return np.clip((values - floor) / (peak - floor), 0.0, 1.0), inverted


def picture_ink(pixels: np.ndarray, canvas_size: int) -> tuple[np.ndarray, bool]:
    """(ink, inverted): a loaded picture (H, W, 1 or 3) in [0, 1] as canvas_size-square ink,
    fitted whole and centred, ready for `preprocess_digit` like a drawing."""
    small = shrink_to_fit(pixels, 2 * canvas_size)
    ink, inverted = ink_from_luminance(to_luminance(small))
    return fit_into_square(ink, canvas_size), inverted


class NotADigitError(ImageLoadError):
    """The picture has content, but not a digit's: no ink stands out from a plain background."""


UNIFORM_SPREAD = 0.1
"""A picture whose luminance spans less than this is "almost uniform"."""
PREVIEW_SIDE = 480
"""Longest side of the colour preview kept for display."""


@dataclass(frozen=True)
class ImportedPicture:
    """A loaded picture turned into canvas ink, with a small colour preview and notices."""

    name: str
    ink: np.ndarray
    preview: np.ndarray
    inverted: bool
    notices: list[str] = field(default_factory=list)


def import_picture(source: str | Path | bytes, name: str, canvas_size: int) -> ImportedPicture:
    """Load an image (path or encoded bytes) and make canvas ink of it; ImageLoadError if not."""
    loaded = load_image(source)
    ink, inverted = picture_ink(loaded.pixels, canvas_size)
    notices = list(loaded.notices)
    if not ink.any():
        luminance = to_luminance(shrink_to_fit(loaded.pixels, PREVIEW_SIDE))
        if float(luminance.max() - luminance.min()) < UNIFORM_SPREAD:
            raise ImageLoadError(f"No digit found in {name}: the picture is almost uniform.")
        raise NotADigitError(f"No digit found in {name}: it is not a dark digit on a light "
                             "background, nor a light digit on a dark one (a photo, perhaps). "
                             "Image inspection shows what convolutions make of any picture.")
    if inverted:
        notices.append("Dark ink on a light background was inverted: MNIST digits are white "
                       "on black.")
    return ImportedPicture(name, ink, shrink_to_fit(loaded.pixels, PREVIEW_SIDE), inverted,
                           notices)

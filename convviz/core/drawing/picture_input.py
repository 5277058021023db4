"""A picture as the input of a model that is not a 28x28 digit reader (CIFAR-10, a folder).

Such models were trained on photos resized to their input: `prepare_picture` does the same,
a plain area resize of the whole picture to H x W (no crop, no centring: that is MNIST's
recipe, and only for digit models), C channels (luminance for grey models, grey repeated for
colour ones), values in [0, 1]. `sample_pictures` paints a few small scenes with NumPy, the
test pictures on hand when no dataset is loaded (nothing outside the repo is needed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.drawing.digit_preprocess import (
    DigitTransform,
    PreparedDigit,
    resize_area,
    shrink_to_fit,
)
from convviz.core.imaging.image_io import load_image, to_luminance

PICTURE_CHANNELS = (1, 3)
"""Input channels a picture can be turned into: grey or RGB."""


@dataclass(frozen=True)
class ModelPicture:
    """A loaded picture made into a model's input, with a preview of the original."""

    name: str
    prepared: PreparedDigit
    preview: np.ndarray  # (h, w, 1 or 3) in [0, 1], at most PREVIEW_SIDE pixels a side
    notices: tuple[str, ...] = ()


PREVIEW_SIDE = 480


def prepare_picture(pixels: np.ndarray, input_shape: tuple[int, ...]) -> PreparedDigit:
    """(H, W, 1 or 3) pixels in [0, 1] resized to the model's input (H, W, C), as the
    training images were: the whole picture, plainly resized, in C channels.

    The result's pixels are (H, W) for a grey model (as a drawn digit's) and (H, W, C) for a
    colour one; its transform maps the input onto itself (the shown picture is the resized one).
    """
    pixels = np.asarray(pixels, dtype=np.float32)
    if pixels.ndim != 3 or pixels.shape[2] not in PICTURE_CHANNELS:
        raise ValueError(f"expected (H, W, 1) or (H, W, 3) pixels, got shape {pixels.shape}")
    if len(input_shape) != 3 or input_shape[2] not in PICTURE_CHANNELS:
        raise ValueError(f"a picture can be the input of a model taking (H, W, 1) or (H, W, 3) "
                         f"images, not {tuple(input_shape)}")
    height, width, channels = input_shape
    small = shrink_to_fit(pixels, 4 * max(height, width))   # a huge photo costs little
    if channels == 1:
        small = to_luminance(small)[:, :, None]
    elif small.shape[2] == 1:
        small = np.repeat(small, 3, axis=2)
    resized = np.stack([resize_area(small[:, :, c], height, width) for c in range(channels)],
                       axis=2)
    resized = np.ascontiguousarray(np.clip(resized, 0.0, 1.0), dtype=np.float32)
    return PreparedDigit(resized[:, :, 0] if channels == 1 else resized,
                         DigitTransform(1.0, (0, 0), (0, 0)))


def import_model_picture(source, name: str, input_shape: tuple[int, ...]) -> ModelPicture:
    """Load an image (a path or encoded bytes) as the input of a model taking input_shape;
    ImageLoadError (a ValueError) if it cannot be read."""
    loaded = load_image(source)
    return ModelPicture(name, prepare_picture(loaded.pixels, input_shape),
                        shrink_to_fit(loaded.pixels, PREVIEW_SIDE), tuple(loaded.notices))


def sample_pictures(size: int = 96) -> dict[str, np.ndarray]:
    """A few small painted scenes, {name: (size, size, 3) float32 in [0, 1]}: deterministic
    stand-ins for photos when no test images are loaded."""
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32) / (size - 1)
    rng = np.random.default_rng(3)

    def canvas(top, bottom) -> np.ndarray:
        top, bottom = np.asarray(top, np.float32), np.asarray(bottom, np.float32)
        return top + (bottom - top) * rows[:, :, None]

    def paint(image, mask, colour) -> None:
        image[mask] = colour

    sea = canvas((0.45, 0.7, 0.95), (0.8, 0.9, 1.0))
    paint(sea, rows > 0.6, (0.1, 0.3, 0.6))
    paint(sea, (rows > 0.5) & (rows < 0.62) & (np.abs(cols - 0.5) < 0.25 - (0.62 - rows)),
          (0.85, 0.2, 0.15))                                    # a hull
    paint(sea, (rows > 0.15) & (rows < 0.5) & (cols > 0.5) & (cols < 0.52), (0.3, 0.2, 0.1))
    paint(sea, (rows > 0.18) & (rows < 0.48) & (cols > 0.53)
          & (cols - 0.53 < 0.6 * (rows - 0.18)), (0.97, 0.97, 0.92))   # a sail

    sunset = canvas((0.25, 0.1, 0.4), (1.0, 0.55, 0.2))
    paint(sunset, (rows - 0.62) ** 2 + (cols - 0.5) ** 2 < 0.03, (1.0, 0.9, 0.4))
    paint(sunset, rows > 0.65 + 0.05 * np.sin(cols * 9), (0.12, 0.08, 0.1))

    meadow = canvas((0.55, 0.8, 1.0), (0.75, 0.9, 1.0))
    paint(meadow, rows > 0.65, (0.25, 0.6, 0.2))
    paint(meadow, (rows > 0.45) & (rows < 0.7) & (np.abs(cols - 0.3) < 0.03), (0.4, 0.25, 0.1))
    paint(meadow, (rows - 0.35) ** 2 + (cols - 0.3) ** 2 < 0.02, (0.1, 0.45, 0.15))
    paint(meadow, (rows - 0.15) ** 2 + (cols - 0.8) ** 2 < 0.006, (1.0, 0.95, 0.5))

    fruit = canvas((0.85, 0.8, 0.7), (0.6, 0.5, 0.4))
    paint(fruit, (rows - 0.55) ** 2 + (cols - 0.5) ** 2 < 0.09, (0.8, 0.1, 0.1))
    paint(fruit, (rows - 0.45) ** 2 + (cols - 0.42) ** 2 < 0.004, (1.0, 0.6, 0.6))
    paint(fruit, (rows > 0.15) & (rows < 0.3) & (np.abs(cols - 0.5) < 0.015), (0.35, 0.2, 0.05))

    scenes = {"a sailing boat": sea, "a sunset": sunset, "a tree in a meadow": meadow,
              "an apple": fruit}
    return {name: np.clip(image + rng.normal(0, 0.02, image.shape), 0, 1).astype(np.float32)
            for name, image in scenes.items()}

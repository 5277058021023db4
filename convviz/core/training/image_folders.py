"""Bring-your-own images: one sub-folder per class (`pets/cat/*.jpg`, `pets/dog/*.jpg`).

`image_dataset_from_directory` follows Keras' function of that name (class names are the
sorted sub-folder names, labels their indices; shuffled with `seed`; `validation_split` with
`subset` "training", "validation" or "both"), but returns arrays rather than a tf.data
pipeline: uint8 images (N, H, W, C) and labels (N,), like every `load_data()`. Each file is
decoded by the safe loader (core.imaging.image_io) and resized with Pillow; files that are not
readable images are skipped and counted in one warning. Hidden files (".DS_Store") are ignored.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from convviz.core.imaging.image_io import ImageLoadError, load_image, to_luminance
from convviz.core.training.data import DatasetError

COLOR_MODES = {"grayscale": 1, "rgb": 3}
SUBSETS = ("training", "validation", "both")
MAX_BYTES = 4 * 1024**3
"""Refused when the decoded, resized images would take more memory than this."""


class SkippedFilesWarning(UserWarning):
    """Some files of an image folder were not readable images and were left out."""


@dataclass(frozen=True, eq=False)
class ImageFolderData:
    """Images uint8 (N, H, W, C), labels (N,) (uint8 up to 256 classes), the class names and
    each image's file."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    file_paths: tuple[str, ...]


def _visible(entries) -> list[os.DirEntry]:
    return sorted((entry for entry in entries if not entry.name.startswith(".")),
                  key=lambda entry: entry.name)


def _list_files(directory: Path) -> tuple[list[str], list[tuple[Path, int]]]:
    """Class names and (file, label) pairs, in sorted order."""
    if not directory.is_dir():
        raise DatasetError(f"{directory} is not a folder")
    with os.scandir(directory) as entries:
        classes = [entry.name for entry in _visible(entries) if entry.is_dir()]
    if len(classes) < 2:
        found = f"only one, {classes[0]!r}" if classes else "none"
        raise DatasetError(
            f"{directory} needs one sub-folder per class, at least two (e.g. {directory}/cat "
            f"and {directory}/dog); found {found}")
    files = []
    for label, name in enumerate(classes):
        with os.scandir(directory / name) as entries:
            files += [(Path(entry.path), label) for entry in _visible(entries)
                      if entry.is_file()]
    return classes, files


def _pixels(path: Path, image_size: tuple[int, int], channels: int) -> np.ndarray:
    """The image at `path` as uint8 (H, W, channels), resized bilinearly (Keras' default)."""
    pixels = load_image(path).pixels
    if channels == 1 and pixels.shape[2] == 3:
        pixels = to_luminance(pixels)[:, :, None]
    elif channels == 3 and pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    as_bytes = np.rint(pixels * 255).astype(np.uint8)
    picture = Image.fromarray(as_bytes[:, :, 0] if channels == 1 else as_bytes)
    resized = np.asarray(picture.resize((image_size[1], image_size[0]), Image.BILINEAR))
    return resized.reshape(*image_size, channels)


def _check_arguments(image_size, color_mode: str, validation_split, subset) -> tuple[int, int]:
    try:
        height, width = (int(side) for side in image_size)
    except (TypeError, ValueError):
        raise ValueError(f"image_size must be (height, width), got {image_size!r}") from None
    if not (1 <= height <= 1024 and 1 <= width <= 1024):
        raise ValueError(f"image_size sides must lie in 1..1024, got {image_size!r}")
    if color_mode not in COLOR_MODES:
        raise ValueError(f"color_mode must be one of {', '.join(COLOR_MODES)}; got "
                         f"{color_mode!r}")
    if validation_split is not None:
        if not 0 < validation_split < 1:
            raise ValueError(f"validation_split must lie strictly between 0 and 1, got "
                             f"{validation_split!r}")
        if subset not in SUBSETS:
            raise ValueError(f"with validation_split, subset must be one of "
                             f"{', '.join(SUBSETS)}; got {subset!r}")
    elif subset is not None:
        raise ValueError("subset needs a validation_split")
    return height, width


def image_dataset_from_directory(
    directory: str | os.PathLike, image_size: tuple[int, int] = (256, 256),
    color_mode: str = "rgb", validation_split: float | None = None, subset: str | None = None,
    seed: int | None = None, shuffle: bool = True,
) -> ImageFolderData | tuple[ImageFolderData, ImageFolderData]:
    """The images of `directory` (one sub-folder per class) as arrays, resized to image_size.

    color_mode "rgb" gives C = 3, "grayscale" C = 1. With validation_split, the last fraction
    of the shuffled files is the validation subset (as Keras), and subset "both" returns
    (training, validation). Raises DatasetError for a folder with fewer than two classes or no
    readable image; warns (SkippedFilesWarning) once about the files it skipped.
    """
    height, width = _check_arguments(image_size, color_mode, validation_split, subset)
    directory = Path(directory)
    channels = COLOR_MODES[color_mode]
    classes, files = _list_files(directory)
    if len(files) * height * width * channels > MAX_BYTES:
        raise DatasetError(f"{directory}: {len(files):,} images of {height}x{width}x{channels} "
                           f"would not fit in memory; choose a smaller image_size")
    if shuffle:
        order = np.random.default_rng(seed).permutation(len(files))
        files = [files[i] for i in order]
    images, labels, paths, skipped = [], [], [], []
    for path, label in files:
        try:
            images.append(_pixels(path, (height, width), channels))
        except ImageLoadError as error:
            skipped.append(f"{path.relative_to(directory)} ({error})")
            continue
        labels.append(label)
        paths.append(str(path))
    if not images:
        raise DatasetError(f"{directory}: none of its {len(files):,} files is a readable image "
                           f"(e.g. {skipped[0] if skipped else 'the class folders are empty'})")
    if skipped:
        warnings.warn(f"Skipped {len(skipped)} of {len(files)} files in {directory} that are "
                      f"not readable images, e.g. {skipped[0]}", SkippedFilesWarning,
                      stacklevel=2)
    label_type = np.uint8 if len(classes) <= 256 else np.int32
    everything = ImageFolderData(np.stack(images), np.array(labels, label_type), tuple(classes),
                                 tuple(paths))
    if validation_split is None:
        return everything
    validation_count = int(validation_split * len(labels))
    cut = len(labels) - validation_count
    training = _part(everything, slice(0, cut))
    validation = _part(everything, slice(cut, None))
    return {"training": training, "validation": validation,
            "both": (training, validation)}[subset]


def _part(dataset: ImageFolderData, part: slice) -> ImageFolderData:
    return ImageFolderData(dataset.images[part], dataset.labels[part], dataset.class_names,
                           dataset.file_paths[part])

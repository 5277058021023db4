"""Keras-shaped `load_data()` for MNIST, Fashion-MNIST and CIFAR-10, downloaded once.

Each dataset is a `RemoteDataset`: its folder in the user's data folder, its files with their
published checksums, and mirrors. `load_data(spec)` downloads what is missing (checksummed,
atomic: see `data.download_files`), then reads the files and returns
``((x_train, y_train), (x_test, y_test))`` as uint8 arrays, as Keras does. Offline, the error
says which files to put where. Tests pass their own spec (files, hashes, a local mirror).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from convviz.core.training import cifar10, data

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class RemoteDataset:
    """Where a dataset comes from and how its files are read."""

    name: str  # its folder under the user's data folder, and the CLI's --dataset name
    title: str  # for messages
    files: Mapping[str, str]  # file name -> "md5:..." as published
    mirrors: Sequence[str]  # base URLs, tried in turn
    format: str  # "idx" (MNIST's four files) or "cifar10-binary"
    class_names: tuple[str, ...]


MNIST = RemoteDataset("mnist", "MNIST", data.MNIST_FILES, data.MIRRORS, "idx",
                      tuple(str(digit) for digit in range(10)))
FASHION_MNIST = RemoteDataset(
    "fashion_mnist", "Fashion-MNIST",
    {"train-images-idx3-ubyte.gz": "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
     "train-labels-idx1-ubyte.gz": "md5:25c81989df183df01b3e8a0aad5dffbe",
     "t10k-images-idx3-ubyte.gz": "md5:bef4ecab320f06d8554ea6380940ec79",
     "t10k-labels-idx1-ubyte.gz": "md5:bb300cfdad3c16e7a12a480ee83cd310"},
    ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
     "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"],
    "idx",
    ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
     "Ankle boot"))
CIFAR10 = RemoteDataset(
    "cifar10", "CIFAR-10", {cifar10.ARCHIVE: "md5:c32a1d4ab5d03f1284b67883e8d87530"},
    ["https://www.cs.toronto.edu/~kriz/"], "cifar10-binary", cifar10.CLASS_NAMES)

DATASETS = {"mnist": MNIST, "fashion-mnist": FASHION_MNIST, "cifar10": CIFAR10}
"""The names `convviz train --dataset` takes."""


def dataset_dir(spec: RemoteDataset, explicit: str | Path | None = None) -> Path:
    """`explicit` if given, else MNIST's usual folder (see data.resolve_data_dir) for MNIST and
    `<user cache>/convviz/<name>` for the others."""
    if explicit:
        return Path(explicit).expanduser()
    if spec.name == MNIST.name:
        return data.resolve_data_dir(None)
    return Path(platformdirs.user_cache_dir("convviz")) / spec.name


def is_present(spec: RemoteDataset, folder: str | Path) -> bool:
    """Whether `folder` holds the dataset's files (in any form its reader takes)."""
    if spec.format == "idx":
        return not data.missing_files(folder)
    return cifar10.is_present(folder)


def load_data(spec: RemoteDataset, data_dir: str | Path | None = None,
              progress: data.ProgressCallback | None = None, download: bool = True) -> Arrays:
    """((x_train, y_train), (x_test, y_test)) of `spec`, downloading missing files first.

    IDX datasets give images (N, 28, 28) and labels (N,); CIFAR-10 images (N, 32, 32, 3) and
    labels (N, 1), as Keras. Raises data.DatasetError with a sentence for a person.
    """
    folder = dataset_dir(spec, data_dir)
    if not is_present(spec, folder):
        if not download:
            raise data.DatasetError(f"{spec.title} was not found in {folder}; put these files "
                                    f"there: {', '.join(spec.files)}")
        data.download_files(folder, spec.files, spec.mirrors, progress, title=spec.title)
    if spec.format == "idx":
        loaded = data.load_mnist(folder)
        return ((loaded.train_images, loaded.train_labels),
                (loaded.test_images, loaded.test_labels))
    return cifar10.load_cifar10(folder)


def loader(spec: RemoteDataset) -> Callable[..., Arrays]:
    """`load_data(data_dir=None)` for `spec`, as a keras.datasets module has it."""

    def load(data_dir: str | Path | None = None) -> Arrays:
        return load_data(spec, data_dir)

    load.__name__ = load.__qualname__ = "load_data"
    load.__doc__ = (f"((x_train, y_train), (x_test, y_test)) of {spec.title} as uint8 arrays, "
                    "downloaded on first use into `data_dir` (default: the user's data folder).")
    return load


# --- what the Train tab trains on ---------------------------------------------------------------

FOLDER_TEST_SHARE = 0.2
"""A folder of pictures has no test set: this share of its (shuffled) pictures is held back."""


@dataclass(frozen=True, eq=False)
class TrainingSet:
    """A dataset ready to train on: uint8 images (N, H, W) or (N, H, W, C), labels (N,)."""

    name: str  # a DATASETS key, or "folder"
    title: str  # for legends and messages: "MNIST", "CIFAR-10", a folder's name
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    class_names: tuple[str, ...]
    note: str = ""  # what a person should know (pictures skipped)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(H, W, C) of the images."""
        shape = self.train_images.shape
        return (shape[1], shape[2], shape[3] if len(shape) == 4 else 1)


def missing(spec: RemoteDataset, folder: str | Path) -> list[str]:
    """The files of `spec` that `folder` lacks (empty when it can be read)."""
    if spec.format == "idx":
        return data.missing_files(folder)
    return [] if cifar10.is_present(folder) else list(spec.files)


def download(spec: RemoteDataset, folder: str | Path,
             progress: data.ProgressCallback | None = None) -> Path:
    """Download `spec`'s files into `folder`, each verified against its published checksum."""
    return data.download_files(folder, spec.files, spec.mirrors, progress, title=spec.title)


def read_training_set(spec: RemoteDataset, folder: str | Path) -> TrainingSet:
    """`spec`'s files in `folder`, read (never downloaded); DatasetError with a sentence."""
    (train_images, train_labels), (test_images, test_labels) = load_data(spec, folder,
                                                                         download=False)
    name = next((key for key, known in DATASETS.items() if known is spec), spec.name)
    return TrainingSet(name, spec.title, train_images,
                       train_labels.reshape(-1), test_images, test_labels.reshape(-1),
                       spec.class_names)


def read_image_folder(folder: str | Path, input_shape: tuple[int, int, int],
                      seed: int = 0) -> TrainingSet:
    """A folder with one sub-folder per class, resized to `input_shape` (H, W, 1 or 3), with
    FOLDER_TEST_SHARE of the pictures held back as its test set."""
    import warnings

    from convviz.core.training.image_folders import (
        SkippedFilesWarning,
        image_dataset_from_directory,
    )

    height, width, channels = input_shape
    if channels not in (1, 3):
        raise data.DatasetError(f"pictures can be grey (1 channel) or colour (3); this network "
                                f"takes {channels} channels")
    folder = Path(folder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkippedFilesWarning)
        train, test = image_dataset_from_directory(
            folder, (height, width), "rgb" if channels == 3 else "grayscale",
            validation_split=FOLDER_TEST_SHARE, subset="both", seed=seed)
    if not len(test.labels) or len(train.labels) < 2:
        raise data.DatasetError(f"{folder} holds {len(train.labels) + len(test.labels)} "
                                "pictures: too few to train and test on (a few dozen per class "
                                "is a start)")
    note = " ".join(str(warning.message) for warning in caught)
    squeeze = (lambda images: images[..., 0]) if channels == 1 else (lambda images: images)
    return TrainingSet("folder", folder.name, squeeze(train.images), train.labels,
                       squeeze(test.images), test.labels, train.class_names, note)

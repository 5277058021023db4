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

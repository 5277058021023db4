"""Datasets as a Keras course uses them: ``from convviz.datasets import mnist`` then
``(x_train, y_train), (x_test, y_test) = mnist.load_data()``; your own photos through
``image_dataset_from_directory("pets", image_size=(32, 32))``.

Each `load_data()` downloads its files once into the user's data folder (checksummed) and
returns uint8 arrays; offline, its error says which files to put where.
"""

from convviz.core.training.image_folders import (
    ImageFolderData,
    SkippedFilesWarning,
    image_dataset_from_directory,
)
from convviz.datasets import cifar10, fashion_mnist, mnist

__all__ = ["ImageFolderData", "SkippedFilesWarning", "cifar10", "fashion_mnist",
           "image_dataset_from_directory", "mnist"]

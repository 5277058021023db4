"""CIFAR-10 colour photos (the binary distribution), as keras.datasets.cifar10: images
(50000, 32, 32, 3), labels (50000, 1)."""

from convviz.core.training.datasets import CIFAR10, loader

CLASS_NAMES = CIFAR10.class_names
load_data = loader(CIFAR10)

"""MNIST handwritten digits, as keras.datasets.mnist: images (60000, 28, 28), labels (60000,)."""

from convviz.core.training.datasets import MNIST, loader

CLASS_NAMES = MNIST.class_names
load_data = loader(MNIST)

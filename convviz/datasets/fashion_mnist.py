"""Fashion-MNIST clothes, as keras.datasets.fashion_mnist: images (60000, 28, 28), labels
(60000,)."""

from convviz.core.training.datasets import FASHION_MNIST, loader

CLASS_NAMES = FASHION_MNIST.class_names
load_data = loader(FASHION_MNIST)

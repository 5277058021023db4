"""Qt-free numeric engine: layers, kernels, models, training. Never imports Qt.

Keras names and shapes: images are NHWC float32, conv kernels (kernel_h, kernel_w, in, out).
"""

from convviz.core.layers import (
    AveragePooling2D,
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
    Layer,
    MaxPool2D,
    MaxPooling2D,
)
from convviz.core.model import ModelSummary, Sequential, lenet5
from convviz.core.optim import SGD, Adagrad, Adam, Optimizer, RMSprop
from convviz.core.serialization import ModelFileError, load_model, save_model

__all__ = [
    "SGD", "Adagrad", "Adam", "AveragePooling2D", "AvgPool2D", "Conv2D", "Dense", "Dropout",
    "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D", "Layer", "MaxPool2D", "MaxPooling2D",
    "ModelFileError", "ModelSummary", "Optimizer", "RMSprop", "Sequential", "lenet5",
    "load_model", "save_model",
]

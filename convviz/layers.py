"""Keras' `layers` namespace for notebooks: `from convviz import layers`, then
`layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1))`. Re-exports the core's."""

from convviz.core.nn.layers import (
    Activation,
    AveragePooling2D,
    AvgPool2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
    Input,
    InputLayer,
    Layer,
    MaxPool2D,
    MaxPooling2D,
    Rescaling,
)

__all__ = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D", "Dense",
    "Dropout", "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D", "Input", "InputLayer",
    "Layer", "MaxPool2D", "MaxPooling2D", "Rescaling",
]

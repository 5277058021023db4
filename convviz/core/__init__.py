"""Qt-free numeric engine: layers, kernels, models, training. Never imports Qt.

Keras names and shapes: images are NHWC float32, conv kernels (kernel_h, kernel_w, in, out).
The public names below are loaded on first use, so importing a light subpackage (say
``convviz.core.training.data`` for ``convviz download``) does not import Numba.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC_NAMES = {
    "convviz.core.nn.layers": (
        "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D", "Dense",
        "Dropout", "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D", "Input", "Layer",
        "MaxPool2D", "MaxPooling2D", "Rescaling",
    ),
    "convviz.core.nn.callbacks": ("Callback", "EarlyStopping", "History"),
    "convviz.core.nn.losses": ("CategoricalCrossentropy", "SparseCategoricalCrossentropy"),
    "convviz.core.nn.model": ("ModelSummary", "Sequential", "lenet5"),
    "convviz.core.nn.optim": ("SGD", "Adagrad", "Adam", "Optimizer", "RMSprop"),
    "convviz.core.nn.presets": ("PRESETS", "build_preset", "colour_cnn", "mlp_baseline",
                                "one_5x5", "small_vgg", "two_3x3"),
    "convviz.core.nn.serialization": ("ModelFileError", "load_model", "save_model"),
}
_MODULE_OF = {name: module for module, names in _PUBLIC_NAMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    """Import the submodule that defines a public name the first time it is asked for."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'convviz.core' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


"""A design written as the Keras code a student would type: `models.Sequential()` and one
`model.add(layers.X(...))` per layer, runnable with `from convviz import layers, models`.

Each layer shows its required arguments positionally and only the settings that differ from
the layer's defaults (asked of the layer class itself), so the code reads as course code does.
"""

from __future__ import annotations

import copy
import functools
import inspect

from convviz.core.design.design import Design, LayerSpec
from convviz.core.nn.layers import LAYER_CLASSES

KERAS_NAMES = {"MaxPool2D": "MaxPooling2D", "AvgPool2D": "AveragePooling2D",
               "GlobalAvgPool2D": "GlobalAveragePooling2D"}
"""The names Keras code usually spells (convviz.layers has both)."""


def _literal(value) -> str:
    """Python source for a config value: pairs of equal sizes as one int, lists as tuples."""
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, int) for v in value) and value[0] == value[1]:
            return str(value[0])
        items = [_literal(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@functools.cache
def _required(kind: str) -> tuple[str, ...]:
    parameters = inspect.signature(LAYER_CLASSES[kind].__init__).parameters.values()
    return tuple(p.name for p in parameters
                 if p.name != "self" and p.default is inspect.Parameter.empty)


def layer_call(spec: LayerSpec, keywords: tuple[str, ...] | None = None) -> str:
    """`layers.Conv2D(16, 3, padding="same", activation="relu")` for one layer; `keywords`
    limits the keyword arguments written to these (the editor's list of layers)."""
    config = copy.deepcopy(spec.config)
    config.pop("name", None)
    required = _required(spec.kind)
    defaults = LAYER_CLASSES[spec.kind](**{k: config[k] for k in required}).get_config()
    arguments = [_literal(config[k]) for k in required]
    arguments += [f"{key}={_literal(value)}" for key, value in config.items()
                  if key not in required and defaults.get(key) != value
                  and (keywords is None or key in keywords)]
    return f"layers.{KERAS_NAMES.get(spec.kind, spec.kind)}({', '.join(arguments)})"


def keras_code(design: Design) -> str:
    """The whole design as a script that builds it and prints its summary."""
    lines = ["from convviz import layers, models", "",
             f"model = models.Sequential(name={_literal(design.name)})",
             f"model.add(layers.Input(shape={_literal(list(design.input_shape))}))"]
    lines += [f"model.add({layer_call(spec)})" for spec in design.layers]
    lines += ["model.summary()", ""]
    return "\n".join(lines)

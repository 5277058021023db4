"""A network design a student edits: an input shape and a list of layers with Keras arguments.

A `Design` holds each layer as its class name and the settings `get_config()` writes, so any
Sequential (a preset, a loaded architecture) becomes a design and back without loss. Editing
never raises: a setting that cannot work is found by `check()`, which builds the layers the
core has (their own `compute_output_shape` and `Sequential.layer_summary`) and explains the
first layer that does not fit, in a sentence for a student (see problems.py).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

from convviz.core.design.problems import design_problem, layer_problem, setting_problem
from convviz.core.nn.layers import LAYER_CLASSES, Layer
from convviz.core.nn.model import ModelSummary, Sequential, SummaryRow
from convviz.core.nn.presets import MNIST_SHAPE, build_preset
from convviz.core.nn.serialization import MAX_ACTIVATIONS, MAX_PARAMETERS
from convviz.core.stepper import size_formulas

Shape = tuple[int, ...]

NEW_LAYER_ARGUMENTS: dict[str, dict] = {
    "Conv2D": {"filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
    "MaxPool2D": {"pool_size": 2},
    "AvgPool2D": {"pool_size": 2},
    "GlobalAvgPool2D": {},
    "BatchNormalization": {},
    "Activation": {"activation": "relu"},
    "Flatten": {},
    "Dense": {"units": 64, "activation": "relu"},
    "Dropout": {"rate": 0.25},
}
"""The layers a student adds from the editor, with the arguments a new one starts with."""


@dataclass
class LayerSpec:
    """One layer of a design: its class name (core.nn.layers) and its get_config() settings."""

    kind: str
    config: dict

    @property
    def name(self) -> str:
        return str(self.config.get("name", self.kind.lower()))

    def make_layer(self) -> Layer:
        """A fresh, unbuilt layer with these settings (ValueError or TypeError if invalid)."""
        return LAYER_CLASSES[self.kind].from_config(copy.deepcopy(self.config))


@dataclass(frozen=True)
class LayerCheck:
    """What the design's check found for one layer: its summary row and, for a sliding
    window, the output-size formulas, or the problem that stops it (`blocked`: an earlier
    layer's problem leaves its input unknown)."""

    index: int
    spec: LayerSpec
    input_shape: Shape | None
    row: SummaryRow | None = None
    formulas: tuple[str, str] | None = None
    problem: str | None = None

    @property
    def blocked(self) -> bool:
        return self.input_shape is None


@dataclass(frozen=True)
class DesignCheck:
    """Every layer's check, the summary of the layers that build, and a problem of the design
    as a whole (no layers, no class scores at the end)."""

    layers: tuple[LayerCheck, ...]
    summary: ModelSummary | None
    problem: str | None

    @property
    def valid(self) -> bool:
        return self.problem is None and not any(c.problem or c.blocked for c in self.layers)

    @property
    def problems(self) -> list[str]:
        """Every sentence to show, layer problems first ("layer 3 (conv2d): ...")."""
        found = [f"layer {c.index + 1} ({c.spec.name}): {c.problem}"
                 for c in self.layers if c.problem]
        return found + ([self.problem] if self.problem else [])

    @property
    def output_shape(self) -> Shape | None:
        return self.summary.rows[-1].output_shape if self.summary and self.valid else None


@dataclass
class Design:
    """An editable network: input shape (H, W, C), layers, name. Edits keep layer names unique."""

    input_shape: Shape = MNIST_SHAPE
    layers: list[LayerSpec] = field(default_factory=list)
    name: str = "my-cnn"

    # --- from and to models ---------------------------------------------------------------------

    @classmethod
    def from_model(cls, model: Sequential) -> Design:
        config = model.get_config()
        return cls(tuple(config["input_shape"]),
                   [LayerSpec(entry["class"], entry["config"]) for entry in config["layers"]],
                   config["name"])

    @classmethod
    def from_preset(cls, name: str) -> Design:
        return cls.from_model(build_preset(name))

    def to_config(self) -> dict:
        """The architecture as `Sequential.get_config()` writes it (what .json files hold)."""
        return {"name": self.name, "input_shape": list(self.input_shape),
                "layers": [{"class": spec.kind, "config": copy.deepcopy(spec.config)}
                           for spec in self.layers]}

    def build(self, seed: int | None = 0) -> Sequential:
        """The Sequential this design describes, fresh weights from `seed`; ValueError with the
        design's problems if it cannot be built."""
        check = self.check()
        if not check.valid:
            raise ValueError("; ".join(check.problems))
        return Sequential([spec.make_layer() for spec in self.layers],
                          input_shape=self.input_shape, name=self.name, seed=seed)

    # --- edits ---------------------------------------------------------------------------------

    def add(self, kind: str, index: int | None = None) -> int:
        """Insert a new `kind` layer (NEW_LAYER_ARGUMENTS) at `index` (default: the end);
        returns its index."""
        if kind not in NEW_LAYER_ARGUMENTS:
            raise ValueError(f"unknown layer type {kind!r}; choose one of "
                             f"{', '.join(NEW_LAYER_ARGUMENTS)}")
        index = len(self.layers) if index is None else max(0, min(index, len(self.layers)))
        layer = LAYER_CLASSES[kind](**NEW_LAYER_ARGUMENTS[kind], name=self._free_name(kind))
        self.layers.insert(index, LayerSpec(kind, layer.get_config()))
        return index

    def remove(self, index: int) -> None:
        del self.layers[index]

    def move(self, index: int, offset: int) -> int:
        """Move layer `index` by `offset` places (clamped); returns its new index."""
        target = max(0, min(index + offset, len(self.layers) - 1))
        self.layers.insert(target, self.layers.pop(index))
        return target

    def set_argument(self, index: int, argument: str, value) -> None:
        """Set one Keras argument of layer `index`; sizes given as one int mean a square."""
        spec = self.layers[index]
        if argument in ("kernel_size", "strides", "dilation_rate", "pool_size") \
                and isinstance(value, int):
            value = [value, value]
        spec.config[argument] = value

    def _free_name(self, kind: str) -> str:
        base, taken = kind.lower(), {spec.name for spec in self.layers}
        number = 1
        while f"{base}_{number}" in taken:
            number += 1
        return f"{base}_{number}"

    # --- the check -----------------------------------------------------------------------------

    def check(self) -> DesignCheck:
        """Each layer's output shape, parameters and memory (from the core), or the sentence
        that says why it cannot work; the layers after a problem are left unknown."""
        shape: Shape | None = self.input_shape
        built: list[Layer] = []
        found: list[tuple[LayerSpec, Shape | None, str | None, Layer | None]] = []
        parameters = activations = 0
        for spec in self.layers:
            if shape is None:
                found.append((spec, None, None, None))
                continue
            layer, problem = None, None
            try:
                layer = spec.make_layer()
            except (TypeError, ValueError) as error:
                problem = setting_problem(spec.kind, error)
            if layer is not None:
                try:
                    output = layer.compute_output_shape(shape)
                    parameters += sum(math.prod(s) for s in layer.parameter_shapes(shape).values())
                    activations += math.prod(output)
                except ValueError as error:
                    problem = layer_problem(layer, shape, error)
                else:
                    if parameters > MAX_PARAMETERS or activations > MAX_ACTIVATIONS:
                        problem = (f"with this layer the network would have over "
                                   f"{MAX_PARAMETERS:,} parameters or {MAX_ACTIVATIONS:,} "
                                   "values per image, too big to train here: use fewer "
                                   "filters or units, or pool before it")
            found.append((spec, shape, problem, None if problem else layer))
            if problem:
                shape = None
            else:
                built.append(layer)
                shape = output
        summary = (Sequential(built, input_shape=self.input_shape, name=self.name, seed=0)
                   .layer_summary() if built else None)
        checks = []
        for index, (spec, input_shape, problem, layer) in enumerate(found):
            row = summary.rows[index] if layer is not None else None
            geometry = layer.geometry if layer is not None else None
            checks.append(LayerCheck(index, spec, input_shape, row,
                                     size_formulas(geometry) if geometry else None, problem))
        problem = design_problem(len(self.layers), shape) if shape is not None else None
        return DesignCheck(tuple(checks), summary, problem)

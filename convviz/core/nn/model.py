"""Sequential models, their summary (parameters and activation memory), and LeNet-5."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.formatting import format_bytes
from convviz.core.nn.layers import AvgPool2D, Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D
from convviz.core.nn.losses import cross_entropy, softmax_cross_entropy
from convviz.core.nn.ops import softmax
from convviz.core.nn.optim import Optimizer

BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class SummaryRow:
    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int
    activation_bytes: int  # per instance (one image)


@dataclass(frozen=True)
class ModelSummary:
    """Keras-style summary plus the course's memory view (activations per instance and batch)."""

    rows: tuple[SummaryRow, ...]
    total_params: int
    activation_bytes_per_instance: int
    batch_size: int

    @property
    def activation_bytes_per_batch(self) -> int:
        return self.activation_bytes_per_instance * self.batch_size

    @property
    def parameter_bytes(self) -> int:
        return self.total_params * BYTES_PER_VALUE

    def __str__(self) -> str:
        header = f"{'Layer (type)':<24}{'Output shape':<18}{'Params':>10}{'Activations':>14}"
        lines = [header, "-" * len(header)]
        for row in self.rows:
            shape = "(None, " + ", ".join(map(str, row.output_shape)) + ")"
            lines.append(f"{row.name + ' (' + row.kind + ')':<24}{shape:<18}{row.params:>10,}"
                         f"{format_bytes(row.activation_bytes):>14}")
        lines += ["-" * len(header),
                  f"Total params: {self.total_params:,} ({format_bytes(self.parameter_bytes)})",
                  f"Activation memory: {format_bytes(self.activation_bytes_per_instance)} "
                  f"per instance, {format_bytes(self.activation_bytes_per_batch)} "
                  f"per batch of {self.batch_size}"]
        return "\n".join(lines)


class Sequential:
    """A stack of layers applied in order, with Keras' compile / train_on_batch / predict."""

    def __init__(self, layers: list[Layer], input_shape: tuple[int, ...] | None = None,
                 name: str = "sequential", seed: int | None = None):
        if not layers:
            raise ValueError("a Sequential model needs at least one layer")
        names = [layer.name for layer in layers]
        if len(set(names)) != len(names):
            raise ValueError(f"layer names must be unique, got {names}")
        self.layers = list(layers)
        self.name = name
        self.optimizer: Optimizer | None = None
        self.metrics: tuple[str, ...] = ()
        self.input_shape: tuple[int, ...] | None = None
        if input_shape is not None:
            self.build(input_shape, seed)

    def build(self, input_shape: tuple[int, ...], seed: int | None = None) -> None:
        """Build every layer in turn for inputs of input_shape (no batch axis)."""
        rng = np.random.default_rng(seed)
        self.input_shape = tuple(int(s) for s in input_shape)
        shape = self.input_shape
        for layer in self.layers:
            shape = layer.build(shape, rng)
        self.layers[0].need_input_gradient = False

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.layers[-1].output_shape

    def _check_built(self) -> None:
        if self.input_shape is None:
            raise RuntimeError(f"model {self.name!r} is not built: call build(input_shape)")

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The last layer's output for batch x."""
        self._check_built()
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def forward_all(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's output for batch x, in order (what the GUI draws)."""
        self._check_built()
        outputs = []
        for layer in self.layers:
            x = layer.forward(x, False)
            outputs.append(x)
        return outputs

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        """Backpropagate dL/d(output) through every layer, filling their gradients."""
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        return dy

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(parameter, gradient) pairs of every layer, in a fixed order."""
        return [(layer.params[n], layer.grads[n]) for layer in self.layers
                for n in layer.param_names]

    def get_weights(self) -> list[np.ndarray]:
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        weights = list(weights)
        expected = sum(len(layer.param_names) for layer in self.layers)
        if len(weights) != expected:
            raise ValueError(
                f"model {self.name!r} has {expected} weight arrays, got {len(weights)}")
        for layer in self.layers:
            count = len(layer.param_names)
            layer.set_weights(weights[:count])
            weights = weights[count:]

    def count_params(self) -> int:
        return sum(layer.count_params() for layer in self.layers)

    def compile(self, optimizer: Optimizer, metrics: tuple[str, ...] | list[str] = ()) -> None:
        """Choose the optimizer; the loss is softmax cross-entropy on the output."""
        unknown = set(metrics) - {"accuracy"}
        if unknown:
            raise ValueError(f"unknown metrics {sorted(unknown)}; only 'accuracy' is supported")
        self.optimizer = optimizer
        self.metrics = tuple(metrics)

    def loss_and_gradient(self, outputs: np.ndarray,
                          labels: np.ndarray) -> tuple[float, np.ndarray]:
        """Cross-entropy of the outputs (logits, or probabilities after a softmax layer)."""
        if self.layers[-1].activation == "softmax":
            return cross_entropy(outputs, labels)
        return softmax_cross_entropy(outputs, labels)

    def train_on_batch(self, x: np.ndarray, y: np.ndarray) -> float | list[float]:
        """One step of forward, backward and optimizer update; the batch loss (and metrics)."""
        if self.optimizer is None:
            raise RuntimeError("call compile(optimizer=...) before training")
        outputs = self.forward(x, training=True)
        loss, grad = self.loss_and_gradient(outputs, y)
        self.backward(grad)
        self.optimizer.step(self.parameters())
        if "accuracy" in self.metrics:
            return [loss, float(np.mean(outputs.argmax(axis=1) == np.asarray(y)))]
        return loss

    def predict(self, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
        """Class probabilities (N, classes), computed in batches."""
        self._check_built()
        parts = [self.forward(x[start:start + batch_size])
                 for start in range(0, len(x), batch_size)]
        outputs = np.concatenate(parts) if parts else np.zeros((0, *self.output_shape), np.float32)
        return self.probabilities(outputs)

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        """Class probabilities from the last layer's outputs: logits go through softmax, a
        softmax output layer's values already are probabilities."""
        return outputs if self.layers[-1].activation == "softmax" else softmax(outputs)

    def summary(self, batch_size: int = 1) -> ModelSummary:
        """Rows of (layer, output shape, params, activation bytes per instance) plus totals."""
        self._check_built()
        rows = tuple(
            SummaryRow(layer.name, type(layer).__name__, layer.output_shape, layer.count_params(),
                       int(np.prod(layer.output_shape)) * BYTES_PER_VALUE)
            for layer in self.layers)
        return ModelSummary(rows, self.count_params(),
                            sum(r.activation_bytes for r in rows), batch_size)

    def get_config(self) -> dict:
        """The architecture as JSON-friendly data (weights excluded)."""
        return {"name": self.name, "input_shape": list(self.input_shape or ()),
                "layers": [{"class": type(layer).__name__, "config": layer.get_config()}
                           for layer in self.layers]}

    def clone(self) -> Sequential:
        """An independent copy with the same architecture and weights (e.g. for another thread)."""
        from convviz.core.nn.serialization import model_from_config
        twin = model_from_config(self.get_config())
        twin.set_weights(self.get_weights())
        return twin


def lenet5(variant: str = "classic", seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """LeNet-5 for 28x28x1 digits: C1 6@5x5 same, S2, C3 16@5x5, S4, C5 120@5x5, F6 84, 10 logits.

    'classic' (LeCun et al. 1998): tanh and average pooling, every C3 map sees all S2 maps,
    61,706 parameters. 'modern': ReLU and max pooling. dropout > 0 adds Dropout before F6 and
    before the output layer.
    """
    if variant not in ("classic", "modern"):
        raise ValueError(f"LeNet-5 variant must be 'classic' or 'modern', got {variant!r}")
    activation, pool = ("tanh", AvgPool2D) if variant == "classic" else ("relu", MaxPool2D)
    init = "glorot_uniform" if variant == "classic" else "he_uniform"
    layers: list[Layer] = [
        Conv2D(6, 5, padding="same", activation=activation, kernel_initializer=init, name="C1"),
        pool(2, name="S2"),
        Conv2D(16, 5, activation=activation, kernel_initializer=init, name="C3"),
        pool(2, name="S4"),
        Conv2D(120, 5, activation=activation, kernel_initializer=init, name="C5"),
        Flatten(name="flatten"),
    ]
    if dropout:
        layers.append(Dropout(dropout, seed=seed, name="dropout_C5"))
    layers.append(Dense(84, activation=activation, kernel_initializer=init, name="F6"))
    if dropout:
        layers.append(Dropout(dropout, seed=None if seed is None else seed + 1, name="dropout_F6"))
    layers.append(Dense(10, name="output"))
    return Sequential(layers, input_shape=(28, 28, 1), name=f"lenet5-{variant}", seed=seed)

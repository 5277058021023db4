"""Sequential models (Keras' add / compile / fit / evaluate / predict / summary), their summary
(parameters and activation memory), and LeNet-5."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from convviz.core.formatting import format_bytes
from convviz.core.nn.inputs import check_inputs, check_lengths
from convviz.core.nn.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    InputLayer,
    Layer,
    MaxPool2D,
)
from convviz.core.nn.losses import CrossEntropyLoss, SparseCategoricalCrossentropy, get_loss
from convviz.core.nn.ops import softmax
from convviz.core.nn.optim import Optimizer, get_optimizer

BYTES_PER_VALUE = 4  # float32
MAX_CLASS_NAME_LENGTH = 64
"""Longer class names are refused (a file's names are shown on buttons and axes)."""


def check_class_names(names, classes: int | None) -> tuple[str, ...] | None:
    """`names` as the tuple of class names a model keeps, or ValueError saying what is wrong:
    a list or tuple of distinct, non-empty, printable strings of at most
    MAX_CLASS_NAME_LENGTH characters, one per output unit (`classes`, when known)."""
    if names is None:
        return None
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise ValueError(f"class names must be a list of strings, got {names!r:.80}")
    names = tuple(names)
    for name in names:
        if not isinstance(name, str):
            raise ValueError(f"class names must be strings, got {name!r:.80}")
        if not name.strip() or not name.isprintable() or len(name) > MAX_CLASS_NAME_LENGTH:
            raise ValueError(f"the class name {name[:MAX_CLASS_NAME_LENGTH]!r} is not a short "
                             f"printable name (1 to {MAX_CLASS_NAME_LENGTH} characters)")
    if len(set(names)) != len(names):
        raise ValueError("two classes have the same name")
    if classes is not None and len(names) != classes:
        raise ValueError(f"{len(names)} class names for {classes} output units")
    return names


@dataclass(frozen=True)
class SummaryRow:
    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int
    activation_bytes: int  # per instance (one image)
    trainable_params: int | None = None  # None: all of them


@dataclass(frozen=True)
class ModelSummary:
    """Keras-style summary plus the course's memory view (activations per instance and batch)."""

    rows: tuple[SummaryRow, ...]
    total_params: int
    activation_bytes_per_instance: int
    batch_size: int
    model_name: str = "sequential"

    @property
    def activation_bytes_per_batch(self) -> int:
        return self.activation_bytes_per_instance * self.batch_size

    @property
    def parameter_bytes(self) -> int:
        return self.total_params * BYTES_PER_VALUE

    @property
    def trainable_params(self) -> int:
        return sum(row.params if row.trainable_params is None else row.trainable_params
                   for row in self.rows)

    def __str__(self) -> str:
        """The table Keras prints, with a column for the activations of one image."""
        names = [f"{row.name} ({row.kind})" for row in self.rows]
        shapes = ["(None, " + ", ".join(map(str, row.output_shape)) + ")" for row in self.rows]
        name_width = max([len("Layer (type)"), *map(len, names)]) + 2
        shape_width = max([len("Output Shape"), *map(len, shapes)]) + 2
        header = (f"{'Layer (type)':<{name_width}}{'Output Shape':<{shape_width}}"
                  f"{'Param #':>10}{'Activations':>14}")
        lines = [f'Model: "{self.model_name}"', "_" * len(header), header, "=" * len(header)]
        for row, name, shape in zip(self.rows, names, shapes, strict=True):
            lines.append(f"{name:<{name_width}}{shape:<{shape_width}}{row.params:>10,}"
                         f"{format_bytes(row.activation_bytes):>14}")
        non_trainable = self.total_params - self.trainable_params
        lines += ["=" * len(header),
                  f"Total params: {self.total_params:,} ({format_bytes(self.parameter_bytes)})",
                  f"Trainable params: {self.trainable_params:,} "
                  f"({format_bytes(self.trainable_params * BYTES_PER_VALUE)})",
                  f"Non-trainable params: {non_trainable:,} "
                  f"({format_bytes(non_trainable * BYTES_PER_VALUE)})",
                  f"Activation memory: {format_bytes(self.activation_bytes_per_instance)} "
                  f"per instance, {format_bytes(self.activation_bytes_per_batch)} "
                  f"per batch of {self.batch_size}",
                  "_" * len(header)]
        return "\n".join(lines)


class Sequential:
    """A stack of layers applied in order, built as in Keras: `Sequential([...])` or
    `Sequential()` then `add(layer)`; the input shape comes from `input_shape=` here, from the
    first layer's `input_shape=`, from an `Input(shape=...)` added first, or from the first
    data given to fit / predict / evaluate / train_on_batch.

    With no loss given to `compile`, the loss is sparse categorical cross-entropy read from
    logits or from a softmax output layer, whichever the model has (the GUI's Trainer uses
    that). A `seed` makes the initial weights and fit's shuffling reproducible.
    `class_names` (optional, one per output unit: "cat", "dog", ...) name the classes for
    the views; they are saved with the model.
    """

    def __init__(self, layers: list[Layer] | None = None,
                 input_shape: tuple[int, ...] | None = None, name: str = "sequential",
                 seed: int | None = None, class_names: list[str] | tuple[str, ...] | None = None):
        self.layers: list[Layer] = []
        self.name = name
        self.optimizer: Optimizer | None = None
        self.loss: CrossEntropyLoss | None = None
        self.metrics: tuple[str, ...] = ()
        self.input_shape: tuple[int, ...] | None = None
        self.stop_training = False  # callbacks set it to end fit() after the current epoch
        self.history = None  # the History of the last fit()
        self.class_names: tuple[str, ...] | None = None  # what the outputs mean, if known
        self._rng = np.random.default_rng(seed)
        self._start_shape: tuple[int, ...] | None = None  # known but not yet built
        self._class_names = check_class_names(class_names, None)
        self._deferred = True
        for layer in layers or ():
            self.add(layer)
        self._deferred = False
        shape = input_shape if input_shape is not None else self._start_shape
        if shape is not None and self.layers:
            self.build(shape, seed)

    @property
    def class_names(self) -> tuple[str, ...] | None:
        """The name of each output class, or None (the views then number the classes)."""
        return self._class_names

    @class_names.setter
    def class_names(self, names: list[str] | tuple[str, ...] | None) -> None:
        built = self.input_shape is not None
        self._class_names = check_class_names(names, self.output_shape[-1] if built else None)

    def add(self, layer: Layer | InputLayer) -> None:
        """Append a layer (built at once when the model's input shape is known), or start the
        model with `Input(shape=...)`."""
        if isinstance(layer, InputLayer):
            if self.layers or self._start_shape is not None:
                raise ValueError("Input(shape=...) must come first, before any layer")
            self._start_shape = layer.shape
        elif isinstance(layer, Layer):
            if any(layer.name == other.name for other in self.layers):
                raise ValueError(f"the model already has a layer named {layer.name!r}: "
                                 "layer names must be unique")
            if not self.layers and self._start_shape is None:
                self._start_shape = layer.declared_input_shape
            self.layers.append(layer)
        else:
            raise ValueError(f"add() takes a layer such as Dense(10), got {layer!r:.80}")
        if self._deferred or not self.layers:
            return
        if self.input_shape is not None:
            layer.build(self.layers[-2].output_shape if len(self.layers) > 1
                        else self.input_shape, self._rng)
            layer.need_input_gradient = len(self.layers) > 1
        elif self._start_shape is not None:
            self.build(self._start_shape)

    def build(self, input_shape: tuple[int, ...], seed: int | None = None) -> None:
        """Build every layer in turn for inputs of input_shape (no batch axis); a seed restarts
        the model's random generator first."""
        if not self.layers:
            raise ValueError(f"model {self.name!r} has no layers to build")
        if seed is not None:
            self._rng = np.random.default_rng(seed)
        self.input_shape = tuple(int(s) for s in input_shape)
        shape = self.input_shape
        for layer in self.layers:
            shape = layer.build(shape, self._rng)
            layer.need_input_gradient = True
        self.layers[0].need_input_gradient = False
        self._class_names = check_class_names(self._class_names, shape[-1])

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.layers[-1].output_shape

    def _check_built(self) -> None:
        if self.input_shape is None:
            raise RuntimeError(
                f"model {self.name!r} is not built yet: give its first layer input_shape=..., "
                "add Input(shape=...) first, call build(input_shape), or fit it on data")

    def _prepare_inputs(self, x, what: str = "x") -> np.ndarray:
        """x checked against the input shape, building the model from x if not built yet."""
        if not self.layers:
            raise RuntimeError(f"model {self.name!r} has no layers: add some first")
        x = check_inputs(x, self.input_shape, what)
        if self.input_shape is None:
            self.build(x.shape[1:])
        return x

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
        """(parameter, gradient) pairs of every trainable parameter, in a fixed order."""
        return [(layer.params[n], layer.grads[n]) for layer in self.layers
                for n in layer.trainable_names]

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

    # --- compile and the loss -------------------------------------------------------------------

    def compile(self, optimizer: str | Optimizer = "rmsprop",
                loss: str | CrossEntropyLoss | None = None,
                metrics: tuple[str, ...] | list[str] | None = None) -> None:
        """Choose the optimizer ("sgd", "rmsprop", "adam", "adagrad" or an object), the loss
        ("sparse_categorical_crossentropy", "categorical_crossentropy" or a loss object) and
        the metrics (["accuracy"] or none)."""
        metrics = tuple(metrics or ())
        unknown = set(metrics) - {"accuracy"}
        if unknown:
            raise ValueError(f"unknown metrics {sorted(unknown)}; only 'accuracy' is supported")
        self.optimizer = get_optimizer(optimizer)
        self.loss = None if loss is None else get_loss(loss)
        self.metrics = metrics
        if self.layers:
            self.output_loss()

    @property
    def ends_in_softmax(self) -> bool:
        """Whether the last layer applies softmax: its outputs are probabilities, and the
        logits behind them are that layer's `logits()`."""
        return self.layers[-1].activation == "softmax"

    def output_loss(self) -> CrossEntropyLoss:
        """The loss applied to this model's outputs, checked against its last layer.

        As in Keras, a string loss expects probabilities (a softmax output layer), and
        `from_logits=True` expects logits. Keras would silently read logits as probabilities,
        or apply a second softmax; here either mismatch is refused with what to change.
        """
        softmax_output = self.ends_in_softmax
        if self.loss is None:
            return SparseCategoricalCrossentropy(from_logits=not softmax_output)
        if softmax_output and self.loss.from_logits:
            raise ValueError(
                f"the last layer {self.layers[-1].name!r} ends in a softmax, so the outputs are "
                f"probabilities, but the loss was given from_logits=True (a second softmax): "
                f"use loss={self.loss.name!r}")
        if not softmax_output and not self.loss.from_logits:
            raise ValueError(
                f"the last layer {self.layers[-1].name!r} outputs logits (no softmax), but the "
                f"loss {self.loss.name!r} expects probabilities: give the last layer "
                f"activation='softmax', or use {type(self.loss).__name__}(from_logits=True)")
        return self.loss

    def loss_and_gradient(self, outputs: np.ndarray,
                          targets: np.ndarray) -> tuple[float, np.ndarray]:
        """The compiled loss of the outputs and its gradient with respect to them. (For a
        softmax output layer this reads clipped probabilities: training and evaluation use
        `loss_and_backward` and the logits instead.)"""
        return self.output_loss().loss_and_gradient(outputs, targets)

    def loss_and_backward(self, outputs: np.ndarray, targets: np.ndarray) -> float:
        """The compiled loss of the last forward pass (whose outputs are `outputs`),
        backpropagated through every layer; returns the loss.

        With a softmax output layer the loss and its gradient come from the logits behind
        the softmax, (softmax - target) / N straight into that layer, as Keras computes it:
        a confident mistake then costs its full -log p and gets its full gradient, where
        clipped probabilities would cap the loss at 16.1 and shrink the gradient a
        thousandfold.
        """
        loss_function = self.output_loss()
        last = self.layers[-1]
        if not self.ends_in_softmax:
            loss, gradient = loss_function.loss_and_gradient(outputs, targets)
            self.backward(gradient)
            return loss
        loss, dz = loss_function.logits_loss_and_gradient(last.logits(), targets)
        dy = last.backward_from_logits(dz)
        for layer in reversed(self.layers[:-1]):
            dy = layer.backward(dy)
        return loss

    def _accuracy(self, outputs: np.ndarray, targets: np.ndarray) -> float:
        classes = self.output_loss().class_indices(targets)
        return float(np.mean(outputs.argmax(axis=1) == classes)) if len(classes) else np.nan

    # --- Keras' training and inference entry points ---------------------------------------------

    def train_on_batch(self, x: np.ndarray, y: np.ndarray) -> float | list[float]:
        """One step of forward, backward and optimizer update; the batch loss (and metrics)."""
        if self.optimizer is None:
            raise RuntimeError("call compile(optimizer=...) before training")
        x = np.ascontiguousarray(self._prepare_inputs(x), dtype=np.float32)
        y = check_lengths(x, y)
        outputs = self.forward(x, training=True)
        loss = self.loss_and_backward(outputs, y)
        self.optimizer.step(self.parameters())
        if "accuracy" in self.metrics:
            return [loss, self._accuracy(outputs, y)]
        return loss

    def fit(self, x, y, batch_size: int = 32, epochs: int = 1, verbose: int | str = "auto",
            callbacks: list | None = None, validation_split: float = 0.0,
            validation_data: tuple | None = None, shuffle: bool = True):
        """Train for `epochs` passes over (x, y) in shuffled mini-batches; return a History
        (see convviz.core.nn.fitting.fit, which this calls)."""
        from convviz.core.nn.fitting import fit
        return fit(self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                   callbacks=callbacks, validation_split=validation_split,
                   validation_data=validation_data, shuffle=shuffle, rng=self._rng)

    def _outputs(self, x, batch_size: int) -> np.ndarray:
        """The last layer's outputs (inference mode) for every example of x, in batches."""
        return self._outputs_and_logits(x, batch_size)[0]

    def _outputs_and_logits(self, x, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's outputs for every example of x (inference mode, in batches), and
        the logits behind them (the outputs themselves unless the last layer is a softmax)."""
        x = self._prepare_inputs(x)
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        softmax_output = self.ends_in_softmax
        outputs, logits = [], []
        for start in range(0, len(x), int(batch_size)):
            outputs.append(self.forward(np.ascontiguousarray(x[start:start + batch_size],
                                                             np.float32)))
            logits.append(self.layers[-1].logits().copy() if softmax_output else outputs[-1])
        if not outputs:
            empty = np.zeros((0, *self.output_shape), np.float32)
            return empty, empty
        return np.concatenate(outputs), np.concatenate(logits)

    def evaluate(self, x, y, batch_size: int = 32,
                 verbose: int | str = "auto") -> float | list[float]:
        """The compiled loss on (x, y), and the metrics after it: [loss, accuracy] as Keras."""
        from convviz.core.nn.progress import format_logs
        outputs, logits = self._outputs_and_logits(x, batch_size)
        y = check_lengths(outputs, y)
        loss_function = self.output_loss()
        if self.ends_in_softmax:   # from the logits, as training
            loss = loss_function.logits_loss_and_gradient(logits, y)[0]
        else:
            loss = loss_function.loss_and_gradient(outputs, y)[0]
        results = {"loss": loss}
        if "accuracy" in self.metrics:
            results["accuracy"] = self._accuracy(outputs, y)
        if verbose not in (0, False):
            print(f"{len(outputs)} examples - {format_logs(results)}")
        return list(results.values()) if len(results) > 1 else results["loss"]

    def predict(self, x: np.ndarray, batch_size: int = 1024,
                verbose: int | str = 0) -> np.ndarray:
        """Class probabilities (N, classes), computed in batches. (Keras returns the raw
        outputs, which are the same for a softmax output layer; `verbose` is accepted for
        Keras code and prints nothing.)"""
        return self.probabilities(self._outputs(x, batch_size))

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        """Class probabilities from the last layer's outputs: logits go through softmax, a
        softmax output layer's values already are probabilities."""
        return outputs if self.ends_in_softmax else softmax(outputs)

    # --- summary, configuration, files ----------------------------------------------------------

    def layer_summary(self, batch_size: int = 1) -> ModelSummary:
        """Rows of (layer, output shape, params, activation bytes per instance) plus totals."""
        self._check_built()
        rows = tuple(
            SummaryRow(layer.name, type(layer).__name__, layer.output_shape, layer.count_params(),
                       int(np.prod(layer.output_shape)) * BYTES_PER_VALUE,
                       layer.count_trainable_params())
            for layer in self.layers)
        return ModelSummary(rows, self.count_params(),
                            sum(r.activation_bytes for r in rows), batch_size, self.name)

    def summary(self, line_length: int | None = None, positions=None, print_fn=None,
                batch_size: int = 1) -> None:
        """Print the Keras-style table (through print_fn if given), with each layer's
        activation memory for one image and the total for a batch of batch_size. Keras'
        line_length and positions are accepted so that Keras code runs; the table keeps its
        own column widths."""
        (print_fn or print)(str(self.layer_summary(batch_size)))

    def get_config(self) -> dict:
        """The architecture as JSON-friendly data (weights excluded; class names if set)."""
        config = {"name": self.name, "input_shape": list(self.input_shape or ()),
                  "layers": [{"class": type(layer).__name__, "config": layer.get_config()}
                             for layer in self.layers]}
        if self._class_names is not None:
            config["class_names"] = list(self._class_names)
        return config

    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and weights to an .npz model file (models.load_model reads it)."""
        from convviz.core.nn.serialization import save_model
        save_model(self, path)

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

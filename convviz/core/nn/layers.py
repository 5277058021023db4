"""Keras-like layers: Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, Flatten, Dense, Dropout,
Activation, BatchNormalization, Rescaling, and Input (the shape a Sequential model starts from).

A layer is built for an input shape (without the batch axis); any layer may be given that shape
as `input_shape=` (Keras' way of starting a Sequential model). `forward(x, training)` keeps
what `backward` needs; `backward(dy)` returns dL/dx and fills the gradients. Parameters and
gradients are reachable by name (`params`, `grads`) and in Keras order (`get_weights`,
`get_gradients`). A layer instance belongs to one thread at a time (it caches activations).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, defaultdict

import numpy as np

from convviz.core.nn import ops
from convviz.core.nn.geometry import WindowGeometry, as_pair, resolve_padding, window_geometry
from convviz.core.nn.initializers import get_initializer

Shape = tuple[int, ...]
_name_counters: dict[str, itertools.count] = defaultdict(itertools.count)


class Layer:
    """Base class: subclasses implement compute_output_shape, parameter_shapes, _forward and
    _backward."""

    def __init__(self, name: str | None = None, input_shape: Shape | None = None):
        if name is None:
            base = type(self).__name__.lower()
            number = next(_name_counters[base])
            name = base if number == 0 else f"{base}_{number}"
        self.name = name
        self.input_shape: Shape | None = None
        self.output_shape: Shape | None = None
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.need_input_gradient = True
        self.declared_input_shape = None if input_shape is None else check_shape(
            input_shape, "input_shape")

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names in Keras order (kernel, then bias)."""
        return tuple(self.params)

    @property
    def trainable_names(self) -> tuple[str, ...]:
        """The parameters an optimizer updates (BatchNormalization's moving statistics are not)."""
        return self.param_names

    def count_trainable_params(self) -> int:
        return int(sum(self.params[name].size for name in self.trainable_names))

    @property
    def built(self) -> bool:
        return self.output_shape is not None

    def build(self, input_shape: Shape, rng: np.random.Generator | None = None) -> Shape:
        """Create parameters for inputs of input_shape (no batch axis); return the output shape.

        Kernels come from the layer's initializer, other parameters from `initial_value`.
        """
        self.input_shape = tuple(int(s) for s in input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        rng = rng or np.random.default_rng()
        initializer = get_initializer(getattr(self, "kernel_initializer", "zeros"))
        self.params = {
            name: initializer(shape, rng) if name == "kernel" else self.initial_value(name, shape)
            for name, shape in self.parameter_shapes(self.input_shape).items()
        }
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        return self.output_shape

    def initial_value(self, name: str, shape: Shape) -> np.ndarray:
        """The starting value of a parameter other than the kernel: zeros (biases)."""
        return np.zeros(shape, np.float32)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """Output shape for input_shape, validating it; allocates nothing."""
        return input_shape

    def parameter_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        """Shapes of the parameters this layer would have for input_shape, in Keras order."""
        return {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Output for a batch x of shape (N, *input_shape)."""
        if not self.built:
            self.build(np.shape(x)[1:])
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.shape[1:] != self.input_shape:
            raise ValueError(
                f"layer {self.name!r} expects inputs of shape "
                f"(N, {', '.join(map(str, self.input_shape))}), got {x.shape}"
            )
        return self._forward(x, training)

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        """dL/dx for the last forward batch; fills self.grads."""
        return self._backward(np.ascontiguousarray(dy, dtype=np.float32))

    def get_weights(self) -> list[np.ndarray]:
        return [self.params[name].copy() for name in self.param_names]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Copy weights in (Keras order and shapes), in place so optimizer state stays valid."""
        if len(weights) != len(self.param_names):
            raise ValueError(
                f"layer {self.name!r} has {len(self.param_names)} weight arrays, got {len(weights)}"
            )
        for name, value in zip(self.param_names, weights, strict=True):
            value = np.asarray(value)
            if value.shape != self.params[name].shape:
                raise ValueError(
                    f"layer {self.name!r}: {name} must have shape {self.params[name].shape}, "
                    f"got {value.shape}"
                )
            problem = self.weight_problem(name, value)
            if problem:
                raise ValueError(f"layer {self.name!r}: {name} {problem}")
            self.params[name][...] = value

    def weight_problem(self, name: str, value: np.ndarray) -> str | None:
        """What is wrong with `value` for parameter `name` beyond its shape, or None."""
        return None

    def get_gradients(self) -> list[np.ndarray]:
        return [self.grads[name] for name in self.param_names]

    def count_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    @property
    def geometry(self) -> WindowGeometry | None:
        """The sliding window this layer applies (conv and pooling), else None."""
        return None

    @property
    def activation(self) -> str:
        return "linear"

    def logits(self) -> np.ndarray:
        """For a layer that ends in a softmax: the values the softmax was applied to in the last
        forward pass (the logits behind the probabilities)."""
        raise ValueError(f"layer {self.name!r} applies no softmax, so it has no logits")

    def backward_from_logits(self, dz: np.ndarray) -> np.ndarray | None:
        """For a layer that ends in a softmax: backward from dL/d(logits), skipping the
        softmax's Jacobian (a loss computed from the logits already holds it); fills the
        gradients and returns dL/dx as `backward` does."""
        raise ValueError(f"layer {self.name!r} applies no softmax, so it has no logits")

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        return cls(**config)

    def _forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        raise NotImplementedError

    def _backward(self, dy: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError


def check_shape(shape, what: str) -> Shape:
    """A shape without the batch axis, as Keras writes it: (28, 28, 1), or 784 for (784,)."""
    dims = (shape,) if isinstance(shape, int | np.integer) else shape
    try:
        dims = tuple(dims)
    except TypeError:
        raise ValueError(f"{what} must be a tuple of sizes such as (28, 28, 1), got {shape!r}")\
            from None
    if not dims or not all(isinstance(d, int | np.integer) and not isinstance(d, bool) and d >= 1
                           for d in dims):
        raise ValueError(f"{what} must be a tuple of positive sizes such as (28, 28, 1) (no batch "
                         f"axis, no None), got {shape!r}")
    return tuple(int(d) for d in dims)


def _require_image_shape(layer: Layer, input_shape: Shape) -> None:
    if len(input_shape) != 3:
        advice = ""
        if len(input_shape) == 2:
            advice = (f": add the channel axis, x[..., None] gives images of shape "
                      f"{(*input_shape, 1)}")
        raise ValueError(
            f"layer {layer.name!r} needs image inputs (height, width, channels), "
            f"got {input_shape}{advice}"
        )


class Conv2D(Layer):
    """2-D convolution (cross-correlation, as deep-learning libraries compute it).

    z[i,j,k] = b[k] + sum_{u,v,k'} x[i*sh + u*dh, j*sw + v*dw, k'] * w[u,v,k',k], then activation.
    """

    def __init__(self, filters: int, kernel_size, strides=1, padding="valid", dilation_rate=1,
                 activation: str | None = None, use_bias: bool = True,
                 kernel_initializer: str = "glorot_uniform", name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        if int(filters) != filters or filters < 1:
            raise ValueError(f"filters must be a positive integer, got {filters!r}")
        self.filters = int(filters)
        self.kernel_size = as_pair(kernel_size, "kernel_size")
        self.strides = as_pair(strides, "strides")
        self.dilation_rate = as_pair(dilation_rate, "dilation_rate")
        self.padding = padding if isinstance(padding, str) else resolve_padding(
            padding, (1, 1), self.kernel_size)
        self._activation = ops.check_activation(activation)
        if self._activation == "softmax":
            raise ValueError("softmax is an output activation for Dense layers, not for Conv2D")
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        get_initializer(kernel_initializer)
        self._geometry: WindowGeometry | None = None
        self._scratch: OrderedDict[int, np.ndarray] = OrderedDict()  # batch size -> scratch

    @property
    def geometry(self) -> WindowGeometry | None:
        return self._geometry

    @property
    def activation(self) -> str:
        return self._activation

    def compute_output_shape(self, input_shape):
        _require_image_shape(self, input_shape)
        self._geometry = window_geometry(input_shape[:2], self.kernel_size, self.strides,
                                         self.padding, self.dilation_rate)
        return (*self._geometry.output_hw, self.filters)

    def parameter_shapes(self, input_shape):
        shapes = {"kernel": (*self.kernel_size, input_shape[-1], self.filters)}
        return {**shapes, "bias": (self.filters,)} if self.use_bias else shapes

    def _bias(self) -> np.ndarray:
        return self.params["bias"] if self.use_bias else np.zeros(self.filters, np.float32)

    SCRATCH_BATCH_SIZES = 2
    """Batch sizes a training Conv2D keeps kernel scratch for: a training run's batch and its
    shorter last batch. Inference keeps none (no memory held for a batch-1 GUI call)."""

    def _training_scratch(self, x: np.ndarray) -> np.ndarray:
        """The reused kernel scratch for x's batch size, the most recently used kept."""
        batch = x.shape[0]
        scratch = self._scratch.pop(batch, None)
        if scratch is None:
            scratch = ops.conv_scratch(x.shape, self.params["kernel"].shape, self._geometry)
        self._scratch[batch] = scratch
        while len(self._scratch) > self.SCRATCH_BATCH_SIZES:
            self._scratch.popitem(last=False)
        return scratch

    def _forward(self, x, training):
        self._x = x
        self._stacked = training  # then the scratch for x's batch holds x's padded copy
        self._y = ops._conv2d_forward(x, self.params["kernel"], self._bias(), self._geometry,
                                      self._activation,
                                      self._training_scratch(x) if training else None)
        return self._y

    def _backward(self, dy):
        dx, dkernel, dbias = ops._conv2d_backward(
            self._x, self.params["kernel"], self._y, dy, self._geometry, self._activation,
            self.need_input_gradient, self._scratch.get(self._x.shape[0]), self._stacked)
        self.grads["kernel"] = dkernel
        if self.use_bias:
            self.grads["bias"] = dbias
        return dx

    def get_config(self):
        padding = self.padding if isinstance(self.padding, str) else [list(p) for p in self.padding]
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": list(self.kernel_size), "strides": list(self.strides),
                "padding": padding, "dilation_rate": list(self.dilation_rate),
                "activation": self._activation, "use_bias": self.use_bias,
                "kernel_initializer": self.kernel_initializer}


class _Pool2D(Layer):
    """Shared machinery of max and average pooling (padding cells never count)."""

    mode = ""

    def __init__(self, pool_size=2, strides=None, padding="valid", name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        self.pool_size = as_pair(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else as_pair(strides, "strides")
        self.padding = padding if isinstance(padding, str) else resolve_padding(
            padding, (1, 1), self.pool_size)
        self._geometry: WindowGeometry | None = None

    @property
    def geometry(self) -> WindowGeometry | None:
        return self._geometry

    def compute_output_shape(self, input_shape):
        _require_image_shape(self, input_shape)
        self._geometry = window_geometry(input_shape[:2], self.pool_size, self.strides,
                                         self.padding)
        return (*self._geometry.output_hw, input_shape[2])

    def _forward(self, x, training):
        self._x_shape = x.shape
        y, self._argmax = ops._pool2d_forward(x, self._geometry, self.mode)
        return y

    def _backward(self, dy):
        return ops._pool2d_backward(dy, self._x_shape, self._geometry, self.mode, self._argmax)

    def get_config(self):
        padding = self.padding if isinstance(self.padding, str) else [list(p) for p in self.padding]
        return {**super().get_config(), "pool_size": list(self.pool_size),
                "strides": list(self.strides), "padding": padding}


class MaxPool2D(_Pool2D):
    """Keeps the largest value of each window; the gradient flows to that winner only."""

    mode = "max"


class AvgPool2D(_Pool2D):
    """Averages each window; the gradient is shared evenly over the window's cells."""

    mode = "average"


class GlobalAvgPool2D(Layer):
    """Averages each channel over all positions: (N, H, W, C) -> (N, C)."""

    def compute_output_shape(self, input_shape):
        _require_image_shape(self, input_shape)
        return (input_shape[2],)

    def _forward(self, x, training):
        return x.mean(axis=(1, 2), dtype=np.float32)

    def _backward(self, dy):
        height, width, channels = self.input_shape
        share = dy[:, None, None, :] / np.float32(height * width)
        return np.ascontiguousarray(
            np.broadcast_to(share, (dy.shape[0], height, width, channels)))


class Flatten(Layer):
    """Reshapes (N, ...) to (N, features), as the bridge from feature maps to Dense layers."""

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def _forward(self, x, training):
        return x.reshape(x.shape[0], -1)

    def _backward(self, dy):
        return dy.reshape(dy.shape[0], *self.input_shape)


class Dense(Layer):
    """Fully connected: y = f(x @ W + b) with W of shape (in_features, units)."""

    def __init__(self, units: int, activation: str | None = None, use_bias: bool = True,
                 kernel_initializer: str = "glorot_uniform", name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        if int(units) != units or units < 1:
            raise ValueError(f"units must be a positive integer, got {units!r}")
        self.units = int(units)
        self._activation = ops.check_activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        get_initializer(kernel_initializer)

    @property
    def activation(self) -> str:
        return self._activation

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 1:
            raise ValueError(
                f"Dense layer {self.name!r} needs flat inputs (features,), got {input_shape}: "
                "put a Flatten layer before it"
            )
        return (self.units,)

    def parameter_shapes(self, input_shape):
        shapes = {"kernel": (input_shape[0], self.units)}
        return {**shapes, "bias": (self.units,)} if self.use_bias else shapes

    def _bias(self) -> np.ndarray:
        return self.params["bias"] if self.use_bias else np.zeros(self.units, np.float32)

    def _forward(self, x, training):
        self._x = x
        fused = "linear" if self._activation == "softmax" else self._activation
        z = ops._dense_forward(x, self.params["kernel"], self._bias(), fused)
        self._z = z
        self._y = ops.softmax(z) if self._activation == "softmax" else z
        return self._y

    def logits(self) -> np.ndarray:
        if self._activation != "softmax":
            return super().logits()
        return self._z

    def backward_from_logits(self, dz):
        if self._activation != "softmax":
            return super().backward_from_logits(dz)
        return self._dense_backward(np.ascontiguousarray(dz, dtype=np.float32), "linear")

    def _backward(self, dy):
        fused = self._activation
        if fused == "softmax":
            dy, fused = ops.activation_backward(dy, self._y, "softmax"), "linear"
        return self._dense_backward(dy, fused)

    def _dense_backward(self, dy, fused: str):
        dx, self.grads["kernel"], dbias = ops._dense_backward(
            self._x, self.params["kernel"], self._y, dy, fused, self.need_input_gradient)
        if self.use_bias:
            self.grads["bias"] = dbias
        return dx

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self._activation,
                "use_bias": self.use_bias, "kernel_initializer": self.kernel_initializer}


class Dropout(Layer):
    """Inverted dropout: while training, zero a fraction `rate` of inputs and scale the rest."""

    def __init__(self, rate: float, seed: int | None = None, name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = float(rate)
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def _forward(self, x, training):
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = 1.0 - self.rate
        self._mask = (self._rng.random(x.shape, dtype=np.float32) < keep) / np.float32(keep)
        return x * self._mask

    def _backward(self, dy):
        return dy if self._mask is None else dy * self._mask

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class Activation(Layer):
    """Applies an activation on its own, as Keras' Activation("relu"); softmax over the last
    axis (a softmax at the end of a model makes its outputs probabilities)."""

    def __init__(self, activation: str, name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        self._activation = ops.check_activation(activation)

    @property
    def activation(self) -> str:
        return self._activation

    def _forward(self, x, training):
        self._x = x
        self._y = ops.activate(x, self._activation)
        return self._y

    def logits(self) -> np.ndarray:
        if self._activation != "softmax":
            return super().logits()
        return self._x

    def backward_from_logits(self, dz):
        if self._activation != "softmax":
            return super().backward_from_logits(dz)
        return np.ascontiguousarray(dz, dtype=np.float32)

    def _backward(self, dy):
        return ops.activation_backward(dy, self._y, self._activation)

    def get_config(self):
        return {**super().get_config(), "activation": self._activation}


class BatchNormalization(Layer):
    """Normalises each channel (the last axis) to zero mean and unit variance, then scales by
    gamma and shifts by beta (Ioffe & Szegedy 2015, with Keras' defaults).

    Training: the batch's own mean and (biased) variance over every axis but the last, and the
    moving statistics follow them: moving = momentum * moving + (1 - momentum) * batch.
    Inference: y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta.
    Weights in Keras order: gamma, beta, moving_mean, moving_variance (the last two are saved
    with the model but never trained).
    """

    def __init__(self, momentum: float = 0.99, epsilon: float = 1e-3, name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        if not 0.0 <= momentum < 1.0:  # also refuses NaN
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if not (np.isfinite(epsilon) and epsilon > 0):
            raise ValueError(f"epsilon must be a small positive number, got {epsilon}")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)

    @property
    def trainable_names(self) -> tuple[str, ...]:
        return ("gamma", "beta")

    def weight_problem(self, name, value):
        if name == "moving_variance" and np.any(np.asarray(value) < 0):
            return "holds negative variances"
        return None

    def parameter_shapes(self, input_shape):
        channels = (input_shape[-1],)
        return {"gamma": channels, "beta": channels, "moving_mean": channels,
                "moving_variance": channels}

    def initial_value(self, name, shape):
        if name in ("gamma", "moving_variance"):
            return np.ones(shape, np.float32)
        return np.zeros(shape, np.float32)

    def _forward(self, x, training):
        axes = tuple(range(x.ndim - 1))
        if training:
            mean = x.mean(axis=axes, dtype=np.float64)
            variance = x.var(axis=axes, dtype=np.float64)
            for name, batch_value in (("moving_mean", mean), ("moving_variance", variance)):
                moving = self.params[name]
                moving[...] = self.momentum * moving + (1.0 - self.momentum) * batch_value
        else:
            mean, variance = self.params["moving_mean"], self.params["moving_variance"]
        self._training = training
        self._inv_std = (1.0 / np.sqrt(variance + self.epsilon)).astype(np.float32)
        self._x_hat = ((x - mean.astype(np.float32)) * self._inv_std).astype(np.float32)
        return self.params["gamma"] * self._x_hat + self.params["beta"]

    def _backward(self, dy):
        axes = tuple(range(dy.ndim - 1))
        self.grads["gamma"] = np.sum(dy * self._x_hat, axis=axes, dtype=np.float32)
        self.grads["beta"] = np.sum(dy, axis=axes, dtype=np.float32)
        if not self.need_input_gradient:
            return None
        d_x_hat = dy * self.params["gamma"]
        if not self._training:  # the statistics are constants
            return d_x_hat * self._inv_std
        mean_d = d_x_hat.mean(axis=axes, dtype=np.float32)
        mean_d_x_hat = np.mean(d_x_hat * self._x_hat, axis=axes, dtype=np.float32)
        return ((d_x_hat - mean_d - self._x_hat * mean_d_x_hat) * self._inv_std).astype(
            np.float32)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "epsilon": self.epsilon}


class Rescaling(Layer):
    """y = x * scale + offset: Rescaling(1 / 255) turns 0-255 pixels into [0, 1] inside the
    model, as in Keras."""

    def __init__(self, scale: float, offset: float = 0.0, name: str | None = None,
                 input_shape: Shape | None = None):
        super().__init__(name, input_shape)
        for what, value in (("scale", scale), ("offset", offset)):
            if (isinstance(value, bool) or not isinstance(value, int | float | np.number)
                    or not np.isfinite(value)):
                raise ValueError(f"{what} must be a finite number, got {value!r}")
        self.scale = float(scale)
        self.offset = float(offset)

    def _forward(self, x, training):
        return (x * np.float32(self.scale) + np.float32(self.offset)).astype(np.float32)

    def _backward(self, dy):
        return dy * np.float32(self.scale)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class InputLayer:
    """The shape (no batch axis) a Sequential model starts from; it computes nothing and is not
    one of the model's layers (as in Keras 3)."""

    def __init__(self, shape: Shape, name: str | None = None):
        self.shape = check_shape(shape, "Input shape")
        self.name = name or "input_layer"


def Input(shape: Shape, name: str | None = None) -> InputLayer:
    """`Input(shape=(28, 28, 1))`, added first to a Sequential model, fixes its input shape."""
    return InputLayer(shape, name)


MaxPooling2D = MaxPool2D
AveragePooling2D = AvgPool2D
GlobalAveragePooling2D = GlobalAvgPool2D
LAYER_CLASSES = {cls.__name__: cls for cls in
                 (Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, Flatten, Dense, Dropout,
                  Activation, BatchNormalization, Rescaling)}

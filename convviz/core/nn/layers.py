"""Keras-like layers: Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, Flatten, Dense, Dropout.

A layer is built for an input shape (without the batch axis). `forward(x, training)` keeps
what `backward` needs; `backward(dy)` returns dL/dx and fills the gradients. Parameters and
gradients are reachable by name (`params`, `grads`) and in Keras order (`get_weights`,
`get_gradients`). A layer instance belongs to one thread at a time (it caches activations).
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

from convviz.core.nn import ops
from convviz.core.nn.geometry import WindowGeometry, as_pair, resolve_padding, window_geometry
from convviz.core.nn.initializers import get_initializer

Shape = tuple[int, ...]
_name_counters: dict[str, itertools.count] = defaultdict(itertools.count)


class Layer:
    """Base class: subclasses implement compute_output_shape, parameter_shapes, _forward and
    _backward."""

    def __init__(self, name: str | None = None):
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

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names in Keras order (kernel, then bias)."""
        return tuple(self.params)

    @property
    def built(self) -> bool:
        return self.output_shape is not None

    def build(self, input_shape: Shape, rng: np.random.Generator | None = None) -> Shape:
        """Create parameters for inputs of input_shape (no batch axis); return the output shape.

        Kernels come from the layer's initializer, every other parameter starts at zero.
        """
        self.input_shape = tuple(int(s) for s in input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        rng = rng or np.random.default_rng()
        initializer = get_initializer(getattr(self, "kernel_initializer", "zeros"))
        self.params = {
            name: initializer(shape, rng) if name == "kernel" else np.zeros(shape, np.float32)
            for name, shape in self.parameter_shapes(self.input_shape).items()
        }
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        return self.output_shape

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
            self.params[name][...] = value

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

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        return cls(**config)

    def _forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        raise NotImplementedError

    def _backward(self, dy: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError


def _require_image_shape(layer: Layer, input_shape: Shape) -> None:
    if len(input_shape) != 3:
        raise ValueError(
            f"layer {layer.name!r} needs image inputs (height, width, channels), got {input_shape}"
        )


class Conv2D(Layer):
    """2-D convolution (cross-correlation, as deep-learning libraries compute it).

    z[i,j,k] = b[k] + sum_{u,v,k'} x[i*sh + u*dh, j*sw + v*dw, k'] * w[u,v,k',k], then activation.
    """

    def __init__(self, filters: int, kernel_size, strides=1, padding="valid", dilation_rate=1,
                 activation: str | None = None, use_bias: bool = True,
                 kernel_initializer: str = "glorot_uniform", name: str | None = None):
        super().__init__(name)
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

    def _forward(self, x, training):
        self._x = x
        self._y = ops._conv2d_forward(x, self.params["kernel"], self._bias(), self._geometry,
                                      self._activation)
        return self._y

    def _backward(self, dy):
        dx, dkernel, dbias = ops._conv2d_backward(
            self._x, self.params["kernel"], self._y, dy, self._geometry, self._activation,
            self.need_input_gradient)
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

    def __init__(self, pool_size=2, strides=None, padding="valid", name: str | None = None):
        super().__init__(name)
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
                 kernel_initializer: str = "glorot_uniform", name: str | None = None):
        super().__init__(name)
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
        self._y = ops.softmax(z) if self._activation == "softmax" else z
        return self._y

    def _backward(self, dy):
        fused = self._activation
        if fused == "softmax":
            dy, fused = ops.activation_backward(dy, self._y, "softmax"), "linear"
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

    def __init__(self, rate: float, seed: int | None = None, name: str | None = None):
        super().__init__(name)
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


MaxPooling2D = MaxPool2D
AveragePooling2D = AvgPool2D
GlobalAveragePooling2D = GlobalAvgPool2D
LAYER_CLASSES = {cls.__name__: cls for cls in
                 (Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, Flatten, Dense, Dropout)}

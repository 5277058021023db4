"""Array operations over the Numba kernels: convolution, pooling, dense products, activations.

The public functions (`conv2d`, `pool2d`, `activate`, `activation_backward`, `softmax`) check
and convert their arguments. The underscore ones (`_conv2d_forward`, `_dense_backward`, ...)
are the fast paths behind them for callers that validated already: the layers, which resolve
their geometry once when the model is built, and the benchmark. They take C-contiguous float32
arrays of the right shapes and check nothing. Layers, the convolution stepper and the image
inspector all compute through this module, so what a student sees is what the network runs.

Batch-1 calls (the GUI thread) run as one chunk on the calling thread; batches are cut into
one chunk per thread (see `convviz.core.nn.parallel` for the threading policy). The kernels,
and Numba, are imported by the first call that computes (`codes.engine_kernels`).
"""

from __future__ import annotations

import numpy as np

from convviz.core.nn import codes
from convviz.core.nn.codes import engine_kernels
from convviz.core.nn.geometry import WindowGeometry, window_geometry
from convviz.core.nn.parallel import THREADS, run_chunks

ACTIVATION_CODES = {
    "linear": codes.LINEAR,
    "relu": codes.RELU,
    "tanh": codes.TANH,
    "sigmoid": codes.SIGMOID,
    "leaky_relu": codes.LEAKY_RELU,
    "elu": codes.ELU,
    "softplus": codes.SOFTPLUS,
}
ACTIVATIONS = (*ACTIVATION_CODES, "softmax")


def check_activation(name: str | None) -> str:
    """Normalise an activation name (None means linear) or explain what is accepted."""
    name = "linear" if name is None else str(name).lower()
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return name


def as_float32(x: np.ndarray, ndim: int, what: str) -> np.ndarray:
    """C-contiguous float32 view or copy of x, checking its number of axes."""
    x = np.asarray(x)
    if x.ndim != ndim:
        raise ValueError(f"{what} must have {ndim} axes, got shape {x.shape}")
    return np.ascontiguousarray(x, dtype=np.float32)


# --- activations -------------------------------------------------------------------------------

def activate(z: np.ndarray, activation: str | None) -> np.ndarray:
    """f(z) for any activation, as a new float32 array; softmax over the last axis."""
    name = check_activation(activation)
    z = np.array(z, dtype=np.float32, order="C")
    if name == "softmax":
        return softmax(z)
    if name != "linear":
        _activate_in_place(z, ACTIVATION_CODES[name])
    return z


def _activate_in_place(z: np.ndarray, code: int) -> None:
    """z = f(z) for a C-contiguous float32 array, item by item along the first axis."""
    rows = z.reshape(z.shape[0] if z.ndim > 1 else 1, -1)
    run_chunks(engine_kernels().activate_rows, _chunks(rows.shape[0]), rows, code)


def activation_backward(dy: np.ndarray, y: np.ndarray, activation: str | None) -> np.ndarray:
    """dL/dz from dL/dy and the activation's output y (every activation here allows that)."""
    name = check_activation(activation)
    if name == "linear":
        return dy
    if name == "softmax":
        return y * (dy - np.sum(dy * y, axis=-1, keepdims=True))
    dy = np.ascontiguousarray(dy, dtype=np.float32)
    dz = np.empty_like(dy)
    shape = (dy.shape[0] if dy.ndim > 1 else 1, -1)
    run_chunks(engine_kernels().activation_backward_rows, _chunks(shape[0]),
               dy.reshape(shape), np.ascontiguousarray(y, dtype=np.float32).reshape(shape),
               ACTIVATION_CODES[name], dz.reshape(shape))
    return dz


def _fused_code(activation: str) -> int:
    """The code a conv or dense kernel applies itself: the activation's if fused, else linear
    (then `_activate_in_place` follows the kernel, see codes.FUSED)."""
    code = ACTIVATION_CODES[activation]
    return code if code in codes.FUSED else codes.LINEAR


def _unfused_gradient(dy: np.ndarray, y: np.ndarray, activation: str) -> tuple[np.ndarray, int]:
    """(gradient, code) to hand a conv or dense backward kernel: dy and the fused code, or,
    for an activation the kernel does not fuse, dL/dz computed first and the linear code."""
    code = _fused_code(activation)
    if code == ACTIVATION_CODES[activation]:
        return dy, code
    return activation_backward(dy, y, activation), code


def softmax(z: np.ndarray) -> np.ndarray:
    """Numerically stable softmax over the last axis."""
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return (e / np.sum(e, axis=-1, keepdims=True)).astype(np.float32)


# --- convolution -------------------------------------------------------------------------------

def _conv_plan(geometry: WindowGeometry) -> tuple[int, ...]:
    (top, _), (left, _) = geometry.padding
    padded_h, padded_w = geometry.padded_hw
    return (top, left, padded_h, padded_w, *geometry.strides, *geometry.dilation)


def _is_dense_like(geometry: WindowGeometry) -> bool:
    """A window covering the whole unpadded input once (LeNet's C5) is a matrix product."""
    return (geometry.output_hw == (1, 1) and geometry.kernel_hw == geometry.input_hw
            and geometry.padded_hw == geometry.input_hw and geometry.dilation == (1, 1))


def conv2d_geometry(x_shape: tuple, kernel_shape: tuple, strides=1, padding="valid",
                    dilation_rate=1) -> WindowGeometry:
    """Geometry of a convolution of NHWC x by an (kh, kw, in, out) kernel, checking channels."""
    if len(kernel_shape) != 4:
        raise ValueError(
            f"the kernel must have shape (kernel_h, kernel_w, in, out), got {kernel_shape}")
    if x_shape[-1] != kernel_shape[2]:
        raise ValueError(
            f"the input has {x_shape[-1]} channels but the kernel expects {kernel_shape[2]}"
        )
    return window_geometry(tuple(x_shape[1:3]), kernel_shape[:2], strides, padding, dilation_rate)


def _chunks(batch: int) -> int:
    """Chunks of a kernel call: one per thread, at most one per item (each owns its partials)."""
    return max(1, min(batch, THREADS))


_NO_SCRATCH = np.empty(0, np.float32)


def conv_scratch(x_shape: tuple, kernel_shape: tuple, geometry: WindowGeometry) -> np.ndarray:
    """Work space for `_conv2d_forward` and `_conv2d_backward` of inputs of x_shape, to pass
    to them again and again (Conv2D keeps one per batch size while training).

    Each chunk's share holds the planar, padded copy of its images and then the dL/dz planes,
    as the kernels lay them out (see convviz.core.nn._kernels). Without it every call
    allocates those megabytes afresh. Left uninitialised: the kernels write all they read.
    """
    if _is_dense_like(geometry):
        return _NO_SCRATCH
    batch = x_shape[0]
    chunks = _chunks(batch)
    kernel_h, kernel_w, channels, out_channels = kernel_shape
    padded_h, padded_w = geometry.padded_hw
    dilation_h, dilation_w = geometry.dilation
    pitch = -(-batch // chunks) * padded_w  # the largest chunk's images side by side
    planes = channels * (padded_h * pitch + (kernel_w - 1) * dilation_w)
    reach = (kernel_h - 1) * dilation_h * pitch + (kernel_w - 1) * dilation_w
    dz_planes = 2 * ((out_channels + 1) // 2) * (reach + padded_h * pitch)
    return np.empty(chunks * (planes + dz_planes), np.float32)


def _conv2d_forward(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, geometry: WindowGeometry,
                    activation: str = "linear", scratch: np.ndarray | None = None) -> np.ndarray:
    """f(x * kernel + bias) for float32 x and kernel and a geometry already validated; no checks.

    Called by Conv2D and `conv2d`; a dense-like geometry runs as one matrix product.
    scratch: from `conv_scratch` for x's shape, or None (the kernel allocates its own).
    """
    batch = x.shape[0]
    out_channels = kernel.shape[3]
    if _is_dense_like(geometry):
        y = _dense_forward(x.reshape(batch, -1), kernel.reshape(-1, out_channels), bias, activation)
        return y.reshape(batch, 1, 1, out_channels)
    out = np.empty((batch, *geometry.output_hw, out_channels), np.float32)
    code = _fused_code(activation)
    run_chunks(engine_kernels().conv2d_forward, _chunks(batch), x, kernel, bias,
               _conv_plan(geometry), code, out, _NO_SCRATCH if scratch is None else scratch)
    if code != ACTIVATION_CODES[activation]:
        _activate_in_place(out, ACTIVATION_CODES[activation])
    return out


def _conv2d_backward(x: np.ndarray, kernel: np.ndarray, y: np.ndarray, dy: np.ndarray,
                     geometry: WindowGeometry, activation: str = "linear",
                     need_dx: bool = True, scratch: np.ndarray | None = None,
                     stacked: bool = False) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """(dx, dkernel, dbias) of _conv2d_forward, given its input x, output y and dL/dy;
    scratch as for `_conv2d_forward`. stacked: the scratch is the one the forward pass that
    made y used, untouched since, so it still holds x's padded copy (not made again)."""
    batch = x.shape[0]
    out_channels = kernel.shape[3]
    dy = np.ascontiguousarray(dy, dtype=np.float32)
    if _is_dense_like(geometry):
        dx, dkernel, dbias = _dense_backward(
            x.reshape(batch, -1), kernel.reshape(-1, out_channels), y.reshape(batch, -1),
            dy.reshape(batch, -1), activation, need_dx)
        return (None if dx is None else dx.reshape(x.shape)), dkernel.reshape(kernel.shape), dbias
    dy, code = _unfused_gradient(dy, y, activation)
    chunks = _chunks(batch)
    dkernel_parts = np.zeros((chunks, kernel.size), np.float32)
    dbias_parts = np.zeros((chunks, out_channels), np.float32)
    dx = np.empty_like(x) if need_dx else np.empty((1, 1, 1, 1), np.float32)
    run_chunks(engine_kernels().conv2d_backward, chunks, x, kernel, y, dy, _conv_plan(geometry),
               code, need_dx, dx, dkernel_parts, dbias_parts, stacked and scratch is not None,
               _NO_SCRATCH if scratch is None else scratch)
    dkernel = (dkernel_parts[0] if chunks == 1 else dkernel_parts.sum(axis=0))
    dbias = dbias_parts[0] if chunks == 1 else dbias_parts.sum(axis=0)
    return (dx if need_dx else None), dkernel.reshape(kernel.shape), dbias


def conv2d(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray | None = None, strides=1,
           padding="valid", dilation_rate=1, activation: str | None = None) -> np.ndarray:
    """Keras-style 2-D convolution (cross-correlation) of NHWC x: the notebook-friendly entry."""
    x = as_float32(x, 4, "the input (N, H, W, C)")
    kernel = as_float32(kernel, 4, "the kernel (kernel_h, kernel_w, in, out)")
    geometry = conv2d_geometry(x.shape, kernel.shape, strides, padding, dilation_rate)
    name = check_activation(activation)
    if name == "softmax":
        raise ValueError("softmax is an output activation for Dense layers, not for Conv2D")
    bias = np.zeros(kernel.shape[3], np.float32) if bias is None else as_float32(bias, 1, "bias")
    if bias.shape != (kernel.shape[3],):
        raise ValueError(f"bias must have shape ({kernel.shape[3]},), got {bias.shape}")
    return _conv2d_forward(x, kernel, bias, geometry, name)


# --- matrix products ---------------------------------------------------------------------------

def _dense_forward(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray,
                   activation: str = "linear") -> np.ndarray:
    """f(x @ kernel + bias) for float32 x (N, F) and kernel (F, U), in one kernel call; not
    softmax, no checks (Dense's fast path)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    out = np.empty((x.shape[0], kernel.shape[1]), np.float32)
    code = _fused_code(activation)
    run_chunks(engine_kernels().dense_forward, _chunks(x.shape[0]), x, kernel, bias, code, out)
    if code != ACTIVATION_CODES[activation]:
        _activate_in_place(out, ACTIVATION_CODES[activation])
    return out


def _dense_backward(x: np.ndarray, kernel: np.ndarray, y: np.ndarray, dy: np.ndarray,
                    activation: str = "linear",
                    need_dx: bool = True) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """(dx, dkernel, dbias) of _dense_forward, given its input x, output y and dL/dy."""
    batch = x.shape[0]
    dy, code = _unfused_gradient(np.ascontiguousarray(dy, dtype=np.float32), y, activation)
    dkernel = np.empty_like(kernel)
    dbias = np.empty(kernel.shape[1], np.float32)
    dx = np.empty_like(x) if need_dx else np.empty((1, 1), np.float32)
    run_chunks(engine_kernels().dense_backward, _chunks(batch), x, kernel,
               np.ascontiguousarray(y), dy, code, need_dx, dx, dkernel, dbias)
    return (dx if need_dx else None), dkernel, dbias


# --- pooling -----------------------------------------------------------------------------------

POOL_MODES = ("max", "average")


def _pool_plan(geometry: WindowGeometry) -> tuple[int, ...]:
    (top, _), (left, _) = geometry.padding
    return (top, left, *geometry.kernel_hw, *geometry.strides)


def _pool2d_forward(x: np.ndarray, geometry: WindowGeometry,
                    mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(pooled, argmax) over float32 NHWC x for a validated geometry and mode; no checks.

    argmax holds flat winner indices (max) or is a dummy (average).
    """
    batch, _, _, channels = x.shape
    out = np.empty((batch, *geometry.output_hw, channels), np.float32)
    use_max = mode == "max"
    argmax = np.empty(out.shape if use_max else (1, 1, 1, 1), np.int32)
    run_chunks(engine_kernels().pool2d_forward, _chunks(batch), x, _pool_plan(geometry),
               use_max, out, argmax)
    return out, argmax


def _pool2d_backward(dy: np.ndarray, x_shape: tuple, geometry: WindowGeometry, mode: str,
                     argmax: np.ndarray) -> np.ndarray:
    """dL/dx of _pool2d_forward."""
    dx = np.empty(x_shape, np.float32)
    dy = np.ascontiguousarray(dy, dtype=np.float32)
    run_chunks(engine_kernels().pool2d_backward, _chunks(x_shape[0]), dy, _pool_plan(geometry),
               mode == "max", argmax, dx)
    return dx


def pool2d(x: np.ndarray, pool_size=2, strides=None, padding="valid",
           mode: str = "max") -> np.ndarray:
    """Keras-style max or average pooling of NHWC x (strides default to pool_size)."""
    x = as_float32(x, 4, "the input (N, H, W, C)")
    if mode not in POOL_MODES:
        raise ValueError(f"pooling mode must be one of {POOL_MODES}, got {mode!r}")
    geometry = window_geometry(x.shape[1:3], pool_size, pool_size if strides is None else strides,
                               padding)
    return _pool2d_forward(x, geometry, mode)[0]


"""Plain-loop float64 references written from the textbook formulas (stumpy's tests/naive.py).

Deliberately slow and obvious: explicit zero borders, one loop per index of the formula, no
im2col, no planar layouts, nothing shared with convviz.core. Tests compare the engine against
these, and check these (and the engine) against finite differences.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

LEAKY_SLOPE = 0.2
ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid", "leaky_relu", "elu", "softplus")


# --- geometry ------------------------------------------------------------------------------------

def output_size(n: int, k: int, s: int, d: int, before: int, after: int) -> int:
    """floor((n + p_before + p_after - d(k-1) - 1) / s) + 1, the course formula."""
    return (n + before + after - d * (k - 1) - 1) // s + 1


def same_padding(n: int, k: int, s: int, d: int = 1) -> tuple[int, int]:
    """TensorFlow 'same': ceil(n/s) outputs, the odd pixel of padding after (bottom/right)."""
    out = math.ceil(n / s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def explicit_padding(padding, input_hw, kernel_hw, strides=(1, 1), dilation=(1, 1)):
    """Any Keras-style padding spec as ((top, bottom), (left, right))."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        return tuple(same_padding(input_hw[a], kernel_hw[a], strides[a], dilation[a])
                     for a in range(2))
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    first, second = padding
    if isinstance(first, int):
        return (first, first), (second, second)
    return tuple(first), tuple(second)


def zero_pad(x: np.ndarray, pads) -> np.ndarray:
    """NHWC x in float64 with a zero border ((top, bottom), (left, right))."""
    (top, bottom), (left, right) = pads
    n, h, w, c = x.shape
    out = np.zeros((n, h + top + bottom, w + left + right, c))
    out[:, top:top + h, left:left + w, :] = x
    return out


# --- activations ---------------------------------------------------------------------------------

def activate(z: np.ndarray, name: str) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    if name == "linear":
        return z.copy()
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAKY_SLOPE * z)
    if name == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))
    if name == "softplus":
        return np.logaddexp(0.0, z)  # log(1 + e^z)
    raise ValueError(name)


def activation_derivative(z: np.ndarray, name: str) -> np.ndarray:
    """f'(z), written in terms of the pre-activation z (the engine uses the output y)."""
    z = np.asarray(z, dtype=np.float64)
    if name == "linear":
        return np.ones_like(z)
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "tanh":
        return 1.0 / np.cosh(np.clip(z, -300, 300)) ** 2
    if name in ("sigmoid", "softplus"):  # softplus' = sigmoid
        s = activate(z, "sigmoid")
        return s * (1.0 - s) if name == "sigmoid" else s
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    if name == "elu":
        return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))
    raise ValueError(name)


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """mean_n( log sum_k e^{z_nk} - z_n,label ), float64."""
    logits = np.asarray(logits, dtype=np.float64)
    total = 0.0
    for n in range(logits.shape[0]):
        row = logits[n]
        top = row.max()
        total += top + math.log(sum(math.exp(v - top) for v in row)) - row[labels[n]]
    return total / logits.shape[0]


# --- convolution ---------------------------------------------------------------------------------

def conv2d_pre_activation(x, kernel, bias, strides=(1, 1), pads=((0, 0), (0, 0)),
                          dilation=(1, 1)) -> np.ndarray:
    """z[n,i,j,k] = b[k] + sum_u sum_v sum_k' xpad[n, i*sh + u*dh, j*sw + v*dw, k'] w[u,v,k',k]."""
    xp = zero_pad(x, pads)
    kernel = np.asarray(kernel, dtype=np.float64)
    kh, kw, _, out_channels = kernel.shape
    (sh, sw), (dh, dw) = strides, dilation
    oh = output_size(x.shape[1], kh, sh, dh, *pads[0])
    ow = output_size(x.shape[2], kw, sw, dw, *pads[1])
    z = np.zeros((x.shape[0], oh, ow, out_channels))
    z += np.asarray(bias, dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            for u in range(kh):
                for v in range(kw):
                    # the sum over k' (input channels) for every image and output channel
                    z[:, i, j, :] += xp[:, i * sh + u * dh, j * sw + v * dw, :] @ kernel[u, v]
    return z


def conv2d(x, kernel, bias, strides=(1, 1), pads=((0, 0), (0, 0)), dilation=(1, 1),
           activation="linear") -> np.ndarray:
    return activate(conv2d_pre_activation(x, kernel, bias, strides, pads, dilation), activation)


def conv2d_backward(x, kernel, bias, dy, strides=(1, 1), pads=((0, 0), (0, 0)),
                    dilation=(1, 1), activation="linear"):
    """(dx, dkernel, dbias) of conv2d for upstream gradient dy, by the chain rule per tap."""
    z = conv2d_pre_activation(x, kernel, bias, strides, pads, dilation)
    dz = np.asarray(dy, dtype=np.float64) * activation_derivative(z, activation)
    xp = zero_pad(x, pads)
    kernel = np.asarray(kernel, dtype=np.float64)
    kh, kw, _, _ = kernel.shape
    (sh, sw), (dh, dw) = strides, dilation
    dxp = np.zeros_like(xp)
    dkernel = np.zeros_like(kernel)
    for i in range(dz.shape[1]):
        for j in range(dz.shape[2]):
            for u in range(kh):
                for v in range(kw):
                    r, c = i * sh + u * dh, j * sw + v * dw
                    dkernel[u, v] += xp[:, r, c, :].T @ dz[:, i, j, :]
                    dxp[:, r, c, :] += dz[:, i, j, :] @ kernel[u, v].T
    (top, _), (left, _) = pads
    dx = dxp[:, top:top + x.shape[1], left:left + x.shape[2], :]
    return dx, dkernel, dz.sum(axis=(0, 1, 2))


# --- pooling -------------------------------------------------------------------------------------

def _pool_window(x, n, i, j, c, pool, strides, pads):
    """The real (non-padding) cells of one pooling window as [(value, row, col)], row-major."""
    cells = []
    for u in range(pool[0]):
        r = i * strides[0] + u - pads[0][0]
        for v in range(pool[1]):
            col = j * strides[1] + v - pads[1][0]
            if 0 <= r < x.shape[1] and 0 <= col < x.shape[2]:
                cells.append((float(x[n, r, col, c]), r, col))
    return cells


def pool2d(x, pool, strides, pads, mode):
    """TensorFlow pooling: padding cells are ignored (never the max, not in the average)."""
    n_, h, w, ch = x.shape
    oh = output_size(h, pool[0], strides[0], 1, *pads[0])
    ow = output_size(w, pool[1], strides[1], 1, *pads[1])
    y = np.zeros((n_, oh, ow, ch))
    for n in range(n_):
        for i in range(oh):
            for j in range(ow):
                for c in range(ch):
                    values = [v for v, _, _ in _pool_window(x, n, i, j, c, pool, strides, pads)]
                    if values:
                        y[n, i, j, c] = max(values) if mode == "max" else sum(values) / len(values)
    return y


def pool2d_backward(x, dy, pool, strides, pads, mode):
    """dx: to the first maximum in row-major order, or shared over the real cells."""
    dx = np.zeros(x.shape)
    for n in range(dy.shape[0]):
        for i in range(dy.shape[1]):
            for j in range(dy.shape[2]):
                for c in range(dy.shape[3]):
                    cells = _pool_window(x, n, i, j, c, pool, strides, pads)
                    if not cells:
                        continue
                    g = float(dy[n, i, j, c])
                    if mode == "max":
                        best = max(v for v, _, _ in cells)
                        _, r, col = next(cell for cell in cells if cell[0] == best)
                        dx[n, r, col, c] += g
                    else:
                        for _, r, col in cells:
                            dx[n, r, col, c] += g / len(cells)
    return dx


# --- dense and friends ---------------------------------------------------------------------------

def dense(x, kernel, bias, activation="linear"):
    """y[n, k] = f(b[k] + sum_i x[n, i] W[i, k]); 'softmax' over k."""
    x, kernel = np.asarray(x, np.float64), np.asarray(kernel, np.float64)
    z = np.zeros((x.shape[0], kernel.shape[1])) + np.asarray(bias, np.float64)
    for n in range(x.shape[0]):
        for k in range(kernel.shape[1]):
            z[n, k] += sum(x[n, i] * kernel[i, k] for i in range(x.shape[1]))
    return softmax(z) if activation == "softmax" else activate(z, activation)


def global_avg_pool(x):
    x = np.asarray(x, np.float64)
    n_, h, w, ch = x.shape
    y = np.zeros((n_, ch))
    for n in range(n_):
        for c in range(ch):
            y[n, c] = sum(x[n, r, col, c] for r in range(h) for col in range(w)) / (h * w)
    return y


# --- batch normalisation -------------------------------------------------------------------------

def channel_moments(x):
    """Mean and biased variance of each channel (last axis) over every other axis, by loops."""
    x = np.asarray(x, np.float64)
    values = x.reshape(-1, x.shape[-1])
    count = values.shape[0]
    means = np.array([sum(values[i, c] for i in range(count)) / count
                      for c in range(values.shape[1])])
    variances = np.array([sum((values[i, c] - means[c]) ** 2 for i in range(count)) / count
                          for c in range(values.shape[1])])
    return means, variances


def batch_norm(x, gamma, beta, mean, variance, epsilon):
    """y = gamma * (x - mean) / sqrt(variance + epsilon) + beta, channel by channel."""
    x = np.asarray(x, np.float64)
    flat = x.reshape(-1, x.shape[-1])
    y = np.zeros_like(flat)
    for i in range(flat.shape[0]):
        for c in range(flat.shape[1]):
            y[i, c] = gamma[c] * (flat[i, c] - mean[c]) / np.sqrt(variance[c] + epsilon) + beta[c]
    return y.reshape(x.shape)


# --- finite differences --------------------------------------------------------------------------

def numerical_gradient(loss: Callable[[], float], array: np.ndarray, indices,
                       eps: float = 1e-6) -> np.ndarray:
    """Central differences (L(a + eps) - L(a - eps)) / 2eps at flat `indices` of a float64 array
    that `loss` reads; the array is restored afterwards."""
    flat = array.reshape(-1)
    grads = []
    for index in indices:
        saved = flat[index]
        flat[index] = saved + eps
        plus = loss()
        flat[index] = saved - eps
        minus = loss()
        flat[index] = saved
        grads.append((plus - minus) / (2 * eps))
    return np.array(grads)

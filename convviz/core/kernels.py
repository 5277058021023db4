"""Private Numba kernels of the CNN engine. Callers go through `convviz.core.ops`.

Each kernel takes C-contiguous float32 arrays and a few int scalars and writes into outputs
that the caller allocated. Every kernel exists twice, compiled from one source: a parallel
version (prange over independent work: images, or chunks of images with per-thread partial
sums) for training batches, and a serial version for batch-1 inference on the GUI thread,
where starting threads costs more than it gains.

Convolution works per image on a *planar, padded, flattened* copy of the input
(``xp[ci, y * Wp + x]``) and accumulates a *wide* output (``acc[co, oy * Wp + ox]``, row
pitch Wp): with unit strides every kernel tap (u, v) is then one contiguous, zero-based
axpy ``acc[co, p] += w * xp[ci, p + offset(u, v)]`` over all output positions at once,
which LLVM vectorises with AVX2 FMA. The few wasted columns (ox >= OW) are masked.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numba import njit, prange

# Fast-math in one place: reassociation lets LLVM vectorise float reductions (dot products).
# No 'nnan'/'ninf': a diverging run must still produce NaN/inf so training can detect it.
FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}
_JIT_OPTIONS = {"nogil": True, "cache": True, "fastmath": FASTMATH}

LINEAR, RELU, TANH, SIGMOID, LEAKY_RELU, ELU, SOFTPLUS = range(7)
LEAKY_SLOPE = np.float32(0.2)  # Keras 3 default negative_slope


class KernelPair(NamedTuple):
    """One kernel source compiled twice: threaded for batches, serial for single images."""

    parallel: Callable
    serial: Callable

    def for_batch(self, batch: int) -> Callable:
        """The serial version for one image (no thread start-up per stroke), else parallel."""
        return self.serial if batch < 2 else self.parallel


def _compile_pair(function) -> KernelPair:
    """Compile a prange kernel source both ways. Distinct qualnames keep their caches apart."""
    serial_source = types.FunctionType(
        function.__code__, function.__globals__, function.__name__ + "_serial",
        function.__defaults__, function.__closure__,
    )
    serial_source.__qualname__ = function.__qualname__ + "_serial"
    return KernelPair(
        njit(parallel=True, **_JIT_OPTIONS)(function),
        njit(parallel=False, **_JIT_OPTIONS)(serial_source),
    )


@njit(inline="always", **_JIT_OPTIONS)
def _activate_value(z, code):
    if code == RELU:
        return max(z, np.float32(0.0))
    if code == TANH:  # 1 - 2 / (exp(2z) + 1): ~6x faster than the libm tanh call, error ~3e-7
        return np.float32(1.0) - np.float32(2.0) / (math.exp(np.float32(2.0) * z) + np.float32(1.0))
    if code == SIGMOID:
        return np.float32(1.0) / (np.float32(1.0) + math.exp(-z))
    if code == LEAKY_RELU:
        return z if z > 0 else LEAKY_SLOPE * z
    if code == ELU:
        return z if z > 0 else math.expm1(z)
    if code == SOFTPLUS:
        return max(z, np.float32(0.0)) + math.log1p(math.exp(-abs(z)))
    return z


@njit(inline="always", **_JIT_OPTIONS)
def _activation_slope(y, code):
    """Derivative of the activation, written in terms of its output y (all ours allow it)."""
    if code == RELU:
        return np.float32(1.0) if y > 0 else np.float32(0.0)
    if code == TANH:
        return np.float32(1.0) - y * y
    if code == SIGMOID:
        return y * (np.float32(1.0) - y)
    if code == LEAKY_RELU:
        return np.float32(1.0) if y > 0 else LEAKY_SLOPE
    if code == ELU:
        return np.float32(1.0) if y > 0 else y + np.float32(1.0)
    if code == SOFTPLUS:
        return -math.expm1(-y)
    return np.float32(1.0)


def _activate_rows(z, code):
    """In place: z[i, :] = f(z[i, :]) for a 2-D array (rows = images or output positions)."""
    for i in prange(z.shape[0]):
        row = z[i]
        for j in range(row.shape[0]):
            row[j] = _activate_value(row[j], code)


def _activation_backward_rows(dy, y, code, dz):
    """dz = dy * f'(z), with f' computed from the activation output y; 2-D arrays."""
    for i in prange(dy.shape[0]):
        for j in range(dy.shape[1]):
            dz[i, j] = dy[i, j] * _activation_slope(y[i, j], code)


def _conv2d_forward(x, kernel, bias, geometry, code, out):
    """out[n, oy, ox, co] = f(b[co] + sum_{u,v,ci} xpad[n, oy*sh + u*dh, ox*sw + v*dw, ci] w[u,v,ci,co]).

    geometry = (top, left, padded_h, padded_w, stride_h, stride_w, dilation_h, dilation_w).
    """
    batch, height, width, in_channels = x.shape
    kernel_h, kernel_w, _, out_channels = kernel.shape
    top, left, padded_h, padded_w, stride_h, stride_w, dilation_h, dilation_w = geometry
    out_h, out_w = out.shape[1], out.shape[2]
    wide = (out_h - 1) * padded_w + out_w
    for n in prange(batch):
        xp = np.zeros((in_channels, padded_h * padded_w), np.float32)
        for y in range(height):
            for xx in range(width):
                for ci in range(in_channels):
                    xp[ci, (y + top) * padded_w + xx + left] = x[n, y, xx, ci]
        acc = np.zeros((out_channels, wide), np.float32)
        for co in range(out_channels):
            acc_row = acc[co]
            for ci in range(in_channels):
                plane = xp[ci]
                for u in range(kernel_h):
                    for v in range(kernel_w):
                        weight = kernel[u, v, ci, co]
                        offset = u * dilation_h * padded_w + v * dilation_w
                        if stride_h == 1 and stride_w == 1:
                            source = plane[offset:offset + wide]
                            for p in range(wide):
                                acc_row[p] += weight * source[p]
                        else:
                            for oy in range(out_h):
                                base = oy * stride_h * padded_w + offset
                                for ox in range(out_w):
                                    acc_row[oy * padded_w + ox] += weight * plane[base + ox * stride_w]
        for oy in range(out_h):
            for ox in range(out_w):
                for co in range(out_channels):
                    out[n, oy, ox, co] = _activate_value(acc[co, oy * padded_w + ox] + bias[co], code)


def _conv2d_backward(x, kernel, y, dy, geometry, code, chunks, want_dx, dx, dkernel_parts, dbias_parts):
    """Gradients of _conv2d_forward: dx (if want_dx) and per-chunk partial dkernel and dbias.

    Chunk c handles a contiguous block of images and owns dkernel_parts[c], dbias_parts[c]:
    no two threads write the same memory; the caller sums the parts.
    """
    batch, height, width, in_channels = x.shape
    kernel_h, kernel_w, _, out_channels = kernel.shape
    top, left, padded_h, padded_w, stride_h, stride_w, dilation_h, dilation_w = geometry
    out_h, out_w = dy.shape[1], dy.shape[2]
    wide = (out_h - 1) * padded_w + out_w
    unit_stride = stride_h == 1 and stride_w == 1
    for c in prange(chunks):
        xp = np.zeros((in_channels, padded_h * padded_w), np.float32)
        dxp = np.zeros((in_channels, padded_h * padded_w), np.float32)
        dz = np.zeros((out_channels, wide), np.float32)
        dkernel = dkernel_parts[c]
        dbias = dbias_parts[c]
        for n in range(c * batch // chunks, (c + 1) * batch // chunks):
            for y_ in range(height):
                for xx in range(width):
                    for ci in range(in_channels):
                        xp[ci, (y_ + top) * padded_w + xx + left] = x[n, y_, xx, ci]
            for oy in range(out_h):
                for ox in range(out_w):
                    for co in range(out_channels):
                        g = dy[n, oy, ox, co] * _activation_slope(y[n, oy, ox, co], code)
                        dz[co, oy * padded_w + ox] = g
                        dbias[co] += g
            if want_dx:
                dxp[:] = 0.0
            for co in range(out_channels):
                grad_row = dz[co]
                for ci in range(in_channels):
                    plane = xp[ci]
                    dplane = dxp[ci]
                    for u in range(kernel_h):
                        for v in range(kernel_w):
                            offset = u * dilation_h * padded_w + v * dilation_w
                            weight = kernel[u, v, ci, co]
                            total = np.float32(0.0)
                            if unit_stride:
                                source = plane[offset:offset + wide]
                                for p in range(wide):
                                    total += grad_row[p] * source[p]
                                if want_dx:
                                    target = dplane[offset:offset + wide]
                                    for p in range(wide):
                                        target[p] += weight * grad_row[p]
                            else:
                                for oy in range(out_h):
                                    base = oy * stride_h * padded_w + offset
                                    for ox in range(out_w):
                                        g = grad_row[oy * padded_w + ox]
                                        total += g * plane[base + ox * stride_w]
                                        if want_dx:
                                            dplane[base + ox * stride_w] += weight * g
                            dkernel[u, v, ci, co] += total
            if want_dx:
                for y_ in range(height):
                    for xx in range(width):
                        for ci in range(in_channels):
                            dx[n, y_, xx, ci] = dxp[ci, (y_ + top) * padded_w + xx + left]


def _pool2d_forward(x, geometry, use_max, out, argmax):
    """Max or average pooling over windows; padding cells are ignored (TensorFlow semantics).

    geometry = (top, left, pool_h, pool_w, stride_h, stride_w). For max, argmax[n, oy, ox, c]
    receives the flat input index y * W + x of the winner (-1 if the window is all padding).
    """
    batch, height, width, channels = x.shape
    top, left, pool_h, pool_w, stride_h, stride_w = geometry
    out_h, out_w = out.shape[1], out.shape[2]
    for n in prange(batch):
        for oy in range(out_h):
            y0 = oy * stride_h - top
            for ox in range(out_w):
                x0 = ox * stride_w - left
                for c in range(channels):
                    best = -np.inf
                    best_index = -1
                    total = np.float32(0.0)
                    count = 0
                    for u in range(pool_h):
                        yy = y0 + u
                        if yy < 0 or yy >= height:
                            continue
                        for v in range(pool_w):
                            xx = x0 + v
                            if xx < 0 or xx >= width:
                                continue
                            value = x[n, yy, xx, c]
                            count += 1
                            total += value
                            if value > best or best_index < 0:
                                best = value
                                best_index = yy * width + xx
                    if use_max:
                        out[n, oy, ox, c] = best if best_index >= 0 else np.float32(0.0)
                        argmax[n, oy, ox, c] = best_index
                    else:
                        out[n, oy, ox, c] = total / count if count > 0 else np.float32(0.0)


def _pool2d_backward(dy, geometry, use_max, argmax, dx):
    """Route dy back: to the winner (max) or spread evenly over the real cells (average)."""
    batch, height, width, channels = dx.shape
    top, left, pool_h, pool_w, stride_h, stride_w = geometry
    out_h, out_w = dy.shape[1], dy.shape[2]
    for n in prange(batch):
        dx[n] = 0.0
        for oy in range(out_h):
            y0 = oy * stride_h - top
            y_lo, y_hi = max(y0, 0), min(y0 + pool_h, height)
            for ox in range(out_w):
                x0 = ox * stride_w - left
                x_lo, x_hi = max(x0, 0), min(x0 + pool_w, width)
                for c in range(channels):
                    g = dy[n, oy, ox, c]
                    if use_max:
                        index = argmax[n, oy, ox, c]
                        if index >= 0:
                            dx[n, index // width, index % width, c] += g
                    else:
                        count = (y_hi - y_lo) * (x_hi - x_lo)
                        if count > 0:
                            share = g / count
                            for yy in range(y_lo, y_hi):
                                for xx in range(x_lo, x_hi):
                                    dx[n, yy, xx, c] += share


activate_rows = _compile_pair(_activate_rows)
activation_backward_rows = _compile_pair(_activation_backward_rows)
conv2d_forward = _compile_pair(_conv2d_forward)
conv2d_backward = _compile_pair(_conv2d_backward)
pool2d_forward = _compile_pair(_pool2d_forward)
pool2d_backward = _compile_pair(_pool2d_backward)

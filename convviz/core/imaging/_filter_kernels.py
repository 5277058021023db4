"""Private Numba kernels behind ``convviz.core.imaging.filtering`` (call that module, not these).

The kernels take C-contiguous float32 arrays and trust their arguments. A call computes one
chunk of whole output rows (see `convviz.core.nn.parallel`). Padding is never materialised: rows
outside the image are mapped (or skipped for zero padding) when a row's tap list is built, and
only the few border columns whose window leaves the image take the slow per-pixel path.
Interior columns run a contiguous, zero-based inner loop over 8 or 4 taps at a time, which
LLVM vectorises (AVX2 or AVX-512, as the CPU has).
No fastmath: allowing FMA contraction measured no faster on 3x3 or 7x7 here.
The helpers are inlined: called as separate functions, Numba compiled each twice or four
times (once for literal zeros in the arguments, once without), ~2.5 s of a cold start.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from convviz.core.imaging.filtering import REFLECT, REPLICATE


@njit(nogil=True, cache=True, inline="always")
def _source_index(position, size, mode):
    """Index read for ``position`` on an axis of ``size``; -1 means a zero from padding.

    REFLECT mirrors without repeating the edge (numpy.pad 'reflect'), REPLICATE repeats the
    edge pixel (numpy.pad 'edge').
    """
    if 0 <= position < size:
        return position
    if mode == REPLICATE:
        return 0 if position < 0 else size - 1
    if mode == REFLECT:
        if size == 1:
            return 0
        period = 2 * (size - 1)
        position = abs(position) % period
        return position if position < size else period - position
    return -1


@njit(nogil=True, cache=True, inline="always")
def _border_cells(flat, width, taps, col_start, col_stop, window, mode, out_row):
    """Per-pixel path for output columns [col_start, col_stop) of one row, padding mapped."""
    weights, row_starts, col_offsets, count = taps
    stride_w, pad_left = window[1], window[5]
    for j in range(col_start, col_stop):
        total = np.float32(0.0)
        for t in range(count):
            col = _source_index(j * stride_w + col_offsets[t] - pad_left, width, mode)
            if col >= 0:
                total += weights[t] * flat[row_starts[t] + col]
        out_row[j] = total


@njit(nogil=True, cache=True, inline="always")
def _interior_cells(flat, taps, col_start, col_stop, pad_left, out_row):
    """Stride-1 columns whose whole window lies inside the image: contiguous, vectorised."""
    weights, row_starts, col_offsets, count = taps
    n = col_stop - col_start
    dst = out_row[col_start:col_stop]
    for jj in range(n):
        dst[jj] = 0.0
    base = col_start - pad_left
    t = 0
    while t + 8 <= count:
        w0, w1, w2, w3 = weights[t], weights[t + 1], weights[t + 2], weights[t + 3]
        w4, w5, w6, w7 = weights[t + 4], weights[t + 5], weights[t + 6], weights[t + 7]
        s0 = flat[row_starts[t] + col_offsets[t] + base:]
        s1 = flat[row_starts[t + 1] + col_offsets[t + 1] + base:]
        s2 = flat[row_starts[t + 2] + col_offsets[t + 2] + base:]
        s3 = flat[row_starts[t + 3] + col_offsets[t + 3] + base:]
        s4 = flat[row_starts[t + 4] + col_offsets[t + 4] + base:]
        s5 = flat[row_starts[t + 5] + col_offsets[t + 5] + base:]
        s6 = flat[row_starts[t + 6] + col_offsets[t + 6] + base:]
        s7 = flat[row_starts[t + 7] + col_offsets[t + 7] + base:]
        for jj in range(n):
            dst[jj] += ((w0 * s0[jj] + w1 * s1[jj]) + (w2 * s2[jj] + w3 * s3[jj])) + (
                (w4 * s4[jj] + w5 * s5[jj]) + (w6 * s6[jj] + w7 * s7[jj]))
        t += 8
    if t + 4 <= count:
        w0, w1, w2, w3 = weights[t], weights[t + 1], weights[t + 2], weights[t + 3]
        s0 = flat[row_starts[t] + col_offsets[t] + base:]
        s1 = flat[row_starts[t + 1] + col_offsets[t + 1] + base:]
        s2 = flat[row_starts[t + 2] + col_offsets[t + 2] + base:]
        s3 = flat[row_starts[t + 3] + col_offsets[t + 3] + base:]
        for jj in range(n):
            dst[jj] += (w0 * s0[jj] + w1 * s1[jj]) + (w2 * s2[jj] + w3 * s3[jj])
        t += 4
    while t < count:
        w0 = weights[t]
        s0 = flat[row_starts[t] + col_offsets[t] + base:]
        for jj in range(n):
            dst[jj] += w0 * s0[jj]
        t += 1


@njit(nogil=True, cache=True)
def correlate2d(image, kernel, out, window, mode, chunk, chunks):
    """Single-channel cross-correlation into rows of ``out`` (OH, OW): chunk c of chunks.

    window = (stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left), as resolved by
    ``window_geometry``; mode is ZERO, REFLECT or REPLICATE.
    """
    height, width = image.shape
    kernel_h, kernel_w = kernel.shape
    out_h, out_w = out.shape
    stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left = window
    flat = image.ravel()
    span_w = dilation_w * (kernel_w - 1) + 1
    # Output columns whose window stays inside the image: the rest meet padding.
    interior_start = min(-(-pad_left // stride_w), out_w)
    interior_stop = max(min((width - span_w + pad_left) // stride_w + 1, out_w), interior_start)
    if stride_w != 1:
        interior_start = interior_stop = out_w
    for i in range(chunk * out_h // chunks, (chunk + 1) * out_h // chunks):
        weights = np.empty(kernel_h * kernel_w, np.float32)
        row_starts = np.empty(kernel_h * kernel_w, np.int64)
        col_offsets = np.empty(kernel_h * kernel_w, np.int64)
        count = 0
        for u in range(kernel_h):
            row = _source_index(i * stride_h + u * dilation_h - pad_top, height, mode)
            if row < 0:
                continue
            for v in range(kernel_w):
                weights[count] = kernel[u, v]
                row_starts[count] = row * width
                col_offsets[count] = v * dilation_w
                count += 1
        taps = (weights, row_starts, col_offsets, count)
        out_row = out[i]
        _border_cells(flat, width, taps, 0, interior_start, window, mode, out_row)
        _interior_cells(flat, taps, interior_start, interior_stop, pad_left, out_row)
        _border_cells(flat, width, taps, interior_stop, out_w, window, mode, out_row)
    return out


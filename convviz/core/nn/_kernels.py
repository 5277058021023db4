"""Private Numba kernels of the CNN engine. Callers go through `convviz.core.nn.ops`.

Each kernel takes C-contiguous float32 arrays and a few int scalars and writes into outputs
that the caller allocated. Each one does one *chunk* of the work (its last two arguments:
chunk c of chunks, usually a share of the images) with its own scratch and partial sums,
so `parallel.run_chunks` can run the chunks of a batch on several threads at once; a single
image is one chunk on the calling thread.

Convolution works per chunk of images on a *planar, padded, side-by-side* copy of the input:
``xp[ci * plane + y * pitch + i * Wp + x]`` holds channel ci of padded image i, the images'
rows next to each other (pitch = images * Wp). An output position is indexed the same way,
so with unit strides every kernel tap (u, v, ci) is one constant offset and the convolution
is a sum of shifted rows, ``acc[p] += w * xp[p + offset]``: long, contiguous, zero-based
loops over the same row of many images at once, which LLVM turns into AVX2 FMA. Positions
that are not real outputs (the kw - 1 columns at each image's right edge, the skipped
columns of a strided convolution) are computed and dropped; in the backward pass their
gradient is zero. Four taps share one pass over the accumulator (`_madd4`), so each
accumulator load and store serves four FMAs; channels go two at a time (`_madd_pair`,
`_dot2x4`: output channels in the forward pass and the weight gradient, input channels in
the input gradient), so each source row load serves both; and the positions are cut into
tiles whose source rows fit in the L2 cache (`_tiling`, `FOOTPRINT`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from convviz.core.nn.codes import ELU, FUSED, LEAKY_RELU, RELU, SIGMOID, SOFTPLUS, TANH

# Fast-math in one place: reassociation lets LLVM vectorise float reductions (dot products).
# No 'nnan'/'ninf': a diverging run must still produce NaN/inf so training can detect it.
FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}
_JIT_OPTIONS = {"nogil": True, "cache": True, "fastmath": FASTMATH, "error_model": "numpy"}

LEAKY_SLOPE = np.float32(0.2)  # Keras 3 default negative_slope
FOOTPRINT = 32768  # float32 values (128 KiB) of source rows a tile may read: 1/4 of a 512 KiB L2


@njit(inline="always", **_JIT_OPTIONS)
def _chunk(c, chunks, batch):
    """First item and item count of chunk c when batch items are split into chunks."""
    first = c * batch // chunks
    return first, (c + 1) * batch // chunks - first


# --- activations -------------------------------------------------------------------------------

@njit(inline="always", **_JIT_OPTIONS)
def _tanh(z):
    """tanh as a clamped 13/6 rational function (Eigen's float tanh): pure arithmetic, so loops
    over it vectorise (libm's tanh is a scalar call); error < 4e-7, NaN stays NaN."""
    x = max(min(z, np.float32(7.9053111)), np.float32(-7.9053111))
    x2 = x * x
    p = x2 * np.float32(-2.76076847742355e-16) + np.float32(2.00018790482477e-13)
    p = x2 * p + np.float32(-8.60467152213735e-11)
    p = x2 * p + np.float32(5.12229709037114e-08)
    p = x2 * p + np.float32(1.48572235717979e-05)
    p = x2 * p + np.float32(6.37261928875436e-04)
    p = x2 * p + np.float32(4.89352455891786e-03)
    q = x2 * np.float32(1.19825839466702e-06) + np.float32(1.18534705686654e-04)
    q = x2 * q + np.float32(2.26843463243900e-03)
    q = x2 * q + np.float32(4.89352518554385e-03)
    return x * p / q


@njit(inline="always", **_JIT_OPTIONS)
def _activate_value(z, code):
    if code == RELU:
        return max(z, np.float32(0.0))
    if code == TANH:
        return _tanh(z)
    if code == SIGMOID:  # 1 / (1 + e^-z) without overflow, and vectorisable
        return np.float32(0.5) + np.float32(0.5) * _tanh(np.float32(0.5) * z)
    if code == LEAKY_RELU:
        return z if z > 0 else LEAKY_SLOPE * z
    if code == ELU:
        return z if z > 0 else math.expm1(z)
    if code == SOFTPLUS:
        return max(z, np.float32(0.0)) + math.log1p(math.exp(-abs(z)))
    return z


@njit(inline="always", **_JIT_OPTIONS)
def _slope_value(y, code):
    """Derivative of any activation, written in terms of its output y (all ours allow it)."""
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


@njit(inline="always", **_JIT_OPTIONS)
def _bias_activate(a, start, length, bias, code):
    """In place: a[start:start+length] = f(a + bias) for a fused activation (codes.FUSED;
    any other code counts as linear), one branch per loop so each vectorises."""
    row = a[start:start + length]
    if code == RELU:
        for p in range(length):
            row[p] = max(row[p] + bias, np.float32(0.0))
    elif code == TANH:
        for p in range(length):
            row[p] = _tanh(row[p] + bias)
    else:
        for p in range(length):
            row[p] += bias


@njit(inline="always", **_JIT_OPTIONS)
def _slopes(grads, outputs, code, target):
    """target = grads * f'(z) over whole rows for a fused activation (codes.FUSED; any other
    code counts as linear), f' from the outputs: one branch per loop (not per element) so each
    vectorises; a NaN gradient stays NaN (multiplied, never selected)."""
    if code == RELU:
        for p in range(target.shape[0]):
            target[p] = grads[p] * (np.float32(1.0) if outputs[p] > 0 else np.float32(0.0))
    elif code == TANH:
        for p in range(target.shape[0]):
            target[p] = grads[p] * (np.float32(1.0) - outputs[p] * outputs[p])
    else:
        for p in range(target.shape[0]):
            target[p] = grads[p]


@njit(**_JIT_OPTIONS)
def activate_rows(z, code, chunk, chunks):
    """In place: z[i, :] = f(z[i, :]) for a 2-D array (rows = images or output positions)."""
    first, count = _chunk(chunk, chunks, z.shape[0])
    for i in range(first, first + count):
        if code in FUSED:
            _bias_activate(z[i], 0, z.shape[1], np.float32(0.0), code)
        else:
            row = z[i]
            for j in range(z.shape[1]):
                row[j] = _activate_value(row[j], code)


@njit(**_JIT_OPTIONS)
def activation_backward_rows(dy, y, code, dz, chunk, chunks):
    """dz = dy * f'(z), with f' computed from the activation output y; 2-D arrays."""
    first, count = _chunk(chunk, chunks, dy.shape[0])
    for i in range(first, first + count):
        if code in FUSED:
            _slopes(dy[i], y[i], code, dz[i])
        else:
            for j in range(dy.shape[1]):
                dz[i, j] = dy[i, j] * _slope_value(y[i, j], code)


# --- shifted-row arithmetic: the inner loops of convolution and matrix products ----------------

@njit(inline="always", **_JIT_OPTIONS)
def _madd_pair(dst, da, db, src, base, offsets, wa, wb, length):
    """_madd_terms into two accumulators at once (dst[da:], dst[db:]; weights wa and wb):
    each source row load serves both, four taps per pass (eight FMAs per four loads)."""
    count = offsets.shape[0]
    out_a, out_b = dst[da:da + length], dst[db:db + length]
    t = 0
    while t + 4 <= count:
        s0 = src[base + offsets[t]:base + offsets[t] + length]
        s1 = src[base + offsets[t + 1]:base + offsets[t + 1] + length]
        s2 = src[base + offsets[t + 2]:base + offsets[t + 2] + length]
        s3 = src[base + offsets[t + 3]:base + offsets[t + 3] + length]
        a0, a1, a2, a3 = wa[t], wa[t + 1], wa[t + 2], wa[t + 3]
        b0, b1, b2, b3 = wb[t], wb[t + 1], wb[t + 2], wb[t + 3]
        for p in range(length):
            v0, v1, v2, v3 = s0[p], s1[p], s2[p], s3[p]
            out_a[p] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3
            out_b[p] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3
        t += 4
    while t < count:
        source, a, b = src[base + offsets[t]:], wa[t], wb[t]
        for p in range(length):
            out_a[p] += a * source[p]
            out_b[p] += b * source[p]
        t += 1


@njit(inline="always", **_JIT_OPTIONS)
def _dot2x4(a, ao, bo, src, o0, o1, o2, o3, length):
    """_dot4 for two rows of a at once (ao, bo): each source row load serves both, so eight
    FMAs take six loads instead of four taking five (the weight gradient of wide layers)."""
    ra, rb = a[ao:ao + length], a[bo:bo + length]
    r0, r1 = src[o0:o0 + length], src[o1:o1 + length]
    r2, r3 = src[o2:o2 + length], src[o3:o3 + length]
    a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = np.float32(0.0)
    for p in range(length):
        va, vb = ra[p], rb[p]
        s0, s1, s2, s3 = r0[p], r1[p], r2[p], r3[p]
        a0 += va * s0
        a1 += va * s1
        a2 += va * s2
        a3 += va * s3
        b0 += vb * s0
        b1 += vb * s1
        b2 += vb * s2
        b3 += vb * s3
    return a0, a1, a2, a3, b0, b1, b2, b3


@njit(inline="always", **_JIT_OPTIONS)
def _dot2(a, ao, bo, src, o, length):
    """The dot products of rows a[ao:] and a[bo:] with src[o:], all [:length] (_dot2x4's tail)."""
    ra, rb, other = a[ao:ao + length], a[bo:bo + length], src[o:o + length]
    sa = sb = np.float32(0.0)
    for p in range(length):
        sa += ra[p] * other[p]
        sb += rb[p] * other[p]
    return sa, sb


# --- convolution -------------------------------------------------------------------------------

@njit(inline="always", **_JIT_OPTIONS)
def _holds(scratch, chunks, stop):
    """Whether each chunk's share of the scratch (chunk c owns the c-th of `chunks` equal
    shares) reaches position stop."""
    return stop <= scratch.shape[0] // chunks


@njit(inline="always", **_JIT_OPTIONS)
def _scratch(scratch, chunk, chunks, start, length):
    """Chunk c's part [start, start + length) of the caller's scratch, or a new array when the
    scratch is too small (none given): reused scratch spares allocating, and faulting in,
    megabytes per call. Holds old data."""
    if _holds(scratch, chunks, start + length):
        share = scratch.shape[0] // chunks
        return scratch[chunk * share + start:chunk * share + start + length]
    return np.empty(length, np.float32)


@njit(inline="always", **_JIT_OPTIONS)
def _zeroed(a, start, stop):
    """a[start:stop] = 0, for the parts of reused scratch (which holds old data) that are
    read before they are written."""
    for p in range(start, stop):
        a[p] = 0.0


@njit(inline="always", **_JIT_OPTIONS)
def _stack_planes(x, first, count, geometry, plane, xp):
    """Copy images first..first+count of NHWC x into planar, padded, side-by-side xp, and
    zero its padding (xp may hold old data)."""
    _, height, width, channels = x.shape
    top, left, padded_w = geometry[0], geometry[1], geometry[3]
    pitch = count * padded_w
    for ci in range(channels):
        start = ci * plane
        _zeroed(xp, start, start + top * pitch)
        _zeroed(xp, start + (top + height) * pitch, start + plane)  # bottom rows and the tail
        for y in range(top, top + height):
            for i in range(count):
                row = start + y * pitch + i * padded_w
                _zeroed(xp, row, row + left)
                _zeroed(xp, row + left + width, row + padded_w)
    for i in range(count):
        for y in range(height):
            source = x[first + i, y]
            row = (y + top) * pitch + i * padded_w + left
            for ci in range(channels):
                target = xp[ci * plane + row:]
                for xx in range(width):
                    target[xx] = source[xx, ci]


@njit(inline="always", **_JIT_OPTIONS)
def _tap_offsets(kernel_shape, geometry, pitch, plane):
    """Source offset of every tap t = (u, v, ci), numbered in kernel order."""
    kernel_h, kernel_w, channels = kernel_shape[0], kernel_shape[1], kernel_shape[2]
    dilation_h, dilation_w = geometry[6], geometry[7]
    offsets = np.empty(kernel_h * kernel_w * channels, np.int64)
    for u in range(kernel_h):
        for v in range(kernel_w):
            for ci in range(channels):
                offsets[(u * kernel_w + v) * channels + ci] = (
                    ci * plane + u * dilation_h * pitch + v * dilation_w)
    return offsets


@njit(inline="always", **_JIT_OPTIONS)
def _tiling(count, padded_w, pitch, rows, unit_rows, planes, halo_rows, rows_read, out_planes):
    """(rows, images) per tile, so that the source rows a tile reads, and the NHWC outputs
    it writes, stay in the L2 cache.

    Whole rows of all images when they fit (rows are contiguous, so several make one long
    loop: what a single image gets), else blocks of images inside one row. planes: source
    planes read; halo_rows: extra source rows a block of rows reads; rows_read: source rows
    one output row reads; out_planes: channels of the NHWC output the tile is scattered to,
    a pair of channels per pass (0: none). A tile's output has to fit as well as its
    source: else every pass over a pair of channels evicts the output lines the last pass
    wrote (a 1 -> 16 channel layer ran 8 passes over 1.6 MB that way).
    """
    if unit_rows:
        fit = min(FOOTPRINT // (planes * pitch) - halo_rows,
                  FOOTPRINT // (max(out_planes, 1) * pitch))
        if fit >= 1:
            return min(fit, rows), count
    return 1, max(1, min(count, FOOTPRINT // (max(rows_read, out_planes) * padded_w)))


@njit(**_JIT_OPTIONS)
def conv2d_forward(x, kernel, bias, geometry, code, out, scratch, chunk, chunks):
    """out[n,oy,ox,co] = f(b[co] + sum_{u,v,ci} xpad[n, oy*sh+u*dh, ox*sw+v*dw, ci] w[u,v,ci,co]).

    geometry = (top, left, padded_h, padded_w, stride_h, stride_w, dilation_h, dilation_w).
    scratch: float32 work space (see `_scratch`; size 0 for none).
    """
    batch, _, _, channels = x.shape
    kernel_h, kernel_w, _, out_channels = kernel.shape
    padded_h, padded_w, stride_h, stride_w = geometry[2], geometry[3], geometry[4], geometry[5]
    dilation_h, dilation_w = geometry[6], geometry[7]
    out_h, out_w = out.shape[1], out.shape[2]
    # one row per output channel, plus a zero row when the count is odd: every channel runs
    # in a pair (one code path to compile; the zero channel's sums are dropped)
    weights = np.zeros((2 * ((out_channels + 1) // 2), kernel_h * kernel_w * channels),
                       np.float32)
    for u in range(kernel_h):
        for v in range(kernel_w):
            for ci in range(channels):
                for co in range(out_channels):
                    weights[co, (u * kernel_w + v) * channels + ci] = kernel[u, v, ci, co]
    first, count = _chunk(chunk, chunks, batch)
    pitch = count * padded_w
    plane = padded_h * pitch + (kernel_w - 1) * dilation_w
    xp = _scratch(scratch, chunk, chunks, 0, channels * plane)
    _stack_planes(x, first, count, geometry, plane, xp)
    offsets = _tap_offsets(kernel.shape, geometry, pitch, plane)
    tile_rows, tile_images = _tiling(count, padded_w, pitch, out_h, stride_h == 1, channels,
                                     (kernel_h - 1) * dilation_h, channels * kernel_h,
                                     out_channels)
    size = max(tile_rows * pitch, tile_images * padded_w)
    acc = np.empty(2 * size, np.float32)  # two output channels at a time
    for oy0 in range(0, out_h, tile_rows):
        oy1 = min(oy0 + tile_rows, out_h)
        for i0 in range(0, count, tile_images):
            i1 = min(i0 + tile_images, count)
            start = oy0 * stride_h * pitch + i0 * padded_w
            length = ((oy1 - oy0 - 1) * pitch + (i1 - i0 - 1) * padded_w
                      + (out_w - 1) * stride_w + 1)
            for co0 in range(0, out_channels, 2):
                acc[:] = 0.0
                _madd_pair(acc, 0, size, xp, start, offsets, weights[co0], weights[co0 + 1],
                           length)
                for co in range(co0, min(co0 + 2, out_channels)):
                    at = (co - co0) * size
                    _bias_activate(acc, at, length, bias[co], code)
                    for oy in range(oy0, oy1):
                        for i in range(i0, i1):
                            source = acc[at + (oy - oy0) * pitch + (i - i0) * padded_w:]
                            target = out[first + i, oy]
                            for ox in range(out_w):
                                target[ox, co] = source[ox * stride_w]


@njit(**_JIT_OPTIONS)
def conv2d_backward(x, kernel, y, dy, geometry, code, want_dx, dx, dkernel_parts, dbias_parts,
                    stacked, scratch, chunk, chunks):
    """Gradients of conv2d_forward: dx (if want_dx) and per-chunk partial dkernel and dbias.

    Chunk c owns dkernel_parts[c] (flat, kernel order) and dbias_parts[c]: no two threads
    write the same memory; the caller sums the parts. dz = dL/dz is laid out like the forward
    accumulator (zero at non-output positions) behind a zero margin, so that
    dkernel[t, co] = sum_p dz[co, p] xp[p + offset_t] and
    dxp[ci, q] = sum_{co,u,v} w[u,v,ci,co] dz[co, q - offset_uv] are both shifted-row sums.
    An odd channel count gets a zero plane (dz) or zero weight row (dx) to make a pair.
    scratch holds xp and then dz (see `_scratch`; size 0 for none); stacked: it holds x's xp
    already (conv2d_forward put it there for y), so it is not copied again.
    """
    batch, height, width, channels = x.shape
    kernel_h, kernel_w, _, out_channels = kernel.shape
    top, left, padded_h, padded_w = geometry[0], geometry[1], geometry[2], geometry[3]
    stride_h, stride_w, dilation_h, dilation_w = geometry[4], geometry[5], geometry[6], geometry[7]
    out_h, out_w = dy.shape[1], dy.shape[2]
    taps = kernel_h * kernel_w * channels
    out_pairs = (out_channels + 1) // 2
    first, count = _chunk(chunk, chunks, batch)
    pitch = count * padded_w
    plane = padded_h * pitch + (kernel_w - 1) * dilation_w
    xp = _scratch(scratch, chunk, chunks, 0, channels * plane)
    if not (stacked and _holds(scratch, chunks, channels * plane)):
        _stack_planes(x, first, count, geometry, plane, xp)
    offsets = _tap_offsets(kernel.shape, geometry, pitch, plane)
    reach = (kernel_h - 1) * dilation_h * pitch + (kernel_w - 1) * dilation_w
    zplane = reach + padded_h * pitch
    dz = _scratch(scratch, chunk, chunks, channels * plane, 2 * out_pairs * zplane)
    dbias = dbias_parts[chunk]
    # dz is sparse (margins, dropped positions): one sequential zeroing pass measured faster
    # (C1 of LeNet-5: 2.1 against 3.0 ms) than zeroing only the gaps row by row
    _zeroed(dz, 0, 2 * out_pairs * zplane)
    row_size = out_w * out_channels
    flat_dy, flat_y = dy.reshape(dy.size), y.reshape(y.size)
    slopes = np.empty(row_size, np.float32)  # dL/dz of one output row, NHWC
    totals = np.empty(out_channels, np.float32)  # its sums per channel (bias gradient)
    for i in range(count):
        for oy in range(out_h):
            at = ((first + i) * out_h + oy) * row_size
            _slopes(flat_dy[at:at + row_size], flat_y[at:at + row_size], code, slopes)
            totals[:] = 0.0
            for ox in range(out_w):
                for co in range(out_channels):
                    totals[co] += slopes[ox * out_channels + co]
            for co in range(out_channels):
                dbias[co] += totals[co]
            row = reach + oy * stride_h * pitch + i * padded_w
            for co in range(out_channels):
                target = dz[co * zplane + row:]
                for ox in range(out_w):
                    target[ox * stride_w] = slopes[ox * out_channels + co]
    grad = np.zeros((taps, 2 * out_pairs), np.float32)
    tile_rows, tile_images = _tiling(count, padded_w, pitch, out_h, stride_h == 1, channels,
                                     (kernel_h - 1) * dilation_h, channels * kernel_h, 0)
    for oy0 in range(0, out_h, tile_rows):
        oy1 = min(oy0 + tile_rows, out_h)
        for i0 in range(0, count, tile_images):
            i1 = min(i0 + tile_images, count)
            start = oy0 * stride_h * pitch + i0 * padded_w
            length = ((oy1 - oy0 - 1) * pitch + (i1 - i0 - 1) * padded_w
                      + (out_w - 1) * stride_w + 1)
            for co in range(0, out_channels, 2):  # pairs of output channels, 4 taps at once
                zo = co * zplane + reach + start
                t = 0
                while t + 4 <= taps:
                    a0, a1, a2, a3, b0, b1, b2, b3 = _dot2x4(
                        dz, zo, zo + zplane, xp, start + offsets[t], start + offsets[t + 1],
                        start + offsets[t + 2], start + offsets[t + 3], length)
                    grad[t, co] += a0
                    grad[t, co + 1] += b0
                    grad[t + 1, co] += a1
                    grad[t + 1, co + 1] += b1
                    grad[t + 2, co] += a2
                    grad[t + 2, co + 1] += b2
                    grad[t + 3, co] += a3
                    grad[t + 3, co + 1] += b3
                    t += 4
                while t < taps:
                    a0, b0 = _dot2(dz, zo, zo + zplane, xp, start + offsets[t], length)
                    grad[t, co] += a0
                    grad[t, co + 1] += b0
                    t += 1
    dkernel = dkernel_parts[chunk]
    for t in range(taps):
        for co in range(out_channels):
            dkernel[t * out_channels + co] += grad[t, co]
    if want_dx:
        spread = kernel_h * kernel_w * out_channels
        back_weights = np.zeros((2 * ((channels + 1) // 2), spread), np.float32)
        back_offsets = np.empty(spread, np.int64)
        for co in range(out_channels):
            for u in range(kernel_h):
                for v in range(kernel_w):
                    tap = (co * kernel_h + u) * kernel_w + v
                    back_offsets[tap] = (co * zplane + reach - u * dilation_h * pitch
                                         - v * dilation_w)
                    for ci in range(channels):
                        back_weights[ci, tap] = kernel[u, v, ci, co]
        tile_rows, tile_images = _tiling(count, padded_w, pitch, height, True, out_channels,
                                         (kernel_h - 1) * dilation_h, out_channels * kernel_h,
                                         channels)
        size = max(tile_rows * pitch, tile_images * padded_w)
        acc = np.empty(2 * size, np.float32)  # two input channels at a time
        for y0 in range(0, height, tile_rows):
            y1 = min(y0 + tile_rows, height)
            for i0 in range(0, count, tile_images):
                i1 = min(i0 + tile_images, count)
                start = (y0 + top) * pitch + i0 * padded_w + left
                length = (y1 - y0 - 1) * pitch + (i1 - i0 - 1) * padded_w + width
                for ci0 in range(0, channels, 2):
                    acc[:] = 0.0
                    _madd_pair(acc, 0, size, dz, start, back_offsets, back_weights[ci0],
                               back_weights[ci0 + 1], length)
                    for ci in range(ci0, min(ci0 + 2, channels)):
                        at = (ci - ci0) * size
                        for yy in range(y0, y1):
                            for i in range(i0, i1):
                                source = acc[at + (yy - y0) * pitch + (i - i0) * padded_w:]
                                target = dx[first + i, yy]
                                for xx in range(width):
                                    target[xx, ci] = source[xx]


# --- matrix products (Dense layers, and convolutions whose window covers the whole input) -------

@njit(**_JIT_OPTIONS)
def dense_forward(x, kernel, bias, code, out, chunk, chunks):
    """out[n, :] = f(bias + x[n, :] @ kernel) for x (N, F), kernel (F, U).

    Two images at a time (each kernel row load serves both); an odd last image is paired
    with itself.
    """
    batch, features = x.shape
    units = kernel.shape[1]
    flat_kernel = kernel.reshape(features * units)
    offsets = np.arange(features) * units
    first, count = _chunk(chunk, chunks, batch)
    acc = np.empty(2 * units, np.float32)
    for n in range(first, first + count, 2):
        m = min(n + 1, first + count - 1)
        for j in range(units):  # not acc[:] = bias: that compiles NumPy's shape-error messages
            acc[j] = bias[j]
            acc[units + j] = bias[j]
        _madd_pair(acc, 0, units, flat_kernel, 0, offsets, x[n], x[m], units)
        _bias_activate(acc, 0, 2 * units, np.float32(0.0), code)
        row_n, row_m = out[n], out[m]
        for j in range(units):
            row_n[j] = acc[j]
            row_m[j] = acc[units + j]


@njit(**_JIT_OPTIONS)
def dense_backward(x, kernel, y, dy, code, want_dx, dx, dkernel, dbias, chunk, chunks):
    """dx = dz @ kernel.T (if want_dx), dkernel = x.T @ dz, dbias = sum dz, dz = dy * f'.

    Chunk c computes its share of dkernel's rows and of dx's rows (chunk 0 also dbias), so
    every output element has one writer; each chunk works out the small dz itself. Rows go
    two at a time, an odd last one paired with itself.
    """
    batch, features = x.shape
    units = kernel.shape[1]
    dz = np.empty(batch * units, np.float32)
    for n in range(batch):
        _slopes(dy[n], y[n], code, dz[n * units:(n + 1) * units])
    if chunk == 0:
        dbias[:] = 0.0
        for n in range(batch):
            for j in range(units):
                dbias[j] += dz[n * units + j]
    rows = np.arange(batch) * units
    k0, k_count = _chunk(chunk, chunks, features)
    columns = np.empty((2, batch), np.float32)
    acc = np.empty(2 * units, np.float32)
    for k in range(k0, k0 + k_count, 2):
        m = min(k + 1, k0 + k_count - 1)
        for n in range(batch):
            columns[0, n], columns[1, n] = x[n, k], x[n, m]
        acc[:] = 0.0
        _madd_pair(acc, 0, units, dz, 0, rows, columns[0], columns[1], units)
        row_k, row_m = dkernel[k], dkernel[m]
        for j in range(units):
            row_k[j] = acc[j]
            row_m[j] = acc[units + j]
    if want_dx:
        flat_kernel = kernel.reshape(features * units)
        n0, n_count = _chunk(chunk, chunks, batch)
        for n in range(n0, n0 + n_count, 2):
            m = min(n + 1, n0 + n_count - 1)
            row_n, row_m = dx[n], dx[m]
            k = 0
            while k + 4 <= features:
                a0, a1, a2, a3, b0, b1, b2, b3 = _dot2x4(
                    dz, n * units, m * units, flat_kernel, k * units, (k + 1) * units,
                    (k + 2) * units, (k + 3) * units, units)
                row_n[k], row_n[k + 1], row_n[k + 2], row_n[k + 3] = a0, a1, a2, a3
                row_m[k], row_m[k + 1], row_m[k + 2], row_m[k + 3] = b0, b1, b2, b3
                k += 4
            while k < features:
                row_n[k], row_m[k] = _dot2(dz, n * units, m * units, flat_kernel, k * units,
                                           units)
                k += 1


# --- pooling -----------------------------------------------------------------------------------

@njit(**_JIT_OPTIONS)
def pool2d_forward(x, geometry, use_max, out, argmax, chunk, chunks):
    """Max or average pooling over windows; padding cells are ignored (TensorFlow semantics).

    geometry = (top, left, pool_h, pool_w, stride_h, stride_w). For max, argmax[n, oy, ox, c]
    receives the flat input index y * W + x of the winner (-1 if the window is all padding);
    ties go to the first cell in row-major order. The channel loop is innermost (NHWC rows
    are contiguous over channels), so each window cell is one short pass without branches.
    """
    batch, height, width, channels = x.shape
    top, left, pool_h, pool_w, stride_h, stride_w = geometry
    out_h, out_w = out.shape[1], out.shape[2]
    first, count = _chunk(chunk, chunks, batch)
    for n in range(first, first + count):
        for oy in range(out_h):
            y0 = oy * stride_h - top
            y_lo, y_hi = max(y0, 0), min(y0 + pool_h, height)
            for ox in range(out_w):
                x0 = ox * stride_w - left
                x_lo, x_hi = max(x0, 0), min(x0 + pool_w, width)
                target, winners = out[n, oy, ox], argmax[n, oy, ox] if use_max else argmax[0, 0, 0]
                cells = max(y_hi - y_lo, 0) * max(x_hi - x_lo, 0)
                if cells == 0:
                    for c in range(channels):
                        target[c] = 0.0
                        if use_max:
                            winners[c] = -1
                    continue
                opening = x[n, y_lo, x_lo]
                for c in range(channels):
                    target[c] = opening[c]
                    if use_max:
                        winners[c] = y_lo * width + x_lo
                for yy in range(y_lo, y_hi):
                    for xx in range(x_lo, x_hi):
                        if yy == y_lo and xx == x_lo:
                            continue
                        source = x[n, yy, xx]
                        if use_max:  # strict '>': the first maximum wins, a first NaN stays
                            index = yy * width + xx
                            for c in range(channels):
                                better = source[c] > target[c]
                                winners[c] = index if better else winners[c]
                                target[c] = source[c] if better else target[c]
                        else:
                            for c in range(channels):
                                target[c] += source[c]
                if not use_max:
                    scale = np.float32(1.0) / np.float32(cells)
                    for c in range(channels):
                        target[c] *= scale


@njit(**_JIT_OPTIONS)
def pool2d_backward(dy, geometry, use_max, argmax, dx, chunk, chunks):
    """Route dy back: to the winner (max) or spread evenly over the real cells (average)."""
    batch, height, width, channels = dx.shape
    top, left, pool_h, pool_w, stride_h, stride_w = geometry
    out_h, out_w = dy.shape[1], dy.shape[2]
    first, count = _chunk(chunk, chunks, batch)
    for n in range(first, first + count):
        dx[n] = 0.0
        for oy in range(out_h):
            y0 = oy * stride_h - top
            y_lo, y_hi = max(y0, 0), min(y0 + pool_h, height)
            for ox in range(out_w):
                x0 = ox * stride_w - left
                x_lo, x_hi = max(x0, 0), min(x0 + pool_w, width)
                grads = dy[n, oy, ox]
                if use_max:
                    winners = argmax[n, oy, ox]
                    for c in range(channels):
                        index = winners[c]
                        if index >= 0:
                            dx[n, index // width, index % width, c] += grads[c]
                    continue
                cells = max(y_hi - y_lo, 0) * max(x_hi - x_lo, 0)
                if cells == 0:
                    continue
                scale = np.float32(1.0) / np.float32(cells)
                for yy in range(y_lo, y_hi):
                    for xx in range(x_lo, x_hi):
                        target = dx[n, yy, xx]
                        for c in range(channels):
                            target[c] += grads[c] * scale

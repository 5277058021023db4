"""Fast single-channel 2-D cross-correlation of large images (the image inspector's filter).

``correlate2d`` applies a kernel the way a Conv2D layer does (no kernel flip), with Keras
``strides``, ``padding`` and ``dilation_rate`` resolved by ``window_geometry``. The padded
border can hold zeros, a mirror image (numpy.pad 'reflect') or the edge pixel repeated
(numpy.pad 'edge'). The kernel is serial and computes one chunk of the output rows: large
outputs are cut into one chunk per core, spread over the core's helper thread pool, small ones
run as one chunk on the calling thread (see `convviz.core.nn.parallel`). Pass ``out`` to reuse
a buffer when filtering repeatedly (a fresh 12-megapixel output costs page faults each time).
"""

from __future__ import annotations

import numpy as np

from convviz.core.nn.geometry import Pair, window_geometry
from convviz.core.nn.parallel import THREADS, run_chunks

ZERO, REFLECT, REPLICATE = 0, 1, 2  # the pad-mode codes the kernel takes
PAD_MODES = {"zero": ZERO, "reflect": REFLECT, "replicate": REPLICATE}
PARALLEL_MIN_OUTPUTS = 65_536  # below this, handing chunks to helpers costs more than it saves


def _as_float32_2d(array: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(array)
    if array.ndim != 2:
        raise ValueError(f"the {name} must be a 2-D (height, width) array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"the {name} is empty (shape {array.shape})")
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"the {name} must hold real numbers, got dtype {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.float32)


def correlate2d(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    strides: int | Pair = 1,
    padding: str | int | tuple = "same",
    dilation_rate: int | Pair = 1,
    pad_mode: str = "zero",
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Cross-correlate an (H, W) image with a (kh, kw) kernel; returns (OH, OW) float32.

    y[i, j] = sum over u, v of x[i*sh + u*dh - pad_top, j*sw + v*dw - pad_left] * k[u, v],
    where x outside the image comes from ``pad_mode`` ("zero", "reflect" or "replicate").
    Inputs of another real dtype or layout are converted to C-contiguous float32 first.
    ``out``, if given, must be a C-contiguous float32 (OH, OW) array not sharing memory with
    the image; it is filled and returned.
    """
    image = _as_float32_2d(image, "image")
    kernel = _as_float32_2d(kernel, "kernel")
    if pad_mode not in PAD_MODES:
        raise ValueError(f"pad_mode must be one of {', '.join(PAD_MODES)}, got {pad_mode!r}")
    geometry = window_geometry(image.shape, kernel.shape, strides, padding, dilation_rate)
    if out is None:
        out = np.empty(geometry.output_hw, dtype=np.float32)
    elif not (isinstance(out, np.ndarray) and out.dtype == np.float32
              and out.shape == geometry.output_hw):
        found = f"{out.dtype} {out.shape}" if isinstance(out, np.ndarray) else type(out).__name__
        raise ValueError(f"out must be a float32 array of shape {geometry.output_hw}, got {found}")
    elif not (out.flags.c_contiguous and out.flags.writeable):
        raise ValueError("out must be a writeable C-contiguous array")
    elif np.may_share_memory(out, image):
        raise ValueError("out must not share memory with the image: the filter cannot run in place")
    (pad_top, _), (pad_left, _) = geometry.padding
    window = (*geometry.strides, *geometry.dilation, pad_top, pad_left)
    chunks = THREADS if out.size >= PARALLEL_MIN_OUTPUTS else 1
    from convviz.core.imaging import _filter_kernels  # Numba on first use, not on import
    run_chunks(_filter_kernels.correlate2d, chunks, image, kernel, out, window, PAD_MODES[pad_mode])
    return out

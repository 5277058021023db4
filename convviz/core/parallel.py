"""How convviz runs Numba kernels on threads: one policy for every kernel module.

Each prange kernel is compiled twice from one source: a parallel version for batches and
large images, and a serial one for single images on the GUI thread, where starting threads
costs more than it gains. The GUI thread, the training thread and the inspector's worker may
launch kernels at the same time, so we ask Numba for a thread-safe layer (TBB, else OpenMP);
where a machine has only the non-thread-safe 'workqueue' layer, parallel launches are
serialised by a lock instead of crashing.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Callable
from typing import NamedTuple

import numba
from numba import njit

numba.config.THREADING_LAYER_PRIORITY = ["tbb", "omp", "workqueue"]

_workqueue_lock = threading.Lock()


class KernelPair(NamedTuple):
    """One kernel source compiled twice: threaded and serial."""

    parallel: Callable
    serial: Callable


def compile_pair(function: Callable, **jit_options) -> KernelPair:
    """Compile a prange kernel source both ways. Distinct qualnames keep their caches apart."""
    serial_source = types.FunctionType(
        function.__code__, function.__globals__, function.__name__ + "_serial",
        function.__defaults__, function.__closure__,
    )
    serial_source.__qualname__ = function.__qualname__ + "_serial"
    return KernelPair(
        njit(parallel=True, **jit_options)(function),
        njit(parallel=False, **jit_options)(serial_source),
    )


def launch(pair: KernelPair, parallel: bool, *args):
    """Run the serial or the parallel version; parallel launches are locked if unsafe."""
    if not parallel:
        return pair.serial(*args)
    if _layer_is_threadsafe():
        return pair.parallel(*args)
    with _workqueue_lock:
        return pair.parallel(*args)


def _layer_is_threadsafe() -> bool:
    try:
        return numba.threading_layer() != "workqueue"
    except ValueError:  # no parallel kernel has run yet: the layer is not chosen
        return False

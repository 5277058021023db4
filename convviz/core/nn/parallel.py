"""How convviz runs Numba kernels on threads: one policy for every kernel module.

A kernel is one serial `@njit(nogil=True)` function that does chunk c of a number of chunks
(its last two arguments). A batch is cut into one chunk per core: the calling thread runs
chunk 0 and a small pool of helper threads runs the others, at the same time because the
kernels release the GIL. A single image is one chunk on the calling thread, with no thread
hand-off (the GUI thread's batch-1 path).

Why not Numba's `parallel=True`: a prange kernel costs 2-4 times its serial version to
compile (parfor lowering and a second LLVM pass over the whole body), and each kernel was
needed both ways; serial kernels alone cut the cold compile of the engine several times,
while a hand-off to a helper costs ~10 us more than a Numba parallel launch (<1% of a
training step). Launches from several Python threads at once (GUI, training, inspector)
are safe: chunks only share the pool's queue, and no Numba threading layer is involved.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


def _usable_cores() -> int:
    """Cores this process may run on, as Numba counts them by default."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


THREADS = max(1, int(os.environ.get("NUMBA_NUM_THREADS") or _usable_cores()))
"""Chunks a batch is cut into: one per core this process may use (NUMBA_NUM_THREADS
overrides it, as it does for Numba; read here without importing Numba)."""

_helpers = ThreadPoolExecutor(max_workers=max(1, THREADS - 1),
                              thread_name_prefix="convviz-kernel")


def run_chunks(kernel: Callable, chunks: int, *args) -> None:
    """kernel(*args, c, chunks) for c in range(chunks): chunk 0 here, the others on helpers."""
    if chunks == 1:
        kernel(*args, 0, 1)
        return
    others = [_helpers.submit(kernel, *args, c, chunks) for c in range(1, chunks)]
    try:
        kernel(*args, 0, chunks)
    finally:  # the outputs belong to the caller again only when every chunk has ended
        for other in others:
            other.result()


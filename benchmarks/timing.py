"""The one timing helper the benchmark scripts share (run them from the repository root:
`python benchmarks/bench_x.py` puts this folder on the import path)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def median_ms(run: Callable[[], object], runs: int, warmups: int = 1,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of `runs` calls in milliseconds, after `warmups` untimed calls; wall time
    unless another clock is given (time.process_time: this process's CPU time)."""
    for _ in range(warmups):
        run()
    times = []
    for _ in range(runs):
        start = clock()
        run()
        times.append(clock() - start)
    return 1e3 * float(np.median(times))

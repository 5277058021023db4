"""Compiling the engine's kernels before a person needs them, in the order they need them.

Numba compiles under one process-wide lock, so a kernel compiling for a warm-up delays any
other thread that needs a kernel of its own (the Train tab's first step) until it is done.
A `WarmUpQueue` therefore runs its jobs one at a time, each a small group of kernels, and
starts none while someone holds it: training holds it from Start to its first step, so it
waits at most for the job already running, never for the inspector's or the whole app's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from convviz.core.nn.model import Sequential


def warm_forward(model: Sequential) -> float:
    """Compile (or load from Numba's disk cache) model's batch-1 kernels; returns seconds.

    Use a clone: a layer keeps its activations, so a model belongs to one thread.
    """
    started = time.perf_counter()
    model.forward_all(np.zeros((1, *model.input_shape), np.float32))
    return time.perf_counter() - started


def warm_training(model: Sequential) -> float:
    """Compile (or load) model's training kernels with a batch-2 forward and backward pass."""
    started = time.perf_counter()
    outputs = model.forward(np.zeros((2, *model.input_shape), np.float32), training=True)
    model.backward(np.ones_like(outputs))
    return time.perf_counter() - started


class WarmUpQueue:
    """Named jobs run in the order added by whichever thread calls `run`; thread-safe.

    `hold()` keeps the next job from starting until the hold is released (the one running
    finishes); `close()` drops what is left and lets `run` return.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._jobs: list[tuple[str, Callable[[], object]]] = []
        self._holds = 0
        self._closed = False
        self.finished: list[str] = []
        """Names of the jobs run so far, in order."""

    def add(self, name: str, job: Callable[[], object]) -> None:
        with self._condition:
            self._jobs.append((name, job))
            self._condition.notify_all()

    @property
    def pending(self) -> tuple[str, ...]:
        with self._condition:
            return tuple(name for name, _ in self._jobs)

    def hold(self) -> Callable[[], None]:
        """Start no further job until the returned release() is called (once is enough)."""
        with self._condition:
            self._holds += 1
        released = threading.Event()

        def release() -> None:
            with self._condition:
                if not released.is_set():
                    released.set()
                    self._holds -= 1
                    self._condition.notify_all()

        return release

    def close(self) -> None:
        """Drop the jobs not started; `run` returns once the running one (if any) ends."""
        with self._condition:
            self._closed = True
            self._jobs.clear()
            self._condition.notify_all()

    def run(self) -> None:
        """Run the jobs until none is left (waiting while held); a failing job raises, the
        ones after it stay queued."""
        while True:
            with self._condition:
                while self._holds and self._jobs and not self._closed:
                    self._condition.wait()
                if not self._jobs or self._closed:
                    return
                name, job = self._jobs.pop(0)
            job()
            with self._condition:
                self.finished.append(name)

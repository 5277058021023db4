"""How long one epoch of a design takes on this computer, measured rather than guessed.

The design is built and trained for a few batches of generated images with the engine's own
kernels (the Trainer's path: forward, loss from the logits, backward, Adam step); the first
batch is left out of the timing (it may compile kernels). Run it off the GUI thread.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from convviz.core.design.design import Design

MNIST_TRAINING_IMAGES = 55_000
"""MNIST's 60,000 training digits less the 5,000 held out for validation (as the Train tab)."""
SLOW_EPOCH_SECONDS = 180.0
"""Above three minutes an epoch, the Lab warns: a lesson cannot wait for many of them."""


@dataclass(frozen=True)
class EpochEstimate:
    seconds_per_batch: float
    batch_size: int
    images: int

    @property
    def seconds_per_epoch(self) -> float:
        return self.seconds_per_batch * math.ceil(self.images / self.batch_size)

    @property
    def slow(self) -> bool:
        return self.seconds_per_epoch > SLOW_EPOCH_SECONDS


def estimate_epoch(design: Design, batch_size: int = 64, images: int = MNIST_TRAINING_IMAGES,
                   timed_batches: int = 2) -> EpochEstimate:
    """Time `timed_batches` training batches of `design` (after one untimed batch)."""
    model = design.build(seed=0)
    model.compile("adam")
    rng = np.random.default_rng(0)
    x = rng.random((batch_size, *design.input_shape), dtype=np.float32)
    classes = model.output_shape[0]
    y = rng.integers(0, classes, batch_size)
    model.train_on_batch(x, y)
    start = time.perf_counter()
    for _ in range(timed_batches):
        model.train_on_batch(x, y)
    return EpochEstimate((time.perf_counter() - start) / timed_batches, batch_size, images)

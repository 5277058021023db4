"""Noticing that a training run diverges, from its batch losses alone.

A run diverges when a step's loss is NaN or infinite, or when the loss stays far above where it
started for a while (a learning rate so large that each step overshoots: the loss jumps from
2.3 to thousands and never comes back). One noisy batch is not divergence: the loss must stay
above the line for `patience` batches in a row. Qt-free, so the trainer, the CLI and the GUI
share one rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from convviz.core.formatting import format_compact

FACTOR = 3.0
"""The loss is "far above its start" beyond FACTOR times the first batch's loss..."""
MARGIN = 1.0
"""...and at least MARGIN above it (a well-trained start, loss 0.05, may wobble to 0.15)."""
PATIENCE = 20
"""Batches in a row above that line before the run counts as diverged."""


@dataclass(frozen=True)
class Divergence:
    """Why a run counts as diverged: `what` is a clause such as "the loss became NaN"."""

    step: int  # the step (1-based, since the detector started) that settled it
    loss: float
    start_loss: float | None
    what: str


class DivergenceDetector:
    """Feed it each batch loss with `update`; it answers a Divergence once the run diverged."""

    def __init__(self, factor: float = FACTOR, margin: float = MARGIN, patience: int = PATIENCE):
        if factor < 1 or margin < 0 or patience < 1:
            raise ValueError("factor must be >= 1, margin >= 0 and patience >= 1")
        self.factor, self.margin, self.patience = factor, margin, patience
        self.start_loss: float | None = None
        self.steps = 0
        self.above = 0  # batches in a row above the line

    @property
    def limit(self) -> float | None:
        """The loss above which a batch counts as far above the start (None before any)."""
        if self.start_loss is None:
            return None
        return max(self.factor * self.start_loss, self.start_loss + self.margin)

    def update(self, loss: float) -> Divergence | None:
        """Take one batch's loss; a Divergence if the run has now diverged, else None."""
        self.steps += 1
        loss = float(loss)
        if not math.isfinite(loss):
            return Divergence(self.steps, loss, self.start_loss, "the loss became NaN or "
                              "infinite")
        if self.start_loss is None:
            self.start_loss = loss
            return None
        self.above = self.above + 1 if loss > self.limit else 0
        if self.above < self.patience:
            return None
        return Divergence(self.steps, loss, self.start_loss,
                          f"the loss has stayed far above its start "
                          f"({format_compact(self.start_loss)}) for {self.above} batches in a "
                          f"row, now {format_compact(loss)}")

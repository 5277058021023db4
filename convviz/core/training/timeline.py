"""A training run's timeline: snapshots to replay, test results per epoch, gradient norms.

The Train tab records, while a run goes on, the weights it receives a few times a second
(`add_weights`), the test-set evaluation after each epoch (`add_test`) and every step's
gradient norm per layer (`add_gradient_norms`). A slider then replays the run: the kernels
and feature maps of any recorded step, and the confusion matrix of the epoch it fell in.
Memory stays bounded: past `max_snapshots`, every other snapshot is dropped (the timeline
stays spread over the whole run, coarser as it grows), and so are gradient norms past
`max_norms` steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SNAPSHOTS = 240
MAX_NORMS = 20_000


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Weights (Keras order) of the model after training step `step` of epoch `epoch`."""

    step: int
    epoch: int
    weights: tuple[np.ndarray, ...]


@dataclass(frozen=True, eq=False)
class EpochResult:
    """The test-set result after an epoch (what the confusion matrix showed then)."""

    epoch: int
    step: int
    accuracy: float
    confusion: np.ndarray


class TrainingTimeline:
    """What a run recorded, in step order."""

    def __init__(self, max_snapshots: int = MAX_SNAPSHOTS, max_norms: int = MAX_NORMS):
        if max_snapshots < 2 or max_norms < 2:
            raise ValueError("a timeline keeps at least two snapshots and two norms")
        self.max_snapshots, self.max_norms = int(max_snapshots), int(max_norms)
        self.snapshots: list[Snapshot] = []
        self.results: list[EpochResult] = []
        self.norm_steps: list[int] = []
        self.norms: dict[str, list[float]] = {}

    def clear(self) -> None:
        self.snapshots.clear()
        self.results.clear()
        self.norm_steps.clear()
        self.norms.clear()

    def __len__(self) -> int:
        return len(self.snapshots)

    # --- recording -------------------------------------------------------------------------

    def add_weights(self, step: int, epoch: int, weights) -> None:
        """Keep read-only copies of the weights after `step` (later steps only)."""
        if self.snapshots and step <= self.snapshots[-1].step:
            return
        copies = []
        for weight in weights:
            copy = np.array(weight, dtype=np.float32, copy=True)
            copy.setflags(write=False)
            copies.append(copy)
        self.snapshots.append(Snapshot(int(step), int(epoch), tuple(copies)))
        if len(self.snapshots) > self.max_snapshots:
            # every other one goes, but the newest stays
            self.snapshots = self.snapshots[-1::-2][::-1]

    def add_test(self, epoch: int, step: int, accuracy: float, confusion: np.ndarray) -> None:
        self.results = [r for r in self.results if r.epoch != epoch]
        self.results.append(EpochResult(int(epoch), int(step), float(accuracy),
                                        np.array(confusion, copy=True)))
        self.results.sort(key=lambda r: r.epoch)

    def add_gradient_norms(self, step: int, norms: dict[str, float]) -> None:
        """One step's gradient norm per layer (layers without parameters are absent)."""
        for name in norms:
            if name not in self.norms:
                self.norms[name] = [np.nan] * len(self.norm_steps)
        self.norm_steps.append(int(step))
        for name, values in self.norms.items():
            values.append(float(norms.get(name, np.nan)))
        if len(self.norm_steps) > self.max_norms:
            self.norm_steps = self.norm_steps[::2]
            self.norms = {name: values[::2] for name, values in self.norms.items()}

    # --- reading ---------------------------------------------------------------------------

    def result_for(self, step: int) -> EpochResult | None:
        """The last test result recorded at or before `step` (None before the first epoch
        ended)."""
        earlier = [r for r in self.results if r.step <= step]
        return earlier[-1] if earlier else None

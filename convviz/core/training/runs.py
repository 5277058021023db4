"""Every training run of a session, kept with its settings and curves, to compare them.

A `Run` grows from the trainer's records (`add_step`, `add_epoch`, `add_test`): each step's
loss and accuracy, the validation and test scores per epoch, where the learning rate changed,
and the training time. A `RunLog` numbers the runs of a session. `runs_to_json` and
`runs_from_json` write and read them as plain JSON, an extra entry of the model file (never
pickled); reading checks every field and raises RunsError with a sentence saying what is wrong.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from convviz.core.nn.model import Sequential
from convviz.core.nn.serialization import model_to_arrays, open_arrays, read_json_entry, save_arrays
from convviz.core.training.trainer import EpochRecord, StepRecord

RUNS_KEY = "runs"
"""The model file's entry holding the runs (a JSON string)."""
FORMAT, VERSION = "convviz-runs", 1
MAX_RUNS = 500
MAX_POINTS = 2000
"""Steps kept per run in a file: longer runs are averaged down to this many points."""
MAX_TEXT = 200
STATUSES = ("running", "completed", "stopped", "diverged", "failed")
RATE_TOLERANCE = 1e-9
"""A relative change of the learning rate below this is no change (float rounding)."""


class RunsError(ValueError):
    """Saved runs that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class RunSettings:
    """What a run was: the legend and the table show these."""

    architecture: str
    optimizer: str  # as a person reads it: "Adam"
    learning_rate: float  # at the start
    batch_size: int
    dataset: str
    epochs: int
    seed: int
    start: str  # "random weights", "the current model", "the initial weights of run 2"
    parameters: int


@dataclass(eq=False)
class Run:
    """One run: its settings, its curves so far, and how it ended."""

    number: int
    settings: RunSettings
    steps: list[tuple[float, float, float]] = field(default_factory=list)  # (x, loss, acc)
    validation: list[tuple[float, float, float]] = field(default_factory=list)  # (epoch, ...)
    tests: list[tuple[float, float]] = field(default_factory=list)  # (epoch, accuracy)
    rate_changes: list[tuple[float, float]] = field(default_factory=list)  # (x, new rate)
    seconds: float = 0.0  # training time, pauses not counted
    status: str = "running"
    source: str = ""  # the model file a reopened run came from
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    initial_weights: list[np.ndarray] | None = None  # in memory only, never saved
    _epoch_seconds: float = 0.0
    _rate: float | None = None

    @property
    def label(self) -> str:
        """The legend: number, architecture, optimizer, learning rate, batch, dataset."""
        s = self.settings
        return (f"run {self.number} · {s.architecture} · {s.optimizer} · lr "
                f"{s.learning_rate:g} · batch {s.batch_size} · {s.dataset}")

    @property
    def best_validation_accuracy(self) -> float | None:
        return max((accuracy for _, _, accuracy in self.validation), default=None)

    @property
    def test_accuracy(self) -> float | None:
        """The test-set accuracy after the last epoch scored."""
        return self.tests[-1][1] if self.tests else None

    def add_step(self, record: StepRecord) -> None:
        """A step's loss and accuracy at x = epochs done (fractional); a new learning rate is
        marked where the step that first used it began."""
        x = record.epoch - 1 + record.batch / record.batches
        self.steps.append((x, float(record.loss), float(record.accuracy)))
        rate = float(record.learning_rate)
        if self._rate is not None and abs(rate - self._rate) > RATE_TOLERANCE * self._rate:
            self.rate_changes.append((record.epoch - 1 + (record.batch - 1) / record.batches,
                                      rate))
        self._rate = rate
        seen = record.batch * self.settings.batch_size
        self.seconds = self._epoch_seconds + seen / max(record.images_per_second, 1e-9)

    def add_epoch(self, record: EpochRecord) -> None:
        self._epoch_seconds += record.seconds
        self.seconds = self._epoch_seconds
        if record.val_accuracy is not None:
            self.validation.append((float(record.epoch), float(record.val_loss),
                                    float(record.val_accuracy)))

    def add_test(self, epoch: int, accuracy: float) -> None:
        self.tests.append((float(epoch), float(accuracy)))

    def finish(self, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}; got {status!r}")
        self.status = status


class RunLog:
    """The runs of a session, numbered from 1 in the order they started (or were opened)."""

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def start(self, settings: RunSettings,
              initial_weights: list[np.ndarray] | None = None) -> Run:
        run = Run(self._next_number(), settings,
                  initial_weights=None if initial_weights is None
                  else [np.array(w, copy=True) for w in initial_weights])
        self.runs.append(run)
        return run

    def add_saved(self, runs: list[Run], source: str) -> list[Run]:
        """Add runs read from a file (renumbered after the session's), except those already
        here (the same file opened twice); returns the ones added."""
        known = {run.id for run in self.runs}
        added = []
        for run in runs:
            if run.id in known:
                continue
            run.number, run.source = self._next_number(), source
            self.runs.append(run)
            known.add(run.id)
            added.append(run)
        return added

    def get(self, number: int) -> Run | None:
        return next((run for run in self.runs if run.number == number), None)

    def _next_number(self) -> int:
        return max((run.number for run in self.runs), default=0) + 1


# --- files --------------------------------------------------------------------------------------

def _thin(points: list[tuple[float, ...]], limit: int) -> list[list[float]]:
    """At most `limit` points: consecutive points averaged in nearly equal groups."""
    if len(points) <= limit:
        return [list(point) for point in points]
    groups = np.array_split(np.asarray(points, np.float64), limit)
    return [group.mean(axis=0).tolist() for group in groups]


def run_to_dict(run: Run) -> dict:
    return {"id": run.id, "settings": asdict(run.settings), "status": run.status,
            "seconds": run.seconds, "steps": _thin(run.steps, MAX_POINTS),
            "validation": [list(point) for point in run.validation],
            "tests": [list(point) for point in run.tests],
            "rate_changes": [list(point) for point in run.rate_changes]}


def runs_to_json(runs: list[Run]) -> str:
    """The runs as JSON text (for the model file's RUNS_KEY entry); a running run is saved as
    it is now, marked stopped."""
    saved = []
    for run in runs[-MAX_RUNS:]:
        entry = run_to_dict(run)
        if entry["status"] == "running":
            entry["status"] = "stopped"
        saved.append(entry)
    return json.dumps({"format": FORMAT, "version": VERSION, "runs": saved})


def runs_entry(runs: list[Run]) -> np.ndarray:
    """The runs as the text array an .npz entry holds."""
    return np.array(runs_to_json(runs))


def save_model_with_runs(model: Sequential, runs: list[Run], path: str | os.PathLike) -> None:
    """Save the model (as serialization.save_model does, atomically) with the runs beside it."""
    arrays = model_to_arrays(model)
    if runs:
        arrays[RUNS_KEY] = runs_entry(runs)
    save_arrays(path, arrays)


def _number(value: object, what: str, low: float = -math.inf, high: float = math.inf) -> float:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or not low <= value <= high):
        raise ValueError(f"{what} must be a number from {low:g} to {high:g}, got {value!r:.40}")
    return float(value)


def _integer(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, got {value!r:.40}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(f"{what} must be a text of at most {MAX_TEXT} characters")
    return value


def _points(value: object, what: str, width: int, ranges: tuple[tuple[float, float], ...],
            limit: int) -> list[tuple[float, ...]]:
    if not isinstance(value, list) or len(value) > limit:
        raise ValueError(f"{what} must be a list of at most {limit:,} points")
    points = []
    for index, point in enumerate(value):
        if not isinstance(point, list) or len(point) != width:
            raise ValueError(f"{what}, point {index}, must hold {width} numbers")
        points.append(tuple(_number(number, f"{what}, point {index}", *bounds)
                            for number, bounds in zip(point, ranges, strict=True)))
    return points


_X, _RATE, _LOSS, _SHARE = (0.0, 1e6), (0.0, 1e9), (0.0, math.inf), (0.0, 1.0)


def _settings(value: object, where: str) -> RunSettings:
    names = {item.name for item in fields(RunSettings)}
    if not isinstance(value, dict) or set(value) != names:
        raise ValueError(f"{where}: its settings must name exactly {', '.join(sorted(names))}")
    return RunSettings(
        architecture=_text(value["architecture"], f"{where}: the architecture"),
        optimizer=_text(value["optimizer"], f"{where}: the optimizer"),
        learning_rate=_number(value["learning_rate"], f"{where}: the learning rate", *_RATE),
        batch_size=_integer(value["batch_size"], f"{where}: the batch size", 1, 1_000_000),
        dataset=_text(value["dataset"], f"{where}: the dataset"),
        epochs=_integer(value["epochs"], f"{where}: the epochs", 1, 1_000_000),
        seed=_integer(value["seed"], f"{where}: the seed", 0, 2**63),
        start=_text(value["start"], f"{where}: the start"),
        parameters=_integer(value["parameters"], f"{where}: the parameters", 0, 10**10))


def run_from_dict(value: object, position: int) -> Run:
    """One saved run, every field checked; ValueError naming the field."""
    where = f"run {position + 1}"
    keys = {"id", "settings", "status", "seconds", "steps", "validation", "tests",
            "rate_changes"}
    if not isinstance(value, dict) or set(value) != keys:
        raise ValueError(f"{where} must name exactly {', '.join(sorted(keys))}")
    status = value["status"]
    if status not in STATUSES:
        raise ValueError(f"{where}: status must be one of {', '.join(STATUSES)}")
    identifier = _text(value["id"], f"{where}: the id")
    if not identifier.isalnum():
        raise ValueError(f"{where}: the id must be letters and digits")
    epochs = 1_000_000
    return Run(
        number=position + 1, settings=_settings(value["settings"], where),
        steps=_points(value["steps"], f"{where}: the steps", 3, (_X, _LOSS, _SHARE), MAX_POINTS),
        validation=_points(value["validation"], f"{where}: the validation scores", 3,
                           (_X, _LOSS, _SHARE), epochs),
        tests=_points(value["tests"], f"{where}: the test scores", 2, (_X, _SHARE), epochs),
        rate_changes=_points(value["rate_changes"], f"{where}: the learning-rate changes", 2,
                             (_X, _RATE), MAX_POINTS),
        seconds=_number(value["seconds"], f"{where}: the time", 0.0, 1e9),
        status=status, id=identifier)


def runs_from_json(document: object) -> list[Run]:
    """The runs of a parsed RUNS_KEY entry; ValueError saying what is wrong."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("it is not a list of convviz runs")
    if document.get("version") != VERSION:
        raise ValueError(f"it has version {document.get('version')!r}; this convviz reads "
                         f"{VERSION}")
    runs = document.get("runs")
    if not isinstance(runs, list) or len(runs) > MAX_RUNS:
        raise ValueError(f"it must hold a list of at most {MAX_RUNS} runs")
    return [run_from_dict(entry, position) for position, entry in enumerate(runs)]


def read_runs(path: str | os.PathLike) -> list[Run]:
    """The runs saved in the model file at `path` (none if it has no runs entry); RunsError
    with a sentence if the entry is malformed."""
    path = Path(path)
    with open_arrays(path, RunsError, "model file") as arrays:
        if RUNS_KEY not in arrays:
            return []
        try:
            return runs_from_json(read_json_entry(arrays, RUNS_KEY, "runs entry"))
        except ValueError as error:
            raise RunsError(f"{path.name}: its saved runs cannot be read: {error}") from None

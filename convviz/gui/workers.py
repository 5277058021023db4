"""Work that must not block the GUI thread; the only module that makes threads.

A `FunctionWorker` runs one function on its own QThread and reports its result (or the
exception object, traceback and all: `convviz.gui.error_log.report` logs it and words it for a
person) back on the GUI thread through signals. Windows wait for their workers on close
(bounded work: every file read is bounded by the core's readers).
A `LatestRequestWorker` runs a stream of requests through such workers, newest first.
A `PictureImporter` turns dropped, pasted or opened pictures into what one tab shows, off the
GUI thread, the newest picture winning.
`start_detached` reads a file on a daemon thread that closing the window does not wait for.
A `TrainingWorker` runs a Trainer's generator, pausable and stoppable between batches.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from convviz.core.nn.model import Sequential
from convviz.core.nn.warm_up import WarmUpQueue, warm_forward, warm_training
from convviz.core.training.data import DownloadCancelled, MnistData, download_mnist, load_mnist
from convviz.core.training.evaluation import Evaluation, evaluate
from convviz.core.training.trainer import EpochRecord, FinishedRecord, StepRecord, Trainer
from convviz.gui import error_log


class FunctionWorker(QThread):
    """Runs `function()` on a new thread; `succeeded(result)` or `failed(exception)` follows."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, function: Callable[[], object], parent: QObject):
        super().__init__(parent)
        self._function = function

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as error:  # reported to the user; the GUI must never die of it
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


def start(function: Callable[[], object], parent: QObject, on_success: Callable[[object], None],
          on_failure: Callable[[Exception], None]) -> FunctionWorker:
    """Run function on a worker thread owned by parent (which must wait for it on close).

    The handlers are connected before the thread starts, so a quick result is never missed.
    """
    worker = FunctionWorker(function, parent)
    worker.succeeded.connect(on_success)
    worker.failed.connect(on_failure)
    worker.finished.connect(worker.deleteLater)
    worker.start()
    return worker


class _Relay(QObject):
    """Carries a detached read's outcome to the GUI thread (queued: it lives there)."""

    succeeded = Signal(object)
    failed = Signal(object)


def start_detached(function: Callable[[], object], parent: QObject,
                   on_success: Callable[[object], None],
                   on_failure: Callable[[Exception], None]) -> None:
    """Run a file read nobody need wait for on a daemon thread: closing the window while it
    runs returns at once, and the read is abandoned (its outcome, once parent is gone, is
    dropped). Only for work that changes nothing, such as reading a model file."""
    relay = _Relay(parent)
    relay.succeeded.connect(on_success)
    relay.failed.connect(on_failure)
    relay.succeeded.connect(relay.deleteLater)
    relay.failed.connect(relay.deleteLater)

    def run() -> None:
        try:
            signal, outcome = relay.succeeded, function()
        except Exception as error:  # reported to the user; the GUI must never die of it
            signal, outcome = relay.failed, error
        try:
            signal.emit(outcome)
        except RuntimeError:  # the relay went with its window: nobody is waiting any more
            pass

    threading.Thread(target=run, name="convviz-read", daemon=True).start()


def wait_for_workers(parent: QObject) -> None:
    """Block until every worker owned by parent has finished (call when closing)."""
    for worker in parent.findChildren(FunctionWorker):
        worker.wait()


class LatestRequestWorker(QObject):
    """Runs `compute(request)` off the GUI thread, one request at a time, the newest winning.

    A request submitted while another runs waits; a newer one replaces it, so a burst of
    control changes runs the first and the last only. Each run ends in `request_finished
    (request, result)` or `request_failed(request, exception)` on the GUI thread, after the next
    request (if any) has started: `busy` then says whether a newer result is on its way.
    """

    request_finished = Signal(object, object)
    request_failed = Signal(object, object)

    def __init__(self, compute: Callable[[object], object], parent: QObject,
                 detached: bool = False):
        """detached=True runs each request as `start_detached` does, on a daemon thread
        nobody waits for on close: only for reads that change nothing (decoding a picture)."""
        super().__init__(parent)
        self._compute = compute
        self._detached = detached
        self._running: FunctionWorker | bool | None = None
        self._request: object = None
        self._pending: tuple[object] | None = None

    @property
    def busy(self) -> bool:
        """True while a request runs or waits."""
        return self._running is not None

    def submit(self, request: object) -> None:
        if self._running is None:
            self._start(request)
        else:
            self._pending = (request,)

    def _start(self, request: object) -> None:
        self._request = request
        if self._detached:
            self._running = True
            start_detached(partial(self._compute, request), self, self._on_worker_succeeded,
                           self._on_worker_failed)
            return
        worker = FunctionWorker(partial(self._compute, request), self)
        worker.succeeded.connect(self._on_worker_succeeded)
        worker.failed.connect(self._on_worker_failed)
        worker.finished.connect(worker.deleteLater)
        self._running = worker
        worker.start()

    def _next(self) -> object:
        """Start the newest waiting request; returns the request that just ended."""
        request, self._running = self._request, None
        if self._pending is not None:
            (pending,), self._pending = self._pending, None
            self._start(pending)
        return request

    def _on_worker_succeeded(self, result: object) -> None:
        self.request_finished.emit(self._next(), result)

    def _on_worker_failed(self, error: Exception) -> None:
        self.request_failed.emit(self._next(), error)


# --- the jobs ----------------------------------------------------------------------------------

def start_warm_up(model: Sequential, queue: WarmUpQueue, parent: QObject,
                  on_success: Callable[[float], None], on_failure: Callable[[Exception], None],
                  then: tuple[tuple[str, Callable[[], object]], ...] = ()) -> FunctionWorker:
    """Warm up a copy of model's batch-1 kernels on a worker thread; on_success gets the
    seconds it took.

    Then queue runs, on another worker: model's training kernels (on another throwaway copy,
    so the Train tab is ready when a student opens it), then the named jobs in `then`. That
    part only logs a failure: whoever needs the kernel meets the same error and reports it.
    """
    twin, trainee = model.clone(), model.clone()

    def on_ready(seconds: float) -> None:
        on_success(seconds)
        queue.add("training", lambda: warm_training(trainee))
        for name, job in then:
            queue.add(name, job)
        start(queue.run, parent, lambda _result: None,
              lambda error: error_log.report(error, "Preparing the kernels"))

    return start(lambda: warm_forward(twin), parent, on_ready, on_failure)


class PictureImporter(QObject):
    """Turns pictures (a path or encoded bytes, with a display name) into what a tab shows.

    `convert(source, name, **options)` runs on a worker thread (decoding a 12 MP photo takes
    a good part of a second); the newest picture wins: one still waiting is dropped, and one
    that finishes while a newer is on its way is not announced. `imported(result)` or
    `failed(name, exception)` follows on the GUI thread. Every tab takes pictures through one
    of these, each with its own conversion.
    """

    imported = Signal(object)
    failed = Signal(str, object)

    def __init__(self, convert: Callable[..., object], parent: QObject):
        super().__init__(parent)
        self._worker = LatestRequestWorker(lambda job: convert(job[0], job[1], **job[2]), self,
                                           detached=True)  # closing never waits for a picture
        self._worker.request_finished.connect(self._on_worker_request_finished)
        self._worker.request_failed.connect(self._on_worker_request_failed)

    @property
    def busy(self) -> bool:
        """True while a picture is being converted or waits for it."""
        return self._worker.busy

    def take(self, source: str | Path | bytes, name: str, **options: object) -> None:
        """Convert this picture (`options` go to convert as they are now, not as they will be)."""
        self._worker.submit((source, name, options))

    def _on_worker_request_finished(self, _job, result: object) -> None:
        if not self._worker.busy:  # else a newer picture replaces this one
            self.imported.emit(result)

    def _on_worker_request_failed(self, job, error: Exception) -> None:
        self.failed.emit(job[1], error)


def start_mnist_load(data_dir: Path, parent: QObject, on_success: Callable[[MnistData], None],
                     on_failure: Callable[[Exception], None]) -> FunctionWorker:
    """Read the MNIST files (a few hundred milliseconds of decompression) off the GUI thread."""
    return start(lambda: load_mnist(data_dir), parent, on_success, on_failure)


class MnistDownloadWorker(FunctionWorker):
    """Downloads MNIST into a folder (`download_mnist`); `cancel()` stops it between chunks.

    `progress_reported(file_name, done_bytes, total_bytes)` follows each chunk. A cancelled
    download fails with DownloadCancelled and, like any failure, leaves no partial file.
    """

    progress_reported = Signal(str, int, int)

    def __init__(self, data_dir: Path, parent: QObject,
                 download: Callable[..., Path] = download_mnist):
        super().__init__(self._download, parent)
        self._data_dir, self._fetch = data_dir, download
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def _download(self) -> Path:
        def progress(file_name: str, done: int, total: int) -> None:
            if self._cancelled.is_set():
                raise DownloadCancelled()
            self.progress_reported.emit(file_name, done, total)

        return self._fetch(self._data_dir, progress)


# --- training ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class TestEvaluated:
    """The test set scored after an epoch, on the training thread, between two epochs."""

    epoch: int
    evaluation: Evaluation


@dataclass(frozen=True, eq=False)
class WeightsCopied:
    """A copy of the weights the trainer holds after `step` steps (when pausing, and at the end).

    `ended` marks the last report of a run; `finished` is the trainer's own last record (None
    when the run was stopped) and `error` an unexpected failure (the exception itself).
    """

    step: int
    weights: list[np.ndarray]
    ended: bool = False
    finished: FinishedRecord | None = None
    error: Exception | None = None


TrainingReport = StepRecord | EpochRecord | FinishedRecord | TestEvaluated | WeightsCopied


class TrainingWorker(QThread):
    """Runs `trainer.run()` on its own thread, on the trainer's own model (never shared).

    Reports queue up in order (`take_reports()` drains them on the GUI thread, at display
    rate, so the worker never waits for the views). Commands from the GUI thread take effect
    between two batches: `pause`, `resume`, `step` (one batch, then paused), `stop`,
    `set_learning_rate`. Every `snapshot_seconds` a step record carries copies of the weights;
    after each epoch the test set (if given) is scored. The last report is a WeightsCopied
    with ended=True.
    """

    def __init__(self, trainer: Trainer, parent: QObject, *,
                 test_set: tuple[np.ndarray, np.ndarray] | None = None,
                 snapshot_seconds: float = 0.2, paused: bool = False,
                 test_batch_size: int = 1000):
        super().__init__(parent)
        self.trainer = trainer
        self._test_set = test_set
        self._test_batch_size = test_batch_size
        self._snapshot_seconds = snapshot_seconds
        self._condition = threading.Condition()
        self._paused = paused
        self._steps_allowed = 0
        self._stopping = False
        self._learning_rate: float | None = None
        self._reports: deque[TrainingReport] = deque()
        self._finished: FinishedRecord | None = None
        self._waiting = False

    # --- commands (GUI thread) -----------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        """Whether the thread is parked between two batches (paused, weights reported)."""
        return self._waiting

    def pause(self) -> None:
        with self._condition:
            self._paused = True

    def resume(self) -> None:
        with self._condition:
            self._paused, self._steps_allowed = False, 0
            self._condition.notify_all()

    def step(self) -> None:
        """Train one batch, then stay paused."""
        with self._condition:
            self._paused = True
            self._steps_allowed += 1
            self._condition.notify_all()

    def stop(self) -> None:
        """End the run after the current batch; the trainer keeps the weights of that batch."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()

    def set_learning_rate(self, rate: float) -> None:
        """The trainer's base learning rate from the next batch on."""
        with self._condition:
            self._learning_rate = float(rate)

    def take_reports(self) -> list[TrainingReport]:
        """Everything reported since the last call, oldest first."""
        reports = []
        while self._reports:
            reports.append(self._reports.popleft())
        return reports

    # --- the thread ----------------------------------------------------------------------------

    def run(self) -> None:
        records = self.trainer.run()
        error = None
        last_snapshot = -float("inf")
        try:
            while (single := self._wait_for_turn()) is not None:
                now = time.perf_counter()
                if single or now - last_snapshot >= self._snapshot_seconds:
                    self.trainer.request_snapshot()
                    last_snapshot = now
                if not self._train_one_batch(records):
                    break
        except Exception as exception:  # shown to the user; the app must not die of it
            error = exception
        finally:
            records.close()
            self._reports.append(WeightsCopied(self.trainer.step, self.trainer.model.get_weights(),
                                               ended=True, finished=self._finished, error=error))

    def _wait_for_turn(self) -> bool | None:
        """Block while paused; None to stop, else whether this batch is a single step."""
        with self._condition:
            if self._paused and not self._steps_allowed and not self._stopping:
                self._reports.append(WeightsCopied(self.trainer.step,
                                                   self.trainer.model.get_weights()))
                self._waiting = True
                while self._paused and not self._steps_allowed and not self._stopping:
                    self._condition.wait()
                self._waiting = False
            if self._stopping:
                return None
            single = self._paused
            if single:
                self._steps_allowed -= 1
            rate, self._learning_rate = self._learning_rate, None
        if rate is not None:
            self.trainer.base_learning_rate = rate  # between steps: the generator is suspended
        return single

    def _train_one_batch(self, records) -> bool:
        """Advance to the next step record (epoch ends and test scores on the way); False once
        the run is over."""
        for record in records:
            self._reports.append(record)
            if isinstance(record, FinishedRecord):
                self._finished = record
                return False
            if isinstance(record, StepRecord):
                return True
            if self._test_set is not None:
                evaluation = evaluate(self.trainer.model, *self._test_set,
                                      batch_size=self._test_batch_size)
                self._reports.append(TestEvaluated(record.epoch, evaluation))
        return False

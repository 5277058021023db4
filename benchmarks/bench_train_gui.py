"""Training inside the app: its speed against `convviz train`, and the GUI while it trains.

    python benchmarks/bench_train_gui.py                  # MNIST from $CONVVIZ_DATA / shared
    python benchmarks/bench_train_gui.py --images 20000 --repeats 3

Targets: training throughput in the app >= 90% of `convviz train` on the same settings; while
training, a drawing stroke updates every view within 16 ms (median) and the GUI thread is never
blocked > 100 ms.

- Throughput: the same subset of MNIST (the first --images training images, the full test set)
  is written to a temporary folder; `convviz train` (a subprocess) and the app's Train tab (a
  window in this process, its Start button clicked, the Train tab on show with its live plots)
  train on it with the same settings, alternately, --repeats times each. Two epochs each, and
  epoch 2 is compared (epoch 1 also loads the compiled kernels, once per process). Figures:
  the trainer's own images/s (training steps only, what `convviz train` prints) and the
  epoch's seconds (training + validation); for the app also the wall time between the two
  epoch records reaching the GUI (which adds the test set scored after epoch 1).
- Drawing while training: with a run going (its weights reaching the session 5x a second), the
  Draw tab on show, synthetic mouse moves along hand-drawn digits (bench_gui's strokes, paced
  like a 125 Hz mouse): latency from a move to the whole window repainted with the input that
  includes it; and, with the same strokes replayed by a timer, the longest gap of a 1 ms
  heartbeat timer (the GUI thread's longest block). Also the longest block over a whole epoch
  with the Train tab on show (plots, kernels, the test set's confusion matrix after the epoch).

The host is shared and noisy (2 cores): compare medians and ratios from one run.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # this checkout, whatever is installed

import bench_gui  # noqa: E402  (its strokes, mouse events, heartbeat and summaries)

SHARED_MNIST = Path("/work/shared/data/mnist")
SETTINGS = {"arch": "classic", "optimizer": "adam", "lr": 0.001, "batch_size": 64, "seed": 0}
EPOCHS = 2
_EPOCH_LINE = re.compile(r"^epoch (\d+)/\d+ .*\s([\d.]+) s\s+([\d,]+) img/s")


def write_subset(source: Path, images: int) -> tuple[Path, int]:
    """The first `images` training images and the whole test set, as MNIST files in a temporary
    folder; returns the folder and the validation size the app holds out for that many."""
    from convviz.core.training.data import MNIST_FILES, load_mnist
    from convviz.gui.train.view import validation_size

    mnist = load_mnist(source)
    folder = Path(tempfile.mkdtemp(prefix="convviz-subset-"))
    arrays = (mnist.train_images[:images], mnist.train_labels[:images], mnist.test_images,
              mnist.test_labels)
    for name, array in zip(MNIST_FILES, arrays, strict=True):
        header = struct.pack(f">{1 + array.ndim}I", 2051 if array.ndim == 3 else 2049,
                             *array.shape)
        with gzip.open(folder / name, "wb", compresslevel=1) as stream:
            stream.write(header + array.tobytes())
    return folder, validation_size(images)


def run_cli(folder: Path, validation: int) -> tuple[float, float]:
    """`convviz train` on the subset; (images/s, seconds) of its last epoch."""
    out = Path(tempfile.mkdtemp(prefix="convviz-cli-"))
    command = [sys.executable, "-m", "convviz", "train", "--data", str(folder),
               "--epochs", str(EPOCHS), "--validation-size", str(validation),
               "--out", str(out / "model.npz"),
               *[item for key, value in SETTINGS.items()
                 for item in (f"--{key.replace('_', '-')}", str(value))]]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT,
                            env=env)
    epochs = {}
    for line in result.stderr.splitlines():
        match = _EPOCH_LINE.match(line.split("\r")[-1].strip())
        if match:
            epochs[int(match[1])] = (float(match[3].replace(",", "")), float(match[2]))
    return epochs[EPOCHS]


class AppRun:
    """Drives the Train tab of a real window; records epoch records as they reach the GUI."""

    def __init__(self, app, window):
        self.app, self.window, self.view = app, window, window.train_tab
        self.epochs: list[tuple[float, object]] = []  # (arrival time, EpochRecord)
        add_epoch = self.view.plots.add_epoch

        def recording_add_epoch(record):
            self.epochs.append((time.perf_counter(), record))
            add_epoch(record)

        self.view.plots.add_epoch = recording_add_epoch

    def configure(self, epochs: int) -> None:
        settings = self.view.settings
        settings.start_box.setCurrentIndex(settings.start_box.findData("new"))
        settings.arch_box.setCurrentIndex(settings.arch_box.findData(SETTINGS["arch"]))
        settings.optimizer_box.setCurrentIndex(settings.optimizer_box.findData(
            SETTINGS["optimizer"]))
        settings.learning_rate_box.setValue(SETTINGS["lr"])
        settings.batch_box.setValue(SETTINGS["batch_size"])
        settings.seed_box.setValue(SETTINGS["seed"])
        settings.epochs_box.setValue(epochs)

    def start(self, epochs: int) -> None:
        self.configure(epochs)
        self.epochs.clear()
        self.view.start_button.click()

    def wait(self, condition, seconds: float = 600.0) -> None:
        """Run the event loop (idle between events, as in the app) until condition() holds."""
        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + seconds
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline
                             else None)
        poll.start(20)
        if not condition():
            loop.exec()
        poll.stop()
        if not condition():
            raise TimeoutError("training did not get there in time")

    def throughput(self) -> tuple[float, float, float]:
        """One run of EPOCHS epochs; (images/s, seconds) of the last epoch, and the wall time
        between the last two epoch records reaching the GUI."""
        self.window.tabs.setCurrentWidget(self.view)
        self.start(EPOCHS)
        from convviz.gui.train.view import TrainState

        self.wait(lambda: self.view.state is TrainState.IDLE)
        (previous, _), (arrived, record) = self.epochs[-2], self.epochs[-1]
        return record.images_per_second, record.seconds, arrived - previous


def measure_stroke_latency(app, window) -> list[float]:
    """bench_gui's latency, counted by input updates: while training, weights reaching the
    session also recompute the activations, so those updates would not prove the move shown."""
    from PySide6.QtCore import QEvent, QEventLoop
    from PySide6.QtWidgets import QApplication

    view = window.draw_tab.canvas_view
    viewport = view.viewport()
    inputs = [0]
    window.session.input_changed.connect(lambda: inputs.__setitem__(0, inputs[0] + 1))
    latencies = []
    for stroke in bench_gui._stroke_points():
        QApplication.sendEvent(viewport, bench_gui._mouse_event(QEvent.Type.MouseButtonPress,
                                                                view, stroke[0]))
        for point in stroke[1:]:
            next_slot = time.perf_counter() + bench_gui.MOUSE_INTERVAL_S
            seen = inputs[0]
            start = time.perf_counter()
            QApplication.sendEvent(viewport, bench_gui._mouse_event(QEvent.Type.MouseMove, view,
                                                                    point))
            while inputs[0] == seen:  # the throttle may hold the update back a few ms
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            window.repaint()  # every view, in one paint and one flush
            latencies.append(1000 * (time.perf_counter() - start))
            time.sleep(max(0.0, next_slot - time.perf_counter()))
            app.processEvents()
        QApplication.sendEvent(viewport, bench_gui._mouse_event(
            QEvent.Type.MouseButtonRelease, view, stroke[-1]))
        window.draw_tab.clear()
    return latencies


def measure_block_over_an_epoch(run: AppRun) -> tuple[float, float]:
    """Longest GUI-thread gap from the Start click through the first epoch's test-set result
    shown, with the Train tab on show."""
    run.window.tabs.setCurrentWidget(run.view)
    heartbeat = bench_gui.Heartbeat()
    heartbeat.start()
    run.start(epochs=20)
    run.wait(lambda: run.view.results_view.evaluation is not None)
    return heartbeat.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="MNIST folder (default: $CONVVIZ_DATA, else "
                                                  f"{SHARED_MNIST})")
    parser.add_argument("--images", type=int, default=20_000, help="training images used")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (medians)")
    args = parser.parse_args()
    source = args.data or Path(os.environ.get("CONVVIZ_DATA", SHARED_MNIST))
    folder, validation = write_subset(source, args.images)
    os.environ["CONVVIZ_DATA"] = str(folder)  # the app reads the subset as its MNIST
    print(f"{args.images:,} training images ({validation:,} held out), the 10,000 test images; "
          f"{SETTINGS}, {EPOCHS} epochs per run, epoch {EPOCHS} compared", flush=True)

    app, window = bench_gui._make_window()
    run = AppRun(app, window)
    run.wait(lambda: window.session.is_ready and window.train_tab.mnist is not None)
    bench_gui.measure_latency(app, window)  # warms the drawing path
    idle_latency = measure_stroke_latency(app, window)

    cli, in_app = [], []
    for repeat in range(args.repeats):
        cli.append(run_cli(folder, validation))
        in_app.append(run.throughput())
        print(f"  run {repeat + 1}: convviz train {cli[-1][0]:7,.0f} img/s, epoch "
              f"{cli[-1][1]:5.2f} s | app {in_app[-1][0]:7,.0f} img/s, epoch {in_app[-1][1]:5.2f} s"
              f" (wall {in_app[-1][2]:5.2f} s)", flush=True)
    cli_speed, cli_seconds = (statistics.median(c[k] for c in cli) for k in (0, 1))
    app_speed, app_seconds, app_wall = (statistics.median(a[k] for a in in_app)
                                        for k in (0, 1, 2))
    print(f"throughput: convviz train {cli_speed:,.0f} img/s, app {app_speed:,.0f} img/s: "
          f"ratio {app_speed / cli_speed:.1%} (median of {args.repeats})")
    print(f"epoch time: convviz train {cli_seconds:.2f} s, app {app_seconds:.2f} s "
          f"(wall clock between epoch records in the GUI {app_wall:.2f} s): ratio "
          f"{cli_seconds / app_seconds:.1%} (by wall clock {cli_seconds / app_wall:.1%})")

    wall, cpu = measure_block_over_an_epoch(run)
    print(f"longest GUI-thread block from Start through the first epoch's test result (Train "
          f"tab on show): {wall:6.1f} ms wall, {cpu:6.1f} ms of its own CPU time")
    window.tabs.setCurrentWidget(window.draw_tab)
    run.wait(lambda: run.view.last_step is not None)
    latency = measure_stroke_latency(app, window)
    wall, cpu = bench_gui.measure_blocking_while_drawing(app, window)
    steps = run.view.last_step.step
    run.view.shutdown()
    print(f"mouse move -> every view repainted, idle:          {bench_gui._summary(idle_latency)}")
    print(f"mouse move -> every view repainted, while training: {bench_gui._summary(latency)}")
    print(f"longest GUI-thread block while drawing and training: {wall:6.1f} ms wall, "
          f"{cpu:6.1f} ms of its own CPU time ({steps} training steps done meanwhile)")
    window.model_file.modified = False  # nothing to ask about on close
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

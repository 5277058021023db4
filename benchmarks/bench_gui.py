"""GUI responsiveness of the Draw tab: stroke-to-repaint latency, GUI-thread blocking, start-up.

    python benchmarks/bench_gui.py              # everything (about a minute, more if cold)
    python benchmarks/bench_gui.py --skip-cold  # without the cold-cache start-up

Targets: from a mouse move to every view repainted <= 16 ms median; the GUI thread never
blocked > 50 ms (also with the why-maps or what-if views on show, and while filters are
switched off and on); a usable window <= 2 s after launch with a warm Numba cache. Set
CONVVIZ_DATA to an MNIST folder to include the what-if test accuracy's work.

- Latency: synthetic mouse moves along hand-drawn digit strokes, paced like a 125 Hz mouse,
  go to the canvas with QApplication.sendEvent. For each move: wait until the network views
  have been updated with an input that includes it (the update is throttled to display rate,
  so this can include waiting for the throttle), then repaint the whole window synchronously
  (every view, changed or not: an upper bound). Latency = that repaint's end - the move's send.
  The GUI thread's CPU time is reported too: on a busy machine wall time also counts waiting
  for a core.
- Blocking: the same strokes replayed by a timer inside a running event loop, while a 1 ms
  heartbeat timer records the longest gap between its ticks; also during start-up (warm-up
  worker running) and while a 12-megapixel photo is loaded on a worker.
- Start-up: a fresh process per run (time from before the launch to the window painted, and
  to the network ready); warm = Numba's on-disk cache filled, cold = NUMBA_CACHE_DIR empty.

Machine-dependent figures; the host is noisy, so compare medians from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MOUSE_INTERVAL_S = 0.008  # a 125 Hz mouse


def _summary(values_ms: list[float]) -> str:
    ordered = sorted(values_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  "
            f"max {ordered[-1]:6.2f} ms  (n={len(ordered)})")


def _make_window():
    """The app's own start-up (shipped or untrained model), with settings in a temp folder."""
    from PySide6.QtCore import QSettings

    from convviz.gui.app import create_application, open_main_window

    app = create_application()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    return app, open_main_window(settings)


def _stroke_points():
    from convviz.core.drawing.canvas import digit_strokes

    points = []
    for digit, centre in ((3, (140.0, 140.0)), (8, (150.0, 135.0)), (5, (135.0, 145.0))):
        for stroke in digit_strokes(digit, centre, 200.0):
            # resample to ~4 px steps, as a real mouse reports them
            dense = [stroke[0]]
            for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
                steps = max(1, int(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 / 4))
                dense += [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps)
                          for k in range(1, steps + 1)]
            points.append(dense)
    return points


def _mouse_event(kind, view, point):
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    pos = view.mapFromScene(view.image_item.mapToScene(QPointF(*point)))
    button = Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.NoButton if kind.name == "MouseButtonRelease" else button
    return QMouseEvent(kind, QPointF(pos), QPointF(view.mapToGlobal(pos)), button, buttons,
                       Qt.KeyboardModifier.NoModifier)


def measure_latency(app, window) -> tuple[list[float], list[float]]:
    """Milliseconds from each mouse move until the window is repainted showing its effect, and
    the GUI thread's CPU time in that span (the part other programs cannot inflate)."""
    from PySide6.QtCore import QEvent, QEventLoop
    from PySide6.QtWidgets import QApplication

    view = window.draw_tab.canvas_view
    viewport = view.viewport()
    updates = [0]
    window.session.activations_changed.connect(lambda: updates.__setitem__(0, updates[0] + 1))
    latencies, cpu = [], []
    for stroke in _stroke_points():
        QApplication.sendEvent(viewport, _mouse_event(QEvent.Type.MouseButtonPress, view,
                                                      stroke[0]))
        for point in stroke[1:]:
            next_slot = time.perf_counter() + MOUSE_INTERVAL_S
            seen = updates[0]
            start, start_cpu = time.perf_counter(), time.thread_time()
            QApplication.sendEvent(viewport, _mouse_event(QEvent.Type.MouseMove, view, point))
            while updates[0] == seen:  # the throttle may hold the update back a few ms
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            window.repaint()  # every view, in one paint and one flush
            latencies.append(1000 * (time.perf_counter() - start))
            cpu.append(1000 * (time.thread_time() - start_cpu))
            time.sleep(max(0.0, next_slot - time.perf_counter()))
            app.processEvents()
        QApplication.sendEvent(viewport, _mouse_event(QEvent.Type.MouseButtonRelease, view,
                                                      stroke[-1]))
        window.draw_tab.clear()
    return latencies, cpu


class Heartbeat:
    """A 1 ms timer; the longest gap between its ticks is the longest the GUI thread blocked.

    Each gap is measured twice: wall time, and the GUI thread's own CPU time in it. On a
    machine busy with other work the two differ: the thread was waiting for a core, not busy.
    """

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.last = self.last_cpu = 0.0
        self.longest = self.longest_cpu = 0.0

    def start(self):
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.longest = self.longest_cpu = 0.0
        self.timer.start(1)

    def _tick(self):
        now, now_cpu = time.perf_counter(), time.thread_time()
        self.longest = max(self.longest, now - self.last)
        self.longest_cpu = max(self.longest_cpu, now_cpu - self.last_cpu)
        self.last, self.last_cpu = now, now_cpu

    def stop(self) -> tuple[float, float]:
        """(longest wall gap, longest GUI-thread CPU time in one gap), in milliseconds."""
        self.timer.stop()
        self._tick()
        return 1000 * self.longest, 1000 * self.longest_cpu


def measure_blocking_while_drawing(app, window) -> tuple[float, float]:
    """Replay the strokes from a timer inside a running event loop; longest GUI-thread gap."""
    from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    view = window.draw_tab.canvas_view
    events = []
    for stroke in _stroke_points():
        events.append((QEvent.Type.MouseButtonPress, stroke[0]))
        events += [(QEvent.Type.MouseMove, point) for point in stroke[1:]]
        events.append((QEvent.Type.MouseButtonRelease, stroke[-1]))
    loop = QEventLoop()
    driver = QTimer()
    driver.setTimerType(Qt.TimerType.PreciseTimer)

    def send_next():
        if not events:
            driver.stop()
            loop.quit()
            return
        kind, point = events.pop(0)
        QApplication.sendEvent(view.viewport(), _mouse_event(kind, view, point))

    driver.timeout.connect(send_next)
    heartbeat = Heartbeat()
    heartbeat.start()
    driver.start(round(1000 * MOUSE_INTERVAL_S))
    loop.exec()
    return heartbeat.stop()


def _with_detail_view(window, view, measure):
    """Run a blocking measure with one of the Draw tab's detail views on show (its work then
    runs too: the why-maps and the what-if accuracy on workers)."""
    window.draw_tab.show_detail(view)
    return lambda app, window: measure(app, window)


def measure_blocking_while_toggling(app, window) -> tuple[float, float]:
    """Longest GUI-thread gap while C1's and C3's filters are switched off and on one by one,
    every 100 ms (what-if view on show; its test accuracy reruns after each change when
    MNIST is loaded), then reset."""
    from PySide6.QtCore import QEventLoop, QTimer

    view = window.draw_tab.what_if_view
    window.draw_tab.show_detail(view)
    actions = [(name, k) for name, count in (("C1", 6), ("C3", 16)) for k in range(count)]
    actions = actions + actions
    loop = QEventLoop()
    driver = QTimer()

    def next_action():
        if not actions:
            driver.stop()
            view.reset()
            loop.quit()
            return
        view.toggle_filter(*actions.pop(0))

    driver.timeout.connect(next_action)
    heartbeat = Heartbeat()
    heartbeat.start()
    driver.start(100)
    loop.exec()
    return heartbeat.stop()


def measure_blocking_while_loading(app, window) -> tuple[float, float]:
    """Longest GUI-thread gap while a 12-megapixel photo is decoded and converted."""
    import numpy as np
    from PIL import Image
    from PySide6.QtCore import QEventLoop, QTimer

    path = Path(tempfile.mkdtemp()) / "photo.jpg"
    rng = np.random.default_rng(0)
    photo = np.full((3000, 4000, 3), 225, np.uint8) + rng.integers(0, 20, (3000, 4000, 3),
                                                                   dtype=np.uint8)
    photo[800:2200, 1900:2100] = 40
    Image.fromarray(photo).save(path, quality=90)
    loop = QEventLoop()
    window.session.input_changed.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    heartbeat = Heartbeat()
    heartbeat.start()
    window.open_image(path)
    loop.exec()
    window.session.input_changed.disconnect(loop.quit)
    return heartbeat.stop()


def startup_child(launched_at: float) -> None:
    """Run in a fresh process: print when the window was painted and the network ready."""
    app, window = _make_window()
    window.repaint()
    times = {"window_painted_s": time.time() - launched_at}
    heartbeat = Heartbeat()

    def ready():
        times["network_ready_s"] = time.time() - launched_at
        times["block_wall_ms"], times["block_cpu_ms"] = heartbeat.stop()
        window.close()
        app.quit()

    if window.session.is_ready:
        ready()
    else:
        window.session.warmed_up.connect(ready)
        heartbeat.start()
        app.exec()
    print(json.dumps(times))


def measure_startup(runs: int, cold: bool) -> list[dict]:
    results = []
    for _ in range(runs):
        env = dict(os.environ)
        if cold:
            env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-cold-")
        launched_at = time.time()
        output = subprocess.run([sys.executable, __file__, "--startup-child", str(launched_at)],
                                env=env, capture_output=True, text=True, check=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold-cache start-up")
    parser.add_argument("--startup-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup_child is not None:
        startup_child(args.startup_child)
        return 0

    warm = measure_startup(3, cold=False)  # also fills the cache for what follows
    app, window = _make_window()
    while not window.session.is_ready:
        app.processEvents()
    measure_latency(app, window)  # a first pass warms caches; not reported
    wall, cpu = measure_latency(app, window)
    print(f"mouse move -> every view repainted:\n  wall {_summary(wall)}\n  CPU  {_summary(cpu)}")
    draw = window.draw_tab
    for name, measure in (
            ("drawing", measure_blocking_while_drawing),
            ("loading a 12 MP JPEG", measure_blocking_while_loading),
            ("drawing, why-maps on show", _with_detail_view(
                window, draw.why_view, measure_blocking_while_drawing)),
            ("drawing, what-if on show", _with_detail_view(
                window, draw.what_if_view, measure_blocking_while_drawing)),
            ("switching filters off and on", measure_blocking_while_toggling)):
        wall, cpu = measure(app, window)
        print(f"longest GUI-thread block while {name}: {wall:6.1f} ms wall, "
              f"{cpu:6.1f} ms of its own CPU time")
    window.close()
    for label, results in (("warm", warm), *(() if args.skip_cold else
                                            (("cold", measure_startup(1, cold=True)),))):
        for result in results:
            print(f"start-up ({label} cache): window painted {result['window_painted_s']:5.2f} s,"
                  f" network ready {result['network_ready_s']:6.2f} s, longest GUI-thread "
                  f"block meanwhile {result.get('block_wall_ms', 0):6.1f} ms wall, "
                  f"{result.get('block_cpu_ms', 0):6.1f} ms CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

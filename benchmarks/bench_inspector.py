"""Time the image inspector on a large photo: load, control change to maps shown, zoom, pan.

    python benchmarks/bench_inspector.py [--size 3000x4000] [--changes 3]

Qt runs offscreen. The photo is the generated street scene with camera-like noise, as JPEG.
For each control change it prints the time from the change to ``maps_updated`` (worker
compute plus showing), the paint that follows, and the longest the GUI thread went without
running its event loop meanwhile (a stutter shows up there). Zoom and pan times are repaints
of the whole tab. The host is noisy: compare figures from one run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _wait_until(condition, seconds: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the view did not get ready in time")
        QApplication.processEvents()
        time.sleep(0.001)


class _LoopWatch:
    """Records the longest gap between event-loop turns (a 2 ms timer's ticks)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(2)

    def reset(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now


def _photo_jpeg(height: int, width: int) -> bytes:
    from PIL import Image

    from convviz.gui.inspector.sample import sample_photo

    buffer = io.BytesIO()
    Image.fromarray(sample_photo(width, height, noise=3.0)).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _make_view(width: int = 1600, height: int = 950):
    from convviz.gui.inspector.view import InspectorView

    view = InspectorView()
    view.resize(width, height)
    view.show()
    return view


def _change_then_show(view, watch, change) -> tuple[float, float, float, float]:
    """(ms to maps_updated, worker compute ms, ms for the next paint, longest loop gap ms)."""
    shown = view._shown_serial  # the benchmark peeks at it
    watch.reset()
    start = time.perf_counter()
    change()
    _wait_until(lambda: view._shown_serial > shown and not view.mapper.busy)
    updated = time.perf_counter()
    gap = watch.longest
    view.grab()
    painted = time.perf_counter()
    return ((updated - start) * 1e3, view.computed.seconds * 1e3, (painted - updated) * 1e3,
            gap * 1e3)


def bench(size: tuple[int, int], changes: int) -> None:
    from PySide6.QtWidgets import QApplication

    height, width = size
    data = _photo_jpeg(height, width)
    view = _make_view()
    watch = _LoopWatch()
    start = time.perf_counter()
    view.load_bytes(data, "the benchmark photo")
    _wait_until(lambda: view.computed is not None)
    _wait_until(lambda: not view.mapper.busy)
    print(f"{width}x{height} ({width * height / 1e6:.0f} MP) JPEG, {len(data) / 1e6:.1f} MB: "
          f"drop to first maps {time.perf_counter() - start:.2f} s (includes JIT loading)")
    controls = view.controls
    steps = [
        ("stride 2", lambda: controls.stride_spin.set_value((2, 2))),
        ("stride 1", lambda: controls.stride_spin.set_value((1, 1))),
        ("ReLU", lambda: controls.activation_combo.setCurrentText("ReLU")),
        ("max pool 2x2", lambda: controls.pooling_combo.setCurrentText("max")),
        ("no pooling", lambda: controls.pooling_combo.setCurrentText("none")),
        ("no activation", lambda: controls.activation_combo.setCurrentText("none")),
        ("padding valid", lambda: controls.padding_combo.setCurrentText("valid")),
        ("padding same", lambda: controls.padding_combo.setCurrentText("same")),
    ]
    print(f"4 kernels ({', '.join(k.name for k in controls.kernels())}), luminance; "
          f"median of {changes} runs (ms)")
    print(f"{'change':>15} {'to maps':>8} {'compute':>8} {'paint':>6} {'loop gap':>9}")
    for name, change in steps:
        runs = []
        for repeat in range(changes):
            if repeat:  # undo, untimed, so the same change is timed again
                _undo(controls, name)
                _wait_until(lambda: not view.mapper.busy)
                QApplication.processEvents()
            runs.append(_change_then_show(view, watch, change))
        medians = [statistics.median(column) for column in zip(*runs, strict=True)]
        print(f"{name:>15} {medians[0]:8.0f} {medians[1]:8.0f} {medians[2]:6.0f} "
              f"{medians[3]:9.0f}")
    _bench_zoom_and_pan(view)
    view.close()


def _undo(controls, name: str) -> None:
    undo = {"stride 2": lambda: controls.stride_spin.set_value((1, 1)),
            "stride 1": lambda: controls.stride_spin.set_value((2, 2)),
            "ReLU": lambda: controls.activation_combo.setCurrentText("none"),
            "max pool 2x2": lambda: controls.pooling_combo.setCurrentText("none"),
            "no pooling": lambda: controls.pooling_combo.setCurrentText("max"),
            "no activation": lambda: controls.activation_combo.setCurrentText("ReLU"),
            "padding valid": lambda: controls.padding_combo.setCurrentText("same"),
            "padding same": lambda: controls.padding_combo.setCurrentText("valid")}
    undo[name]()


def _bench_zoom_and_pan(view) -> None:
    """Wheel and drag on the photo as a person would, so every view follows it."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    grid = view.grid
    viewport = grid.viewport()
    centre = QPointF(grid.mapFromScene(grid.photo.view.sceneBoundingRect().center()))
    zooms, pans = [], []
    for _ in range(6):  # two wheel notches zoom in about 1.6x: most steps change mipmap level
        start = time.perf_counter()
        QApplication.sendEvent(viewport, QWheelEvent(
            centre, viewport.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False))
        view.grab()
        zooms.append((time.perf_counter() - start) * 1e3)
    point = centre.toPoint()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    for step in range(1, 11):
        start = time.perf_counter()
        QTest.mouseMove(viewport, point + QPoint(8 * step, 4 * step))
        view.grab()
        pans.append((time.perf_counter() - start) * 1e3)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       point + QPoint(80, 40))
    levels = [cell.image_item.level for cell in (grid.photo, *grid.cells)]
    print(f"zoom step (wheel, all views follow, repaint): median {statistics.median(zooms):.0f}"
          f" ms, worst {max(zooms):.0f} ms; pan step (drag, repaint): median "
          f"{statistics.median(pans):.0f} ms, worst {max(pans):.0f} ms; mipmap levels now "
          f"{levels}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="3000x4000", help="HEIGHTxWIDTH of the photo")
    parser.add_argument("--changes", type=int, default=3, help="runs per control change")
    args = parser.parse_args()
    from convviz.gui.app import create_application

    create_application()
    bench(tuple(int(n) for n in args.size.lower().split("x")), args.changes)
    return 0


if __name__ == "__main__":
    sys.exit(main())

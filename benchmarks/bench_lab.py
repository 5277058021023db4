"""How long the GUI thread is blocked while a 10-layer design is edited in the Lab tab.

    python benchmarks/bench_lab.py

Target: every edit (a keystroke in a field, a padding choice, adding, removing or moving a
layer) re-checks the design and updates the table, the list and the totals within 50 ms.

- Per edit: the key or click is sent with QTest, then the Lab is repainted synchronously;
  the time is from before the send to after the repaint (an upper bound on what a person
  waits), with the GUI thread's CPU time beside it (the host is shared and noisy).
- Event loop: the same edits played by a timer every 30 ms inside a running event loop,
  each round followed by 1.2 s without edits,
  while a 1 ms heartbeat timer records the longest gap between its ticks; the time-per-epoch
  measurement (a worker thread training a few batches) runs in between, as in the app.
The design is the small VGG-style preset plus a Dropout: 10 layers, 4 of them convolutions.
The training kernels are compiled first, as the app's start-up warm-up does.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ROUNDS = 6


def _summary(values_ms: list[float]) -> str:
    ordered = sorted(values_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  "
            f"max {ordered[-1]:6.2f} ms  (n={len(ordered)})")


def _edits(lab):
    """One round of what a student does: type sizes, choose padding, add, move, remove."""
    def type_into(field_name: str, text: str):
        def run():
            box = lab.editor.fields[field_name]
            box.setFocus()
            QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClicks(box, text)
        return run

    def key(widget_getter, key_code, modifier=Qt.KeyboardModifier.NoModifier):
        def run():
            widget = widget_getter()
            widget.setFocus()  # the list's shortcuts work where a person has the focus
            QTest.keyClick(widget, key_code, modifier)
        return run

    def select(row: int):
        return lambda: lab.layer_list.setCurrentRow(row)

    padding = lambda: lab.editor.fields["padding"]  # noqa: E731
    return [select(0), type_into("filters", "3"), type_into("filters", "32"),
            type_into("kernel_size", "5"), type_into("kernel_size", "3"),
            key(padding, Qt.Key.Key_Up), key(padding, Qt.Key.Key_Down),
            select(3), type_into("strides", "2"), type_into("strides", "1"),
            select(8), type_into("units", "6"), type_into("units", "64"),
            lambda: QTest.mouseClick(lab.add_button, Qt.MouseButton.LeftButton),
            key(lambda: lab.layer_list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier),
            key(lambda: lab.layer_list, Qt.Key.Key_Delete)]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from convviz.core.design.design import Design
    from convviz.core.design.estimate import estimate_epoch
    from convviz.gui import workers
    from convviz.gui.app import configure_pyqtgraph
    from convviz.gui.lab.view import LabView

    configure_pyqtgraph()
    lab = LabView()
    design = Design.from_preset("small-vgg")
    design.add("Dropout", 7)
    lab.set_design(design)
    lab.resize(1366, 740)
    lab.show()
    QTest.qWaitForWindowExposed(lab)
    assert len(lab.design.layers) == 10 and lab.check.valid
    edits = _edits(lab)
    for edit in edits:  # warm-up round
        edit()
        app.processEvents()
    estimate_epoch(design, timed_batches=1)  # the app's start-up warm-up compiles these kernels

    walls, cpus = [], []
    for _ in range(ROUNDS):
        for edit in edits:
            app.processEvents()
            wall, cpu = time.perf_counter(), time.thread_time()
            edit()
            lab.repaint()
            walls.append(1e3 * (time.perf_counter() - wall))
            cpus.append(1e3 * (time.thread_time() - cpu))
    print(f"Lab, 10-layer design, edit to repaint (wall): {_summary(walls)}")
    print(f"Lab, 10-layer design, edit to repaint (GUI-thread CPU): {_summary(cpus)}")

    idle = [lambda: None] * 40  # 1.2 s without edits: the epoch estimate starts (0.5 s)
    queue = (edits + idle) * ROUNDS
    estimates = [0]
    lab._estimator.request_finished.connect(lambda *_: estimates.__setitem__(0, estimates[0] + 1))
    gaps, last = [], [time.perf_counter()]

    def beat():
        now = time.perf_counter()
        gaps.append(1e3 * (now - last[0]))
        last[0] = now

    heartbeat, player = QTimer(), QTimer()
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(beat)
    player.setInterval(30)
    player.timeout.connect(lambda: queue.pop(0)() if queue else app.quit())
    heartbeat.start()
    player.start()
    app.exec()
    heartbeat.stop()
    player.stop()
    print(f"Lab, edits every 30 ms in the event loop, longest GUI-thread gap: "
          f"{max(gaps):.1f} ms (median gap {statistics.median(gaps):.2f} ms, "
          f"{len(edits) * ROUNDS} edits, {estimates[0]} epoch estimates measured meanwhile)")
    workers.wait_for_workers(lab)
    assert len(lab.design.layers) == 10, "the edits leave the design as it was"


if __name__ == "__main__":
    main()

"""Throttle: run a callback at most once per interval, at once when idle, never dropping the last.

Mouse moves arrive faster than anyone can see (up to 1000 Hz with a tablet); the network views
only need to follow at display rate. The first call runs immediately (no added latency); calls
within the interval collapse into one run at its end, which sees the latest state.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer


class Throttle(QObject):
    def __init__(self, callback: Callable[[], None], interval_ms: float,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._callback = callback
        self._interval = interval_ms / 1000.0
        self._last_run = -float("inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._run)

    @property
    def pending(self) -> bool:
        """Whether a run is scheduled for the end of the current interval."""
        return self._timer.isActive()

    def __call__(self) -> None:
        if self._timer.isActive():
            return
        wait = self._last_run + self._interval - time.perf_counter()
        if wait <= 0:
            self._run()
        else:
            self._timer.start(max(1, round(wait * 1000)))

    def flush(self) -> None:
        """Run a pending call now (e.g. when a stroke ends)."""
        if self._timer.isActive():
            self._timer.stop()
            self._run()

    def _run(self) -> None:
        self._last_run = time.perf_counter()
        self._callback()

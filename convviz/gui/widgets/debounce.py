"""Debounce: run a callback once its trigger has been quiet for a while.

Training pushes new weights into the session about five times a second; a view whose answer
costs a second of a worker (the test accuracy, the top patches over 10,000 digits) would run
back to back against the trainer on a 2-core machine. A debounce waits until the weights have
been still for `quiet_ms` and then runs once, on the latest state; `flush` runs a waiting call
at once (a person asked), `cancel` forgets it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Debounce(QObject):
    def __init__(self, callback: Callable[[], None], quiet_ms: int,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._callback = callback
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(quiet_ms)
        self._timer.timeout.connect(self._callback)

    @property
    def pending(self) -> bool:
        """Whether a call waits for the quiet time to pass."""
        return self._timer.isActive()

    def __call__(self) -> None:
        self._timer.start()     # (re)starts the quiet time

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._callback()

    def cancel(self) -> None:
        self._timer.stop()

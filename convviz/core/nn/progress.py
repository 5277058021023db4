"""Keras' progress bar for fit (verbose=1), or one line per epoch (verbose=2), as plain text:
a carriage return redraws the line, which terminals and Jupyter notebooks both understand, so
no widget library is needed. Redraws are throttled to a few per second."""

from __future__ import annotations

import sys
import time

from convviz.core.formatting import format_duration
from convviz.core.nn.callbacks import Callback

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1


def format_logs(logs: dict[str, float]) -> str:
    """'loss: 0.1234 - accuracy: 0.9500', as Keras prints them."""
    return " - ".join(f"{key}: {value:.4f}" for key, value in logs.items())


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """'[=====>........]': Keras' bar, with '>' at the front until it is full."""
    filled = width * done // max(total, 1)
    if done >= total:
        return "[" + "=" * width + "]"
    return "[" + "=" * filled + ">" + "." * (width - filled - 1) + "]"


class ProgressBar(Callback):
    """Prints 'Epoch 1/5', then ' 12/47 [======>.....] - 0:03 - loss: ... - accuracy: ...'."""

    def __init__(self, verbose: int = 1):
        super().__init__()
        self.verbose = verbose

    def _write(self, text: str) -> None:
        sys.stdout.write(text)  # looked up each time: notebooks and tests replace it
        sys.stdout.flush()

    def on_epoch_begin(self, epoch, logs=None):
        self._started = self._drawn = time.perf_counter()
        if self.verbose == 1:
            self._write(f"Epoch {epoch + 1}/{self.params['epochs']}\n")

    def _line(self, batch: int, logs: dict) -> str:
        steps = self.params["steps"]
        elapsed = format_duration(time.perf_counter() - self._started)
        return (f"{batch:>{len(str(steps))}}/{steps} {bar(batch, steps)} - {elapsed} - "
                f"{format_logs(logs)}")

    def on_train_batch_end(self, batch, logs=None):
        now = time.perf_counter()
        if self.verbose != 1 or (now - self._drawn < REDRAW_SECONDS
                                 and batch + 1 < self.params["steps"]):
            return
        self._drawn = now
        self._write("\r" + self._line(batch + 1, logs or {}))

    def on_epoch_end(self, epoch, logs=None):
        line = self._line(self.params["steps"], logs or {})
        if self.verbose == 1:
            self._write("\r" + line + "\n")
        else:
            self._write(f"Epoch {epoch + 1}/{self.params['epochs']} - {line}\n")

"""Keras' callbacks for `fit`: the Callback hooks, the History every fit returns, and
EarlyStopping. A callback reads `self.model` and `self.params` and may set
`model.stop_training` to end training after the current epoch."""

from __future__ import annotations

import math


class Callback:
    """Hooks fit calls: train begin/end, epoch begin/end (with the epoch's logs) and after
    each training batch (with the running means so far). Override the ones you need."""

    def __init__(self) -> None:
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None: ...

    def on_train_end(self, logs: dict | None = None) -> None: ...

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None: ...

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None: ...

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None: ...


class History(Callback):
    """What fit returns: `history["loss"]`, `["accuracy"]`, `["val_loss"]`,
    `["val_accuracy"]`, one value per completed epoch, and the epoch numbers (0-based)."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.history, self.epoch = {}, []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class EarlyStopping(Callback):
    """Stop when `monitor` has not improved by more than `min_delta` for `patience` epochs,
    as Keras does; `restore_best_weights` then puts back the weights of the best epoch."""

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", restore_best_weights: bool = False):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience must be a whole number of epochs >= 0, got {patience!r}")
        if not math.isfinite(min_delta):
            raise ValueError(f"min_delta must be a finite number, got {min_delta!r}")
        self.monitor = monitor
        self.min_delta = abs(float(min_delta))
        self.patience = patience
        self.verbose = verbose
        self.mode = ("max" if "acc" in monitor else "min") if mode == "auto" else mode
        self.restore_best_weights = bool(restore_best_weights)

    def on_train_begin(self, logs=None):
        available = self.params.get("metrics", ())
        if self.monitor not in available:
            hint = (": give fit validation_data or validation_split"
                    if self.monitor.startswith("val_") else "")
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, but fit reports only "
                             f"{', '.join(available)}{hint}")
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_weights = None

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value + self.min_delta < self.best
        return value - self.min_delta > self.best

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None or math.isnan(value):
            return
        self.wait += 1
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if not self.stopped_epoch:
            return
        if self.restore_best_weights and self.best_weights is not None:
            self.model.set_weights(self.best_weights)
        if self.verbose:
            restored = (f"; restored the weights of epoch {self.best_epoch + 1}"
                        if self.restore_best_weights else "")
            print(f"Epoch {self.stopped_epoch + 1}: early stopping{restored}")

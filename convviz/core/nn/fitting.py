"""Keras' `fit` loop for a Sequential model, built on its `train_on_batch` and `evaluate`.

Epochs of shuffled mini-batches, validation after each epoch, callbacks (History always,
a progress bar when verbose), and Ctrl+C: while fit runs on the main thread, an interrupt is
only noted, and training stops after the current batch, so the model keeps the weights of
the last finished step (a second Ctrl+C interrupts at once). This is the notebook's loop;
the CLI and the GUI train through `convviz.core.training.trainer`, which adds checkpoints,
resuming and schedules.
"""

from __future__ import annotations

import contextlib
import math
import signal
import sys
import threading
from collections.abc import Iterator

import numpy as np

from convviz.core.nn.callbacks import Callback, History
from convviz.core.nn.inputs import check_inputs, check_lengths
from convviz.core.nn.progress import ProgressBar


class _Interrupt:
    """Whether Ctrl+C was pressed since fit started."""

    requested = False


@contextlib.contextmanager
def _stop_between_batches() -> Iterator[_Interrupt]:
    """Turn the first SIGINT into a request that the loop checks between batches."""
    interrupt = _Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield interrupt  # signals only reach the main thread; a GUI worker stops fit otherwise
        return

    def note(signum, frame):
        if interrupt.requested:
            raise KeyboardInterrupt
        interrupt.requested = True

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _validation(model, x, y, validation_split, validation_data):
    """(x, y, validation x, validation y or None); Keras' validation_split takes the last
    fraction of the examples, before any shuffling."""
    if validation_data is not None:
        if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (x_val, y_val)")
        x_val = check_inputs(validation_data[0], model.input_shape, "x_val")
        y_val = check_lengths(x_val, validation_data[1], "x_val and y_val")
        return x, y, x_val, y_val
    if not validation_split:
        return x, y, None, None
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"validation_split must be between 0 and 1, got {validation_split!r}")
    train = int(len(x) * (1.0 - validation_split))
    if train < 1 or train == len(x):
        raise ValueError(f"validation_split={validation_split} of {len(x)} examples leaves no "
                         "examples for training or none for validation")
    return x[:train], y[:train], x[train:], y[train:]


def fit(model, x, y, batch_size: int = 32, epochs: int = 1, verbose: int | str = "auto",
        callbacks: list[Callback] | None = None, validation_split: float = 0.0,
        validation_data: tuple | None = None, shuffle: bool = True,
        rng: np.random.Generator | None = None) -> History:
    """Train `model` (compiled) on (x, y) for `epochs` and return its History.

    Logs per epoch: loss (and accuracy if compiled with it), the running means over the
    epoch's batches, then val_loss (and val_accuracy) over the validation data.
    """
    if model.optimizer is None:
        raise RuntimeError("call compile(optimizer=..., loss=..., metrics=[...]) before fit")
    x = model._prepare_inputs(x)
    y = check_lengths(x, y)
    batch_size, epochs = _positive_int(batch_size, "batch_size"), _positive_int(epochs, "epochs")
    if verbose not in ("auto", 0, 1, 2, False, True):
        raise ValueError(f"verbose must be 'auto', 0 (silent), 1 (progress bar) or 2 (one "
                         f"line per epoch), got {verbose!r}")
    verbose = 1 if verbose == "auto" else int(verbose)
    x, y, x_val, y_val = _validation(model, x, y, validation_split, validation_data)
    loss = model.output_loss()
    loss.check_targets(y, len(y), model.output_shape[-1])  # bad labels fail before training
    if y_val is not None:
        loss.check_targets(y_val, len(y_val), model.output_shape[-1])
    names = ["loss", *model.metrics]
    if x_val is not None:
        names += [f"val_{name}" for name in names]
    history = History()
    callbacks = [history, *(callbacks or ()), *([ProgressBar(verbose)] if verbose else [])]
    steps = math.ceil(len(x) / batch_size)
    for callback in callbacks:
        callback.set_model(model)
        callback.set_params({"epochs": epochs, "steps": steps, "verbose": verbose,
                             "metrics": names})
    rng = rng or np.random.default_rng()
    model.stop_training = False
    model.history = history
    for callback in callbacks:
        callback.on_train_begin()
    with _stop_between_batches() as interrupt:
        for epoch in range(epochs):
            for callback in callbacks:
                callback.on_epoch_begin(epoch)
            order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
            totals = dict.fromkeys(["loss", *model.metrics], 0.0)
            seen = 0
            for batch in range(steps):
                chosen = np.sort(order[batch * batch_size:(batch + 1) * batch_size])
                for callback in callbacks:
                    callback.on_train_batch_begin(batch)
                results = model.train_on_batch(x[chosen], y[chosen])
                results = results if isinstance(results, list) else [results]
                seen += len(chosen)
                for name, value in zip(totals, results, strict=True):
                    totals[name] += value * len(chosen)
                logs = {name: total / seen for name, total in totals.items()}
                for callback in callbacks:
                    callback.on_train_batch_end(batch, logs)
                if interrupt.requested:
                    break
            if interrupt.requested:
                sys.stdout.write(f"\nInterrupted: training stopped in epoch {epoch + 1} after "
                                 f"batch {batch + 1} of {steps}; the model keeps the weights "
                                 "of that batch.\n")
                break
            if x_val is not None:
                results = model.evaluate(x_val, y_val, batch_size=max(batch_size, 256),
                                         verbose=0)
                results = results if isinstance(results, list) else [results]
                logs.update({f"val_{name}": value
                             for name, value in zip(totals, results, strict=True)})
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs)
            if model.stop_training:
                break
    for callback in callbacks:
        callback.on_train_end()
    return history

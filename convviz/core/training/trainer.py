"""Training any Sequential classifier: one config dataclass, learning-rate schedules, and the
loop as a generator.

`Trainer(config, images, labels).run()` is a plain Python generator over mini-batches. It
yields progress records (frozen dataclasses holding copies), and only between complete steps,
so a GUI worker pauses by not advancing it and stops by closing it: the model then holds the
weights of the last finished step. Calling `run()` again goes on from there.

Reproducible: the validation split, each epoch's shuffle and its augmentation come from
generators seeded by (seed, epoch), the dropout generators' states are checkpointed, so one
run, or the same run stopped at an epoch end and resumed from its checkpoint, gives
bit-identical weights.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from convviz.core.formatting import format_compact
from convviz.core.nn.layers import Dropout
from convviz.core.nn.model import Sequential
from convviz.core.nn.optim import SGD, Adagrad, Adam, Optimizer, RMSprop
from convviz.core.nn.presets import PRESETS, build_preset
from convviz.core.training.augment import random_affine
from convviz.core.training.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from convviz.core.training.data import images_to_float
from convviz.core.training.divergence import DivergenceDetector
from convviz.core.training.evaluation import evaluate
from convviz.core.training.inputs import check_images, check_labels, image_shape

ARCHITECTURES = ("classic", "modern")
"""The LeNet-5 variants (the GUI's choice); `arch` also takes any name in presets.PRESETS."""
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
SCHEDULES = ("constant", "step", "cosine")
DEFAULT_LEARNING_RATES = {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.01,
                          "rmsprop": 0.001, "adam": 0.001}
"""The learning rate each optimizer gets when TrainingConfig.learning_rate is None."""

MAX_EPOCHS = 10_000
"""More passes than any run needs (10,000 MNIST epochs take weeks); refuses 10**23."""

_SPLIT_STREAM, _EPOCH_STREAM = 0, 1  # keep the split's and the epochs' random streams apart


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides a training run; invalid values raise ValueError on creation."""

    arch: str = "modern"  # LeNet-5 variant "classic" or "modern", or a presets.PRESETS name
    classes: int = 10  # outputs of the network built from `arch`
    epochs: int = 10
    batch_size: int = 64
    optimizer: str = "adam"  # one of OPTIMIZERS
    learning_rate: float | None = None  # None: DEFAULT_LEARNING_RATES[optimizer]
    momentum: float = 0.9  # for "momentum" and "nesterov"
    weight_decay: float = 0.0  # L2 on kernels
    dropout: float = 0.0  # rate of the two Dropout layers of lenet5(); 0 leaves them out
    augment: bool = False  # random shifts, rotations and scaling (see augment.py)
    schedule: str = "constant"  # one of SCHEDULES
    step_epochs: int = 5  # "step" schedule: multiply the rate by step_gamma every step_epochs
    step_gamma: float = 0.1
    seed: int = 0
    validation_size: int = 5000  # images held out of the training set (0: no validation)
    patience: int = 0  # early stopping after this many epochs without a better validation loss
    checkpoint_path: str | None = None  # written atomically at every epoch end

    def __post_init__(self) -> None:
        _check_choice("arch", self.arch, ARCHITECTURES + tuple(PRESETS))
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _check_choice("schedule", self.schedule, SCHEDULES)
        for name, minimum in (("epochs", 1), ("batch_size", 1), ("classes", 2), ("step_epochs", 1),
                              ("seed", 0), ("validation_size", 0), ("patience", 0)):
            _check_integer(name, getattr(self, name), minimum)
        if self.epochs > MAX_EPOCHS:
            raise ValueError(f"epochs must be at most {MAX_EPOCHS:,}, got {self.epochs:,}")
        if self.learning_rate is not None:
            _check_number("learning_rate", self.learning_rate, 0, math.inf, "a positive number",
                          include_low=False)
        _check_number("momentum", self.momentum, 0, 1, "in [0, 1)", include_high=False)
        _check_number("weight_decay", self.weight_decay, 0, math.inf, "zero or positive")
        _check_number("dropout", self.dropout, 0, 1, "in [0, 1)", include_high=False)
        _check_number("step_gamma", self.step_gamma, 0, 1, "in (0, 1]", include_low=False)
        if not isinstance(self.augment, bool):
            raise ValueError(f"augment must be True or False, got {self.augment!r}")
        if self.patience and not self.validation_size:
            raise ValueError("early stopping (patience > 0) needs a validation set "
                             "(validation_size > 0)")
        if self.checkpoint_path is not None:
            if not isinstance(self.checkpoint_path, str | os.PathLike):
                raise ValueError(f"checkpoint_path must be a path, got {self.checkpoint_path!r}")
            object.__setattr__(self, "checkpoint_path", os.fspath(self.checkpoint_path))

    @property
    def initial_learning_rate(self) -> float:
        return (DEFAULT_LEARNING_RATES[self.optimizer] if self.learning_rate is None
                else float(self.learning_rate))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainingConfig:
        """The config `to_dict` described; unknown keys raise ValueError."""
        unknown = set(values) - {field.name for field in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"unknown training settings: {', '.join(sorted(unknown))}")
        return cls(**values)


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def _check_integer(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_number(name: str, value: object, low: float, high: float, wanted: str,
                  include_low: bool = True, include_high: bool = True) -> None:
    ok = (isinstance(value, int | float | np.floating) and not isinstance(value, bool)
          and math.isfinite(value)
          and (value >= low if include_low else value > low)
          and (value <= high if include_high else value < high))
    if not ok:
        raise ValueError(f"{name} must be {wanted}, got {value!r}")


def make_optimizer(config: TrainingConfig) -> Optimizer:
    """The optimizer `config` names, at its initial learning rate and weight decay."""
    rate, decay = config.initial_learning_rate, config.weight_decay
    if config.optimizer in ("sgd", "momentum", "nesterov"):
        momentum = 0.0 if config.optimizer == "sgd" else config.momentum
        return SGD(rate, momentum=momentum, nesterov=config.optimizer == "nesterov",
                   weight_decay=decay)
    return {"adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam}[config.optimizer](
        rate, weight_decay=decay)


def learning_rate_factor(config: TrainingConfig, step: int, steps_per_epoch: int) -> float:
    """What the schedule multiplies the base learning rate by at (0-based) global `step`.

    constant: 1. step: step_gamma ** (epoch // step_epochs). cosine: half a cosine from 1 down
    towards 0 over all the steps of all epochs (never exactly 0: the last step has a rate).
    """
    if config.schedule == "step":
        return config.step_gamma ** ((step // steps_per_epoch) // config.step_epochs)
    if config.schedule == "cosine":
        total = config.epochs * steps_per_epoch
        return 0.5 * (1.0 + math.cos(math.pi * min(step, total - 1) / total))
    return 1.0


# --- progress records ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class StepRecord:
    """After each training step. Arrays are read-only copies, safe to hand to another thread."""

    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based, within the epoch
    batches: int  # per epoch
    step: int  # steps done since the start of training
    loss: float  # of this batch
    accuracy: float  # of this batch
    epoch_loss: float  # mean over the epoch so far
    epoch_accuracy: float
    learning_rate: float  # used for this step
    images_per_second: float  # over the epoch so far, not counting pauses
    weights: dict[str, np.ndarray] | None = None  # "layer/param" -> copy, if requested
    gradient_norms: dict[str, float] | None = None  # layer -> L2 norm of its gradients


@dataclass(frozen=True)
class EpochRecord:
    """After each epoch: training means and the validation result (None without validation)."""

    epoch: int  # 1-based
    epochs: int
    step: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    learning_rate: float  # at the end of the epoch
    seconds: float  # training and validation time, not counting pauses
    images_per_second: float
    improved: bool  # a new best validation loss


class FinishReason(StrEnum):
    """Why a run ended. A StrEnum, so a reason also equals its old string ("diverged")."""

    COMPLETED = "completed"
    EARLY_STOPPING = "early_stopping"
    DIVERGED = "diverged"


@dataclass(frozen=True)
class FinishedRecord:
    """The last record of a run: why it ended, and a sentence saying so."""

    reason: FinishReason
    epoch: int  # epochs completed
    step: int
    best_epoch: int | None  # the epoch of the best validation loss
    message: str

    @property
    def diverged(self) -> bool:
        return self.reason is FinishReason.DIVERGED


Record = StepRecord | EpochRecord | FinishedRecord


@dataclass
class _EpochPosition:
    """Where the trainer is inside an epoch (kept across run() calls, never checkpointed)."""

    index: int  # 0-based epoch
    order: np.ndarray  # this epoch's shuffle of the training indices
    rng: np.random.Generator  # augmentation draws, continuing from the shuffle
    batches: int
    batch: int = 0
    seen: int = 0
    loss_sum: float = 0.0
    correct: int = 0
    seconds: float = 0.0


def gradient_norms(model) -> dict[str, float]:
    """The L2 norm of each layer's trainable-parameter gradients after a backward pass (what a
    gradient-norm plot shows: vanishing gradients are norms that shrink towards the input)."""
    return {layer.name: float(np.sqrt(sum(float(np.vdot(layer.grads[name], layer.grads[name]))
                                          for name in layer.trainable_names)))
            for layer in model.layers if layer.trainable_names}


def _read_only_copy(array: np.ndarray) -> np.ndarray:
    copy = np.array(array, dtype=np.float32, copy=True)
    copy.setflags(write=False)
    return copy


class Trainer:
    """Trains a classifier on uint8 images (N, H, W) or (N, H, W, C) and integer labels (N,).

    The network is `model` if given (trained in place; config.arch, classes and dropout are
    then unused), else the one config.arch names, built for the images' shape with
    config.classes outputs: lenet5(variant) for "classic" and "modern", else the preset.

    `validation_size` images (a seeded random choice) are held out for validation. The GUI may
    set `optimizer.learning_rate` or `base_learning_rate` at any time: the schedule multiplies
    the base rate, and a rate set on the optimizer becomes the new base at the next step.
    `request_snapshot()` asks for copies of the weights in the next step record.
    """

    def __init__(self, config: TrainingConfig, images: np.ndarray, labels: np.ndarray,
                 model: Sequential | None = None):
        self.config = config
        self.model: Sequential = _model_for(config, image_shape(images)) if model is None else model
        self._images, self._labels = _check_data(self.model, images, labels,
                                                 config.validation_size)
        split = np.random.default_rng([config.seed, _SPLIT_STREAM]).permutation(len(labels))
        validation = np.sort(split[:config.validation_size])
        self._val_images = self._images[validation]
        self._val_labels = self._labels[validation]
        self._train_indices = np.sort(split[config.validation_size:])
        self.batches_per_epoch = math.ceil(len(self._train_indices) / config.batch_size)
        self.optimizer = make_optimizer(config)
        self.model.compile(self.optimizer, metrics=("accuracy",))
        self.history: list[EpochRecord] = []
        self.epoch = 0  # epochs completed
        self.step = 0  # steps completed
        self._base_rate = config.initial_learning_rate
        self._factor = 1.0
        self._rate_set = self.optimizer.learning_rate
        self._position: _EpochPosition | None = None
        self._backup: tuple[list[np.ndarray], dict[str, np.ndarray]] | None = None
        self._snapshot_requested = False
        self.best_epoch: int | None = None
        self._best_loss = math.inf
        self._best_weights: list[np.ndarray] | None = None
        self._bad_epochs = 0
        self.divergence = DivergenceDetector()

    # --- settings the GUI may change while training -------------------------------------------

    @property
    def base_learning_rate(self) -> float:
        """The rate the schedule multiplies; follows rates set directly on the optimizer."""
        self._adopt_external_rate()
        return self._base_rate

    @base_learning_rate.setter
    def base_learning_rate(self, value: float) -> None:
        _check_number("base_learning_rate", value, 0, math.inf, "a positive number",
                      include_low=False)
        self._base_rate = float(value)
        self._rate_set = self.optimizer.learning_rate = self._base_rate * self._factor

    def request_snapshot(self) -> None:
        """Put copies of the weights into the next step record."""
        self._snapshot_requested = True

    # --- the loop -------------------------------------------------------------------------------

    def run(self) -> Iterator[Record]:
        """Train until config.epochs, early stopping or divergence; yield progress records.

        The last record is a FinishedRecord. Close the generator to stop: the model keeps the
        weights of the last complete step; the checkpoint (if any) those of the last epoch.
        """
        while self.epoch < self.config.epochs and not self.stopped_early:
            if self._position is None:
                self._position = self._start_epoch(self.epoch)
            position = self._position
            while position.batch < position.batches:
                record = self._train_step(position)
                yield record
                if isinstance(record, FinishedRecord):
                    return
                diverged = self.divergence.update(record.loss)
                if diverged is not None:  # the weights are finite: keep them, but stop
                    yield self._diverge(diverged.what, roll_back=False, advise=True)
                    return
            yield self._end_epoch(position)
        yield self._finish()

    @property
    def stopped_early(self) -> bool:
        return bool(self.config.patience) and self._bad_epochs >= self.config.patience

    def _start_epoch(self, index: int) -> _EpochPosition:
        rng = np.random.default_rng([self.config.seed, _EPOCH_STREAM, index])
        return _EpochPosition(index, rng.permutation(len(self._train_indices)), rng,
                              self.batches_per_epoch)

    def _train_step(self, position: _EpochPosition) -> StepRecord | FinishedRecord:
        started = time.perf_counter()
        size = self.config.batch_size
        chosen = self._train_indices[position.order[position.batch * size:
                                                    (position.batch + 1) * size]]
        x, y = images_to_float(self._images[chosen]), self._labels[chosen]
        if self.config.augment:
            x = random_affine(x, position.rng)
        if not np.isfinite(x).all():  # bad data, not bad weights: keep the current ones
            return self._diverge("the training batch holds NaN or infinite values", roll_back=False)
        self._apply_schedule()
        # Every weight, BatchNormalization's moving statistics included (the forward pass
        # updates those): known good once this batch's outputs come out finite.
        start = (self.model.get_weights(), self.optimizer.state_arrays())  # copies
        outputs = self.model.forward(x, training=True)
        if not np.isfinite(outputs).all():  # then the loss would be NaN
            return self._diverge("the network's outputs became NaN or infinite")
        self._backup = start
        loss = self.model.loss_and_backward(outputs, y)
        correct = int(np.count_nonzero(outputs.argmax(axis=1) == y))
        norms = gradient_norms(self.model)
        self.optimizer.step(self.model.parameters())
        if not all(np.isfinite(value).all() for layer in self.model.layers
                   for value in layer.params.values()):  # every weight, read in place
            return self._diverge("the weights became NaN or infinite")
        self.step += 1
        position.batch += 1
        position.seen += len(y)
        position.loss_sum += loss * len(y)
        position.correct += correct
        weights = self._snapshot()
        position.seconds += time.perf_counter() - started
        return StepRecord(
            epoch=position.index + 1, epochs=self.config.epochs, batch=position.batch,
            batches=position.batches, step=self.step, loss=loss, accuracy=correct / len(y),
            epoch_loss=position.loss_sum / position.seen,
            epoch_accuracy=position.correct / position.seen, learning_rate=self._rate_set,
            images_per_second=position.seen / max(position.seconds, 1e-9),
            weights=weights, gradient_norms=norms)

    def _apply_schedule(self) -> None:
        self._adopt_external_rate()
        self._factor = learning_rate_factor(self.config, self.step, self.batches_per_epoch)
        self._rate_set = self.optimizer.learning_rate = self._base_rate * self._factor

    def _adopt_external_rate(self) -> None:
        """A rate someone set on the optimizer since our last step becomes the new base rate."""
        if self.optimizer.learning_rate != self._rate_set:
            self._base_rate = self.optimizer.learning_rate / self._factor
            self._rate_set = self.optimizer.learning_rate

    def _snapshot(self) -> dict[str, np.ndarray] | None:
        """Read-only copies of the weights by "layer/param" if requested, else None."""
        if not self._snapshot_requested:
            return None
        self._snapshot_requested = False
        return {f"{layer.name}/{name}": _read_only_copy(layer.params[name])
                for layer in self.model.layers for name in layer.param_names}

    def _diverge(self, what: str, roll_back: bool = True, advise: bool | None = None
                 ) -> FinishedRecord:
        """Say why training stopped; unless `roll_back` is False, put back every weight (and the
        optimizer state) from the start of the last step whose outputs were finite. The
        advice to lower the rate is given when the weights blew up (`advise`, by default
        when rolling back), not for bad data."""
        if roll_back and self._backup is not None:
            weights, optimizer_state = self._backup
            self.model.set_weights(weights)
            self.optimizer.load_state_arrays(optimizer_state)
        epoch = self._position.index + 1 if self._position else self.epoch
        advice = (f" at learning rate {format_compact(self._rate_set)}: each step overshoots, "
                  "so try a lower learning rate (a tenth of it is a good next try)"
                  if (roll_back if advise is None else advise) else "")
        step = self.step + 1 if roll_back else self.step
        kept = "The last good weights were kept." if roll_back else "The network keeps its weights."
        message = f"Training stopped at epoch {epoch}, step {step}: {what}{advice}. {kept}"
        return FinishedRecord(FinishReason.DIVERGED, self.epoch, self.step, self.best_epoch,
                              message)

    def _end_epoch(self, position: _EpochPosition) -> EpochRecord:
        started = time.perf_counter()
        val_loss = val_accuracy = None
        improved = False
        if len(self._val_labels):
            result = evaluate(self.model, self._val_images, self._val_labels)
            val_loss, val_accuracy = result.loss, result.accuracy
            improved = val_loss < self._best_loss
            if improved:
                self._best_loss, self.best_epoch, self._bad_epochs = val_loss, position.index + 1, 0
                if self.config.patience:
                    self._best_weights = self.model.get_weights()
            else:
                self._bad_epochs += 1
        self.epoch, self._position = position.index + 1, None
        record = EpochRecord(
            epoch=self.epoch, epochs=self.config.epochs, step=self.step,
            train_loss=position.loss_sum / max(position.seen, 1),
            train_accuracy=position.correct / max(position.seen, 1),
            val_loss=val_loss, val_accuracy=val_accuracy, learning_rate=self._rate_set,
            seconds=position.seconds + time.perf_counter() - started,
            images_per_second=position.seen / max(position.seconds, 1e-9), improved=improved)
        self.history.append(record)
        if self.config.checkpoint_path:
            self.save_checkpoint(self.config.checkpoint_path)
        return record

    def _finish(self) -> FinishedRecord:
        if self.config.patience and self._best_weights is not None:
            self.model.set_weights(self._best_weights)
        if self.stopped_early:
            message = (f"Early stopping: the validation loss has not improved for "
                       f"{self.config.patience} epochs; kept the weights of epoch "
                       f"{self.best_epoch}.")
            return FinishedRecord(FinishReason.EARLY_STOPPING, self.epoch, self.step,
                                  self.best_epoch, message)
        kept = (f"; kept the weights of epoch {self.best_epoch} (best validation loss)"
                if self.config.patience and self.best_epoch else "")
        return FinishedRecord(FinishReason.COMPLETED, self.epoch, self.step, self.best_epoch,
                              f"Trained {self.epoch} epochs{kept}.")

    # --- checkpoints ----------------------------------------------------------------------------

    def save_checkpoint(self, path: str | os.PathLike) -> None:
        """Write the state at the last epoch end (call it between epochs) atomically."""
        state = {
            "config": self.config.to_dict(),
            "epoch": self.epoch,
            "step": self.step,
            "base_learning_rate": self.base_learning_rate,
            "history": [dataclasses.asdict(record) for record in self.history],
            "best_epoch": self.best_epoch,
            "best_loss": None if self.best_epoch is None else self._best_loss,
            "bad_epochs": self._bad_epochs,
            "dropout_rng": [layer._rng.bit_generator.state for layer in self._dropout_layers()],
            "data": _fingerprint(self._labels),
        }
        save_checkpoint(path, self.model, self.optimizer, state, self._best_weights)

    @classmethod
    def from_checkpoint(cls, path: str | os.PathLike, images: np.ndarray, labels: np.ndarray,
                        *, epochs: int | None = None,
                        checkpoint_path: str | None = None) -> Trainer:
        """A trainer that goes on where the checkpoint at `path` left off, on the same data.

        `epochs` may extend the run; checkpoints keep going to `path` unless `checkpoint_path`
        says otherwise. Raises CheckpointError if the file or the data do not fit.
        """
        checkpoint = load_checkpoint(path)
        state = checkpoint.state
        try:
            config = TrainingConfig.from_dict(state["config"])
            config = dataclasses.replace(
                config, epochs=config.epochs if epochs is None else epochs,
                checkpoint_path=os.fspath(checkpoint_path or path))
            trainer = cls(config, images, labels, model=checkpoint.model)
            if state["data"] != _fingerprint(trainer._labels):
                raise CheckpointError(f"{path} was written while training on other data")
            trainer.model.set_weights(checkpoint.model.get_weights())
            trainer.optimizer.load_state_arrays(checkpoint.optimizer_state)
            for layer, rng_state in zip(trainer._dropout_layers(), state["dropout_rng"],
                                        strict=True):
                layer._rng.bit_generator.state = rng_state
            for name in ("epoch", "step", "bad_epochs"):
                _check_integer(name, state[name], 0)
            if state["best_epoch"] is not None:
                _check_integer("best_epoch", state["best_epoch"], 1)
            trainer.epoch, trainer.step = int(state["epoch"]), int(state["step"])
            trainer.history = [EpochRecord(**record) for record in state["history"]]
            trainer.best_epoch, trainer._bad_epochs = state["best_epoch"], state["bad_epochs"]
            if state["best_loss"] is not None:
                _check_number("best_loss", state["best_loss"], 0, math.inf, "a finite loss")
                trainer._best_loss = float(state["best_loss"])
            trainer._best_weights = checkpoint.best_weights
            trainer._factor = learning_rate_factor(config, max(trainer.step - 1, 0),
                                                   trainer.batches_per_epoch)
            trainer.base_learning_rate = state["base_learning_rate"]
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise CheckpointError(f"{Path(path)} does not fit this training run: {error}") from None
        return trainer

    def _dropout_layers(self) -> list[Dropout]:
        return [layer for layer in self.model.layers if isinstance(layer, Dropout)]


def _fingerprint(labels: np.ndarray) -> dict:
    """Enough to notice a resume on other data: the count and a checksum of the labels."""
    return {"count": len(labels), "labels_crc32": zlib.crc32(np.ascontiguousarray(labels))}


def _model_for(config: TrainingConfig, input_shape: tuple[int, int, int]) -> Sequential:
    """The network config.arch names, for images of `input_shape` (on MNIST's, "classic" and
    "modern" are exactly lenet5(variant))."""
    name = f"lenet5-{config.arch}" if config.arch in ARCHITECTURES else config.arch
    return build_preset(name, input_shape, config.classes, config.seed, config.dropout)


def _check_data(model: Sequential, images: np.ndarray, labels: np.ndarray,
                validation_size: int) -> tuple[np.ndarray, np.ndarray]:
    images = check_images(images, model.input_shape)
    labels = check_labels(labels, len(images), model.output_shape[-1])
    if len(images) <= validation_size:
        raise ValueError(f"validation_size ({validation_size}) must leave training images: "
                         f"there are only {len(images)}")
    return images, labels

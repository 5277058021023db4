"""The training loop on small synthetic digits: records, pause/stop, resume, NaN, early stopping."""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pytest
from fake_data import synthetic_digits

from convviz.core import (
    SGD,
    Adagrad,
    Adam,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    RMSprop,
    Sequential,
    load_model,
    save_model,
)
from convviz.core.training import trainer as training
from convviz.core.training.checkpoint import CheckpointError
from convviz.core.training.trainer import (
    DEFAULT_LEARNING_RATES,
    EpochRecord,
    FinishedRecord,
    FinishReason,
    StepRecord,
    Trainer,
    TrainingConfig,
    learning_rate_factor,
    make_optimizer,
)

DIGITS = synthetic_digits()


def small_config(**changes) -> TrainingConfig:
    """A config that trains on DIGITS in a fraction of a second per epoch."""
    return TrainingConfig(**{"epochs": 2, "batch_size": 32, "validation_size": 32, **changes})


def trainer_for(config: TrainingConfig) -> Trainer:
    return Trainer(config, *DIGITS)


def with_weights(trainer: Trainer):
    """trainer.run(), with a copy of the weights asked for in every step record."""
    run = trainer.run()
    trainer.request_snapshot()
    for record in run:
        yield record
        trainer.request_snapshot()


def weights_of(trainer: Trainer) -> list[np.ndarray]:
    return trainer.model.get_weights()


def assert_same_weights(first: list[np.ndarray], second: list[np.ndarray]) -> None:
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


# --- configuration ---------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("arch", "lenet"), ("epochs", 0), ("epochs", 2.5), ("epochs", True), ("batch_size", -1),
    ("optimizer", "adamw"), ("learning_rate", 0), ("learning_rate", float("nan")),
    ("momentum", 1.0), ("weight_decay", -0.1), ("dropout", 1.0), ("augment", "yes"),
    ("schedule", "linear"), ("step_epochs", 0), ("step_gamma", 0), ("seed", -1),
    ("validation_size", -5), ("patience", -1), ("checkpoint_path", 3), ("classes", 1),
])
def test_config_rejects_nonsense_with_the_field_name(field, value):
    with pytest.raises(ValueError, match=field):
        TrainingConfig(**{field: value})


def test_early_stopping_needs_a_validation_set():
    with pytest.raises(ValueError, match="validation"):
        TrainingConfig(patience=2, validation_size=0)


def test_config_round_trips_through_a_dict():
    config = TrainingConfig(arch="classic", optimizer="nesterov", augment=True, patience=3)
    assert TrainingConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown training settings: colour"):
        TrainingConfig.from_dict({**config.to_dict(), "colour": "red"})


@pytest.mark.parametrize(("name", "cls", "momentum", "nesterov"), [
    ("sgd", SGD, 0.0, False), ("momentum", SGD, 0.9, False), ("nesterov", SGD, 0.9, True),
    ("adagrad", Adagrad, None, None), ("rmsprop", RMSprop, None, None), ("adam", Adam, None, None),
])
def test_make_optimizer(name, cls, momentum, nesterov):
    optimizer = make_optimizer(TrainingConfig(optimizer=name, weight_decay=1e-4))
    assert type(optimizer) is cls
    assert optimizer.learning_rate == DEFAULT_LEARNING_RATES[name]
    assert optimizer.weight_decay == 1e-4
    if cls is SGD:
        assert (optimizer.momentum, optimizer.nesterov) == (momentum, nesterov)
    assert make_optimizer(TrainingConfig(optimizer=name, learning_rate=0.3)).learning_rate == 0.3


def test_schedules_give_the_expected_factors():
    steps = 10  # per epoch
    constant = TrainingConfig(epochs=4)
    assert [learning_rate_factor(constant, s, steps) for s in (0, 15, 39)] == [1, 1, 1]
    step = TrainingConfig(epochs=6, schedule="step", step_epochs=2, step_gamma=0.5)
    factors = [learning_rate_factor(step, epoch * steps + 3, steps) for epoch in range(6)]
    assert factors == [1, 1, 0.5, 0.5, 0.25, 0.25]
    cosine = TrainingConfig(epochs=4, schedule="cosine")
    factors = [learning_rate_factor(cosine, s, steps) for s in range(40)]
    assert factors[0] == 1 and factors[20] == pytest.approx(0.5)
    assert all(a > b for a, b in zip(factors, factors[1:], strict=False))
    assert 0 < factors[-1] < 0.01


# --- the loop --------------------------------------------------------------------------------

def test_records_have_the_documented_fields():
    trainer = trainer_for(small_config(epochs=1))
    records = []
    for record in trainer.run():
        records.append(record)
        if len(records) == 4:
            trainer.request_snapshot()  # for step 5
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert [type(r) for r in records[-2:]] == [EpochRecord, FinishedRecord]
    assert len(steps) == trainer.batches_per_epoch == math.ceil((256 - 32) / 32)
    first = steps[0]
    assert (first.epoch, first.epochs, first.batch, first.batches, first.step) == (1, 1, 1, 7, 1)
    assert first.learning_rate == DEFAULT_LEARNING_RATES["adam"]
    assert first.images_per_second > 0 and 0 <= first.accuracy <= 1 and first.loss > 0
    assert first.weights is None
    snapshot = steps[4]
    assert set(snapshot.weights) == {f"{layer.name}/{name}" for layer in trainer.model.layers
                                     for name in layer.param_names}
    assert snapshot.weights["C1/kernel"].shape == (5, 5, 1, 6)
    # Copies, read-only: the GUI may keep them while training goes on.
    assert not np.shares_memory(snapshot.weights["C1/kernel"],
                                trainer.model.layers[0].params["kernel"])
    assert not snapshot.weights["C1/kernel"].flags.writeable
    epoch = records[-2]
    assert epoch.epoch == 1 and epoch.step == 7 and epoch.improved
    assert 0 <= epoch.val_accuracy <= 1 and epoch.val_loss > 0
    assert trainer.history == [epoch]
    assert records[-1].reason is FinishReason.COMPLETED and not records[-1].diverged
    assert records[-1].reason == "completed"  # a StrEnum: the GUI may compare with the string


def test_request_snapshot_fills_the_next_record_only():
    trainer = trainer_for(small_config(epochs=1))
    run = trainer.run()
    next(run)
    trainer.request_snapshot()
    asked, after = next(run), next(run)
    assert asked.weights is not None
    assert after.weights is None
    run.close()


def test_training_learns_the_synthetic_classes():
    trainer = trainer_for(small_config(epochs=4, learning_rate=0.003))
    epochs = [r for r in trainer.run() if isinstance(r, EpochRecord)]
    assert epochs[-1].train_loss < epochs[0].train_loss / 2
    assert epochs[-1].val_accuracy >= 0.9


def test_closing_mid_epoch_keeps_consistent_weights_and_run_goes_on():
    straight = trainer_for(small_config(epochs=1))
    for _ in straight.run():
        pass
    trainer = trainer_for(small_config(epochs=1))
    run = trainer.run()
    records = [next(run) for _ in range(4)]
    trainer.request_snapshot()
    records.append(next(run))
    run.close()  # a GUI's stop button, between two batches
    kept = weights_of(trainer)
    assert_same_weights(kept, [records[-1].weights[key] for key in records[-1].weights])
    assert all(np.isfinite(w).all() for w in kept)
    assert trainer.step == 5 and trainer.epoch == 0
    rest = list(trainer.run())  # start again: goes on with batch 6 of the same epoch
    assert rest[0].batch == 6
    assert_same_weights(weights_of(trainer), weights_of(straight))


def test_resume_from_a_checkpoint_is_bit_identical(tmp_path):
    settings = {"epochs": 2, "augment": True, "dropout": 0.3, "schedule": "cosine",
                "optimizer": "nesterov", "weight_decay": 1e-4}
    straight = trainer_for(small_config(**settings, checkpoint_path=tmp_path / "a.npz"))
    for _ in straight.run():
        pass
    stopped = trainer_for(small_config(**settings, checkpoint_path=tmp_path / "b.npz"))
    run = stopped.run()
    for record in run:
        if isinstance(record, EpochRecord):
            break
    for _ in range(3):
        next(run)  # into epoch 2: lost on stopping, redone after resuming
    run.close()
    resumed = Trainer.from_checkpoint(tmp_path / "b.npz", *DIGITS)
    assert (resumed.epoch, resumed.step) == (1, 7)
    for _ in resumed.run():
        pass
    assert_same_weights(weights_of(resumed), weights_of(straight))
    for key, value in straight.optimizer.state_arrays().items():
        np.testing.assert_array_equal(resumed.optimizer.state_arrays()[key], value)

    def numbers(record: EpochRecord) -> tuple:
        return (record.train_loss, record.val_loss, record.learning_rate, record.step)

    assert [numbers(r) for r in resumed.history] == [numbers(r) for r in straight.history]


def test_one_epoch_then_resume_one_more_equals_two_epochs(tmp_path):
    straight = trainer_for(small_config(epochs=2))
    for _ in straight.run():
        pass
    first = trainer_for(small_config(epochs=1, checkpoint_path=tmp_path / "c.npz"))
    for _ in first.run():
        pass
    resumed = Trainer.from_checkpoint(tmp_path / "c.npz", *DIGITS, epochs=2)
    assert [r.epoch for r in resumed.run() if isinstance(r, EpochRecord)] == [2]
    assert_same_weights(weights_of(resumed), weights_of(straight))


def test_checkpoint_is_a_model_file_and_is_checked_on_resume(tmp_path):
    trainer = trainer_for(small_config(epochs=1, checkpoint_path=tmp_path / "d.npz"))
    for _ in trainer.run():
        pass
    assert_same_weights(load_model(tmp_path / "d.npz").get_weights(), weights_of(trainer))
    save_model(trainer.model, tmp_path / "plain.npz")
    with pytest.raises(CheckpointError, match="not a training checkpoint"):
        Trainer.from_checkpoint(tmp_path / "plain.npz", *DIGITS)
    with pytest.raises(CheckpointError, match="other data"):
        Trainer.from_checkpoint(tmp_path / "d.npz", *synthetic_digits(seed=1))
    with pytest.raises(CheckpointError, match="no such file"):
        Trainer.from_checkpoint(tmp_path / "missing.npz", *DIGITS)



def test_a_checkpoint_with_a_hostile_entry_is_refused_unread(tmp_path):
    """Checkpoints are read like model files: no unpickling, no allocating what a header claims."""
    from convviz.core.training.checkpoint import load_checkpoint

    trainer = trainer_for(small_config(epochs=1, checkpoint_path=tmp_path / "c.npz"))
    for _ in trainer.run():
        pass
    with np.load(tmp_path / "c.npz") as archive:
        arrays = {key: archive[key] for key in archive.files}
    np.savez(tmp_path / "objects.npz", **{**arrays, "optimizer/m/0": np.array([{}], dtype=object)})
    with pytest.raises(CheckpointError, match="holds Python objects"):
        load_checkpoint(tmp_path / "objects.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip file at all")
    with pytest.raises(CheckpointError, match="is not a readable checkpoint"):
        load_checkpoint(tmp_path / "junk.npz")

def test_nan_in_a_batch_stops_training_and_keeps_the_weights(monkeypatch):
    calls = []

    def poisoned(batch):
        calls.append(1)
        images = training_images_to_float(batch)
        if len(calls) == 3:
            images[0, 5, 5, 0] = np.nan
        return images

    training_images_to_float = training.images_to_float
    monkeypatch.setattr(training, "images_to_float", poisoned)
    trainer = trainer_for(small_config(epochs=1))
    records = list(with_weights(trainer))
    assert len(records) == 3 and isinstance(records[-1], FinishedRecord)
    assert records[-1].diverged and "NaN" in records[-1].message
    after_step_2 = records[1].weights
    assert_same_weights(weights_of(trainer), [after_step_2[key] for key in after_step_2])


def test_a_huge_learning_rate_diverges_and_restores_finite_weights():
    trainer = trainer_for(small_config(optimizer="sgd", learning_rate=1e6))
    records = list(trainer.run())
    finished = records[-1]
    assert finished.diverged and "learning rate" in finished.message
    assert len(records) < trainer.batches_per_epoch  # stopped within the first epoch
    assert all(np.isfinite(w).all() for w in weights_of(trainer))
    probabilities = trainer.model.predict(DIGITS[0][:64, ..., None] / np.float32(255))
    assert np.isfinite(probabilities).all()


def test_early_stopping_restores_the_best_weights(monkeypatch):
    losses = iter([1.0, 0.5, 0.6, 0.7, 0.4])
    monkeypatch.setattr(training, "evaluate", lambda *args: SimpleNamespace(
        loss=next(losses), accuracy=0.5))
    trainer = Trainer(small_config(epochs=5, patience=2, batch_size=64), *synthetic_digits(96))
    best = None
    for record in trainer.run():
        if isinstance(record, EpochRecord) and record.epoch == 2:
            best = weights_of(trainer)
    assert isinstance(record, FinishedRecord) and record.reason is FinishReason.EARLY_STOPPING
    assert (record.epoch, record.best_epoch) == (4, 2)
    assert [r.improved for r in trainer.history] == [True, True, False, False]
    assert_same_weights(weights_of(trainer), best)


def test_learning_rate_set_by_the_gui_becomes_the_scheduled_base_rate():
    trainer = trainer_for(small_config(schedule="step", step_epochs=1, step_gamma=0.5,
                                       learning_rate=0.004))
    run = trainer.run()
    assert next(run).learning_rate == 0.004
    trainer.optimizer.learning_rate = 0.01  # the GUI's slider, mid-epoch
    assert next(run).learning_rate == 0.01
    rates = {record.epoch: record.learning_rate for record in run
             if isinstance(record, StepRecord)}
    assert rates == {1: 0.01, 2: 0.005}  # the schedule halves the new base rate
    trainer.base_learning_rate = 0.2
    assert trainer.optimizer.learning_rate == pytest.approx(0.1)


def test_bad_data_is_refused():
    images, labels = DIGITS
    with pytest.raises(ValueError, match="uint8"):
        Trainer(small_config(), images.astype(np.float32), labels)
    with pytest.raises(ValueError, match="labels"):
        Trainer(small_config(), images, labels[:-1])
    with pytest.raises(ValueError, match="digits"):
        Trainer(small_config(), images, labels + 1)
    with pytest.raises(ValueError, match="validation_size"):
        Trainer(dataclasses.replace(small_config(), validation_size=512), images, labels)


# --- any Sequential, any input shape, any number of classes ------------------------------------

def colour_squares(count: int = 96, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (N, 12, 12, 3) images of 3 classes: class k is brightest in colour channel k."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(count) % 3).astype(np.uint8)
    images = rng.integers(0, 80, (count, 12, 12, 3), dtype=np.uint8)
    for index, label in enumerate(labels):
        images[index, 3:9, 3:9, label] = 220
    return images, labels[:, None]  # Keras' CIFAR-style (N, 1) labels


def tiny_colour_model(seed: int = 0) -> Sequential:
    return Sequential([Conv2D(4, 3, activation="relu", name="conv"), MaxPool2D(2, name="pool"),
                       Flatten(name="flatten"), Dropout(0.2, seed=seed, name="drop"),
                       Dense(3, name="output")], input_shape=(12, 12, 3), seed=seed)


def test_a_given_colour_model_learns_three_classes():
    trainer = Trainer(small_config(epochs=8, batch_size=16, validation_size=24, learning_rate=0.01),
                      *colour_squares(), model=tiny_colour_model())
    records = list(trainer.run())
    assert records[-1].reason is FinishReason.COMPLETED
    assert trainer.history[-1].train_loss < 0.6 * trainer.history[0].train_loss
    assert trainer.history[-1].val_accuracy == 1.0


def test_a_given_model_resumes_bit_identically_from_its_checkpoint(tmp_path):
    data = colour_squares()
    config = small_config(epochs=2, batch_size=16, augment=True)
    straight = Trainer(config, *data, model=tiny_colour_model())
    for _ in straight.run():
        pass
    first = Trainer(dataclasses.replace(config, epochs=1, checkpoint_path=str(tmp_path / "c.npz")),
                    *data, model=tiny_colour_model())
    for _ in first.run():
        pass
    resumed = Trainer.from_checkpoint(tmp_path / "c.npz", *data, epochs=2)
    for _ in resumed.run():
        pass
    assert resumed.model.get_config() == straight.model.get_config()
    assert_same_weights(weights_of(resumed), weights_of(straight))


@pytest.mark.parametrize("arch", ["mlp", "two-3x3", "lenet5-modern"])
def test_a_preset_named_in_the_config_trains_on_digits(arch):
    trainer = trainer_for(small_config(arch=arch, epochs=3))
    for _ in trainer.run():
        pass
    assert trainer.history[-1].train_loss < trainer.history[0].train_loss


def test_a_preset_is_built_for_the_data_shape_and_class_count():
    images, labels = colour_squares()
    trainer = Trainer(small_config(arch="colour-cnn", classes=3), images, labels)
    assert trainer.model.input_shape == (12, 12, 3) and trainer.model.output_shape == (3,)


def test_data_that_does_not_fit_the_model_is_explained():
    images, labels = colour_squares()
    with pytest.raises(ValueError, match="images are 12x12x1 but the model takes 12x12x3"):
        Trainer(small_config(), images[..., 0], labels, model=tiny_colour_model())
    with pytest.raises(ValueError, match="images are 28x28x1 but the model takes 12x12x3"):
        Trainer(small_config(), DIGITS[0], DIGITS[1], model=tiny_colour_model())
    with pytest.raises(ValueError, match="label 9 is out of range: the model has 3 outputs"):
        Trainer(small_config(), images, np.where(labels == 2, 9, labels),
                model=tiny_colour_model())
    with pytest.raises(ValueError, match="integer labels"):
        Trainer(small_config(), images, labels.astype(np.float32), model=tiny_colour_model())

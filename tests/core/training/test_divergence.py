"""The divergence rule: NaN at once, a loss far above its start only after a while."""

from __future__ import annotations

import math

import pytest
from fake_data import synthetic_digits

from convviz.core.training.divergence import PATIENCE, DivergenceDetector
from convviz.core.training.trainer import FinishedRecord, StepRecord, Trainer, TrainingConfig


def feed(detector: DivergenceDetector, losses):
    """The first Divergence the losses give, or None."""
    for loss in losses:
        found = detector.update(loss)
        if found is not None:
            return found
    return None


def test_a_nan_or_infinite_loss_diverges_at_once():
    for bad in (math.nan, math.inf):
        found = feed(DivergenceDetector(), [2.3, 1.9, bad, 1.0])
        assert found is not None and found.step == 3 and "NaN or infinite" in found.what


def test_a_loss_that_stays_far_above_its_start_diverges_after_patience_batches():
    found = feed(DivergenceDetector(), [2.3] + [1200.0] * (PATIENCE + 5))
    assert found is not None and found.step == 1 + PATIENCE
    assert found.start_loss == 2.3 and found.loss == 1200.0
    assert "far above its start (2.3)" in found.what and "1,200" in found.what


def test_spikes_that_come_back_down_are_not_divergence():
    spiky = [2.3] + ([50.0] * (PATIENCE - 1) + [2.0]) * 5
    assert feed(DivergenceDetector(), spiky) is None


def test_a_falling_loss_is_not_divergence():
    assert feed(DivergenceDetector(), [2.3 * 0.99 ** k for k in range(500)]) is None


def test_a_small_start_gets_a_margin():
    """From a trained model (loss 0.05) a batch at 0.3 is noise, not 3x divergence."""
    detector = DivergenceDetector()
    assert feed(detector, [0.05] + [0.3] * (3 * PATIENCE)) is None
    assert detector.limit == pytest.approx(1.05)
    assert feed(detector, [2.0] * PATIENCE) is not None


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        DivergenceDetector(factor=0.5)
    with pytest.raises(ValueError):
        DivergenceDetector(patience=0)


def test_the_trainer_stops_a_run_whose_loss_explodes_and_says_what_to_try():
    """Adam at learning rate 50 keeps finite weights but a loss in the thousands."""
    config = TrainingConfig(arch="classic", epochs=10, batch_size=32, validation_size=32,
                            learning_rate=50.0)
    trainer = Trainer(config, *synthetic_digits())
    records = list(trainer.run())
    finished = records[-1]
    assert isinstance(finished, FinishedRecord) and finished.diverged
    steps = [record for record in records if isinstance(record, StepRecord)]
    assert finished.step == steps[-1].step == 1 + PATIENCE  # stopped as soon as it was clear
    assert "far above its start" in finished.message
    assert "try a lower learning rate" in finished.message and "50" in finished.message
    assert trainer.epoch < config.epochs

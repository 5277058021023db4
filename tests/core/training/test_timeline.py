"""Gradient norms per layer (in every step record) and the replay timeline."""

import numpy as np
import pytest
from fake_data import synthetic_digits

from convviz.core import Conv2D, Dense, Flatten, MaxPool2D, Sequential
from convviz.core.training.timeline import TrainingTimeline
from convviz.core.training.trainer import StepRecord, Trainer, TrainingConfig, gradient_norms


def test_gradient_norms_are_the_l2_norms_of_each_layers_gradients():
    model = Sequential([Conv2D(2, 3, activation="relu", name="c"), MaxPool2D(2, name="p"),
                        Flatten(name="f"), Dense(3, name="d")], input_shape=(8, 8, 1), seed=0)
    x = np.random.default_rng(1).random((4, 8, 8, 1)).astype(np.float32)
    _, gradient = model.loss_and_gradient(model.forward(x, training=True), np.array([0, 1, 2, 0]))
    model.backward(gradient)
    norms = gradient_norms(model)
    assert set(norms) == {"c", "d"}             # pooling and flatten have no parameters
    for name in ("c", "d"):
        layer = next(layer for layer in model.layers if layer.name == name)
        squares = sum(float((layer.grads[p].astype(np.float64) ** 2).sum())
                      for p in ("kernel", "bias"))
        assert norms[name] == pytest.approx(np.sqrt(squares), rel=1e-6)


def test_every_step_record_carries_the_gradient_norms_of_that_step():
    trainer = Trainer(TrainingConfig(epochs=1, batch_size=32, validation_size=0),
                      *synthetic_digits(96))
    steps = [r for r in trainer.run() if isinstance(r, StepRecord)]
    assert len(steps) == 3
    names = {layer.name for layer in trainer.model.layers if layer.param_names}
    for record in steps:
        assert set(record.gradient_norms) == names
        assert all(np.isfinite(v) and v > 0 for v in record.gradient_norms.values())
    assert steps[0].gradient_norms != steps[1].gradient_norms


def test_the_timeline_stays_bounded_and_spread_over_the_run():
    timeline = TrainingTimeline(max_snapshots=8)
    for step in range(1, 101):
        timeline.add_weights(step, 1 + step // 50, [np.full(3, step, np.float32)])
    assert 4 <= len(timeline) <= 8
    steps = [s.step for s in timeline.snapshots]
    assert steps == sorted(steps) and steps[-1] == 100 and steps[0] <= 20
    assert not timeline.snapshots[0].weights[0].flags.writeable
    timeline.add_weights(50, 1, [np.zeros(3)])         # an old step: ignored
    assert timeline.snapshots[-1].step == 100


def test_the_snapshot_is_a_copy():
    timeline = TrainingTimeline()
    weights = [np.ones(2, np.float32)]
    timeline.add_weights(1, 1, weights)
    weights[0][:] = 5
    np.testing.assert_array_equal(timeline.snapshots[0].weights[0], [1, 1])


def test_test_results_are_found_for_the_step_they_cover():
    timeline = TrainingTimeline()
    assert timeline.result_for(10) is None
    timeline.add_test(1, 7, 0.9, np.eye(2))
    timeline.add_test(2, 14, 0.95, 2 * np.eye(2))
    assert timeline.result_for(6) is None
    assert timeline.result_for(7).epoch == 1 and timeline.result_for(13).epoch == 1
    assert timeline.result_for(99).accuracy == 0.95


def test_gradient_norms_thin_out_and_keep_layers_aligned():
    timeline = TrainingTimeline(max_norms=10)
    for step in range(1, 26):
        norms = {"C1": float(step)} if step < 5 else {"C1": float(step), "F6": 1.0}
        timeline.add_gradient_norms(step, norms)
    assert len(timeline.norm_steps) <= 10
    assert all(len(values) == len(timeline.norm_steps) for values in timeline.norms.values())
    assert timeline.norms["C1"] == [float(s) for s in timeline.norm_steps]
    first_f6 = timeline.norms["F6"][0]
    assert np.isnan(first_f6)


def test_a_timeline_needs_room():
    with pytest.raises(ValueError):
        TrainingTimeline(max_snapshots=1)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")   # the blow-up under test
def test_batch_normalization_statistics_are_checked_and_rolled_back_with_the_weights():
    """A weight that blows the pre-BatchNorm activations up must not leave infinite moving
    statistics behind, neither in a run that 'completes' nor after 'last good weights kept'."""
    from convviz.core import BatchNormalization
    from convviz.core.training.trainer import FinishedRecord
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (200, 4, 4), dtype=np.uint8)
    labels = rng.integers(0, 3, 200)
    model = Sequential([Flatten(), Dense(8, name="d1"), BatchNormalization(name="bn"),
                        Dense(3, name="out")], input_shape=(4, 4, 1), seed=0)
    config = TrainingConfig(classes=3, epochs=1, batch_size=20, optimizer="sgd",
                            learning_rate=0.1, validation_size=0)
    trainer = Trainer(config, images, labels, model=model)
    run = trainer.run()
    next(run)
    model.layers[1].params["kernel"][0, 0] = 3e38          # as a diverging run would
    finished = next(r for r in run if isinstance(r, FinishedRecord))
    assert finished.diverged
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert np.isfinite(model.predict(images[:4, :, :, None] / 255)).all()

"""What-if experiments (filters off, weights edited, exact reset), shifts, temperature and
top patches, each against its definition written out plainly."""

import numpy as np
import pytest
from paths import SHIPPED_MODEL

from convviz.core import (
    Activation,
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    Sequential,
    load_model,
)
from convviz.core.experiments import (
    SHIFTS,
    WhatIf,
    shift_image,
    shift_sweep,
    softmax_with_temperature,
    top_patches,
)


def small_model() -> Sequential:
    return Sequential([Conv2D(3, 3, padding="same", activation="relu", name="A"),
                       MaxPool2D(2, name="P"),
                       Conv2D(4, 3, activation="tanh", name="B"),
                       Flatten(name="F"), Dense(5, name="out")],
                      input_shape=(10, 10, 1), seed=2)


def pictures(count=7, seed=0):
    return np.random.default_rng(seed).random((count, 10, 10, 1)).astype(np.float32)


# --- WhatIf ------------------------------------------------------------------------------------

def test_a_switched_off_filter_has_an_all_zero_map_and_others_are_untouched():
    model = small_model()
    before = model.forward_all(pictures(2))
    what_if = WhatIf(model)
    what_if.set_switched_off("A", 1, True)
    model.set_weights(what_if.weights())
    after = model.forward_all(pictures(2))
    assert not after[0][..., 1].any()
    np.testing.assert_array_equal(after[0][..., [0, 2]], before[0][..., [0, 2]])
    assert not np.allclose(after[-1], before[-1])
    assert what_if.describe() == "switched off: A #1"


def test_reset_gives_back_the_trained_weights_bit_for_bit():
    model = small_model()
    trained = [w.copy() for w in model.get_weights()]
    what_if = WhatIf(model)
    assert what_if.toggle("B", 3) is True
    what_if.set_weight("A", 0, 2, 0, 1, 4.5)
    modified = what_if.weights()
    assert modified[0][0, 2, 0, 1] == 4.5
    assert not modified[2][..., 3].any() and modified[3][3] == 0
    model.set_weights(modified)
    what_if.reset()
    model.set_weights(what_if.weights())
    assert not what_if.is_modified
    for a, b in zip(trained, model.get_weights(), strict=True):
        assert a.tobytes() == b.tobytes()


def test_toggling_twice_switches_the_filter_back_on():
    what_if = WhatIf(small_model())
    assert what_if.toggle("A", 0) and not what_if.toggle("A", 0)
    assert not what_if.is_modified


@pytest.mark.parametrize("call, message", [
    (lambda w: w.toggle("P", 0), "no filters"),
    (lambda w: w.toggle("Z", 0), "no layer called"),
    (lambda w: w.toggle("A", 3), "filters 0 to 2"),
    (lambda w: w.set_weight("A", 3, 0, 0, 0, 1.0), "outside"),
    (lambda w: w.set_weight("A", 0, 0, 0, 0, float("nan")), "finite"),
])
def test_impossible_experiments_are_refused_with_a_sentence(call, message):
    with pytest.raises(ValueError, match=message):
        call(WhatIf(small_model()))


# --- shifts and temperature ----------------------------------------------------------------

def test_shift_moves_every_pixel_and_fills_with_background():
    image = np.arange(1, 26, dtype=np.float32).reshape(5, 5)
    moved = shift_image(image, 1, -2)
    for r in range(5):
        for c in range(5):
            source = (r - 1, c + 2)
            inside = 0 <= source[0] < 5 and 0 <= source[1] < 5
            assert moved[r, c] == (image[source] if inside else 0)
    assert not shift_image(image, 0, 9).any()
    with pytest.raises(ValueError, match="whole pixels"):
        shift_image(image, 0.5, 0)


def test_the_sweep_has_13_shifts_and_each_row_is_the_network_on_that_shift():
    model = small_model()
    image = pictures(1)[0]
    sweep = shift_sweep(model, image, "vertical")
    assert sweep.shifts == SHIFTS and len(SHIFTS) == 13
    assert sweep.probabilities.shape == (13, 5)
    row = SHIFTS.index(-2)
    expected = model.predict(shift_image(image, -2, 0)[None])[0]
    np.testing.assert_allclose(sweep.probabilities[row], expected, rtol=1e-6)
    np.testing.assert_allclose(sweep.probabilities[SHIFTS.index(0)], model.predict(image[None])[0],
                               rtol=1e-6)


def test_the_sweep_at_a_temperature_is_the_tempered_softmax_of_each_shift():
    model = small_model()
    image = pictures(1)[0]
    sweep = shift_sweep(model, image, "horizontal", temperature=3.0)
    assert sweep.temperature == 3.0
    logits = model.forward(shift_image(image, 0, 4)[None])[0].astype(np.float64) / 3.0
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(sweep.probabilities[SHIFTS.index(4)], expected, rtol=1e-5)
    softmax_model = Sequential([*model.layers, Activation("softmax")],
                               input_shape=model.input_shape)
    plain = shift_sweep(softmax_model, image, "horizontal", temperature=3.0)
    assert plain.temperature == 1.0       # no logits at hand: the network's own softmax
    np.testing.assert_allclose(plain.probabilities, shift_sweep(model, image).probabilities,
                               rtol=1e-5)


def test_feature_maps_move_with_the_input_away_from_the_border():
    """Equivariance: a stride-1 'same' convolution of a shifted picture is the shifted map."""
    model = Sequential([Conv2D(2, 3, padding="same", activation="relu")], input_shape=(12, 12, 1),
                       seed=0)
    image = np.zeros((12, 12, 1), np.float32)
    image[4:7, 4:8] = 1.0
    maps = model.forward(image[None])[0]
    moved = model.forward(shift_image(image, 2, 3)[None])[0]
    np.testing.assert_allclose(moved, shift_image(maps, 2, 3), atol=1e-6)


def test_temperature_keeps_the_ranking_and_changes_the_certainty():
    logits = np.array([2.0, 1.0, -1.0])
    cold, plain, hot = (softmax_with_temperature(logits, t) for t in (0.5, 1.0, 4.0))
    expected = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(plain, expected, rtol=1e-6)
    assert cold.argmax() == plain.argmax() == hot.argmax() == 0
    assert cold[0] > plain[0] > hot[0]
    with pytest.raises(ValueError, match="positive"):
        softmax_with_temperature(logits, 0)


# --- top patches -------------------------------------------------------------------------------

def test_top_patches_are_the_strongest_peaks_and_their_receptive_fields():
    model = small_model()
    images = pictures(30, seed=4)
    result = top_patches(model, "B", 2, images, count=5)
    maps = np.stack([model.forward_all(images[n:n + 1])[2][0, :, :, 2] for n in range(30)])
    peaks = maps.reshape(30, -1).max(axis=1)
    assert list(result.indices) == list(np.argsort(-peaks, kind="stable")[:5])
    np.testing.assert_allclose(result.values, peaks[result.indices], rtol=1e-6)
    assert result.field == (8, 8)          # 3x3 conv, 2x2 pool, 3x3 conv
    n, (i, j) = result.indices[0], result.positions[0]
    assert maps[n, i, j] == pytest.approx(peaks[n])
    # B's cell (i, j) reads pooled rows 2i-... : pixels 2i-1 .. 2i+6 of the 'same'-padded input
    top, left = 2 * i - 1, 2 * j - 1
    expected = np.zeros((8, 8))
    for r in range(8):
        for c in range(8):
            if 0 <= top + r < 10 and 0 <= left + c < 10:
                expected[r, c] = images[n, top + r, left + c, 0]
    np.testing.assert_array_equal(result.patches[0][..., 0], expected)
    np.testing.assert_allclose(result.mean_map, maps.mean(axis=0), rtol=1e-5, atol=1e-6)


def test_top_patches_of_the_shipped_c1_filters_are_real_crops():
    model = load_model(SHIPPED_MODEL)
    images = np.zeros((3, 28, 28, 1), np.float32)
    images[1, 10:18, 12:14] = 1.0              # a vertical bar
    result = top_patches(model, "C1", 0, images, count=9)
    assert len(result.indices) == 3 and result.patches.shape == (3, 5, 5, 1)


@pytest.mark.parametrize("layer, channel, message", [("P", 0, "not a convolution"),
                                                     ("Z", 0, "no layer"), ("A", 7, "0 to 2")])
def test_top_patches_refuse_what_does_not_exist(layer, channel, message):
    with pytest.raises(ValueError, match=message):
        top_patches(small_model(), layer, channel, pictures(3))


def test_avg_pool_models_work_too():
    model = Sequential([Conv2D(2, 3, activation="tanh", name="c"), AvgPool2D(2), Flatten(),
                        Dense(3)], input_shape=(10, 10, 1), seed=0)
    assert top_patches(model, "c", 1, pictures(4), count=2).field == (3, 3)

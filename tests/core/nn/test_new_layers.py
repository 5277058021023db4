"""Activation, BatchNormalization, Rescaling and Input: forward against loop references, backward
by finite differences, BatchNorm's moving statistics, saving and reloading them."""

import json

import naive
import numpy as np
import pytest
from gradcheck import assert_close, check_gradients

from convviz.core.nn.layers import (
    LAYER_CLASSES,
    Activation,
    BatchNormalization,
    Conv2D,
    Dense,
    Flatten,
    Input,
    MaxPool2D,
    Rescaling,
)
from convviz.core.nn.model import Sequential
from convviz.core.nn.optim import Adam
from convviz.core.nn.serialization import ModelFileError, load_model, model_to_arrays, save_model

# --- Activation ----------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "elu", "softplus", "softmax"])
@pytest.mark.parametrize("shape", [(3, 5), (2, 3, 4, 3)])
def test_activation_layer(activation, shape):
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, shape).astype(np.float32)
    layer = Activation(activation)

    def forward64(x64):
        return naive.softmax(x64) if activation == "softmax" else naive.activate(x64, activation)

    y = check_gradients(layer, x, forward64, rng, count=8)
    assert_close(y, forward64(x), 1e-6)
    assert layer.activation == activation and layer.count_params() == 0


def test_activation_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown activation 'swishy'"):
        Activation("swishy")


# --- BatchNormalization --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4, 3), (1, 2, 2, 2)])
def test_batch_norm_training_forward_and_backward(shape):
    rng = np.random.default_rng(2)
    x = rng.normal(1.5, 2.0, shape).astype(np.float32)
    layer = BatchNormalization(epsilon=1e-3)
    layer.build(shape[1:])
    channels = shape[-1]
    layer.set_weights([rng.uniform(0.5, 2, channels), rng.uniform(-1, 1, channels),
                       np.zeros(channels), np.ones(channels)])

    def forward64(x64, gamma, beta, moving_mean, moving_variance):
        mean, variance = naive.channel_moments(x64)
        return naive.batch_norm(x64, gamma, beta, mean, variance, 1e-3)

    y = check_gradients(layer, x, forward64, rng, count=8, training=True)
    assert_close(y, forward64(x, *layer.get_weights()), 1e-5)
    assert layer.trainable_names == ("gamma", "beta")
    assert layer.param_names == ("gamma", "beta", "moving_mean", "moving_variance")


def test_batch_norm_moving_statistics_follow_keras_momentum():
    rng = np.random.default_rng(3)
    layer = BatchNormalization(momentum=0.9)
    layer.build((4, 4, 2))
    moving_mean, moving_variance = np.zeros(2), np.ones(2)
    for _ in range(3):
        x = rng.normal(3.0, 0.5, (5, 4, 4, 2)).astype(np.float32)
        layer.forward(x, training=True)
        mean, variance = naive.channel_moments(x)
        moving_mean = 0.9 * moving_mean + 0.1 * mean
        moving_variance = 0.9 * moving_variance + 0.1 * variance
    assert_close(layer.params["moving_mean"], moving_mean, 1e-5)
    assert_close(layer.params["moving_variance"], moving_variance, 1e-5)
    before = layer.get_weights()
    layer.forward(rng.normal(size=(5, 4, 4, 2)).astype(np.float32), training=False)
    for kept, now in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(kept, now)  # inference never moves the statistics


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 3, 2)])
def test_batch_norm_inference_uses_the_moving_statistics(shape):
    rng = np.random.default_rng(4)
    channels = shape[-1]
    layer = BatchNormalization(epsilon=1e-2)
    layer.build(shape[1:])
    layer.set_weights([rng.uniform(0.5, 2, channels), rng.uniform(-1, 1, channels),
                       rng.uniform(-1, 1, channels), rng.uniform(0.5, 3, channels)])
    x = rng.normal(size=shape).astype(np.float32)

    def forward64(x64, gamma, beta, moving_mean, moving_variance):
        return naive.batch_norm(x64, gamma, beta, moving_mean, moving_variance, 1e-2)

    y = check_gradients(layer, x, forward64, rng, count=8, training=False)
    assert_close(y, forward64(x, *layer.get_weights()), 1e-6)


def test_batch_norm_statistics_are_not_trained_and_are_saved(tmp_path):
    rng = np.random.default_rng(5)
    model = Sequential([Conv2D(3, 3, input_shape=(6, 6, 1)), BatchNormalization(),
                        Flatten(), Dense(2)], seed=0)
    model.compile(Adam(0.01))
    x = rng.uniform(0, 1, (8, 6, 6, 1)).astype(np.float32)
    for _ in range(3):
        model.train_on_batch(x, np.arange(8) % 2)
    bn = model.layers[1]
    assert len(model.parameters()) == 2 + 2 + 2  # conv, gamma/beta, dense: no statistics
    assert not np.allclose(bn.params["moving_mean"], 0)  # they moved, by the forward pass
    save_model(model, tmp_path / "bn.npz")
    again = load_model(tmp_path / "bn.npz")
    for saved, loaded in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, loaded)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


def bn_model_arrays(change):
    model = Sequential([BatchNormalization(name="bn", input_shape=(3,)), Dense(2)], seed=0)
    arrays = model_to_arrays(model)
    change(arrays)
    return arrays


@pytest.mark.parametrize("change, message", [
    (lambda a: a.update({"weights/000/moving_variance": -np.ones(3, np.float32)}),
     "weights 'moving_variance' of layer 'bn' holds negative variances"),
    (lambda a: a.pop("weights/000/moving_mean"),
     "weights 'moving_mean' of layer 'bn' are missing"),
    (lambda a: a.update({"architecture": np.array(str(a["architecture"][()]).replace(
        '"momentum": 0.99', '"momentum": "fast"'))}),
     r"layer 0 \(BatchNormalization\) is invalid"),
])
def test_bad_batch_norm_files_are_refused(tmp_path, change, message):
    path = tmp_path / "bn.npz"
    np.savez(path, **bn_model_arrays(change))
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_set_weights_refuses_negative_variances():
    layer = BatchNormalization(name="bn")
    layer.build((2,))
    with pytest.raises(ValueError, match="moving_variance holds negative variances"):
        layer.set_weights([np.ones(2), np.zeros(2), np.zeros(2), np.array([1.0, -1.0])])


def test_batch_norm_validates_its_settings():
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        BatchNormalization(momentum=1.0)
    with pytest.raises(ValueError, match="epsilon must be a small positive number"):
        BatchNormalization(epsilon=0.0)


# --- Rescaling -----------------------------------------------------------------------------------

def test_rescaling_layer():
    rng = np.random.default_rng(6)
    x = rng.integers(0, 256, (3, 4, 4, 1)).astype(np.float32)
    layer = Rescaling(1 / 255, offset=-0.5)

    def forward64(x64):
        out = np.zeros_like(x64)
        for index in np.ndindex(x64.shape):
            out[index] = x64[index] / 255 - 0.5
        return out

    y = check_gradients(layer, x, forward64, rng, count=8)
    assert_close(y, forward64(x), 1e-6)
    with pytest.raises(ValueError, match="scale must be a finite number"):
        Rescaling(float("nan"))


# --- Input and input_shape= ----------------------------------------------------------------------

def test_input_first_or_input_shape_on_the_first_layer_build_the_same_model():
    def layers():
        return [Conv2D(2, 3, name="c"), MaxPool2D(2, padding="same", name="p"),
                Flatten(name="f"), Dense(3, name="d")]

    with_input = Sequential(seed=1)
    with_input.add(Input(shape=(7, 7, 1)))
    for layer in layers():
        with_input.add(layer)
    first = layers()
    first[0] = Conv2D(2, 3, name="c", input_shape=(7, 7, 1))
    declared = Sequential(first, seed=1)
    up_front = Sequential(layers(), input_shape=(7, 7, 1), seed=1)
    for model in (with_input, declared, up_front):
        assert model.input_shape == (7, 7, 1) and model.output_shape == (3,)
        assert [layer.output_shape for layer in model.layers] == [
            (5, 5, 2), (3, 3, 2), (18,), (3,)]
    for a, b, c in zip(with_input.get_weights(), declared.get_weights(),
                       up_front.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_input_and_shape_mistakes_are_explained():
    model = Sequential([Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match=r"Input\(shape=...\) must come first"):
        model.add(Input(shape=(3,)))
    with pytest.raises(ValueError, match="positive sizes"):
        Input(shape=(None, 28, 1))
    with pytest.raises(ValueError, match="takes a layer such as Dense"):
        model.add("dense")
    with pytest.raises(ValueError, match=r"add the channel axis, x\[\.\.\., None\]"):
        Sequential([Conv2D(2, 3, input_shape=(28, 28))])


@pytest.mark.parametrize("layer, input_shape", [
    (Activation("tanh"), (5,)),
    (BatchNormalization(momentum=0.9, epsilon=1e-2), (3, 3, 2)),
    (Rescaling(0.5, 1.0), (4,)),
])
def test_new_layer_configs_round_trip(layer, input_shape):
    config = json.loads(json.dumps(layer.get_config()))
    twin = LAYER_CLASSES[type(layer).__name__].from_config(config)
    assert twin.get_config() == layer.get_config()
    layer.build(input_shape)
    twin.build(input_shape)
    twin.set_weights(layer.get_weights())
    x = np.random.default_rng(7).uniform(-1, 1, (2, *input_shape)).astype(np.float32)
    np.testing.assert_array_equal(twin.forward(x), layer.forward(x))

"""Layers: forward against the loop references, backward by finite differences, the API contract."""

import json

import naive
import numpy as np
import pytest
from gradcheck import assert_close, check_gradients
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.core import (
    AveragePooling2D,
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
    MaxPool2D,
    MaxPooling2D,
)
from convviz.core.nn.initializers import INITIALIZERS, get_initializer
from convviz.core.nn.layers import LAYER_CLASSES

# --- the API contract ----------------------------------------------------------------------------

@pytest.mark.parametrize("batch", [1, 4])
def test_api_contract_conv2d(batch):
    rng = np.random.default_rng(0)
    kernel = rng.uniform(-1, 1, (3, 3, 1, 1)).astype(np.float32)
    bias = np.array([0.25], np.float32)
    x = rng.uniform(0, 1, (batch, 7, 7, 1)).astype(np.float32)
    conv = Conv2D(filters=1, kernel_size=3, strides=2, padding="valid")
    conv.build((7, 7, 1))
    conv.set_weights([kernel, bias])
    y = conv.forward(x)
    assert y.shape == (batch, 3, 3, 1)
    assert_close(y, naive.conv2d(x, kernel, bias, strides=(2, 2)))
    dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
    dx = conv.backward(dy)
    d_kernel, d_bias = conv.get_gradients()
    expected = naive.conv2d_backward(x, kernel, bias, dy, strides=(2, 2))
    for actual, wanted in zip((dx, d_kernel, d_bias), expected, strict=True):
        assert actual.shape == wanted.shape
        assert_close(actual, wanted)
    assert conv.grads["kernel"] is d_kernel and conv.param_names == ("kernel", "bias")


def test_keras_course_shapes_through_a_real_forward():
    x = np.random.default_rng(1).uniform(0, 1, (2, 70, 120, 3)).astype(np.float32)
    for kwargs, shape in (({}, (64, 114, 32)), ({"padding": "same"}, (70, 120, 32)),
                          ({"padding": "same", "strides": 2}, (35, 60, 32))):
        layer = Conv2D(32, 7, **kwargs)
        assert layer.forward(x).shape == (2, *shape)
        assert layer.params["kernel"].shape == (7, 7, 3, 32)
        assert layer.output_shape == shape


# --- Conv2D --------------------------------------------------------------------------------------

pad = st.integers(0, 2)
layer_paddings = st.one_of(st.sampled_from(["valid", "same"]), pad, st.tuples(pad, pad),
                           st.tuples(st.tuples(pad, pad), st.tuples(pad, pad)))
pairs = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))


def pair(value):
    return (value, value) if isinstance(value, int) else value


@settings(deadline=None, max_examples=60)
@given(kernel_size=pairs, strides=pairs, dilation=st.integers(1, 2), padding=layer_paddings,
       activation=st.sampled_from(naive.ACTIVATIONS), batch=st.integers(1, 3),
       seed=st.integers(0, 2**32 - 1))
def test_conv2d_layer_matches_the_loop_reference(kernel_size, strides, dilation, padding,
                                                 activation, batch, seed):
    rng = np.random.default_rng(seed)
    input_shape = (7, 6, 2)
    layer = Conv2D(3, kernel_size, strides, padding, dilation, activation)
    layer.build(input_shape, rng)
    layer.set_weights([layer.params["kernel"], rng.uniform(-0.5, 0.5, 3)])
    x = rng.uniform(-1, 1, (batch, *input_shape)).astype(np.float32)
    pads = naive.explicit_padding(padding, input_shape[:2], pair(kernel_size), pair(strides),
                                  (dilation, dilation))

    def forward64(x64, kernel, bias):
        return naive.conv2d(x64, kernel, bias, pair(strides), pads, (dilation, dilation),
                            activation)

    y = check_gradients(layer, x, forward64, rng, count=4)
    assert_close(y, forward64(x, *layer.get_weights()))
    assert y.shape[1:] == layer.output_shape


def test_first_layer_can_skip_its_input_gradient():
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (3, 6, 6, 1)).astype(np.float32)
    dy = rng.uniform(-1, 1, (3, 4, 4, 2)).astype(np.float32)
    full, skipping = Conv2D(2, 3, name="full"), Conv2D(2, 3, name="skipping")
    full.build((6, 6, 1), np.random.default_rng(0))
    skipping.build((6, 6, 1), np.random.default_rng(0))
    skipping.need_input_gradient = False
    full.forward(x), skipping.forward(x)
    assert full.backward(dy) is not None and skipping.backward(dy) is None
    for a, b in zip(full.get_gradients(), skipping.get_gradients(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_conv2d_without_bias():
    rng = np.random.default_rng(3)
    layer = Conv2D(2, 3, use_bias=False, activation="relu")
    layer.build((5, 5, 2), rng)
    assert layer.param_names == ("kernel",) and layer.count_params() == 3 * 3 * 2 * 2
    x = rng.uniform(-1, 1, (2, 5, 5, 2)).astype(np.float32)
    check_gradients(layer, x, lambda x64, kernel: naive.conv2d(x64, kernel, np.zeros(2),
                                                                activation="relu"), rng)


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": 0, "kernel_size": 3}, "filters must be a positive integer"),
    ({"filters": 2.5, "kernel_size": 3}, "filters must be a positive integer"),
    ({"filters": 2, "kernel_size": 0}, "kernel must be at least 1x1"),
    ({"filters": 2, "kernel_size": 3, "activation": "softmax"}, "softmax is an output activation"),
    ({"filters": 2, "kernel_size": 3, "activation": "gelu"}, "unknown activation 'gelu'"),
    ({"filters": 2, "kernel_size": 3, "padding": "full"}, "padding must be"),
    ({"filters": 2, "kernel_size": 3, "padding": -1}, "padding cannot be negative"),
    ({"filters": 2, "kernel_size": 3, "strides": 0}, "strides must be 1 or more"),
    ({"filters": 2, "kernel_size": 3, "kernel_initializer": "orthogonal"},
     "unknown initializer 'orthogonal'"),
])
def test_invalid_conv2d_settings(kwargs, message):
    """Invalid settings fail at construction or, for size-dependent ones, at build."""
    with pytest.raises(ValueError, match=message):
        Conv2D(**kwargs).build((8, 8, 1))


def test_layers_check_their_input_shapes():
    with pytest.raises(ValueError, match="needs image inputs"):
        Conv2D(2, 3).build((8, 8))
    with pytest.raises(ValueError, match="needs image inputs"):
        MaxPool2D().build((8,))
    with pytest.raises(ValueError, match="put a Flatten layer before it"):
        Dense(3).build((4, 4, 1))
    with pytest.raises(ValueError, match="kernel height 5 is larger"):
        Conv2D(2, 5).build((4, 8, 1))
    layer = Conv2D(2, 3, name="c")
    layer.build((8, 8, 1))
    with pytest.raises(ValueError, match=r"layer 'c' expects inputs of shape \(N, 8, 8, 1\)"):
        layer.forward(np.zeros((1, 8, 9, 1), np.float32))


def test_set_weights_checks_count_and_shapes_and_copies_in_place():
    layer = Conv2D(2, 3, name="c")
    layer.build((5, 5, 1))
    kernel = layer.params["kernel"]
    with pytest.raises(ValueError, match="has 2 weight arrays, got 1"):
        layer.set_weights([np.zeros((3, 3, 1, 2))])
    with pytest.raises(ValueError, match=r"kernel must have shape \(3, 3, 1, 2\)"):
        layer.set_weights([np.zeros((3, 3, 2, 2)), np.zeros(2)])
    layer.set_weights([np.ones((3, 3, 1, 2)), np.full(2, 0.5)])
    assert layer.params["kernel"] is kernel  # optimizer state keyed on this array stays valid
    assert kernel.dtype == np.float32 and np.all(kernel == 1.0)
    weights = layer.get_weights()
    weights[0][...] = 7.0
    assert np.all(layer.params["kernel"] == 1.0)  # get_weights returns copies


def test_default_names_are_unique():
    names = {Conv2D(1, 1).name for _ in range(3)} | {Dense(1).name for _ in range(3)}
    assert len(names) == 6


# --- pooling -------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls, mode", [(MaxPool2D, "max"), (AvgPool2D, "average")])
@pytest.mark.parametrize("pool_size, strides, padding", [
    (2, None, "valid"), (2, None, "same"), (3, 2, "same"), ((2, 3), (1, 2), "valid"),
    (3, 1, 1), (2, 3, ((0, 1), (1, 0))),
])
@pytest.mark.parametrize("batch", [1, 3])
def test_pooling_layers(cls, mode, pool_size, strides, padding, batch):
    rng = np.random.default_rng(4)
    shape = (batch, 7, 6, 2)
    x = (rng.permutation(np.prod(shape)).reshape(shape) / np.prod(shape)).astype(np.float32)
    layer = cls(pool_size, strides, padding)
    pool = pair(pool_size)
    resolved = pool if strides is None else pair(strides)
    pads = naive.explicit_padding(padding, (7, 6), pool, resolved)

    def forward64(x64):
        return naive.pool2d(x64, pool, resolved, pads, mode)

    y = check_gradients(layer, x, forward64, rng, count=10)
    assert_close(y, forward64(x), 1e-6)
    assert layer.count_params() == 0


def test_pooling_strides_default_to_the_pool_size_and_aliases_are_the_same_classes():
    assert MaxPool2D(3).strides == (3, 3) and AvgPool2D((2, 3)).strides == (2, 3)
    assert MaxPooling2D is MaxPool2D and AveragePooling2D is AvgPool2D
    assert GlobalAveragePooling2D is GlobalAvgPool2D
    assert MaxPool2D(2).build((28, 28, 6)) == (14, 14, 6)


# --- GlobalAvgPool2D, Flatten, Dense, Dropout ----------------------------------------------------

@pytest.mark.parametrize("batch", [1, 3])
def test_global_average_pooling(batch):
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (batch, 4, 5, 3)).astype(np.float32)
    layer = GlobalAvgPool2D()
    assert layer.build((4, 5, 3)) == (3,)
    y = check_gradients(layer, x, naive.global_avg_pool, rng)
    assert y.shape == (batch, 3)
    assert_close(y, naive.global_avg_pool(x), 1e-6)


def test_flatten_is_row_major_over_height_width_channels():
    rng = np.random.default_rng(6)
    x = rng.uniform(-1, 1, (2, 3, 4, 5)).astype(np.float32)
    layer = Flatten()
    y = layer.forward(x)
    assert y.shape == (2, 60)
    assert y[1, (2 * 4 + 1) * 5 + 3] == x[1, 2, 1, 3]  # Keras order: (h, w, c)
    check_gradients(layer, x, lambda x64: x64.reshape(2, -1), rng)


@pytest.mark.parametrize("activation", [*naive.ACTIVATIONS, "softmax"])
@pytest.mark.parametrize("batch", [1, 4])
def test_dense_layer(activation, batch):
    rng = np.random.default_rng(7)
    layer = Dense(5, activation=activation)
    assert layer.build((6,), rng) == (5,)
    layer.set_weights([layer.params["kernel"], rng.uniform(-0.5, 0.5, 5)])
    x = rng.uniform(-1, 1, (batch, 6)).astype(np.float32)

    def forward64(x64, kernel, bias):
        return naive.dense(x64, kernel, bias, activation)

    y = check_gradients(layer, x, forward64, rng, count=8)
    assert_close(y, forward64(x, *layer.get_weights()))
    assert layer.count_params() == 6 * 5 + 5


def test_dense_validates_units():
    for units in (0, -3, 2.5):
        with pytest.raises(ValueError, match="units must be a positive integer"):
            Dense(units)


def test_dropout_is_the_identity_at_inference():
    x = np.random.default_rng(8).uniform(-1, 1, (4, 10)).astype(np.float32)
    layer = Dropout(0.5, seed=1)
    np.testing.assert_array_equal(layer.forward(x), x)
    dy = np.ones_like(x)
    np.testing.assert_array_equal(layer.backward(dy), dy)
    np.testing.assert_array_equal(Dropout(0.0).forward(x, training=True), x)


def test_dropout_training_zeroes_a_fraction_and_scales_the_rest():
    x = np.random.default_rng(9).uniform(0.5, 1.5, (50, 2000)).astype(np.float32)
    layer = Dropout(0.3, seed=2)
    y = layer.forward(x, training=True)
    dropped = y == 0
    assert abs(dropped.mean() - 0.3) < 0.01
    np.testing.assert_allclose(y[~dropped], x[~dropped] / 0.7, rtol=1e-6)
    assert abs(y.mean() - x.mean()) < 0.01 * x.mean()  # inverted scaling keeps the expectation
    dy = np.random.default_rng(10).uniform(-1, 1, x.shape).astype(np.float32)
    dx = layer.backward(dy)
    np.testing.assert_array_equal(dx[dropped], 0.0)
    np.testing.assert_allclose(dx[~dropped], dy[~dropped] / 0.7, rtol=1e-6)
    again = Dropout(0.3, seed=2).forward(x, training=True)
    np.testing.assert_array_equal(again, y)  # a seed makes the masks reproducible
    assert not np.array_equal(layer.forward(x, training=True), y)  # a new mask each batch


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_rejects_rates_outside_zero_to_one(rate):
    with pytest.raises(ValueError, match=r"dropout rate must be in \[0, 1\)"):
        Dropout(rate)


# --- configuration round trip --------------------------------------------------------------------

@pytest.mark.parametrize("layer, input_shape", [
    (Conv2D(4, (3, 2), (2, 1), ((0, 1), (2, 0)), 2, "elu", use_bias=False), (9, 9, 2)),
    (Conv2D(3, 3, padding=1, activation="leaky_relu"), (6, 6, 1)),
    (Conv2D(3, 3, padding=(1, 0), kernel_initializer="he_normal"), (6, 6, 1)),
    (MaxPool2D(3, 2, "same"), (7, 7, 2)),
    (AvgPool2D((2, 3), padding=((1, 0), (0, 1))), (7, 7, 2)),
    (GlobalAvgPool2D(), (4, 4, 3)),
    (Flatten(), (4, 4, 3)),
    (Dense(7, "softmax"), (12,)),
    (Dropout(0.25, seed=3), (12,)),
])
def test_config_round_trip_rebuilds_an_identical_layer(layer, input_shape):
    config = json.loads(json.dumps(layer.get_config()))  # must be JSON-friendly
    twin = LAYER_CLASSES[type(layer).__name__].from_config(config)
    assert twin.get_config() == layer.get_config()
    rng = np.random.default_rng(11)
    layer.build(input_shape, rng)
    twin.build(input_shape)
    twin.set_weights(layer.get_weights())
    x = rng.uniform(-1, 1, (2, *input_shape)).astype(np.float32)
    np.testing.assert_array_equal(twin.forward(x), layer.forward(x))


# --- initializers --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, limit", [
    ("glorot_uniform", np.sqrt(6 / (5 * 5 * 6 + 5 * 5 * 16))),
    ("he_uniform", np.sqrt(6 / (5 * 5 * 6))),
    ("lecun_uniform", np.sqrt(3 / (5 * 5 * 6))),
])
def test_uniform_initializers_use_keras_fans(name, limit):
    weights = get_initializer(name)((5, 5, 6, 16), np.random.default_rng(12))
    assert weights.dtype == np.float32 and weights.shape == (5, 5, 6, 16)
    assert np.abs(weights).max() <= limit
    assert np.abs(weights).max() > 0.95 * limit  # 2400 draws reach close to the bound


@pytest.mark.parametrize("name, std", [
    ("glorot_normal", np.sqrt(2 / (400 + 120))), ("he_normal", np.sqrt(2 / 400)),
    ("lecun_normal", np.sqrt(1 / 400)),
])
def test_normal_initializers_use_keras_fans(name, std):
    weights = get_initializer(name)((400, 120), np.random.default_rng(13))
    assert abs(weights.std() / std - 1) < 0.03 and abs(weights.mean()) < 0.1 * std


def test_initializer_registry():
    assert INITIALIZERS["xavier_uniform"] is INITIALIZERS["glorot_uniform"]
    assert not get_initializer("zeros")((3, 4), np.random.default_rng()).any()
    with pytest.raises(ValueError, match="unknown initializer 'nope'; choose one of"):
        get_initializer("nope")

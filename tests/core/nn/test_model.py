"""Sequential and LeNet-5: shapes layer by layer, summary, whole-model gradcheck, losses,
training."""

import warnings

import naive
import numpy as np
import pytest
from paths import SHARED_MNIST

from convviz.core import (
    SGD,
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    Sequential,
    lenet5,
    load_model,
    save_model,
)
from convviz.core.nn.losses import cross_entropy, softmax_cross_entropy
from convviz.core.training.data import images_to_float, load_mnist, missing_files

MNIST_DIR = SHARED_MNIST

LENET_SHAPES = [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (1, 1, 120), (120,), (84,),
                (10,)]
LENET_NAMES = ["C1", "S2", "C3", "S4", "C5", "flatten", "F6", "output"]
LENET_PARAMS = [6 * (5 * 5 * 1 + 1), 0, 16 * (5 * 5 * 6 + 1), 0, 120 * (5 * 5 * 16 + 1), 0,
                84 * (120 + 1), 10 * (84 + 1)]


# --- LeNet-5 shapes and summary ------------------------------------------------------------------

@pytest.mark.parametrize("variant, pool, activation", [("classic", AvgPool2D, "tanh"),
                                                       ("modern", MaxPool2D, "relu")])
@pytest.mark.parametrize("batch", [1, 3])
def test_lenet5_shapes_layer_by_layer(variant, pool, activation, batch):
    model = lenet5(variant)
    x = np.random.default_rng(0).uniform(0, 1, (batch, 28, 28, 1)).astype(np.float32)
    outputs = model.forward_all(x)
    assert [layer.name for layer in model.layers] == LENET_NAMES
    assert [out.shape for out in outputs] == [(batch, *shape) for shape in LENET_SHAPES]
    assert [layer.output_shape for layer in model.layers] == LENET_SHAPES
    assert [type(model.layers[i]) for i in (1, 3)] == [pool, pool]
    assert [model.layers[i].activation for i in (0, 2, 4, 6)] == [activation] * 4
    assert model.layers[-1].activation == "linear"  # logits; the loss applies the softmax
    assert [layer.count_params() for layer in model.layers] == LENET_PARAMS
    assert model.count_params() == 61_706
    np.testing.assert_array_equal(outputs[-1], model.forward(x))


def test_lenet5_summary_rows_and_totals():
    summary = lenet5("classic").layer_summary(batch_size=32)
    assert [row.name for row in summary.rows] == LENET_NAMES
    assert [row.kind for row in summary.rows] == ["Conv2D", "AvgPool2D", "Conv2D", "AvgPool2D",
                                                  "Conv2D", "Flatten", "Dense", "Dense"]
    assert [row.output_shape for row in summary.rows] == LENET_SHAPES
    assert [row.params for row in summary.rows] == LENET_PARAMS
    assert [row.activation_bytes for row in summary.rows] == [
        4 * 4704, 4 * 1176, 4 * 1600, 4 * 400, 4 * 120, 4 * 120, 4 * 84, 4 * 10]
    assert summary.total_params == 61_706
    assert summary.parameter_bytes == 4 * 61_706
    assert summary.activation_bytes_per_instance == 4 * 8214
    assert summary.activation_bytes_per_batch == 32 * 4 * 8214
    text = str(summary)
    assert "Total params: 61,706" in text
    assert "C3 (Conv2D)" in text and "(None, 10, 10, 16)" in text and "2,416" in text
    assert "per batch of 32" in text


def test_lenet5_with_dropout_and_seeds():
    model = lenet5("modern", seed=5, dropout=0.5)
    kinds = [type(layer) for layer in model.layers]
    assert kinds[5:] == [Flatten, Dropout, Dense, Dropout, Dense]
    assert model.count_params() == 61_706
    x = np.random.default_rng(1).uniform(0, 1, (4, 28, 28, 1)).astype(np.float32)
    np.testing.assert_array_equal(model.predict(x), model.predict(x))  # no dropout at inference
    assert not np.array_equal(model.forward(x, training=True), model.forward(x, training=True))
    same = lenet5("modern", seed=5)
    for a, b in zip(same.get_weights(), lenet5("modern", seed=5).get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(same.get_weights()[0], lenet5("modern", seed=6).get_weights()[0])
    with pytest.raises(ValueError, match="variant must be 'classic' or 'modern'"):
        lenet5("resnet")


# --- the whole-model gradient check --------------------------------------------------------------

def naive_layer(layer, weights, h):
    """One layer of a model, computed by the float64 loop references."""
    if isinstance(layer, Conv2D):
        pads = naive.explicit_padding(layer.padding, h.shape[1:3], layer.kernel_size,
                                      layer.strides, layer.dilation_rate)
        return naive.conv2d(h, *weights, layer.strides, pads, layer.dilation_rate,
                            layer.activation)
    if isinstance(layer, (MaxPool2D, AvgPool2D)):
        pads = naive.explicit_padding(layer.padding, h.shape[1:3], layer.pool_size, layer.strides)
        return naive.pool2d(h, layer.pool_size, layer.strides, pads,
                            "max" if isinstance(layer, MaxPool2D) else "average")
    if isinstance(layer, Flatten):
        return h.reshape(h.shape[0], -1)
    if isinstance(layer, Dense):
        return naive.dense(h, *weights, layer.activation)
    raise TypeError(layer)


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_lenet5_gradients_match_finite_differences_of_the_loop_reference(variant):
    """Analytic gradients of the mean cross-entropy vs float64 central differences of the same
    loss computed by naive.py, at three random weights of every parameter array."""
    model = lenet5(variant, seed=2)
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, (3, 28, 28, 1)).astype(np.float32)
    labels = np.array([3, 7, 1])
    _, grad = model.loss_and_gradient(model.forward(x, training=True), labels)
    model.backward(grad)
    weights = [[w.astype(np.float64) for w in layer.get_weights()] for layer in model.layers]
    activations = [x.astype(np.float64)]
    for layer, w in zip(model.layers, weights, strict=True):
        activations.append(naive_layer(layer, w, activations[-1]))
    np.testing.assert_allclose(model.forward(x), activations[-1], rtol=1e-4, atol=1e-5)

    for index, layer in enumerate(model.layers):
        for array, analytic in zip(weights[index], layer.get_gradients(), strict=True):
            def loss(index=index):
                h = activations[index]  # the layers before the perturbed one do not change
                for later in range(index, len(model.layers)):
                    h = naive_layer(model.layers[later], weights[later], h)
                return naive.softmax_cross_entropy(h, labels)

            picks = rng.choice(array.size, size=3, replace=False)
            numeric = naive.numerical_gradient(loss, array, picks)
            scale = np.abs(analytic).max()
            assert scale > 0
            np.testing.assert_allclose(analytic.reshape(-1)[picks], numeric, rtol=1e-3,
                                       atol=1e-3 * scale, err_msg=f"{layer.name}")


# --- Sequential API ------------------------------------------------------------------------------

def test_api_contract_names_are_exported():
    import convviz.core
    for name in ("Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "Flatten", "Dense",
                 "Dropout", "Sequential", "lenet5", "load_model", "SGD", "Adam"):
        assert name in convviz.core.__all__ and callable(getattr(convviz.core, name))


def test_api_contract_train_predict_forward_all_save_load(tmp_path):
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 1, (8, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 8)
    model = lenet5("classic")
    model.compile(optimizer=SGD(learning_rate=0.01, momentum=0.9))
    before = [w.copy() for w in model.get_weights()]
    loss = model.train_on_batch(x, y)
    assert isinstance(loss, float) and 0 < loss < 10
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    probs = model.predict(x)
    assert probs.shape == (8, 10) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    acts = model.forward_all(x)
    assert len(acts) == 8
    np.testing.assert_allclose(probs, naive.softmax(acts[-1]), rtol=1e-5, atol=1e-7)
    save_model(model, tmp_path / "m.npz")
    same = load_model(tmp_path / "m.npz")
    np.testing.assert_array_equal(same.predict(x), probs)


def test_predict_in_batches_and_on_nothing():
    model = lenet5("modern")
    x = np.random.default_rng(5).uniform(0, 1, (7, 28, 28, 1)).astype(np.float32)
    whole = model.predict(x)
    np.testing.assert_allclose(model.predict(x, batch_size=3), whole, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(model.predict(x, batch_size=1), whole, rtol=1e-5, atol=1e-7)
    assert model.predict(x[:0]).shape == (0, 10)


def test_train_on_batch_with_accuracy_metric():
    model = lenet5("modern", seed=1)
    model.compile(SGD(0.01), metrics=["accuracy"])
    x = np.random.default_rng(6).uniform(0, 1, (16, 28, 28, 1)).astype(np.float32)
    y = np.arange(16) % 10
    expected_accuracy = np.mean(model.forward(x).argmax(axis=1) == y)
    loss, accuracy = model.train_on_batch(x, y)
    assert accuracy == pytest.approx(expected_accuracy)
    assert loss > 0
    with pytest.raises(ValueError, match="unknown metrics"):
        model.compile(SGD(0.01), metrics=["precision"])


def test_sequential_usage_errors():
    with pytest.raises(RuntimeError, match="has no layers: add some first"):
        Sequential([]).predict(np.zeros((1, 4), np.float32))
    with pytest.raises(ValueError, match="layer names must be unique"):
        Sequential([Dense(2, name="a"), Dense(2, name="a")])
    unbuilt = Sequential([Flatten(), Dense(2)])
    with pytest.raises(RuntimeError, match="is not built"):
        unbuilt.forward(np.zeros((1, 4), np.float32))
    model = lenet5()
    with pytest.raises(RuntimeError, match=r"compile\(optimizer=...\)"):
        model.train_on_batch(np.zeros((1, 28, 28, 1), np.float32), np.zeros(1, int))
    with pytest.raises(ValueError, match="has 10 weight arrays, got 9"):
        model.set_weights(model.get_weights()[:-1])


def test_weights_round_trip_and_clone_independence():
    model = lenet5("classic", seed=7)
    x = np.random.default_rng(8).uniform(0, 1, (2, 28, 28, 1)).astype(np.float32)
    twin = model.clone()
    np.testing.assert_array_equal(twin.predict(x), model.predict(x))
    twin.layers[0].params["kernel"][...] = 0.0
    assert np.abs(model.layers[0].params["kernel"]).max() > 0
    other = lenet5("classic", seed=9)
    other.set_weights(model.get_weights())
    np.testing.assert_array_equal(other.predict(x), model.predict(x))


def test_parameters_pairs_follow_the_layers():
    model = lenet5()
    pairs = model.parameters()
    assert len(pairs) == 10
    for (param, grad), layer_param in zip(pairs, [p for layer in model.layers
                                                  for p in layer.params.values()], strict=True):
        assert param is layer_param and grad.shape == param.shape


# --- losses --------------------------------------------------------------------------------------

def test_softmax_cross_entropy_value_and_gradient():
    rng = np.random.default_rng(9)
    logits = rng.uniform(-3, 3, (5, 4)).astype(np.float32)
    labels = np.array([0, 3, 2, 2, 1])
    loss, grad = softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(naive.softmax_cross_entropy(logits, labels), rel=1e-6)
    onehot = np.eye(4)[labels]
    np.testing.assert_allclose(grad, (naive.softmax(logits) - onehot) / 5, rtol=1e-5, atol=1e-7)
    z = logits.astype(np.float64)
    numeric = naive.numerical_gradient(lambda: naive.softmax_cross_entropy(z, labels), z,
                                       range(z.size))
    np.testing.assert_allclose(grad.reshape(-1), numeric, rtol=1e-4, atol=1e-7)


def test_warnings_from_our_own_package_are_errors():
    """pyproject's filterwarnings = ["error:::convviz"] is in force for this suite."""
    with pytest.raises(RuntimeWarning, match="probe"):
        warnings.warn_explicit("probe", RuntimeWarning, "losses.py", 1,
                               module="convviz.core.nn.losses")


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0, -1e4], [1e4, 1e4, 0], [-1e4, -1e4, -1e4]], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow, no division by zero, anywhere
        loss, grad = softmax_cross_entropy(logits, np.array([0, 1, 2]))
    expected = (0.0 + np.log(2) + np.log(3)) / 3
    assert np.isfinite(loss) and loss == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(grad * 3, [[0, 0, 0], [0.5, -0.5, 0], [1 / 3, 1 / 3, -2 / 3]],
                               atol=1e-6)
    wrong, _ = softmax_cross_entropy(np.array([[1e4, 0]], np.float32), np.array([1]))
    assert wrong == pytest.approx(1e4)


def test_cross_entropy_on_probabilities_and_label_checks():
    probs = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]], np.float32)
    loss, grad = cross_entropy(probs, np.array([0, 0]))
    assert np.isfinite(loss) and loss == pytest.approx((-np.log(0.7) - np.log(1e-7)) / 2,
                                                       rel=1e-5)
    assert grad[0, 0] == pytest.approx(-1 / (0.7 * 2))
    assert np.count_nonzero(grad) == 2
    for function in (softmax_cross_entropy, cross_entropy):
        with pytest.raises(ValueError, match="expected 2 integer labels"):
            function(probs, np.array([0, 1, 2]))
        with pytest.raises(ValueError, match=r"labels must lie in 0..2"):
            function(probs, np.array([0, 3]))


def test_softmax_output_layer_gives_the_same_gradients_as_fused_logits():
    """Dense(softmax) + cross-entropy and Dense(linear) + softmax cross-entropy agree."""
    rng = np.random.default_rng(10)
    x = rng.uniform(-1, 1, (6, 8)).astype(np.float32)
    labels = rng.integers(0, 5, 6)
    fused = Sequential([Dense(5, name="d")], input_shape=(8,), seed=1)
    explicit = Sequential([Dense(5, activation="softmax", name="d")], input_shape=(8,), seed=1)
    grads = []
    for model in (fused, explicit):
        loss, grad = model.loss_and_gradient(model.forward(x, training=True), labels)
        model.backward(grad)
        grads.append((loss, model.layers[0].get_gradients()))
    assert grads[0][0] == pytest.approx(grads[1][0], rel=1e-5)
    for a, b in zip(grads[0][1], grads[1][1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(explicit.predict(x), fused.predict(x), rtol=1e-5, atol=1e-7)


# --- training ------------------------------------------------------------------------------------

def line_patterns(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Noisy 28x28 images of four shapes at random places: horizontal, vertical and diagonal
    strokes and a square outline (labels 0-3)."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28, 1), np.float32)
    labels = rng.integers(0, 4, count)
    for image, label in zip(images, labels, strict=True):
        a, b = rng.integers(4, 20, 2)
        length = rng.integers(8, 12)
        if label == 0:
            image[a, b - 3:b + length - 3] = 1
        elif label == 1:
            image[a - 3:a + length - 3, b] = 1
        elif label == 2:
            for t in range(length):
                image[a - 3 + t, b - 3 + t] = 1
        else:
            image[a - 3:a + 4, b - 3] = image[a - 3:a + 4, b + 3] = 1
            image[a - 3, b - 3:b + 4] = image[a + 3, b - 3:b + 4] = 1
    images += rng.normal(0, 0.1, images.shape).astype(np.float32)
    return images, labels


def train(model, images, labels, steps, batch=16):
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(steps):
        picks = rng.choice(len(images), batch, replace=False)
        losses.append(model.train_on_batch(images[picks], labels[picks]))
    return losses


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_training_on_simple_patterns_clearly_lowers_the_loss(variant):
    images, labels = line_patterns(256, seed=0)
    model = lenet5(variant, seed=1)
    model.compile(SGD(learning_rate=0.05, momentum=0.9))
    losses = train(model, images, labels, steps=300)
    assert np.all(np.isfinite(losses))
    assert np.mean(losses[-20:]) < 0.25 * np.mean(losses[:10])
    assert np.mean(model.predict(images).argmax(axis=1) == labels) > 0.85


@pytest.mark.skipif(bool(missing_files(MNIST_DIR)), reason=f"MNIST is not in {MNIST_DIR}")
def test_training_on_a_real_mnist_subset():
    mnist = load_mnist(MNIST_DIR)
    images, labels = images_to_float(mnist.train_images[:512]), mnist.train_labels[:512]
    model = lenet5("modern", seed=1)
    model.compile(SGD(learning_rate=0.01, momentum=0.9))
    before, _ = model.loss_and_gradient(model.forward(images), labels)
    train(model, images, labels, steps=200)
    after, _ = model.loss_and_gradient(model.forward(images), labels)
    assert after < 0.25 * before
    test_images = images_to_float(mnist.test_images[:500])
    accuracy = np.mean(model.predict(test_images).argmax(axis=1) == mnist.test_labels[:500])
    assert accuracy > 0.75

"""A softmax output layer is trained and evaluated from the logits behind it, as Keras does:
a confident mistake costs its full -log p and gets the full gradient (softmax - t) / N."""

import numpy as np
import pytest

from convviz.core.nn.layers import Activation, Dense
from convviz.core.nn.losses import SparseCategoricalCrossentropy
from convviz.core.nn.model import Sequential


def twin_models(scale: float, separate_softmax: bool = False):
    """The same one-layer network ending in a softmax (Dense's own or an Activation) and
    ending in logits."""
    kernel = np.array([[scale, 0, 0], [0, 0, 0]], np.float32)
    if separate_softmax:
        probabilities = Sequential([Dense(3, name="d"), Activation("softmax")],
                                   input_shape=(2,), seed=0)
    else:
        probabilities = Sequential([Dense(3, activation="softmax", name="d")], input_shape=(2,),
                                   seed=0)
    logits = Sequential([Dense(3, name="d")], input_shape=(2,), seed=0)
    for model in (probabilities, logits):
        model.layers[0].params["kernel"][...] = kernel
    probabilities.compile("sgd", "sparse_categorical_crossentropy")
    logits.compile("sgd", SparseCategoricalCrossentropy(from_logits=True))
    return probabilities, logits


@pytest.mark.parametrize("separate_softmax", [False, True])
@pytest.mark.parametrize("scale", [1.0, 20.0, 120.0])
def test_a_confident_mistake_gets_its_full_loss_and_gradient(scale, separate_softmax):
    probabilities, logits = twin_models(scale, separate_softmax)
    x, label = np.array([[1.0, 0.0]], np.float32), np.array([1])
    loss = probabilities.loss_and_backward(probabilities.forward(x, training=True), label)
    reference = logits.loss_and_backward(logits.forward(x, training=True), label)
    z = np.array([scale, 0.0, 0.0])
    expected = np.log(np.exp(z - z.max()).sum()) + z.max() - z[1]      # -log softmax(z)[1]
    assert loss == pytest.approx(expected, rel=1e-5) == pytest.approx(reference, rel=1e-5)
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(probabilities.layers[0].grads["kernel"][0], p - [0, 1, 0],
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(probabilities.layers[0].grads["kernel"],
                               logits.layers[0].grads["kernel"], rtol=1e-5, atol=1e-7)


def test_evaluate_reads_the_logits_too():
    probabilities, logits = twin_models(40.0)
    x = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    y = np.array([1, 0])
    assert probabilities.evaluate(x, y, verbose=0) == pytest.approx(
        logits.evaluate(x, y, verbose=0), rel=1e-5)
    assert probabilities.evaluate(x, y, verbose=0) > 19     # not capped at -log(1e-7) = 16.1


def test_training_steps_agree_with_the_logits_twin():
    probabilities, logits = twin_models(30.0)
    x = np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
    y = np.arange(8) % 3
    for _ in range(3):
        probabilities.train_on_batch(x, y)
        logits.train_on_batch(x, y)
    np.testing.assert_allclose(probabilities.get_weights()[0], logits.get_weights()[0],
                               rtol=1e-5, atol=1e-6)


def test_a_layer_without_softmax_has_no_logits():
    layer = Dense(2, name="plain")
    layer.build((3,))
    with pytest.raises(ValueError, match="no softmax"):
        layer.logits()


def test_labels_shaped_n_by_1_are_taken_as_keras_takes_them():
    """CIFAR-10's load_data() gives (N, 1) labels; fit, evaluate and accuracy accept them."""
    model = Sequential([Dense(3, activation="softmax")], input_shape=(2,), seed=0)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(1).normal(size=(6, 2)).astype(np.float32)
    flat = np.array([0, 1, 2, 0, 1, 2])
    column = flat[:, None]
    assert model.evaluate(x, column, verbose=0) == model.evaluate(x, flat, verbose=0)
    history = model.fit(x, column, epochs=1, batch_size=3, verbose=0)
    assert 0 <= history.history["accuracy"][0] <= 1


def test_small_keras_api_points():
    from convviz.core.nn.layers import Rescaling
    model = Sequential([Dense(2, activation="softmax")], input_shape=(2,), seed=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    lines = []
    model.summary(100, print_fn=lines.append)          # Keras' line_length comes first
    assert "Total params" in lines[0]
    with pytest.raises(ValueError, match="verbose"):
        model.fit(np.zeros((2, 2), np.float32), np.array([0, 1]), verbose="x")
    with pytest.raises(ValueError):
        Rescaling(True)

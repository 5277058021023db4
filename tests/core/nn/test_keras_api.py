"""The Keras-compatible API as a student's notebook uses it: build with add, compile with names,
fit with validation and callbacks, evaluate, predict, summary, save and load; the loss and its
gradient for softmax outputs and for logits; inputs as students pass them."""

import signal
import threading

import naive
import numpy as np
import pytest

from convviz import callbacks, layers, losses, models, optimizers
from convviz.core.nn.optim import SGD, Adagrad, Adam, RMSprop


def blob_images(count, seed=0, size=12):
    """uint8 images of a bright 4x4 blob in one of three places; the place is the label."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, count)
    images = rng.integers(0, 60, (count, size, size)).astype(np.uint8)
    corners = [(1, 1), (1, size - 5), (size - 5, 4)]
    for image, label in zip(images, labels, strict=True):
        top, left = corners[label]
        image[top:top + 4, left:left + 4] = 220
    return images[..., None], labels


def small_cnn(seed=0):
    model = models.Sequential(seed=seed)
    model.add(layers.Input(shape=(12, 12, 1)))
    model.add(layers.Rescaling(1 / 255))
    model.add(layers.Conv2D(4, 3, activation="relu"))
    model.add(layers.MaxPooling2D(2, padding="same"))
    model.add(layers.Flatten())
    model.add(layers.Dense(3, activation="softmax"))
    return model


# --- the notebook, end to end --------------------------------------------------------------------

def test_a_notebook_script_end_to_end(capsys):
    x_train, y_train = blob_images(960, seed=1)
    x_test, y_test = blob_images(60, seed=2)
    model = small_cnn()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    loss_before = model.evaluate(x_test, y_test, verbose=0)[0]
    history = model.fit(x_train, y_train, epochs=2, batch_size=16,
                        validation_data=(x_test, y_test), verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    probabilities = model.predict(x_test)
    model.summary()

    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 2 for values in history.history.values())
    assert history.epoch == [0, 1]
    assert history.history["loss"][1] < history.history["loss"][0]
    assert loss < 0.5 * loss_before and accuracy > 0.9
    assert history.history["val_loss"][-1] == pytest.approx(loss)
    assert probabilities.shape == (60, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)
    assert np.mean(probabilities.argmax(axis=1) == y_test) == pytest.approx(accuracy)
    printed = capsys.readouterr().out
    total = conv_params(3, 1, 4) + dense_params(5 * 5 * 4, 3)
    assert 'Model: "sequential"' in printed and f"Total params: {total}" in printed


# --- summary against Keras' numbers, written from the formulas -----------------------------------

def conv_params(kernel, channels_in, filters):
    return kernel * kernel * channels_in * filters + filters


def dense_params(features, units):
    return features * units + units


def mlp():
    return models.Sequential([layers.Flatten(input_shape=(28, 28)),
                              layers.Dense(128, activation="relu"),
                              layers.Dense(10, activation="softmax")])


def keras_mnist_convnet():
    """The Keras documentation's "Simple MNIST convnet"."""
    return models.Sequential([
        layers.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


def colour_cnn():
    return models.Sequential([
        layers.Input(shape=(30, 30, 3)),
        layers.Rescaling(1 / 255),
        layers.Conv2D(16, 3, padding="same"),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(2, padding="same"),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10),
    ])


@pytest.mark.parametrize("build, shapes, params, trainable", [
    (mlp, [(784,), (128,), (10,)], [0, dense_params(784, 128), dense_params(128, 10)], None),
    (keras_mnist_convnet,
     [(26, 26, 32), (13, 13, 32), (11, 11, 64), (5, 5, 64), (1600,), (1600,), (10,)],
     [conv_params(3, 1, 32), 0, conv_params(3, 32, 64), 0, 0, 0, dense_params(1600, 10)], None),
    (colour_cnn,
     # "same" pooling rounds up: 30 -> 15 -> 8 (ceil(15 / 2)) with pool 3 stride 2
     [(30, 30, 3), (30, 30, 16), (30, 30, 16), (30, 30, 16), (15, 15, 16), (15, 15, 32),
      (8, 8, 32), (32,), (10,)],
     [0, conv_params(3, 3, 16), 4 * 16, 0, 0, conv_params(3, 16, 32), 0, 0,
      dense_params(32, 10)],
     2 * 16),  # BatchNormalization's gamma and beta; its two moving statistics are not trained
])
def test_summary_matches_keras(build, shapes, params, trainable):
    summary = build().layer_summary()
    assert [row.output_shape for row in summary.rows] == shapes
    assert [row.params for row in summary.rows] == params
    assert summary.total_params == sum(params)
    non_trainable = 0 if trainable is None else 4 * 16 - trainable
    assert summary.trainable_params == sum(params) - non_trainable
    text = str(summary)
    assert f"Total params: {sum(params):,}" in text
    assert f"Non-trainable params: {non_trainable:,}" in text


def test_the_keras_example_totals():
    """The totals Keras prints for these two models (its documentation, by the formulas)."""
    assert mlp().count_params() == 101_770
    assert keras_mnist_convnet().count_params() == 34_826


def test_summary_needs_a_built_model():
    with pytest.raises(RuntimeError, match="not built yet: give its first layer input_shape"):
        models.Sequential([layers.Dense(2)]).summary()


# --- compile: optimizers and losses --------------------------------------------------------------

@pytest.mark.parametrize("name, cls", [("sgd", SGD), ("adam", Adam), ("RMSprop", RMSprop),
                                       ("adagrad", Adagrad)])
def test_compile_takes_optimizer_names_and_objects(name, cls):
    model = small_cnn()
    model.compile(name, "sparse_categorical_crossentropy")
    assert type(model.optimizer) is cls
    chosen = optimizers.Adam(learning_rate=0.01)
    model.compile(chosen, losses.SparseCategoricalCrossentropy())
    assert model.optimizer is chosen


def test_compile_refuses_unknown_names():
    model = small_cnn()
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'"):
        model.compile("adamw", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="unknown loss 'mse'"):
        model.compile("adam", "mse")


def dense_model(activation, seed=3):
    return models.Sequential([layers.Dense(3, activation=activation, input_shape=(4,))],
                             seed=seed)


def test_softmax_output_and_string_loss_give_the_fused_gradient():
    """Keras uses the logits under a softmax output: the gradient reaching the logits is
    (softmax - one_hot) / N, the same as from_logits=True on a linear output, not a softmax
    applied twice."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 4)).astype(np.float32)
    y = np.array([0, 2, 1, 2, 0])
    probabilities_model = dense_model("softmax")
    probabilities_model.compile("sgd", "sparse_categorical_crossentropy")
    logits_model = dense_model(None)
    logits_model.compile("sgd", losses.SparseCategoricalCrossentropy(from_logits=True))
    logits_model.set_weights(probabilities_model.get_weights())
    kernel, bias = (w.astype(np.float64) for w in probabilities_model.get_weights())

    def loss64():
        probabilities = naive.softmax(x.astype(np.float64) @ kernel + bias)
        return -np.mean(np.log(probabilities[np.arange(5), y]))

    for model in (probabilities_model, logits_model):
        outputs = model.forward(x, training=True)
        loss, gradient = model.loss_and_gradient(outputs, y)
        assert loss == pytest.approx(loss64(), rel=1e-5)
        model.backward(gradient)
    fused = (naive.softmax(x.astype(np.float64) @ kernel + bias) - np.eye(3)[y]) / 5
    for model in (probabilities_model, logits_model):
        np.testing.assert_allclose(model.layers[0].grads["kernel"], x.T @ fused, atol=1e-6)
    numeric = naive.numerical_gradient(loss64, kernel, range(12))
    np.testing.assert_allclose(probabilities_model.layers[0].grads["kernel"].reshape(-1),
                               numeric, atol=1e-6)


def test_categorical_crossentropy_takes_one_hot_labels():
    x, y = blob_images(48, seed=5)
    one_hot = np.eye(3)[y]
    sparse, categorical = small_cnn(seed=6), small_cnn(seed=6)
    sparse.compile("sgd", "sparse_categorical_crossentropy", ["accuracy"])
    categorical.compile("sgd", "categorical_crossentropy", ["accuracy"])
    assert categorical.evaluate(x, one_hot, verbose=0) == pytest.approx(
        sparse.evaluate(x, y, verbose=0))
    with pytest.raises(ValueError, match="use loss='sparse_categorical_crossentropy'"):
        categorical.evaluate(x, y, verbose=0)
    with pytest.raises(ValueError, match="use loss='categorical_crossentropy'"):
        sparse.evaluate(x, one_hot, verbose=0)


def test_a_loss_that_does_not_fit_the_output_is_explained():
    with pytest.raises(ValueError, match=r"outputs logits \(no softmax\).*from_logits=True"):
        dense_model(None).compile("adam", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="a second softmax"):
        dense_model("softmax").compile(
            "adam", losses.CategoricalCrossentropy(from_logits=True))


# --- fit: validation, callbacks, progress, Ctrl+C ------------------------------------------------

def test_validation_split_holds_out_the_last_examples():
    x, y = blob_images(100, seed=7)
    model = small_cnn()
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(x, y, epochs=1, batch_size=20, validation_split=0.2, verbose=0)
    assert history.history["val_loss"] == [pytest.approx(
        model.evaluate(x[80:], y[80:], verbose=0)[0])]
    assert history.history["val_accuracy"] == [pytest.approx(
        model.evaluate(x[80:], y[80:], verbose=0)[1])]


class FakeModel:
    def __init__(self):
        self.stop_training = False
        self.weights = [np.zeros(1)]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]


def test_early_stopping_waits_patience_epochs_and_restores_the_best():
    stopper = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    model = FakeModel()
    stopper.set_model(model)
    stopper.set_params({"metrics": ["loss", "val_loss"]})
    stopper.on_train_begin()
    for epoch, val_loss in enumerate([1.0, 0.8, 0.85, 0.9, 0.1]):
        model.weights = [np.array([float(epoch)])]
        stopper.on_epoch_end(epoch, {"loss": 1.0, "val_loss": val_loss})
        if model.stop_training:
            break
    assert epoch == 3 and stopper.best_epoch == 1
    stopper.on_train_end()
    assert model.weights[0][0] == 1.0


def test_early_stopping_ends_fit_and_needs_what_it_monitors():
    x, y = blob_images(40, seed=8)
    model = small_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    never_better = callbacks.EarlyStopping(monitor="loss", min_delta=100.0, patience=1)
    history = model.fit(x, y, epochs=5, verbose=0, callbacks=[never_better])
    assert len(history.history["loss"]) == 2  # the first epoch sets the best; the next stops
    with pytest.raises(ValueError, match="give fit validation_data or validation_split"):
        model.fit(x, y, verbose=0, callbacks=[callbacks.EarlyStopping()])


def test_progress_bar_and_one_line_per_epoch(capsys):
    x, y = blob_images(40, seed=9)
    model = small_cnn()
    model.compile("adam", "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(x, y, epochs=2, batch_size=10, validation_split=0.25)
    bar = capsys.readouterr().out
    assert bar.count("Epoch 1/2\n") == 1 and "Epoch 2/2\n" in bar
    assert "\r3/3 [==============================] - " in bar and "val_accuracy: " in bar
    model.fit(x, y, epochs=2, batch_size=10, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("Epoch 2/2 - 4/4 [") and "\r" not in lines[1]
    model.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_ctrl_c_stops_between_batches_and_keeps_the_weights(capsys):
    x, y = blob_images(60, seed=10)
    model = small_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")

    class PressCtrlC(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                self.weights = self.model.get_weights()
                signal.raise_signal(signal.SIGINT)

    press = PressCtrlC()
    before = signal.getsignal(signal.SIGINT)  # default, or ignored in a background job
    history = model.fit(x, y, epochs=3, batch_size=10, verbose=0, callbacks=[press])
    assert model.optimizer.iterations == 3  # batches 0, 1 and 2 finished, nothing after
    for kept, now in zip(press.weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(kept, now)
    assert history.history == {}  # no epoch completed
    assert "Interrupted: training stopped in epoch 1 after batch 3 of 6" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGINT) is before   # fit put the old handler back


# --- inputs as students pass them ----------------------------------------------------------------

def test_uint8_and_float_inputs_and_a_missing_channel_axis():
    x, y = blob_images(8, seed=11)
    model = small_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    np.testing.assert_array_equal(model.predict(x), model.predict(x.astype(np.float64)))
    with pytest.raises(ValueError, match=r"add the channel axis with x\[\.\.\., None\]"):
        model.fit(x[..., 0], y, verbose=0)
    with pytest.raises(ValueError, match=r"one example \(12, 12, 1\).*x\[None\]"):
        model.predict(x[0])
    with pytest.raises(ValueError, match="x holds NaN"):
        model.predict(np.full((1, 12, 12, 1), np.nan))
    with pytest.raises(ValueError, match="8 inputs but 7 targets"):
        model.fit(x, y[:7], verbose=0)


def test_bad_labels_are_refused_before_any_training():
    x, y = blob_images(8, seed=12)
    model = small_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    weights = model.get_weights()
    with pytest.raises(ValueError, match=r"labels must lie in 0..2 .* from 0 to 7"):
        model.fit(x, np.arange(8), verbose=0)
    with pytest.raises(ValueError, match="labels must be whole class numbers"):
        model.fit(x, y + 0.5, verbose=0)
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert model.optimizer.iterations == 0


def test_a_model_without_input_shape_is_built_by_its_first_data():
    x, y = blob_images(8, seed=13)
    model = models.Sequential([layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(3)])
    model.compile("sgd", losses.SparseCategoricalCrossentropy(from_logits=True))
    loss = model.train_on_batch(x.astype(np.float32) / 255, y)
    assert model.input_shape == (12, 12, 1) and loss > 0


# --- weights and files ---------------------------------------------------------------------------

def test_weights_save_and_load_model(tmp_path):
    x, y = blob_images(20, seed=14)
    model = small_cnn(seed=15)
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "model.npz")
    loaded = models.load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    fresh = small_cnn(seed=16)
    fresh.set_weights(model.get_weights())
    np.testing.assert_array_equal(fresh.predict(x), model.predict(x))


def test_fit_runs_off_the_main_thread_and_evaluate_without_metrics_is_one_number():
    """Signals only reach the main thread: elsewhere (a GUI worker) fit installs no handler."""
    x, y = blob_images(20, seed=17)
    model = small_cnn()
    model.compile("sgd", "sparse_categorical_crossentropy")
    results = {}
    worker = threading.Thread(target=lambda: results.update(
        history=model.fit(x, y, epochs=2, verbose=0)))
    worker.start()
    worker.join()
    assert len(results["history"].history["loss"]) == 2
    loss = model.evaluate(x, y, verbose=0)
    assert isinstance(loss, float) and loss == pytest.approx(model.loss_and_gradient(
        model.forward(x.astype(np.float32)), y)[0])

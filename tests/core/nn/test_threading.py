"""Parallel kernels launched from several Python threads at once give single-threaded results.

The GUI draws batch-1 activations (serial kernels) while a worker trains on batches (parallel
kernels); two trainers at once must not disturb each other either.
"""

import threading

import numpy as np

from convviz.core import SGD, Adam, lenet5

STEPS = 4
BATCH = 64


def training_data(seed):
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 1, (STEPS, BATCH, 28, 28, 1)).astype(np.float32)
    return images, rng.integers(0, 10, (STEPS, BATCH))


def train(model, data):
    images, labels = data
    return [model.train_on_batch(images[s], labels[s]) for s in range(STEPS)]


def test_two_trainers_and_a_batch_one_viewer_at_once_match_single_threaded_results():
    trainers = {"modern": (lenet5("modern", seed=1), lambda: SGD(0.05, momentum=0.9)),
                "classic": (lenet5("classic", seed=2), lambda: Adam(1e-3))}
    data = {name: training_data(seed) for seed, name in enumerate(trainers)}
    viewer = lenet5("classic", seed=3)
    digits = np.random.default_rng(9).uniform(0, 1, (6, 1, 28, 28, 1)).astype(np.float32)

    def fresh(name):
        model, make_optimizer = trainers[name]
        twin = model.clone()
        twin.compile(make_optimizer())
        return twin

    expected_losses, expected_weights = {}, {}
    for name in trainers:  # one after the other, on this thread
        model = fresh(name)
        expected_losses[name] = train(model, data[name])
        expected_weights[name] = model.get_weights()
    expected_views = [viewer.forward_all(digit) for digit in digits]

    models = {name: fresh(name) for name in trainers}
    view_model = viewer.clone()
    losses, views, errors = {}, [], []
    start = threading.Barrier(3)
    trainers_done = threading.Event()
    finished = []

    def trainer(name):
        try:
            start.wait()
            losses[name] = train(models[name], data[name])
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            finished.append(name)
            if len(finished) == 2:
                trainers_done.set()

    def viewer_loop():
        try:
            start.wait()
            while not trainers_done.is_set() or len(views) < len(digits):
                index = len(views) % len(digits)
                views.append((index, view_model.forward_all(digits[index])))
        except BaseException as error:
            errors.append(error)
            trainers_done.wait()

    threads = [threading.Thread(target=trainer, args=(name,)) for name in trainers]
    threads.append(threading.Thread(target=viewer_loop))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors

    for name in trainers:
        np.testing.assert_allclose(losses[name], expected_losses[name], rtol=1e-5)
        for got, wanted in zip(models[name].get_weights(), expected_weights[name], strict=True):
            np.testing.assert_allclose(got, wanted, rtol=1e-5, atol=1e-6)
    assert len(views) >= len(digits)
    for index, outputs in views:
        for got, wanted in zip(outputs, expected_views[index], strict=True):
            np.testing.assert_allclose(got, wanted, rtol=1e-5, atol=1e-6)

"""Optimizers against updates computed by hand from the textbook formulas, step by step."""

import numpy as np
import pytest

from convviz.core import SGD, Adagrad, Adam, RMSprop, lenet5

GRADS = [  # three steps of gradients for a (2, 3) kernel and a (3,) bias
    (np.array([[0.5, -0.2, 0.1], [1.5, 0.0, -0.7]]), np.array([0.3, -0.4, 0.05])),
    (np.array([[-0.2, 0.3, 0.1], [1.0, 0.25, -0.5]]), np.array([0.1, 0.2, -0.6])),
    (np.array([[0.4, -0.1, -0.3], [0.2, 0.5, 0.9]]), np.array([-0.3, 0.0, 0.25])),
]
START = (np.array([[1.0, -2.0, 0.5], [0.0, 0.25, -1.0]]), np.array([0.1, -0.1, 0.0]))


def run(optimizer, steps=3, learning_rates=None):
    """Step the optimizer over GRADS on float32 copies of START; return float64 copies."""
    params = [p.astype(np.float32) for p in START]
    for step in range(steps):
        if learning_rates:
            optimizer.learning_rate = learning_rates[step]
        optimizer.step([(params[i], GRADS[step][i].astype(np.float32)) for i in range(2)])
    return [p.astype(np.float64) for p in params]


def by_hand(update, steps=3, learning_rates=None, lr=0.1, weight_decay=0.0):
    """Apply update(w, g, state, t, lr) -> new w in float64, per parameter."""
    result = []
    for i, w in enumerate(START):
        w, state = w.copy(), {}
        for t in range(1, steps + 1):
            g = GRADS[t - 1][i]
            if weight_decay and w.ndim > 1:
                g = g + weight_decay * w  # L2 on kernels only
            w = update(w, g, state, t, learning_rates[t - 1] if learning_rates else lr)
        result.append(w)
    return result


def assert_params(actual, expected):
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=2e-6, atol=2e-7)


# --- the update rules ----------------------------------------------------------------------------

def sgd(w, g, state, t, lr):
    return w - lr * g


def momentum(beta, nesterov=False):
    def update(w, g, state, t, lr):
        # v <- beta v - lr g;  w <- w + v  (Nesterov: the step looks ahead, w + beta v - lr g)
        v = beta * state.get("v", 0.0) - lr * g
        state["v"] = v
        return w + (beta * v - lr * g if nesterov else v)
    return update


def adagrad(eps):
    def update(w, g, state, t, lr):
        s = state.get("s", 0.0) + g * g
        state["s"] = s
        return w - lr * g / (np.sqrt(s) + eps)
    return update


def rmsprop(rho, eps):
    def update(w, g, state, t, lr):
        s = rho * state.get("s", 0.0) + (1 - rho) * g * g
        state["s"] = s
        return w - lr * g / (np.sqrt(s) + eps)
    return update


def adam(beta_1, beta_2, eps):
    def update(w, g, state, t, lr):
        m = beta_1 * state.get("m", 0.0) + (1 - beta_1) * g
        v = beta_2 * state.get("v", 0.0) + (1 - beta_2) * g * g
        state.update(m=m, v=v)
        m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
        # Kingma & Ba's efficient form (Keras): epsilon is added to sqrt(v), not sqrt(v_hat)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta_2 ** t))
    return update


CASES = {
    "sgd": (lambda: SGD(0.1), sgd),
    "momentum": (lambda: SGD(0.1, momentum=0.9), momentum(0.9)),
    "nesterov": (lambda: SGD(0.1, momentum=0.8, nesterov=True), momentum(0.8, nesterov=True)),
    "adagrad": (lambda: Adagrad(0.1, epsilon=1e-7), adagrad(1e-7)),
    "rmsprop": (lambda: RMSprop(0.1, rho=0.9, epsilon=1e-7), rmsprop(0.9, 1e-7)),
    "adam": (lambda: Adam(0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8), adam(0.9, 0.999, 1e-8)),
}


@pytest.mark.parametrize("steps", [1, 2, 3])
@pytest.mark.parametrize("make, update", CASES.values(), ids=CASES.keys())
def test_updates_match_the_textbook_formulas(make, update, steps):
    optimizer = make()
    assert_params(run(optimizer, steps), by_hand(update, steps))
    assert optimizer.iterations == steps


def test_hand_computed_numbers_for_one_weight():
    """The formulas above, checked once with numbers worked out on paper."""
    w = np.array([1.0], np.float32)
    optimizer = SGD(0.1, momentum=0.9)
    for g in (0.5, -0.2):
        optimizer.step([(w, np.array([g], np.float32))])
    # v1 = -0.05, w1 = 0.95; v2 = 0.9 * -0.05 + 0.02 = -0.025, w2 = 0.925
    assert w[0] == pytest.approx(0.925, abs=1e-7)
    w = np.array([1.0], np.float32)
    Adam(0.01, epsilon=1e-8).step([(w, np.array([-3.0], np.float32))])
    assert w[0] == pytest.approx(1.01, abs=1e-7)  # Adam's first step is lr * sign(g)


@pytest.mark.parametrize("make, update", CASES.values(), ids=CASES.keys())
def test_weight_decay_applies_to_kernels_not_biases(make, update):
    optimizer = make()
    optimizer.weight_decay = 0.05
    assert_params(run(optimizer), by_hand(update, weight_decay=0.05))
    kernel, bias = np.ones((2, 2), np.float32), np.ones(2, np.float32)
    SGD(0.5, weight_decay=0.1).step([(kernel, np.zeros_like(kernel)), (bias, np.zeros_like(bias))])
    np.testing.assert_allclose(kernel, 0.95)
    np.testing.assert_array_equal(bias, 1.0)


@pytest.mark.parametrize("make, update", CASES.values(), ids=CASES.keys())
def test_learning_rate_can_change_between_steps(make, update):
    rates = [0.1, 0.02, 0.3]
    assert_params(run(make(), learning_rates=rates), by_hand(update, learning_rates=rates))


def test_steps_update_parameters_in_place():
    kernel = np.ones((2, 2), np.float32)
    Adam(0.1).step([(kernel, np.ones_like(kernel))])
    assert kernel.dtype == np.float32 and np.all(kernel < 1)


@pytest.mark.parametrize("make", [
    lambda: SGD(0), lambda: SGD(-0.1), lambda: SGD(float("nan")), lambda: SGD(float("inf")),
    lambda: SGD("fast"), lambda: SGD(0.1, momentum=1.0), lambda: SGD(0.1, momentum=-0.5),
    lambda: SGD(0.1, weight_decay=-1e-4), lambda: SGD(0.1, weight_decay=float("nan")),
    lambda: Adagrad(0.1, epsilon=0), lambda: Adagrad(0.1, epsilon=-1e-7),
    lambda: RMSprop(rho=1.0), lambda: RMSprop(rho=-0.1), lambda: RMSprop(epsilon=float("nan")),
    lambda: Adam(beta_1=1.0), lambda: Adam(beta_1=-0.1), lambda: Adam(beta_2=1.5),
    lambda: Adam(beta_2=float("nan")), lambda: Adam(epsilon=0.0), lambda: Adam(0.0),
])
def test_invalid_hyper_parameters_are_rejected(make):
    with pytest.raises(ValueError, match="must be"):
        make()


def test_learning_rate_assignments_are_checked():
    optimizer = SGD(0.1)
    with pytest.raises(ValueError, match="the learning rate must be a positive number"):
        optimizer.learning_rate = 0.0
    assert optimizer.learning_rate == 0.1


# --- state and configuration ---------------------------------------------------------------------

@pytest.mark.parametrize("make", [c[0] for c in CASES.values()], ids=CASES.keys())
def test_state_round_trip_gives_identical_next_steps(make):
    original = make()
    params = [p.astype(np.float32) for p in START]
    for step in range(2):
        original.step([(params[i], GRADS[step][i].astype(np.float32)) for i in range(2)])
    state = original.state_arrays()
    snapshot = {key: value.copy() for key, value in state.items()}
    copies = [p.copy() for p in params]
    original.step([(params[i], GRADS[2][i].astype(np.float32)) for i in range(2)])
    for key, value in state.items():  # a snapshot, not a view of the live state
        np.testing.assert_array_equal(value, snapshot[key], err_msg=key)
    restored = make()
    restored.load_state_arrays(state)
    assert restored.iterations == 2
    restored.step([(copies[i], GRADS[2][i].astype(np.float32)) for i in range(2)])
    for a, b in zip(copies, params, strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_optimizer_trains_a_model_through_its_parameter_pairs():
    model = lenet5("modern", seed=0)
    model.compile(Adam(1e-3))
    x = np.random.default_rng(0).uniform(0, 1, (8, 28, 28, 1)).astype(np.float32)
    arrays = [p for p, _ in model.parameters()]
    model.train_on_batch(x, np.arange(8))
    assert all(a is p for a, (p, _) in zip(arrays, model.parameters(), strict=True))
    assert model.optimizer.iterations == 1
    assert sorted({key.split("/")[0] for key in model.optimizer.state_arrays()}) == [
        "iterations", "m", "v"]
    assert len(model.optimizer.slots["m"]) == 10

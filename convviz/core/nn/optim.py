"""Optimizers from the course: SGD (momentum, Nesterov), AdaGrad, RMSProp, Adam.

Each steps in place over a list of (parameter, gradient) pairs, keeping per-parameter state
by position. `learning_rate` may be changed between steps (the GUI does while training).
L2 weight decay adds weight_decay * w to the gradient of every kernel (arrays of 2+ axes);
biases are not decayed.
"""

from __future__ import annotations

import numpy as np

Pairs = list[tuple[np.ndarray, np.ndarray]]


def _decay_rate(value: float, name: str) -> float:
    """A moving-average or momentum coefficient, in [0, 1)."""
    if not 0.0 <= value < 1.0:  # also refuses NaN
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return float(value)


def _epsilon(value: float) -> float:
    """The small positive number that keeps a division by a root of zero finite."""
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"epsilon must be a small positive number, got {value}")
    return float(value)


class Optimizer:
    """Base class: validates hyper-parameters, applies weight decay, keeps state arrays."""

    def __init__(self, learning_rate: float, weight_decay: float = 0.0):
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.iterations = 0
        self.slots: dict[str, list[np.ndarray]] = {}

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        if not isinstance(value, (int, float, np.number)) or not np.isfinite(value) or value <= 0:
            raise ValueError(f"the learning rate must be a positive number, got {value}")
        self._learning_rate = float(value)

    @property
    def weight_decay(self) -> float:
        return self._weight_decay

    @weight_decay.setter
    def weight_decay(self, value: float) -> None:
        if not isinstance(value, (int, float, np.number)) or not np.isfinite(value) or value < 0:
            raise ValueError(f"weight decay must be zero or positive, got {value}")
        self._weight_decay = float(value)

    def step(self, pairs: Pairs) -> None:
        """Update every parameter in place from its gradient."""
        self.iterations += 1
        for index, (param, grad) in enumerate(pairs):
            if self.weight_decay and param.ndim > 1:
                grad = grad + self.weight_decay * param
            self._update(index, param, grad)

    def _slot(self, name: str, index: int, like: np.ndarray) -> np.ndarray:
        slots = self.slots.setdefault(name, [])
        while len(slots) <= index:
            slots.append(None)
        if slots[index] is None or slots[index].shape != like.shape:
            slots[index] = np.zeros_like(like, dtype=np.float32)
        return slots[index]

    def _update(self, index: int, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def state_arrays(self) -> dict[str, np.ndarray]:
        """A snapshot (copies) of every state array by name, plus the iteration count."""
        arrays = {"iterations": np.array(self.iterations, np.int64)}
        for name, slots in self.slots.items():
            for index, array in enumerate(slots):
                arrays[f"{name}/{index}"] = array.copy()
        return arrays

    def load_state_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Restore what state_arrays() returned."""
        self.iterations = int(arrays["iterations"])
        self.slots = {}
        for key, array in arrays.items():
            if key == "iterations":
                continue
            name, index = key.rsplit("/", 1)
            self._slot(name, int(index), array)[...] = array


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum."""

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0):
        super().__init__(learning_rate, weight_decay)
        self.momentum = _decay_rate(momentum, "momentum")
        self.nesterov = bool(nesterov)

    def _update(self, index, param, grad):
        if not self.momentum:
            param -= self.learning_rate * grad
            return
        velocity = self._slot("velocity", index, param)
        velocity *= self.momentum
        velocity -= self.learning_rate * grad
        if self.nesterov:
            param += self.momentum * velocity - self.learning_rate * grad
        else:
            param += velocity


class Adagrad(Optimizer):
    """AdaGrad: per-weight step sizes shrinking with the sum of squared gradients."""

    def __init__(self, learning_rate: float = 0.01, epsilon: float = 1e-7,
                 weight_decay: float = 0.0):
        super().__init__(learning_rate, weight_decay)
        self.epsilon = _epsilon(epsilon)

    def _update(self, index, param, grad):
        accumulator = self._slot("accumulator", index, param)
        accumulator += grad * grad
        param -= self.learning_rate * grad / (np.sqrt(accumulator) + self.epsilon)


class RMSprop(Optimizer):
    """RMSProp: AdaGrad with an exponential moving average (decay rho) of squared gradients."""

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7,
                 weight_decay: float = 0.0):
        super().__init__(learning_rate, weight_decay)
        self.rho = _decay_rate(rho, "rho")
        self.epsilon = _epsilon(epsilon)

    def _update(self, index, param, grad):
        average = self._slot("average", index, param)
        average *= self.rho
        average += (1.0 - self.rho) * grad * grad
        param -= self.learning_rate * grad / (np.sqrt(average) + self.epsilon)


class Adam(Optimizer):
    """Adam: momentum and RMSProp with bias-corrected moment estimates."""

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, weight_decay: float = 0.0):
        super().__init__(learning_rate, weight_decay)
        self.beta_1 = _decay_rate(beta_1, "beta_1")
        self.beta_2 = _decay_rate(beta_2, "beta_2")
        self.epsilon = _epsilon(epsilon)

    def _update(self, index, param, grad):
        first = self._slot("m", index, param)
        second = self._slot("v", index, param)
        first *= self.beta_1
        first += (1.0 - self.beta_1) * grad
        second *= self.beta_2
        second += (1.0 - self.beta_2) * grad * grad
        step = self.learning_rate * np.sqrt(1.0 - self.beta_2 ** self.iterations) / (
            1.0 - self.beta_1 ** self.iterations)
        param -= step * first / (np.sqrt(second) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam}


def get_optimizer(identifier: str | Optimizer) -> Optimizer:
    """An optimizer from Keras' name for it, with this module's default settings, or the
    optimizer object itself."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in OPTIMIZERS:
        return OPTIMIZERS[identifier.lower()]()
    raise ValueError(f"unknown optimizer {identifier!r}; choose one of {', '.join(OPTIMIZERS)} "
                     "or an optimizer object such as Adam(learning_rate=0.001)")

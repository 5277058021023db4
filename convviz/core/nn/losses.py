"""Classification losses with their gradients, averaged over the batch, and Keras' loss objects.

The functions take the model's outputs and the targets: integer labels (N,) for the sparse
forms, one-hot or probability rows (N, classes) for the categorical ones. `*softmax_cross_entropy`
read logits and fuse the softmax into the gradient, (softmax - target) / N; `*cross_entropy`
read probabilities, clipped at 1e-7. Models with a softmax output layer are trained and
evaluated from the logits behind it (`CrossEntropyLoss.logits_loss_and_gradient`, through
`Sequential.loss_and_backward`), as Keras does: the clipped forms are for bare probabilities.
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-7  # Keras' clip for probabilities


def _check_labels(labels: np.ndarray, batch: int, classes: int) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape == (batch, classes):
        raise ValueError(
            f"these labels are one-hot rows {labels.shape}; sparse_categorical_crossentropy "
            "takes integer class labels (N,): use loss='categorical_crossentropy' for one-hot "
            "labels, or labels.argmax(axis=1)")
    if labels.shape == (batch, 1):     # Keras takes (N, 1), as CIFAR-10's labels come
        labels = labels[:, 0]
    if labels.shape != (batch,):
        raise ValueError(f"expected {batch} integer labels, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if not (np.issubdtype(labels.dtype, np.floating)
                and np.all(np.isfinite(labels)) and np.all(labels == np.round(labels))):
            raise ValueError(f"labels must be whole class numbers, got {labels.dtype} values "
                             "such as " + ", ".join(map(str, labels[:3])))
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"labels must lie in 0..{classes - 1} (the model has {classes} "
                         f"outputs), got labels from {labels.min():g} to {labels.max():g}")
    return labels.astype(np.intp)


def _check_targets(targets: np.ndarray, batch: int, classes: int) -> np.ndarray:
    targets = np.asarray(targets)
    if targets.ndim == 1 and targets.shape == (batch,):
        raise ValueError(
            f"these are integer class labels {targets.shape}; categorical_crossentropy takes "
            f"one-hot rows (N, {classes}): use loss='sparse_categorical_crossentropy' for "
            "integer labels")
    if targets.shape != (batch, classes):
        raise ValueError(f"expected one-hot targets of shape ({batch}, {classes}), "
                         f"got {targets.shape}")
    if not np.issubdtype(targets.dtype, np.number):
        raise ValueError(f"one-hot targets must be numbers, got {targets.dtype}")
    targets = targets.astype(np.float32)
    if not np.all(np.isfinite(targets)) or targets.min(initial=0.0) < 0:
        raise ValueError("one-hot targets must be finite and not negative")
    return targets


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """(N, classes) float32 rows with a 1 at each integer label (checked already)."""
    rows = np.zeros((len(labels), classes), np.float32)
    rows[np.arange(len(labels)), labels] = 1.0
    return rows


def categorical_softmax_cross_entropy(logits: np.ndarray,
                                      targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of -sum(t * log softmax(logits)) over the batch, and d loss / d logits.

    Log-sum-exp of shifted logits, so large logits cannot overflow; the gradient is
    (softmax * sum(t) - t) / N, i.e. (softmax - t) / N for one-hot rows.
    """
    batch, classes = logits.shape
    targets = _check_targets(targets, batch, classes)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    log_probs = shifted - np.log(total)
    loss = -float(np.sum(targets * log_probs, dtype=np.float64) / max(batch, 1))
    grad = exp / total * targets.sum(axis=1, keepdims=True) - targets
    return loss, (grad / max(batch, 1)).astype(np.float32)


def categorical_cross_entropy(probs: np.ndarray,
                              targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of -sum(t * log p) over the batch for probabilities p, and d loss / d p."""
    batch, classes = probs.shape
    targets = _check_targets(targets, batch, classes)
    clipped = np.maximum(probs, EPSILON)
    loss = -float(np.sum(targets * np.log(clipped), dtype=np.float64) / max(batch, 1))
    return loss, (-targets / (clipped * max(batch, 1))).astype(np.float32)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels, and d loss / d logits."""
    labels = _check_labels(labels, *logits.shape)
    return categorical_softmax_cross_entropy(logits, _one_hot(labels, logits.shape[1]))


def cross_entropy(probs: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of probabilities (a softmax output layer) against integer labels."""
    labels = _check_labels(labels, *probs.shape)
    return categorical_cross_entropy(probs, _one_hot(labels, probs.shape[1]))


class CrossEntropyLoss:
    """Base of Keras' two classification losses: `from_logits=True` says the model's outputs
    are logits (no softmax at the end), False that they are probabilities (a softmax at the
    end). Call it as Keras does, loss(y_true, y_pred), for the mean loss."""

    name = ""
    sparse = True

    def __init__(self, from_logits: bool = False):
        if not isinstance(from_logits, bool):
            raise ValueError(f"from_logits must be True or False, got {from_logits!r}")
        self.from_logits = from_logits

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        return self.loss_and_gradient(np.asarray(y_pred, np.float32), y_true)[0]

    def loss_and_gradient(self, outputs: np.ndarray,
                          targets: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss and d loss / d outputs."""
        if self.sparse:
            return (softmax_cross_entropy if self.from_logits else cross_entropy)(outputs, targets)
        if self.from_logits:
            return categorical_softmax_cross_entropy(outputs, targets)
        return categorical_cross_entropy(outputs, targets)

    def logits_loss_and_gradient(self, logits: np.ndarray,
                                 targets: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss and d loss / d logits, from the logits behind a softmax output layer:
        what Keras computes for a softmax output too. Exact where the probabilities would
        underflow (no clipped log, no vanishing gradient through the softmax's Jacobian)."""
        if self.sparse:
            return softmax_cross_entropy(logits, targets)
        return categorical_softmax_cross_entropy(logits, targets)

    def check_targets(self, targets: np.ndarray, batch: int, classes: int) -> np.ndarray:
        """Targets checked for `batch` examples of `classes` classes (a clear ValueError)."""
        check = _check_labels if self.sparse else _check_targets
        return check(targets, batch, classes)

    def class_indices(self, targets: np.ndarray) -> np.ndarray:
        """The true class of each example (for accuracy)."""
        targets = np.asarray(targets)
        if not self.sparse:
            return targets.argmax(axis=1)
        return (targets[:, 0] if targets.ndim == 2 and targets.shape[1] == 1
                else targets).astype(np.intp)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(from_logits={self.from_logits})"


class SparseCategoricalCrossentropy(CrossEntropyLoss):
    """Cross-entropy against integer class labels (N,), such as MNIST's."""

    name = "sparse_categorical_crossentropy"
    sparse = True


class CategoricalCrossentropy(CrossEntropyLoss):
    """Cross-entropy against one-hot (or probability) rows (N, classes)."""

    name = "categorical_crossentropy"
    sparse = False


LOSSES = {cls.name: cls for cls in (SparseCategoricalCrossentropy, CategoricalCrossentropy)}


def get_loss(identifier: str | CrossEntropyLoss) -> CrossEntropyLoss:
    """A loss object from Keras' name for it (probabilities expected, from_logits=False), or
    the loss object itself."""
    if isinstance(identifier, CrossEntropyLoss):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in LOSSES:
        return LOSSES[identifier.lower()]()
    raise ValueError(f"unknown loss {identifier!r}; choose one of {', '.join(LOSSES)} "
                     "or a loss object such as SparseCategoricalCrossentropy(from_logits=True)")

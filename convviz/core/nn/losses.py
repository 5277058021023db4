"""Classification losses with their gradients, averaged over the batch."""

from __future__ import annotations

import numpy as np


def _check_labels(labels: np.ndarray, batch: int, classes: int) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.shape != (batch,):
        raise ValueError(f"expected {batch} integer labels, got shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"labels must lie in 0..{classes - 1}")
    return labels.astype(np.intp)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels, and d loss / d logits.

    Computed from log-sum-exp of shifted logits, so large logits cannot overflow; the fused
    gradient is (softmax - one_hot) / N.
    """
    batch, classes = logits.shape
    labels = _check_labels(labels, batch, classes)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    log_probs = shifted - np.log(total)
    loss = -float(log_probs[np.arange(batch), labels].mean())
    grad = exp / total
    grad[np.arange(batch), labels] -= 1.0
    return loss, (grad / batch).astype(np.float32)


def cross_entropy(probs: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of probabilities (a softmax output layer), and d loss / d probs."""
    batch, classes = probs.shape
    labels = _check_labels(labels, batch, classes)
    picked = np.maximum(probs[np.arange(batch), labels], 1e-7)
    grad = np.zeros_like(probs, dtype=np.float32)
    grad[np.arange(batch), labels] = -1.0 / (picked * batch)
    return -float(np.log(picked).mean()), grad

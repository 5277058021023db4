"""How good is a classifier: accuracy, per-class accuracy, confusion matrix, worst mistakes.

`evaluate(model, images, labels)` runs the model in batches; `evaluate_probabilities` does the
arithmetic on predictions already made, so it can be checked against a hand-made example.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.nn.model import Sequential
from convviz.core.training.data import images_to_float
from convviz.core.training.inputs import check_images, check_labels


@dataclass(frozen=True)
class Mistake:
    """A wrongly classified example: its index in the evaluated set and how sure the model was."""

    index: int
    true_label: int
    predicted_label: int
    confidence: float  # the probability the model gave its (wrong) prediction


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Results on a labelled set. `confusion[t, p]` counts examples of class t predicted as p."""

    accuracy: float
    loss: float  # mean cross-entropy
    confusion: np.ndarray  # (classes, classes) int64
    labels: np.ndarray  # (N,) true classes
    predictions: np.ndarray  # (N,) predicted classes
    confidences: np.ndarray  # (N,) probability of the predicted class

    @property
    def count(self) -> int:
        return len(self.labels)

    @property
    def per_class(self) -> np.ndarray:
        """Accuracy of each true class (recall); NaN for a class with no examples."""
        return per_class_accuracy(self.confusion)

    def most_confident_mistakes(self, count: int = 10) -> list[Mistake]:
        """The `count` wrong predictions made with the highest confidence, most confident first."""
        wrong = np.flatnonzero(self.predictions != self.labels)
        # Stable sort on -confidence: equal confidences keep index order.
        order = wrong[np.argsort(-self.confidences[wrong], kind="stable")][:count]
        return [Mistake(int(i), int(self.labels[i]), int(self.predictions[i]),
                        float(self.confidences[i])) for i in order]

    def to_dict(self, mistakes: int = 10) -> dict:
        """JSON-friendly results: accuracy, per_class (null for empty classes), confusion, ..."""
        return {
            "count": self.count,
            "accuracy": self.accuracy,
            "loss": self.loss,
            "per_class": [None if np.isnan(v) else float(v) for v in self.per_class],
            "confusion": self.confusion.tolist(),
            "most_confident_mistakes": [vars(m) for m in self.most_confident_mistakes(mistakes)],
        }


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, classes: int) -> np.ndarray:
    """(classes, classes) int64 counts: row = true class, column = predicted class."""
    labels = np.asarray(labels, dtype=np.intp)
    predictions = np.asarray(predictions, dtype=np.intp)
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(f"labels {labels.shape} and predictions {predictions.shape} must be "
                         "1-D arrays of the same length")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and (values.min() < 0 or values.max() >= classes):
            raise ValueError(f"{name} must lie in 0..{classes - 1}")
    counts = np.bincount(labels * classes + predictions, minlength=classes * classes)
    return counts.reshape(classes, classes).astype(np.int64)


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Diagonal over row sums: the fraction of each true class classified correctly (NaN if 0)."""
    totals = confusion.sum(axis=1)
    return np.where(totals > 0, np.diag(confusion) / np.maximum(totals, 1), np.nan)


def evaluate_probabilities(probabilities: np.ndarray, labels: np.ndarray) -> Evaluation:
    """An Evaluation from predicted class probabilities (N, classes) and true labels (N,)."""
    probabilities = np.asarray(probabilities, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.intp)
    if probabilities.ndim != 2 or labels.shape != (len(probabilities),):
        raise ValueError(f"expected probabilities (N, classes) and N labels, got "
                         f"{probabilities.shape} and {labels.shape}")
    classes = probabilities.shape[1]
    predictions = probabilities.argmax(axis=1)
    confusion = confusion_matrix(labels, predictions, classes)
    if len(labels) == 0:
        return Evaluation(float("nan"), float("nan"), confusion, labels, predictions,
                          np.zeros(0, np.float32))
    true_probability = probabilities[np.arange(len(labels)), labels]
    tiny = np.finfo(np.float32).tiny  # a probability that underflowed to 0 costs ~87, not inf
    loss = float(-np.mean(np.log(np.maximum(true_probability, tiny), dtype=np.float64)))
    return Evaluation(
        accuracy=float(np.mean(predictions == labels)), loss=loss, confusion=confusion,
        labels=labels, predictions=predictions,
        confidences=probabilities[np.arange(len(labels)), predictions])


def model_inputs(images: np.ndarray) -> np.ndarray:
    """uint8 (N, H, W) or (N, H, W, C) as NHWC float32 in [0, 1]; float32 NHWC passes through."""
    images = np.asarray(images)
    if images.dtype == np.uint8 and images.ndim in (3, 4):
        return images_to_float(images)
    if images.dtype == np.float32 and images.ndim == 4:
        return images
    raise ValueError(f"expected uint8 images (N, H, W) or (N, H, W, C), or float32 "
                     f"(N, H, W, C), got {images.dtype} {images.shape}")


def predict_probabilities(model: Sequential, images: np.ndarray,
                          batch_size: int = 500) -> np.ndarray:
    """Class probabilities (N, classes) of `images` (uint8 or float32, see model_inputs)."""
    parts = [model.predict(model_inputs(images[start:start + batch_size]), batch_size)
             for start in range(0, len(images), batch_size)]
    return np.concatenate(parts) if parts else np.zeros((0, *model.output_shape), np.float32)


def evaluate(model: Sequential, images: np.ndarray, labels: np.ndarray,
             batch_size: int = 500) -> Evaluation:
    """Run `model` on `images` in batches (inference mode) and score it against `labels`."""
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels")
    if np.asarray(images).dtype == np.uint8:
        check_images(images, model.input_shape)
    labels = check_labels(labels, len(images), model.output_shape[-1])
    return evaluate_probabilities(predict_probabilities(model, images, batch_size), labels)

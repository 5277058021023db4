"""Evaluation: confusion matrix, per-class accuracy, loss and worst mistakes on hand-made cases."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from paths import SHARED_MNIST, SHIPPED_MODEL

from convviz.core import lenet5, load_model
from convviz.core.training.data import load_mnist, missing_files
from convviz.core.training.evaluation import (
    Mistake,
    confusion_matrix,
    evaluate,
    evaluate_probabilities,
    per_class_accuracy,
)

REAL_MNIST = SHARED_MNIST

LABELS = np.array([0, 0, 1, 1, 2, 2, 2])
PREDICTIONS = np.array([0, 1, 1, 1, 2, 0, 2])


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    expected = [[1, 1, 0],
                [0, 2, 0],
                [1, 0, 2]]
    np.testing.assert_array_equal(confusion_matrix(LABELS, PREDICTIONS, 3), expected)


def test_per_class_accuracy_is_the_recall_of_each_class_and_nan_when_absent():
    confusion = confusion_matrix(LABELS, PREDICTIONS, 4)
    per_class = per_class_accuracy(confusion)
    np.testing.assert_allclose(per_class[:3], [1 / 2, 2 / 2, 2 / 3])
    assert math.isnan(per_class[3])


def test_confusion_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        confusion_matrix([0, 1], [0], 2)
    with pytest.raises(ValueError, match="predictions must lie"):
        confusion_matrix([0, 1], [0, 2], 2)


def test_evaluate_probabilities_by_hand():
    probabilities = np.array([
        [0.8, 0.1, 0.1],  # 0 -> 0
        [0.3, 0.6, 0.1],  # 0 -> 1, confidence 0.6
        [0.1, 0.8, 0.1],  # 1 -> 1
        [0.2, 0.7, 0.1],  # 1 -> 1
        [0.1, 0.1, 0.8],  # 2 -> 2
        [0.9, 0.05, 0.05],  # 2 -> 0, confidence 0.9
        [0.2, 0.2, 0.6],  # 2 -> 2
    ], np.float32)
    result = evaluate_probabilities(probabilities, LABELS)
    assert result.count == 7
    assert result.accuracy == pytest.approx(5 / 7)
    true_probability = probabilities[np.arange(7), LABELS].astype(np.float64)
    assert result.loss == pytest.approx(-np.mean(np.log(true_probability)), rel=1e-6)
    np.testing.assert_array_equal(result.confusion, confusion_matrix(LABELS, PREDICTIONS, 3))
    np.testing.assert_allclose(result.per_class, [1 / 2, 1, 2 / 3])
    mistakes = result.most_confident_mistakes()
    assert mistakes == [Mistake(5, 2, 0, pytest.approx(0.9)), Mistake(1, 0, 1, pytest.approx(0.6))]
    assert result.most_confident_mistakes(1) == mistakes[:1]


def test_to_dict_is_json_with_null_for_empty_classes():
    probabilities = np.eye(4, dtype=np.float32)[[0, 1, 1]]  # class 2 and 3 never occur
    values = json.loads(json.dumps(evaluate_probabilities(probabilities, [0, 1, 0]).to_dict()))
    assert values["accuracy"] == pytest.approx(2 / 3)
    assert values["per_class"] == [0.5, 1.0, None, None]
    assert values["confusion"][0] == [1, 1, 0, 0]
    assert values["most_confident_mistakes"] == [
        {"index": 2, "true_label": 0, "predicted_label": 1, "confidence": 1.0}]


def test_evaluate_runs_the_model_in_batches_on_uint8_or_float_images():
    model = lenet5("modern", seed=3)
    images = np.random.default_rng(0).integers(0, 256, (37, 28, 28), dtype=np.uint8)
    labels = np.arange(37) % 10
    from_uint8 = evaluate(model, images, labels, batch_size=16)
    from_float = evaluate(model, images[..., None].astype(np.float32) / 255, labels)
    expected = evaluate_probabilities(model.predict(images[..., None] / np.float32(255)), labels)
    for result in (from_uint8, from_float):
        np.testing.assert_array_equal(result.predictions, expected.predictions)
        assert result.loss == pytest.approx(expected.loss, rel=1e-5)
    assert from_uint8.confusion.sum() == 37
    with pytest.raises(ValueError, match="labels"):
        evaluate(model, images, labels[:-1])


@pytest.mark.skipif(missing_files(REAL_MNIST) != [] or not SHIPPED_MODEL.is_file(),
                    reason="needs real MNIST in shared/data/mnist and the shipped model")
def test_shipped_model_reaches_99_percent_on_the_mnist_test_set():
    mnist = load_mnist(REAL_MNIST)
    result = evaluate(load_model(SHIPPED_MODEL), mnist.test_images, mnist.test_labels)
    assert result.count == 10_000
    assert result.accuracy >= 0.99

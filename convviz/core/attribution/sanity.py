"""The model-randomisation sanity check for attribution maps (Adebayo et al. 2018).

An explanation of a network's decision must change when the network's weights are replaced
by random ones; a map that stays the same shows the picture (edges, ink), not the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from convviz.core.nn.model import Sequential

SIMILARITY_LIMIT = 0.5


@dataclass(frozen=True)
class SanityResult:
    """How alike a method's maps are for the trained and the randomised model."""

    similarity: float       # Spearman rank correlation of the two maps
    trained_map: np.ndarray
    randomised_map: np.ndarray

    @property
    def passed(self) -> bool:
        """True when randomising the weights changed the map (similarity below the limit)."""
        return self.similarity < SIMILARITY_LIMIT


def randomised_copy(model: Sequential, seed: int = 1) -> Sequential:
    """The same architecture with every weight freshly drawn by its initializer (kernels) or
    zeroed (biases), as before training; the model itself is untouched."""
    twin = model.clone()
    twin.build(model.input_shape, seed)
    return twin


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 with ties given their average rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return (starts + (counts - 1) / 2.0)[inverse]


def map_similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Spearman rank correlation of two maps (1: same ordering of pixels; 0: unrelated; 0 too
    when either map is constant).

    Signed values are compared, because the sign is half of what a map says (this pixel
    speaks for the class, that one against it). Ranking absolute values instead would mostly
    rank ink against background, which any network, even a random one, responds to: on the
    shipped LeNet-5 the absolute occlusion maps of trained and random weights correlate at
    about 0.9, the signed ones at about 0.
    """
    if np.shape(first) != np.shape(second):
        raise ValueError(f"the maps differ in shape: {np.shape(first)} and {np.shape(second)}")
    a = _ranks(np.asarray(first, np.float64).ravel())
    b = _ranks(np.asarray(second, np.float64).ravel())
    a, b = a - a.mean(), b - b.mean()
    scale = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / scale) if scale > 0 else 0.0


def sanity_check(method: Callable[[Sequential, np.ndarray, int], np.ndarray],
                 model: Sequential, image: np.ndarray, class_index: int,
                 seed: int = 1) -> SanityResult:
    """Compare method's map for the model with its map for a randomised copy."""
    trained = np.asarray(method(model, image, class_index))
    randomised = np.asarray(method(randomised_copy(model, seed), image, class_index))
    return SanityResult(map_similarity(trained, randomised), trained, randomised)

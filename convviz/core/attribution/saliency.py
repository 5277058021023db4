"""Gradient saliency: which pixels the class score is most sensitive to, and in which sense."""

from __future__ import annotations

import numpy as np

from convviz.core.attribution.gradients import input_gradient
from convviz.core.nn.model import Sequential


def saliency_map(model: Sequential, image: np.ndarray, class_index: int) -> np.ndarray:
    """d score / d (brightness of each pixel), (H, W): the input gradient summed over colour
    channels (for a grey picture, the gradient itself).

    Positive: brightening the pixel (adding ink, on MNIST) raises the class's score;
    negative: it lowers it; the size says how strongly. Simonyan et al. (2014) show the
    absolute value, max over channels; the sign is kept here because it tells "for" from
    "against", and because absolute gradients of a trained and a random LeNet-5 stay alike
    (rank correlation about 0.5 on MNIST test digits, against about 0 for signed ones), so
    they fail the randomisation check (see `convviz.core.attribution.sanity`).
    """
    return input_gradient(model, image, class_index).sum(axis=-1)

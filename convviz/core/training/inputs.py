"""What training and evaluation accept: image and label arrays checked against a model.

Images are uint8 (N, H, W) for one-channel models or (N, H, W, C), as every `load_data()`
returns them; labels are integers (N,) or Keras' CIFAR-style (N, 1). Anything else raises a
ValueError that says what was given, what the model takes and what to do.
"""

from __future__ import annotations

import numpy as np


def image_shape(images: np.ndarray) -> tuple[int, int, int]:
    """(H, W, C) of a uint8 image batch (N, H, W) or (N, H, W, C); ValueError otherwise."""
    images = np.asarray(images)
    if images.dtype != np.uint8 or images.ndim not in (3, 4):
        raise ValueError(f"expected uint8 images (N, H, W) or (N, H, W, C), got {images.dtype} "
                         f"{images.shape}")
    return (*images.shape[1:3], images.shape[3] if images.ndim == 4 else 1)


def check_images(images: np.ndarray, input_shape: tuple[int, ...]) -> np.ndarray:
    """`images` as an array, if they fit a model taking `input_shape` (H, W, C)."""
    images = np.asarray(images)
    shape = image_shape(images)
    if shape != tuple(input_shape):
        wanted = "x".join(map(str, input_shape))
        advice = (" (grey images for a colour model, or colour images for a grey one: build "
                  "the model for this data, or convert the images)"
                  if shape[:2] == tuple(input_shape[:2]) else
                  " (resize the images, or build the model for this size)")
        raise ValueError(f"the images are {'x'.join(map(str, shape))} but the model takes "
                         f"{wanted}{advice}")
    return images


def check_labels(labels: np.ndarray, count: int, classes: int) -> np.ndarray:
    """`labels` as a vector (N,) of integers in 0..classes-1, for `count` images."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.shape != (count,) or labels.dtype.kind not in "ui":
        raise ValueError(f"expected {count} integer labels (one per image), got {labels.dtype} "
                         f"{labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels.min() if labels.min() < 0 else labels.max()
        kind = "digits" if classes == 10 else "class numbers"  # ten classes: MNIST's digits
        raise ValueError(f"label {bad} is out of range: the model has {classes} outputs, so "
                         f"labels must be {kind} 0-{classes - 1}")
    return labels

"""Gradients of one class's score with respect to the input or any layer's output.

The score of class c is the network's output value for c: its logit when the model ends in
logits (LeNet-5 here), its probability when the last layer applies softmax. Gradients flow
through each layer's own `backward`, so they are exactly what training would compute.

A model's layers cache the last batch they saw: call these functions from the thread that
owns the model (or on a `clone()`).
"""

from __future__ import annotations

import numpy as np

from convviz.core.nn.model import Sequential


def check_image(model: Sequential, image: np.ndarray) -> np.ndarray:
    """One input as a float32 (1, H, W, C) batch, or a sentence saying what shape was wanted."""
    if model.input_shape is None:
        raise ValueError("the model is not built: it has no input shape yet")
    image = np.asarray(image, dtype=np.float32)
    wanted = tuple(model.input_shape)
    if image.shape == wanted[:2] and wanted[2:] == (1,):
        image = image[..., None]
    if image.shape != wanted:
        raise ValueError(f"the model takes one picture of shape {wanted}, got {image.shape}")
    if not np.all(np.isfinite(image)):
        raise ValueError("the picture holds values that are not finite numbers")
    return np.ascontiguousarray(image[None])


def check_class(model: Sequential, class_index: int) -> int:
    """A class index the model outputs, or a sentence naming the valid range."""
    classes = int(np.prod(model.output_shape))
    if len(model.output_shape) != 1:
        raise ValueError(f"the model's output has shape {model.output_shape}, not one score "
                         "per class")
    if isinstance(class_index, bool) or int(class_index) != class_index \
            or not 0 <= class_index < classes:
        raise ValueError(f"the class must be a whole number from 0 to {classes - 1}, "
                         f"got {class_index!r}")
    return int(class_index)


def class_score(model: Sequential, image: np.ndarray, class_index: int) -> float:
    """The model's output value for class_index on one picture (logit, or probability after
    a softmax output layer)."""
    batch = check_image(model, image)
    class_index = check_class(model, class_index)
    return float(model.forward(batch)[0, class_index])


def backpropagate(model: Sequential, dy: np.ndarray, layer_index: int) -> np.ndarray:
    """Backpropagate dy (the gradient at the model's output for the batch last seen by
    forward) down to the output of layer layer_index (-1: the input). The layers' parameter
    gradients are overwritten."""
    for layer in reversed(model.layers[layer_index + 1:]):
        dy = layer.backward(dy)
    return dy


def backward_to(model: Sequential, layer_index: int, class_index: int) -> np.ndarray:
    """d score / d (output of layer layer_index) for the batch of one last seen by forward;
    layer_index -1 means the input."""
    dy = np.zeros((1, *model.layers[-1].output_shape), np.float32)
    dy[0, class_index] = 1.0
    return backpropagate(model, dy, layer_index)


def loss_gradient(model: Sequential, image: np.ndarray, label: int,
                  layer_name: str) -> tuple[float, np.ndarray]:
    """The cross-entropy loss of one picture against label, and dL/d(output of layer
    layer_name) without the batch axis: the real dL/dY a backward step starts from."""
    batch = check_image(model, image)
    label = check_class(model, label)
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"the model has no layer called {layer_name!r}")
    outputs = model.forward(batch, training=False)
    loss, dy = model.loss_and_gradient(outputs, np.array([label]))
    return loss, backpropagate(model, dy, names.index(layer_name))[0]


def input_gradient(model: Sequential, image: np.ndarray, class_index: int) -> np.ndarray:
    """d score / d input pixel, shape (H, W, C): the raw material of a saliency map."""
    batch = check_image(model, image)
    class_index = check_class(model, class_index)
    first = model.layers[0]
    needed = first.need_input_gradient
    first.need_input_gradient = True
    try:
        model.forward(batch)
        gradient = backward_to(model, -1, class_index)
    finally:
        first.need_input_gradient = needed
    return np.asarray(gradient[0], dtype=np.float32)

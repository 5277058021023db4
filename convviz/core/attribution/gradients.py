"""Gradients of one class's score with respect to the input or any layer's output.

The score of class c is the network's logit for c: its output when the model ends in logits
(LeNet-5 here), the value behind the softmax when the last layer applies one (as Grad-CAM's
authors use the pre-softmax score: a saturated probability has almost no gradient, and the
gradient of p_c mixes in every other class). Gradients flow through each layer's own
`backward`, so they are exactly what training would compute.

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
    """The model's logit for class_index on one picture (behind the softmax, if any)."""
    batch = check_image(model, image)
    class_index = check_class(model, class_index)
    outputs = model.forward(batch)
    logits = model.layers[-1].logits() if model.ends_in_softmax else outputs
    return float(logits[0, class_index])


def backpropagate(model: Sequential, dy: np.ndarray, layer_index: int,
                  from_logits: bool = False) -> np.ndarray:
    """Backpropagate dy down to the output of layer layer_index (-1: the input), for the batch
    last seen by forward. dy is the gradient at the model's output, or with from_logits at
    the logits behind its softmax output layer. The layers' parameter gradients are
    overwritten."""
    layers = model.layers[layer_index + 1:]
    if from_logits:
        dy = layers[-1].backward_from_logits(dy)
        layers = layers[:-1]
    for layer in reversed(layers):
        dy = layer.backward(dy)
    return dy


def backward_to(model: Sequential, layer_index: int, class_index: int) -> np.ndarray:
    """d score / d (output of layer layer_index) for the batch of one last seen by forward;
    layer_index -1 means the input."""
    dy = np.zeros((1, *model.layers[-1].output_shape), np.float32)
    dy[0, class_index] = 1.0
    return backpropagate(model, dy, layer_index, from_logits=model.ends_in_softmax)


def loss_gradient(model: Sequential, image: np.ndarray, label: int,
                  layer_name: str) -> tuple[float, np.ndarray]:
    """The cross-entropy loss of one picture against label, and dL/d(output of layer
    layer_name) without the batch axis: the real dL/dY a backward step starts from. As in
    training, a softmax output layer's loss is computed from its logits."""
    batch = check_image(model, image)
    label = check_class(model, label)
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"the model has no layer called {layer_name!r}")
    outputs = model.forward(batch, training=False)
    loss_function = model.output_loss()
    if model.ends_in_softmax:
        loss, dy = loss_function.logits_loss_and_gradient(model.layers[-1].logits(),
                                                          np.array([label]))
    else:
        loss, dy = loss_function.loss_and_gradient(outputs, np.array([label]))
    return loss, backpropagate(model, dy, names.index(layer_name),
                               from_logits=model.ends_in_softmax)[0]


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

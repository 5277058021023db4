"""Grad-CAM: where in a late convolution layer's maps the evidence for a class lies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.attribution.gradients import backward_to, check_class, check_image
from convviz.core.nn.geometry import receptive_field
from convviz.core.nn.layers import Conv2D
from convviz.core.nn.model import Sequential


@dataclass(frozen=True)
class GradCam:
    """A Grad-CAM map at one layer: its weights per channel, the coarse map, and the map
    resampled onto the input picture."""

    layer_name: str
    channel_weights: np.ndarray   # (C,) mean gradient of the score over each map
    coarse: np.ndarray            # (h, w) ReLU(sum_k weight_k * map_k) at the layer
    upsampled: np.ndarray         # (H, W) the coarse map on the input: each cell at its
                                  # receptive field's centre, linear in between


def default_gradcam_layer(model: Sequential) -> str:
    """The last Conv2D layer whose maps are larger than one pixel (a 1x1 map says nothing
    about where), else the last Conv2D layer."""
    convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
    if not convs:
        raise ValueError("Grad-CAM needs a convolution layer, and this model has none")
    spatial = [layer for layer in convs if layer.output_shape[0] * layer.output_shape[1] > 1]
    return (spatial or convs)[-1].name


def centre_weights(centres: np.ndarray, length: int) -> np.ndarray:
    """(length, cells) linear-interpolation weights placing cell t at pixel position
    centres[t] (increasing), held constant beyond the first and the last centre."""
    pixels = np.arange(length, dtype=np.float64)
    eye = np.eye(len(centres))
    return np.stack([np.interp(pixels, centres, eye[t]) for t in range(len(centres))], axis=1)


def field_centres(model: Sequential, index: int) -> tuple[np.ndarray, np.ndarray]:
    """The input rows and columns at the centres of the receptive fields of layer index's
    output cells (what the sliding windows up to it say; padding may put them off-centre)."""
    geometries = [layer.geometry for layer in model.layers[:index + 1]
                  if layer.geometry is not None]
    height, width = model.layers[index].output_shape[:2]
    rows = [sum(receptive_field(geometries, i, 0)[0]) / 2 for i in range(height)]
    cols = [sum(receptive_field(geometries, 0, j)[1]) / 2 for j in range(width)]
    return np.array(rows), np.array(cols)


def grad_cam(model: Sequential, image: np.ndarray, class_index: int,
             layer_name: str | None = None) -> GradCam:
    """Grad-CAM (Selvaraju et al. 2017) of class_index at a convolution layer (default:
    `default_gradcam_layer`): weight_k = mean over positions of d score / d map_k, map =
    ReLU(sum_k weight_k * map_k)."""
    batch = check_image(model, image)
    class_index = check_class(model, class_index)
    layer_name = default_gradcam_layer(model) if layer_name is None else layer_name
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"the model has no layer called {layer_name!r}")
    index = names.index(layer_name)
    if not isinstance(model.layers[index], Conv2D):
        raise ValueError(f"Grad-CAM looks at a convolution layer's maps; {layer_name!r} is a "
                         f"{type(model.layers[index]).__name__}")
    activations = model.forward_all(batch)[index][0]
    gradient = backward_to(model, index, class_index)[0]
    channel_weights = gradient.mean(axis=(0, 1), dtype=np.float64)
    coarse = np.maximum(np.tensordot(activations, channel_weights, axes=([2], [0])), 0.0)
    coarse = coarse.astype(np.float32)
    rows, cols = field_centres(model, index)
    upsampled = (centre_weights(rows, batch.shape[1]) @ coarse.astype(np.float64)
                 @ centre_weights(cols, batch.shape[2]).T)
    return GradCam(layer_name, channel_weights.astype(np.float32), coarse,
                   upsampled.astype(np.float32))

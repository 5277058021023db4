"""All three maps for one picture and one class in one call: what the "why?" view shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.attribution.gradcam import grad_cam
from convviz.core.attribution.gradients import check_class, check_image
from convviz.core.attribution.occlusion import occlusion_map
from convviz.core.attribution.saliency import saliency_map
from convviz.core.attribution.sanity import map_similarity, randomised_copy
from convviz.core.nn.layers import Conv2D
from convviz.core.nn.model import Sequential

METHODS = ("saliency", "occlusion", "grad-cam")


@dataclass(frozen=True)
class Explanation:
    """The maps (each (H, W), keyed by METHODS) of one class for one picture; Grad-CAM is
    missing for a model without convolutions. With randomised=True the same maps for a copy
    with random weights, and each method's similarity to its trained map."""

    class_index: int
    probability: float
    maps: dict[str, np.ndarray]
    gradcam_layer: str | None
    randomised_maps: dict[str, np.ndarray] | None = None
    similarities: dict[str, float] | None = None


def _maps(model: Sequential, image: np.ndarray, class_index: int,
          patch: int) -> tuple[dict[str, np.ndarray], str | None]:
    maps = {"saliency": saliency_map(model, image, class_index),
            "occlusion": occlusion_map(model, image, class_index, patch=patch)}
    layer = None
    if any(isinstance(layer_, Conv2D) for layer_ in model.layers):
        cam = grad_cam(model, image, class_index)
        maps["grad-cam"], layer = cam.upsampled, cam.layer_name
    return maps, layer


def explain(model: Sequential, image: np.ndarray, class_index: int, randomised: bool = False,
            patch: int = 5, seed: int = 1) -> Explanation:
    """Saliency, occlusion (patch x patch, stride 1) and Grad-CAM maps of class_index, and
    with randomised=True the sanity check of each. The model's layers are used (their caches
    overwritten): run it on a model this thread owns."""
    batch = check_image(model, image)
    class_index = check_class(model, class_index)
    patch = min(patch, *batch.shape[1:3])
    probability = float(model.predict(batch)[0, class_index])
    maps, layer = _maps(model, batch[0], class_index, patch)
    if not randomised:
        return Explanation(class_index, probability, maps, layer)
    random_maps, _ = _maps(randomised_copy(model, seed), batch[0], class_index, patch)
    similarities = {name: map_similarity(maps[name], random_maps[name]) for name in maps}
    return Explanation(class_index, probability, maps, layer, random_maps, similarities)

"""Why did the network predict this? Attribution maps computed by the training engine.

Three classic answers, each a map over the input picture for one chosen class:

- `saliency_map`: how strongly each pixel's value moves the class score (Simonyan et al. 2014,
  the gradient of the score with respect to the input);
- `occlusion_map`: how much the class's probability drops when a patch around each pixel is
  blanked out (Zeiler & Fergus 2014);
- `grad_cam`: which places in a late convolution layer's feature maps speak for the class,
  weighting each map by its mean gradient (Selvaraju et al. 2017).

`sanity_check` re-initialises the weights and measures how much a map changes (Adebayo et al.
2018): a method whose map survives randomisation shows the picture, not the network.

Every gradient comes from the layers' own backward passes, the ones training uses.
"""

from convviz.core.attribution.explanation import METHODS, Explanation, explain
from convviz.core.attribution.gradcam import GradCam, default_gradcam_layer, grad_cam
from convviz.core.attribution.gradients import class_score, input_gradient
from convviz.core.attribution.occlusion import occlusion_map
from convviz.core.attribution.saliency import saliency_map
from convviz.core.attribution.sanity import (
    SanityResult,
    map_similarity,
    randomised_copy,
    sanity_check,
)

__all__ = [
    "METHODS", "Explanation", "GradCam", "SanityResult", "class_score", "default_gradcam_layer",
    "explain", "grad_cam", "input_gradient", "map_similarity", "occlusion_map",
    "randomised_copy", "saliency_map", "sanity_check",
]

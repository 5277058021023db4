"""What-if experiments on a trained network, and what each of its filters detects.

- `WhatIf`: switch filters off, edit kernel weights, and get back the trained weights exactly;
- `shift_image`, `shift_sweep`: move the input a few pixels and watch maps move with it
  (equivariance) while the answer barely changes (near invariance);
- `softmax_with_temperature`: how sure the answer looks at other temperatures;
- `top_patches`: the input patches that excite one filter most, over a set of pictures.
"""

from convviz.core.experiments.shift import SHIFTS, ShiftSweep, shift_image, shift_sweep
from convviz.core.experiments.temperature import softmax_with_temperature
from convviz.core.experiments.top_patches import TopPatches, top_patches
from convviz.core.experiments.what_if import WhatIf

__all__ = ["SHIFTS", "ShiftSweep", "TopPatches", "WhatIf", "shift_image", "shift_sweep",
           "softmax_with_temperature", "top_patches"]

"""The theme's shared helpers: one rule for symmetric colour levels."""

import numpy as np

from convviz.gui.widgets import theme


def test_symmetric_levels_centre_zero_and_keep_near_zero_maps_neutral():
    assert theme.symmetric_levels(np.array([[-0.5, 2.0], [1.0, 0.0]], np.float32)) == (-2.0, 2.0)
    assert theme.symmetric_levels(np.array([-3.0, 1.0])) == (-3.0, 3.0)
    floor = theme.LEVELS_FLOOR
    assert theme.symmetric_levels(np.zeros((5, 5), np.float32)) == (-floor, floor)
    assert theme.symmetric_levels(np.full(3, 1e-7, np.float32)) == (-floor, floor)
    assert theme.symmetric_levels(np.zeros((0, 3), np.float32)) == (-floor, floor)


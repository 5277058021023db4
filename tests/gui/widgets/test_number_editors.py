"""The one rule for resizing a kernel in an editor: the centre stays the centre."""

import numpy as np

from convviz.gui.widgets.number_editors import resized_keeping_centre

SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)


def test_growing_an_odd_kernel_rings_it_with_zeros_and_shrinking_gives_it_back():
    grown = resized_keeping_centre(SOBEL, 5, 5)
    assert grown.shape == (5, 5) and grown.dtype == np.float32
    np.testing.assert_array_equal(grown[1:4, 1:4], SOBEL)
    assert not grown[[0, 4]].any() and not grown[:, [0, 4]].any()
    np.testing.assert_array_equal(resized_keeping_centre(grown, 3, 3), SOBEL)
    np.testing.assert_array_equal(resized_keeping_centre(SOBEL, 1, 3), [[-2, 0, 2]])
    np.testing.assert_array_equal(resized_keeping_centre(SOBEL, 1, 1), [[0]])


def test_even_sizes_put_the_extra_row_and_column_last_and_channels_follow():
    grown = resized_keeping_centre(SOBEL, 4, 4)
    np.testing.assert_array_equal(grown[:3, :3], SOBEL)
    assert not grown[3].any() and not grown[:, 3].any()
    np.testing.assert_array_equal(resized_keeping_centre(grown, 3, 3), SOBEL)
    two_channels = np.stack([SOBEL, -SOBEL], axis=2)
    grown = resized_keeping_centre(two_channels, 5, 3)
    assert grown.shape == (5, 3, 2)
    np.testing.assert_array_equal(grown[1:4, :, 1], -SOBEL)

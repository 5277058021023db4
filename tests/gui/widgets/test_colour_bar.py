"""The colour bar: its numbers are the levels it is given, and its strip is the colormap."""

from __future__ import annotations

import numpy as np
import pytest
from qt_actions import shown

from convviz.gui.widgets import theme
from convviz.gui.widgets.colour_bar import DIVERGING_MEANING, ColourBar


def test_numbers_follow_the_levels_and_the_caption_says_what_colours_mean(qtbot):
    bar = shown(qtbot, ColourBar(levels=(-2.0, 2.0)), 420, 50)
    assert bar.tick_texts() == ("−2", "0", "2")
    bar.show_layer("C3", -0.25, 0.25)
    assert bar.levels == (-0.25, 0.25)
    assert bar.caption == f"C3: {DIVERGING_MEANING}"
    assert bar.tick_texts() == ("−0.25", "0", "0.25")
    assert "−0.25 at the left end" in bar.toolTip()


@pytest.mark.parametrize("colormap", [theme.DIVERGING, theme.PAPER])
def test_the_strip_is_painted_in_the_colormap(qtbot, colormap):
    bar = shown(qtbot, ColourBar(colormap, (0.0, 9.0), "grid values"), 420, 50)
    image = bar.grab().toImage()
    strip_y = bar.fontMetrics().height() // 2
    right = bar.width() - 8
    left = right - bar._strip_width()
    for x in (left + 3, (left + right) // 2, right - 3):
        painted = image.pixelColor(x, strip_y)
        expected = colormap.map(np.array([(x + 0.5 - left) / (right - left)]), mode="byte")[0]
        for got, want in zip((painted.red(), painted.green(), painted.blue()), expected[:3],
                             strict=True):
            assert abs(got - int(want)) <= 6, (x, painted.name(), expected)

"""The colour bars beside the activation and kernel views give the numbers of the layer under
the pointer (else the first layer), the same levels its grids are drawn with."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from qt_actions import draw_digit, hover

from convviz.gui.widgets import theme

C1, C3 = 0, 2


def unit_pos(view, layer: int, cell: int, row: int, col: int) -> QPoint:
    column = next(c for c in view.columns if c.index == layer)
    return view.mapFromScene(column.grid.scene_point(cell, row, col))


def test_the_activation_bar_follows_the_layer_under_the_pointer(qtbot, window):
    draw_digit(qtbot, window)
    tab = window.draw_tab
    activations = window.session.activations
    assert tab.activation_bar.levels == theme.symmetric_levels(activations[C1])
    assert tab.activation_bar.caption.startswith("C1:")
    hover(tab.activation_view.viewport(), unit_pos(tab.activation_view, C3, 4, 3, 3))
    qtbot.waitUntil(lambda: tab.activation_bar.caption.startswith("C3:"))
    assert tab.activation_bar.levels == theme.symmetric_levels(activations[C3])
    assert tab.activation_bar.levels != theme.symmetric_levels(activations[C1])


def test_the_kernel_bars_give_the_learned_kernels_levels(window):
    kernel = window.session.model.layers[C1].params["kernel"]
    for bar in (window.draw_tab.kernel_bar, window.train_tab.kernel_bar):
        assert bar.levels == theme.symmetric_levels(kernel)
        assert bar.caption.startswith("C1:")

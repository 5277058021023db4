"""The Qt-free drawing canvas: anti-aliased round strokes, marker compositing, eraser, history."""

from __future__ import annotations

import numpy as np
import pytest
from fake_data import draw_polylines

from convviz.core.drawing.canvas import Brush, DrawingCanvas, digit_strokes


def stroke(canvas: DrawingCanvas, points, brush: Brush) -> int | None:
    canvas.begin_stroke(*points[0], brush)
    for x, y in points[1:]:
        canvas.extend_stroke(x, y)
    return canvas.end_stroke()


def test_a_dot_is_an_anti_aliased_disc():
    canvas = DrawingCanvas(64)
    stroke(canvas, [(32.0, 32.0)], Brush(6.0))
    ink = canvas.ink
    assert ink[31, 31] == 1.0 and ink[0, 0] == 0.0
    assert ink.sum() == pytest.approx(np.pi * 6.0**2, rel=0.05)
    edge = ink[(ink > 0) & (ink < 1)]
    assert edge.size > 20, "the rim is anti-aliased, not a hard edge"
    assert np.allclose(ink, ink.T) and np.allclose(ink, ink[::-1, ::-1]), "round and centred"


def test_a_line_has_the_brush_width_all_along():
    canvas = DrawingCanvas(100)
    stroke(canvas, [(10.0, 50.0), (90.0, 50.0)], Brush(4.0))
    widths = canvas.ink[:, 20:80].sum(axis=0)
    assert np.allclose(widths, 8.0, atol=0.05)
    assert canvas.ink[50, 50] == 1.0


def test_the_ink_is_one_minus_distance_beyond_the_radius():
    canvas = DrawingCanvas(40)
    stroke(canvas, [(5.0, 20.0), (35.0, 20.0)], Brush(3.0))
    # pixel centres are at row + 0.5: row 23 is 3.5 from the line (the rim), row 24 is 4.5
    assert canvas.ink[23, 20] == pytest.approx(0.0)
    assert canvas.ink[22, 20] == pytest.approx(1.0)
    canvas2 = DrawingCanvas(40)
    stroke(canvas2, [(5.0, 20.25), (35.0, 20.25)], Brush(3.0))
    assert canvas2.ink[23, 20] == pytest.approx(0.25)


def test_going_over_a_line_again_changes_nothing_like_a_marker():
    canvas = DrawingCanvas(64)
    line = [(10.0, 10.0), (50.0, 40.0)]
    stroke(canvas, line, Brush(5.0))
    once = canvas.ink.copy()
    stroke(canvas, line, Brush(5.0))
    assert np.array_equal(canvas.ink, once)
    assert canvas.ink.max() == 1.0


def test_the_eraser_removes_ink_with_soft_edges():
    canvas = DrawingCanvas(64)
    stroke(canvas, [(5.0, 32.0), (60.0, 32.0)], Brush(8.0))
    stroke(canvas, [(32.3, 5.0), (32.3, 60.0)], Brush(4.0, erase=True))
    assert canvas.ink[32, 32] == 0.0 and canvas.ink[32, 10] == 1.0
    assert np.any((canvas.ink[32, 20:45] > 0) & (canvas.ink[32, 20:45] < 1))


def test_strokes_past_the_border_are_clipped():
    canvas = DrawingCanvas(32)
    stroke(canvas, [(-50.0, -50.0), (100.0, 100.0)], Brush(3.0))
    assert canvas.ink[16, 16] == 1.0
    stroke(canvas, [(-40.0, 5.0), (-30.0, 5.0)], Brush(3.0))  # wholly outside: no edit


def test_undo_and_redo_restore_exact_images():
    canvas = DrawingCanvas(64)
    states = [canvas.ink.copy()]
    for points in ([(10.0, 10.0), (50.0, 12.0)], [(30.0, 5.0), (30.0, 60.0)]):
        stroke(canvas, points, Brush(4.0))
        states.append(canvas.ink.copy())
    stroke(canvas, [(30.0, 30.0), (40.0, 30.0)], Brush(6.0, erase=True))
    states.append(canvas.ink.copy())
    for expected in reversed(states[:-1]):
        assert canvas.undo()
        assert np.array_equal(canvas.ink, expected)
    assert not canvas.undo() and not canvas.can_undo
    for expected in states[1:]:
        assert canvas.redo()
        assert np.array_equal(canvas.ink, expected)
    assert not canvas.redo()


def test_a_new_stroke_forgets_the_redo_branch():
    canvas = DrawingCanvas(32)
    stroke(canvas, [(5.0, 5.0), (25.0, 5.0)], Brush(2.0))
    canvas.undo()
    assert canvas.can_redo
    stroke(canvas, [(5.0, 20.0), (25.0, 20.0)], Brush(2.0))
    assert not canvas.can_redo


def test_undo_during_a_stroke_takes_back_that_stroke():
    canvas = DrawingCanvas(32)
    canvas.begin_stroke(5.0, 5.0, Brush(2.0))
    canvas.extend_stroke(25.0, 25.0)
    assert canvas.is_drawing and canvas.can_undo
    assert canvas.undo()
    assert canvas.is_empty and not canvas.is_drawing


def test_clear_and_replace_are_undoable():
    canvas = DrawingCanvas(32)
    stroke(canvas, [(5.0, 5.0), (25.0, 25.0)], Brush(2.0))
    drawn = canvas.ink.copy()
    assert canvas.clear() is not None and canvas.is_empty
    assert canvas.clear() is None, "clearing a blank canvas is no edit"
    canvas.undo()
    assert np.array_equal(canvas.ink, drawn)
    picture = np.full((32, 32), 0.25, np.float32)
    edit = canvas.replace(picture)
    assert canvas.is_applied(edit) and np.array_equal(canvas.ink, picture)
    canvas.undo()
    assert not canvas.is_applied(edit) and np.array_equal(canvas.ink, drawn)
    with pytest.raises(ValueError, match="shape"):
        canvas.replace(np.zeros((28, 28)))
    with pytest.raises(ValueError, match="NaN"):
        canvas.replace(np.full((32, 32), np.nan))


def test_erasing_nothing_is_not_an_edit():
    canvas = DrawingCanvas(32)
    assert stroke(canvas, [(5.0, 5.0), (25.0, 5.0)], Brush(3.0, erase=True)) is None
    assert not canvas.can_undo


def test_history_is_bounded():
    canvas = DrawingCanvas(16, history_limit=3)
    for row in range(5):
        stroke(canvas, [(2.0, 2.0 + 3 * row), (12.0, 2.0 + 3 * row)], Brush(1.0))
    undone = 0
    while canvas.undo():
        undone += 1
    assert undone == 3 and not canvas.is_empty


def test_ink_is_read_only_and_versions_count_changes():
    canvas = DrawingCanvas(16)
    with pytest.raises(ValueError):
        canvas.ink[0, 0] = 1.0
    version = canvas.version
    stroke(canvas, [(8.0, 8.0)], Brush(2.0))
    assert canvas.version > version
    version = canvas.version
    canvas.undo()
    assert canvas.version > version


def test_extend_needs_begin_and_brush_needs_a_radius():
    with pytest.raises(RuntimeError, match="begin_stroke"):
        DrawingCanvas(16).extend_stroke(1.0, 1.0)
    with pytest.raises(ValueError, match="radius"):
        Brush(0.0)


def test_template_digits_draw_inside_their_box():
    canvas = DrawingCanvas(280)
    draw_polylines(canvas, digit_strokes(3, (140.0, 140.0), 200.0), Brush(8.0))
    rows = np.flatnonzero(canvas.ink.any(axis=1))
    assert rows[0] >= 140 - 100 - 9 and rows[-1] <= 140 + 100 + 9
    assert rows[-1] - rows[0] > 180
    with pytest.raises(ValueError, match="0-9"):
        digit_strokes(10, (0.0, 0.0), 1.0)

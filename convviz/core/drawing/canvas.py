"""A Qt-free drawing canvas: anti-aliased round-brush strokes on a float image, undo and redo.

The canvas is a high-resolution (280x280) float32 ink image, 0 = background and 1 = ink, the
polarity MNIST uses. A stroke is a polyline drawn with a round brush: each pixel's coverage is
computed from its distance to the segment (``radius + 0.5 - distance``, clipped to [0, 1]), which
gives smooth anti-aliased edges. Ink is laid like a marker (the darker of old and new wins), so
going over a line twice does not make it thicker or brighter. The GUI only displays ``ink``.

Every change (stroke, clear, replacing the whole image) is one edit in a history. An edit keeps
the patch it changed before and after, so undo and redo are copies, not re-renders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

CANVAS_SIZE = 280
"""Side of the drawing canvas in pixels: 10x the 28x28 network input."""

HISTORY_LIMIT = 200
"""Edits kept for undo; older ones are forgotten."""


@dataclass(frozen=True)
class Brush:
    """A round brush: radius in canvas pixels; an eraser removes ink instead of laying it."""

    radius: float
    erase: bool = False

    def __post_init__(self) -> None:
        if not self.radius > 0:
            raise ValueError(f"the brush radius must be positive, got {self.radius}")


@dataclass(frozen=True)
class _Edit:
    """One undoable change: the box it touched and that box's pixels before and after."""

    edit_id: int
    top: int
    left: int
    before: np.ndarray
    after: np.ndarray

    def apply(self, ink: np.ndarray, patch: np.ndarray) -> None:
        height, width = patch.shape
        ink[self.top:self.top + height, self.left:self.left + width] = patch


class _Box:
    """A growing pixel box [top, bottom) x [left, right), empty until first extended."""

    def __init__(self) -> None:
        self.top = self.left = math.inf
        self.bottom = self.right = -math.inf

    def extend(self, top: int, bottom: int, left: int, right: int) -> None:
        self.top, self.bottom = min(self.top, top), max(self.bottom, bottom)
        self.left, self.right = min(self.left, left), max(self.right, right)

    @property
    def empty(self) -> bool:
        return self.top >= self.bottom or self.left >= self.right

    def slices(self) -> tuple[slice, slice]:
        return slice(int(self.top), int(self.bottom)), slice(int(self.left), int(self.right))


class DrawingCanvas:
    """Ink image plus stroke history. Points are (x, y) in canvas pixels, (0, 0) the top-left
    corner of the top-left pixel, so pixel (row, col) has its centre at (col + 0.5, row + 0.5).
    """

    def __init__(self, size: int = CANVAS_SIZE, history_limit: int = HISTORY_LIMIT):
        if size < 1:
            raise ValueError(f"the canvas size must be positive, got {size}")
        self.size = int(size)
        self.history_limit = int(history_limit)
        self._ink = np.zeros((self.size, self.size), np.float32)
        self._view = self._ink.view()
        self._view.flags.writeable = False
        self._undo: list[_Edit] = []
        self._redo: list[_Edit] = []
        self._next_id = 0
        self._stroke: tuple[Brush, tuple[float, float], np.ndarray, _Box] | None = None
        self.version = 0
        """Increases on every change of ``ink``, so views and caches can tell it changed."""

    @property
    def ink(self) -> np.ndarray:
        """The (size, size) float32 ink image in [0, 1], read-only (it changes in place)."""
        return self._view

    @property
    def is_empty(self) -> bool:
        return not self._ink.any()

    @property
    def is_drawing(self) -> bool:
        """True between begin_stroke and end_stroke."""
        return self._stroke is not None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo) or self.is_drawing

    @property
    def can_redo(self) -> bool:
        return bool(self._redo) and not self.is_drawing

    def is_applied(self, edit_id: int) -> bool:
        """Whether the edit with this id is in effect (made and not undone)."""
        return any(edit.edit_id == edit_id for edit in self._undo)

    # --- strokes -------------------------------------------------------------------------------

    def begin_stroke(self, x: float, y: float, brush: Brush) -> None:
        """Put the brush down at (x, y): this alone draws a round dot."""
        if self._stroke is not None:
            self.end_stroke()
        self._stroke = (brush, (float(x), float(y)), self._ink.copy(), _Box())
        self._stamp((x, y), (x, y))

    def extend_stroke(self, x: float, y: float) -> None:
        """Drag the brush in a straight line from the last point to (x, y)."""
        if self._stroke is None:
            raise RuntimeError("extend_stroke() needs begin_stroke() first")
        brush, last, before, box = self._stroke
        self._stroke = (brush, (float(x), float(y)), before, box)
        self._stamp(last, (x, y))

    def end_stroke(self) -> int | None:
        """Lift the brush; the stroke becomes one undoable edit. Returns its id (None if the
        stroke changed nothing, e.g. erasing where there was no ink)."""
        if self._stroke is None:
            return None
        _, _, before, box = self._stroke
        self._stroke = None
        if box.empty:
            return None
        rows, cols = box.slices()
        if np.array_equal(before[rows, cols], self._ink[rows, cols]):
            return None
        return self._record(rows.start, cols.start, before[rows, cols], self._ink[rows, cols])

    def _stamp(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Lay the brush along the segment start-end (x, y points) with anti-aliased edges."""
        brush, _, _, box = self._stroke
        (x0, y0), (x1, y1) = start, end
        reach = brush.radius + 1.0
        top = max(int(math.floor(min(y0, y1) - reach)), 0)
        bottom = min(int(math.ceil(max(y0, y1) + reach)) + 1, self.size)
        left = max(int(math.floor(min(x0, x1) - reach)), 0)
        right = min(int(math.ceil(max(x0, x1) + reach)) + 1, self.size)
        if top >= bottom or left >= right:
            return
        py = np.arange(top, bottom, dtype=np.float32)[:, None] + np.float32(0.5 - y0)
        px = np.arange(left, right, dtype=np.float32)[None, :] + np.float32(0.5 - x0)
        dy, dx = np.float32(y1 - y0), np.float32(x1 - x0)
        length2 = dy * dy + dx * dx
        if length2 > 0:
            t = np.clip((py * dy + px * dx) / length2, 0.0, 1.0)
            distance = np.hypot(py - t * dy, px - t * dx)
        else:
            distance = np.hypot(py, px)
        coverage = np.clip(np.float32(brush.radius + 0.5) - distance, 0.0, 1.0)
        patch = self._ink[top:bottom, left:right]
        if brush.erase:
            np.minimum(patch, 1.0 - coverage, out=patch)
        else:
            np.maximum(patch, coverage, out=patch)
        box.extend(top, bottom, left, right)
        self.version += 1

    # --- whole-image edits ---------------------------------------------------------------------

    def clear(self) -> int | None:
        """Erase everything (undoable). Returns the edit id, None if already empty."""
        self.end_stroke()
        if self.is_empty:
            return None
        return self.replace(np.zeros_like(self._ink))

    def replace(self, ink: np.ndarray) -> int:
        """Replace the whole image, e.g. by a loaded picture or a sample digit (undoable)."""
        self.end_stroke()
        ink = np.asarray(ink, dtype=np.float32)
        if ink.shape != self._ink.shape:
            raise ValueError(f"the canvas is {self._ink.shape}, got an image of shape {ink.shape}")
        if not np.all(np.isfinite(ink)):
            raise ValueError("the image contains NaN or infinite values")
        before = self._ink.copy()
        np.clip(ink, 0.0, 1.0, out=self._ink)
        self.version += 1
        return self._record(0, 0, before, self._ink)

    def _record(self, top: int, left: int, before: np.ndarray, after: np.ndarray) -> int:
        edit = _Edit(self._next_id, top, left, before.copy(), after.copy())
        self._next_id += 1
        self._undo.append(edit)
        del self._undo[:-self.history_limit]
        self._redo.clear()
        return edit.edit_id

    # --- history -------------------------------------------------------------------------------

    def undo(self) -> bool:
        """Take back the last edit (a stroke in progress ends first); False if none is left."""
        self.end_stroke()
        if not self._undo:
            return False
        edit = self._undo.pop()
        edit.apply(self._ink, edit.before)
        self._redo.append(edit)
        self.version += 1
        return True

    def redo(self) -> bool:
        """Make the last undone edit again; False if there is none."""
        if not self.can_redo:
            return False
        edit = self._redo.pop()
        edit.apply(self._ink, edit.after)
        self._undo.append(edit)
        self.version += 1
        return True


# --- template digits ---------------------------------------------------------------------------

def _arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float,
         count: int = 24) -> list[tuple[float, float]]:
    """Points on an elliptical arc, angles in degrees counter-clockwise from +x (y points down)."""
    angles = np.radians(np.linspace(start, stop, count))
    return [(float(cx + rx * np.cos(a)), float(cy - ry * np.sin(a))) for a in angles]


_DIGIT_TEMPLATES: dict[int, list[list[tuple[float, float]]]] = {
    0: [_arc(0.5, 0.5, 0.3, 0.48, 90, 450, 40)],
    1: [[(0.38, 0.15), (0.55, 0.0), (0.55, 1.0)]],
    2: [_arc(0.5, 0.28, 0.28, 0.27, 160, -30, 20) + [(0.2, 1.0), (0.82, 1.0)]],
    3: [_arc(0.5, 0.26, 0.27, 0.25, 150, -90, 20) + _arc(0.5, 0.74, 0.3, 0.25, 90, -150, 20)],
    4: [[(0.62, 1.0), (0.62, 0.0), (0.15, 0.68), (0.85, 0.68)]],
    5: [[(0.78, 0.0), (0.3, 0.0), (0.25, 0.45)] + _arc(0.5, 0.7, 0.3, 0.28, 130, -150, 20)],
    6: [_arc(0.5, 0.5, 0.3, 0.5, 70, 180, 12) + _arc(0.5, 0.72, 0.3, 0.27, 180, 540, 30)],
    7: [[(0.18, 0.0), (0.82, 0.0), (0.4, 1.0)]],
    8: [_arc(0.5, 0.25, 0.24, 0.24, -90, 270, 30) + _arc(0.5, 0.74, 0.29, 0.26, 90, 450, 30)],
    9: [_arc(0.5, 0.28, 0.28, 0.28, 0, 360, 30) + [(0.78, 0.28), (0.74, 1.0)]],
}


def digit_strokes(digit: int, centre: tuple[float, float],
                  height: float) -> list[list[tuple[float, float]]]:
    """Polylines (x, y) of a plain hand-written digit `height` pixels tall around `centre`:
    what a person might draw, for demos, tests and benchmarks."""
    if digit not in _DIGIT_TEMPLATES:
        raise ValueError(f"digit must be 0-9, got {digit!r}")
    cx, cy = centre
    return [[(cx + (x - 0.5) * height, cy + (y - 0.5) * height) for x, y in stroke]
            for stroke in _DIGIT_TEMPLATES[digit]]

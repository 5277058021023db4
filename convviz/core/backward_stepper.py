"""Backpropagation stepped one cell at a time, with the sums written out (Qt-free).

A ``BackwardStepper`` takes a forward ``Stepper`` (one convolution filter or one pooling
layer on an input) and the gradient of the loss with respect to that step's output, dL/dY,
and explains the backward pass as a course does:

- activation backward: dL/dZ = dL/dY · f'(z), cell by cell;
- kernel gradient: dL/dW[u, v, c] = Σ_ij x̃[i·s + u·d, j·s + v·d, c] · dL/dZ[i, j] (the padded
  input correlated with the output gradient), one kernel tap per step; the bias gradient is
  Σ_ij dL/dZ[i, j];
- input gradient: dL/dX[y, x, c] = Σ over the output cells (i, j) whose window puts tap (u, v)
  on pixel (y, x) of w[u, v, c] · dL/dZ[i, j], one input pixel per step. Summed over all
  pixels this is a "full" correlation of dL/dZ (spread out by the stride, bordered by the
  kernel) with the kernel rotated by 180°: that is where convolution's flip appears;
- pooling backward: max pooling routes each output gradient to its window's winner, average
  pooling shares it equally between the window's real cells;
- one update step: w ← w − η · dL/dW.

The full arrays come from the layers' own ``backward`` (``Conv2D``, ``MaxPool2D``,
``AvgPool2D``: what training runs); each step recomputes its own cell from its terms, and the
tests check the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core.formatting import MINUS, format_number
from convviz.core.nn import ops
from convviz.core.nn.layers import AvgPool2D, Conv2D, MaxPool2D
from convviz.core.stepper import Stepper, _activation_label

Pair = tuple[int, int]
TARGETS = ("kernel", "input")
MAX_TERMS = 12


def _signed(value: float) -> str:
    text = format_number(value)
    return f"({text})" if value < 0 else text


def _sum_line(pairs: list[tuple[float, float]], total: float, max_terms: int) -> str:
    """a·b + c·d + … = total, cut after max_terms products. When the products do not fit,
    those that are 0 (padding, a dead ReLU, an output cell without gradient) are left out and
    counted, so the line shows the terms that matter."""
    if not pairs:
        return f"no terms: 0 = {format_number(total)}"
    skipped = 0
    if len(pairs) > max_terms:
        nonzero = [(a, b) for a, b in pairs if a != 0 and b != 0]
        skipped, pairs = len(pairs) - len(nonzero), nonzero
    shown = [f"{_signed(a)}·{_signed(b)}" for a, b in pairs[:max_terms]]
    parts = [" + ".join(shown)] if shown else []
    if len(pairs) > max_terms:
        parts.append(f"… ({len(pairs) - max_terms} more products)")
    if skipped:
        parts.append(f"({skipped} products that are 0)")
    return f"{' + '.join(parts)} = {format_number(total)}"


@dataclass(frozen=True)
class KernelGradientStep:
    """dL/dW at one kernel tap (u, v), for every input channel: the output cells visited, the
    input values they read through this tap (x̃, padding zeros included) and dL/dZ there."""

    index: int
    tap: Pair
    cells: tuple[Pair, ...]
    inputs: np.ndarray          # (cells, C): x̃[i·s + u·d, j·s + v·d, c]
    output_gradients: np.ndarray  # (cells,): dL/dZ[i, j]
    values: np.ndarray          # (C,): dL/dW[u, v, c]

    def explanation(self, max_terms: int = MAX_TERMS) -> list[str]:
        u, v = self.tap
        lines = []
        for c in range(self.values.shape[0]):
            pairs = list(zip(self.inputs[:, c], self.output_gradients, strict=True))
            lines.append(f"dL/dw[{u}, {v}, {c}] = Σ_ij x̃[i·s + {u}·d, j·s + {v}·d, {c}] · "
                         f"dL/dz[i, j] = " + _sum_line(pairs, self.values[c], max_terms))
        return lines


@dataclass(frozen=True)
class InputGradientTerm:
    """One output cell (i, j) whose window puts tap (u, v) on the pixel; its part of the
    pixel's gradient is factors[c] · output_gradients[c] per channel c."""

    cell: Pair
    tap: Pair
    factors: np.ndarray           # (C,): w[u, v, c]; max: 1 if the pixel won, else 0;
                                  # average: 1/n for a window of n real cells
    output_gradients: np.ndarray  # (C,): dL/dz[i, j] (convolution), dL/dy[i, j, c] (pooling)


@dataclass(frozen=True)
class InputGradientStep:
    """dL/dX at one input pixel (y, x) for every channel, from the terms that reach it."""

    index: int
    pixel: Pair
    terms: tuple[InputGradientTerm, ...]
    values: np.ndarray   # (C,)
    mode: str            # "convolution", "max" or "average"

    def explanation(self, max_terms: int = MAX_TERMS) -> list[str]:
        y, x = self.pixel
        if not self.terms:
            return [f"no window reads pixel ({y}, {x}): dL/dx[{y}, {x}] = 0"]
        lines = []
        for c in range(self.values.shape[0]):
            value = format_number(self.values[c])
            name = f"dL/dx[{y}, {x}, {c}]"
            if self.mode == "convolution":
                pairs = [(t.factors[c], t.output_gradients[c]) for t in self.terms]
                lines.append(f"{name} = Σ w[u, v, {c}] · dL/dz[i, j] over the windows "
                             "reading it = " + _sum_line(pairs, self.values[c], max_terms))
            elif self.mode == "max":
                won = [t for t in self.terms if t.factors[c]]
                routed = " + ".join(f"dL/dy[{t.cell[0]}, {t.cell[1]}] = "
                                    f"{format_number(t.output_gradients[c])}" for t in won)
                lines.append(f"{name} = {routed} (windows it won) = {value}" if won else
                             f"{name} = 0: it wins none of the {len(self.terms)} windows "
                             "that read it, so no gradient reaches it")
            else:
                pairs = [(t.output_gradients[c], t.factors[c]) for t in self.terms]
                lines.append(f"{name} = Σ dL/dy[i, j] · 1/n (an equal share of each window) "
                             "= " + _sum_line(pairs, self.values[c], max_terms))
        return lines


class BackwardStepper:
    """The backward pass of one forward ``Stepper`` for output gradient dL/dY, cell by cell.

    ``output_gradient`` has the forward output's shape, (OH, OW) or (OH, OW, C_out), C_out
    being 1 for a convolution filter and the input's channels for pooling. ``target`` is
    "kernel" (walk the kernel taps; convolution only) or "input" (walk the input pixels).
    Reflect/replicate padding and the flipped kernel are forward-only here: networks pad
    with zeros and correlate, and that is the backward pass worth stepping.
    """

    def __init__(self, forward: Stepper, output_gradient: np.ndarray, target: str = "kernel"):
        settings = forward.settings
        if target not in TARGETS:
            raise ValueError(f"the backward walk goes over the kernel or the input, got "
                             f"{target!r}")
        if settings.is_pooling and target == "kernel":
            raise ValueError("pooling has no kernel to learn: step the input gradient")
        if settings.pad_mode != "zero":
            raise ValueError("the backward pass is stepped with zero padding, the padding "
                             "networks use")
        if settings.flip_kernel:
            raise ValueError("the backward pass is stepped for cross-correlation, what "
                             "networks compute: switch the kernel flip off")
        self.forward = forward
        self.target = target
        self.geometry = forward.geometry
        out_channels = 1 if not settings.is_pooling else forward.channels
        wanted = (*forward.output_hw, out_channels)
        gradient = np.asarray(output_gradient, dtype=np.float32)
        if gradient.ndim == 2 and out_channels == 1:
            gradient = gradient[:, :, None]
        if gradient.shape != wanted:
            raise ValueError(f"dL/dY must have the output's shape {wanted}, got "
                             f"{gradient.shape}")
        if not np.isfinite(gradient).all():
            raise ValueError("dL/dY contains a cell that is not a number")
        self.output_gradient = gradient
        self.mode = ("convolution" if not settings.is_pooling
                     else "max" if settings.operation == "max" else "average")
        self._run_layer_backward()
        self.position = 0

    # --- the full arrays, from the layers' own backward -----------------------------------

    def _run_layer_backward(self) -> None:
        forward, geometry = self.forward, self.geometry
        x = forward.x[None]
        if self.mode == "convolution":
            layer = Conv2D(1, geometry.kernel_hw, geometry.strides, geometry.padding,
                           geometry.dilation, forward.activation, name="stepped")
            layer.build(forward.x.shape)
            layer.set_weights([forward.weights[:, :, :, None],
                               np.array([forward.bias], np.float32)])
            y = layer.forward(x)
            self.input_gradient = layer.backward(self.output_gradient[None])[0]
            self.kernel_gradient = layer.grads["kernel"][:, :, :, 0]
            self.bias_gradient = float(layer.grads["bias"][0])
            self.output = y[0, :, :, 0]
            self.pre_activation_gradient = ops.activation_backward(
                self.output_gradient[None], y, forward.activation)[0, :, :, 0]
        else:
            pool = (MaxPool2D(geometry.kernel_hw, geometry.strides, geometry.padding)
                    if self.mode == "max" else
                    AvgPool2D(geometry.kernel_hw, geometry.strides, geometry.padding))
            pool.build(forward.x.shape)
            self.output = pool.forward(x)[0]
            self.input_gradient = pool.backward(self.output_gradient[None])[0]
            self.kernel_gradient = None
            self.bias_gradient = None
            self.pre_activation_gradient = None

    # --- the walk ------------------------------------------------------------------------

    @property
    def walk_hw(self) -> Pair:
        """The grid the walk visits: the kernel's taps or the input's pixels."""
        return self.geometry.kernel_hw if self.target == "kernel" else self.geometry.input_hw

    @property
    def n_steps(self) -> int:
        return self.walk_hw[0] * self.walk_hw[1]

    def go_to(self, index: int) -> None:
        self.position = min(max(int(index), 0), self.n_steps - 1)

    def forward_one(self) -> bool:
        if self.position == self.n_steps - 1:
            return False
        self.position += 1
        return True

    def back_one(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def step(self, index: int | None = None) -> KernelGradientStep | InputGradientStep:
        """Everything about step ``index`` (default: the cursor's)."""
        index = self.position if index is None else int(index)
        if not 0 <= index < self.n_steps:
            raise ValueError(f"step {index} is outside the walk of {self.n_steps} steps")
        place = divmod(index, self.walk_hw[1])
        if self.target == "kernel":
            return self._kernel_step(index, place)
        return self._input_step(index, place)

    def _kernel_step(self, index: int, tap: Pair) -> KernelGradientStep:
        forward, geometry = self.forward, self.geometry
        (sh, sw), (dh, dw) = geometry.strides, geometry.dilation
        u, v = tap
        zero_padded = np.pad(forward.x, (*geometry.padding, (0, 0)))
        cells = tuple((i, j) for i in range(forward.output_hw[0])
                      for j in range(forward.output_hw[1]))
        inputs = np.array([zero_padded[i * sh + u * dh, j * sw + v * dw] for i, j in cells],
                          np.float64).reshape(len(cells), forward.channels)
        grads = np.array([self.pre_activation_gradient[i, j] for i, j in cells], np.float64)
        values = (inputs * grads[:, None]).sum(axis=0)
        return KernelGradientStep(index, tap, cells, inputs, grads, values)

    def _input_step(self, index: int, pixel: Pair) -> InputGradientStep:
        forward, geometry = self.forward, self.geometry
        (top, _), (left, _) = geometry.padding
        (sh, sw), (dh, dw) = geometry.strides, geometry.dilation
        y, x = pixel
        terms = []
        for i, j in geometry.cells_reading(y, x):
            u, rest_u = divmod(y + top - i * sh, dh)
            v, rest_v = divmod(x + left - j * sw, dw)
            if rest_u or rest_v:
                continue
            if self.mode == "convolution":
                factors = np.asarray(forward.weights[u, v], np.float64)
                gradients = np.full(forward.channels, self.pre_activation_gradient[i, j],
                                    np.float64)
                terms.append(InputGradientTerm((i, j), (u, v), factors, gradients))
            else:
                terms.append(self._pool_term((i, j), (u, v)))
        values = sum((t.factors * t.output_gradients for t in terms), np.zeros(forward.channels))
        return InputGradientStep(index, pixel, tuple(terms), np.asarray(values, np.float64),
                                 self.mode)

    def _pool_term(self, cell: Pair, tap: Pair) -> InputGradientTerm:
        """Max: factor 1 in the channels where the pixel is the window's winner (the first
        maximum, as the kernel picks), else 0. Average: 1/n, n the window's real cells."""
        step = self.forward.step(self.forward.index_of(*cell))
        gradients = self.output_gradient[cell[0], cell[1]].astype(np.float64)
        if self.mode == "max":
            factors = np.array([winner == tap for winner in step.winners], np.float64)
        else:
            factors = np.full(gradients.shape, 1.0 / max(int(step.inside.sum()), 1))
        return InputGradientTerm(cell, tap, factors, gradients)

    # --- activation backward and the update ----------------------------------------------

    def activation_lines(self, cell: Pair) -> list[str]:
        """dL/dz = dL/dy · f'(z) at output cell (i, j) of a convolution, with the numbers."""
        if self.mode != "convolution":
            raise ValueError("pooling has no activation to backpropagate through")
        i, j = cell
        dy = float(self.output_gradient[i, j, 0])
        dz = float(self.pre_activation_gradient[i, j])
        activation = self.forward.activation
        if activation == "linear":
            return [f"no activation: dL/dz[{i}, {j}] = dL/dy[{i}, {j}] = {format_number(dz)}"]
        slope = float(ops.activation_backward(
            np.ones((1, 1), np.float32), np.array([[self.output[i, j]]], np.float32),
            activation)[0, 0])
        name = _activation_label(activation)
        return [f"dL/dz[{i}, {j}] = dL/dy · {name}'(z) = {_signed(dy)} · {format_number(slope)}"
                f" = {format_number(dz)}"]

    def bias_line(self) -> str:
        """dL/db = Σ_ij dL/dz[i, j]."""
        if self.mode != "convolution":
            raise ValueError("pooling has no bias")
        grads = self.pre_activation_gradient.ravel()
        nonzero = grads[grads != 0] if grads.size > MAX_TERMS else grads
        shown = " + ".join(_signed(g) for g in nonzero[:MAX_TERMS]) or "0"
        if nonzero.size > MAX_TERMS:
            shown += f" + … ({nonzero.size - MAX_TERMS} more)"
        if nonzero.size < grads.size:
            shown += f" (and {grads.size - nonzero.size} zeros)"
        return f"dL/db = Σ_ij dL/dz[i, j] = {shown} = {format_number(self.bias_gradient)}"

    def updated_kernel(self, learning_rate: float) -> np.ndarray:
        """The kernel after one plain gradient-descent step, w − η · dL/dW, (kh, kw, C)."""
        if self.mode != "convolution":
            raise ValueError("pooling has no kernel to update")
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, got "
                             f"{learning_rate!r}")
        return (self.forward.weights.astype(np.float64)
                - learning_rate * self.kernel_gradient.astype(np.float64))

    def update_lines(self, learning_rate: float, tap: Pair) -> list[str]:
        """w[u, v, c] ← w − η · g for one tap, every channel, with the numbers."""
        updated = self.updated_kernel(learning_rate)
        u, v = tap
        lines = []
        for c in range(self.forward.channels):
            w = float(self.forward.weights[u, v, c])
            g = float(self.kernel_gradient[u, v, c])
            lines.append(f"w[{u}, {v}, {c}] ← {format_number(w)} {MINUS} "
                         f"{format_number(learning_rate)} · {_signed(g)} = "
                         f"{format_number(updated[u, v, c])}")
        return lines

    def full_correlation_borders(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """((top, bottom), (left, right)): the zeros around the stride-spread dL/dZ that make
        dL/dX (the unpadded input's gradient) its correlation with the kernel rotated by 180°
        and dilated as the forward kernel is. Per axis: d·(k − 1) minus the forward padding
        on that side, plus, at the far side, the input rows the last window never reached. A
        negative border means that many rows are cropped instead."""
        geometry = self.geometry
        borders = []
        for axis in range(2):
            k, d = geometry.kernel_hw[axis], geometry.dilation[axis]
            s, out = geometry.strides[axis], geometry.output_hw[axis]
            before, after = geometry.padding[axis]
            padded = geometry.input_hw[axis] + before + after
            reach = d * (k - 1)
            unreached = padded - (out - 1) * s - 1 - reach
            borders.append((reach - before, reach - after + unreached))
        return borders[0], borders[1]

    def flip_sentence(self) -> str:
        """Why the kernel appears rotated in the input gradient, with this geometry's numbers."""
        (kh, kw), (dh, dw) = self.geometry.kernel_hw, self.geometry.dilation
        (sh, sw) = self.geometry.strides
        (top, bottom), (left, right) = self.full_correlation_borders()
        spread = ("" if (sh, sw) == (1, 1) else
                  f"spread out by the stride ({sh - 1} zero row(s) and {sw - 1} zero column(s) "
                  "between neighbours), ")

        def border(count: int, side: str) -> str:
            return f"{count} {side}" if count >= 0 else f"{-count} {side} cropped"

        dilated = "" if (dh, dw) == (1, 1) else f", dilated by {dh}×{dw} as in the forward pass"
        return (f"Pixel (y, x) meets tap (u, v) of every window that reads it, so as the "
                f"output cell moves right the tap moves left. So dL/dX is dL/dZ, {spread}"
                f"bordered with zeros ({border(top, 'above')}, {border(bottom, 'below')}, "
                f"{border(left, 'left')}, {border(right, 'right')}), correlated with the "
                f"kernel rotated by 180° (w[{kh - 1} {MINUS} u, {kw - 1} {MINUS} v]{dilated}). "
                "That rotation is the flip of a true convolution: the backward pass of a "
                "correlation is a convolution.")

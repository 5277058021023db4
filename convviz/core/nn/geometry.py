"""Sliding-window geometry: output sizes, padding, receptive fields (pure functions).

Everything that slides a window over an image (convolution, pooling, the stepper, the
receptive-field highlight in the GUI) asks this module where the window goes, so they agree.
Invalid settings raise ``ValueError`` with a message meant for a student.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

Pair = tuple[int, int]
Padding = tuple[Pair, Pair]


def _is_integer(value) -> bool:
    """True for Python and NumPy integers (a spin box or an array may hand us either), not bools."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def as_pair(value: int | tuple[int, int], name: str) -> Pair:
    """Read an int or an (h, w) pair of ints, as Keras accepts for sizes and strides."""
    if _is_integer(value):
        return int(value), int(value)
    try:
        first, second = value
        if any(isinstance(v, bool) or int(v) != v for v in (first, second)):
            raise TypeError
        return int(first), int(second)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be an integer or a pair of integers, got {value!r}") from None


def effective_kernel_size(kernel: int, dilation: int) -> int:
    """Span of a dilated kernel: dilation d spreads k taps over d*(k-1)+1 pixels."""
    return dilation * (kernel - 1) + 1


def _same_padding(size: int, kernel: int, stride: int, dilation: int) -> Pair:
    """TensorFlow 'same': output = ceil(n / s); any odd extra pixel goes after (bottom/right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + effective_kernel_size(kernel, dilation) - size, 0)
    return total // 2, total - total // 2


def resolve_padding(
    padding: str | int | tuple,
    input_hw: Pair,
    kernel_hw: Pair,
    strides: Pair = (1, 1),
    dilation: Pair = (1, 1),
) -> Padding:
    """Turn 'valid' | 'same' | int | (ph, pw) | ((top, bottom), (left, right)) into pads."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return (0, 0), (0, 0)
        if mode == "same":
            return (
                _same_padding(input_hw[0], kernel_hw[0], strides[0], dilation[0]),
                _same_padding(input_hw[1], kernel_hw[1], strides[1], dilation[1]),
            )
        raise ValueError(
            f"padding must be 'valid', 'same', an integer or per-side pairs, got {padding!r}")
    if _is_integer(padding):
        pads = ((int(padding), int(padding)), (int(padding), int(padding)))
    else:
        try:
            first, second = padding
            if _is_integer(first) and _is_integer(second):
                pads = ((int(first), int(first)), (int(second), int(second)))
            else:
                pads = (as_pair(first, "padding"), as_pair(second, "padding"))
        except (TypeError, ValueError):
            raise ValueError(
                "padding must be 'valid', 'same', an integer, (pad_h, pad_w) or "
                f"((top, bottom), (left, right)), got {padding!r}"
            ) from None
    if min(pads[0] + pads[1]) < 0:
        raise ValueError(f"padding cannot be negative, got {pads}")
    return pads


@dataclass(frozen=True)
class WindowGeometry:
    """Where a kernel_hw window with strides, dilation and padding goes over an input_hw image."""

    input_hw: Pair
    kernel_hw: Pair
    strides: Pair
    dilation: Pair
    padding: Padding
    output_hw: Pair

    @property
    def padded_hw(self) -> Pair:
        """Height and width of the input after padding."""
        (top, bottom), (left, right) = self.padding
        return self.input_hw[0] + top + bottom, self.input_hw[1] + left + right

    @property
    def effective_kernel_hw(self) -> Pair:
        """Span of the (possibly dilated) window in input pixels."""
        return (
            effective_kernel_size(self.kernel_hw[0], self.dilation[0]),
            effective_kernel_size(self.kernel_hw[1], self.dilation[1]),
        )

    def window_origin(self, i: int, j: int) -> Pair:
        """Input coordinates (may be negative: padding) of the top-left tap for output (i, j)."""
        self._check_output_cell(i, j)
        return i * self.strides[0] - self.padding[0][0], j * self.strides[1] - self.padding[1][0]

    def window_taps(self, i: int, j: int) -> tuple[list[int], list[int]]:
        """Input rows and columns read by output (i, j); outside [0, size) means padding."""
        y0, x0 = self.window_origin(i, j)
        rows = [y0 + u * self.dilation[0] for u in range(self.kernel_hw[0])]
        cols = [x0 + v * self.dilation[1] for v in range(self.kernel_hw[1])]
        return rows, cols

    def cells_reading(self, y: int, x: int) -> list[Pair]:
        """Every output cell whose window has a tap on input pixel (y, x), row by row."""
        if not (0 <= y < self.input_hw[0] and 0 <= x < self.input_hw[1]):
            raise ValueError(
                f"pixel ({y}, {x}) is outside the {self.input_hw[0]}x{self.input_hw[1]} input")
        rows = _outputs_reading(y + self.padding[0][0], self.kernel_hw[0], self.strides[0],
                                self.dilation[0], self.output_hw[0])
        cols = _outputs_reading(x + self.padding[1][0], self.kernel_hw[1], self.strides[1],
                                self.dilation[1], self.output_hw[1])
        return [(i, j) for i in rows for j in cols]

    def input_span(self, rows: Pair, cols: Pair) -> tuple[Pair, Pair]:
        """Inclusive input row and column range covered by the output block rows x cols."""
        eff_h, eff_w = self.effective_kernel_hw
        return (
            (rows[0] * self.strides[0] - self.padding[0][0],
             rows[1] * self.strides[0] - self.padding[0][0] + eff_h - 1),
            (cols[0] * self.strides[1] - self.padding[1][0],
             cols[1] * self.strides[1] - self.padding[1][0] + eff_w - 1),
        )

    def _check_output_cell(self, i: int, j: int) -> None:
        if not (0 <= i < self.output_hw[0] and 0 <= j < self.output_hw[1]):
            raise ValueError(
                f"output cell ({i}, {j}) is outside the "
                f"{self.output_hw[0]}x{self.output_hw[1]} output"
            )


def _outputs_reading(padded_pos: int, kernel: int, stride: int, dilation: int,
                     out_size: int) -> list[int]:
    """Output indices i with i*stride + u*dilation == padded_pos for some tap u."""
    found = []
    for u in range(kernel):
        offset = padded_pos - u * dilation
        if offset >= 0 and offset % stride == 0 and offset // stride < out_size:
            found.append(offset // stride)
    return sorted(set(found))


def window_geometry(
    input_hw: Pair,
    kernel_size: int | Pair,
    strides: int | Pair = 1,
    padding: str | int | tuple = "valid",
    dilation_rate: int | Pair = 1,
) -> WindowGeometry:
    """Validate a sliding-window setting and compute its output size.

    Output size per axis is floor((n + p_before + p_after - d*(k-1) - 1) / s) + 1.
    """
    input_hw = as_pair(input_hw, "input size")
    kernel_hw = as_pair(kernel_size, "kernel_size")
    strides = as_pair(strides, "strides")
    dilation = as_pair(dilation_rate, "dilation_rate")
    if min(input_hw) < 1:
        raise ValueError(f"the input must be at least 1x1 pixels, got {input_hw[0]}x{input_hw[1]}")
    if min(kernel_hw) < 1:
        raise ValueError(f"the kernel must be at least 1x1, got {kernel_hw[0]}x{kernel_hw[1]}")
    if min(strides) < 1:
        raise ValueError(
            f"strides must be 1 or more (a stride of 0 would never move), got {strides}")
    if min(dilation) < 1:
        raise ValueError(f"dilation_rate must be 1 or more (1 means no dilation), got {dilation}")
    pads = resolve_padding(padding, input_hw, kernel_hw, strides, dilation)
    output = []
    for axis, name in enumerate(("height", "width")):
        padded = input_hw[axis] + sum(pads[axis])
        span = effective_kernel_size(kernel_hw[axis], dilation[axis])
        if span > padded:
            dilated = f" (dilated to {span})" if dilation[axis] > 1 else ""
            raise ValueError(
                f"the kernel {name} {kernel_hw[axis]}{dilated} is larger than the padded input "
                f"{name} {padded}: add padding or use a smaller kernel"
            )
        output.append((padded - span) // strides[axis] + 1)
    return WindowGeometry(input_hw, kernel_hw, strides, dilation, pads, (output[0], output[1]))


def receptive_field(
    geometries: list[WindowGeometry], i: int, j: int
) -> tuple[Pair, Pair]:
    """Inclusive input row/column range that output (i, j) of the last geometry depends on.

    Walks back through a chain of sliding-window layers (first geometry = nearest the input);
    the range may extend into padding (negative or past the edge).
    """
    if not geometries:
        return (i, i), (j, j)
    geometries[-1]._check_output_cell(i, j)
    rows, cols = (i, i), (j, j)
    for geometry in reversed(geometries):
        rows, cols = geometry.input_span(rows, cols)
    return rows, cols

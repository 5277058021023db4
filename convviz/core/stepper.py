"""The convolution and pooling stepper: one receptive field at a time (Qt-free).

A ``Stepper`` walks the output cells of one convolution filter or one pooling layer in row-major
order, the order ``window_geometry`` predicts, and explains each cell as the course slides do:
the receptive field in the padded input, the kernel over it, the element-wise products, the sum
written out, the bias and the activation. Its full output comes from ``ops.conv2d`` /
``ops.pool2d`` (what the network runs); each step recomputes its own cell from the products, and
the tests check the two agree. The GUI only draws a stepper and moves its cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from convviz.core.formatting import MINUS, format_number
from convviz.core.imaging.image_io import load_image, to_luminance
from convviz.core.nn import ops
from convviz.core.nn.geometry import Pair, WindowGeometry, as_pair, window_geometry

OPERATIONS = ("convolution", "max", "average", "global_average")
PAD_MODES = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}
STEP_ACTIVATIONS = tuple(name for name in ops.ACTIVATIONS if name != "softmax")


@dataclass(frozen=True)
class StepperSettings:
    """How the window slides and what it computes (Keras names and meanings).

    ``operation`` is "convolution", "max", "average" or "global_average". Convolution uses the
    kernel's own size; pooling uses ``pool_size`` (global average pooling: the whole input).
    ``flip_kernel`` turns cross-correlation (what deep-learning libraries compute) into the
    mathematical convolution. ``pad_mode`` fills the padding of a convolution with zeros,
    a mirror image ("reflect", numpy.pad 'reflect') or the edge pixel ("replicate",
    numpy.pad 'edge'); pooling ignores padding cells (TensorFlow semantics), so it takes "zero".
    """

    operation: str = "convolution"
    strides: int | Pair = 1
    padding: str | int | tuple = "valid"
    pad_mode: str = "zero"
    dilation_rate: int | Pair = 1
    flip_kernel: bool = False
    bias: float = 0.0
    activation: str = "linear"
    pool_size: int | Pair = 2

    @property
    def is_pooling(self) -> bool:
        return self.operation != "convolution"


@dataclass(frozen=True)
class ConvStep:
    """One output cell of a convolution, with every number the slides write out.

    ``window``, ``weights`` and ``products`` are (kh, kw, C): the input values read (padding
    values included), the weights applied (already flipped for a true convolution) and their
    products. ``inside`` (kh, kw) tells which taps fall on the real input rather than padding.
    """

    index: int
    cell: Pair
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    inside: np.ndarray
    window: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    channel_sums: np.ndarray
    total: float
    bias: float
    pre_activation: float
    value: float
    activation: str

    def explanation(self, channel_names: tuple[str, ...] | None = None,
                    max_terms: int = 27) -> list[str]:
        """The arithmetic as text lines: products summed per channel, bias, activation.

        At most ``max_terms`` products are written out. A multi-channel sum that would need
        more says how many products each channel adds up (up to 3 channels) or only lists
        the channel sums (more channels).
        """
        kh, kw, channels = self.products.shape
        names = channel_names or tuple(f"k'={c}" for c in range(channels))
        lines = []
        if channels == 1:
            terms = _product_terms(self.window[:, :, 0], self.weights[:, :, 0], max_terms)
            lines.append(f"{terms} = {format_number(self.total)}")
        elif channels * kh * kw <= max_terms:
            for c in range(channels):
                terms = _product_terms(self.window[:, :, c], self.weights[:, :, c], max_terms)
                lines.append(f"{names[c]}: {terms} = {format_number(self.channel_sums[c])}")
        elif channels <= 3:
            lines += [f"{names[c]}: the {kh * kw} products add up to "
                      f"{format_number(self.channel_sums[c])}" for c in range(channels)]
        if channels > 1:
            prefix = "" if channels <= 3 else f"sums of the {channels} channels: "
            lines.append(prefix + " + ".join(format_number(s) for s in self.channel_sums)
                         + f" = {format_number(self.total)}")
        bias = format_number(self.bias)
        if self.bias < 0:
            bias = f"({bias})"
        lines.append(f"z = {format_number(self.total)} + {bias} (bias) = "
                     f"{format_number(self.pre_activation)}")
        if self.activation != "linear":
            lines.append(f"{_activation_label(self.activation)}({format_number(self.pre_activation)})"
                         f" = {format_number(self.value)}")
        return lines


@dataclass(frozen=True)
class PoolStep:
    """One output cell of a pooling layer, per channel: the window, the winner or the mean.

    ``window`` is (kh, kw, C) with NaN on padding cells (pooling ignores them); ``winners``
    holds the (u, v) of each channel's maximum (first in row-major order, as the kernel picks)
    for max pooling, or None where a window lies entirely in padding or for average pooling.
    """

    index: int
    cell: Pair
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    inside: np.ndarray
    window: np.ndarray
    mode: str
    values: np.ndarray
    winners: tuple[Pair | None, ...]

    def explanation(self, channel_names: tuple[str, ...] | None = None,
                    max_terms: int = 27) -> list[str]:
        """The pooling arithmetic as text lines, one per channel."""
        channels = self.window.shape[2]
        names = channel_names or tuple(f"channel {c}" for c in range(channels))
        lines = []
        for c in range(channels):
            prefix = "" if channels == 1 else f"{names[c]}: "
            values = self.window[:, :, c][self.inside]
            shown = ", ".join(format_number(v) for v in values[:max_terms])
            if len(values) > max_terms:
                shown += f", … {len(values) - max_terms} more"
            result = format_number(self.values[c])
            if not len(values):
                lines.append(f"{prefix}the window holds only padding, which pooling ignores: 0")
            elif self.mode == "max":
                lines.append(f"{prefix}max({shown}) = {result}")
            else:
                lines.append(f"{prefix}({shown.replace(', ', ' + ')}) / {len(values)} = {result}")
        if not self.inside.all():
            lines.append("padding cells are ignored: they never win and are not averaged")
        return lines


Step = ConvStep | PoolStep


class Stepper:
    """Walks the output cells of one filter (or one pooling layer) with a cursor.

    ``x`` is (H, W) or (H, W, C). For convolution ``kernel`` is (kh, kw) or (kh, kw, C); a
    one-channel kernel is applied to every channel (its weights repeated), as a grey kernel
    on a colour image. Invalid settings raise ValueError with a message meant for a student.
    The cursor starts on the first cell; cells up to and including it count as visited.
    """

    geometry: WindowGeometry

    def __init__(self, x: np.ndarray, kernel: np.ndarray | None = None,
                 settings: StepperSettings | None = None, filter_index: int = 0):
        self.settings = settings = settings or StepperSettings()
        self.filter_index = filter_index
        self.x = _as_image(x)
        self.channels = self.x.shape[2]
        if settings.operation not in OPERATIONS:
            raise ValueError(f"unknown operation {settings.operation!r}; choose one of "
                             f"{', '.join(OPERATIONS)}")
        if settings.pad_mode not in PAD_MODES:
            raise ValueError(f"the padding fill must be one of {', '.join(PAD_MODES)}, "
                             f"got {settings.pad_mode!r}")
        if settings.is_pooling:
            self._init_pooling()
        else:
            self._init_convolution(kernel)
        self.position = 0

    # --- construction ----------------------------------------------------------------------

    def _init_convolution(self, kernel: np.ndarray | None) -> None:
        settings = self.settings
        if kernel is None:
            raise ValueError("a convolution needs a kernel")
        kernel = np.asarray(kernel, dtype=np.float32)
        if kernel.ndim == 2:
            kernel = kernel[:, :, None]
        if kernel.ndim != 3 or kernel.size == 0:
            raise ValueError(f"the kernel must be a (height, width) or (height, width, channels) "
                             f"grid, got shape {kernel.shape}")
        if not np.isfinite(kernel).all():
            raise ValueError("the kernel contains a cell that is not a number")
        if kernel.shape[2] not in (1, self.channels):
            raise ValueError(
                f"the kernel has {kernel.shape[2]} input channels but the input has "
                f"{self.channels}: a kernel needs one weight grid per input channel "
                f"(a C3 kernel reads all 6 maps of S2)")
        self.activation = ops.check_activation(settings.activation)
        if self.activation == "softmax":
            raise ValueError("softmax is an output activation for Dense layers, not for a "
                             "convolution")
        if not np.isfinite(settings.bias):
            raise ValueError("the bias must be a number")
        self.geometry = window_geometry(self.x.shape[:2], kernel.shape[:2], settings.strides,
                                        settings.padding, settings.dilation_rate)
        self.kernel = np.ascontiguousarray(
            np.broadcast_to(kernel, (*kernel.shape[:2], self.channels)))
        self.weights = self.kernel[::-1, ::-1] if settings.flip_kernel else self.kernel
        self.bias = float(np.float32(settings.bias))
        self.padded = np.pad(self.x, (*self.geometry.padding, (0, 0)),
                             mode=PAD_MODES[settings.pad_mode])
        weights = np.ascontiguousarray(self.weights)[:, :, :, None]
        bias = np.array([self.bias], np.float32)
        if settings.pad_mode == "zero":
            source, padding = self.x, self.geometry.padding
        else:
            source, padding = self.padded, "valid"
        self.output = ops.conv2d(source[None], weights, bias, self.geometry.strides, padding,
                                 self.geometry.dilation, self.activation)[0]

    def _init_pooling(self) -> None:
        settings = self.settings
        if as_pair(settings.dilation_rate, "dilation_rate") != (1, 1):
            raise ValueError("dilation applies to convolution kernels only; pooling windows "
                             "are never dilated")
        if settings.pad_mode != "zero":
            raise ValueError("pooling ignores padding cells, so there is nothing to fill them "
                             "with: reflect and replicate apply to convolution only")
        self.activation = "linear"
        self.kernel = self.weights = None
        self.bias = 0.0
        if settings.operation == "global_average":
            pool_size, strides, padding = self.x.shape[:2], 1, "valid"
        else:
            pool_size, strides, padding = settings.pool_size, settings.strides, settings.padding
        self.geometry = window_geometry(self.x.shape[:2], pool_size, strides, padding)
        self.padded = np.pad(self.x, (*self.geometry.padding, (0, 0)), constant_values=np.nan)
        mode = "max" if settings.operation == "max" else "average"
        self.output = ops.pool2d(self.x[None], self.geometry.kernel_hw, self.geometry.strides,
                                 self.geometry.padding, mode)[0]

    # --- the walk --------------------------------------------------------------------------

    @property
    def output_hw(self) -> Pair:
        return self.geometry.output_hw

    @property
    def n_steps(self) -> int:
        return self.output_hw[0] * self.output_hw[1]

    @property
    def at_start(self) -> bool:
        return self.position == 0

    @property
    def at_end(self) -> bool:
        return self.position == self.n_steps - 1

    def cell(self, index: int) -> Pair:
        """Output cell visited at step ``index`` (row-major)."""
        self._check_index(index)
        return divmod(index, self.output_hw[1])

    def index_of(self, i: int, j: int) -> int:
        """Step at which output cell (i, j) is filled."""
        self.geometry.window_origin(i, j)  # raises for a cell outside the output
        return i * self.output_hw[1] + j

    def cells(self) -> list[Pair]:
        """Every output cell in visiting order."""
        return [self.cell(k) for k in range(self.n_steps)]

    def go_to(self, index: int) -> None:
        """Move the cursor to step ``index`` (clamped to the walk)."""
        self.position = min(max(int(index), 0), self.n_steps - 1)

    def go_to_cell(self, i: int, j: int) -> None:
        self.position = self.index_of(i, j)

    def forward(self) -> bool:
        """One step on; False (and no move) at the end."""
        if self.at_end:
            return False
        self.position += 1
        return True

    def back(self) -> bool:
        """One step back; False (and no move) at the start."""
        if self.at_start:
            return False
        self.position -= 1
        return True

    def visited_output(self) -> np.ndarray:
        """The output with cells after the cursor set to NaN: (OH, OW, C_out)."""
        shown = self.output.copy()
        flat = shown.reshape(self.n_steps, -1)
        flat[self.position + 1:] = np.nan
        return shown

    def cells_reading(self, y: int, x: int) -> list[Pair]:
        """Output cells whose window has a tap on input pixel (y, x)."""
        return self.geometry.cells_reading(y, x)

    # --- one cell explained ----------------------------------------------------------------

    def step(self, index: int | None = None) -> Step:
        """Everything about step ``index`` (default: the cursor's)."""
        index = self.position if index is None else index
        i, j = self.cell(index)
        rows, cols = self.geometry.window_taps(i, j)
        (top, _), (left, _) = self.geometry.padding
        window = self.padded[np.ix_([r + top for r in rows], [c + left for c in cols])]
        height, width = self.geometry.input_hw
        inside = np.outer([0 <= r < height for r in rows], [0 <= c < width for c in cols])
        if self.settings.is_pooling:
            return self._pool_step(index, (i, j), tuple(rows), tuple(cols), inside, window)
        products = window.astype(np.float64) * self.weights
        channel_sums = products.sum(axis=(0, 1))
        total = float(channel_sums.sum())
        z = total + self.bias
        value = float(ops.activate(np.array([z], np.float32), self.activation)[0])
        return ConvStep(index, (i, j), tuple(rows), tuple(cols), inside, window,
                        np.array(self.weights), products, channel_sums, total, self.bias, z,
                        value, self.activation)

    def _pool_step(self, index, cell, rows, cols, inside, window) -> PoolStep:
        values, winners = [], []
        for c in range(self.channels):
            real = window[:, :, c][inside]
            if not real.size:
                values.append(0.0)
                winners.append(None)
            elif self.settings.operation == "max":
                flat = np.where(inside, window[:, :, c], -np.inf).argmax()
                winners.append(divmod(int(flat), window.shape[1]))
                values.append(float(real.max()))
            else:
                values.append(float(real.astype(np.float64).mean()))
                winners.append(None)
        mode = "max" if self.settings.operation == "max" else "average"
        return PoolStep(index, cell, rows, cols, inside, window, mode, np.array(values),
                        tuple(winners))

    # --- formulas with the current numbers -------------------------------------------------

    def size_formulas(self) -> tuple[str, str]:
        """Output height and width from ⌊(n + p_before + p_after − d(k−1) − 1)/s⌋ + 1."""
        return size_formulas(self.geometry)

    def index_formula(self, index: int | None = None, tap: Pair = (0, 0)) -> tuple[str, str]:
        """The cell's formula with i, j filled in, and one tap (u, v) of it with its numbers.

        Indices refer to the padded input x̃ (x̃[r, c] = x[r − top, c − left]).
        """
        step = self.step(index)
        i, j = step.cell
        (sh, sw), (dh, dw) = self.geometry.strides, self.geometry.dilation
        kh, kw = self.geometry.kernel_hw
        u, v = tap
        row = f"{i}·{sh} + u" + (f"·{dh}" if dh > 1 else "")
        col = f"{j}·{sw} + v" + (f"·{dw}" if dw > 1 else "")
        r, c = i * sh + u * dh, j * sw + v * dw
        if self.settings.is_pooling:
            op = "max" if step.mode == "max" else "mean"
            general = (f"y[{i}, {j}, c] = {op} over u = 0..{kh - 1}, v = 0..{kw - 1} of "
                       f"x̃[{row}, {col}, c]")
            shown = format_number(step.window[u, v, 0]) if step.inside[u, v] else "padding"
            example = f"u = {u}, v = {v}: x̃[{r}, {c}, 0] = {shown}"
            return general, example
        k = self.filter_index
        flipped = self.settings.flip_kernel
        w_index = f"{kh - 1} {MINUS} u, {kw - 1} {MINUS} v" if flipped else "u, v"
        general = (f"z[{i}, {j}, {k}] = b[{k}] + Σ_u Σ_v Σ_k' x̃[{row}, {col}, k'] · "
                   f"w[{w_index}, k', {k}]   (u = 0..{kh - 1}, v = 0..{kw - 1}, "
                   f"k' = 0..{self.channels - 1})")
        wu, wv = (kh - 1 - u, kw - 1 - v) if flipped else (u, v)
        x_value = format_number(step.window[u, v, 0])
        w_value = format_number(self.kernel[wu, wv, 0])
        example = (f"u = {u}, v = {v}, k' = 0: x̃[{r}, {c}, 0] · w[{wu}, {wv}, 0, {k}] = "
                   f"{x_value} · {w_value} = {format_number(step.products[u, v, 0])}")
        return general, example

    def _check_index(self, index: int) -> None:
        if not 0 <= index < self.n_steps:
            raise ValueError(f"step {index} is outside the walk of {self.n_steps} steps")


def learned_kernels(model, layer_names: tuple[str, ...] = ("C1", "C3")
                    ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """The filters of a model's conv layers as {"C1 #0": (kh, kw, cin) weights} and biases.

    Feed both to ``StepperView.set_model_kernels``.
    """
    kernels, biases = {}, {}
    for layer in model.layers:
        if layer.name not in layer_names or "kernel" not in layer.params:
            continue
        weights = layer.params["kernel"]
        bias = layer.params.get("bias", np.zeros(weights.shape[3], np.float32))
        for k in range(weights.shape[3]):
            kernels[f"{layer.name} #{k}"] = np.array(weights[:, :, :, k])
            biases[f"{layer.name} #{k}"] = float(bias[k])
    return kernels, biases


def _as_image(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim == 2:
        x = x[:, :, None]
    if x.ndim != 3 or x.size == 0:
        raise ValueError(f"the input must be a (height, width) or (height, width, channels) "
                         f"grid, got shape {x.shape}")
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise ValueError(f"the input must hold numbers, got {x.dtype}")
    x = np.ascontiguousarray(x, dtype=np.float32)
    if not np.isfinite(x).all():
        raise ValueError("the input contains a cell that is not a number")
    return x


def _product_terms(window: np.ndarray, weights: np.ndarray, max_terms: int) -> str:
    """(x·w + x·w + …) + (…) grouped by kernel row, cut after max_terms products."""
    groups, shown = [], 0
    total = window.size
    for u in range(window.shape[0]):
        if shown >= max_terms:
            break
        count = min(window.shape[1], max_terms - shown)
        terms = [f"{format_number(window[u, v])}·{format_number(weights[u, v])}"
                 for v in range(count)]
        shown += count
        groups.append("(" + " + ".join(terms) + ("" if count == window.shape[1] else " …") + ")")
    text = " + ".join(groups)
    if shown < total:
        text += f" + … ({total - shown} more products)"
    return text


def _activation_label(name: str) -> str:
    return {"relu": "ReLU", "leaky_relu": "LeakyReLU", "elu": "ELU"}.get(name, name)


MAX_IMAGE_SIDE = 512
"""A picture to step through is shrunk to at most this many pixels a side."""


def read_image(source: str | Path | bytes, rgb: bool) -> np.ndarray:
    """Pixel values 0..255 of an image file, upright, grey (H, W) or RGB (H, W, 3).

    RGB only if asked for and the file has colour. Images larger than MAX_IMAGE_SIDE are
    shrunk: one cannot step through millions of cells. Raises ImageLoadError (a ValueError
    with a message for the user) if the file cannot be read.
    """
    pixels = load_image(source).pixels
    if not rgb or pixels.shape[2] == 1:
        pixels = to_luminance(pixels)
    image = Image.fromarray(np.round(pixels * 255).astype(np.uint8))
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(image, np.float32)


def size_formulas(geometry: WindowGeometry) -> tuple[str, str]:
    """The output height and width of any sliding window written out with its numbers:
    ⌊(n + p_before + p_after − d(k−1) − 1)/s⌋ + 1 (the Stepper's and the Lab's formula)."""
    lines = []
    for axis, name in enumerate(("height", "width")):
        n, k = geometry.input_hw[axis], geometry.kernel_hw[axis]
        s, d = geometry.strides[axis], geometry.dilation[axis]
        before, after = geometry.padding[axis]
        pad = f"2·{before}" if before == after else f"({before} + {after})"
        inner = n + before + after - d * (k - 1) - 1
        lines.append(f"{name}: ⌊({n} + {pad} {MINUS} {d}·({k} {MINUS} 1) {MINUS} 1) / {s}⌋"
                     f" + 1 = ⌊{inner} / {s}⌋ + 1 = {geometry.output_hw[axis]}")
    return lines[0], lines[1]

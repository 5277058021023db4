"""What convolution does to a photo: the conv -> activation -> pool chain for a set of kernels.

The image inspector applies 2-D kernels to the luminance of a photo or to each colour channel
on its own, with the windows of a Conv2D layer (``filtering.correlate2d``), then an activation
(``ops.activate``) and optional pooling (``ops.pool2d``), so a student sees on a real picture
what a first convolutional layer computes. Each feature map comes with its exact range, a
histogram, display levels and the window geometries that map its cells back to the input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from convviz.core.formatting import format_bytes
from convviz.core.imaging.filtering import PAD_MODES, correlate2d
from convviz.core.imaging.image_io import to_luminance
from convviz.core.nn import ops
from convviz.core.nn.geometry import Pair, WindowGeometry, receptive_field, window_geometry

CHANNEL_MODES = ("luminance", "channels")
"""'luminance': one map per kernel; 'channels': one map per kernel and colour channel."""
MAX_RESULT_BYTES = 1 << 30
"""Settings whose maps would need more memory than this are refused with an explanation."""
HISTOGRAM_BINS = 512
HISTOGRAM_SAMPLE = 1_000_000
"""Maps larger than this are histogrammed on a regular grid of about this many pixels."""


class InspectionError(ValueError):
    """The settings cannot be applied to this image; the message says why, for a student."""


@dataclass(frozen=True, eq=False)
class NamedKernel:
    """A (kernel_h, kernel_w) float32 kernel with the name shown above its map."""

    name: str
    weights: np.ndarray

    def __post_init__(self) -> None:
        weights = np.asarray(self.weights)
        if weights.ndim == 3 and weights.shape[2] == 1:
            weights = weights[:, :, 0]
        if weights.ndim != 2 or weights.size == 0:
            raise InspectionError(f"the kernel {self.name!r} must be a 2-D (height, width) "
                                  f"array, got shape {weights.shape}")
        weights = np.array(weights, dtype=np.float32, order="C")
        if not np.isfinite(weights).all():
            raise InspectionError(f"the kernel {self.name!r} holds a value that is not a number")
        weights.flags.writeable = False
        object.__setattr__(self, "weights", weights)


@dataclass(frozen=True)
class Pooling:
    """Keras MaxPool2D / AveragePooling2D settings ('valid' padding; strides default to size)."""

    size: Pair = (2, 2)
    strides: Pair | None = None
    mode: str = "max"


@dataclass(frozen=True)
class ChainSettings:
    """Everything that decides the maps: channels, Conv2D windows, activation, pooling."""

    channels: str = "luminance"
    strides: int | Pair = 1
    padding: str | int | tuple = "same"
    dilation_rate: int | Pair = 1
    pad_mode: str = "zero"
    activation: str = "linear"
    pooling: Pooling | None = None


@dataclass(frozen=True, eq=False)
class SourceImage:
    """A photo split into the contiguous float32 (H, W) planes the chain reads.

    ``channels`` is (("R", r), ("G", g), ("B", b)) for colour or (("gray", plane),) for gray;
    ``luminance`` is Rec. 601 brightness (the gray plane itself for a gray image).
    """

    luminance: np.ndarray
    channels: tuple[tuple[str, np.ndarray], ...]

    @classmethod
    def from_pixels(cls, pixels: np.ndarray) -> SourceImage:
        """Split (H, W, 1 or 3) pixels, as ``image_io.load_image`` returns them."""
        luminance = to_luminance(pixels)
        if pixels.shape[2] == 1:
            return cls(luminance, (("gray", luminance),))
        names = ("R", "G", "B")
        return cls(luminance, tuple((name, np.ascontiguousarray(pixels[:, :, c]))
                                    for c, name in enumerate(names)))

    @property
    def shape(self) -> Pair:
        return self.luminance.shape

    def planes(self, channels: str) -> tuple[tuple[str, np.ndarray], ...]:
        """The labelled planes a channel mode convolves."""
        if channels == "luminance":
            return (("luminance", self.luminance),)
        if channels == "channels":
            return self.channels
        raise InspectionError(f"channels must be one of {', '.join(CHANNEL_MODES)}, "
                              f"got {channels!r}")

    def values_at(self, y: int, x: int) -> dict[str, float]:
        """Every plane's value at pixel (y, x), channels first, then luminance."""
        values = {name: float(plane[y, x]) for name, plane in self.channels}
        if len(self.channels) > 1:
            values["luminance"] = float(self.luminance[y, x])
        return values


@dataclass(frozen=True, eq=False)
class Histogram:
    """Share of the map's pixels per bin (sums to 1) over [minimum, maximum].

    ``sample_step`` is 1 when every pixel was counted, else the row and column step of the
    regular grid of pixels counted (the range is always exact).
    """

    fractions: np.ndarray
    edges: np.ndarray
    sample_step: int

    def rebinned(self, bins: int) -> tuple[np.ndarray, np.ndarray]:
        """(fractions, edges) with fewer, wider bins; bins must divide the bin count."""
        group = len(self.fractions) // bins
        return self.fractions.reshape(bins, group).sum(axis=1), self.edges[::group]

    def quantile_of_magnitude(self, fraction: float) -> float:
        """Approximately the smallest t with at most `fraction` of the pixels beyond |t|."""
        centres = (self.edges[:-1] + self.edges[1:]) / 2
        order = np.argsort(-np.abs(centres), kind="stable")
        beyond = np.cumsum(self.fractions[order])
        inside = np.searchsorted(beyond, fraction, side="right")
        if inside >= len(order):
            return 0.0
        bin_index = order[inside]
        return float(max(abs(self.edges[bin_index]), abs(self.edges[bin_index + 1])))


@dataclass(frozen=True, eq=False)
class FeatureMap:
    """One kernel's output on one plane after the whole chain, with what is needed to show it.

    ``geometries`` are the convolution's window geometry, then the pooling's (if any):
    ``geometry.receptive_field`` walks a cell back through them to the input pixels it reads.
    """

    kernel_name: str
    channel: str
    values: np.ndarray
    minimum: float
    maximum: float
    histogram: Histogram
    geometries: tuple[WindowGeometry, ...]

    @property
    def title(self) -> str:
        return self.kernel_name if self.channel == "luminance" else (
            f"{self.kernel_name} · {self.channel}")

    @property
    def signed(self) -> bool:
        """True if some value is negative: such maps use a diverging colormap centred at 0."""
        return self.minimum < 0

    @property
    def shape(self) -> Pair:
        return self.values.shape

    @property
    def cell_step(self) -> Pair:
        """Input pixels between neighbouring cells: the product of the strides on each axis."""
        return (math.prod(g.strides[0] for g in self.geometries),
                math.prod(g.strides[1] for g in self.geometries))

    @property
    def origin(self) -> tuple[float, float]:
        """Input coordinates (y, x) of cell (0, 0)'s top-left corner when every cell is drawn
        as a cell_step block centred on its receptive field (pixel (y, x) spans y..y+1)."""
        (top, bottom), (left, right) = receptive_field(list(self.geometries), 0, 0)
        step_h, step_w = self.cell_step
        return (top + bottom + 1) / 2 - step_h / 2, (left + right + 1) / 2 - step_w / 2

    def receptive_field(self, i: int, j: int) -> tuple[Pair, Pair]:
        """Inclusive input rows and columns cell (i, j) reads (may reach into the padding)."""
        return receptive_field(list(self.geometries), i, j)

    def cell_at(self, y: float, x: float) -> Pair | None:
        """The cell drawn over input point (y, x) (continuous coordinates), or None."""
        (top, left), (step_h, step_w) = self.origin, self.cell_step
        i, j = math.floor((y - top) / step_h), math.floor((x - left) / step_w)
        if 0 <= i < self.values.shape[0] and 0 <= j < self.values.shape[1]:
            return i, j
        return None

    def display_levels(self, clip_fraction: float = 0.0) -> tuple[float, float]:
        """Colour scale: symmetric (-m, m) for signed maps, (0, m) otherwise.

        m is the largest magnitude, or with clip_fraction > 0 the magnitude that only that
        share of the pixels exceeds (so a few extreme pixels do not wash the map out).
        """
        largest = max(abs(self.minimum), abs(self.maximum))
        if clip_fraction > 0:
            largest = min(largest, self.histogram.quantile_of_magnitude(clip_fraction))
        largest = max(largest, 1e-6)
        return (-largest, largest) if self.signed else (0.0, largest)


@dataclass(frozen=True, eq=False)
class Inspection:
    """The maps for every kernel (and channel), kernel by kernel, in the order asked for."""

    settings: ChainSettings
    input_hw: Pair
    maps: tuple[FeatureMap, ...]
    channels: tuple[str, ...]


def chain_geometries(input_hw: Pair, kernel_hw: Pair,
                     settings: ChainSettings) -> tuple[WindowGeometry, ...]:
    """The convolution's window geometry, then the pooling's; InspectionError if invalid."""
    try:
        conv = window_geometry(input_hw, kernel_hw, settings.strides, settings.padding,
                               settings.dilation_rate)
    except ValueError as error:
        raise InspectionError(f"The convolution cannot run: {error}.") from None
    pooling = settings.pooling
    if pooling is None:
        return (conv,)
    try:
        strides = pooling.size if pooling.strides is None else pooling.strides
        pool = window_geometry(conv.output_hw, pooling.size, strides, "valid")
    except ValueError as error:
        raise InspectionError(f"The pooling cannot run on the {conv.output_hw[0]}x"
                              f"{conv.output_hw[1]} convolution output: {error}.") from None
    return conv, pool


def check_settings(settings: ChainSettings) -> None:
    """Raise InspectionError for a channel mode, padding mode, activation or pooling mode
    this chain does not offer."""
    if settings.channels not in CHANNEL_MODES:
        raise InspectionError(f"channels must be one of {', '.join(CHANNEL_MODES)}, "
                              f"got {settings.channels!r}")
    if settings.pad_mode not in PAD_MODES:
        raise InspectionError(f"the padding mode must be one of {', '.join(PAD_MODES)}, "
                              f"got {settings.pad_mode!r}")
    if ops.check_activation(settings.activation) == "softmax":
        raise InspectionError("softmax is an output activation, not one for feature maps")
    if settings.pooling is not None and settings.pooling.mode not in ops.POOL_MODES:
        raise InspectionError(f"pooling must be one of {', '.join(ops.POOL_MODES)}, "
                              f"got {settings.pooling.mode!r}")


def apply_chain(plane: np.ndarray, kernel: np.ndarray, settings: ChainSettings,
                geometries: tuple[WindowGeometry, ...] | None = None) -> np.ndarray:
    """conv -> activation -> pool of one (H, W) plane by one (kh, kw) kernel: (OH, OW) float32.

    ReLU before max pooling is applied after it instead: max(relu(a), relu(b)) equals
    relu(max(a, b)) exactly, and the pooled map is a quarter of the size.
    """
    if geometries is None:
        geometries = chain_geometries(plane.shape, kernel.shape, settings)
    conv = geometries[0]
    values = correlate2d(plane, kernel, strides=conv.strides, padding=conv.padding,
                         dilation_rate=conv.dilation, pad_mode=settings.pad_mode)
    activation = ops.check_activation(settings.activation)
    pooling = settings.pooling
    commutes = pooling is not None and pooling.mode == "max" and activation in ("relu",
                                                                                "linear")
    if activation != "linear" and not commutes:
        values = ops.activate(values, activation)
    if pooling is not None:
        pool = geometries[1]
        values = ops.pool2d(values[None, :, :, None], pool.kernel_hw, pool.strides, "valid",
                            pooling.mode)[0, :, :, 0]
        if activation != "linear" and commutes:
            values = ops.activate(values, activation)
    return np.ascontiguousarray(values)


def histogram(values: np.ndarray, minimum: float, maximum: float,
              bins: int = HISTOGRAM_BINS, sample: int = HISTOGRAM_SAMPLE) -> Histogram:
    """Histogram of a 2-D map over [minimum, maximum], on a regular grid if the map is large."""
    step = max(1, math.ceil(math.sqrt(values.size / sample)))
    counted = values[::step, ::step]
    if maximum > minimum:
        low, high = minimum, maximum
    else:
        low, high = minimum - 0.5, maximum + 0.5
    counts, edges = np.histogram(counted, bins=bins, range=(low, high))
    fractions = counts / max(counted.size, 1)
    return Histogram(fractions.astype(np.float32), edges.astype(np.float32), step)


def estimated_bytes(input_hw: Pair, kernels: Sequence[NamedKernel], settings: ChainSettings,
                    plane_count: int) -> int:
    """Memory the maps of these settings need: the outputs plus one convolution buffer."""
    total, largest_conv = 0, 0
    for kernel in kernels:
        geometries = chain_geometries(input_hw, kernel.weights.shape, settings)
        total += plane_count * math.prod(geometries[-1].output_hw)
        largest_conv = max(largest_conv, math.prod(geometries[0].output_hw))
    return 4 * (total + largest_conv)


def inspect(image: SourceImage, kernels: Sequence[NamedKernel], settings: ChainSettings, *,
            max_bytes: int = MAX_RESULT_BYTES) -> Inspection:
    """Run the chain for every kernel on the planes the settings choose.

    Raises InspectionError, before computing anything, if the settings do not fit the image
    or would need more than max_bytes of memory.
    """
    check_settings(settings)
    planes = image.planes(settings.channels)
    needed = estimated_bytes(image.shape, kernels, settings, len(planes))
    if needed > max_bytes:
        maps = len(kernels) * len(planes)
        raise InspectionError(
            f"These settings would make {maps} maps needing {format_bytes(needed)} of memory, "
            f"more than the {format_bytes(max_bytes)} allowed: use luminance instead of each "
            "channel, fewer kernels, a stride of 2 or more, or pooling.")
    maps = []
    for kernel in kernels:
        geometries = chain_geometries(image.shape, kernel.weights.shape, settings)
        for channel, plane in planes:
            values = apply_chain(plane, kernel.weights, settings, geometries)
            minimum, maximum = float(values.min()), float(values.max())
            if not (math.isfinite(minimum) and math.isfinite(maximum)):
                raise InspectionError(f"The {kernel.name!r} map overflowed: its kernel "
                                      "weights are too large.")
            maps.append(FeatureMap(kernel.name, channel, values, minimum, maximum,
                                   histogram(values, minimum, maximum), geometries))
    return Inspection(settings, image.shape, tuple(maps), tuple(name for name, _ in planes))

"""Why a layer of a design cannot work, in a sentence a student understands.

The core's layers find the problem (their constructors and `compute_output_shape` raise
ValueError); this module words the common ones as advice about the design: a window larger
than its input, maps where a Dense layer wants a vector (or the reverse), a network that does
not end in class scores. Anything else keeps the core's own message.
"""

from __future__ import annotations

from convviz.core.nn.geometry import as_pair, effective_kernel_size, resolve_padding
from convviz.core.nn.layers import Conv2D, Dense, Layer

SLIDING = ("Conv2D", "MaxPool2D", "AvgPool2D")
NEEDS_MAPS = (*SLIDING, "GlobalAvgPool2D")


def _size(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def setting_problem(kind: str, error: Exception) -> str:
    """A setting the layer itself refuses (e.g. a dropout rate of 1)."""
    return f"this {kind} setting cannot work: {error}"


def layer_problem(layer: Layer, input_shape: tuple[int, ...], error: Exception) -> str:
    """Why `layer` cannot take inputs of `input_shape` (the error its compute_output_shape
    raised), with what to change."""
    kind = type(layer).__name__
    if kind in NEEDS_MAPS and len(input_shape) != 3:
        if len(input_shape) == 1:
            return (f"a {kind} layer needs maps (height × width × channels) but gets a flat "
                    f"vector of {input_shape[0]:,} values here: move it before the Flatten "
                    "layer")
        return f"a {kind} layer needs maps (height × width × channels), not {_size(input_shape)}"
    if isinstance(layer, Dense) and len(input_shape) != 1:
        return (f"a Dense layer needs a flat vector but gets {_size(input_shape)} maps here: add "
                "a Flatten (or GlobalAvgPool2D) layer before it")
    if kind in SLIDING:
        explained = _window_problem(layer, input_shape)
        if explained:
            return explained
    return str(error)


def _window_problem(layer: Layer, input_shape: tuple[int, ...]) -> str | None:
    """A window (kernel or pool) larger than the padded input of this layer."""
    is_conv = isinstance(layer, Conv2D)
    window = layer.kernel_size if is_conv else layer.pool_size
    dilation = layer.dilation_rate if is_conv else (1, 1)
    try:
        pads = resolve_padding(layer.padding, input_shape[:2], window,
                               as_pair(layer.strides, "strides"), dilation)
    except ValueError:
        return None
    spans = [effective_kernel_size(window[axis], dilation[axis]) for axis in (0, 1)]
    padded = [input_shape[axis] + sum(pads[axis]) for axis in (0, 1)]
    if all(span <= size for span, size in zip(spans, padded, strict=True)):
        return None
    what = f"a {_size(window)} kernel" if is_conv else f"a {_size(window)} pooling window"
    if dilation != (1, 1):
        what += f" dilated to {_size(tuple(spans))}"
    where = f"the {_size(input_shape[:2])} input of this layer"
    if padded != list(input_shape[:2]):
        where += f" ({_size(tuple(padded))} with its padding)"
    advice = ("lower the kernel, add padding or remove a pooling layer" if is_conv
              else "lower the pool size or remove a pooling layer before it")
    if dilation != (1, 1):
        advice = "lower the dilation or the kernel, add padding or remove a pooling layer"
    return f"{what} does not fit {where}: {advice}"


def design_problem(layer_count: int, output_shape: tuple[int, ...]) -> str | None:
    """A problem of the whole design once every layer fits: it must end in class scores."""
    if not layer_count:
        return "the design has no layers yet: add some, e.g. a Conv2D, a Flatten and a Dense"
    if len(output_shape) != 1:
        return (f"the network ends with {_size(output_shape)} maps, but a classifier ends with "
                "one score per class: finish with Flatten and Dense(10)")
    if output_shape[0] < 2:
        return (f"the network ends with {output_shape[0]} score, but a classifier needs one "
                "per class (at least 2): give the last Dense layer 10 units for digits")
    return None

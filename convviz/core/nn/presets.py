"""Architecture presets: the networks a course builds, each a function returning a Sequential.

Every preset takes the same arguments, so the CLI and the trainer can build any of them for
any dataset: `input_shape` (H, W, C) without the batch axis, `classes` (the logits out),
`seed` (weights and dropout masks) and `dropout` (a rate before the last Dense layers; 0
leaves the Dropout layers out). The outputs are logits: the loss applies the softmax.
"""

from __future__ import annotations

from collections.abc import Callable

from convviz.core.nn.layers import Conv2D, Dense, Dropout, Flatten, Layer, MaxPool2D
from convviz.core.nn.model import Sequential, lenet5

MNIST_SHAPE = (28, 28, 1)
COLOUR_SHAPE = (32, 32, 3)

Preset = Callable[..., Sequential]


def _head(hidden: int | None, classes: int, seed: int | None, dropout: float) -> list[Layer]:
    """Flatten, an optional hidden Dense layer, and the logits, with Dropout before each Dense."""
    layers: list[Layer] = [Flatten(name="flatten")]
    if hidden:
        if dropout:
            layers.append(Dropout(dropout, seed=seed, name="dropout_hidden"))
        layers.append(Dense(hidden, activation="relu", kernel_initializer="he_uniform",
                            name="hidden"))
    if dropout:
        layers.append(Dropout(dropout, seed=None if seed is None else seed + 1,
                              name="dropout_output"))
    layers.append(Dense(classes, name="output"))
    return layers


def _conv(filters: int, size: int, name: str) -> Conv2D:
    return Conv2D(filters, size, padding="same", activation="relu",
                  kernel_initializer="he_uniform", name=name)


def _lenet(variant: str, input_shape: tuple[int, ...], classes: int, seed: int | None,
           dropout: float) -> Sequential:
    """lenet5(variant), rebuilt for another input shape or class count when asked."""
    model = lenet5(variant, seed=seed, dropout=dropout)
    if tuple(input_shape) == MNIST_SHAPE and classes == 10:
        return model
    layers = [*model.layers[:-1], Dense(classes, name="output")]
    return Sequential(layers, input_shape=input_shape, name=model.name, seed=seed)


def lenet5_classic(input_shape: tuple[int, ...] = MNIST_SHAPE, classes: int = 10,
                   seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """LeNet-5 as LeCun et al. (1998): tanh and average pooling (61,706 parameters on MNIST)."""
    return _lenet("classic", input_shape, classes, seed, dropout)


def lenet5_modern(input_shape: tuple[int, ...] = MNIST_SHAPE, classes: int = 10,
                  seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """LeNet-5 with ReLU and max pooling."""
    return _lenet("modern", input_shape, classes, seed, dropout)


def mlp_baseline(input_shape: tuple[int, ...] = MNIST_SHAPE, classes: int = 10,
                 seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """The classic first exercise: flatten the image, one hidden Dense(128, relu), the logits.

    No convolution at all: the baseline a CNN has to beat (784*128+128 + 128*10+10 = 101,770
    parameters on MNIST).
    """
    return Sequential(_head(128, classes, seed, dropout), input_shape=input_shape,
                      name="mlp-baseline", seed=seed)


def small_vgg(input_shape: tuple[int, ...] = MNIST_SHAPE, classes: int = 10,
              seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """VGG's recipe, small, for 28x28: two blocks of two 3x3 'same' convolutions (16 then 32
    filters) each followed by 2x2 max pooling, then Dense(128) and the logits."""
    layers: list[Layer] = [
        _conv(16, 3, "block1_conv1"), _conv(16, 3, "block1_conv2"),
        MaxPool2D(2, name="block1_pool"),
        _conv(32, 3, "block2_conv1"), _conv(32, 3, "block2_conv2"),
        MaxPool2D(2, name="block2_pool"),
        *_head(128, classes, seed, dropout),
    ]
    return Sequential(layers, input_shape=input_shape, name="small-vgg", seed=seed)


def one_5x5(input_shape: tuple[int, ...] = MNIST_SHAPE, classes: int = 10,
            seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """A 3x3 stem, pooling, then ONE 5x5 convolution (16 -> 32 maps): compare with two_3x3.

    Both see a 7x7 window of the pooled stem output through their conv part (3 + 5 - 1 =
    3 + 3 - 1 + 3 - 1), but the 5x5 costs 5*5*16*32 weights where two 3x3 cost
    3*3*16*16 + 3*3*16*32: about half.
    """
    layers: list[Layer] = [_conv(16, 3, "stem"), MaxPool2D(2, name="stem_pool"),
                           _conv(32, 5, "conv5x5"), MaxPool2D(2, name="pool"),
                           *_head(None, classes, seed, dropout)]
    return Sequential(layers, input_shape=input_shape, name="one-5x5", seed=seed)


def two_3x3(input_shape: tuple[int, ...] = MNIST_SHAPE, classes: int = 10,
            seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """one_5x5 with its 5x5 convolution replaced by two stacked 3x3 ones (16 -> 16 -> 32)."""
    layers: list[Layer] = [_conv(16, 3, "stem"), MaxPool2D(2, name="stem_pool"),
                           _conv(16, 3, "conv3x3_a"), _conv(32, 3, "conv3x3_b"),
                           MaxPool2D(2, name="pool"), *_head(None, classes, seed, dropout)]
    return Sequential(layers, input_shape=input_shape, name="two-3x3", seed=seed)


def colour_cnn(input_shape: tuple[int, ...] = COLOUR_SHAPE, classes: int = 10,
               seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """A small CNN for 32x32 colour photos (CIFAR-10, cats vs dogs): three 3x3 conv + 2x2 max
    pool stages (16, 32, 64 filters), Dense(64) and the logits."""
    layers: list[Layer] = [
        _conv(16, 3, "conv1"), MaxPool2D(2, name="pool1"),
        _conv(32, 3, "conv2"), MaxPool2D(2, name="pool2"),
        _conv(64, 3, "conv3"), MaxPool2D(2, name="pool3"),
        *_head(64, classes, seed, dropout),
    ]
    return Sequential(layers, input_shape=input_shape, name="colour-cnn", seed=seed)


PRESETS: dict[str, Preset] = {
    "lenet5-classic": lenet5_classic,
    "lenet5-modern": lenet5_modern,
    "mlp": mlp_baseline,
    "small-vgg": small_vgg,
    "one-5x5": one_5x5,
    "two-3x3": two_3x3,
    "colour-cnn": colour_cnn,
}
"""Preset name (as `convviz train --arch` takes it) -> builder."""


def build_preset(name: str, input_shape: tuple[int, ...] | None = None, classes: int = 10,
                 seed: int | None = 0, dropout: float = 0.0) -> Sequential:
    """The preset called `name` for `input_shape` (default: the preset's own) and `classes`."""
    builder = PRESETS.get(name)
    if builder is None:
        raise ValueError(f"unknown architecture {name!r}; the presets are "
                         f"{', '.join(PRESETS)}")
    if input_shape is None:
        return builder(classes=classes, seed=seed, dropout=dropout)
    return builder(tuple(input_shape), classes, seed, dropout)

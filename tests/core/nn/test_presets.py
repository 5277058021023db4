"""Architecture presets: shapes and parameter counts from the formulas, any input shape."""

import numpy as np
import pytest

from convviz.core.nn.layers import Conv2D
from convviz.core.nn.model import lenet5
from convviz.core.nn.presets import PRESETS, build_preset, one_5x5, two_3x3


def conv(k, c_in, c_out):
    return k * k * c_in * c_out + c_out


def dense(n_in, n_out):
    return n_in * n_out + n_out


# Output shapes and parameters written from the layer formulas, not read from our summary.
EXPECTED = {
    "mlp": ([(784,), (128,), (10,)], [0, dense(784, 128), dense(128, 10)]),
    "small-vgg": ([(28, 28, 16), (28, 28, 16), (14, 14, 16), (14, 14, 32), (14, 14, 32),
                   (7, 7, 32), (1568,), (128,), (10,)],
                  [conv(3, 1, 16), conv(3, 16, 16), 0, conv(3, 16, 32), conv(3, 32, 32), 0, 0,
                   dense(1568, 128), dense(128, 10)]),
    "one-5x5": ([(28, 28, 16), (14, 14, 16), (14, 14, 32), (7, 7, 32), (1568,), (10,)],
                [conv(3, 1, 16), 0, conv(5, 16, 32), 0, 0, dense(1568, 10)]),
    "two-3x3": ([(28, 28, 16), (14, 14, 16), (14, 14, 16), (14, 14, 32), (7, 7, 32), (1568,),
                 (10,)],
                [conv(3, 1, 16), 0, conv(3, 16, 16), conv(3, 16, 32), 0, 0, dense(1568, 10)]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_preset_shapes_and_parameters_match_the_formulas(name):
    shapes, params = EXPECTED[name]
    model = build_preset(name)
    assert [layer.output_shape for layer in model.layers] == shapes
    assert [layer.count_params() for layer in model.layers] == params
    x = np.random.default_rng(0).uniform(0, 1, (2, 28, 28, 1)).astype(np.float32)
    assert model.forward(x).shape == (2, 10)


def test_colour_cnn_for_32x32x3():
    model = build_preset("colour-cnn")
    assert model.input_shape == (32, 32, 3)
    assert [layer.output_shape for layer in model.layers] == [
        (32, 32, 16), (16, 16, 16), (16, 16, 32), (8, 8, 32), (8, 8, 64), (4, 4, 64), (1024,),
        (64,), (10,)]
    assert model.count_params() == (conv(3, 3, 16) + conv(3, 16, 32) + conv(3, 32, 64)
                                    + dense(1024, 64) + dense(64, 10))


def test_lenet_presets_are_lenet5_on_mnist():
    for name, variant in (("lenet5-classic", "classic"), ("lenet5-modern", "modern")):
        preset, reference = build_preset(name, seed=3), lenet5(variant, seed=3)
        assert preset.get_config() == reference.get_config()
        for a, b in zip(preset.get_weights(), reference.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", sorted(PRESETS))
@pytest.mark.parametrize("shape, classes", [((28, 28, 1), 10), ((32, 32, 3), 2)])
def test_every_preset_builds_for_grey_and_colour_inputs(name, shape, classes):
    model = build_preset(name, shape, classes, seed=1, dropout=0.25)
    assert model.input_shape == shape and model.output_shape == (classes,)
    x = np.random.default_rng(0).uniform(0, 1, (3, *shape)).astype(np.float32)
    assert model.forward(x, training=True).shape == (3, classes)


def test_two_3x3_sees_what_one_5x5_sees_with_fewer_weights():
    """Same receptive field through the conv part, about half the weights of the 5x5."""
    one, two = one_5x5(), two_3x3()

    def conv_layers(model):
        return [layer for layer in model.layers if isinstance(layer, Conv2D)]

    def field(model):
        rows = 1  # a window's height through stacked stride-1 convs (after the shared stem)
        for layer in conv_layers(model)[1:]:
            rows += layer.kernel_size[0] - 1
        return rows

    assert field(one) == field(two) == 5
    weights_one = sum(layer.count_params() for layer in conv_layers(one)[1:])
    weights_two = sum(layer.count_params() for layer in conv_layers(two)[1:])
    assert weights_one == conv(5, 16, 32) and weights_two == conv(3, 16, 16) + conv(3, 16, 32)
    assert weights_two < 0.6 * weights_one


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="small-vgg"):
        build_preset("resnet")


def test_presets_with_the_same_seed_are_identical():
    a, b = build_preset("small-vgg", seed=5), build_preset("small-vgg", seed=5)
    for x, y in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(x, y)

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.core.imaging.filtering import correlate2d
from convviz.core.imaging.image_io import to_luminance
from convviz.core.imaging.inspection import (
    ChainSettings,
    InspectionError,
    NamedKernel,
    Pooling,
    SourceImage,
    apply_chain,
    chain_geometries,
    histogram,
    inspect,
)
from convviz.core.kernel_bank import bank_kernel
from convviz.core.nn import ops

RNG = np.random.default_rng(0)
PIXELS = RNG.random((23, 31, 3), dtype=np.float32)
SOBEL_X = NamedKernel("Sobel x", bank_kernel("Sobel x").weights)
LAPLACIAN = NamedKernel("Laplacian", bank_kernel("Laplacian").weights)


def test_source_image_splits_colour_and_gray():
    image = SourceImage.from_pixels(PIXELS)
    assert [name for name, _ in image.channels] == ["R", "G", "B"]
    for c, (_, plane) in enumerate(image.channels):
        assert plane.flags.c_contiguous and np.array_equal(plane, PIXELS[:, :, c])
    np.testing.assert_array_equal(image.luminance, to_luminance(PIXELS))
    assert image.values_at(2, 5) == pytest.approx(
        {"R": PIXELS[2, 5, 0], "G": PIXELS[2, 5, 1], "B": PIXELS[2, 5, 2],
         "luminance": image.luminance[2, 5]})
    gray = SourceImage.from_pixels(PIXELS[:, :, :1])
    assert gray.planes("channels") == (("gray", gray.luminance),)
    assert list(gray.values_at(0, 0)) == ["gray"]


@pytest.mark.parametrize("strides", [1, 2, (1, 3)])
@pytest.mark.parametrize("padding", ["same", "valid", 2, ((0, 3), (1, 0))])
@pytest.mark.parametrize("dilation", [1, 2])
@pytest.mark.parametrize("pad_mode", ["zero", "reflect", "replicate"])
def test_a_bare_convolution_is_correlate2d(strides, padding, dilation, pad_mode):
    plane = PIXELS[:, :, 1]
    chain = ChainSettings(strides=strides, padding=padding, dilation_rate=dilation,
                          pad_mode=pad_mode)
    ours = apply_chain(plane, SOBEL_X.weights, chain)
    expected = correlate2d(plane, SOBEL_X.weights, strides=strides, padding=padding,
                           dilation_rate=dilation, pad_mode=pad_mode)
    assert ours.dtype == np.float32 and ours.flags.c_contiguous
    np.testing.assert_array_equal(ours, expected)


@pytest.mark.parametrize("activation", ["linear", "relu", "tanh", "leaky_relu"])
@pytest.mark.parametrize("padding", ["same", "valid", 1])
@pytest.mark.parametrize("strides", [1, 2])
def test_with_zero_padding_the_chain_is_the_networks_conv2d(activation, padding, strides):
    plane = to_luminance(PIXELS)
    kernel = RNG.standard_normal((3, 5)).astype(np.float32)
    ours = apply_chain(plane, kernel, ChainSettings(strides=strides, padding=padding,
                                                    activation=activation))
    expected = ops.conv2d(plane[None, :, :, None], kernel[:, :, None, None], strides=strides,
                          padding=padding, activation=activation)
    np.testing.assert_allclose(ours, expected[0, :, :, 0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid"])
@pytest.mark.parametrize("size, strides", [((2, 2), None), ((3, 3), (2, 2)), ((2, 3), (1, 2))])
def test_conv_activation_pool_in_the_order_a_network_runs_them(mode, activation, size, strides):
    plane = to_luminance(PIXELS)
    pooling = Pooling(size, strides, mode)
    ours = apply_chain(plane, LAPLACIAN.weights, ChainSettings(activation=activation,
                                                               pooling=pooling))
    conv = ops.activate(correlate2d(plane, LAPLACIAN.weights), activation)
    expected = ops.pool2d(conv[None, :, :, None], size, strides, mode=mode)[0, :, :, 0]
    np.testing.assert_array_equal(ours, expected)  # also where relu runs after max pooling
    network = ops.conv2d(plane[None, :, :, None], LAPLACIAN.weights[:, :, None, None],
                         padding="same", activation=activation)
    network = ops.pool2d(network, size, strides, mode=mode)[0, :, :, 0]
    np.testing.assert_allclose(ours, network, rtol=1e-5, atol=1e-6)


def test_inspect_makes_a_map_per_kernel_and_channel_in_order():
    image = SourceImage.from_pixels(PIXELS)
    chain = ChainSettings(channels="channels", activation="relu", pooling=Pooling())
    result = inspect(image, [SOBEL_X, LAPLACIAN], chain)
    assert result.channels == ("R", "G", "B") and result.input_hw == (23, 31)
    assert [m.title for m in result.maps] == [
        "Sobel x · R", "Sobel x · G", "Sobel x · B", "Laplacian · R", "Laplacian · G",
        "Laplacian · B"]
    for feature_map in result.maps:
        plane = dict(image.channels)[feature_map.channel]
        kernel = SOBEL_X if feature_map.kernel_name == "Sobel x" else LAPLACIAN
        np.testing.assert_array_equal(feature_map.values,
                                      apply_chain(plane, kernel.weights, chain))
        assert feature_map.shape == (11, 15) and not feature_map.signed
        assert feature_map.minimum == feature_map.values.min() >= 0
        assert feature_map.maximum == feature_map.values.max()
    luminance = inspect(image, [SOBEL_X], ChainSettings())
    assert [m.title for m in luminance.maps] == ["Sobel x"] and luminance.maps[0].signed
    np.testing.assert_array_equal(luminance.maps[0].values,
                                  correlate2d(image.luminance, SOBEL_X.weights))


def test_kernels_of_different_sizes_give_maps_of_different_sizes():
    image = SourceImage.from_pixels(PIXELS)
    big = NamedKernel("Gaussian blur 5x5", bank_kernel("Gaussian blur 5x5").weights)
    result = inspect(image, [SOBEL_X, big], ChainSettings(padding="valid"))
    assert [m.shape for m in result.maps] == [(21, 29), (19, 27)]
    assert [m.origin for m in result.maps] == [(1.0, 1.0), (2.0, 2.0)]


@settings(max_examples=150, deadline=None)
@given(kernel=st.integers(1, 5), stride=st.integers(1, 3), dilation=st.integers(1, 3),
       padding=st.sampled_from(["same", "valid", 0, 1, 3]),
       pool=st.sampled_from([None, (2, 2, None), (3, 3, 2), (2, 2, 1)]),
       data=st.data())
def test_each_cell_is_drawn_centred_on_its_receptive_field(kernel, stride, dilation, padding,
                                                          pool, data):
    pooling = None if pool is None else Pooling(pool[:2], None if pool[2] is None else
                                                (pool[2], pool[2]))
    chain = ChainSettings(strides=stride, padding=padding, dilation_rate=dilation,
                          pooling=pooling)
    try:
        geometries = chain_geometries((20, 24), (kernel, kernel), chain)
    except InspectionError:
        return
    plane = np.zeros((20, 24), np.float32)
    feature_map = inspect(SourceImage.from_pixels(plane[:, :, None]),
                          [NamedKernel("k", np.ones((kernel, kernel)))], chain).maps[0]
    assert feature_map.geometries == geometries
    assert feature_map.shape == geometries[-1].output_hw
    i = data.draw(st.integers(0, feature_map.shape[0] - 1))
    j = data.draw(st.integers(0, feature_map.shape[1] - 1))
    (top, bottom), (left, right) = feature_map.receptive_field(i, j)
    (origin_y, origin_x), (step_h, step_w) = feature_map.origin, feature_map.cell_step
    # the block drawn for cell (i, j) is centred on the middle of the pixels it reads
    assert origin_y + (i + 0.5) * step_h == pytest.approx((top + bottom + 1) / 2)
    assert origin_x + (j + 0.5) * step_w == pytest.approx((left + right + 1) / 2)
    assert feature_map.cell_at(origin_y + (i + 0.5) * step_h,
                               origin_x + (j + 0.5) * step_w) == (i, j)
    assert feature_map.cell_at(origin_y - 0.01, origin_x) is None
    assert feature_map.cell_at(origin_y, origin_x + feature_map.shape[1] * step_w) is None


def test_cell_step_and_origin_for_stride_and_pooling():
    image = SourceImage.from_pixels(PIXELS)
    result = inspect(image, [SOBEL_X], ChainSettings(strides=2, pooling=Pooling()))
    feature_map = result.maps[0]
    assert feature_map.cell_step == (4, 4)
    assert feature_map.receptive_field(0, 0) == ((-1, 3), (-1, 3))  # 'same' pads 1 on top
    assert feature_map.origin == (-0.5, -0.5)
    assert feature_map.cell_at(10.0, 3.0) == (2, 0)


def test_histogram_shares_and_range():
    values = RNG.standard_normal((40, 50)).astype(np.float32)
    result = histogram(values, float(values.min()), float(values.max()), bins=64)
    assert result.sample_step == 1 and result.fractions.sum() == pytest.approx(1)
    assert result.edges[0] == values.min() and result.edges[-1] == pytest.approx(values.max())
    fractions, edges = result.rebinned(16)
    assert fractions.sum() == pytest.approx(1) and len(edges) == 17
    sampled = histogram(values, float(values.min()), float(values.max()), bins=64, sample=500)
    assert sampled.sample_step == 2 and sampled.fractions.sum() == pytest.approx(1)
    flat = histogram(np.full((3, 3), 2.0, np.float32), 2.0, 2.0, bins=8)
    assert flat.fractions.sum() == pytest.approx(1) and flat.edges[0] < 2 < flat.edges[-1]


def test_display_levels_are_symmetric_for_signed_maps_and_can_clip_outliers():
    plane = np.zeros((40, 40), np.float32)
    plane[:, 20:] = 0.5
    plane[3, 3] = 40.0  # one hot pixel
    image = SourceImage.from_pixels(plane[:, :, None])
    edges = inspect(image, [SOBEL_X], ChainSettings()).maps[0]
    assert edges.signed
    low, high = edges.display_levels()
    assert low == -high and high == pytest.approx(max(abs(edges.minimum), edges.maximum))
    clipped = edges.display_levels(0.01)
    assert clipped[0] == -clipped[1] and clipped[1] < high / 5
    blur = inspect(image, [NamedKernel("blur", bank_kernel("Box blur 3x3").weights)],
                   ChainSettings()).maps[0]
    assert not blur.signed and blur.display_levels() == (0.0, pytest.approx(blur.maximum))
    zeros = inspect(SourceImage.from_pixels(np.zeros((5, 5, 1), np.float32)), [SOBEL_X],
                    ChainSettings()).maps[0]
    assert zeros.display_levels(0.005) == (0.0, 1e-6)


def test_settings_that_do_not_fit_are_explained():
    image = SourceImage.from_pixels(PIXELS)
    big = NamedKernel("big", np.ones((25, 3)))
    with pytest.raises(InspectionError, match="convolution cannot run.*larger than the padded"):
        inspect(image, [big], ChainSettings(padding="valid"))
    with pytest.raises(InspectionError, match="pooling cannot run on the 23x31"):
        inspect(image, [SOBEL_X], ChainSettings(pooling=Pooling((24, 2))))
    with pytest.raises(InspectionError, match="6 maps needing 20.0 kB of memory, more than the "
                                              "11.4 kB allowed: use luminance"):
        inspect(image, [SOBEL_X, LAPLACIAN], ChainSettings(channels="channels"),
                max_bytes=4 * 23 * 31 * 4)
    for wrong, message in [(ChainSettings(channels="red"), "channels must be one of"),
                           (ChainSettings(pad_mode="wrap"), "padding mode must be one of"),
                           (ChainSettings(activation="softmax"), "softmax is an output"),
                           (ChainSettings(activation="swish"), "unknown activation"),
                           (ChainSettings(pooling=Pooling(mode="min")), "pooling must be one")]:
        with pytest.raises(ValueError, match=message):
            inspect(image, [SOBEL_X], wrong)


def test_overflowing_kernels_are_explained():
    image = SourceImage.from_pixels(PIXELS)
    huge = NamedKernel("huge", np.full((3, 3), 3e38, np.float32))
    with pytest.raises(InspectionError, match="'huge' map overflowed"):
        inspect(image, [huge], ChainSettings())


def test_named_kernels_are_checked_and_frozen():
    kernel = NamedKernel("C1 #0", np.ones((5, 5, 1), np.float64))
    assert kernel.weights.shape == (5, 5) and kernel.weights.dtype == np.float32
    assert not kernel.weights.flags.writeable
    for bad in (np.ones(3), np.ones((0, 3)), np.ones((3, 3, 2))):
        with pytest.raises(InspectionError, match="must be a 2-D"):
            NamedKernel("bad", bad)
    with pytest.raises(InspectionError, match="not a number"):
        NamedKernel("nan", np.array([[np.nan]]))

"""The special cases inside the fast kernels, against the textbook formula.

The convolution kernels stack a chunk of images side by side, cut the positions into tiles
(several whole rows, or blocks of images within one row, depending on the size), compute
strided outputs at every position and drop the rest, and hand whole-image windows and Dense
layers to matrix kernels. These tests aim at each of those paths: batch sizes that split
unevenly over threads, tiles that end mid-batch, strides, dilations, asymmetric padding.
The reference is z[n,i,j,k] = b[k] + sum_{u,v,k'} xpad[n, i*sh + u*dh, j*sw + v*dw, k'] w[u,v,k',k],
vectorised over n, i, j only (the tap loops stay explicit), in float64.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.core.nn import _kernels as kernels
from convviz.core.nn import layers, ops, parallel
from convviz.core.nn.geometry import window_geometry

ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid", "leaky_relu", "elu", "softplus")


def reference_activation(z, name):
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.2 * z)
    if name == "elu":
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
    if name == "softplus":
        return np.logaddexp(0, z)
    return z


def reference_slope(z, name):
    eps = 1e-6
    return (reference_activation(z + eps, name) - reference_activation(z - eps, name)) / (2 * eps)


def _tap_windows(geometry):
    """For each tap (u, v): the slices of the padded input that tap reads for every output."""
    (out_h, out_w), (sh, sw), (dh, dw) = geometry.output_hw, geometry.strides, geometry.dilation
    for u in range(geometry.kernel_hw[0]):
        for v in range(geometry.kernel_hw[1]):
            yield u, v, (slice(None), slice(u * dh, u * dh + sh * (out_h - 1) + 1, sh),
                         slice(v * dw, v * dw + sw * (out_w - 1) + 1, sw))


def _padded(x, geometry):
    (top, bottom), (left, right) = geometry.padding
    return np.pad(x.astype(np.float64), ((0, 0), (top, bottom), (left, right), (0, 0)))


def reference_forward(x, kernel, bias, geometry):
    """Pre-activation z from the textbook formula."""
    xp = _padded(x, geometry)
    z = np.zeros((x.shape[0], *geometry.output_hw, kernel.shape[3])) + bias
    for u, v, window in _tap_windows(geometry):
        z += xp[window] @ kernel[u, v].astype(np.float64)
    return z


def reference_backward(x, kernel, dz, geometry):
    """(dx, dkernel, dbias) for dL/dz, by differentiating the formula term by term."""
    xp = _padded(x, geometry)
    dxp = np.zeros_like(xp)
    dkernel = np.zeros(kernel.shape)
    for u, v, window in _tap_windows(geometry):
        dkernel[u, v] = np.einsum("nijc,nijk->ck", xp[window], dz)
        dxp[window] += dz @ kernel[u, v].T.astype(np.float64)
    (top, _), (left, _) = geometry.padding
    dx = dxp[:, top:top + x.shape[1], left:left + x.shape[2]]
    return dx, dkernel, dz.sum(axis=(0, 1, 2))


def check_conv(x, kernel, bias, geometry, activation, rng, tol=2e-5):
    y = ops._conv2d_forward(x, kernel, bias, geometry, activation)
    z = reference_forward(x, kernel, bias, geometry)
    expected = reference_activation(z, activation)
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(y, expected, rtol=tol, atol=tol * scale)
    dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
    dx, dkernel, dbias = ops._conv2d_backward(x, kernel, y, dy, geometry, activation)
    dz = dy * reference_slope(z, activation)
    ref_dx, ref_dkernel, ref_dbias = reference_backward(x, kernel, dz, geometry)
    for actual, wanted in ((dx, ref_dx), (dkernel, ref_dkernel), (dbias, ref_dbias)):
        scale = max(1.0, float(np.abs(wanted).max()))
        np.testing.assert_allclose(actual, wanted, rtol=1e-4, atol=1e-4 * scale)


def random_conv(rng, batch, input_hw, channels, filters, kernel_hw, strides=1, padding="valid",
                dilation=1):
    x = rng.uniform(-1, 1, (batch, *input_hw, channels)).astype(np.float32)
    fan_in = kernel_hw[0] * kernel_hw[1] * channels
    kernel = (rng.uniform(-1, 1, (*kernel_hw, channels, filters)) / np.sqrt(fan_in)).astype(
        np.float32)
    bias = rng.uniform(-0.5, 0.5, filters).astype(np.float32)
    geometry = window_geometry(input_hw, kernel_hw, strides, padding, dilation)
    return x, kernel, bias, geometry


@pytest.mark.parametrize("batch", [1, 2, 3, 7, 64, 129])
@pytest.mark.parametrize("variant", ["C1", "C3"])
def test_lenet_shaped_convolutions_for_many_batch_sizes(batch, variant):
    """LeNet's C1 and C3 at batch sizes that split unevenly over threads and tiles."""
    rng = np.random.default_rng(batch)
    if variant == "C1":
        case = random_conv(rng, batch, (28, 28), 1, 6, (5, 5), padding="same")
    else:
        case = random_conv(rng, batch, (14, 14), 6, 16, (5, 5))
    check_conv(*case, "tanh", rng)


def test_tiles_made_of_image_blocks_within_one_row():
    """Rows too wide for the cache budget: tiles are blocks of images, the last one partial."""
    rng = np.random.default_rng(1)
    x, kernel, bias, geometry = random_conv(rng, 9, (7, 130), 16, 3, (5, 5),
                                            padding=((2, 1), (0, 3)))
    padded_w = geometry.padded_hw[1]
    for count in (4, 5):  # images per chunk with 2 threads
        rows, images = kernels._tiling(count, padded_w, count * padded_w, 7, True, 16, 4, 16 * 5,
                                       3)
        assert rows == 1 and 1 < images < count and count % images
    check_conv(x, kernel, bias, geometry, "relu", rng)


def test_wide_outputs_of_a_thin_layer_take_smaller_row_tiles():
    """A 1 -> 64 channel layer: its source rows would fit in one tile, its NHWC output would
    not (every pass over a pair of channels rewrites it), so tiles hold fewer rows, the last
    one partial; forward and gradients still match the formula."""
    rng = np.random.default_rng(7)
    x, kernel, bias, geometry = random_conv(rng, 6, (28, 28), 1, 64, (3, 3),
                                            padding=((1, 1), (1, 1)))
    padded_w = geometry.padded_hw[1]
    pitch = 3 * padded_w  # 3 images per chunk with 2 threads
    assert kernels._tiling(3, padded_w, pitch, 28, True, 1, 2, 3, 0) == (28, 3)
    rows, images = kernels._tiling(3, padded_w, pitch, 28, True, 1, 2, 3, 64)
    assert 1 < rows < 28 and 28 % rows and images == 3
    check_conv(x, kernel, bias, geometry, "tanh", rng)  # smooth: no ReLU kink at z = 0


def test_one_large_image_takes_row_tiles():
    rng = np.random.default_rng(2)
    check_conv(*random_conv(rng, 1, (90, 130), 2, 3, (3, 3), padding="same"), "linear", rng)


@pytest.mark.parametrize("strides", [(2, 2), (3, 1), (1, 2)])
@pytest.mark.parametrize("batch", [1, 5])
def test_strided_outputs_are_picked_from_the_full_positions(strides, batch):
    rng = np.random.default_rng(3)
    check_conv(*random_conv(rng, batch, (11, 12), 3, 4, (3, 2), strides, "same"), "elu", rng)


@settings(deadline=None, max_examples=60)
@given(
    batch=st.sampled_from([1, 2, 3, 5]),
    size=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    kernel_hw=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    pads=st.tuples(st.tuples(st.integers(0, 3), st.integers(0, 3)),
                   st.tuples(st.integers(0, 3), st.integers(0, 3))),
    channels=st.tuples(st.integers(1, 5), st.integers(1, 6)),
    activation=st.sampled_from(ACTIVATIONS),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_settings_match_the_formula(batch, size, kernel_hw, strides, dilation, pads,
                                           channels, activation, seed):
    """Any stride, dilation and asymmetric padding, including dense-like windows."""
    spans = [dilation[a] * (kernel_hw[a] - 1) + 1 for a in range(2)]
    input_hw = tuple(max(size[a], spans[a] - sum(pads[a])) for a in range(2))
    rng = np.random.default_rng(seed)
    case = random_conv(rng, batch, input_hw, *channels, kernel_hw, strides, pads, dilation)
    check_conv(*case, activation, rng)


@pytest.mark.parametrize("in_channels, out_channels", [(32, 64), (16, 7), (3, 1)])
def test_wide_layers_run_channels_in_pairs(in_channels, out_channels):
    """The forward pass and the weight gradient run output channels in pairs, the input
    gradient input channels (the odd one alone), with taps four at a time (3x3x3 = 27 leaves
    a tail of three): each combination against the formula."""
    rng = np.random.default_rng(in_channels * 100 + out_channels)
    case = random_conv(rng, 3, (8, 8), in_channels, out_channels, (3, 3), (1, 1),
                       ((1, 1), (1, 1)))
    check_conv(*case, "relu", rng)


def test_serial_and_parallel_kernels_give_each_image_the_same_result():
    rng = np.random.default_rng(4)
    x, kernel, bias, geometry = random_conv(rng, 5, (14, 14), 6, 16, (5, 5))
    y = ops._conv2d_forward(x, kernel, bias, geometry, "tanh")
    for n in range(5):
        alone = ops._conv2d_forward(x[n:n + 1], kernel, bias, geometry, "tanh")
        np.testing.assert_allclose(alone[0], y[n], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("batch", [1, 3, 64])
@pytest.mark.parametrize("activation", ["linear", "relu", "tanh", "softplus"])
@pytest.mark.parametrize("need_dx", [True, False])
def test_dense_kernels_match_matrix_products(batch, activation, need_dx):
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (batch, 37)).astype(np.float32)
    kernel = rng.uniform(-0.3, 0.3, (37, 11)).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, 11).astype(np.float32)
    z = x.astype(np.float64) @ kernel + bias
    y = ops._dense_forward(x, kernel, bias, activation)
    np.testing.assert_allclose(y, reference_activation(z, activation), rtol=1e-5, atol=1e-5)
    dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
    dx, dkernel, dbias = ops._dense_backward(x, kernel, y, dy, activation, need_dx)
    dz = dy * reference_slope(z, activation)
    np.testing.assert_allclose(dkernel, x.T.astype(np.float64) @ dz, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(dbias, dz.sum(axis=0), rtol=1e-4, atol=1e-4)
    if need_dx:
        np.testing.assert_allclose(dx, dz @ kernel.T, rtol=1e-4, atol=1e-4)
    else:
        assert dx is None


def test_dense_layer_gradients_match_finite_differences():
    """The Dense layer now runs on the fused kernels; check it end to end in float64 terms."""
    rng = np.random.default_rng(6)
    layer = layers.Dense(5, activation="tanh")
    layer.build((7,), rng)
    x = rng.uniform(-1, 1, (3, 7)).astype(np.float32)
    dy = rng.uniform(-1, 1, (3, 5)).astype(np.float32)
    layer.forward(x, training=True)
    dx = layer.backward(dy)
    kernel = layer.params["kernel"]

    def loss():
        return float(np.sum(layer.forward(x).astype(np.float64) * dy))

    for index in [(0, 0), (3, 2), (6, 4)]:
        saved = kernel[index]
        kernel[index] = saved + 1e-2
        up = loss()
        kernel[index] = saved - 1e-2
        down = loss()
        kernel[index] = saved
        assert layer.grads["kernel"][index] == pytest.approx((up - down) / 2e-2, abs=2e-3)
    x64 = x.astype(np.float64)
    np.testing.assert_allclose(
        dx, (dy * (1 - np.tanh(x64 @ kernel + layer.params["bias"]) ** 2)) @ kernel.T,
        rtol=1e-4, atol=1e-5)


def test_softmax_dense_layer_still_normalises_and_backpropagates():
    rng = np.random.default_rng(7)
    layer = layers.Dense(4, activation="softmax")
    layer.build((6,), rng)
    x = rng.uniform(-1, 1, (2, 6)).astype(np.float32)
    y = layer.forward(x, training=True)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)
    dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
    dx = layer.backward(dy)
    dz = y * (dy - np.sum(dy * y, axis=1, keepdims=True))
    np.testing.assert_allclose(dx, dz @ layer.params["kernel"].T, rtol=1e-4, atol=1e-5)


def test_rational_tanh_and_sigmoid_are_accurate_and_keep_nan():
    z = np.concatenate([np.linspace(-20, 20, 40001), [-np.inf, np.inf, 1e-30, -1e-30, 0.0]])
    z = z.astype(np.float32)[None]
    np.testing.assert_allclose(ops.activate(z, "tanh"), np.tanh(z.astype(np.float64)),
                               rtol=0, atol=5e-7)
    np.testing.assert_allclose(ops.activate(z, "sigmoid"),
                               1 / (1 + np.exp(-z.astype(np.float64))), rtol=0, atol=5e-7)
    nan = np.array([[np.nan, 1.0]], np.float32)
    for name in ("tanh", "sigmoid"):
        assert np.isnan(ops.activate(nan, name)[0, 0])
    x, kernel, bias, geometry = random_conv(np.random.default_rng(8), 2, (4, 4), 1, 2, (2, 2))
    x[0, 1, 1, 0] = np.nan
    y = ops._conv2d_forward(x, kernel, bias, geometry, "tanh")
    assert np.isnan(y[0]).any() and not np.isnan(y[1]).any()


def test_run_chunks_runs_every_chunk_once_and_waits_for_all():
    seen = []
    parallel.run_chunks(lambda tag, chunk, chunks: seen.append((tag, chunk, chunks)), 5, "t")
    assert sorted(seen) == [("t", c, 5) for c in range(5)]


def test_run_chunks_reports_a_failing_chunk_after_every_chunk_has_ended():
    finished = []

    def kernel(chunk, chunks):
        if chunk == 0:
            raise ValueError("chunk 0 failed")
        finished.append(chunk)

    with pytest.raises(ValueError, match="chunk 0 failed"):
        parallel.run_chunks(kernel, 3)
    assert sorted(finished) == [1, 2]


@pytest.mark.parametrize("chunks", [2, 3, 7])
def test_any_number_of_chunks_gives_the_one_chunk_result(chunks):
    """Chunks split images, dkernel rows and dx rows unevenly; each writes only its share."""
    rng = np.random.default_rng(9)
    x, kernel, bias, geometry = random_conv(rng, 7, (14, 14), 6, 16, (5, 5))
    plan = ops._conv_plan(geometry)
    code = ops.ACTIVATION_CODES["tanh"]
    dense_kernel = rng.uniform(-0.05, 0.05, (14 * 14 * 6, 16)).astype(np.float32)
    results = {}
    for count in (1, chunks):
        out = np.empty((7, *geometry.output_hw, 16), np.float32)
        parallel.run_chunks(kernels.conv2d_forward, count, x, kernel, bias, plan, code, out,
                            np.empty(0, np.float32))
        dy = np.ones_like(out)
        dx = np.empty_like(x)
        dkernel_parts = np.zeros((count, kernel.size), np.float32)
        dbias_parts = np.zeros((count, 16), np.float32)
        parallel.run_chunks(kernels.conv2d_backward, count, x, kernel, out, dy, plan, code, True,
                            dx, dkernel_parts, dbias_parts, False, np.empty(0, np.float32))
        flat = x.reshape(7, -1)
        dense_out = np.empty((7, 16), np.float32)
        parallel.run_chunks(kernels.dense_forward, count, flat, dense_kernel, bias, code,
                            dense_out)
        dense_dx, dense_dkernel = np.empty_like(flat), np.empty_like(dense_kernel)
        dense_dbias = np.empty(16, np.float32)
        parallel.run_chunks(kernels.dense_backward, count, flat, dense_kernel, dense_out,
                            np.ones_like(dense_out), code, True, dense_dx, dense_dkernel,
                            dense_dbias)
        results[count] = (out, dx, dkernel_parts.sum(axis=0), dbias_parts.sum(axis=0),
                          dense_out, dense_dx, dense_dkernel, dense_dbias)
    for one, many in zip(results[1], results[chunks], strict=True):
        np.testing.assert_allclose(many, one, rtol=1e-5, atol=1e-5)


def test_batches_run_the_machine_code_compiled_for_one_image():
    """Chunked kernels have one signature whatever the batch: no second compile for training."""
    rng = np.random.default_rng(10)
    check_conv(*random_conv(rng, 1, (6, 6), 2, 3, (3, 3), padding="same"), "relu", rng)
    compiled = {kernel: set(kernel.signatures)
                for kernel in (kernels.conv2d_forward, kernels.conv2d_backward)}
    check_conv(*random_conv(rng, 3, (6, 6), 2, 3, (3, 3), padding="same"), "relu", rng)
    for kernel, signatures in compiled.items():
        assert set(kernel.signatures) == signatures


@pytest.mark.parametrize(("batch", "channels", "filters", "strides", "padding", "dilation"), [
    (5, 1, 6, 1, "valid", 1), (4, 3, 5, 2, "same", 1), (7, 2, 3, (2, 1), ((2, 0), (1, 3)), 1),
    (3, 4, 7, 1, "same", 2), (129, 6, 16, 1, "valid", 1)])
def test_reused_scratch_gives_the_results_of_fresh_buffers(batch, channels, filters, strides,
                                                           padding, dilation):
    """Scratch holding garbage (NaN) from before, used twice over: bit-identical results,
    whether the backward pass reuses the forward pass's padded copy of x or makes its own."""
    rng = np.random.default_rng(11)
    x, kernel, bias, geometry = random_conv(rng, batch, (9, 8), channels, filters, (3, 3),
                                            strides, padding, dilation)
    scratch = ops.conv_scratch(x.shape, kernel.shape, geometry)
    scratch[:] = np.nan
    for step in range(2):
        x = x + np.float32(step)
        y = ops._conv2d_forward(x, kernel, bias, geometry, "relu")
        dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
        fresh = ops._conv2d_backward(x, kernel, y, dy, geometry, "relu")
        np.testing.assert_array_equal(
            ops._conv2d_forward(x, kernel, bias, geometry, "relu", scratch), y)
        for stacked in (True, False):  # the forward's padded copy reused, or made again
            reused = ops._conv2d_backward(x, kernel, y, dy, geometry, "relu", scratch=scratch,
                                          stacked=stacked)
            assert np.isnan(scratch).mean() < 0.5  # the kernels did work in it
            for actual, wanted in zip(reused, fresh, strict=True):
                np.testing.assert_array_equal(actual, wanted)


def test_conv2d_keeps_scratch_for_two_training_batch_sizes_and_none_for_inference():
    layer = layers.Conv2D(4, 3, padding="same")
    layer.build((8, 8, 2))
    rng = np.random.default_rng(12)
    layer.forward(rng.random((1, 8, 8, 2), dtype=np.float32))
    assert not layer._scratch
    for batch in (16, 5, 16, 16, 3):
        x = rng.random((batch, 8, 8, 2), dtype=np.float32)
        y = layer.forward(x, training=True)
        dx = layer.backward(np.ones_like(y))
        expected = ops._conv2d_backward(x, layer.params["kernel"], y, np.ones_like(y),
                                        layer.geometry, "linear")
        np.testing.assert_array_equal(dx, expected[0])
    assert list(layer._scratch) == [16, 3]

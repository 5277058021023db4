"""The Numba kernels, through convviz.core.nn.ops, against the plain-loop references in naive.py.

Batches of one image run the serial kernels and larger batches the parallel ones: the
strategies draw both, and a few tests compare the two directly.
"""

import naive
import numpy as np
import pytest
from gradcheck import assert_close
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.core.nn import ops
from convviz.core.nn.geometry import window_geometry

MANY = settings(deadline=None, max_examples=150)
SOME = settings(deadline=None, max_examples=50)

pads = st.integers(0, 2)
paddings = st.one_of(
    st.sampled_from(["valid", "same"]),
    pads,
    st.tuples(pads, pads),
    st.tuples(st.tuples(pads, pads), st.tuples(pads, pads)),
)




def fitting_size(draw, padding, axis: int, kernel: int, dilation: int = 1) -> int:
    """An input size the (dilated) kernel fits in once padded ('same' always fits)."""
    span = dilation * (kernel - 1) + 1
    if padding == "same":
        low = 1
    else:  # explicit padding does not depend on the input size
        low = max(1, span - sum(naive.explicit_padding(padding, None, None)[axis]))
    return draw(st.integers(low, low + 6))


SMALL_BATCHES = st.integers(1, 3)  # 1 runs the serial kernels, 2-3 the parallel ones
ANY_ACTIVATION = st.sampled_from(naive.ACTIVATIONS)
TIES_OR_NOT = st.booleans()


@st.composite
def conv_cases(draw, batch=SMALL_BATCHES, activations=ANY_ACTIVATION):
    """A random valid convolution: arrays, settings and the explicit padding they resolve to."""
    kernel_hw = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(paddings)
    input_hw = tuple(fitting_size(draw, padding, a, kernel_hw[a], dilation[a]) for a in range(2))
    in_channels, out_channels = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.uniform(-1, 1, (draw(batch), *input_hw, in_channels)).astype(np.float32)
    fan_in = kernel_hw[0] * kernel_hw[1] * in_channels
    kernel = (rng.uniform(-1, 1, (*kernel_hw, in_channels, out_channels))
              * 2 / np.sqrt(fan_in)).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, out_channels).astype(np.float32)
    return {
        "x": x, "kernel": kernel, "bias": bias, "strides": strides, "padding": padding,
        "dilation": dilation, "activation": draw(activations), "rng": rng,
        "pads": naive.explicit_padding(padding, input_hw, kernel_hw, strides, dilation),
    }


def reference(case, x=None, kernel=None, bias=None):
    return naive.conv2d(case["x"] if x is None else x, case["kernel"] if kernel is None else kernel,
                        case["bias"] if bias is None else bias, case["strides"], case["pads"],
                        case["dilation"], case["activation"])


def engine_forward_backward(case, dy=None):
    """(y, dx, dkernel, dbias) from ops, with dy random of y's shape unless given."""
    geometry = ops.conv2d_geometry(case["x"].shape, case["kernel"].shape, case["strides"],
                                   case["padding"], case["dilation"])
    y = ops._conv2d_forward(case["x"], case["kernel"], case["bias"], geometry, case["activation"])
    if dy is None:
        dy = case["rng"].uniform(-1, 1, y.shape).astype(np.float32)
    dx, dkernel, dbias = ops._conv2d_backward(case["x"], case["kernel"], y, dy, geometry,
                                             case["activation"])
    return y, dy, dx, dkernel, dbias


# --- convolution forward -------------------------------------------------------------------------

@MANY
@given(conv_cases())
def test_conv2d_forward_matches_the_loop_reference(case):
    y = ops.conv2d(case["x"], case["kernel"], case["bias"], case["strides"], case["padding"],
                   case["dilation"], case["activation"])
    expected = reference(case)
    assert y.dtype == np.float32 and y.flags.c_contiguous
    assert y.shape == expected.shape
    assert_close(y, expected)


@settings(deadline=None, max_examples=30)
@given(conv_cases(batch=st.just(4)))
def test_serial_and_parallel_conv_kernels_agree(case):
    """A batch (parallel kernels) gives each image what it gets alone (serial kernels)."""
    y, dy, _, dkernel, dbias = engine_forward_backward(case)
    single = dict(case)
    dkernel_sum = np.zeros_like(dkernel, dtype=np.float64)
    dbias_sum = np.zeros_like(dbias, dtype=np.float64)
    for n in range(4):
        single["x"] = case["x"][n:n + 1]
        y1, _, _, dkernel1, dbias1 = engine_forward_backward(single, dy[n:n + 1])
        np.testing.assert_allclose(y1[0], y[n], rtol=1e-6, atol=1e-6)
        dkernel_sum += dkernel1
        dbias_sum += dbias1
    assert_close(dkernel, dkernel_sum, 1e-5)
    assert_close(dbias, dbias_sum, 1e-5)


@pytest.mark.parametrize("batch", [1, 5])
@pytest.mark.parametrize("activation", naive.ACTIVATIONS)
def test_whole_image_kernel_path_forward_and_backward(batch, activation):
    """A kernel as large as the unpadded input (LeNet's C5) takes a matrix-product path."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (batch, 5, 5, 3)).astype(np.float32)
    kernel = rng.uniform(-0.2, 0.2, (5, 5, 3, 7)).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, 7).astype(np.float32)
    case = {"x": x, "kernel": kernel, "bias": bias, "strides": (1, 1), "padding": "valid",
            "dilation": (1, 1), "activation": activation, "rng": rng,
            "pads": ((0, 0), (0, 0))}
    y, dy, dx, dkernel, dbias = engine_forward_backward(case)
    assert y.shape == (batch, 1, 1, 7)
    assert_close(y, reference(case))
    expected = naive.conv2d_backward(x, kernel, bias, dy, activation=activation)
    for actual, wanted in zip((dx, dkernel, dbias), expected, strict=True):
        assert_close(actual, wanted, 5e-5)


@pytest.mark.parametrize("batch", [1, 3])
def test_tensorflow_asymmetric_same_padding_in_the_kernels(batch):
    """Width 13, filter 6, stride 5, 'same': 1 pixel of padding left, 2 right, 3 outputs."""
    rng = np.random.default_rng(8)
    x = rng.uniform(-1, 1, (batch, 4, 13, 2)).astype(np.float32)
    kernel = rng.uniform(-0.3, 0.3, (1, 6, 2, 3)).astype(np.float32)
    case = {"x": x, "kernel": kernel, "bias": np.zeros(3, np.float32), "strides": (1, 5),
            "padding": "same", "dilation": (1, 1), "activation": "relu", "rng": rng,
            "pads": ((0, 0), (1, 2))}
    y, dy, dx, dkernel, dbias = engine_forward_backward(case)
    assert y.shape == (batch, 4, 3, 3)
    assert_close(y, reference(case))
    expected = naive.conv2d_backward(x, kernel, case["bias"], dy, (1, 5), case["pads"],
                                     activation="relu")
    for actual, wanted in zip((dx, dkernel, dbias), expected, strict=True):
        assert_close(actual, wanted, 5e-5)


def test_conv2d_accepts_float64_and_non_contiguous_inputs():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (2, 9, 8, 3))[:, ::2, :, :]  # float64, non-contiguous
    kernel = rng.uniform(-1, 1, (2, 3, 3, 2))
    y = ops.conv2d(x, kernel, None, padding="same")
    assert y.dtype == np.float32 and y.shape == (2, 5, 8, 2)
    assert_close(y, naive.conv2d(x.astype(np.float32), kernel.astype(np.float32), np.zeros(2),
                                 pads=naive.explicit_padding("same", (5, 8), (2, 3))))


def test_conv2d_without_bias_is_bias_zero():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (1, 6, 6, 2)).astype(np.float32)
    kernel = rng.uniform(-1, 1, (3, 3, 2, 4)).astype(np.float32)
    np.testing.assert_array_equal(ops.conv2d(x, kernel), ops.conv2d(x, kernel, np.zeros(4)))


@pytest.mark.parametrize("call, message", [
    (lambda: ops.conv2d(np.zeros((5, 5, 1)), np.zeros((3, 3, 1, 1))), "must have 4 axes"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 2)), np.zeros((3, 3, 1, 1))),
     "the input has 2 channels but the kernel expects 1"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1))), "must have 4 axes"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 2)), np.zeros(3)),
     r"bias must have shape \(2,\)"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 2)), activation="softmax"),
     "softmax is an output activation"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 2)), activation="swish"),
     "unknown activation 'swish'"),
    (lambda: ops.conv2d(np.zeros((1, 2, 5, 1)), np.zeros((3, 3, 1, 2))),
     "kernel height 3 is larger than the padded input height 2"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 2)), strides=0),
     "strides must be 1 or more"),
    (lambda: ops.pool2d(np.zeros((1, 4, 4, 1)), mode="median"), "pooling mode must be one of"),
    (lambda: ops.pool2d(np.zeros((4, 4, 1))), "must have 4 axes"),
])
def test_invalid_arguments_raise_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- convolution backward ------------------------------------------------------------------------

@MANY
@given(conv_cases())
def test_conv2d_backward_matches_the_loop_reference(case):
    _, dy, dx, dkernel, dbias = engine_forward_backward(case)
    expected_dx, expected_dkernel, expected_dbias = naive.conv2d_backward(
        case["x"], case["kernel"], case["bias"], dy, case["strides"], case["pads"],
        case["dilation"], case["activation"])
    assert dx.shape == case["x"].shape and dkernel.shape == case["kernel"].shape
    assert_close(dx, expected_dx, 5e-5)
    assert_close(dkernel, expected_dkernel, 5e-5)
    assert_close(dbias, expected_dbias, 5e-5)


@SOME
@given(conv_cases(), st.data())
def test_conv2d_gradients_match_finite_differences(case, data):
    """Engine gradients vs float64 central differences of sum(conv(x) * dy) (naive forward)."""
    _, dy, dx, dkernel, dbias = engine_forward_backward(case)
    x, kernel, bias = (case[k].astype(np.float64) for k in ("x", "kernel", "bias"))

    def loss():
        return float(np.sum(reference(case, x, kernel, bias) * dy))

    for array, analytic in ((x, dx), (kernel, dkernel), (bias, dbias)):
        indices = data.draw(st.lists(st.integers(0, array.size - 1), min_size=1, max_size=3))
        numeric = naive.numerical_gradient(loss, array, indices)
        assert_close(analytic.reshape(-1)[indices], numeric, 1e-4)


def test_conv2d_backward_can_skip_the_input_gradient():
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (3, 6, 6, 2)).astype(np.float32)
    kernel = rng.uniform(-1, 1, (3, 3, 2, 4)).astype(np.float32)
    geometry = window_geometry((6, 6), 3)
    y = ops._conv2d_forward(x, kernel, np.zeros(4, np.float32), geometry, "relu")
    dy = rng.uniform(-1, 1, y.shape).astype(np.float32)
    dx, dkernel, dbias = ops._conv2d_backward(x, kernel, y, dy, geometry, "relu", need_dx=False)
    _, full_dkernel, full_dbias = ops._conv2d_backward(x, kernel, y, dy, geometry, "relu")
    assert dx is None
    np.testing.assert_array_equal(dkernel, full_dkernel)
    np.testing.assert_array_equal(dbias, full_dbias)


# --- activations ---------------------------------------------------------------------------------

EXTREMES = np.array([-1e4, -100, -30, -5, -1, -1e-3, 0, 1e-3, 1, 5, 30, 100, 1e4], np.float32)


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("activation", naive.ACTIVATIONS)
def test_activations_and_their_slopes_match_the_formulas(batch, activation):
    rng = np.random.default_rng(3)
    z = np.concatenate([EXTREMES, rng.uniform(-6, 6, 51).astype(np.float32)])
    z = np.tile(z, (batch, 1))
    y = ops.activate(z, activation)
    assert y.dtype == np.float32 and np.all(np.isfinite(y))
    np.testing.assert_allclose(y, naive.activate(z, activation), rtol=1e-5, atol=1e-6)
    dy = rng.uniform(-1, 1, z.shape).astype(np.float32)
    dz = ops.activation_backward(dy, y, activation)
    expected = dy * naive.activation_derivative(z, activation)
    np.testing.assert_allclose(dz, expected, rtol=1e-4, atol=1e-5)


def test_activate_handles_one_dimensional_input_and_leaves_its_argument_alone():
    z = np.array([-2.0, 0.5, 3.0], np.float32)
    y = ops.activate(z, "relu")
    np.testing.assert_array_equal(y, [0.0, 0.5, 3.0])
    np.testing.assert_array_equal(z, [-2.0, 0.5, 3.0])
    assert ops.check_activation(None) == "linear"
    assert ops.check_activation("ReLU") == "relu"


def test_softmax_is_stable_and_its_backward_is_the_jacobian_product():
    rng = np.random.default_rng(4)
    z = np.vstack([rng.uniform(-3, 3, 6), [1e4, -1e4, 0, 1e4, 5, 1]]).astype(np.float32)
    y = ops.activate(z, "softmax")
    np.testing.assert_allclose(y, naive.softmax(z), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)
    dy = rng.uniform(-1, 1, z.shape)
    dz = ops.activation_backward(dy, y, "softmax")
    for n in range(2):
        s = naive.softmax(z[n])
        jacobian = np.diag(s) - np.outer(s, s)
        np.testing.assert_allclose(dz[n], jacobian.T @ dy[n], rtol=1e-4, atol=1e-6)


# --- pooling -------------------------------------------------------------------------------------

@st.composite
def pool_cases(draw, ties=TIES_OR_NOT):
    pool = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    strides = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = draw(paddings)
    resolved_strides = pool if strides is None else strides
    input_hw = tuple(fitting_size(draw, padding, a, pool[a]) for a in range(2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (draw(st.integers(1, 3)), *input_hw, draw(st.integers(1, 3)))
    if draw(ties):  # few distinct values: ties everywhere, the first in row-major order wins
        x = rng.integers(-2, 2, shape).astype(np.float32)
    else:
        x = rng.permutation(np.arange(np.prod(shape))).reshape(shape).astype(np.float32)
        x = (x - x.mean()) / x.size
    return {"x": x, "pool": pool, "strides": strides, "padding": padding,
            "mode": draw(st.sampled_from(["max", "average"])), "rng": rng,
            "pads": naive.explicit_padding(padding, input_hw, pool, resolved_strides),
            "resolved_strides": resolved_strides}


def pool_engine(case, dy=None):
    geometry = window_geometry(case["x"].shape[1:3], case["pool"], case["resolved_strides"],
                               case["padding"])
    y, argmax = ops._pool2d_forward(case["x"], geometry, case["mode"])
    if dy is None:
        dy = case["rng"].uniform(-1, 1, y.shape).astype(np.float32)
    return y, dy, ops._pool2d_backward(dy, case["x"].shape, geometry, case["mode"], argmax)


@MANY
@given(pool_cases())
def test_pooling_forward_matches_tensorflow_semantics(case):
    y = ops.pool2d(case["x"], case["pool"], case["strides"], case["padding"], case["mode"])
    expected = naive.pool2d(case["x"], case["pool"], case["resolved_strides"], case["pads"],
                            case["mode"])
    assert y.shape == expected.shape
    assert_close(y, expected, 1e-6)


@MANY
@given(pool_cases())
def test_pooling_backward_matches_the_loop_reference(case):
    y, dy, dx = pool_engine(case)
    np.testing.assert_array_equal(y, ops.pool2d(case["x"], case["pool"], case["strides"],
                                                case["padding"], case["mode"]))
    expected = naive.pool2d_backward(case["x"], dy, case["pool"], case["resolved_strides"],
                                     case["pads"], case["mode"])
    assert_close(dx, expected, 1e-5)


@SOME
@given(pool_cases(ties=st.just(False)), st.data())
def test_pooling_gradients_match_finite_differences(case, data):
    _, dy, dx = pool_engine(case)
    x = case["x"].astype(np.float64)

    def loss():
        return float(np.sum(naive.pool2d(x, case["pool"], case["resolved_strides"],
                                          case["pads"], case["mode"]) * dy))

    # distinct values at least 1/size apart: eps = 1e-6 never changes which cell wins
    indices = data.draw(st.lists(st.integers(0, x.size - 1), min_size=1, max_size=4))
    assert_close(dx.reshape(-1)[indices], naive.numerical_gradient(loss, x, indices), 1e-5)


def test_max_pooling_ignores_padding_and_breaks_ties_row_major():
    x = np.full((1, 3, 3, 1), -5.0, np.float32)  # all negative: a zero pad must never win
    x[0, 1, 1, 0] = -1.0
    geometry = window_geometry((3, 3), 2, 2, "same")
    assert geometry.padding == ((0, 1), (0, 1))
    y, argmax = ops._pool2d_forward(x, geometry, "max")
    np.testing.assert_array_equal(y[0, :, :, 0], [[-1.0, -5.0], [-5.0, -5.0]])
    dx = ops._pool2d_backward(np.ones(y.shape, np.float32), x.shape, geometry, "max", argmax)
    # window (0,1) reads (0,2) and (1,2), window (1,0) reads (2,0) and (2,1): ties at -5, and
    # the first cell in row-major order wins
    np.testing.assert_array_equal(dx[0, :, :, 0], [[0, 0, 1], [0, 1, 0], [1, 0, 1]])


def test_average_pooling_divides_by_real_cells_only():
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)
    y = ops.pool2d(x, 2, 2, "same", "average")
    np.testing.assert_allclose(y[0, :, :, 0], [[(0 + 1 + 3 + 4) / 4, (2 + 5) / 2],
                                               [(6 + 7) / 2, 8.0]])

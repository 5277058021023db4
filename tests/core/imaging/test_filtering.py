import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convviz.core.imaging.filtering import correlate2d
from convviz.core.nn.geometry import window_geometry

NUMPY_PAD = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}


def padded_indices(size: int, before: int, after: int, pad_mode: str) -> np.ndarray:
    """Source index of every padded position per numpy.pad; -1 marks a zero (constant) pad."""
    extra = {"constant_values": -1} if pad_mode == "zero" else {}
    return np.pad(np.arange(size), (before, after), NUMPY_PAD[pad_mode], **extra)


def naive_correlate2d(image, kernel, strides, dilation, padding, pad_mode):
    """Textbook loop: y[i,j] = sum_uv x[i*sh + u*dh - pt, j*sw + v*dw - pl] * k[u,v], in float64."""
    (top, bottom), (left, right) = padding
    rows = padded_indices(image.shape[0], top, bottom, pad_mode)
    cols = padded_indices(image.shape[1], left, right, pad_mode)
    (sh, sw), (dh, dw) = strides, dilation
    kh, kw = kernel.shape
    out_h = (len(rows) - dh * (kh - 1) - 1) // sh + 1
    out_w = (len(cols) - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            for u in range(kh):
                for v in range(kw):
                    r, c = rows[i * sh + u * dh], cols[j * sw + v * dw]
                    if r >= 0 and c >= 0:
                        out[i, j] += float(image[r, c]) * float(kernel[u, v])
    return out


def assert_matches_reference(image, kernel, strides=1, padding="same", dilation_rate=1,
                             pad_mode="zero"):
    ours = correlate2d(image, kernel, strides=strides, padding=padding,
                       dilation_rate=dilation_rate, pad_mode=pad_mode)
    geometry = window_geometry(image.shape, kernel.shape, strides, padding, dilation_rate)
    reference = naive_correlate2d(image, kernel, geometry.strides, geometry.dilation,
                                  geometry.padding, pad_mode)
    assert ours.dtype == np.float32 and ours.flags.c_contiguous
    assert ours.shape == reference.shape == geometry.output_hw
    scale = np.abs(kernel).sum() * max(np.abs(image).max(), 1e-30)
    np.testing.assert_allclose(ours, reference, rtol=1e-5, atol=1e-6 * scale)


paddings = st.one_of(
    st.sampled_from(["same", "valid"]),
    st.integers(0, 4),
    st.tuples(st.tuples(st.integers(0, 5), st.integers(0, 5)),
              st.tuples(st.integers(0, 5), st.integers(0, 5))),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    height=st.integers(1, 16), width=st.integers(1, 24),
    kernel_h=st.integers(1, 11), kernel_w=st.integers(1, 11),
    strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    padding=paddings,
    pad_mode=st.sampled_from(["zero", "reflect", "replicate"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_matches_the_textbook_loop(height, width, kernel_h, kernel_w, strides, dilation,
                                   padding, pad_mode, seed):
    try:
        window_geometry((height, width), (kernel_h, kernel_w), strides, padding, dilation)
    except ValueError:
        assume(False)
    rng = np.random.default_rng(seed)
    image = rng.standard_normal((height, width)).astype(np.float32)
    kernel = rng.standard_normal((kernel_h, kernel_w)).astype(np.float32)
    assert_matches_reference(image, kernel, strides, padding, dilation, pad_mode)


@pytest.mark.parametrize("pad_mode", ["zero", "reflect", "replicate"])
@pytest.mark.parametrize(("kernel_hw", "dilation_rate"), [((3, 3), 1), ((7, 7), 1), ((4, 6), 2)])
def test_wide_rows_take_the_vectorised_path_correctly(kernel_hw, dilation_rate, pad_mode):
    rng = np.random.default_rng(7)
    image = rng.random((9, 211), dtype=np.float32)
    kernel = rng.standard_normal(kernel_hw).astype(np.float32)
    assert_matches_reference(image, kernel, 1, "same", dilation_rate, pad_mode)


@pytest.mark.parametrize(("pad_mode", "scipy_mode"),
                         [("zero", "constant"), ("reflect", "mirror"), ("replicate", "nearest")])
def test_agrees_with_scipy_ndimage_correlate(pad_mode, scipy_mode):
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(3)
    image = rng.random((300, 2100), dtype=np.float32)
    kernel = rng.standard_normal((7, 5)).astype(np.float32)
    expected = ndimage.correlate(image.astype(np.float64), kernel.astype(np.float64),
                                 mode=scipy_mode)
    ours = correlate2d(image, kernel, pad_mode=pad_mode)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)


def test_out_buffer_is_filled_and_returned():
    rng = np.random.default_rng(1)
    image = rng.random((40, 50), dtype=np.float32)
    kernel = rng.standard_normal((3, 3)).astype(np.float32)
    out = np.full((20, 25), np.nan, dtype=np.float32)
    result = correlate2d(image, kernel, strides=2, out=out)
    assert result is out
    np.testing.assert_array_equal(out, correlate2d(image, kernel, strides=2))


def test_other_dtypes_and_layouts_are_converted():
    rng = np.random.default_rng(2)
    image = rng.integers(0, 255, (30, 20)).astype(np.uint8)
    kernel = np.arange(9.0).reshape(3, 3)
    expected = correlate2d(image.astype(np.float32), kernel.astype(np.float32))
    strided = np.zeros((30, 40), np.int16)
    strided[:, ::2] = image
    np.testing.assert_allclose(correlate2d(np.asfortranarray(image), kernel), expected)
    np.testing.assert_allclose(correlate2d(strided[:, ::2], kernel), expected)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.zeros((4, 4, 1)), np.ones((3, 3))), {}, "image must be a 2-D"),
        ((np.zeros((4, 4)), np.ones(3)), {}, "kernel must be a 2-D"),
        ((np.zeros((0, 4)), np.ones((3, 3))), {}, "image is empty"),
        ((np.zeros((4, 4), complex), np.ones((3, 3))), {}, "real numbers"),
        ((np.zeros((4, 4)), np.ones((3, 3))), {"pad_mode": "wrap"}, "pad_mode must be one of"),
        ((np.zeros((4, 4)), np.ones((5, 5))), {"padding": "valid"}, "larger than the padded"),
        ((np.zeros((4, 4)), np.ones((3, 3))), {"strides": 0}, "strides must be 1 or more"),
        ((np.zeros((4, 4)), np.ones((3, 3))), {"out": np.zeros((4, 4))}, "float32 array of shape"),
        ((np.zeros((4, 4)), np.ones((3, 3))), {"out": np.zeros((2, 2), np.float32)}, "(4, 4)"),
        ((np.zeros((4, 4)), np.ones((3, 3))), {"out": np.zeros((4, 8), np.float32)[:, ::2]},
         "C-contiguous"),
    ],
)
def test_invalid_arguments_raise_clear_value_errors(args, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        correlate2d(*args, **kwargs)


def test_refuses_to_write_into_its_own_input():
    image = np.zeros((6, 6), np.float32)
    with pytest.raises(ValueError, match="share memory"):
        correlate2d(image, np.ones((3, 3), np.float32), out=image)

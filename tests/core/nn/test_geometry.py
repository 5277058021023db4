"""Sliding-window geometry against the course formula and brute-force enumeration."""

import math

import naive
import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from convviz.core import Conv2D, lenet5
from convviz.core.nn.geometry import receptive_field, resolve_padding, window_geometry

FAST = settings(deadline=None, max_examples=300)

sizes = st.integers(1, 12)
kernels = st.integers(1, 5)
steps = st.integers(1, 4)
dilations = st.integers(1, 3)
pads = st.integers(0, 3)
paddings = st.one_of(
    st.sampled_from(["valid", "same"]),
    pads,
    st.tuples(pads, pads),
    st.tuples(st.tuples(pads, pads), st.tuples(pads, pads)),
)


@st.composite
def settings_2d(draw):
    """(input_hw, kernel_hw, strides, dilation, padding) for a random window."""
    return (
        (draw(sizes), draw(sizes)),
        (draw(kernels), draw(kernels)),
        (draw(steps), draw(steps)),
        (draw(dilations), draw(dilations)),
        draw(paddings),
    )


@st.composite
def valid_geometries(draw):
    setting = draw(settings_2d())
    try:
        return window_geometry(setting[0], setting[1], setting[2], setting[4], setting[3])
    except ValueError:
        reject()


def brute_force_count(padded: int, span: int, stride: int) -> int:
    """How many window positions 0, s, 2s, ... fit entirely inside the padded input."""
    count = 0
    while count * stride + span <= padded:
        count += 1
    return count


# --- output sizes and padding --------------------------------------------------------------------

@FAST
@given(settings_2d())
def test_output_size_matches_formula_and_brute_force(setting):
    input_hw, kernel_hw, strides, dilation, padding = setting
    expected_pads = naive.explicit_padding(padding, input_hw, kernel_hw, strides, dilation)
    spans = [dilation[a] * (kernel_hw[a] - 1) + 1 for a in range(2)]
    padded = [input_hw[a] + sum(expected_pads[a]) for a in range(2)]
    if any(spans[a] > padded[a] for a in range(2)):
        with pytest.raises(ValueError, match="larger than the padded input"):
            window_geometry(input_hw, kernel_hw, strides, padding, dilation)
        return
    geometry = window_geometry(input_hw, kernel_hw, strides, padding, dilation)
    assert geometry.padding == expected_pads
    for axis in range(2):
        formula = naive.output_size(input_hw[axis], kernel_hw[axis], strides[axis],
                                    dilation[axis], *expected_pads[axis])
        assert geometry.output_hw[axis] == formula
        assert formula == brute_force_count(padded[axis], spans[axis], strides[axis])
    assert geometry.padded_hw == tuple(padded)
    assert geometry.effective_kernel_hw == tuple(spans)


@FAST
@given(sizes, kernels, steps, dilations)
def test_same_padding_gives_ceil_n_over_s_outputs_with_the_odd_pixel_after(n, k, s, d):
    geometry = window_geometry((n, n), k, s, "same", d)
    assert geometry.output_hw == (math.ceil(n / s),) * 2
    before, after = geometry.padding[0]
    assert before <= after <= before + 1
    # TensorFlow pads no more than needed: one pixel less and the last window would not fit.
    if before + after:
        assert (geometry.output_hw[0] - 1) * s + d * (k - 1) + 1 == n + before + after


@pytest.mark.parametrize("n, k, s, expected_pads, expected_out", [
    (13, 6, 5, (1, 2), 3),   # the course's asymmetric TensorFlow example
    (28, 5, 1, (2, 2), 28),  # LeNet's C1
    (4, 2, 1, (0, 1), 4),
    (6, 3, 2, (0, 1), 3),
    (5, 3, 2, (1, 1), 3),
    (7, 1, 3, (0, 0), 3),
])
def test_tensorflow_same_padding_examples(n, k, s, expected_pads, expected_out):
    geometry = window_geometry((n, n), k, s, "same")
    assert geometry.padding == (expected_pads, expected_pads)
    assert geometry.output_hw == (expected_out, expected_out)


def test_keras_course_shape_facts():
    assert window_geometry((70, 120), 7).output_hw == (64, 114)
    same = window_geometry((70, 120), 7, padding="same")
    assert same.output_hw == (70, 120)
    assert same.padding == ((3, 3), (3, 3))
    assert window_geometry((70, 120), 7, 2, "same").output_hw == (35, 60)
    layer = Conv2D(32, 7)
    assert layer.build((70, 120, 3)) == (64, 114, 32)
    assert layer.params["kernel"].shape == (7, 7, 3, 32)


@pytest.mark.parametrize("padding, expected", [
    ("valid", ((0, 0), (0, 0))),
    ("VALID", ((0, 0), (0, 0))),
    ("Same", ((1, 1), (1, 1))),
    (2, ((2, 2), (2, 2))),
    ((1, 3), ((1, 1), (3, 3))),
    (((0, 1), (2, 3)), ((0, 1), (2, 3))),
    ([[0, 1], [2, 3]], ((0, 1), (2, 3))),
])
def test_resolve_padding_accepts_every_keras_form(padding, expected):
    assert resolve_padding(padding, (5, 5), (3, 3)) == expected


def test_numpy_integers_are_accepted_like_python_integers():
    geometry = window_geometry((np.int64(9), np.int32(9)), np.int64(3), np.int64(2),
                               np.int64(1), np.int64(1))
    assert geometry == window_geometry((9, 9), 3, 2, 1, 1)


# --- which pixels a window reads -----------------------------------------------------------------

@FAST
@given(valid_geometries())
def test_window_taps_follow_the_formula(geometry):
    (top, _), (left, _) = geometry.padding
    for i in range(geometry.output_hw[0]):
        for j in range(geometry.output_hw[1]):
            rows, cols = geometry.window_taps(i, j)
            assert rows == [i * geometry.strides[0] - top + u * geometry.dilation[0]
                            for u in range(geometry.kernel_hw[0])]
            assert cols == [j * geometry.strides[1] - left + v * geometry.dilation[1]
                            for v in range(geometry.kernel_hw[1])]
            assert geometry.window_origin(i, j) == (rows[0], cols[0])


@FAST
@given(valid_geometries())
def test_cells_reading_is_the_inverse_of_the_windows(geometry):
    readers: dict[tuple[int, int], list[tuple[int, int]]] = {}
    (top, _), (left, _) = geometry.padding
    for i in range(geometry.output_hw[0]):
        for j in range(geometry.output_hw[1]):
            for u in range(geometry.kernel_hw[0]):
                for v in range(geometry.kernel_hw[1]):
                    pixel = (i * geometry.strides[0] + u * geometry.dilation[0] - top,
                             j * geometry.strides[1] + v * geometry.dilation[1] - left)
                    cells = readers.setdefault(pixel, [])
                    if (i, j) not in cells:
                        cells.append((i, j))
    for y in range(geometry.input_hw[0]):
        for x in range(geometry.input_hw[1]):
            assert geometry.cells_reading(y, x) == sorted(readers.get((y, x), []))


@FAST
@given(st.lists(settings_2d(), min_size=1, max_size=3), st.data())
def test_receptive_field_of_a_chain_is_the_bounding_box_of_all_taps(chain, data):
    geometries, shape = [], (24, 24)
    for _, kernel_hw, strides, dilation, padding in chain:
        try:
            geometry = window_geometry(shape, kernel_hw, strides, padding, dilation)
        except ValueError:
            break
        geometries.append(geometry)
        shape = geometry.output_hw
    if not geometries:
        return
    i = data.draw(st.integers(0, shape[0] - 1))
    j = data.draw(st.integers(0, shape[1] - 1))
    pixels = {(i, j)}
    for geometry in reversed(geometries):
        (top, _), (left, _) = geometry.padding
        # positions in the previous layer, including padding positions (read as zeros)
        pixels = {(a * geometry.strides[0] + u * geometry.dilation[0] - top,
                   b * geometry.strides[1] + v * geometry.dilation[1] - left)
                  for a, b in pixels
                  for u in range(geometry.kernel_hw[0]) for v in range(geometry.kernel_hw[1])}
    rows = sorted(p[0] for p in pixels)
    cols = sorted(p[1] for p in pixels)
    assert receptive_field(geometries, i, j) == ((rows[0], rows[-1]), (cols[0], cols[-1]))


def test_receptive_field_of_an_empty_chain_is_the_cell_itself():
    assert receptive_field([], 3, 4) == ((3, 3), (4, 4))


LENET_FIELDS = [  # layer index, output cell, expected inclusive (rows, cols) on the input
    (0, (0, 0), ((-2, 2), (-2, 2))),          # C1: 5x5
    (1, (3, 4), ((4, 9), (6, 11))),           # S2: 6x6
    (2, (0, 0), ((-2, 11), (-2, 11))),        # C3: 14x14
    (3, (0, 0), ((-2, 13), (-2, 13))),        # S4: 16x16
    (3, (2, 3), ((6, 21), (10, 25))),
    (4, (0, 0), ((-2, 29), (-2, 29))),        # C5 sees the whole 32x32 padded image
]


@pytest.mark.parametrize("layer, cell, expected", LENET_FIELDS)
def test_lenet_receptive_fields(layer, cell, expected):
    geometries = [each.geometry for each in lenet5("classic").layers[:layer + 1]]
    (top, bottom), (left, right) = receptive_field(geometries, *cell)
    assert ((top, bottom), (left, right)) == expected
    if layer == 3:
        assert (bottom - top + 1, right - left + 1) == (16, 16)


@pytest.mark.parametrize("cell", [(0, 0), (2, 3), (4, 4)])
def test_lenet_s4_receptive_field_by_perturbing_input_pixels(cell):
    """Change one input pixel at a time: exactly the pixels in the receptive field move S4."""
    model = lenet5("classic", seed=3)
    rng = np.random.default_rng(4)
    # small positive kernels: no cancellation, and tanh far from saturation
    for layer, low in ((model.layers[0], 0.02), (model.layers[2], 0.005)):
        layer.set_weights([rng.uniform(low, 3 * low, layer.params["kernel"].shape),
                           rng.uniform(-0.1, 0.1, layer.params["bias"].shape)])
    base = rng.uniform(0, 1, (28, 28)).astype(np.float32)
    batch = np.repeat(base[None, :, :, None], 28 * 28 + 1, axis=0)
    for index in range(28 * 28):
        batch[index + 1, index // 28, index % 28, 0] += 1.0
    s4 = batch
    for layer in model.layers[:4]:
        s4 = layer.forward(s4)
    changed = (s4[1:, cell[0], cell[1], :] != s4[0, cell[0], cell[1], :]).any(axis=1)
    changed = changed.reshape(28, 28)
    geometries = [layer.geometry for layer in model.layers[:4]]
    (top, bottom), (left, right) = receptive_field(geometries, *cell)
    expected = np.zeros((28, 28), bool)
    expected[max(top, 0):bottom + 1, max(left, 0):right + 1] = True
    np.testing.assert_array_equal(changed, expected)


# --- invalid settings ----------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (((5, 5), 6), "kernel height 6 is larger than the padded input height 5"),
    (((5, 9), (3, 10)), "kernel width 10 is larger than the padded input width 9"),
    (((5, 5), 3, 1, "valid", 3), r"dilated to 7\) is larger than the padded input"),
    (((5, 5), 3, 0), "strides must be 1 or more"),
    (((5, 5), 3, (1, -2)), "strides must be 1 or more"),
    (((5, 5), 3, 1, -1), "padding cannot be negative"),
    (((5, 5), 3, 1, ((0, 0), (1, -1))), "padding cannot be negative"),
    (((5, 5), 3, 1, "valid", 0), "dilation_rate must be 1 or more"),
    (((5, 5), 3, 1, "full"), "padding must be 'valid', 'same'"),
    (((5, 5), 3, 1, "sane"), "padding must be 'valid', 'same'"),
    (((5, 5), 3, 1, None), "padding must be"),
    (((5, 5), 3, 1, 1.5), "padding must be"),
    (((5, 5), 3, 1, (1, 2, 3)), "padding must be"),
    (((5, 5), 0), "kernel must be at least 1x1"),
    (((5, 5), 2.5), "kernel_size must be an integer or a pair of integers"),
    (((5, 5), "3"), "kernel_size must be an integer or a pair of integers"),
    (((5, 5), True), "kernel_size must be an integer"),
    (((5, 5), (3, 3, 3)), "kernel_size must be an integer or a pair"),
    (((0, 5), 1), "input must be at least 1x1"),
])
def test_invalid_settings_raise_readable_value_errors(args, message):
    with pytest.raises(ValueError, match=message):
        window_geometry(*args)


def test_positions_outside_the_image_or_output_are_rejected():
    geometry = window_geometry((5, 5), 3)
    with pytest.raises(ValueError, match=r"pixel \(5, 0\) is outside the 5x5 input"):
        geometry.cells_reading(5, 0)
    with pytest.raises(ValueError, match=r"pixel \(0, -1\) is outside"):
        geometry.cells_reading(0, -1)
    with pytest.raises(ValueError, match=r"output cell \(3, 0\) is outside the 3x3 output"):
        geometry.window_taps(3, 0)
    with pytest.raises(ValueError, match="outside the 3x3 output"):
        receptive_field([geometry], 0, 3)

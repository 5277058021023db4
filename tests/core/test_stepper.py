import naive
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from convviz.core import lenet5
from convviz.core.kernel_bank import bank_kernel
from convviz.core.nn import ops
from convviz.core.nn.geometry import window_geometry
from convviz.core.stepper import (
    STEP_ACTIVATIONS,
    ConvStep,
    PoolStep,
    Stepper,
    StepperSettings,
    learned_kernels,
)

SLIDES_GRID = np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                        [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]], np.float32)

paddings = st.one_of(
    st.sampled_from(["valid", "same"]),
    st.integers(0, 3),
    st.tuples(st.tuples(st.integers(0, 3), st.integers(0, 3)),
              st.tuples(st.integers(0, 3), st.integers(0, 3))),
)
pairs = st.tuples(st.integers(1, 3), st.integers(1, 3))


@st.composite
def conv_cases(draw):
    """A random image, kernel and setting that window_geometry accepts."""
    channels = draw(st.sampled_from([1, 3]))
    height, width = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kernel_hw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    setting = StepperSettings(
        strides=draw(pairs), padding=draw(paddings), dilation_rate=draw(pairs),
        pad_mode=draw(st.sampled_from(["zero", "reflect", "replicate"])),
        flip_kernel=draw(st.booleans()), bias=draw(st.sampled_from([0.0, -1.5, 2.0])),
        activation=draw(st.sampled_from(STEP_ACTIVATIONS)),
    )
    try:
        window_geometry((height, width), kernel_hw, setting.strides, setting.padding,
                        setting.dilation_rate)
    except ValueError:
        assume(False)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-4, 10, (height, width, channels)).astype(np.float32)
    kernel_channels = draw(st.sampled_from([1, channels]))
    kernel = rng.normal(size=(*kernel_hw, kernel_channels)).astype(np.float32)
    return x, kernel, setting


def expected_conv(x, kernel, setting: StepperSettings, activation: str | None) -> np.ndarray:
    """The engine's answer, from numpy.pad + ops.conv2d, independent of the stepper."""
    geometry = window_geometry(x.shape[:2], kernel.shape[:2], setting.strides, setting.padding,
                               setting.dilation_rate)
    mode = {"zero": "constant", "reflect": "reflect", "replicate": "edge"}[setting.pad_mode]
    padded = np.pad(x, (*geometry.padding, (0, 0)), mode=mode)
    weights = np.broadcast_to(kernel, (*kernel.shape[:2], x.shape[2]))
    if setting.flip_kernel:
        weights = weights[::-1, ::-1]
    return ops.conv2d(padded[None], np.ascontiguousarray(weights)[..., None],
                      np.array([setting.bias], np.float32), setting.strides, "valid",
                      setting.dilation_rate, activation)[0, :, :, 0]


def walk(stepper: Stepper) -> list:
    """Every step, got by pressing 'forward' from the start like a student."""
    stepper.go_to(0)
    steps = [stepper.step()]
    while stepper.forward():
        steps.append(stepper.step())
    return steps


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_every_convolution_step_matches_the_engine(case):
    x, kernel, setting = case
    stepper = Stepper(x, kernel, setting)
    geometry = window_geometry(x.shape[:2], kernel.shape[:2], setting.strides, setting.padding,
                               setting.dilation_rate)
    z = expected_conv(x, kernel, setting, None)
    y = expected_conv(x, kernel, setting, setting.activation)
    steps = walk(stepper)
    out_h, out_w = geometry.output_hw
    assert [s.cell for s in steps] == [(i, j) for i in range(out_h) for j in range(out_w)]
    assert stepper.at_end and not stepper.forward()
    for step in steps:
        assert isinstance(step, ConvStep)
        i, j = step.cell
        assert (list(step.rows), list(step.cols)) == geometry.window_taps(i, j)
        scale = np.abs(step.products).sum() + 1.0
        assert step.total + step.bias == pytest.approx(step.pre_activation)
        assert step.pre_activation == pytest.approx(float(z[i, j]), abs=1e-5 * scale)
        assert step.value == pytest.approx(float(y[i, j]), abs=1e-5 * scale)
        assert step.products == pytest.approx(step.window * step.weights)
    np.testing.assert_allclose(stepper.output[:, :, 0], y, rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(conv_cases())
def test_zero_padded_steps_match_the_textbook_loop(case):
    x, kernel, setting = case
    assume(setting.pad_mode == "zero")
    stepper = Stepper(x, kernel, setting)
    weights = np.broadcast_to(kernel, (*kernel.shape[:2], x.shape[2]))
    if setting.flip_kernel:
        weights = weights[::-1, ::-1]
    z = naive.conv2d_pre_activation(x[None].astype(np.float64), weights[..., None],
                                    [setting.bias], stepper.geometry.strides,
                                    stepper.geometry.padding, stepper.geometry.dilation)[0]
    for step in walk(stepper):
        assert step.pre_activation == pytest.approx(z[step.cell][0], abs=1e-9)


@st.composite
def pool_cases(draw):
    channels = draw(st.sampled_from([1, 3]))
    height, width = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    setting = StepperSettings(operation=draw(st.sampled_from(["max", "average"])),
                              pool_size=draw(pairs), strides=draw(pairs),
                              padding=draw(paddings))
    try:
        window_geometry((height, width), setting.pool_size, setting.strides, setting.padding)
    except ValueError:
        assume(False)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-5, 6, (height, width, channels)).astype(np.float32)
    return x, setting


@settings(max_examples=150, deadline=None)
@given(pool_cases())
def test_every_pooling_step_matches_the_engine(case):
    x, setting = case
    stepper = Stepper(x, None, setting)
    geometry = window_geometry(x.shape[:2], setting.pool_size, setting.strides, setting.padding)
    expected = ops.pool2d(x[None], setting.pool_size, setting.strides, setting.padding,
                          setting.operation)[0]
    steps = walk(stepper)
    out_h, out_w = geometry.output_hw
    assert [s.cell for s in steps] == [(i, j) for i in range(out_h) for j in range(out_w)]
    for step in steps:
        assert isinstance(step, PoolStep)
        np.testing.assert_allclose(step.values, expected[step.cell], rtol=1e-6, atol=1e-6)
        assert np.isnan(step.window[~step.inside]).all()
        for c, winner in enumerate(step.winners):
            if setting.operation == "max" and step.inside.any():
                assert step.inside[winner]
                assert step.window[(*winner, c)] == step.values[c]
            else:
                assert winner is None


def test_max_pooling_winner_is_the_first_maximum_like_the_engine():
    x = np.array([[1, 7], [7, 2]], np.float32)
    step = Stepper(x, None, StepperSettings("max")).step()
    assert step.winners == ((0, 1),) and step.values[0] == 7


def test_global_average_pooling_is_one_step_over_the_whole_input():
    x = np.random.default_rng(1).normal(size=(5, 7, 3)).astype(np.float32)
    stepper = Stepper(x, None, StepperSettings("global_average", strides=3, pool_size=2))
    assert stepper.n_steps == 1 and stepper.at_start and stepper.at_end
    step = stepper.step()
    np.testing.assert_allclose(step.values, x.mean(axis=(0, 1)), rtol=1e-5)
    np.testing.assert_allclose(stepper.output[0, 0], x.mean(axis=(0, 1)), rtol=1e-5)
    assert step.inside.all() and step.window.shape == (5, 7, 3)


def test_asymmetric_same_padding_puts_the_extra_pixel_after():
    x = np.arange(36, dtype=np.float32).reshape(6, 6)
    stepper = Stepper(x, np.ones((4, 4), np.float32), StepperSettings(padding="same"))
    assert stepper.geometry.padding == ((1, 2), (1, 2))
    assert stepper.output_hw == (6, 6)
    last = stepper.step(stepper.n_steps - 1)
    assert last.rows == (4, 5, 6, 7) and not last.inside[2:, :].any()
    assert stepper.size_formulas()[0] == ("height: ⌊(6 + (1 + 2) − 1·(4 − 1) − 1) / 1⌋ + 1 "
                                          "= ⌊5 / 1⌋ + 1 = 6")


@pytest.mark.parametrize(("mode", "numpy_mode"), [("reflect", "reflect"),
                                                  ("replicate", "edge")])
def test_reflect_and_replicate_fill_the_padding_like_numpy(mode, numpy_mode):
    x = np.arange(1, 17, dtype=np.float32).reshape(4, 4)
    stepper = Stepper(x, np.ones((3, 3), np.float32), StepperSettings(padding=2, pad_mode=mode))
    np.testing.assert_array_equal(stepper.padded[:, :, 0], np.pad(x, 2, mode=numpy_mode))
    first = stepper.step(0)
    np.testing.assert_array_equal(first.window[:, :, 0], np.pad(x, 2, mode=numpy_mode)[:3, :3])


def test_the_slides_example_is_written_out_like_the_slides():
    stepper = Stepper(SLIDES_GRID, bank_kernel("Vertical edge").weights)
    lines = stepper.step(0).explanation()
    assert lines[0] == "(3·1 + 0·0 + 1·−1) + (1·1 + 5·0 + 8·−1) + (2·1 + 7·0 + 2·−1) = −5"
    np.testing.assert_array_equal(stepper.output[:, :, 0],
                                  [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7],
                                   [-3, -2, -3, -16]])


def test_explanation_adds_bias_activation_and_channels():
    x = np.ones((3, 3, 3), np.float32)
    kernel = np.stack([np.full((2, 2), c + 1.0) for c in range(3)], axis=2)
    stepper = Stepper(x, kernel, StepperSettings(bias=-13, activation="relu"))
    lines = stepper.step().explanation(("R", "G", "B"))
    assert lines == ["R: (1·1 + 1·1) + (1·1 + 1·1) = 4", "G: (1·2 + 1·2) + (1·2 + 1·2) = 8",
                     "B: (1·3 + 1·3) + (1·3 + 1·3) = 12", "4 + 8 + 12 = 24",
                     "z = 24 + (−13) (bias) = 11", "ReLU(11) = 11"]


def test_many_channels_are_summarised():
    rgb = Stepper(np.ones((5, 5, 3), np.float32), np.ones((5, 5), np.float32))
    assert rgb.step().explanation(("R", "G", "B"))[:4] == [
        "R: the 25 products add up to 25", "G: the 25 products add up to 25",
        "B: the 25 products add up to 25", "25 + 25 + 25 = 75"]
    maps = Stepper(np.ones((5, 5, 6), np.float32), np.ones((5, 5, 6), np.float32))
    assert maps.step().explanation()[0] == ("sums of the 6 channels: 25 + 25 + 25 + 25 + 25 + 25"
                                            " = 150")


def test_long_sums_are_cut_short():
    stepper = Stepper(np.ones((11, 11), np.float32), np.ones((11, 11), np.float32))
    line = stepper.step().explanation(max_terms=15)[0]
    assert line.count("·") == 15 and line.endswith("(106 more products) = 121")


def test_size_and_index_formulas_show_the_current_numbers():
    x = np.arange(49, dtype=np.float32).reshape(7, 7)
    setting = StepperSettings(strides=2, padding=1, flip_kernel=True)
    stepper = Stepper(x, np.arange(9, dtype=np.float32).reshape(3, 3), setting)
    assert stepper.size_formulas() == (
        "height: ⌊(7 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4",
        "width: ⌊(7 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4")
    general, example = stepper.index_formula(5, tap=(1, 2))
    assert general.startswith("z[1, 1, 0] = b[0] + Σ_u Σ_v Σ_k' x̃[1·2 + u, 1·2 + v, k'] · "
                              "w[2 − u, 2 − v, k', 0]")
    # padded row 3, column 4 holds x[2, 3] = 17; the flipped tap reads w[1, 0] = 3
    assert example == "u = 1, v = 2, k' = 0: x̃[3, 4, 0] · w[1, 0, 0, 0] = 17 · 3 = 51"


def test_cursor_moves_and_visited_cells():
    stepper = Stepper(SLIDES_GRID, np.ones((3, 3), np.float32))
    assert stepper.position == 0 and not stepper.back()
    stepper.go_to_cell(1, 2)
    assert stepper.position == 6 and stepper.step().cell == (1, 2)
    visited = stepper.visited_output()[:, :, 0]
    assert np.isfinite(visited.ravel()[:7]).all() and np.isnan(visited.ravel()[7:]).all()
    stepper.go_to(99)
    assert stepper.at_end and np.isfinite(stepper.visited_output()).all()


@settings(max_examples=60, deadline=None)
@given(conv_cases())
def test_cells_reading_a_pixel_are_those_whose_window_taps_it(case):
    x, kernel, setting = case
    stepper = Stepper(x, kernel, setting)
    for y in range(x.shape[0]):
        for x_ in range(x.shape[1]):
            tapping = [s.cell for s in walk(stepper) if y in s.rows and x_ in s.cols]
            assert stepper.cells_reading(y, x_) == tapping


@pytest.mark.parametrize(("x", "kernel", "setting", "message"), [
    (np.ones((3, 3)), np.ones((5, 5)), StepperSettings(), "larger than the padded input"),
    (np.ones((5, 5, 3)), np.ones((3, 3, 6)), StepperSettings(), "6 input channels"),
    (np.ones((5, 5)), np.ones((3, 3)), StepperSettings(strides=0), "stride"),
    (np.ones((5, 5)), None, StepperSettings("max", dilation_rate=2), "dilation"),
    (np.ones((5, 5)), None, StepperSettings("max", pad_mode="reflect"), "pooling ignores"),
    (np.ones((5, 5)), np.ones((3, 3)), StepperSettings(activation="softmax"), "softmax"),
    (np.full((2, 2), np.nan), np.ones((1, 1)), StepperSettings(), "not a number"),
])
def test_invalid_settings_explain_themselves(x, kernel, setting, message):
    with pytest.raises(ValueError, match=message):
        Stepper(x, kernel, setting)


def test_learned_kernels_come_from_the_model():
    model = lenet5(seed=3)
    kernels, biases = learned_kernels(model)
    assert len(kernels) == 6 + 16 and set(kernels) == set(biases)
    assert kernels["C1 #0"].shape == (5, 5, 1) and kernels["C3 #15"].shape == (5, 5, 6)
    c3 = next(layer for layer in model.layers if layer.name == "C3")
    np.testing.assert_array_equal(kernels["C3 #4"], c3.params["kernel"][:, :, :, 4])

"""The backward stepper: every dW, db, dX and pooling-backward cell it writes out equals the
layers' own backward pass and the textbook loops in naive.py, for strides, padding, dilation
and activations."""

import naive
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.core.backward_stepper import BackwardStepper
from convviz.core.stepper import Stepper, StepperSettings


@st.composite
def conv_cases(draw):
    channels = draw(st.integers(1, 2))
    kernel_hw = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.sampled_from(["valid", "same", 1, ((0, 2), (1, 0))]))
    activation = draw(st.sampled_from(["linear", "relu", "tanh", "sigmoid"]))
    reach = [d * (k - 1) + 1 for d, k in zip(dilation, kernel_hw, strict=True)]
    height = draw(st.integers(reach[0], reach[0] + 4))
    width = draw(st.integers(reach[1], reach[1] + 4))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(height, width, channels)).astype(np.float32)
    kernel = rng.normal(size=(*kernel_hw, channels)).astype(np.float32)
    options = StepperSettings(strides=strides, padding=padding, dilation_rate=dilation,
                              activation=activation, bias=float(rng.normal()))
    return x, kernel, options, rng


def naive_reference(forward: Stepper, dy: np.ndarray):
    pads = forward.geometry.padding
    return naive.conv2d_backward(
        forward.x[None].astype(np.float64), forward.weights[:, :, :, None].astype(np.float64),
        np.array([forward.bias]), dy[None, :, :, None].astype(np.float64),
        forward.geometry.strides, pads, forward.geometry.dilation, forward.activation)


@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_every_kernel_gradient_cell_equals_the_backward_pass(case):
    x, kernel, options, rng = case
    forward = Stepper(x, kernel, options)
    dy = rng.normal(size=forward.output_hw).astype(np.float32)
    walk = BackwardStepper(forward, dy, "kernel")
    _, dkernel, dbias = naive_reference(forward, dy)
    assert walk.n_steps == kernel.shape[0] * kernel.shape[1]
    for index in range(walk.n_steps):
        step = walk.step(index)
        u, v = step.tap
        np.testing.assert_allclose(step.values, walk.kernel_gradient[u, v], rtol=1e-4,
                                   atol=1e-4)
        np.testing.assert_allclose(step.values, dkernel[u, v, :, 0], rtol=1e-4, atol=1e-4)
        assert len(step.explanation()) == x.shape[2]
    assert walk.bias_gradient == pytest.approx(float(dbias[0]), rel=1e-4, abs=1e-4)


@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_every_input_gradient_cell_equals_the_backward_pass(case):
    x, kernel, options, rng = case
    forward = Stepper(x, kernel, options)
    dy = rng.normal(size=forward.output_hw).astype(np.float32)
    walk = BackwardStepper(forward, dy, "input")
    dx, _, _ = naive_reference(forward, dy)
    assert walk.n_steps == x.shape[0] * x.shape[1]
    for index in range(walk.n_steps):
        step = walk.step(index)
        y, x_ = step.pixel
        np.testing.assert_allclose(step.values, walk.input_gradient[y, x_], rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(step.values, dx[0, y, x_], rtol=1e-4, atol=1e-4)
        readers = forward.cells_reading(y, x_)
        assert {term.cell for term in step.terms} <= set(readers)


@st.composite
def pool_cases(draw):
    operation = draw(st.sampled_from(["max", "average"]))
    pool = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.sampled_from(["valid", "same"]))
    height, width = draw(st.integers(pool[0], 7)), draw(st.integers(pool[1], 7))
    channels = draw(st.integers(1, 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    # a few repeated values make ties, which must go to the first maximum as in the layer
    x = rng.integers(0, 5, (height, width, channels)).astype(np.float32)
    return x, StepperSettings(operation=operation, pool_size=pool, strides=strides,
                              padding=padding), rng


@settings(max_examples=40, deadline=None)
@given(pool_cases())
def test_every_pooling_backward_cell_equals_the_backward_pass(case):
    x, options, rng = case
    forward = Stepper(x, settings=options)
    dy = rng.normal(size=(*forward.output_hw, x.shape[2])).astype(np.float32)
    walk = BackwardStepper(forward, dy, "input")
    pads = forward.geometry.padding
    mode = "max" if options.operation == "max" else "average"
    dx = naive.pool2d_backward(x[None].astype(np.float64), dy[None].astype(np.float64),
                               forward.geometry.kernel_hw, forward.geometry.strides, pads, mode)
    for index in range(walk.n_steps):
        step = walk.step(index)
        y, x_ = step.pixel
        np.testing.assert_allclose(step.values, walk.input_gradient[y, x_], rtol=1e-5,
                                   atol=1e-5)
        np.testing.assert_allclose(step.values, dx[0, y, x_], rtol=1e-5, atol=1e-5)


def test_max_pooling_routes_the_gradient_to_the_winner_only():
    x = np.array([[1, 9], [3, 4]], np.float32)
    forward = Stepper(x, settings=StepperSettings(operation="max", pool_size=2, strides=2))
    walk = BackwardStepper(forward, np.array([[[2.5]]], np.float32), "input")
    winner = walk.step(1)               # pixel (0, 1) holds the 9
    assert winner.values[0] == 2.5
    assert "windows it won" in winner.explanation()[0]
    loser = walk.step(2)
    assert loser.values[0] == 0.0
    assert "no gradient reaches it" in loser.explanation()[0]


def test_average_pooling_shares_equally():
    forward = Stepper(np.ones((2, 2), np.float32),
                      settings=StepperSettings(operation="average", pool_size=2, strides=2))
    walk = BackwardStepper(forward, np.array([[[2.0]]], np.float32), "input")
    assert all(walk.step(k).values[0] == 0.5 for k in range(4))
    assert "1/n" in walk.step(0).explanation()[0]


def test_the_sums_are_written_with_the_numbers_of_the_slide_example():
    x = np.array([[1, 2, 0], [0, 1, 3], [2, 1, 1]], np.float32)
    kernel = np.array([[1, 0], [0, -1]], np.float32)
    forward = Stepper(x, kernel)                      # 2x2 output, no activation
    dy = np.array([[1, 0], [2, -1]], np.float32)
    walk = BackwardStepper(forward, dy, "kernel")
    step = walk.step(0)                               # tap (0, 0) reads x[i, j]
    assert step.values[0] == pytest.approx(1 * 1 + 2 * 0 + 0 * 2 + 1 * (-1))
    assert step.explanation()[0].endswith("1·1 + 2·0 + 0·2 + 1·(−1) = 0")
    assert walk.bias_line().endswith("= 2")
    assert walk.activation_lines((0, 0)) == ["no activation: dL/dz[0, 0] = dL/dy[0, 0] = 1"]
    updated = walk.updated_kernel(0.5)
    np.testing.assert_allclose(updated[:, :, 0], kernel - 0.5 * walk.kernel_gradient[:, :, 0])
    assert walk.update_lines(0.5, (0, 0)) == ["w[0, 0, 0] ← 1 − 0.5 · 0 = 1"]
    inputs = BackwardStepper(forward, dy, "input")
    corner = inputs.step(8)                           # x[2, 2] is read by tap (1, 1) of (1, 1)
    assert [(t.cell, t.tap) for t in corner.terms] == [((1, 1), (1, 1))]
    assert corner.values[0] == pytest.approx(-1 * -1)
    assert "rotated by 180°" in inputs.flip_sentence()


def test_the_activation_derivative_is_written_out():
    x = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    forward = Stepper(x, np.ones((1, 1), np.float32), StepperSettings(activation="relu"))
    walk = BackwardStepper(forward, np.ones((2, 2), np.float32), "kernel")
    assert walk.activation_lines((0, 1)) == ["dL/dz[0, 1] = dL/dy · ReLU'(z) = 1 · 0 = 0"]
    assert walk.activation_lines((1, 1)) == ["dL/dz[1, 1] = dL/dy · ReLU'(z) = 1 · 1 = 1"]


@pytest.mark.parametrize("options, target, gradient, message", [
    (StepperSettings(operation="max"), "kernel", np.zeros((2, 2, 1)), "no kernel"),
    (StepperSettings(pad_mode="reflect", padding=1), "kernel", np.zeros((4, 4)), "zero padding"),
    (StepperSettings(flip_kernel=True), "kernel", np.zeros((2, 2)), "flip"),
    (StepperSettings(), "bias", np.zeros((2, 2)), "kernel or the input"),
    (StepperSettings(), "kernel", np.zeros((3, 3)), "shape"),
    (StepperSettings(), "kernel", np.full((2, 2), np.nan), "not a number"),
])
def test_impossible_backward_walks_are_refused_with_a_sentence(options, target, gradient,
                                                               message):
    kernel = None if options.is_pooling else np.ones((3, 3), np.float32)
    forward = Stepper(np.ones((4, 4), np.float32), kernel, options)
    with pytest.raises(ValueError, match=message):
        BackwardStepper(forward, gradient, target)


def test_long_sums_show_the_products_that_are_not_zero():
    x = np.zeros((6, 6), np.float32)
    x[2, 3] = 2.0
    forward = Stepper(x, np.ones((3, 3), np.float32), StepperSettings(padding="same"))
    walk = BackwardStepper(forward, np.full((6, 6), 0.5, np.float32), "kernel")
    line = walk.step(4).explanation()[0]         # the centre tap reads every pixel once
    assert line.endswith("2·0.5 + (35 products that are 0) = 1")
    assert walk.bias_line().endswith("= 18")


@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_the_flip_sentence_describes_a_computation_that_gives_the_input_gradient(case):
    """Build what the sentence says (spread dL/dz, its zero borders, the rotated and dilated
    kernel) and check it against the walk's input gradient."""
    x, kernel, options, rng = case
    forward = Stepper(x, kernel, options)
    dy = rng.normal(size=forward.output_hw).astype(np.float32)
    walk = BackwardStepper(forward, dy, "input")
    geometry = walk.geometry
    (sh, sw), (dh, dw) = geometry.strides, geometry.dilation
    dz = walk.pre_activation_gradient.astype(np.float64)
    spread = np.zeros(((dz.shape[0] - 1) * sh + 1, (dz.shape[1] - 1) * sw + 1))
    spread[::sh, ::sw] = dz
    (top, bottom), (left, right) = walk.full_correlation_borders()
    bordered = np.pad(spread, ((max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))))
    bordered = bordered[max(-top, 0):bordered.shape[0] - max(-bottom, 0),
                        max(-left, 0):bordered.shape[1] - max(-right, 0)]
    kh, kw = geometry.kernel_hw
    for c in range(x.shape[2]):
        rotated = forward.weights[::-1, ::-1, c].astype(np.float64)
        dilated = np.zeros(((kh - 1) * dh + 1, (kw - 1) * dw + 1))
        dilated[::dh, ::dw] = rotated
        height, width = geometry.input_hw
        result = np.array([[np.sum(bordered[r:r + dilated.shape[0], q:q + dilated.shape[1]]
                                   * dilated) for q in range(width)] for r in range(height)])
        np.testing.assert_allclose(result, walk.input_gradient[:, :, c], rtol=1e-4, atol=1e-4)
    sentence = walk.flip_sentence()
    assert "rotated by 180°" in sentence and f"{abs(top)} above" in sentence

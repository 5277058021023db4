"""MNIST-style preparation: hand-drawn digits must come out looking like MNIST digits.

The claim is tested three ways: MNIST test digits go through `preprocess_digit` unchanged (they
were made by the same recipe); synthetic hand-drawn digits (template strokes at many sizes,
positions and brush widths) are recognised by a nearest-neighbour vote over MNIST training
digits about as well as MNIST test digits are (a model-free judge of "looks like MNIST"); and,
when the shipped LeNet-5 exists, it classifies them correctly and keeps its MNIST accuracy
through the preprocessing. A randomly initialised network is never the judge.
"""

from __future__ import annotations

import importlib.resources

import numpy as np
import pytest
from fake_data import draw_polylines
from paths import SHARED_MNIST

from convviz.core.drawing.canvas import Brush, DrawingCanvas, digit_strokes
from convviz.core.drawing.digit_preprocess import (
    DIGIT_BOX,
    DIGIT_SIZE,
    area_weights,
    centre_of_mass,
    fit_into_square,
    ink_box,
    ink_from_luminance,
    picture_ink,
    preprocess_digit,
    resize_area,
    shrink_to_fit,
)
from convviz.core.training.data import images_to_float, load_mnist, missing_files, resolve_data_dir


@pytest.fixture(scope="module")
def mnist():
    for folder in (resolve_data_dir(None), SHARED_MNIST):
        if not missing_files(folder):
            return load_mnist(folder)
    pytest.skip("MNIST files not found (run `convviz download` or set CONVVIZ_DATA)")


@pytest.fixture(scope="module")
def shipped_model():
    from convviz.core import load_model

    path = importlib.resources.files("convviz.assets") / "models" / "lenet5.npz"
    assert path.is_file(), "the shipped model assets/models/lenet5.npz is missing"
    return load_model(path)


def hand_drawn(digit: int, height: float, centre: tuple[float, float], radius: float) -> np.ndarray:
    canvas = DrawingCanvas()
    draw_polylines(canvas, digit_strokes(digit, centre, height), Brush(radius))
    return canvas.ink.copy()


# Sizes, positions and pen widths a person might use on the 280x280 canvas. MNIST strokes are
# about 1/8 of the digit's height wide (a brush radius of height/16); these span thin to bold.
VARIANTS = [(height, centre, height * width)
            for height in (90.0, 160.0, 240.0)
            for centre in ((140.0, 140.0), (95.0, 100.0), (185.0, 175.0))
            for width in (1 / 20, 1 / 14, 1 / 10)
            if height / 2 + height * width <= min(*centre, 280 - centre[0], 280 - centre[1])]


@pytest.fixture(scope="module")
def hand_drawn_set():
    images, labels = [], []
    for digit in range(10):
        for height, centre, radius in VARIANTS:
            images.append(preprocess_digit(hand_drawn(digit, height, centre, radius)).pixels)
            labels.append(digit)
    return np.stack(images), np.array(labels)


# --- resampling --------------------------------------------------------------------------------

def test_area_weights_repeat_when_enlarging_and_average_when_shrinking():
    image = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert np.array_equal(resize_area(image, 6, 8), np.repeat(np.repeat(image, 2, 0), 2, 1))
    assert np.allclose(resize_area(image, 3, 2), image.reshape(3, 2, 2).mean(axis=2))
    weights = area_weights(10, 4, 0.4)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert np.allclose(weights.sum(axis=0), 0.4), "every input pixel is used once"
    with pytest.raises(ValueError, match="positive"):
        area_weights(3, 3, 0.0)


def test_fit_into_square_keeps_the_aspect_ratio_and_centres():
    wide = np.ones((10, 40), np.float32)
    fitted = fit_into_square(wide, 80)
    assert ink_box(fitted) == (30, 50, 0, 80)
    assert np.allclose(fitted[30:50], 1.0)


def test_shrink_to_fit_averages_blocks_and_keeps_colour():
    image = np.arange(16, dtype=np.float32).reshape(4, 4)
    assert np.array_equal(shrink_to_fit(image, 2), [[2.5, 4.5], [10.5, 12.5]])
    photo = np.random.default_rng(1).random((1000, 750, 3), dtype=np.float32)
    small = shrink_to_fit(photo, 280)
    assert small.shape == (280, 210, 3)
    assert small.mean() == pytest.approx(photo.mean(), abs=1e-3)
    assert np.array_equal(shrink_to_fit(image, 10), image), "small images stay as they are"


def test_a_photo_becomes_centred_canvas_ink():
    paper = np.full((400, 300, 3), (0.9, 0.88, 0.8), np.float32)
    paper[100:300, 140:160] = (0.1, 0.1, 0.2)  # a dark stroke
    ink, inverted = picture_ink(paper, 280)
    assert inverted and ink.shape == (280, 280)
    assert ink_box(ink, 0.5) == (70, 210, 133, 147), "scaled by 0.7, centred"
    pixels = preprocess_digit(ink).pixels
    assert max(np.ptp(np.flatnonzero(pixels.any(axis=1))), 0) == 19, "20 rows tall"


# --- preprocessing ---------------------------------------------------------------------------

def test_a_blank_canvas_gives_a_blank_digit():
    prepared = preprocess_digit(np.zeros((280, 280), np.float32))
    assert prepared.is_blank and prepared.pixels.shape == (28, 28) and not prepared.pixels.any()


def test_ink_fills_a_20_pixel_box_centred_by_mass():
    for digit in (0, 1, 4, 7):
        for height, centre, radius in VARIANTS:
            pixels = preprocess_digit(hand_drawn(digit, height, centre, radius)).pixels
            top, bottom, left, right = ink_box(pixels)
            assert max(bottom - top, right - left) == DIGIT_BOX
            row, col = centre_of_mass(pixels)
            assert abs(row - DIGIT_SIZE // 2) <= 0.5 and abs(col - DIGIT_SIZE // 2) <= 0.5
            assert pixels.dtype == np.float32 and 0.0 <= pixels.min() and pixels.max() <= 1.0


def test_position_does_not_matter_and_size_hardly_does():
    reference = preprocess_digit(hand_drawn(7, 160.0, (140.0, 140.0), 8.0)).pixels
    moved = preprocess_digit(hand_drawn(7, 160.0, (100.0, 120.0), 8.0)).pixels
    assert np.allclose(moved, reference, atol=1e-4)
    small = preprocess_digit(hand_drawn(7, 80.0, (60.0, 60.0), 4.0)).pixels
    assert np.corrcoef(small.ravel(), reference.ravel())[0, 1] > 0.9


def test_the_transform_maps_the_digit_back_onto_the_source():
    ink = hand_drawn(4, 120.0, (100.0, 170.0), 6.0)
    prepared = preprocess_digit(ink)
    top, bottom, left, right = ink_box(ink)
    transform = prepared.transform
    assert transform.to_source(*transform.digit_origin) == (top, left)
    assert transform.scale == pytest.approx(DIGIT_BOX / max(bottom - top, right - left))
    (y0, y1), (x0, x1) = transform.source_box((0, 27), (0, 27))
    assert y0 <= top and bottom <= y1 and x0 <= left and right <= x1
    (y0, y1), _ = transform.source_box((14, 14), (14, 14))
    assert y1 - y0 == pytest.approx(1 / transform.scale)


def test_mnist_test_digits_come_back_unchanged(mnist):
    digits = mnist.test_images.astype(np.float32) / 255
    prepared = np.stack([preprocess_digit(d).pixels for d in digits])
    unchanged = np.abs(prepared - digits).reshape(len(digits), -1).max(axis=1) < 1e-6
    # The few that change have a 19-pixel ink box and get scaled to 20.
    assert unchanged.mean() > 0.999
    assert np.abs(prepared - digits).mean() < 1e-4


def test_mnist_digits_enlarged_onto_the_canvas_round_trip_exactly(mnist):
    digits = mnist.test_images[:100].astype(np.float32) / 255
    for digit in digits:
        assert np.allclose(preprocess_digit(resize_area(digit, 280, 280)).pixels, digit, atol=1e-5)


def _nearest_neighbour_votes(train_x: np.ndarray, train_y: np.ndarray, images: np.ndarray,
                             k: int = 5) -> np.ndarray:
    flat = images.reshape(len(images), -1)
    distances = (train_x**2).sum(axis=1)[None, :] - 2 * flat @ train_x.T
    nearest = np.argpartition(distances, k, axis=1)[:, :k]
    return np.array([np.bincount(train_y[row], minlength=10).argmax() for row in nearest])


def test_hand_drawn_digits_look_like_mnist_digits(mnist, hand_drawn_set):
    """A 5-nearest-neighbour vote over 20k MNIST training digits recognises the synthetic
    hand-drawn digits about as often as it recognises real MNIST test digits."""
    train_x = (mnist.train_images[:20000].astype(np.float32) / 255).reshape(20000, -1)
    train_y = mnist.train_labels[:20000]
    test_x = mnist.test_images[:1000].astype(np.float32) / 255
    mnist_accuracy = np.mean(_nearest_neighbour_votes(train_x, train_y, test_x)
                             == mnist.test_labels[:1000])
    images, labels = hand_drawn_set
    drawn_accuracy = np.mean(_nearest_neighbour_votes(train_x, train_y, images) == labels)
    assert drawn_accuracy >= min(0.9, mnist_accuracy - 0.03), (drawn_accuracy, mnist_accuracy)
    naive = np.stack([resize_area(hand_drawn(int(d), h, c, r), 28, 28)
                      for d in range(10) for h, c, r in VARIANTS])
    naive_accuracy = np.mean(_nearest_neighbour_votes(train_x, train_y, naive) == labels)
    assert naive_accuracy < drawn_accuracy - 0.2, "without preprocessing they would not pass"


def test_shipped_model_reads_hand_drawn_digits(shipped_model, hand_drawn_set):
    images, labels = hand_drawn_set
    predicted = shipped_model.predict(images[..., None]).argmax(axis=1)
    assert np.mean(predicted == labels) >= 0.85


def test_shipped_model_keeps_its_mnist_accuracy_through_preprocessing(shipped_model, mnist):
    raw = images_to_float(mnist.test_images)
    prepared = np.stack([preprocess_digit(d[..., 0]).pixels for d in raw])[..., None]
    raw_accuracy = np.mean(shipped_model.predict(raw).argmax(axis=1) == mnist.test_labels)
    prepared_accuracy = np.mean(shipped_model.predict(prepared).argmax(axis=1)
                                == mnist.test_labels)
    assert prepared_accuracy >= raw_accuracy - 0.002, (prepared_accuracy, raw_accuracy)


# --- photos and scans ------------------------------------------------------------------------

def test_dark_ink_on_light_paper_is_inverted():
    rng = np.random.default_rng(0)
    paper = 0.85 + 0.02 * rng.standard_normal((120, 90)).astype(np.float32)
    paper[30:90, 40:50] = 0.1  # a dark bar: the "1"
    ink, inverted = ink_from_luminance(paper)
    assert inverted
    assert ink[60, 45] == pytest.approx(1.0) and ink[10, 10] == 0.0
    assert ink_box(ink) == (30, 90, 40, 50), "paper texture is not ink"


def test_light_ink_on_dark_background_is_kept():
    picture = np.zeros((28, 28), np.float32)
    picture[5:20, 12:15] = 0.8
    ink, inverted = ink_from_luminance(picture)
    assert not inverted and ink[10, 13] == pytest.approx(1.0) and ink[0, 0] == 0.0


def test_a_uniform_picture_has_no_ink():
    ink, _ = ink_from_luminance(np.full((50, 50), 0.6, np.float32))
    assert not ink.any()
    with pytest.raises(ValueError, match="2-D"):
        ink_from_luminance(np.zeros((4, 4, 3)))

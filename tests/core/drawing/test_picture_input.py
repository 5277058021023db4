"""A picture as a model's input: the whole picture, plainly resized, in the model's channels."""

import io

import numpy as np
import pytest
from PIL import Image

from convviz.core.drawing.picture_input import (
    import_model_picture,
    prepare_picture,
    sample_pictures,
)


def block_means(pixels: np.ndarray, factor: int) -> np.ndarray:
    """The textbook shrink by a whole factor: the mean of each factor x factor block."""
    height, width, channels = pixels.shape
    out = np.zeros((height // factor, width // factor, channels))
    for r in range(height // factor):
        for c in range(width // factor):
            out[r, c] = pixels[r * factor:(r + 1) * factor,
                               c * factor:(c + 1) * factor].mean(axis=(0, 1))
    return out


def test_a_colour_picture_is_resized_whole_to_the_input():
    pixels = np.random.default_rng(0).uniform(0, 1, (64, 96, 3)).astype(np.float32)
    prepared = prepare_picture(pixels, (32, 48, 3))
    assert prepared.pixels.shape == (32, 48, 3) and not prepared.is_blank
    np.testing.assert_allclose(prepared.pixels, block_means(pixels, 2), atol=1e-5)


def test_a_grey_model_sees_the_luminance_and_a_colour_model_a_grey_picture_in_three():
    rgb = np.random.default_rng(1).uniform(0, 1, (40, 40, 3)).astype(np.float32)
    grey = prepare_picture(rgb, (20, 20, 1)).pixels
    luminance = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    assert grey.shape == (20, 20)
    np.testing.assert_allclose(grey, block_means(luminance[:, :, None], 2)[:, :, 0], atol=1e-5)
    single = rgb[:, :, :1]
    colour = prepare_picture(single, (10, 10, 3)).pixels
    np.testing.assert_allclose(colour, np.repeat(block_means(single, 4), 3, axis=2), atol=1e-5)


def test_a_picture_is_not_stretched_by_aspect_but_resized_as_training_images_were():
    """Plain resize (the whole picture to H x W), not MNIST's crop and centring."""
    pixels = np.zeros((10, 40, 3), np.float32)
    pixels[:, :10] = 1.0
    prepared = prepare_picture(pixels, (10, 10, 3)).pixels
    np.testing.assert_allclose(prepared[:, :2, 0], 1.0)   # the left quarter stays the left quarter
    np.testing.assert_allclose(prepared[:, 2, 0], 0.5)    # (columns 8-11: half of them lit)
    np.testing.assert_allclose(prepared[:, 3:, 0], 0.0)


@pytest.mark.parametrize("pixels, shape, message", [
    (np.zeros((4, 4)), (8, 8, 3), r"expected \(H, W, 1\) or \(H, W, 3\) pixels"),
    (np.zeros((4, 4, 3)), (8, 8, 2), r"\(H, W, 1\) or \(H, W, 3\) images, not \(8, 8, 2\)"),
    (np.zeros((4, 4, 3)), (64,), "not"),
])
def test_nonsense_is_refused_with_a_sentence(pixels, shape, message):
    with pytest.raises(ValueError, match=message):
        prepare_picture(pixels, shape)


def test_an_encoded_picture_is_imported_with_a_preview():
    data = io.BytesIO()
    Image.fromarray(np.full((30, 60, 3), (255, 0, 0), np.uint8)).save(data, "PNG")
    picture = import_model_picture(data.getvalue(), "red", (8, 8, 3))
    assert picture.preview.shape == (30, 60, 3)
    np.testing.assert_allclose(picture.prepared.pixels, np.broadcast_to([1, 0, 0], (8, 8, 3)),
                               atol=1e-6)


def test_the_sample_pictures_are_colour_pictures_and_always_the_same():
    first, second = sample_pictures(), sample_pictures()
    assert len(first) >= 3
    for name, pixels in first.items():
        assert pixels.shape == (96, 96, 3) and pixels.dtype == np.float32
        assert 0 <= pixels.min() and pixels.max() <= 1 and pixels.std() > 0.05
        np.testing.assert_array_equal(pixels, second[name])

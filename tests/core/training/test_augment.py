"""Random affine augmentation: shape, dtype, range, seeding, and the geometry of each part."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.core.training.augment import Augmentation, random_affine


class HighestDraws:
    """A stand-in generator whose uniform draws are always the top of the range."""

    def uniform(self, low, high, size):
        return np.full(size, high, dtype=np.float64)


def random_images(count: int = 16, seed: int = 0, channels: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random((count, 28, 28, channels), dtype=np.float32)


def blob(centre=(13.5, 13.5), sigma: float = 3.0) -> np.ndarray:
    rows, cols = np.mgrid[0:28, 0:28]
    image = np.exp(-((rows - centre[0]) ** 2 + (cols - centre[1]) ** 2) / (2 * sigma**2))
    return image.astype(np.float32)[None, :, :, None]


def test_shape_dtype_and_range_are_kept():
    images = random_images()
    out = random_affine(images, np.random.default_rng(1))
    assert out.shape == images.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert not np.array_equal(out, images)


def test_several_channels_are_moved_together():
    images = random_images(channels=3)
    out = random_affine(images, np.random.default_rng(1))
    single = random_affine(images[..., 1:2], np.random.default_rng(1))
    np.testing.assert_array_equal(out[..., 1:2], single)


def test_same_seed_same_result_other_seed_other_result():
    images = random_images()
    first = random_affine(images, np.random.default_rng(7))
    again = random_affine(images, np.random.default_rng(7))
    other = random_affine(images, np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_zero_ranges_leave_images_exactly_unchanged():
    images = random_images()
    out = random_affine(images, np.random.default_rng(0), Augmentation(0, 0, 0))
    np.testing.assert_array_equal(out, images)


def test_whole_pixel_shift_moves_content_down_and_right():
    images = random_images(4)
    out = random_affine(images, HighestDraws(), Augmentation(max_shift=3, max_rotation=0,
                                                             max_scale=0))
    np.testing.assert_allclose(out[:, 3:, 3:], images[:, :-3, :-3], atol=1e-6)
    assert np.all(out[:, :3] == 0) and np.all(out[:, :, :3] == 0)  # came from outside: zero


def test_quarter_turn_is_a_rot90():
    images = random_images(2)
    out = random_affine(images, HighestDraws(), Augmentation(0, max_rotation=90, max_scale=0))
    turned = np.rot90(images, k=1, axes=(1, 2))  # a positive angle turns counter-clockwise
    np.testing.assert_allclose(out, turned, atol=1e-5)


def test_scaling_grows_a_blob_by_the_square_of_the_factor():
    image = blob()
    out = random_affine(image, HighestDraws(), Augmentation(0, 0, max_scale=0.2))
    assert out.sum() / image.sum() == pytest.approx(1.2**2, rel=0.02)


def test_rejects_uint8_and_bad_ranges():
    with pytest.raises(ValueError, match="float32"):
        random_affine(np.zeros((1, 28, 28, 1), np.uint8), np.random.default_rng())
    with pytest.raises(ValueError, match="max_rotation"):
        Augmentation(max_rotation=-1)
    with pytest.raises(ValueError, match="max_scale"):
        Augmentation(max_scale=1.0)
    with pytest.raises(ValueError, match="max_shift"):
        Augmentation(max_shift=float("nan"))

"""Attribution maps (saliency, occlusion, Grad-CAM) against finite differences and plain
loops, and the model-randomisation sanity check on the shipped LeNet-5."""

import naive
import numpy as np
import pytest
from paths import SHIPPED_MODEL

from convviz.core import AvgPool2D, Conv2D, Dense, Flatten, Sequential, load_model
from convviz.core.attribution import (
    METHODS,
    default_gradcam_layer,
    explain,
    grad_cam,
    input_gradient,
    map_similarity,
    occlusion_map,
    randomised_copy,
    saliency_map,
    sanity_check,
)
from convviz.core.attribution.gradcam import centre_weights, field_centres
from convviz.core.attribution.occlusion import patch_corners
from convviz.core.attribution.sanity import SIMILARITY_LIMIT
from convviz.core.nn.layers import MaxPool2D


def small_model(channels: int = 1, softmax: bool = False) -> Sequential:
    """A smooth (tanh, average pooling) net small enough for finite differences."""
    return Sequential([
        Conv2D(3, 3, activation="tanh", name="conv_a"),
        Conv2D(4, 3, padding="same", activation="tanh", name="conv_b"),
        AvgPool2D(2, name="pool"),
        Flatten(name="flat"),
        Dense(5, activation="softmax" if softmax else None, name="out"),
    ], input_shape=(10, 10, channels), seed=3)


def picture(shape, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def score(model, image, class_index) -> float:
    """The class's logit: the output, or behind a softmax output layer the value it reads."""
    outputs = model.forward(np.asarray(image, np.float32)[None])
    if model.layers[-1].activation == "softmax":
        outputs = model.layers[-1].logits()
    return float(outputs[0, class_index])


def finite_difference(function, array: np.ndarray, eps: float = 1e-2) -> np.ndarray:
    """Central differences of function() over every entry of array (modified in place; eps
    large enough for float32 inference)."""
    return naive.numerical_gradient(function, array, range(array.size), eps).reshape(array.shape)


# --- gradients ---------------------------------------------------------------------------------

@pytest.mark.parametrize("channels, softmax", [(1, False), (2, False), (1, True)])
def test_input_gradient_matches_finite_differences(channels, softmax):
    model = small_model(channels, softmax)
    image = picture((10, 10, channels))
    gradient = input_gradient(model, image, 2)
    numeric = finite_difference(lambda: score(model, image, 2), image)
    scale = np.abs(numeric).max()
    assert scale > 1e-3
    np.testing.assert_allclose(gradient, numeric, atol=3e-3 * scale)


def test_saliency_is_the_gradient_summed_over_channels_and_keeps_its_sign():
    model = small_model(channels=2)
    image = picture((10, 10, 2), seed=1)
    numeric = finite_difference(lambda: score(model, image, 4), image)
    saliency = saliency_map(model, image, 4)
    assert saliency.shape == (10, 10)
    np.testing.assert_allclose(saliency, numeric.sum(axis=-1), atol=3e-3 * np.abs(numeric).max())
    assert saliency.min() < 0 < saliency.max()


def test_a_softmax_output_model_is_explained_by_its_logits_not_its_saturated_probability():
    """The same network with and without a softmax at the end gives the same maps: a
    probability near 1 would have almost no gradient."""
    plain, with_softmax = small_model(), small_model(softmax=True)
    with_softmax.set_weights(plain.get_weights())
    image = picture((10, 10, 1), seed=3)
    np.testing.assert_allclose(input_gradient(with_softmax, image, 1),
                               input_gradient(plain, image, 1), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(grad_cam(with_softmax, image, 1).coarse,
                               grad_cam(plain, image, 1).coarse, rtol=1e-5, atol=1e-7)


def test_input_gradient_leaves_the_model_as_it_was():
    model = small_model()
    assert model.layers[0].need_input_gradient is False
    input_gradient(model, picture((10, 10, 1)), 0)
    assert model.layers[0].need_input_gradient is False


def test_a_grey_picture_may_come_without_its_channel_axis():
    model = small_model()
    image = picture((10, 10, 1))
    np.testing.assert_array_equal(saliency_map(model, image[..., 0], 1),
                                  saliency_map(model, image, 1))


@pytest.mark.parametrize("image, message", [
    (np.zeros((9, 10, 1)), "shape"),
    (np.full((10, 10, 1), np.nan), "finite"),
])
def test_a_wrong_picture_is_refused_with_a_sentence(image, message):
    with pytest.raises(ValueError, match=message):
        saliency_map(small_model(), image, 0)


@pytest.mark.parametrize("class_index", [-1, 5, 2.5, True])
def test_a_class_the_model_does_not_have_is_refused(class_index):
    with pytest.raises(ValueError, match="from 0 to 4"):
        grad_cam(small_model(), picture((10, 10, 1)), class_index)


# --- Grad-CAM ----------------------------------------------------------------------------------

def test_gradcam_weights_are_mean_gradients_of_the_layer_maps():
    model = small_model()
    image = picture((10, 10, 1), seed=2)
    cam = grad_cam(model, image, 3, layer_name="conv_a")
    index = 0
    activations = model.forward_all(image[None])[index][0].astype(np.float64)

    def score_from_maps():
        x = activations[None].astype(np.float32)
        for layer in model.layers[index + 1:]:
            x = layer.forward(x)
        return float(x[0, 3])

    numeric = finite_difference(score_from_maps, activations)
    np.testing.assert_allclose(cam.channel_weights, numeric.mean(axis=(0, 1)),
                               atol=3e-3 * np.abs(numeric).max())
    expected = np.zeros(activations.shape[:2])
    for i in range(activations.shape[0]):
        for j in range(activations.shape[1]):
            total = sum(cam.channel_weights[k] * activations[i, j, k]
                        for k in range(activations.shape[2]))
            expected[i, j] = max(total, 0.0)
    np.testing.assert_allclose(cam.coarse, expected, rtol=1e-4, atol=1e-6)
    assert cam.upsampled.shape == (10, 10)


def test_gradcam_defaults_to_the_last_conv_layer_with_more_than_one_position():
    assert default_gradcam_layer(small_model()) == "conv_b"
    lenet = load_model(SHIPPED_MODEL)
    assert default_gradcam_layer(lenet) == "C3"     # C5's maps are 1x1


def test_gradcam_refuses_models_without_convolutions_and_non_conv_layers():
    mlp = Sequential([Flatten(), Dense(3)], input_shape=(4, 4, 1), seed=0)
    with pytest.raises(ValueError, match="has none"):
        grad_cam(mlp, picture((4, 4, 1)), 0)
    with pytest.raises(ValueError, match="AvgPool2D"):
        grad_cam(small_model(), picture((10, 10, 1)), 0, layer_name="pool")
    with pytest.raises(ValueError, match="no layer called"):
        grad_cam(small_model(), picture((10, 10, 1)), 0, layer_name="C9")


def test_each_gradcam_cell_lands_at_its_receptive_field_centre():
    lenet = load_model(SHIPPED_MODEL)
    rows, cols = field_centres(lenet, 2)              # C3 (10x10) of 28x28 digits
    assert rows[0] == pytest.approx(4.5) and rows[9] == pytest.approx(22.5)
    np.testing.assert_allclose(cols, rows)
    weights = centre_weights(np.array([1.0, 3.0]), 5)
    np.testing.assert_allclose(weights @ np.array([0.0, 4.0]), [0, 0, 2, 4, 4])
    np.testing.assert_allclose(centre_weights(rows, 28) @ np.full(10, 2.5), 2.5)


# --- occlusion ---------------------------------------------------------------------------------

def naive_occlusion(model, image, class_index, patch, stride, baseline):
    """The definition, one occluded copy at a time."""
    height, width = image.shape[:2]
    probability = lambda x: float(model.predict(x[None])[0, class_index])  # noqa: E731
    reference = probability(image)
    tops = list(range(0, height - patch + 1, stride))
    lefts = list(range(0, width - patch + 1, stride))
    if tops[-1] != height - patch:
        tops.append(height - patch)
    if lefts[-1] != width - patch:
        lefts.append(width - patch)
    total = np.zeros((height, width))
    count = np.zeros((height, width))
    for top in tops:
        for left in lefts:
            copy = image.copy()
            copy[top:top + patch, left:left + patch, :] = baseline
            drop = reference - probability(copy)
            for i in range(top, top + patch):
                for j in range(left, left + patch):
                    total[i, j] += drop
                    count[i, j] += 1
    return total / count


@pytest.mark.parametrize("patch, stride, baseline", [(3, 1, 0.0), (4, 3, 0.5), (10, 1, 0.0)])
def test_occlusion_matches_the_definition(patch, stride, baseline):
    model = small_model()
    image = picture((10, 10, 1), seed=4)
    np.testing.assert_allclose(occlusion_map(model, image, 1, patch, stride, baseline),
                               naive_occlusion(model, image, 1, patch, stride, baseline),
                               atol=1e-6)


def test_patches_cover_every_pixel():
    assert patch_corners(10, 4, 3) == [0, 3, 6]
    assert patch_corners(11, 4, 3) == [0, 3, 6, 7]


@pytest.mark.parametrize("options", [{"patch": 0}, {"patch": 11}, {"patch": 3, "stride": 4},
                                     {"baseline": float("inf")}, {"patch": 2.5}])
def test_nonsense_occlusion_settings_are_refused(options):
    with pytest.raises(ValueError):
        occlusion_map(small_model(), picture((10, 10, 1)), 0, **options)


# --- the randomisation sanity check ------------------------------------------------------------

def stroke_digit(points, width=1.6) -> np.ndarray:
    """A 28x28 picture of a thick polyline (pixel units), white ink on black as in MNIST."""
    rows, cols = np.mgrid[0:28, 0:28].astype(np.float64) + 0.5
    distance = np.full((28, 28), np.inf)
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((cols - x0) * dx + (rows - y0) * dy) / (dx * dx + dy * dy), 0, 1)
        distance = np.minimum(distance, np.hypot(cols - x0 - t * dx, rows - y0 - t * dy))
    return np.clip(width + 0.5 - distance, 0, 1).astype(np.float32)[..., None]


DIGITS = {
    1: [(14, 5), (14, 23)],
    7: [(8, 6), (20, 6), (12, 23)],
    4: [(17, 23), (17, 5), (7, 17), (21, 17)],
    0: [(14, 5), (8, 10), (8, 18), (14, 23), (20, 18), (20, 10), (14, 5)],
    3: [(8, 6), (19, 7), (13, 13), (20, 18), (9, 23)],
}

MAP_OF = {
    "saliency": saliency_map,
    "occlusion": occlusion_map,
    "grad-cam": lambda model, image, c: grad_cam(model, image, c).upsampled,
}


@pytest.fixture(scope="module")
def lenet():
    return load_model(SHIPPED_MODEL)


def test_the_shipped_model_reads_the_stroke_digits(lenet):
    predictions = [int(lenet.predict(stroke_digit(points)[None])[0].argmax())
                   for points in DIGITS.values()]
    assert sum(p == d for p, d in zip(predictions, DIGITS, strict=True)) >= 4


@pytest.mark.parametrize("method", MAP_OF)
def test_our_maps_change_when_the_weights_are_randomised(lenet, method):
    similarities = [sanity_check(MAP_OF[method], lenet, stroke_digit(points), digit).similarity
                    for digit, points in DIGITS.items()]
    assert np.median(similarities) < SIMILARITY_LIMIT, similarities


def test_a_map_that_ignores_the_weights_fails_the_check(lenet):
    """The picture itself (or its edges) is what a weight-blind method would show."""
    result = sanity_check(lambda model, image, c: image[..., 0], lenet, stroke_digit(DIGITS[7]), 7)
    assert result.similarity == pytest.approx(1.0)
    assert not result.passed
    blurred_edges = lambda model, image, c: np.abs(np.gradient(image[..., 0])[0])  # noqa: E731
    assert not sanity_check(blurred_edges, lenet, stroke_digit(DIGITS[4]), 4).passed


def test_randomised_copy_keeps_the_architecture_and_leaves_the_model_alone(lenet):
    before = [w.copy() for w in lenet.get_weights()]
    twin = randomised_copy(lenet, seed=5)
    assert twin.get_config() == lenet.get_config()
    assert all(np.array_equal(a, b) for a, b in zip(before, lenet.get_weights(), strict=True))
    kernels = [(a, b) for a, b in zip(before, twin.get_weights(), strict=True) if a.ndim > 1]
    assert all(not np.allclose(a, b) for a, b in kernels)


def test_similarity_is_a_rank_correlation():
    ramp = np.arange(16.0).reshape(4, 4)
    assert map_similarity(ramp, ramp ** 3) == pytest.approx(1.0)
    assert map_similarity(ramp, -ramp) == pytest.approx(-1.0)
    assert map_similarity(ramp, np.ones((4, 4))) == 0.0
    with pytest.raises(ValueError, match="shape"):
        map_similarity(ramp, np.ones((2, 8)))


def test_maxpool_models_get_gradients_too():
    model = Sequential([Conv2D(2, 3, activation="relu"), MaxPool2D(2), Flatten(), Dense(3)],
                       input_shape=(8, 8, 1), seed=1)
    image = picture((8, 8, 1), seed=7)
    gradient = input_gradient(model, image, 0)
    numeric = finite_difference(lambda: score(model, image, 0), image, eps=1e-3)
    np.testing.assert_allclose(gradient, numeric, atol=5e-3 * np.abs(numeric).max())


# --- explain: everything the view shows --------------------------------------------------------

def test_explain_gathers_the_three_maps_and_their_sanity_check(lenet):
    image = stroke_digit(DIGITS[7])
    result = explain(lenet, image, 7, randomised=True)
    np.testing.assert_array_equal(result.maps["saliency"], saliency_map(lenet, image, 7))
    np.testing.assert_array_equal(result.maps["occlusion"], occlusion_map(lenet, image, 7))
    np.testing.assert_array_equal(result.maps["grad-cam"], grad_cam(lenet, image, 7).upsampled)
    assert result.gradcam_layer == "C3"
    assert result.probability == pytest.approx(float(lenet.predict(image[None])[0, 7]))
    twin = randomised_copy(lenet, seed=1)
    assert result.similarities["saliency"] == pytest.approx(
        map_similarity(saliency_map(lenet, image, 7), saliency_map(twin, image, 7)))
    assert set(result.similarities) == set(METHODS)


def test_explain_leaves_out_gradcam_for_a_model_without_convolutions():
    mlp = Sequential([Flatten(), Dense(3)], input_shape=(4, 4, 1), seed=0)
    result = explain(mlp, picture((4, 4, 1)), 2)
    assert set(result.maps) == {"saliency", "occlusion"}
    assert result.gradcam_layer is None and result.similarities is None


def test_the_loss_gradient_at_a_layer_matches_finite_differences():
    from convviz.core.attribution.gradients import loss_gradient
    from convviz.core.nn.losses import softmax_cross_entropy
    model = small_model()
    image = picture((10, 10, 1), seed=9)
    loss, gradient = loss_gradient(model, image, 3, "conv_a")
    maps = model.forward_all(image[None])[0][0].astype(np.float64)

    def loss_from_maps():
        x = maps[None].astype(np.float32)
        for layer in model.layers[1:]:
            x = layer.forward(x)
        return softmax_cross_entropy(x.astype(np.float64), np.array([3]))[0]

    assert loss == pytest.approx(loss_from_maps(), rel=1e-5)
    numeric = finite_difference(loss_from_maps, maps)
    np.testing.assert_allclose(gradient, numeric, atol=3e-3 * np.abs(numeric).max())
    with pytest.raises(ValueError, match="no layer called"):
        loss_gradient(model, image, 3, "C9")

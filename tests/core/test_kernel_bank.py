import numpy as np
import pytest

from convviz.core.kernel_bank import KERNEL_BANK, BankKernel, bank_kernel

BLURS = ["Box blur 3x3", "Gaussian blur 3x3", "Gaussian blur 5x5"]
EDGES = ["Sobel x", "Sobel y", "Prewitt x", "Prewitt y", "Laplacian", "Vertical edge",
         "Horizontal edge"]


def correlate_valid(image: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Plain-loop 'valid' cross-correlation: y[i, j] = sum_uv x[i + u, j + v] * w[u, v]."""
    kh, kw = weights.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * weights)
    return out


def test_bank_has_the_promised_kernels_with_unique_names():
    names = [kernel.name for kernel in KERNEL_BANK]
    assert len(set(names)) == len(names) == 13
    for name in ["Identity", "Sharpen", "Emboss", *BLURS, *EDGES]:
        assert name in names


@pytest.mark.parametrize("kernel", KERNEL_BANK, ids=lambda k: k.name)
def test_every_kernel_is_a_described_read_only_float32_square(kernel: BankKernel):
    assert kernel.weights.dtype == np.float32 and kernel.weights.ndim == 2
    assert kernel.weights.shape[0] == kernel.weights.shape[1] in (3, 5)
    assert kernel.weights.flags.c_contiguous and not kernel.weights.flags.writeable
    assert kernel.description.endswith(".") and "\n" not in kernel.description


@pytest.mark.parametrize("name", [*BLURS, "Identity", "Sharpen", "Emboss"])
def test_intensity_preserving_kernels_sum_to_one(name):
    assert bank_kernel(name).weights.sum() == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("name", EDGES)
def test_edge_detectors_sum_to_zero(name):
    assert bank_kernel(name).weights.sum() == pytest.approx(0.0, abs=1e-6)


def test_gaussian_5x5_is_the_binomial_outer_product():
    row = np.array([1, 4, 6, 4, 1]) / 16
    np.testing.assert_allclose(bank_kernel("Gaussian blur 5x5").weights, np.outer(row, row))


@pytest.mark.parametrize(
    ("name", "sign"), [("Sobel x", 1), ("Prewitt x", 1), ("Vertical edge", -1)])
def test_x_detectors_on_a_dark_left_bright_right_step(name, sign):
    step = np.zeros((6, 8))
    step[:, 4:] = 1.0
    response = correlate_valid(step, bank_kernel(name).weights)
    assert sign * response[:, 2].min() > 0 and sign * response[:, 3].min() > 0
    assert np.all(response[:, [0, 1, 4, 5]] == 0)
    assert np.all(correlate_valid(step.T, bank_kernel(name).weights) == 0)


@pytest.mark.parametrize(
    ("name", "sign"), [("Sobel y", 1), ("Prewitt y", 1), ("Horizontal edge", -1)])
def test_y_detectors_on_a_dark_top_bright_bottom_step(name, sign):
    step = np.zeros((8, 6))
    step[4:, :] = 1.0
    response = correlate_valid(step, bank_kernel(name).weights)
    assert sign * response[2:4, :].min() > 0
    assert np.all(response[[0, 1, 4, 5], :] == 0)


def test_lookup_is_case_insensitive_and_unknown_names_list_the_choices():
    assert bank_kernel("  sobel X ") is bank_kernel("Sobel x")
    with pytest.raises(KeyError, match="Gaussian blur 3x3"):
        bank_kernel("Gabor")

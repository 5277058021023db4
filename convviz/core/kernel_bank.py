"""The classic hand-made 2-D kernels, shared by the convolution stepper and the image inspector.

Every kernel is a float32 (kernel_h, kernel_w) array of *cross-correlation* weights, as
deep-learning libraries apply them: output[i, j] = sum over u, v of image[i + u, j + v] * w[u, v],
with no flipping. Rows grow downwards and columns to the right, so "x" kernels respond positively
where intensity increases to the right and "y" kernels where it increases downwards.
The arrays are read-only: copy one before changing it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class BankKernel:
    """A named kernel with a one-line description of what it detects or does."""

    name: str
    description: str
    weights: np.ndarray


def _kernel(name: str, description: str, rows: list[list[float]], scale: float = 1.0) -> BankKernel:
    weights = np.array(rows, dtype=np.float32) * np.float32(scale)
    weights.flags.writeable = False
    return BankKernel(name, description, weights)


_BINOMIAL_5 = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]).tolist()

KERNEL_BANK: tuple[BankKernel, ...] = (
    _kernel("Identity", "Copies the image unchanged: the centre weight is 1, all others 0.",
            [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    _kernel("Box blur 3x3", "Blurs by averaging each pixel with its 8 neighbours.",
            [[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1 / 9),
    _kernel("Gaussian blur 3x3", "Blurs smoothly: near neighbours count more than far ones.",
            [[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
    _kernel("Gaussian blur 5x5", "Blurs more strongly, over a 5x5 bell-shaped neighbourhood.",
            _BINOMIAL_5, 1 / 256),
    _kernel("Sharpen", "Sharpens: boosts each pixel against the average of its 4 neighbours.",
            [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    _kernel("Sobel x", "Finds vertical edges: positive where it gets brighter to the right.",
            [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    _kernel("Sobel y", "Finds horizontal edges: positive where it gets brighter downwards.",
            [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    _kernel("Prewitt x", "Finds vertical edges like Sobel x, weighting all rows equally.",
            [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
    _kernel("Prewitt y", "Finds horizontal edges like Sobel y, weighting all columns equally.",
            [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
    _kernel("Laplacian", "Finds edges and fine detail in every direction; flat areas give 0.",
            [[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    _kernel("Emboss", "Makes a relief: bright where it gets brighter towards the bottom right.",
            [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    _kernel("Vertical edge", "Finds vertical edges: positive where bright on the left meets dark "
            "on the right (the course-slide detector).",
            [[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
    _kernel("Horizontal edge", "Finds horizontal edges: positive where bright above meets dark "
            "below (the course-slide detector).",
            [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
)


def bank_kernel(name: str) -> BankKernel:
    """Look a kernel up by its display name (case-insensitive); KeyError lists the valid names."""
    wanted = name.strip().casefold()
    for kernel in KERNEL_BANK:
        if kernel.name.casefold() == wanted:
            return kernel
    names = ", ".join(kernel.name for kernel in KERNEL_BANK)
    raise KeyError(f"there is no kernel called {name!r} in the bank; choose one of: {names}")

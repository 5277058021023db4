"""The numbers the Numba kernels take for activations, and the one way to reach the kernels.

Importing the engine (a model, the stepper, the lessons, the GUI's first window) must not
import Numba: that costs ~0.3 s before anything is computed, and a person may never compute.
So the activation codes live here, Numba-free, and `engine_kernels()` imports the kernel
module (and Numba with it) on the first call that computes.
"""

from __future__ import annotations

from types import ModuleType

LINEAR, RELU, TANH, SIGMOID, LEAKY_RELU, ELU, SOFTPLUS = range(7)

FUSED = (LINEAR, RELU, TANH)
"""Activations the conv and dense kernels apply in their own loops (the ones LeNet-5 and the
presets use); the others run as a separate `activate_rows` pass, so that every fused kernel
compiles three cheap branches instead of seven (exp, log1p and expm1 in each body). A tuple:
the kernels read it too, as a compile-time constant."""

_kernels: ModuleType | None = None


def engine_kernels() -> ModuleType:
    """`convviz.core.nn._kernels`, imported (with Numba) on first use and kept: every op calls
    this, batch-1 forward passes on the GUI thread included, so later calls cost a lookup."""
    global _kernels
    if _kernels is None:
        from convviz.core.nn import _kernels as module
        _kernels = module
    return _kernels

"""The engine: geometry, layers, Sequential, validated ops over private Numba kernels, optimizers,
losses, initializers, safe model files, and the kernel threading policy.
"""

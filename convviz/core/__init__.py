"""Qt-free numeric engine: layers, kernels, models, training. Never imports Qt."""

"""The Draw tab's Qt-free half: a brush canvas with undo, and MNIST-style digit preprocessing."""

"""convviz: watch a convolutional neural network work."""

__version__ = "0.1.0"

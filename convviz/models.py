"""Keras' `models` namespace for notebooks: `models.Sequential()`, `models.load_model(path)`.
Re-exports the core's (model files are convviz's safe .npz format)."""

from convviz.core.nn.model import Sequential
from convviz.core.nn.serialization import ModelFileError, load_model, save_model

__all__ = ["ModelFileError", "Sequential", "load_model", "save_model"]

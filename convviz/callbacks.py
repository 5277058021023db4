"""Keras' `callbacks` namespace for notebooks: `callbacks.EarlyStopping(patience=3)`, and the
Callback base class and History that fit returns. Re-exports the core's."""

from convviz.core.nn.callbacks import Callback, EarlyStopping, History

__all__ = ["Callback", "EarlyStopping", "History"]

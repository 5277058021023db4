"""Keras' `optimizers` namespace for notebooks: `optimizers.Adam(learning_rate=1e-3)`.
Re-exports the core's; compile also takes their names ("sgd", "rmsprop", "adam", "adagrad")."""

from convviz.core.nn.optim import SGD, Adagrad, Adam, Optimizer, RMSprop

__all__ = ["SGD", "Adagrad", "Adam", "Optimizer", "RMSprop"]

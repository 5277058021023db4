"""Keras' `losses` namespace for notebooks:
`losses.SparseCategoricalCrossentropy(from_logits=True)`. Re-exports the core's."""

from convviz.core.nn.losses import CategoricalCrossentropy, SparseCategoricalCrossentropy

__all__ = ["CategoricalCrossentropy", "SparseCategoricalCrossentropy"]

"""Switch filters off and edit weights on a copy of a model's trained weights; undo exactly."""

from __future__ import annotations

import numpy as np

from convviz.core.nn.layers import Conv2D
from convviz.core.nn.model import Sequential


class WhatIf:
    """The trained weights of `model` (copied once) and the experiments on them.

    A filter switched off has its kernel and bias set to zero, so its map holds f(0): zero
    after ReLU or tanh (the activations LeNet-5 uses), but 0.5 after sigmoid, and whatever a
    BatchNormalization that follows makes of 0 (its shift β minus the normalised moving mean),
    so in such models "switched off" does not silence the channel. `weights()` gives the
    modified weights in Keras order (for `Sequential.set_weights`); `reset()` forgets every
    experiment, and
    `weights()` is then bit for bit the trained weights.
    """

    def __init__(self, model: Sequential):
        self._layers = [(layer.name, layer, list(layer.param_names)) for layer in model.layers]
        self._trained = [w.copy() for w in model.get_weights()]
        self._off: set[tuple[str, int]] = set()
        self._edits: dict[tuple[str, int, int, int, int], float] = {}

    # --- state ---------------------------------------------------------------------------

    @property
    def switched_off(self) -> frozenset[tuple[str, int]]:
        """(layer name, filter) pairs switched off."""
        return frozenset(self._off)

    @property
    def edits(self) -> dict[tuple[str, int, int, int, int], float]:
        """{(layer, u, v, input channel, filter): new weight} of the kernel edits."""
        return dict(self._edits)

    @property
    def is_modified(self) -> bool:
        return bool(self._off or self._edits)

    def describe(self) -> str:
        """One line for a person: what is changed."""
        parts = []
        if self._off:
            names = ", ".join(f"{layer} #{k}" for layer, k in sorted(self._off))
            parts.append(f"switched off: {names}")
        if self._edits:
            count = len(self._edits)
            parts.append(f"{count} kernel weight{'s' if count > 1 else ''} edited")
        return "; ".join(parts) or "the trained network"

    # --- experiments ---------------------------------------------------------------------

    def _conv(self, layer_name: str) -> Conv2D:
        for name, layer, _ in self._layers:
            if name == layer_name:
                if not isinstance(layer, Conv2D):
                    raise ValueError(f"{layer_name} is a {type(layer).__name__}, which has no "
                                     "filters to switch off or edit")
                return layer
        raise ValueError(f"the model has no layer called {layer_name!r}")

    def _check_filter(self, layer_name: str, index: int) -> int:
        layer = self._conv(layer_name)
        if isinstance(index, bool) or int(index) != index or not 0 <= index < layer.filters:
            raise ValueError(f"{layer_name} has filters 0 to {layer.filters - 1}, not {index!r}")
        return int(index)

    def set_switched_off(self, layer_name: str, index: int, off: bool) -> None:
        index = self._check_filter(layer_name, index)
        (self._off.add if off else self._off.discard)((layer_name, index))

    def toggle(self, layer_name: str, index: int) -> bool:
        """Switch a filter off if it is on, on if it is off; returns whether it is now off."""
        index = self._check_filter(layer_name, index)
        off = (layer_name, index) not in self._off
        self.set_switched_off(layer_name, index, off)
        return off

    def set_weight(self, layer_name: str, u: int, v: int, channel: int, index: int,
                   value: float) -> None:
        """Give kernel weight w[u, v, channel, index] of a conv layer a new value."""
        index = self._check_filter(layer_name, index)
        kh, kw, channels, _ = self._conv(layer_name).params["kernel"].shape
        if not (0 <= u < kh and 0 <= v < kw and 0 <= channel < channels):
            raise ValueError(f"{layer_name}'s kernels are {kh}×{kw} over {channels} input "
                             f"channel(s); ({u}, {v}, {channel}) is outside them")
        if not np.isfinite(value):
            raise ValueError("a weight must be a finite number")
        self._edits[(layer_name, int(u), int(v), int(channel), index)] = float(value)

    def reset(self) -> None:
        self._off.clear()
        self._edits.clear()

    # --- results -------------------------------------------------------------------------

    def trained_weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self._trained]

    def weights(self) -> list[np.ndarray]:
        """The trained weights with the edits applied, then the switched-off filters zeroed."""
        weights = self.trained_weights()
        position = 0
        for name, _, params in self._layers:
            slots = dict(zip(params, range(position, position + len(params)), strict=True))
            position += len(params)
            for (layer, u, v, channel, k), value in self._edits.items():
                if layer == name:
                    weights[slots["kernel"]][u, v, channel, k] = value
            for layer, k in self._off:
                if layer == name:
                    weights[slots["kernel"]][..., k] = 0.0
                    if "bias" in slots:
                        weights[slots["bias"]][k] = 0.0
        return weights

"""DigitSession: the model, the current input and its activations, shared by every tab.

The model is any Sequential the views can draw: a 28x28x1 digit reader (the input a drawn digit,
prepared as MNIST was) or a model of other pictures (grey or colour, H x W x C; the input a
picture resized to it). The Draw tab sets the input; any tab may read it, listen to its signals,
select a unit, or swap the model's weights (the Train tab). Inference for one image runs here,
on the GUI thread: a batch-1 forward pass takes a fraction of a millisecond once the kernels are
compiled, which a warm-up worker does first (`convviz.gui.workers.start_warm_up`); until then
the session holds the input and computes nothing. The rest of the kernels compile through the
session's `kernel_warm_up` queue, which a tab that needs its own kernels at once may hold.

A what-if experiment (the Draw tab's What-if view switching filters off or editing weights)
changes the model's weights for a while; the session knows it is on (`experiment`) and keeps
the trained weights beside it, so that saving and training use the trained network, never
the experiment by accident. New weights from anywhere else (training, a new model) end it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.core.drawing.digit_preprocess import PreparedDigit
from convviz.core.drawing.picture_input import PICTURE_CHANNELS
from convviz.core.experiments.temperature import softmax_with_temperature
from convviz.core.nn.geometry import receptive_field
from convviz.core.nn.model import Sequential
from convviz.core.nn.warm_up import WarmUpQueue

Range = tuple[int, int]
DIGIT_INPUT = (28, 28, 1)


@dataclass(frozen=True)
class Experiment:
    """A what-if experiment on show: what it changes, and the weights it was made from."""

    description: str
    trained_weights: list[np.ndarray]


@dataclass(frozen=True)
class UnitRef:
    """One unit of one layer: `layer` indexes model.layers; vectors use row = col = 0."""

    layer: int
    channel: int
    row: int = 0
    col: int = 0


MAX_SHOWN_LAYERS = 64
"""More layers than the activation and table views can lay out (a 20,000-layer file)."""
MAX_SHOWN_CLASSES = 100
"""More class scores than the prediction chart can label."""


def unshowable_reason(model: Sequential) -> str | None:
    """Why the views cannot show `model`, or None. They show any classifier of pictures:
    (H, W, 1) grey or (H, W, 3) colour in, one score per class out (2 to MAX_SHOWN_CLASSES),
    at most MAX_SHOWN_LAYERS layers. (Views that need a convolution say so when there is none.)"""
    if len(model.layers) > MAX_SHOWN_LAYERS:
        return (f"it has {len(model.layers):,} layers; the views show at most "
                f"{MAX_SHOWN_LAYERS}")
    shape = tuple(model.input_shape)
    if len(shape) != 3 or shape[2] not in PICTURE_CHANNELS:
        return (f"it takes inputs of shape {shape}; the views show pictures of shape "
                "(height, width, 1) or (height, width, 3)")
    if len(model.output_shape) != 1 or not 2 <= model.output_shape[0] <= MAX_SHOWN_CLASSES:
        return (f"its output has shape {model.output_shape}; the views show one score per "
                f"class, 2 to {MAX_SHOWN_CLASSES} classes")
    return None


class DigitSession(QObject):
    """Holds the model, the input digit and the network's response to it."""

    input_changed = Signal()
    activations_changed = Signal()
    model_changed = Signal()  # another model (architecture may differ)
    weights_changed = Signal()  # same model, new weights (training pushes these ~5 times a second)
    selection_changed = Signal()
    warmed_up = Signal()
    experiment_changed = Signal()  # a what-if experiment started, changed or ended
    temperature_changed = Signal()

    def __init__(self, model: Sequential, description: str, parent: QObject | None = None):
        super().__init__(parent)
        self._model = model
        self._description = description
        self._digit = _blank_input(model)
        self._activations: list[np.ndarray] | None = None
        self._probabilities: np.ndarray | None = None
        self._selection: UnitRef | None = None
        self._temperature = 1.0
        self._experiment: Experiment | None = None
        self._ready = False
        self.kernel_warm_up = WarmUpQueue()
        """The app's background compilation (training, inspector), held while training starts."""

    # --- state ---------------------------------------------------------------------------------

    @property
    def model(self) -> Sequential:
        return self._model

    @property
    def description(self) -> str:
        """Where the model came from, e.g. "shipped LeNet-5" or "untrained (random weights)"."""
        return self._description

    @property
    def digit(self) -> PreparedDigit:
        """The current input and how it maps onto its source: pixels (H, W) for a grey model
        (a drawn digit), (H, W, C) for a colour one."""
        return self._digit

    @property
    def input_image(self) -> np.ndarray:
        """The current input as the model takes it, (H, W, C)."""
        return self._digit.pixels.reshape(self._model.input_shape)

    @property
    def takes_digits(self) -> bool:
        """Whether the model reads 28x28 grey digits (drawn and prepared as MNIST), rather
        than pictures resized to its input."""
        return tuple(self._model.input_shape) == DIGIT_INPUT

    def mnist_mismatch(self) -> str:
        """Why MNIST's test digits cannot be run through this model ("" if they can): the
        views that need test images say it."""
        if self.takes_digits:
            return ""
        shape = "×".join(map(str, self._model.input_shape))
        return self.tr("the test images on hand are MNIST's 28×28 digits, and this model reads "
                       "{0}").format(shape)

    @property
    def class_names(self) -> tuple[str, ...]:
        """The name of each class: the model's own, else its index ("0" … "9" for digits)."""
        return self._model.class_names or tuple(
            str(k) for k in range(int(np.prod(self._model.output_shape))))

    @property
    def is_ready(self) -> bool:
        """Whether the kernels are compiled and activations are being computed."""
        return self._ready

    @property
    def activations(self) -> list[np.ndarray] | None:
        """Each layer's output for the current input, without the batch axis (None until ready)."""
        return self._activations

    @property
    def probabilities(self) -> np.ndarray | None:
        """Softmax over the output layer, shape (classes,) (None until ready), at the
        session's temperature when the model outputs logits."""
        return self._probabilities

    @property
    def temperature(self) -> float:
        return self._temperature

    @property
    def selection(self) -> UnitRef | None:
        return self._selection

    @property
    def experiment(self) -> Experiment | None:
        """The what-if experiment the model's weights hold now (None: the trained network)."""
        return self._experiment

    def trained_weights(self) -> list[np.ndarray]:
        """A copy of the network's own weights: the experiment's starting point while one is
        on, else the model's weights."""
        if self._experiment is not None:
            return [w.copy() for w in self._experiment.trained_weights]
        return self._model.get_weights()

    def temperature_mark(self) -> str:
        """"T = 4" while the shown probabilities are tempered, else "" (for every view that
        shows them, so a tempered percentage is never taken for the network's own)."""
        if self._temperature == 1.0 or not self.temperature_applies:
            return ""
        return f"T = {self._temperature:g}"

    @property
    def temperature_applies(self) -> bool:
        """Whether the temperature can change the probabilities: not when the model's last
        layer applies softmax itself (its logits are not at hand)."""
        return not self._model.ends_in_softmax

    # --- commands ------------------------------------------------------------------------------

    def set_input(self, digit: PreparedDigit) -> None:
        """Show the network a new input in [0, 1]: (H, W) pixels for a grey model, (H, W, C)
        for a colour one."""
        wanted = _pixels_shape(self._model)
        if digit.pixels.shape != wanted:
            raise ValueError(f"the input must be {wanted}, got {digit.pixels.shape}")
        self._digit = digit
        self.input_changed.emit()
        self._recompute()

    def set_model(self, model: Sequential, description: str) -> None:
        """Replace the model; activations are recomputed at once. A model taking another
        input shape starts from a blank input (input_changed follows model_changed)."""
        new_input = tuple(model.input_shape) != tuple(self._model.input_shape)
        self._model, self._description = model, description
        self._activations = self._probabilities = None   # the old model's, until recomputed
        if new_input:
            self._digit = _blank_input(model)
        self._end_experiment()
        tempered, self._temperature = self._temperature != 1.0, 1.0   # (an experiment too)
        if self._selection is not None and not self._is_valid(self._selection):
            self.select_unit(None)
        self.model_changed.emit()
        if new_input:
            self.input_changed.emit()
        if tempered:
            self.temperature_changed.emit()
        self._recompute()

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Copy new weights into the current model (e.g. from training) and recompute; they
        are the network's own now, so a what-if experiment on show ends."""
        self._model.set_weights(weights)
        self._end_experiment()
        self.weights_changed.emit()
        self._recompute()

    def set_experiment(self, description: str, trained_weights: list[np.ndarray],
                       weights: list[np.ndarray]) -> None:
        """Show a what-if experiment: `weights` go into the model, `trained_weights` (what
        the experiment changed) are kept for saving, training and the end of it."""
        self._model.set_weights(weights)
        trained = (self._experiment.trained_weights if self._experiment is not None
                   else [w.copy() for w in trained_weights])
        self._experiment = Experiment(description, trained)
        self.weights_changed.emit()
        self.experiment_changed.emit()
        self._recompute()

    def clear_experiment(self) -> str | None:
        """End the experiment on show, the trained weights back bit for bit; returns what it
        was (None: there was none, nothing changes)."""
        experiment = self._experiment
        if experiment is None:
            return None
        self._model.set_weights(experiment.trained_weights)
        self._end_experiment()
        self.weights_changed.emit()
        self._recompute()
        return experiment.description

    def _end_experiment(self) -> None:
        if self._experiment is not None:
            self._experiment = None
            self.experiment_changed.emit()

    def set_temperature(self, temperature: float) -> None:
        """Show probabilities as softmax(logits / temperature) (1: the network's own); a model
        whose last layer applies softmax itself keeps its probabilities."""
        if not (np.isfinite(temperature) and temperature > 0):
            raise ValueError(f"the temperature must be a positive number, got {temperature!r}")
        if temperature != self._temperature:
            self._temperature = float(temperature)
            self.temperature_changed.emit()
            self._recompute()

    def mark_ready(self) -> None:
        """Called once the kernels are compiled: from now on every input is run at once."""
        self._ready = True
        self.warmed_up.emit()
        self._recompute()

    def select_unit(self, unit: UnitRef | None) -> None:
        """Select a unit (its receptive field is highlighted), or clear the selection."""
        if unit is not None and not self._is_valid(unit):
            raise ValueError(f"{unit} is not a unit of this model")
        if unit != self._selection:
            self._selection = unit
            self.selection_changed.emit()

    def receptive_field(self, unit: UnitRef) -> tuple[Range, Range]:
        """Inclusive input rows and columns the unit depends on (may reach into padding).

        Sliding-window layers narrow it (core geometry); after a flatten or dense layer every
        unit sees the field of the whole last map.
        """
        layers = self._model.layers[:unit.layer + 1]
        spatial = [layer for layer in layers if len(layer.output_shape) == 3]
        geometries = [layer.geometry for layer in spatial if layer.geometry is not None]
        if len(spatial) == len(layers):
            return receptive_field(geometries, unit.row, unit.col)
        last_h, last_w = spatial[-1].output_shape[:2] if spatial else self._model.input_shape[:2]
        first = receptive_field(geometries, 0, 0)
        last = receptive_field(geometries, last_h - 1, last_w - 1)
        return (first[0][0], last[0][1]), (first[1][0], last[1][1])

    def _is_valid(self, unit: UnitRef) -> bool:
        if not 0 <= unit.layer < len(self._model.layers):
            return False
        shape = self._model.layers[unit.layer].output_shape
        height, width = shape[:2] if len(shape) == 3 else (1, 1)
        return 0 <= unit.channel < shape[-1] and 0 <= unit.row < height and 0 <= unit.col < width

    def _recompute(self) -> None:
        if not self._ready:
            return
        outputs = self._model.forward_all(self.input_image[None])
        self._activations = [output[0] for output in outputs]
        logits = outputs[-1][0]
        if self._temperature != 1.0 and self.temperature_applies:
            self._probabilities = softmax_with_temperature(logits, self._temperature)
        else:
            self._probabilities = self._model.probabilities(logits)
        self.activations_changed.emit()


def _pixels_shape(model: Sequential) -> tuple[int, ...]:
    """The shape of the session's input pixels for `model`: (H, W) grey, (H, W, C) colour."""
    shape = tuple(model.input_shape)
    return shape[:2] if shape[2:] == (1,) else shape


def _blank_input(model: Sequential) -> PreparedDigit:
    return PreparedDigit(np.zeros(_pixels_shape(model), np.float32), None)

"""Feed the Stepper and Image-inspection tabs from the shared DigitSession.

The Draw tab changes the input on every mouse move; the other tabs only need the latest
drawing, activations and kernels when a person looks at them, so the feed marks them stale
and refreshes the one on show (never a hidden tab mid-stroke).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from convviz.core.attribution.gradients import loss_gradient
from convviz.core.nn.layers import Conv2D
from convviz.core.stepper import Stepper, StepperSettings, learned_kernels
from convviz.gui.inspector.view import InspectorView
from convviz.gui.session import DigitSession
from convviz.gui.stepper.backward import RealGradient
from convviz.gui.stepper.controls import ACTIVATION_MAPS as ACTIVATIONS
from convviz.gui.stepper.controls import DRAWING, PICTURE
from convviz.gui.stepper.view import StepperView
from convviz.gui.views.kernels import input_channel_names


class TabFeeds(QObject):
    """Keeps the stepper's inputs and both tabs' learned kernels in step with the session."""

    def __init__(self, session: DigitSession, stepper: StepperView, inspector: InspectorView,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.stepper, self.inspector = session, stepper, inspector
        self._stepper_stale = {"inputs", "kernels"}
        self._inspector_stale = {"kernels"}
        self._offered: set[str] = set()   # the stepper inputs this feed offers
        session.activations_changed.connect(self._on_session_activations_changed)
        session.input_changed.connect(self._on_session_activations_changed)
        session.model_changed.connect(self._on_session_kernels_changed)
        session.model_changed.connect(self._on_session_model_changed)
        session.weights_changed.connect(self._on_session_kernels_changed)
        stepper.backward_view.set_gradient_source(self.real_gradient)
        stepper.backward_view.set_classes(self._classes())

    def _classes(self) -> int:
        return int(np.prod(self.session.model.output_shape))

    def real_gradient(self, kernel_name: str, label: int | None) -> RealGradient | None:
        """The network's own backward case for learned filter "C1 #k" of the first layer: the
        filter on the current drawing as the layer computes it, and dL/d(its output map) of
        the drawing's loss for label (None: the predicted class); None for any other kernel
        or before the network is ready."""
        layer = self.session.model.layers[0]
        name, _, index = kernel_name.partition(" #")
        probabilities = self.session.probabilities
        if not (isinstance(layer, Conv2D) and name == layer.name and index.isdigit()
                and int(index) < layer.filters and probabilities is not None):
            return None
        k = int(index)
        label = int(np.argmax(probabilities)) if label is None else label
        digit = self.session.digit.pixels
        loss, gradient = loss_gradient(self.session.model, digit, label, layer.name)
        bias = float(layer.params["bias"][k]) if layer.use_bias else 0.0
        settings = StepperSettings(strides=layer.strides, padding=layer.padding,
                                   dilation_rate=layer.dilation_rate,
                                   activation=layer.activation, bias=bias)
        forward = Stepper(digit, layer.params["kernel"][:, :, :, k], settings, k)
        return RealGradient(forward, gradient[:, :, k], label, loss, layer.name)

    def refresh(self) -> None:
        """Bring whichever of the two tabs is visible up to date."""
        if self.stepper.isVisible():
            if "inputs" in self._stepper_stale:
                self._push_stepper_inputs()
                self.stepper.backward_view.refresh()
            if "kernels" in self._stepper_stale:
                self.stepper.set_model_kernels(*learned_kernels(self.session.model,
                                                                self._conv_names()))
            self._stepper_stale.clear()
        if self.inspector.isVisible() and self._inspector_stale:
            model = self.session.model
            self.inspector.set_model_layers({
                layer.name: (layer.params["kernel"], input_channel_names(model, layer))
                for layer in model.layers if isinstance(layer, Conv2D)})
            self._inspector_stale.clear()

    def _conv_names(self) -> tuple[str, ...]:
        return tuple(layer.name for layer in self.session.model.layers
                     if isinstance(layer, Conv2D))

    def _push_stepper_inputs(self) -> None:
        """The current drawing or picture and every layer's maps; the inputs of the model
        before (its maps, a drawing where a picture is now) are offered no more."""
        offered = {DRAWING if self.session.takes_digits else PICTURE}
        self.stepper.set_external_input(next(iter(offered)), self.session.digit.pixels)
        activations = self.session.activations
        if activations is not None:
            for layer, output in zip(self.session.model.layers, activations, strict=True):
                if output.ndim == 3:
                    name = ACTIVATIONS.format(layer.name)
                    offered.add(name)
                    self.stepper.set_external_input(name, output)
        for name in self._offered - offered:
            self.stepper.remove_external_input(name)
        self._offered = offered

    def _on_session_activations_changed(self) -> None:
        self._stepper_stale.add("inputs")
        self.refresh()

    def _on_session_model_changed(self) -> None:
        self.stepper.backward_view.set_classes(self._classes())

    def _on_session_kernels_changed(self) -> None:
        self._stepper_stale.add("kernels")
        self._inspector_stale.add("kernels")
        self.refresh()

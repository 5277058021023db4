"""Feed the Stepper and Image-inspection tabs from the shared DigitSession.

The Draw tab changes the input on every mouse move; the other tabs only need the latest
drawing, activations and kernels when a person looks at them, so the feed marks them stale
and refreshes the one on show (never a hidden tab mid-stroke).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from convviz.core.stepper import learned_kernels
from convviz.gui.inspector.view import InspectorView
from convviz.gui.session import DigitSession
from convviz.gui.stepper.view import StepperView

DRAWING = "Current drawing"
ACTIVATIONS = "Activation maps {}"
LEARNED_LAYERS = ("C1", "C3")


class TabFeeds(QObject):
    """Keeps the stepper's inputs and both tabs' learned kernels in step with the session."""

    def __init__(self, session: DigitSession, stepper: StepperView, inspector: InspectorView,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.stepper, self.inspector = session, stepper, inspector
        self._stepper_stale = {"inputs", "kernels"}
        self._inspector_stale = {"kernels"}
        session.activations_changed.connect(self._on_session_activations_changed)
        session.input_changed.connect(self._on_session_activations_changed)
        session.model_changed.connect(self._on_session_kernels_changed)
        session.weights_changed.connect(self._on_session_kernels_changed)

    def refresh(self) -> None:
        """Bring whichever of the two tabs is visible up to date."""
        if self.stepper.isVisible():
            if "inputs" in self._stepper_stale:
                self._push_stepper_inputs()
            if "kernels" in self._stepper_stale:
                self.stepper.set_model_kernels(*learned_kernels(self.session.model, LEARNED_LAYERS))
            self._stepper_stale.clear()
        if self.inspector.isVisible() and self._inspector_stale:
            kernels, _ = learned_kernels(self.session.model, LEARNED_LAYERS[:1])
            self.inspector.set_model_kernels({name: k[:, :, 0] for name, k in kernels.items()})
            self._inspector_stale.clear()

    def _push_stepper_inputs(self) -> None:
        self.stepper.set_external_input(DRAWING, self.session.digit.pixels)
        activations = self.session.activations
        if activations is not None:
            for layer, output in zip(self.session.model.layers, activations, strict=True):
                if output.ndim == 3:
                    self.stepper.set_external_input(ACTIVATIONS.format(layer.name), output)

    def _on_session_activations_changed(self) -> None:
        self._stepper_stale.add("inputs")
        self.refresh()

    def _on_session_kernels_changed(self) -> None:
        self._stepper_stale.add("kernels")
        self._inspector_stale.add("kernels")
        self.refresh()

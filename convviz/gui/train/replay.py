"""Replay a training run: a timeline slider over the kernels, the probe digit's maps, the
confusion matrix, and every layer's gradient norm.

While a run goes on, the Train tab hands this panel the weights it receives a few times a
second, each step's gradient norms and each epoch's test result (recorded in a Qt-free
`convviz.core.training.timeline.TrainingTimeline`). Moving the slider shows the chosen
moment through a replay session of its own, a copy of the network with that snapshot's
weights: the same kernel and probe views as the live ones, and the confusion matrix of the
last epoch finished by then. The gradient-norm plot (log scale, one curve per layer) shows
vanishing or exploding gradients as they happen: compare tanh with ReLU, or two
initialisations.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSplitter, QVBoxLayout, QWidget

from convviz.core.training.timeline import TrainingTimeline
from convviz.core.training.trainer import StepRecord
from convviz.gui.session import DigitSession
from convviz.gui.train.confusion import ConfusionView
from convviz.gui.views.kernels import KernelView
from convviz.gui.views.probe import ProbeView
from convviz.gui.widgets import theme


class ReplayPanel(QWidget):
    """Timeline slider, the replayed kernels and maps, the epoch's confusion, gradient norms."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.timeline = TrainingTimeline()
        self.replay = DigitSession(session.model.clone(), "replay", self)
        self.replay.set_input(session.digit)
        self.shown_step: int | None = None
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.slider.setToolTip("Drag to see the kernels, maps and test results at any moment of "
                               "the run (←/→ step through the recorded moments)")
        self.step_label = QLabel("Nothing recorded yet: start a run.")
        self.step_label.setFont(theme.font(12, bold=True))
        self.kernel_view = KernelView(self.replay)
        self.probe_view = ProbeView(self.replay)
        self.confusion_view = ConfusionView()
        self.confusion_label = QLabel("")
        self.confusion_label.setWordWrap(True)
        self.norm_plot = pg.PlotWidget(background=theme.BACKGROUND)
        self.norm_plot.setLogMode(y=True)
        self.norm_plot.setMenuEnabled(False)
        self.norm_plot.setLabel("bottom", "training step")
        self.norm_plot.setLabel("left", "gradient norm (log)")
        self.norm_plot.addLegend(offset=(-4, 4))
        self.norm_plot.setToolTip("Each layer's gradient size per step. Curves far below the "
                                  "others near the input mean vanishing gradients (tanh deep "
                                  "down); rising ones, exploding gradients.")
        self.norm_curves: dict[str, pg.PlotDataItem] = {}
        self.step_line = pg.InfiniteLine(0, pen=theme.pen(theme.ACCENT, 1.5, dashed=True))
        self.norm_plot.addItem(self.step_line)
        self._make_layout()
        self.slider.valueChanged.connect(self._show_snapshot)
        session.input_changed.connect(self._on_session_input_changed)
        session.model_changed.connect(self._on_session_model_changed)
        if session.is_ready:     # else the kernels compile first, off the GUI thread
            self.replay.mark_ready()
        else:
            session.warmed_up.connect(self.replay.mark_ready)

    def _make_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Replay"))
        top.addWidget(self.slider, 1)
        top.addWidget(self.step_label)
        learned = QWidget()
        learned_layout = QVBoxLayout(learned)
        learned_layout.setContentsMargins(0, 0, 0, 0)
        learned_layout.addWidget(self.kernel_view, 3)
        learned_layout.addWidget(self.probe_view, 2)
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.confusion_view, 1)
        results_layout.addWidget(self.confusion_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (learned, results, self.norm_plot):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([460, 300, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # --- recording (the Train tab calls these) ----------------------------------------------

    def add_step(self, record: StepRecord) -> None:
        """Record a step's gradient norms, and its weights when the record carries them."""
        if record.gradient_norms:
            self.timeline.add_gradient_norms(record.step, record.gradient_norms)
        if record.weights is not None:
            self.add_weights(record.step, record.epoch, list(record.weights.values()))

    def add_weights(self, step: int, epoch: int, weights: list[np.ndarray]) -> None:
        """Record the weights after `step` (also the final ones when a run pauses or ends)."""
        follow = self.slider.value() == self.slider.maximum()
        self.timeline.add_weights(step, epoch, weights)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.timeline) - 1)
        self.slider.setEnabled(len(self.timeline) > 1)
        if follow:
            self.slider.setValue(len(self.timeline) - 1)
        self.slider.blockSignals(False)

    def add_test(self, epoch: int, step: int, accuracy: float, confusion: np.ndarray) -> None:
        self.timeline.add_test(epoch, step, accuracy, confusion)

    def refresh(self) -> None:
        """Redraw the norm curves and the moment on the slider (the tab calls this at
        display rate while the panel is on show)."""
        self._draw_norms()
        self._show_snapshot()

    def clear(self) -> None:
        self.timeline.clear()
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.shown_step = None
        for curve in self.norm_curves.values():
            self.norm_plot.removeItem(curve)
        self.norm_curves.clear()
        self.norm_plot.plotItem.legend.clear()
        self.step_label.setText("Nothing recorded yet: start a run.")

    # --- display ------------------------------------------------------------------------------

    def _show_snapshot(self) -> None:
        if not len(self.timeline):
            return
        snapshot = self.timeline.snapshots[min(self.slider.value(), len(self.timeline) - 1)]
        if snapshot.step != self.shown_step:
            self.shown_step = snapshot.step
            self.replay.set_weights(list(snapshot.weights))
        latest = snapshot is self.timeline.snapshots[-1]
        self.step_label.setText(f"step {snapshot.step:,} · epoch {snapshot.epoch}"
                                + (" (latest)" if latest else ""))
        self.step_line.setValue(snapshot.step)
        result = self.timeline.result_for(snapshot.step)
        if result is None:
            self.confusion_view.set_confusion(np.zeros_like(self.confusion_view.confusion))
            self.confusion_label.setText("No epoch had ended yet at this step: no test result.")
        else:
            self.confusion_view.set_confusion(result.confusion)
            self.confusion_label.setText(f"Test set after epoch {result.epoch} (step "
                                         f"{result.step:,}): {100 * result.accuracy:.2f} % "
                                         "correct")

    def _draw_norms(self) -> None:
        steps = np.asarray(self.timeline.norm_steps, float)
        for index, (name, values) in enumerate(self.timeline.norms.items()):
            curve = self.norm_curves.get(name)
            if curve is None:
                colour = theme.SERIES[index % len(theme.SERIES)]
                curve = self.norm_plot.plot([], [], pen=pg.mkPen(colour, width=1.5), name=name)
                self.norm_curves[name] = curve
            data = np.asarray(values, float)
            keep = np.isfinite(data) & (data > 0)     # log scale: zeros cannot be drawn
            curve.setData(steps[keep], data[keep])

    def _on_session_input_changed(self) -> None:
        self.replay.set_input(self.session.digit)

    def _on_session_model_changed(self) -> None:
        """A new architecture: the recorded run belongs to the old one."""
        self.clear()
        self.replay.set_model(self.session.model.clone(), "replay")

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.slider.setValue(self.slider.value()
                                 + (1 if event.key() == Qt.Key.Key_Right else -1))
            event.accept()
            return
        super().keyPressEvent(event)

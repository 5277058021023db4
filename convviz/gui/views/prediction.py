"""The network's answer: the top class in large type and a bar per class probability."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme

PROBABILITY_TICKS = (0, 0.25, 0.5, 0.75, 1)


class PredictionView(QWidget):
    """Big predicted digit with its probability, and the softmax bar chart (top bar in accent)."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        classes = session.model.output_shape[-1]
        self.digit_label = QLabel("…")
        self.digit_label.setFont(theme.font(theme.BIG_NUMBER_POINT_SIZE, bold=True))
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setStyleSheet(f"color: {theme.ACCENT};")
        self.confidence_label = QLabel("warming up")
        self.confidence_label.setFont(theme.font(15, bold=True))
        self.confidence_label.setWordWrap(True)
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence_label.setStyleSheet(f"color: {theme.TEXT};")
        self.plot = pg.PlotWidget(background=theme.BACKGROUND)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setYRange(0.0, 1.0, padding=0.02)
        self.plot.setXRange(-0.6, classes - 0.4, padding=0)
        self.plot.setLabel("left", "probability")
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(theme.font(12))
            axis.setTextPen(theme.TEXT)
            axis.setPen(theme.FRAME)
        self.plot.getAxis("bottom").setTicks([[(k, str(k)) for k in range(classes)]])
        self.plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in PROBABILITY_TICKS]])
        self._plain, self._top = pg.mkBrush(theme.BAR), pg.mkBrush(theme.ACCENT)
        self.bars = pg.BarGraphItem(x=np.arange(classes), height=np.zeros(classes), width=0.7,
                                    brushes=[self._plain] * classes, pen=None)
        self.plot.addItem(self.bars)
        answer = QVBoxLayout()
        answer.addStretch(1)
        answer.addWidget(self.digit_label)
        answer.addWidget(self.confidence_label)
        answer.addStretch(1)
        answer_box = QWidget()
        answer_box.setLayout(answer)
        answer_box.setFixedWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(answer_box)
        layout.addWidget(self.plot, 1)
        session.activations_changed.connect(self._on_session_activations_changed)

    @property
    def heights(self) -> np.ndarray:
        """The bar heights shown (the class probabilities)."""
        return np.asarray(self.bars.opts["height"])

    def _on_session_activations_changed(self) -> None:
        probabilities = self.session.probabilities
        top = int(np.argmax(probabilities))
        classes = len(probabilities)
        brushes = [self._top if k == top else self._plain for k in range(classes)]
        if classes != len(self.heights):       # another model, with another number of classes
            self.plot.setXRange(-0.6, classes - 0.4, padding=0)
            self.plot.getAxis("bottom").setTicks([[(k, str(k)) for k in range(classes)]])
        self.bars.setOpts(x=np.arange(classes), height=probabilities, brushes=brushes)
        if self.session.digit.is_blank:
            self.digit_label.setText("?")
            self.confidence_label.setText("draw a digit")
        else:
            self.digit_label.setText(str(top))
            mark = self.session.temperature_mark()
            self.confidence_label.setText(f"{100 * probabilities[top]:.1f} %"
                                          + (f"\n{mark}" if mark else ""))

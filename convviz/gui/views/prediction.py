"""The network's answer: the top class in large type and a bar per class probability."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from convviz.gui.i18n import Retranslating
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme

PROBABILITY_TICKS = (0, 0.25, 0.5, 0.75, 1)


class PredictionView(Retranslating, QWidget):
    """Big predicted class with its probability, and the softmax bar chart (top bar in
    accent): upright bars under the digits 0-9, or lying bars beside the model's own class
    names ("airplane", "cat", ...), which would not fit under upright ones."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.digit_label = QLabel("…")
        self.digit_label.setFont(theme.font(theme.BIG_NUMBER_POINT_SIZE, bold=True))
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setWordWrap(True)
        self.digit_label.setStyleSheet(f"color: {theme.ACCENT};")
        self.confidence_label = QLabel(self.tr("warming up"))
        self.confidence_label.setFont(theme.font(15, bold=True))
        self.confidence_label.setWordWrap(True)
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence_label.setStyleSheet(f"color: {theme.TEXT};")
        self.plot = pg.PlotWidget(background=theme.BACKGROUND)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(theme.font(12))
            axis.setTextPen(theme.TEXT)
            axis.setPen(theme.FRAME)
        self._plain, self._top = pg.mkBrush(theme.BAR), pg.mkBrush(theme.ACCENT)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, pen=None)
        self.plot.addItem(self.bars)
        self._names: tuple[str, ...] = ()
        self._lying = False
        self._set_classes()
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
        session.model_changed.connect(self._set_classes)

    def retranslate(self) -> None:
        """The axis title and the answer's caption in the current language."""
        self._set_classes()
        if self.session.probabilities is not None:
            self._on_session_activations_changed()

    @property
    def heights(self) -> np.ndarray:
        """The bar lengths shown (the class probabilities)."""
        return np.asarray(self.bars.opts["width" if self._lying else "height"])

    @property
    def class_labels(self) -> list[str]:
        """The class names on the chart's class axis, in class order."""
        axis = self.plot.getAxis("left" if self._lying else "bottom")
        return [text for _, text in sorted(axis._tickLevels[0])]

    def _set_classes(self) -> None:
        names = self.session.class_names
        self._names = names
        self._lying = names != tuple(str(k) for k in range(len(names)))
        classes = len(names)
        class_axis, value_axis = ("left", "bottom") if self._lying else ("bottom", "left")
        ticks = [(k, name) for k, name in enumerate(names)]
        self.plot.getAxis(class_axis).setTicks([ticks])
        value_ticks = PROBABILITY_TICKS[::2] if self._lying else PROBABILITY_TICKS  # less room
        self.plot.getAxis(value_axis).setTicks([[(v, f"{v:g}") for v in value_ticks]])
        self.plot.setLabel(value_axis, self.tr("probability"))
        self.plot.setLabel(class_axis, None)
        self.plot.getAxis(class_axis).showLabel(False)
        class_range, value_range = (-0.6, classes - 0.4), (0.0, 1.0)
        if self._lying:
            self.plot.setXRange(*value_range, padding=0.02)
            self.plot.setYRange(*class_range, padding=0)
            self.plot.getViewBox().invertY(True)     # the first class on top, as a list reads
            self.bars.setOpts(x=None, x0=np.zeros(classes), y=np.arange(classes), height=0.7,
                              width=np.zeros(classes), brushes=[self._plain] * classes)
        else:
            self.plot.setYRange(*value_range, padding=0.02)
            self.plot.setXRange(*class_range, padding=0)
            self.plot.getViewBox().invertY(False)
            self.bars.setOpts(x0=None, y=None, x=np.arange(classes), width=0.7,
                              height=np.zeros(classes), brushes=[self._plain] * classes)

    def _on_session_activations_changed(self) -> None:
        probabilities = self.session.probabilities
        if len(probabilities) != len(self._names):
            self._set_classes()
        top = int(np.argmax(probabilities))
        brushes = [self._top if k == top else self._plain for k in range(len(probabilities))]
        if self._lying:
            self.bars.setOpts(width=probabilities, brushes=brushes)
        else:
            self.bars.setOpts(height=probabilities, brushes=brushes)
        if self.session.digit.is_blank:
            self.digit_label.setText("?")
            self.confidence_label.setText(self.tr("draw a digit") if self.session.takes_digits
                                          else self.tr("open a picture"))
        else:
            name = self._names[top]
            self.digit_label.setFont(theme.font(theme.BIG_NUMBER_POINT_SIZE if len(name) <= 3
                                                else 18, bold=True))
            self.digit_label.setText(name)
            mark = self.session.temperature_mark()
            self.confidence_label.setText(f"{100 * probabilities[top]:.1f} %"
                                          + (f"\n{mark}" if mark else ""))

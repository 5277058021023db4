"""The Stepper's backward mode: backpropagation through the filter on show, cell by cell.

``BackwardView`` draws a ``convviz.core.backward_stepper.BackwardStepper`` built on the
forward ``Stepper`` of the tab: the input (or the kernel), the output gradient dL/dz after the
activation, and the gradient filling in as the walk visits the kernel's taps (dL/dW) or the
input's pixels (dL/dX), with every sum written out, the bias gradient, the activation's
derivative, and one update step w ← w − η·g.

dL/dY, the gradient arriving at the filter's output, is all ones, random, or the network's
own: when the Stepper shows a learned C1 filter on the current drawing with that layer's
settings, ``RealGradient`` (given by the window, which knows the model) is the gradient of
the loss of the drawing labelled as a chosen class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from convviz.core.backward_stepper import BackwardStepper, KernelGradientStep
from convviz.core.formatting import format_number, format_pair
from convviz.core.stepper import Stepper
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, relabel_combo, translate
from convviz.gui.stepper.controls import input_label
from convviz.gui.stepper.grid import CellGrid, CellMarks
from convviz.gui.widgets import theme
from convviz.gui.widgets.number_editors import NumberTable
from convviz.gui.widgets.wrapping_label import WrappingLabel

# English keys, marked for the catalog and shown translated.
TARGET_LABELS = {"kernel": QT_TRANSLATE_NOOP("BackwardView", "kernel gradient dL/dW"),
                 "input": QT_TRANSLATE_NOOP("BackwardView", "input gradient dL/dX")}
ONES = QT_TRANSLATE_NOOP("BackwardView", "all ones")
RANDOM = QT_TRANSLATE_NOOP("BackwardView", "random (seed 0)")
TYPED = QT_TRANSLATE_NOOP("BackwardView", "typed in the grid")
NETWORK = QT_TRANSLATE_NOOP("BackwardView", "the network's loss")
PREDICTED = QT_TRANSLATE_NOOP("BackwardView", "the prediction")
TRANSPORT = (QT_TRANSLATE_NOOP("BackwardView", "|◀ Start"),
             QT_TRANSLATE_NOOP("BackwardView", "◀ Back"),
             QT_TRANSLATE_NOOP("BackwardView", "Step ▶"),
             QT_TRANSLATE_NOOP("BackwardView", "End ▶|"))
"""The walk's buttons; `BackwardView.buttons` is keyed by these English texts."""


def _label(text: str) -> str:
    return translate("BackwardView", text)


@dataclass(frozen=True)
class RealGradient:
    """The network's own case for one learned first-layer filter: the forward walk of that
    filter on the current drawing exactly as the layer computes it (its padding, stride,
    activation and bias), dL/dY at its output for the drawing labelled `label`, the loss."""

    forward: Stepper
    output_gradient: np.ndarray   # (OH, OW)
    label: int
    loss: float
    layer_name: str


GradientSource = Callable[[str, int | None], RealGradient | None]
"""(kernel name, label or None for the prediction) -> the network's case, or None when the
kernel is not a learned filter of the model's first layer."""


def _signed(values: np.ndarray):
    return theme.DIVERGING, theme.symmetric_levels(values)


class BackwardView(Retranslating, QWidget):
    """Choice of walk and of dL/dY, three grids, the sums, and the update step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forward: Stepper | None = None
        self.kernel_name = ""
        self.input_name = ""
        self.walk: BackwardStepper | None = None
        self.problem = ""
        self._forward_problem = ""
        self._gradient_source: GradientSource | None = None
        self._real: RealGradient | None = None

        self.target_combo = QComboBox()
        self.source_combo = QComboBox()
        for source in (ONES, RANDOM, TYPED, NETWORK):
            self.source_combo.addItem(source, source)
        self.typed_table = NumberTable(cell_px=48)
        self.typed_table.setVisible(False)
        self._typed: np.ndarray | None = None
        self.label_combo = QComboBox()
        self.label_combo.addItems([_label(PREDICTED), *(str(k) for k in range(10))])
        self.rate_spin = QDoubleSpinBox()
        self.rate_spin.setDecimals(3)
        self.rate_spin.setRange(0.001, 10.0)
        self.rate_spin.setSingleStep(0.01)
        self.rate_spin.setValue(0.1)
        for widget in (self.target_combo, self.source_combo, self.label_combo, self.rate_spin):
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for combo in (self.target_combo, self.source_combo, self.label_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # relabels
        controls = QVBoxLayout()  # two rows: one would widen the page at 150 % text
        self.control_labels = [QLabel() for _ in range(3)]
        captions = [*self.control_labels, QLabel("η")]
        fields = (self.target_combo, self.source_combo, self.label_combo, self.rate_spin)
        for first in (0, 2):
            row = QHBoxLayout()
            for caption, widget in zip(captions[first:first + 2], fields[first:first + 2],
                                       strict=True):
                row.addWidget(caption)
                row.addWidget(widget)
                row.addSpacing(8)
            row.addStretch(1)
            controls.addLayout(row)

        self.heading_label = WrappingLabel()
        self.heading_label.setFont(theme.font(15, bold=True))
        self.heading_label.setWordWrap(True)
        self.source_label = WrappingLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setStyleSheet(f"color: {theme.MUTED};")
        self.left_grid = CellGrid()
        self.gradient_grid = CellGrid("dL/dz")
        self.result_grid = CellGrid("dL/dW")
        self.result_grid.cell_clicked.connect(self._on_result_grid_clicked)
        grids = QGridLayout()
        grids.addWidget(self.left_grid, 0, 0)
        grids.addWidget(self.gradient_grid, 0, 1)
        grids.addWidget(self.result_grid, 0, 2)
        self.explanation_label = WrappingLabel()
        self.explanation_label.setFont(theme.font(14))
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setTextFormat(Qt.TextFormat.RichText)
        self.explanation_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                             QSizePolicy.Policy.Minimum)
        self.step_label = WrappingLabel()  # as the forward walk's: wrap rather than widen
        self.step_label.setFont(theme.font(13, bold=True))
        transport = QHBoxLayout()
        self.buttons = {}
        for text, handler in zip(TRANSPORT, (lambda: self.go_to_step(0), self.step_back,
                                             self.step_forward, self.go_to_end), strict=True):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(handler)
            transport.addWidget(button)
            self.buttons[text] = button
        transport.addWidget(self.step_label, 1)
        self.error_label = WrappingLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setFont(theme.font(14, bold=True))
        background, foreground = theme.WARNING_COLOURS
        self.error_label.setStyleSheet(f"background: {background}; color: {foreground}; "
                                       f"padding: 10px; border: 2px solid {foreground}; "
                                       "border-radius: 6px;")
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.source_label)
        layout.addWidget(self.typed_table)
        layout.addLayout(grids, 1)
        layout.addWidget(self.explanation_label)
        layout.addWidget(self.error_label)
        layout.addLayout(transport)
        self.target_combo.currentIndexChanged.connect(self._rebuild)
        self.source_combo.currentIndexChanged.connect(self._rebuild)
        self.label_combo.currentIndexChanged.connect(self._rebuild)
        self.rate_spin.valueChanged.connect(self._refresh_step)
        self.typed_table.values_edited.connect(self._on_typed_table_edited)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the backward walk in the current language."""
        self.target_combo.setToolTip(self.tr("Which gradient to compute, one cell per step"))
        self.source_combo.setToolTip(self.tr(
            "dL/dY, the gradient arriving at this filter's output from the layers above: all "
            "ones, random numbers, numbers you type, or the network's own for the current "
            "drawing and a label"))
        self.typed_table.setToolTip(
            self.tr("dL/dY for each output cell (channel 0): type any number"))
        self.label_combo.setToolTip(
            self.tr("The label the loss compares the network's answer with"))
        self.rate_spin.setToolTip(self.tr("Learning rate η of the update step w ← w − η·g"))
        for caption, text in zip(self.control_labels, (self.tr("Step through"),
                                                       self.tr("dL/dY from"), self.tr("label")),
                                 strict=True):
            caption.setText(text)
        for combo in (self.source_combo, self.target_combo):
            relabel_combo(combo, "BackwardView", TARGET_LABELS)
        self.label_combo.setItemText(0, _label(PREDICTED))
        for text, button in self.buttons.items():
            button.setText(_label(text))
        self._rebuild()

    # --- public API ---------------------------------------------------------------------

    def set_gradient_source(self, source: GradientSource | None) -> None:
        """Where the network's own dL/dY comes from (the window sets this)."""
        self._gradient_source = source
        self._rebuild()

    def set_classes(self, count: int) -> None:
        """Offer labels 0…count−1 for the network's loss (the model's number of classes); a
        chosen label the new model lacks falls back to the prediction."""
        labels = [_label(PREDICTED), *(str(k) for k in range(count))]
        if [self.label_combo.itemText(k) for k in range(self.label_combo.count())] == labels:
            return
        chosen = self.label_combo.currentText()
        self.label_combo.blockSignals(True)
        self.label_combo.clear()
        self.label_combo.addItems(labels)
        self.label_combo.setCurrentIndex(max(labels.index(chosen) if chosen in labels else 0, 0))
        self.label_combo.blockSignals(False)
        self._rebuild()

    def set_forward(self, stepper: Stepper | None, kernel_name: str, input_name: str,
                    problem: str = "") -> None:
        """The forward walk on show (None with the reason when its settings do not fit)."""
        self.forward, self.kernel_name, self.input_name = stepper, kernel_name, input_name
        self._forward_problem = problem
        targets = ["input"] if stepper is not None and stepper.settings.is_pooling \
            else ["kernel", "input"]
        if [self.target_combo.itemData(k) for k in range(self.target_combo.count())] != targets:
            self.target_combo.blockSignals(True)
            self.target_combo.clear()
            for target in targets:
                self.target_combo.addItem(_label(TARGET_LABELS[target]), target)
            self.target_combo.blockSignals(False)
        self._rebuild()

    def refresh(self) -> None:
        """Recompute the walk (the drawing or the model behind the network's case changed)."""
        if self.source_combo.currentData() == NETWORK:
            self._rebuild()

    def set_walk(self, target: str, source: str = ONES) -> None:
        """Walk ``target`` ("kernel" or "input") with dL/dY from ``source`` (all ones)."""
        self.source_combo.setCurrentIndex(max(self.source_combo.findData(source), 0))
        index = self.target_combo.findData(target)
        if index >= 0:
            self.target_combo.setCurrentIndex(index)

    @property
    def target(self) -> str:
        return self.target_combo.currentData() or "kernel"

    def step_forward(self) -> None:
        if self.walk is not None and self.walk.forward_one():
            self._refresh_step()

    def step_back(self) -> None:
        if self.walk is not None and self.walk.back_one():
            self._refresh_step()

    def go_to_step(self, index: int) -> None:
        if self.walk is not None:
            self.walk.go_to(index)
            self._refresh_step()

    def go_to_end(self) -> None:
        if self.walk is not None:
            self.go_to_step(self.walk.n_steps - 1)

    # --- building the walk ----------------------------------------------------------------

    def _output_gradient(self) -> np.ndarray | None:
        """dL/dY for the forward walk on show, or None with self.problem saying why."""
        forward = self.forward
        source = self.source_combo.currentData()
        self._real = None
        if source != NETWORK and forward is None:
            self.problem = self._forward_problem or self.tr("The forward walk is off.")
            return None
        if source != NETWORK:
            shape = (*forward.output_hw,
                     1 if not forward.settings.is_pooling else forward.channels)
        if source == ONES:
            self.source_label.setText(self.tr("dL/dY = 1 in every output cell: each cell's "
                                              "output counts once in the loss."))
            return np.ones(shape, np.float32)
        if source == RANDOM:
            self.source_label.setText(self.tr("dL/dY: random numbers (normal, seed 0), as if the "
                                              "layers above sent them."))
            return np.random.default_rng(0).normal(size=shape).astype(np.float32)
        if source == TYPED:
            if self._typed is None or self._typed.shape != shape:
                self._typed = np.ones(shape, np.float32)   # a new shape starts from ones
                self.typed_table.set_values(self._typed[:, :, 0])
            self.source_label.setText(self.tr("dL/dY: the numbers in the grid below (type to "
                                              "change them; every channel gets the same)."))
            return self._typed
        index = self.label_combo.currentIndex()
        label = None if index == 0 else index - 1
        real = None if self._gradient_source is None else \
            self._gradient_source(self.kernel_name, label)
        if real is None:
            self.problem = self.tr("The network's loss gives dL/dY for a learned filter of its "
                                   "first layer: choose a kernel such as C1 #0, or take all-ones "
                                   "or random dL/dY.")
            return None
        self._real = real
        settings = real.forward.settings
        self.source_label.setText(self.tr(
            "dL/dY: the gradient of the cross-entropy loss ({0}) of the current drawing "
            "labelled {1}, at the output of {2}, from the network's own backward pass. The walk "
            "is {3}'s as the network computes it: padding {4}, stride {5}, {6}, bias {7} (the "
            "Forward tab's settings do not apply here).").format(
                format_number(real.loss), real.label, self.kernel_name, real.layer_name,
                settings.padding, format_pair(settings.strides), settings.activation,
                format_number(settings.bias)))
        return real.output_gradient

    def _on_typed_table_edited(self) -> None:
        values = self.typed_table.values()
        self._typed = np.repeat(values[:, :, None], self._typed.shape[2], axis=2)
        self._rebuild()

    def _rebuild(self) -> None:
        self.typed_table.setVisible(self.source_combo.currentData() == TYPED)
        position = self.walk.position if self.walk is not None else 0
        self.walk = None
        try:
            gradient = self._output_gradient()
        except ValueError as error:      # e.g. a label the model does not have
            gradient, self.problem = None, self.tr("dL/dY cannot be computed: {0}").format(error)
        if gradient is not None:
            forward = self.forward if self._real is None else self._real.forward
            try:
                self.walk = BackwardStepper(forward, gradient, self.target)
            except ValueError as error:
                self.problem = str(error)
            else:
                self.problem = ""
                self.walk.go_to(position)
        if self.walk is not None:
            self._draw_static()
        self._refresh_step()

    # --- drawing ----------------------------------------------------------------------------

    def _draw_static(self) -> None:
        walk, forward = self.walk, self.walk.forward
        if walk.mode == "convolution":
            dz = walk.pre_activation_gradient
            self.gradient_grid.set_values(dz, *_signed(dz))
            self.gradient_grid.set_title("dL/dz = dL/dy · f'(z)" if forward.activation != "linear"
                                         else self.tr("dL/dz = dL/dy (no activation)"))
        else:
            dy = walk.output_gradient[:, :, 0]
            self.gradient_grid.set_values(dy, *_signed(walk.output_gradient))
            self.gradient_grid.set_title(self.tr("dL/dy (channel 0)"))
        self.gradient_grid.show_all()
        if walk.target == "kernel":
            padded = np.pad(forward.x, (*forward.geometry.padding, (0, 0)))[:, :, 0]
            self.left_grid.set_values(padded, *_signed(padded))
            name = (self.tr("the current drawing") if self._real is not None
                    else input_label(self.input_name))
            self.left_grid.set_title(self.tr("Input x̃: {0}").format(name))
        else:
            weights = forward.weights if forward.weights is not None else None
            if weights is not None:
                self.left_grid.set_values(weights[:, :, 0], *_signed(weights))
                self.left_grid.set_title(self.tr("Kernel w"))
            else:
                self.left_grid.set_values(forward.x[:, :, 0], *_signed(forward.x))
                self.left_grid.set_title(
                    self.tr("Input x: {0}").format(input_label(self.input_name)))
        self.left_grid.show_all()

    def _refresh_step(self) -> None:
        walk = self.walk
        self.error_label.setVisible(walk is None)
        for widget in (self.left_grid, self.gradient_grid, self.result_grid,
                       self.explanation_label, self.source_label):
            widget.setVisible(walk is not None)
        for button in self.buttons.values():
            button.setEnabled(walk is not None)
        if walk is None:
            self.heading_label.setText(self.tr("Backward pass"))
            problem = self.problem or self.tr("Nothing to step backwards yet.")
            self.error_label.setText(f"⚠ {problem}")
            self.step_label.setText(self.tr("Stepping is off: see the message above"))
            return
        step = walk.step()
        self.heading_label.setText(self._heading())
        self._draw_result(step)
        self._draw_marks(step)
        lines = [line for line in step.explanation()]
        if walk.mode == "convolution":
            if isinstance(step, KernelGradientStep):
                cell = step.cells[0]
                lines += walk.activation_lines(cell) + [walk.bias_line()]
                lines += walk.update_lines(self.rate_spin.value(), step.tap)
            else:
                lines.append(walk.flip_sentence())
        self.explanation_label.setText("<br>".join(_escape(line) for line in lines))
        place = step.tap if isinstance(step, KernelGradientStep) else step.pixel
        text = (self.tr("Step {0} of {1} · tap ({2}, {3})") if isinstance(step, KernelGradientStep)
                else self.tr("Step {0} of {1} · pixel ({2}, {3})"))
        self.step_label.setText(text.format(walk.position + 1, walk.n_steps, *place))

    def _heading(self) -> str:
        walk = self.walk
        if walk.mode == "convolution":
            text = (self.tr("Backward through {0}: {1}, one tap per step")
                    if walk.target == "kernel"
                    else self.tr("Backward through {0}: {1}, one pixel per step"))
            return text.format(self.kernel_name or self.tr("the kernel"),
                               _label(TARGET_LABELS[walk.target]))
        if walk.mode == "max":
            return self.tr("Backward through pooling: max pooling routes each gradient to its "
                           "winner")
        return self.tr("Backward through pooling: average pooling shares each gradient equally")

    def _draw_result(self, step) -> None:
        walk = self.walk
        full = walk.kernel_gradient if walk.target == "kernel" else walk.input_gradient
        shown = np.full(full.shape[:2], np.nan, np.float32)
        flat = shown.reshape(-1)
        flat[:walk.position + 1] = full[:, :, 0].reshape(-1)[:walk.position + 1]
        self.result_grid.set_values(shown, *_signed(full))
        name = "dL/dW" if walk.target == "kernel" else "dL/dX"
        self.result_grid.set_title(self.tr("{0} (channel 0), filled as the walk goes").format(name))
        place = step.tap if isinstance(step, KernelGradientStep) else step.pixel
        self.result_grid.set_marks([CellMarks(((*place, 1, 1),), theme.WINDOW, 4)])
        self.result_grid.show_all()

    def _draw_marks(self, step) -> None:
        walk, geometry = self.walk, self.walk.geometry
        if isinstance(step, KernelGradientStep):
            (sh, sw), (dh, dw) = geometry.strides, geometry.dilation
            u, v = step.tap
            read = tuple((i * sh + u * dh, j * sw + v * dw, 1, 1) for i, j in step.cells)
            self.left_grid.set_marks([CellMarks(read, theme.WINDOW, 3, fill_alpha=45)])
            self.gradient_grid.set_marks([])
            return
        cells = tuple((i, j, 1, 1) for i, j in (t.cell for t in step.terms))
        taps = tuple((u, v, 1, 1) for u, v in (t.tap for t in step.terms))
        self.gradient_grid.set_marks([CellMarks(cells, theme.WINDOW, 3, fill_alpha=45)])
        self.left_grid.set_marks([CellMarks(taps, theme.WEIGHT, 3)] if walk.mode ==
                                 "convolution" else [])

    def _on_result_grid_clicked(self, row: int, col: int) -> None:
        if self.walk is not None:
            self.go_to_step(row * self.walk.walk_hw[1] + col)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

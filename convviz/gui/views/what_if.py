"""What if…? Experiments on the live network, undone exactly by Reset.

Click a feature map of C1 or C3 to switch its filter off (click again: on); edit a weight of a
first-layer kernel (input channel 0: the picture); shift the input a pixel at a time, or sweep
it −6…+6 pixels and plot every class's probability against the shift; soften or sharpen the
answer with a softmax temperature. The experiments change the session's network, so every
view (prediction, maps, kernels) shows their effect; the session knows an experiment is on
(`DigitSession.set_experiment`), so Save and training use the trained weights. With MNIST
loaded the test accuracy of the modified network is recomputed off the GUI thread at once
after each of the view's own changes, and once weights from elsewhere (training pushes them
five times a second) have been still for `WEIGHTS_QUIET_MS`. The sweep is re-run whenever its
input, the weights or the temperature change (13 batch-1 images, about a millisecond), so it
never shows an old network. Reset restores the trained weights bit for bit, the unshifted
input and temperature 1; new weights from elsewhere, or a new model, end the experiment.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convviz.core.drawing.digit_preprocess import PreparedDigit
from convviz.core.experiments import SHIFTS, WhatIf, shift_image, shift_sweep
from convviz.core.nn.layers import Conv2D
from convviz.core.training.data import MnistData
from convviz.core.training.evaluation import evaluate
from convviz.gui import workers
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, relabel_combo
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.debounce import Debounce
from convviz.gui.widgets.image_grid import ImageGrid, show_rect
from convviz.gui.widgets.number_editors import NumberTable

MAX_SWITCHABLE = 16
"""Conv layers with at most this many filters get clickable maps (LeNet-5: C1 and C3)."""
TEMPERATURES = tuple(float(t) for t in np.round(2.0 ** np.arange(-2, 2.25, 0.25), 3))
"""Slider stops from 0.25 to 4, evenly spaced on a log scale, 1 in the middle."""
WEIGHTS_QUIET_MS = 1500
"""Weights from elsewhere (training) are scored once they have not changed for this long."""
TEMPERATURE_TIP = QT_TRANSLATE_NOOP(
    "WhatIfView", "Softmax temperature T: the probabilities are softmax(logits / T). Above 1 "
                  "the answer looks less sure, below 1 surer; the winner never changes.")
SOFTMAX_TIP = QT_TRANSLATE_NOOP(
    "WhatIfView", "This model's last layer applies softmax itself, so its logits are not at "
                  "hand and the temperature cannot change its probabilities (T = 1).")
ENDED_NOTE = QT_TRANSLATE_NOOP("WhatIfView", "New weights arrived (training, or the trained ones "
                                             "restored): the what-if experiment ended.")
AXES = {"horizontal": QT_TRANSLATE_NOOP("WhatIfView", "horizontal"),
        "vertical": QT_TRANSLATE_NOOP("WhatIfView", "vertical")}
HEADINGS = (QT_TRANSLATE_NOOP("WhatIfView", "Switch filters off: click a map"),
            QT_TRANSLATE_NOOP("WhatIfView", "Edit a kernel"),
            QT_TRANSLATE_NOOP("WhatIfView", "Shift the input"),
            QT_TRANSLATE_NOOP("WhatIfView", "Sweep"),
            QT_TRANSLATE_NOOP("WhatIfView", "Softmax temperature"))
DIRECTIONS = {(-1, 0): QT_TRANSLATE_NOOP("WhatIfView", "Move the picture one pixel up"),
              (1, 0): QT_TRANSLATE_NOOP("WhatIfView", "Move the picture one pixel down"),
              (0, -1): QT_TRANSLATE_NOOP("WhatIfView", "Move the picture one pixel left"),
              (0, 1): QT_TRANSLATE_NOOP("WhatIfView", "Move the picture one pixel right")}

class WhatIfView(Retranslating, QWidget):
    """Filter switches, kernel editor, shifts and sweep, temperature, accuracy and Reset."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.what_if = WhatIf(session.model)
        self.mnist: MnistData | None = None
        self.shift = (0, 0)
        self.sweep = None
        self.accuracy: float | None = None
        self.trained_accuracy: float | None = None
        self._accuracy_seconds: float | None = None
        self._base: PreparedDigit | None = None   # the input before shifting
        self._changing = False                   # our own change to the session is running
        self._accuracy_stale = True
        self._generation = 0                     # bumped by weights or models from elsewhere
        self._note = ""                          # why the experiment ended, if it did

        self.maps = pg.GraphicsLayoutWidget()
        self.maps.setBackground(theme.BACKGROUND)
        self.maps.setFixedHeight(210)
        self.maps.scene().sigMouseClicked.connect(self._on_maps_clicked)
        self.grids: list[tuple[Conv2D, int, ImageGrid]] = []
        self._off_items: list[pg.GraphicsObject] = []
        self.kernel_combo = QComboBox()
        self.kernel_channel_label = QLabel()
        self.kernel_channel_label.setStyleSheet(f"color: {theme.MUTED};")
        self.kernel_table = NumberTable(cell_px=64)
        self.shift_label = QLabel()
        self.shift_label.setWordWrap(True)  # a long translation wraps rather than widen the page
        self.shift_buttons = {}
        self.axis_combo = QComboBox()
        for key in AXES:
            self.axis_combo.addItem(key, key)
        self.sweep_button = QPushButton()
        self.sweep_plot = pg.PlotWidget(background=theme.BACKGROUND)
        self.sweep_plot.setFixedHeight(230)
        self.sweep_plot.setMouseEnabled(False, False)
        self.sweep_plot.setMenuEnabled(False)
        self.sweep_plot.hideButtons()
        self.sweep_plot.setYRange(0, 1, padding=0.02)
        self.sweep_plot.addLegend(offset=(-4, 4), colCount=5)
        self.sweep_curves = [self.sweep_plot.plot([], [], pen=pg.mkPen(colour, width=2),
                                                  symbol="o", symbolSize=5,
                                                  symbolBrush=colour, name=str(k))
                             for k, colour in enumerate(theme.SERIES)]
        self.sweep_marker = pg.InfiniteLine(0, pen=theme.pen(theme.ACCENT, 1.5, dashed=True))
        self.sweep_plot.addItem(self.sweep_marker)
        self.temperature_slider = QSlider(Qt.Orientation.Horizontal)
        self.temperature_slider.setRange(0, len(TEMPERATURES) - 1)
        self.temperature_slider.setValue(TEMPERATURES.index(1.0))
        self.temperature_label = QLabel()
        self.accuracy_label = QLabel()
        self.accuracy_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(f"color: {theme.TEXT};")
        self.reset_button = QPushButton()
        self._make_layout()
        self._accuracy_worker = workers.LatestRequestWorker(_test_accuracy, self)
        self._accuracy_worker.request_finished.connect(self._on_accuracy_finished)
        self._accuracy_worker.request_failed.connect(self._on_accuracy_failed)
        self._weights_settled = Debounce(self._request_accuracy, WEIGHTS_QUIET_MS, self)

        self.kernel_combo.currentIndexChanged.connect(self._show_kernel)
        self.kernel_table.values_edited.connect(self._on_kernel_table_edited)
        self.sweep_button.clicked.connect(self.run_sweep)
        self.temperature_slider.valueChanged.connect(self._on_temperature_changed)
        self.reset_button.clicked.connect(self.reset)
        session.input_changed.connect(self._on_session_input_changed)
        session.activations_changed.connect(self._show_maps)
        session.model_changed.connect(self._on_session_model_changed)
        session.weights_changed.connect(self._on_session_weights_changed)
        session.temperature_changed.connect(self._on_session_temperature_changed)
        self._build_maps()
        self._fill_kernel_combo()
        self.retranslate()

    def retranslate(self) -> None:
        """Every label and tooltip, and the state's sentences, in the current language."""
        self.maps.setToolTip(self.tr("Click a feature map to switch its filter off; click "
                                     "again to switch it back on"))
        self.kernel_combo.setToolTip(self.tr("The first-layer filter whose weights the table "
                                             "edits"))
        self.kernel_table.setToolTip(self.tr("Type a new weight into any cell: the whole "
                                             "network follows at once"))
        relabel_combo(self.axis_combo, "WhatIfView", AXES)
        self.axis_combo.setToolTip(self.tr("Which way the sweep moves the picture"))
        self.sweep_button.setText(self.tr("Sweep −6…+6 px"))
        self.sweep_button.setToolTip(self.tr("Run the network on the picture shifted by every "
                                             "amount from −6 to +6 pixels and plot each "
                                             "class's probability"))
        self.sweep_plot.setLabel("bottom", self.tr("shift (pixels)"))
        self.sweep_plot.setLabel("left", self.tr("probability"))
        self.reset_button.setText(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Back to the trained weights, the unshifted input "
                                             "and temperature 1"))
        for label, text in zip(self.headings, HEADINGS, strict=True):
            label.setText(self.tr(text))
        for text, step in (("▲", (-1, 0)), ("◀", (0, -1)), ("▶", (0, 1)), ("▼", (1, 0))):
            self.shift_buttons[text].setToolTip(self.tr(DIRECTIONS[step]))
        self._fill_kernel_channel_label()
        self._on_session_temperature_changed()
        self._update_texts()
        self._show_accuracy_state()

    # --- construction ----------------------------------------------------------------------

    def _make_layout(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        self.headings = [_heading("") for _ in HEADINGS]
        self.headings[3] = QLabel()  # "Sweep" reads as a control's label, not a heading
        layout.addWidget(self.headings[0])
        layout.addWidget(self.maps)
        kernel_row = QHBoxLayout()
        kernel_row.addWidget(self.headings[1])
        kernel_row.addWidget(self.kernel_combo)
        kernel_row.addWidget(self.kernel_channel_label)
        kernel_row.addStretch(1)
        layout.addLayout(kernel_row)
        layout.addWidget(self.kernel_table)
        shift_row = QHBoxLayout()
        shift_row.addWidget(self.headings[2])
        arrows = QGridLayout()
        for text, (dy, dx), place in (("▲", (-1, 0), (0, 1)), ("◀", (0, -1), (1, 0)),
                                      ("▶", (0, 1), (1, 2)), ("▼", (1, 0), (2, 1))):
            button = QToolButton()  # a glyph: no push button's minimum width
            button.setText(text)
            button.setFixedWidth(34)
            button.clicked.connect(lambda _=False, dy=dy, dx=dx: self.move_input(dy, dx))
            arrows.addWidget(button, *place)
            self.shift_buttons[text] = button
        shift_row.addLayout(arrows)
        shift_row.addWidget(self.shift_label)
        shift_row.addStretch(1)
        layout.addLayout(shift_row)
        sweep_row = QHBoxLayout()
        sweep_row.addWidget(self.headings[3])
        sweep_row.addWidget(self.axis_combo)
        sweep_row.addWidget(self.sweep_button)
        sweep_row.addStretch(1)
        layout.addLayout(sweep_row)
        layout.addWidget(self.sweep_plot)
        temperature_row = QHBoxLayout()
        temperature_row.addWidget(self.headings[4])
        temperature_row.addWidget(self.temperature_slider, 1)
        temperature_row.addWidget(self.temperature_label)
        layout.addLayout(temperature_row)
        layout.addWidget(self.accuracy_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.reset_button)
        layout.addLayout(bottom)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _build_maps(self) -> None:
        self.maps.clear()
        self.grids.clear()
        self._off_items.clear()
        row = 0
        for index, layer in enumerate(self.session.model.layers):
            if not isinstance(layer, Conv2D) or layer.filters > MAX_SWITCHABLE:
                continue
            self.maps.addLabel(f"<span style='color:{theme.TEXT}; font-size:11pt'><b>"
                               f"{layer.name}</b></span>", row=row, col=0)
            view_box = self.maps.addViewBox(row=row, col=1)
            columns = min(layer.filters, 8)
            grid = ImageGrid(view_box, layer.filters, columns, layer.output_shape[:2])
            show_rect(view_box, grid.extent(), padding=0.02)
            self.grids.append((layer, index, grid))
            row += 1

    def _fill_kernel_combo(self) -> None:
        self.kernel_combo.blockSignals(True)
        self.kernel_combo.clear()
        first = self.session.model.layers[0]
        if isinstance(first, Conv2D):
            self.kernel_combo.addItems([f"{first.name} #{k}" for k in range(first.filters)])
        self._fill_kernel_channel_label()
        self.kernel_combo.blockSignals(False)
        self.kernel_combo.setEnabled(self.kernel_combo.count() > 0)
        self.kernel_table.setEnabled(self.kernel_combo.count() > 0)
        self._show_kernel()

    def _fill_kernel_channel_label(self) -> None:
        first = self.session.model.layers[0]
        if not isinstance(first, Conv2D):
            self.kernel_channel_label.setText("")
            return
        channels = first.params["kernel"].shape[2]
        self.kernel_channel_label.setText(
            self.tr("input channel 0 (the picture)") if channels == 1 else
            self.tr("input channel 0 of {0} (the table edits that one only)").format(channels))

    # --- commands ---------------------------------------------------------------------------

    def toggle_filter(self, layer_name: str, index: int) -> None:
        self._note = ""
        self.what_if.toggle(layer_name, index)
        self._apply_weights()

    def set_kernel_weight(self, u: int, v: int, value: float) -> None:
        """Set w[u, v] (input channel 0) of the first-layer filter chosen in the combo box."""
        self._edit_kernel({(u, v): value})

    def _edit_kernel(self, values: dict[tuple[int, int], float]) -> None:
        """Edit weights of the chosen first-layer filter; one switched off is switched back
        on (else the edit could not be seen), and the status says so."""
        self._note = ""
        layer = self.session.model.layers[0]
        k = self.kernel_combo.currentIndex()
        for (u, v), value in values.items():
            self.what_if.set_weight(layer.name, int(u), int(v), 0, k, float(value))
        if (layer.name, k) in self.what_if.switched_off:
            self.what_if.set_switched_off(layer.name, k, False)
            self._note = f"{layer.name} #{k} was switched off: editing it switched it on again."
        self._apply_weights()

    def move_input(self, dy: int, dx: int) -> None:
        """Shift the network's input one more step (the drawing itself stays)."""
        self.set_shift(self.shift[0] + dy, self.shift[1] + dx)

    def set_shift(self, dy: int, dx: int) -> None:
        base = self._base or self.session.digit
        self._base = base
        limit = base.pixels.shape[0] - 1
        self.shift = (int(np.clip(dy, -limit, limit)), int(np.clip(dx, -limit, limit)))
        transform = base.transform
        if transform is not None:
            origin = (transform.digit_origin[0] + self.shift[0],
                      transform.digit_origin[1] + self.shift[1])
            transform = dataclasses.replace(transform, digit_origin=origin)
        moved = PreparedDigit(shift_image(base.pixels, *self.shift), transform)
        self._changing = True
        try:
            self.session.set_input(moved)
        finally:
            self._changing = False
        self._move_sweep_marker()
        self._update_texts()

    def run_sweep(self) -> None:
        """Probabilities of every class for the (unshifted) input moved −6…+6 pixels, at the
        session's temperature."""
        base = self._base or self.session.digit
        if base.is_blank:
            self._clear_sweep()
            return
        axis = self.axis_combo.currentData()
        self.sweep = shift_sweep(self.session.model, base.pixels, axis,
                                 temperature=self.session.temperature)
        probabilities = self.sweep.probabilities
        for k, curve in enumerate(self.sweep_curves):
            if k < probabilities.shape[1]:
                curve.setData(np.array(SHIFTS, float), probabilities[:, k])
            else:
                curve.setData([], [])
        self._move_sweep_marker()
        self.sweep_plot.setXRange(SHIFTS[0] - 0.5, SHIFTS[-1] + 0.5, padding=0)
        self.sweep_plot.setTitle(f"T = {self.sweep.temperature:g}", color=theme.MUTED)

    def _name_sweep_curves(self) -> None:
        """The sweep's legend names the model's classes (one curve each, up to the palette)."""
        legend = self.sweep_plot.plotItem.legend
        legend.clear()
        for curve, name in zip(self.sweep_curves, self.session.class_names, strict=False):
            legend.addItem(curve, name)

    def _clear_sweep(self) -> None:
        self.sweep = None
        for curve in self.sweep_curves:
            curve.setData([], [])
        self.sweep_plot.setTitle(None)

    def _refresh_sweep(self) -> None:
        """Re-run a sweep on show (its input, network or temperature changed)."""
        if self.sweep is not None:
            self.run_sweep()

    def _move_sweep_marker(self) -> None:
        horizontal = self.axis_combo.currentData() == "horizontal"
        self.sweep_marker.setValue(self.shift[1] if horizontal else self.shift[0])

    def set_mnist(self, mnist: MnistData | None) -> None:
        self.mnist = mnist
        self.trained_accuracy = None
        self._accuracy_stale = True
        self._request_accuracy()

    def reset(self) -> None:
        self.what_if.reset()
        self._note = ""
        self.temperature_slider.setValue(TEMPERATURES.index(1.0))
        self._apply_weights()
        if self._base is not None:
            self.set_shift(0, 0)
            self._base = None

    @property
    def temperature(self) -> float:
        return TEMPERATURES[self.temperature_slider.value()]

    # --- keeping the session in step -------------------------------------------------------

    def _apply_weights(self) -> None:
        """Show the experiment in the session (or end it, the trained weights back), and
        score it at once."""
        self._changing = True
        try:
            if self.what_if.is_modified:
                self.session.set_experiment(self.what_if.describe(),
                                            self.what_if.trained_weights(),
                                            self.what_if.weights())
            else:
                self.session.clear_experiment()
        finally:
            self._changing = False
        self._accuracy_stale = True
        self._weights_settled.cancel()
        self._show_kernel()
        self._show_maps()
        self._refresh_sweep()
        self._update_texts()
        self._request_accuracy()

    def _on_session_input_changed(self) -> None:
        if not self._changing:           # a new drawing: shifts start again from it
            self._base = None
            self.shift = (0, 0)
            self._move_sweep_marker()
            self._refresh_sweep()
            self._update_texts()

    def _on_session_weights_changed(self) -> None:
        if self._changing:
            return
        # Training, a restore or a new model: these are the trained weights now, and any
        # experiment of ours has ended (the session ended it).
        if self.what_if.is_modified:
            self._note = ENDED_NOTE
        self.what_if = WhatIf(self.session.model)
        self._generation += 1
        self.trained_accuracy = None
        self._accuracy_stale = True
        self._show_kernel()
        self._refresh_sweep()
        self._update_texts()
        if self.mnist is not None and self.isVisible():
            self.accuracy_label.setText(self.tr("Test accuracy: once the weights have been "
                                                "still for {0} s…").format(
                f"{WEIGHTS_QUIET_MS / 1000:g}"))
        self._weights_settled()

    def _on_session_model_changed(self) -> None:
        self.what_if = WhatIf(self.session.model)
        self._note = ""
        self._generation += 1
        self.trained_accuracy = None
        self._accuracy_stale = True
        self._weights_settled.cancel()
        self._clear_sweep()
        self._name_sweep_curves()
        self._build_maps()
        self._fill_kernel_combo()
        self._on_session_temperature_changed()
        self._update_texts()
        self._request_accuracy()

    def _on_temperature_changed(self) -> None:
        self.temperature_label.setText(f"T = {self.temperature:g}")
        self.session.set_temperature(self.temperature)
        self._refresh_sweep()
        self._update_texts()

    def _on_session_temperature_changed(self) -> None:
        """The session's temperature (1 again for a new model) on the slider; the slider is
        off for a model that applies softmax itself."""
        applies = self.session.temperature_applies
        temperature = self.session.temperature
        self.temperature_slider.blockSignals(True)
        if temperature in TEMPERATURES:
            self.temperature_slider.setValue(TEMPERATURES.index(temperature))
        self.temperature_slider.blockSignals(False)
        self.temperature_slider.setEnabled(applies)
        self.temperature_slider.setToolTip(self.tr(TEMPERATURE_TIP if applies else SOFTMAX_TIP))
        self.temperature_label.setText(f"T = {temperature:g}" if applies else
                                       self.tr("T = 1 (softmax inside the model)"))
        self.temperature_label.setToolTip("" if applies else self.tr(SOFTMAX_TIP))
        self._update_texts()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._show_maps()
        if not self._weights_settled.pending:
            self._request_accuracy()

    # --- accuracy ---------------------------------------------------------------------------

    def _request_accuracy(self) -> None:
        self._weights_settled.cancel()
        if self.mnist is None or not self._accuracy_stale or not self.isVisible():
            return
        if not self.session.takes_digits:
            self.accuracy_label.setText(self.tr("No test accuracy: {0}.").format(
                self.session.mnist_mismatch()))
            return
        self._accuracy_stale = False
        self.accuracy_label.setText(self.tr("Test accuracy: computing…"))
        weights = self.what_if.weights()
        # The trained accuracy is kept across the view's own experiments; unknown, it is the
        # accuracy itself when nothing is changed, else a second evaluation
        trained = None if (self.trained_accuracy is not None or not self.what_if.is_modified) \
            else self.what_if.trained_weights()
        self._accuracy_worker.submit((self.session.model.clone(), weights, trained,
                                      self.mnist.test_images, self.mnist.test_labels,
                                      self._generation, self.what_if.is_modified))

    def _on_accuracy_finished(self, request, result) -> None:
        accuracy, trained, seconds = result
        *_, generation, modified = request
        if generation != self._generation:
            return        # computed for weights that are gone
        if trained is not None:
            self.trained_accuracy = trained
        elif not modified:
            self.trained_accuracy = accuracy
        if self._accuracy_worker.busy:
            return
        self.accuracy, self._accuracy_seconds = accuracy, seconds
        self.accuracy_label.setText(self._accuracy_text(seconds))

    def _show_accuracy_state(self) -> None:
        """The accuracy sentence again (in the current language), where one is known."""
        if self.mnist is None:
            self.accuracy_label.setText(self.tr(
                "Load MNIST to see the test accuracy of the modified network: the Train tab's "
                "Start offers to download it or find its folder."))
        elif self.accuracy is not None and not self._accuracy_stale \
                and self._accuracy_seconds is not None:
            self.accuracy_label.setText(self._accuracy_text(self._accuracy_seconds))

    def _on_accuracy_failed(self, request, error: Exception) -> None:
        self.accuracy_label.setText(self.tr("The test accuracy could not be computed: {0}")
                                    .format(error))

    def _accuracy_text(self, seconds: float) -> str:
        count = len(self.mnist.test_labels)
        text = self.tr("Test accuracy on {0} MNIST digits: {1} %").format(
            f"{count:,}", f"{100 * self.accuracy:.2f}")
        if self.what_if.is_modified and self.trained_accuracy is not None:
            change = 100 * (self.accuracy - self.trained_accuracy)
            text += " " + self.tr("(trained: {0} %, {1} points)").format(
                f"{100 * self.trained_accuracy:.2f}", f"{change:+.2f}")
        return text + f" · {seconds:.2f} s"

    # --- display ----------------------------------------------------------------------------

    def _show_maps(self) -> None:
        activations = self.session.activations
        if activations is None or not self.isVisible():
            return
        for item in self._off_items:
            item.scene() and item.scene().removeItem(item)
        self._off_items.clear()
        for layer, index, grid in self.grids:
            maps = activations[index]
            images = [np.ascontiguousarray(maps[:, :, k]) for k in range(maps.shape[-1])]
            grid.set_images(images, theme.symmetric_levels(maps))
            for layer_name, k in self.what_if.switched_off:
                if layer_name == layer.name:
                    self._off_items.append(_cross(grid, k))

    def _show_kernel(self) -> None:
        layer = self.session.model.layers[0]
        k = self.kernel_combo.currentIndex()
        if isinstance(layer, Conv2D) and k >= 0:
            self.kernel_table.set_values(layer.params["kernel"][:, :, 0, k])

    def _update_texts(self) -> None:
        dy, dx = self.shift
        self.shift_label.setText(self.tr("shift: {0} px right, {1} px down").format(
            f"{dx:+d}", f"{dy:+d}"))
        changes = self.what_if.describe()
        parts = [changes] if self.what_if.is_modified else []
        if self.shift != (0, 0):
            parts.append(self.tr("input shifted ({0}, {1})").format(f"{dx:+d}", f"{dy:+d}"))
        if self.session.temperature != 1.0:
            parts.append(self.tr("temperature {0}").format(f"{self.session.temperature:g}"))
        note = f"{self.tr(self._note)} " if self._note else ""
        self.status_label.setText(note + (
            self.tr("What if: {0}. Every view shows the changed network; Reset brings back "
                    "the trained one (Save and training use it anyway).").format(
                "; ".join(parts)) if parts
            else self.tr("The trained network, unchanged.")))
        self.reset_button.setEnabled(bool(parts))

    # --- reactions --------------------------------------------------------------------------

    def _on_maps_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        for layer, _, grid in self.grids:
            hit = grid.cell_at(event.scenePos())
            if hit is not None:
                self.toggle_filter(layer.name, hit[0])
                event.accept()
                return

    def _on_kernel_table_edited(self) -> None:
        layer = self.session.model.layers[0]
        values = self.kernel_table.values()
        current = layer.params["kernel"][:, :, 0, self.kernel_combo.currentIndex()]
        self._edit_kernel({(int(u), int(v)): float(values[u, v])
                           for u, v in zip(*np.nonzero(values != current), strict=True)})


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(theme.font(12, bold=True))
    return label


def _cross(grid: ImageGrid, index: int) -> pg.GraphicsObject:
    """A grey veil and a cross over cell index: this filter is switched off."""
    top, left = grid.cell_origin(index)
    height, width = grid.cell_shape
    xs = np.array([left, left + width, np.nan, left, left + width], float)
    ys = np.array([top, top + height, np.nan, top + height, top], float)
    cross = pg.PlotCurveItem(xs, ys, pen=theme.pen(theme.TEXT, 2.0), connect="finite")
    cross.setParentItem(grid.image_item)
    return cross


def _test_accuracy(request) -> tuple[float, float | None, float]:
    """The worker's job: test accuracy with the modified weights (and the trained ones when
    not known yet), on its own model clone; seconds taken."""
    model, weights, trained, images, labels, *_ = request
    start = time.perf_counter()
    model.set_weights(weights)
    accuracy = evaluate(model, images, labels).accuracy
    seconds = time.perf_counter() - start
    trained_accuracy = None
    if trained is not None:
        model.set_weights(trained)
        trained_accuracy = evaluate(model, images, labels).accuracy
    return accuracy, trained_accuracy, seconds

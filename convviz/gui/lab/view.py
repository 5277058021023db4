"""The Lab tab: start from a preset or from nothing, add, remove, reorder and edit layers with
their Keras arguments, and watch every layer's shape, parameters, memory and output-size
formula follow as you type; impossible settings are explained next to their layer.

The design and its check live in the core (`core.design`); this view edits the design and
shows `Design.check()`, which is quick enough to run on the GUI thread at every keystroke
(benchmarks/bench_lab.py). Only the time-per-epoch estimate, which trains a few batches, runs
on a worker. "Train this design" hands a builder to the Train tab through the main window.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from convviz.core.design.design import NEW_LAYER_ARGUMENTS, Design, DesignCheck
from convviz.core.design.estimate import EpochEstimate, estimate_epoch
from convviz.core.design.files import load_design, save_design
from convviz.core.design.keras_code import keras_code, layer_call
from convviz.core.formatting import format_bytes, format_duration
from convviz.core.nn.presets import PRESETS
from convviz.gui import error_log, workers
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, relabel_combo, translate
from convviz.gui.lab.design_table import DesignTable
from convviz.gui.lab.layer_editor import ARGUMENTS, LayerEditor
from convviz.gui.widgets import theme
from convviz.gui.widgets.message_bar import MessageBar, MessageLevel

EMPTY = "empty"
PRESET_NAMES = {
    "lenet5-classic": QT_TRANSLATE_NOOP("LabView", "LeNet-5 classic (tanh, average pooling)"),
    "lenet5-modern": QT_TRANSLATE_NOOP("LabView", "LeNet-5 modern (ReLU, max pooling)"),
    "mlp": QT_TRANSLATE_NOOP("LabView", "MLP baseline (no convolution)"),
    "small-vgg": QT_TRANSLATE_NOOP("LabView", "small VGG-style CNN"),
    "one-5x5": QT_TRANSLATE_NOOP("LabView", "one 5×5 convolution"),
    "two-3x3": QT_TRANSLATE_NOOP("LabView", "two 3×3 convolutions"),
    "colour-cnn": QT_TRANSLATE_NOOP("LabView", "colour CNN (32×32×3 photos)"),
    EMPTY: QT_TRANSLATE_NOOP("LabView", "an empty network")}
"""The start menu's names, keyed by preset (the combo box's data)."""
ESTIMATE_DELAY_MS = 500
"""The epoch time is measured once the design has stayed the same this long."""
JSON_FILTER = QT_TRANSLATE_NOOP("LabView", "Architecture (*.json)")
INPUT_TIPS = (QT_TRANSLATE_NOOP("LabView", "Input height"),
              QT_TRANSLATE_NOOP("LabView", "Input width"),
              QT_TRANSLATE_NOOP("LabView", "Input channels (1 grey, 3 colour)"))


class LabView(Retranslating, QWidget):
    """The design on the left (start, input, layers, the chosen layer's arguments), its check
    on the right (the table, totals, problems, time per epoch) and the actions under it."""

    train_requested = Signal(object, str)
    """(builder(seed) -> Sequential, description): train this design in the Train tab."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.design = Design()
        self.check: DesignCheck = self.design.check()
        self.ask_save_path: Callable[[], str | None] = lambda: QFileDialog.getSaveFileName(
            self, self.tr("Save the design"), "my-cnn.json",
            translate("LabView", JSON_FILTER))[0] or None
        self.ask_open_path: Callable[[], str | None] = lambda: QFileDialog.getOpenFileName(
            self, self.tr("Open a design"), "", translate("LabView", JSON_FILTER))[0] or None
        self.estimate: EpochEstimate | None = None
        self._estimate_error: str | None = None
        self._estimator = workers.LatestRequestWorker(self._measure, self)
        self._estimator.request_finished.connect(self._on_estimator_request_finished)
        self._estimator.request_failed.connect(self._on_estimator_request_failed)
        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DELAY_MS)
        self._estimate_timer.timeout.connect(self._on_estimate_timer_timeout)
        self._make_layout()
        self._connect()
        self.retranslate()
        self.start_from("small-vgg")

    # --- construction ----------------------------------------------------------------------------

    def _make_layout(self) -> None:
        self.message_bar = MessageBar(closable=True)
        self.preset_box = QComboBox()
        for name in [*PRESETS, EMPTY]:
            self.preset_box.addItem(name, name)  # labelled by retranslate
        self.preset_button = QPushButton()
        self.input_boxes = [QSpinBox() for _ in range(3)]
        for box, (low, high) in zip(self.input_boxes, ((1, 256), (1, 256), (1, 4)), strict=True):
            box.setRange(low, high)
        self.layer_list = QListWidget()
        self.add_box = QComboBox()
        for kind in NEW_LAYER_ARGUMENTS:
            self.add_box.addItem(kind, kind)  # Keras class names: the same in every language
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.up_button = QPushButton()
        self.down_button = QPushButton()
        self.editor = LayerEditor()
        start_row = QHBoxLayout()
        start_row.addWidget(self.preset_box, 1)
        start_row.addWidget(self.preset_button)
        input_row = QHBoxLayout()
        self.input_label = QLabel()
        input_row.addWidget(self.input_label)
        for index, box in enumerate(self.input_boxes):
            if index:
                input_row.addWidget(QLabel("×"))
            input_row.addWidget(box)
        input_row.addStretch(1)
        edit_row = QGridLayout()
        edit_row.addWidget(self.add_box, 0, 0, 1, 2)
        edit_row.addWidget(self.add_button, 0, 2)
        edit_row.addWidget(self.remove_button, 1, 0)
        edit_row.addWidget(self.up_button, 1, 1)
        edit_row.addWidget(self.down_button, 1, 2)
        self.editor_title = QLabel()
        self.editor_title.setFont(theme.font(11, bold=True))
        design = QWidget()
        column = QVBoxLayout(design)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(start_row)
        column.addLayout(input_row)
        column.addWidget(self.layer_list, 1)
        column.addLayout(edit_row)
        column.addSpacing(6)
        column.addWidget(self.editor_title)
        column.addWidget(self.editor)
        self.design_panel = theme.Panel("", design)
        self.design_panel.setMinimumWidth(340)
        self.table = DesignTable()
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.setStyleSheet(f"color: {theme.ERROR_COLOURS[1]};")
        self.estimate_label = QLabel()
        self.estimate_label.setWordWrap(True)
        self.copy_button = QPushButton()
        self.save_button = QPushButton()
        self.open_button = QPushButton()
        self.train_button = QPushButton()
        self.train_button.setFont(theme.font(12, bold=True))
        actions = QHBoxLayout()
        for button in (self.copy_button, self.save_button, self.open_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.train_button)
        check = QWidget()
        check_column = QVBoxLayout(check)
        check_column.setContentsMargins(0, 0, 0, 0)
        check_column.addWidget(self.table, 1)
        check_column.addWidget(self.totals_label)
        check_column.addWidget(self.problems_label)
        check_column.addWidget(self.estimate_label)
        check_column.addLayout(actions)
        self.check_panel = theme.Panel("", check)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.design_panel)
        splitter.addWidget(self.check_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 930])  # room for the input row in longer languages
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        """Every label, tooltip and computed line of the tab in the current language."""
        relabel_combo(self.preset_box, "LabView", PRESET_NAMES)
        self.preset_box.setToolTip(self.tr("A network to start from: a preset of the course, "
                                           "or empty"))
        self.preset_button.setText(self.tr("Start from this"))
        self.preset_button.setToolTip(self.tr("Replace the design with this preset"))
        for box, tip in zip(self.input_boxes, INPUT_TIPS, strict=True):
            box.setToolTip(translate("LabView", tip))
        self.input_label.setText(self.tr("Input"))
        self.layer_list.setToolTip(self.tr("Delete removes the layer, Ctrl+Up / Ctrl+Down move "
                                           "it, Insert adds the chosen type after it"))
        self.add_box.setToolTip(self.tr("The kind of layer + Add puts after the chosen one"))
        for button, text, tip in (
                (self.add_button, self.tr("+ Add"),
                 self.tr("Add a layer of this type after the chosen one (Insert)")),
                (self.remove_button, self.tr("− Remove"),
                 self.tr("Remove the chosen layer (Delete)")),
                (self.up_button, self.tr("▲ Up"), self.tr("Move the chosen layer up (Ctrl+Up)")),
                (self.down_button, self.tr("▼ Down"),
                 self.tr("Move the chosen layer down (Ctrl+Down)")),
                (self.copy_button, self.tr("Copy as Keras code"),
                 self.tr("The design as a Sequential with add calls, for a notebook")),
                (self.save_button, self.tr("Save design…"),
                 self.tr("Save a working design as a JSON architecture")),
                (self.open_button, self.tr("Open design…"),
                 self.tr("Open a design saved as a JSON architecture")),
                (self.train_button, self.tr("▶ Train this design"),
                 self.tr("Train it in the Train tab, on a dataset whose images and classes it "
                         "fits"))):
            button.setText(text)
            button.setToolTip(tip)
        self.design_panel.title_label.setText(self.tr("Design"))
        self.check_panel.title_label.setText(self.tr("What each layer does"))
        self.check_panel.set_subtitle(self.tr("Recomputed as you type; a sliding window's "
                                              "output size is ⌊(n + padding − d·(k − 1) − 1) / "
                                              "s⌋ + 1"))
        if self.layer_list.count() == len(self.design.layers):  # not before the first design
            self.table.show_check(self.check)
            self._show_title(self.layer_list.currentRow())
            self._show_totals(self.check)
            self._show_estimate()

    def _connect(self) -> None:
        self.preset_button.clicked.connect(
            lambda: self.start_from(self.preset_box.currentData()))
        for axis, box in enumerate(self.input_boxes):
            box.valueChanged.connect(functools.partial(self._on_input_box_changed, axis))
        self.layer_list.currentRowChanged.connect(self._on_layer_list_row_changed)
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.up_button.clicked.connect(lambda: self.move_layer(-1))
        self.down_button.clicked.connect(lambda: self.move_layer(1))
        self.editor.argument_changed.connect(self._on_editor_argument_changed)
        self.copy_button.clicked.connect(self.copy_code)
        self.save_button.clicked.connect(self.save)
        self.open_button.clicked.connect(self.open)
        self.train_button.clicked.connect(self._on_train_button_clicked)
        context = Qt.ShortcutContext.WidgetShortcut
        for keys, action in ((QKeySequence.StandardKey.Delete, self.remove_layer),
                             (QKeySequence("Ctrl+Up"), lambda: self.move_layer(-1)),
                             (QKeySequence("Ctrl+Down"), lambda: self.move_layer(1)),
                             (QKeySequence("Insert"), self.add_layer)):
            shortcut = QShortcut(keys, self.layer_list)
            shortcut.setContext(context)
            shortcut.activated.connect(action)

    # --- commands --------------------------------------------------------------------------------

    def start_from(self, preset: str) -> None:
        """Replace the design with a preset (or an empty network for "empty")."""
        design = Design() if preset == EMPTY else Design.from_preset(preset)
        self.preset_box.setCurrentIndex(self.preset_box.findData(preset))
        name = translate("LabView", PRESET_NAMES.get(preset, PRESET_NAMES[EMPTY]))
        self.set_design(design, self.tr("Started from {0}.").format(name))

    def set_design(self, design: Design, message: str | None = None) -> None:
        self.design = design
        for box, size in zip(self.input_boxes, design.input_shape, strict=False):
            box.blockSignals(True)
            box.setValue(size)
            box.blockSignals(False)
        self.layer_list.clear()
        self.layer_list.addItems(["" for _ in design.layers])
        self._changed(0 if design.layers else -1)
        if message:
            self.message_bar.show_message(message, MessageLevel.INFO)

    def add_layer(self) -> None:
        """Add the chosen layer type after the selected layer (or at the end)."""
        row = self.layer_list.currentRow()
        index = self.design.add(self.add_box.currentData(),
                                row + 1 if row >= 0 else None)
        self.layer_list.insertItem(index, "")
        self._changed(index)

    def remove_layer(self) -> None:
        row = self.layer_list.currentRow()
        if row < 0:
            return
        self.design.remove(row)
        self.layer_list.takeItem(row)
        self._changed(min(row, len(self.design.layers) - 1))

    def move_layer(self, offset: int) -> None:
        row = self.layer_list.currentRow()
        if row < 0:
            return
        self._changed(self.design.move(row, offset))

    def copy_code(self) -> None:
        QApplication.clipboard().setText(keras_code(self.design))
        self.message_bar.show_message(self.tr("The Keras code is on the clipboard: paste it "
                                              "into a notebook or script where convviz is "
                                              "installed."), MessageLevel.INFO)

    def save(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        try:
            save_design(self.design, path)
        except OSError as error:
            self.message_bar.show_message(
                self.tr("The design could not be saved to {0}: {1}.").format(
                    path, error.strerror or error), MessageLevel.ERROR)
            return
        self.message_bar.show_message(self.tr("Saved the design to {0}.").format(path),
                                      MessageLevel.INFO)

    def open(self) -> None:
        path = self.ask_open_path()
        if not path:
            return
        try:
            design = load_design(path)
        except ValueError as error:
            text = error_log.report(error, f"Opening the design {path}")
            self.message_bar.show_message(self.tr("This design cannot be opened: {0}").format(
                text), MessageLevel.ERROR)
            return
        self.set_design(design, self.tr("Opened the design {0}.").format(Path(path).name))

    # --- reactions -------------------------------------------------------------------------------

    def _on_input_box_changed(self, axis: int, value: int) -> None:
        shape = list(self.design.input_shape) + [1] * (3 - len(self.design.input_shape))
        shape[axis] = value
        self.design.input_shape = tuple(shape)
        self._changed(self.layer_list.currentRow())

    def _on_layer_list_row_changed(self, row: int) -> None:
        self._show_title(row)
        self.editor.show_layer(self.design.layers[row] if 0 <= row < len(self.design.layers)
                               else None)

    def _on_editor_argument_changed(self, argument: str, value: object) -> None:
        row = self.layer_list.currentRow()
        if row >= 0:
            self.design.set_argument(row, argument, value)
            self._changed(row, keep_editor=True)

    def _changed(self, row: int, keep_editor: bool = False) -> None:
        """Check the design again and show it; `row` becomes the chosen layer."""
        self.check = check = self.design.check()
        self.table.show_check(check)
        for index, spec in enumerate(self.design.layers):
            call = layer_call(spec, ARGUMENTS.get(spec.kind, ())).removeprefix("layers.")
            text = f"{index + 1}. {call}"
            item = self.layer_list.item(index)
            if item.text() != text:
                item.setText(text)
            problem = check.layers[index].problem
            item.setForeground(QBrush(QColor(theme.ERROR_COLOURS[1] if problem else theme.TEXT)))
            item.setToolTip(f"{spec.name}: {problem}" if problem else spec.name)
        if keep_editor:
            self._show_title(row)
        elif self.layer_list.currentRow() == row:
            self._on_layer_list_row_changed(row)
        else:
            self.layer_list.setCurrentRow(row)  # shows that layer's arguments
        self._show_totals(check)
        self.train_button.setEnabled(check.valid)
        self.save_button.setEnabled(check.valid)  # the safe reader opens working designs only
        self.estimate = None
        self._estimate_error = None
        if check.valid:
            self._estimate_timer.start()
        else:
            self._estimate_timer.stop()
        self._show_estimate()

    def _show_title(self, row: int) -> None:
        spec = self.design.layers[row] if 0 <= row < len(self.design.layers) else None
        self.editor_title.setText(self.tr("Layer {0}: {1} ({2})").format(row + 1, spec.name,
                                                                         spec.kind)
                                  if spec else self.tr("No layer chosen"))

    def _show_totals(self, check: DesignCheck) -> None:
        summary = check.summary
        if check.valid:
            self.totals_label.setText(self.tr(
                "<b>{0}</b> parameters ({1}) · activations <b>{2}</b> per image · {3} in, "
                "{4} class scores out").format(
                    f"{summary.total_params:,}", format_bytes(summary.parameter_bytes),
                    format_bytes(summary.activation_bytes_per_instance),
                    "×".join(map(str, self.design.input_shape)),
                    summary.rows[-1].output_shape[0]))
        else:
            self.totals_label.setText("")
        self.problems_label.setText("<br>".join(check.problems))
        self.problems_label.setVisible(bool(check.problems))

    def _on_train_button_clicked(self) -> None:
        check = self.check
        if not check.valid:
            return
        design = copy.deepcopy(self.design)
        self.train_requested.emit(design.build,
                                  self.tr("the Lab's design {0}").format(design.name))

    # --- the epoch estimate ----------------------------------------------------------------------

    @staticmethod
    def _measure(design: Design) -> EpochEstimate:
        return estimate_epoch(design)

    def _on_estimate_timer_timeout(self) -> None:
        if not (self.check.valid and self.isVisible()):  # measured while on show only
            return
        if self._estimator.busy:  # never a queued request: a closing tab waits for one run
            self._estimate_timer.start()
        else:
            self._estimator.submit(copy.deepcopy(self.design))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.estimate is None and self.check.valid:
            self._estimate_timer.start()

    def hideEvent(self, event) -> None:
        self._estimate_timer.stop()
        super().hideEvent(event)

    def _on_estimator_request_finished(self, design: Design, estimate: EpochEstimate) -> None:
        if design != self.design:
            return  # a newer design will be measured
        self.estimate = estimate
        self._show_estimate()

    def _on_estimator_request_failed(self, design: Design, error: Exception) -> None:
        if design == self.design:
            self._estimate_error = error_log.report(error, "Measuring the design's training "
                                                           "speed")
            self._show_estimate()

    def _show_estimate(self) -> None:
        """The time-per-epoch line: measured, being measured, failed, or not yet possible."""
        estimate = self.estimate
        if self._estimate_error is not None:
            text = self.tr("Time per epoch could not be measured: {0}").format(
                self._estimate_error)
        elif not self.check.valid:
            text = self.tr("Time per epoch: once the design works.")
        elif estimate is None:
            text = self.tr("Time per epoch: measuring on this computer…")
        else:
            text = self.tr("Time per epoch on this computer: about <b>{0}</b> for {1} images at "
                           "batch {2} ({3} ms a batch, measured).").format(
                format_duration(estimate.seconds_per_epoch), f"{estimate.images:,}",
                estimate.batch_size, f"{1000 * estimate.seconds_per_batch:.0f}")
            if estimate.slow:
                warning = self.tr("<b>That is over three minutes an epoch:</b> fewer filters, "
                                  "smaller Dense layers or pooling earlier make it faster.")
                text += f" <span style='color:{theme.WARNING_COLOURS[1]}'>{warning}</span>"
        self.estimate_label.setText(text)

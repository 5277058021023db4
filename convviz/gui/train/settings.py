"""The settings of a training run, as widgets whose ranges keep out values that make no sense.

What the ranges cannot say, `TrainingConfig` checks: `config()` raises its ValueError, whose
message the Train tab shows. While a run goes on only the learning rate stays editable: the
trainer takes a new rate between two batches.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from convviz.core.nn.model import Sequential, lenet5
from convviz.core.training.trainer import ARCHITECTURES, DEFAULT_LEARNING_RATES, TrainingConfig
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, relabel_combo, translate

OPTIMIZER_NAMES = {
    "sgd": "SGD",
    "momentum": QT_TRANSLATE_NOOP("TrainingSettings", "SGD with momentum"),
    "nesterov": QT_TRANSLATE_NOOP("TrainingSettings", "Nesterov momentum"),
    "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam"}
ARCHITECTURE_NAMES = {
    "classic": QT_TRANSLATE_NOOP("TrainingSettings", "LeNet-5 classic: tanh, avg pool"),
    "modern": QT_TRANSLATE_NOOP("TrainingSettings", "LeNet-5 modern: ReLU, max pool"),
    "colour-cnn": QT_TRANSLATE_NOOP("TrainingSettings", "colour CNN (CIFAR-10, photos)"),
    "small-vgg": QT_TRANSLATE_NOOP("TrainingSettings", "small VGG: 3×3 blocks"),
    "mlp": QT_TRANSLATE_NOOP("TrainingSettings", "MLP baseline: no convolution")}
"""The networks Start can build, for whatever images the chosen dataset holds."""
DATASET_NAMES = {
    "mnist": QT_TRANSLATE_NOOP("TrainingSettings", "MNIST digits"),
    "fashion-mnist": QT_TRANSLATE_NOOP("TrainingSettings", "Fashion-MNIST clothes"),
    "cifar10": QT_TRANSLATE_NOOP("TrainingSettings", "CIFAR-10 colour photos"),
    "folder": QT_TRANSLATE_NOOP("TrainingSettings", "a folder of my own images…")}
START_NAMES = {"new": QT_TRANSLATE_NOOP("TrainingSettings", "random weights"),
               "current": QT_TRANSLATE_NOOP("TrainingSettings", "the current model")}
FORM_LABELS = (
    QT_TRANSLATE_NOOP("TrainingSettings", "Dataset"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Start from"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Network"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Optimizer"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Learning rate"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Batch size"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Epochs"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Weight decay"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Dropout"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Augmentation"),
    QT_TRANSLATE_NOOP("TrainingSettings", "Seed"),
)
"""The form's labels, in the order of its fields."""
DEFAULTS = {"arch": "classic", "optimizer": "adam", "batch_size": 64, "epochs": 5}
LEARNING_RATE_RANGE = (1e-5, 10_000.0)
"""Up to absurd rates on purpose: a class can watch a run diverge (and be stopped)."""


def lenet5_variant(model: Sequential) -> str | None:
    """"classic" or "modern" if `model` is a LeNet-5 of that kind (dropout layers aside)."""
    layers = [layer for layer in model.get_config()["layers"] if layer["class"] != "Dropout"]
    for variant in ARCHITECTURES:
        if lenet5(variant).get_config()["layers"] == layers:
            return variant
    return None


class TrainingSettings(Retranslating, QWidget):
    """Start point, architecture, optimizer, learning rate, batch, epochs, regularisation, seed."""

    learning_rate_changed = Signal(float)
    dataset_changed = Signal(str)
    """A DATASET_NAMES key, when the person picks another dataset."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.start_box = QComboBox()
        self._runs: list[tuple[int, str]] = []
        self.dataset_box = QComboBox()
        self.arch_box = QComboBox()
        self.optimizer_box = QComboBox()
        for box, names in ((self.start_box, START_NAMES), (self.dataset_box, DATASET_NAMES),
                           (self.arch_box, ARCHITECTURE_NAMES),
                           (self.optimizer_box, OPTIMIZER_NAMES)):
            for key in names:
                box.addItem(key, key)  # labelled by retranslate; code reads currentData()
        self.learning_rate_box = QDoubleSpinBox()
        self.learning_rate_box.setDecimals(5)
        self.learning_rate_box.setRange(*LEARNING_RATE_RANGE)
        self.learning_rate_box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate_box.setKeyboardTracking(False)
        self.batch_box = QSpinBox()
        self.batch_box.setRange(1, 2048)
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 200)
        self.decay_box = QDoubleSpinBox()
        self.decay_box.setDecimals(5)
        self.decay_box.setRange(0.0, 0.1)
        self.decay_box.setSingleStep(0.0001)
        self.dropout_box = QDoubleSpinBox()
        self.dropout_box.setDecimals(2)
        self.dropout_box.setRange(0.0, 0.9)
        self.dropout_box.setSingleStep(0.05)
        self.augment_box = QCheckBox()
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(5)
        self._fields = (self.dataset_box, self.start_box, self.arch_box, self.optimizer_box,
                        self.learning_rate_box, self.batch_box, self.epochs_box, self.decay_box,
                        self.dropout_box, self.augment_box, self.seed_box)
        for widget in self._fields:
            form.addRow(QLabel(), widget)  # labelled by retranslate
        self.form = form
        self._current_variant: str | None = None
        self.arch_box.setCurrentIndex(self.arch_box.findData(DEFAULTS["arch"]))
        self.optimizer_box.setCurrentIndex(self.optimizer_box.findData(DEFAULTS["optimizer"]))
        self.learning_rate_box.setValue(DEFAULT_LEARNING_RATES[DEFAULTS["optimizer"]])
        self.batch_box.setValue(DEFAULTS["batch_size"])
        self.epochs_box.setValue(DEFAULTS["epochs"])
        self.optimizer_box.currentIndexChanged.connect(self._on_optimizer_box_changed)
        self.start_box.currentIndexChanged.connect(self._on_start_box_changed)
        self.learning_rate_box.valueChanged.connect(self.learning_rate_changed)
        self.dataset_box.currentIndexChanged.connect(
            lambda: self.dataset_changed.emit(self.dataset))
        self._running = False
        self.retranslate()

    def retranslate(self) -> None:
        """Labels, tooltips and the combo boxes' entries in the current language."""
        for text, widget in zip(FORM_LABELS, self._fields, strict=True):
            self.form.labelForField(widget).setText(translate("TrainingSettings", text))
        for box, names in ((self.start_box, START_NAMES), (self.dataset_box, DATASET_NAMES),
                           (self.arch_box, ARCHITECTURE_NAMES),
                           (self.optimizer_box, OPTIMIZER_NAMES)):
            relabel_combo(box, "TrainingSettings", names)
        self._label_runs()
        self._label_current_model()
        for widget, tip in (
                (self.start_box, self.tr("Train a new network from random weights, or go on "
                                         "training the model the other tabs show")),
                (self.dataset_box, self.tr("The images to train on: each is downloaded "
                                           "(checked against its published checksum) or found "
                                           "in a folder")),
                (self.arch_box, self.tr("The network Start builds for the dataset's images. "
                                        "LeNet-5 classic: 1998 (tanh, average pooling); modern: "
                                        "ReLU and max pooling; the colour CNN suits colour "
                                        "photos")),
                (self.optimizer_box, self.tr("How each update follows the gradient")),
                (self.learning_rate_box, self.tr("Step size of each update; may be changed "
                                                 "while training runs")),
                (self.batch_box, self.tr("Images per update")),
                (self.epochs_box, self.tr("Passes over the training images")),
                (self.decay_box, self.tr("L2 penalty on the kernels: pulls weights towards "
                                         "zero")),
                (self.dropout_box, self.tr("Share of C5 and F6 outputs switched off at random "
                                           "while training (0: no dropout)")),
                (self.augment_box, self.tr("Random small shifts, rotations and scaling of each "
                                           "training image")),
                (self.seed_box, self.tr("The same seed and settings give the same run"))):
            widget.setToolTip(tip)
        self.augment_box.setText(self.tr("shift, rotate, scale"))

    def _label_runs(self) -> None:
        """The "initial weights of run N" entries (after the two fixed ones)."""
        for offset, (number, architecture) in enumerate(self._runs):
            index = 2 + offset
            self.start_box.setItemText(index, self.tr("the initial weights of run {0}").format(
                number))
            self.start_box.setItemData(index, self.tr(
                "Run {0}'s random start ({1}): a fair comparison changes one setting "
                "only").format(number, architecture), Qt.ItemDataRole.ToolTipRole)

    def _label_current_model(self) -> None:
        item = self.start_box.model().item(1)
        item.setToolTip("" if self._current_variant else
                        self.tr("The current model is not a LeNet-5 this tab can train"))

    @property
    def starts_from_current(self) -> bool:
        return self.start_box.currentData() == "current"

    @property
    def dataset(self) -> str:
        """The chosen DATASET_NAMES key."""
        return self.dataset_box.currentData()

    @property
    def initial_weights_run(self) -> int | None:
        """The run whose initial weights a new run starts from, or None."""
        data = self.start_box.currentData()
        return int(data.removeprefix("run:")) if data.startswith("run:") else None

    def set_runs_with_weights(self, runs: list[tuple[int, str]]) -> None:
        """Offer "the initial weights of run N" for these (number, architecture) runs."""
        chosen = self.start_box.currentData()
        while self.start_box.count() > 2:
            self.start_box.removeItem(2)
        self._runs = list(runs)
        for number, _ in runs:
            key = f"run:{number}"  # the data; the text comes from _label_runs
            self.start_box.addItem(str(number), key)
        self._label_runs()
        index = self.start_box.findData(chosen)
        self.start_box.setCurrentIndex(max(index, 0))
    @property
    def arch(self) -> str:
        return self.arch_box.currentData()

    @property
    def current_variant(self) -> str | None:
        """The LeNet-5 kind of the current model ("classic" or "modern"), or None."""
        return self._current_variant

    def set_current_model(self, model: Sequential) -> None:
        """Offer "the current model" as a start only if it is a LeNet-5 the trainer builds."""
        self._current_variant = lenet5_variant(model)
        item = self.start_box.model().item(1)
        item.setEnabled(self._current_variant is not None)
        self._label_current_model()
        if self._current_variant is None and self.starts_from_current:
            self.start_box.setCurrentIndex(0)
        self._on_start_box_changed()

    def config(self, validation_size: int, classes: int = 10) -> TrainingConfig:
        """The run these settings describe; ValueError (with a readable message) if invalid."""
        return TrainingConfig(
            arch=self.arch, classes=classes, epochs=self.epochs_box.value(),
            batch_size=self.batch_box.value(),
            optimizer=self.optimizer_box.currentData(),
            learning_rate=self.learning_rate_box.value(), weight_decay=self.decay_box.value(),
            dropout=self.dropout_box.value(), augment=self.augment_box.isChecked(),
            seed=self.seed_box.value(), validation_size=validation_size)

    def set_running(self, running: bool) -> None:
        """Lock everything but the learning rate while a run goes on."""
        self._running = running
        for widget in (self.dataset_box, self.start_box, self.optimizer_box, self.batch_box,
                       self.epochs_box, self.decay_box, self.dropout_box, self.augment_box,
                       self.seed_box):
            widget.setEnabled(not running)
        self._on_start_box_changed()

    def _on_optimizer_box_changed(self) -> None:
        self.learning_rate_box.setValue(DEFAULT_LEARNING_RATES[self.optimizer_box.currentData()])

    def _on_start_box_changed(self) -> None:
        current = self.starts_from_current and self._current_variant is not None
        if current:
            self.arch_box.setCurrentIndex(self.arch_box.findData(self._current_variant))
        self.arch_box.setEnabled(not self._running and not current)

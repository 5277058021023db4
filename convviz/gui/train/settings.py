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
    QSpinBox,
    QWidget,
)

from convviz.core.nn.model import Sequential, lenet5
from convviz.core.training.trainer import ARCHITECTURES, DEFAULT_LEARNING_RATES, TrainingConfig

OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "nesterov": "Nesterov momentum",
                   "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam"}
ARCHITECTURE_NAMES = {"classic": "LeNet-5 classic: tanh, avg pool",
                      "modern": "LeNet-5 modern: ReLU, max pool",
                      "colour-cnn": "colour CNN (CIFAR-10, photos)",
                      "small-vgg": "small VGG: 3×3 blocks",
                      "mlp": "MLP baseline: no convolution"}
"""The networks Start can build, for whatever images the chosen dataset holds."""
DATASET_NAMES = {"mnist": "MNIST digits", "fashion-mnist": "Fashion-MNIST clothes",
                 "cifar10": "CIFAR-10 colour photos", "folder": "a folder of my own images…"}
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


class TrainingSettings(QWidget):
    """Start point, architecture, optimizer, learning rate, batch, epochs, regularisation, seed."""

    learning_rate_changed = Signal(float)
    dataset_changed = Signal(str)
    """A DATASET_NAMES key, when the person picks another dataset."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.start_box = QComboBox()
        self.start_box.addItem("random weights", "new")
        self.start_box.addItem("the current model", "current")
        self.start_box.setToolTip("Train a new network from random weights, or go on training "
                                  "the model the other tabs show")
        self.dataset_box = QComboBox()
        self.dataset_box.setToolTip("The images to train on: each is downloaded (checked "
                                    "against its published checksum) or found in a folder")
        for name, text in DATASET_NAMES.items():
            self.dataset_box.addItem(text, name)
        self.arch_box = QComboBox()
        self.arch_box.setToolTip("The network Start builds for the dataset's images. LeNet-5 "
                                 "classic: 1998 (tanh, average pooling); modern: ReLU and max "
                                 "pooling; the colour CNN suits colour photos")
        for variant, text in ARCHITECTURE_NAMES.items():
            self.arch_box.addItem(text, variant)
        self.optimizer_box = QComboBox()
        self.optimizer_box.setToolTip("How each update follows the gradient")
        for name, text in OPTIMIZER_NAMES.items():
            self.optimizer_box.addItem(text, name)
        self.learning_rate_box = QDoubleSpinBox()
        self.learning_rate_box.setDecimals(5)
        self.learning_rate_box.setRange(*LEARNING_RATE_RANGE)
        self.learning_rate_box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate_box.setKeyboardTracking(False)
        self.learning_rate_box.setToolTip("Step size of each update; may be changed while "
                                          "training runs")
        self.batch_box = QSpinBox()
        self.batch_box.setRange(1, 2048)
        self.batch_box.setToolTip("Images per update")
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 200)
        self.epochs_box.setToolTip("Passes over the training images")
        self.decay_box = QDoubleSpinBox()
        self.decay_box.setDecimals(5)
        self.decay_box.setRange(0.0, 0.1)
        self.decay_box.setSingleStep(0.0001)
        self.decay_box.setToolTip("L2 penalty on the kernels: pulls weights towards zero")
        self.dropout_box = QDoubleSpinBox()
        self.dropout_box.setDecimals(2)
        self.dropout_box.setRange(0.0, 0.9)
        self.dropout_box.setSingleStep(0.05)
        self.dropout_box.setToolTip("Share of C5 and F6 outputs switched off at random while "
                                    "training (0: no dropout)")
        self.augment_box = QCheckBox("shift, rotate, scale")
        self.augment_box.setToolTip("Random small shifts, rotations and scaling of each "
                                    "training image")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.setToolTip("The same seed and settings give the same run")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(5)
        for label, widget in (("Dataset", self.dataset_box), ("Start from", self.start_box),
                              ("Network", self.arch_box),
                              ("Optimizer", self.optimizer_box),
                              ("Learning rate", self.learning_rate_box),
                              ("Batch size", self.batch_box), ("Epochs", self.epochs_box),
                              ("Weight decay", self.decay_box), ("Dropout", self.dropout_box),
                              ("Augmentation", self.augment_box), ("Seed", self.seed_box)):
            form.addRow(label, widget)
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
        for number, architecture in runs:
            self.start_box.addItem(f"the initial weights of run {number}", f"run:{number}")
            self.start_box.setItemData(self.start_box.count() - 1,
                                       f"Run {number}'s random start ({architecture}): a fair "
                                       "comparison changes one setting only",
                                       Qt.ItemDataRole.ToolTipRole)
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
        item.setToolTip("" if self._current_variant else
                        "The current model is not a LeNet-5 this tab can train")
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

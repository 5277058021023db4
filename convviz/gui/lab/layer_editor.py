"""The Keras arguments of one layer of a design as editable fields.

Each field reports every change at once (as you type), through `argument_changed(name,
value)`; the Lab writes it into the design and checks the design again. The ranges only keep
out what no spin box should offer (a size of 0); whether a setting fits the network is the
design check's to say.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QWidget

from convviz.core.design.design import LayerSpec
from convviz.core.nn.ops import ACTIVATIONS
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, translate

ARGUMENTS: dict[str, tuple[str, ...]] = {
    "Conv2D": ("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation"),
    "MaxPool2D": ("pool_size", "strides", "padding"),
    "AvgPool2D": ("pool_size", "strides", "padding"),
    "Dense": ("units", "activation"),
    "Dropout": ("rate",),
    "Activation": ("activation",),
}
"""The Keras arguments the editor offers per layer type (other settings are kept as they are)."""
INTEGER_RANGES = {"filters": (1, 1024), "units": (1, 4096), "kernel_size": (1, 15),
                  "strides": (1, 8), "dilation_rate": (1, 8), "pool_size": (1, 8)}
PADDINGS = ("valid", "same")
TIPS = {"filters": QT_TRANSLATE_NOOP("LayerEditor", "How many kernels, so how many output maps"),
        "kernel_size": QT_TRANSLATE_NOOP("LayerEditor", "Height and width of each kernel"),
        "strides": QT_TRANSLATE_NOOP("LayerEditor", "How far the window moves each step"),
        "padding": QT_TRANSLATE_NOOP("LayerEditor", "valid: no padding; same: zeros around "
                                                    "the input so the size stays (at stride 1)"),
        "dilation_rate": QT_TRANSLATE_NOOP("LayerEditor",
                                           "Gaps between the kernel's taps (1: none)"),
        "pool_size": QT_TRANSLATE_NOOP("LayerEditor", "Height and width of the pooling window"),
        "units": QT_TRANSLATE_NOOP("LayerEditor", "How many outputs (neurons)"),
        "rate": QT_TRANSLATE_NOOP("LayerEditor",
                                  "Share of the inputs switched off at random while training"),
        "activation": QT_TRANSLATE_NOOP("LayerEditor", "The function applied to each output")}
"""Each argument's tooltip (the argument names are Keras's, the same in every language)."""


class LayerEditor(Retranslating, QWidget):
    """A form with one field per Keras argument of the layer on show (none: a sentence)."""

    argument_changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.fields: dict[str, QWidget] = {}
        self._spec: LayerSpec | None = None
        self._note: QLabel | None = None

    def retranslate(self) -> None:
        """The note and the fields' tooltips in the current language (values stay)."""
        if self._note is not None:
            self._note.setText(self._note_text())
        for argument, field in self.fields.items():
            field.setToolTip(translate("LayerEditor", TIPS[argument]))

    def _note_text(self) -> str:
        if self._spec is None:
            return self.tr("Choose a layer to edit it.")
        return self.tr("A {0} layer has no arguments to set.").format(self._spec.kind)

    def show_layer(self, spec: LayerSpec | None) -> None:
        """Fields for `spec`'s arguments, filled with its values."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        self._spec = spec
        self._note = None
        arguments = ARGUMENTS.get(spec.kind, ()) if spec is not None else ()
        if not arguments:
            self._note = QLabel(self._note_text())
            self.form.addRow(self._note)
            return
        for argument in arguments:
            field = self._field(spec, argument)
            field.setToolTip(translate("LayerEditor", TIPS[argument]))
            self.fields[argument] = field
            self.form.addRow(argument, field)

    def _field(self, spec: LayerSpec, argument: str) -> QWidget:
        value = spec.config[argument]
        if argument in INTEGER_RANGES:
            box = QSpinBox()
            box.setRange(*INTEGER_RANGES[argument])
            box.setValue(value[0] if isinstance(value, list) else int(value))
            box.valueChanged.connect(lambda v, a=argument: self.argument_changed.emit(a, v))
            return box
        if argument == "rate":
            box = QDoubleSpinBox()
            box.setRange(0.0, 0.95)
            box.setSingleStep(0.05)
            box.setValue(float(value))
            box.valueChanged.connect(lambda v: self.argument_changed.emit("rate", v))
            return box
        box = QComboBox()
        choices = PADDINGS if argument == "padding" else [
            name for name in ACTIVATIONS
            if name != "softmax" or spec.kind in ("Dense", "Activation")]
        for choice in choices:
            box.addItem(choice, choice)
        if box.findData(value) < 0:  # e.g. explicit padding from a file: kept, offered back
            box.addItem(str(value), value)
        box.setCurrentIndex(box.findData(value))
        box.currentIndexChanged.connect(
            lambda _, a=argument, b=box: self.argument_changed.emit(a, b.currentData()))
        return box

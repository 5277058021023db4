"""The model's layers as a table: output shape, parameters, activation memory per image and batch.

Read from `Sequential.layer_summary(batch_size)`, so it says what the core counts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convviz.core.formatting import format_bytes
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme

HEADERS = (QT_TRANSLATE_NOOP("LayerTable", "Layer"), QT_TRANSLATE_NOOP("LayerTable", "Type"),
           QT_TRANSLATE_NOOP("LayerTable", "Output"), QT_TRANSLATE_NOOP("LayerTable", "Params"),
           QT_TRANSLATE_NOOP("LayerTable", "Memory\nper image"),
           QT_TRANSLATE_NOOP("LayerTable", "Memory\nper batch"))


class LayerTable(Retranslating, QWidget):
    """Table of the session model's summary with a batch-size box for the per-batch column."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.batch_box = QSpinBox()
        self.batch_box.setRange(1, 65536)
        self.batch_box.setValue(64)
        self.batch_box.setAccelerated(True)
        self.batch_box.valueChanged.connect(self.refresh)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.totals_label.setStyleSheet(f"color: {theme.TEXT};")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        batch_row = QHBoxLayout()
        self.batch_label = QLabel()
        batch_row.addWidget(self.batch_label)
        batch_row.addWidget(self.batch_box)
        batch_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(batch_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)
        session.model_changed.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr(header) for header in HEADERS])
        self.batch_label.setText(self.tr("Activation memory per image and per batch of"))
        self.refresh()

    def refresh(self) -> None:
        summary = self.session.model.layer_summary(self.batch_box.value())
        self.table.setRowCount(len(summary.rows))
        for row, layer in enumerate(summary.rows):
            cells = (layer.name, layer.kind, "×".join(map(str, layer.output_shape)),
                     f"{layer.params:,}", format_bytes(layer.activation_bytes),
                     format_bytes(layer.activation_bytes * summary.batch_size))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.totals_label.setText(self.tr(
            "<b>{0}</b> parameters ({1}) · activations <b>{2}</b> per image, <b>{3}</b> per "
            "batch of {4}").format(f"{summary.total_params:,}",
                                   format_bytes(summary.parameter_bytes),
                                   format_bytes(summary.activation_bytes_per_instance),
                                   format_bytes(summary.activation_bytes_per_batch),
                                   summary.batch_size))

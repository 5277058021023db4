"""Small editors of the stepper's controls: a table of numbers and an (h, w) pair of spin boxes."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTableWidget, QTableWidgetItem, QWidget

from convviz.core.formatting import format_number


def parse_number(text: str) -> float | None:
    """A typed cell: '3', '-1', '−0.5', '0,25' or a fraction such as '1/9'; None if not a number."""
    text = text.strip().replace("\u2212", "-").replace(",", ".")
    try:
        return float(Fraction(text)) if "/" in text else float(text)
    except (ValueError, ZeroDivisionError):
        return None


class NumberTable(QTableWidget):
    """An editable grid of numbers; ``values_edited`` fires after the user changes a cell."""

    values_edited = Signal()

    def __init__(self, cell_px: int = 40, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = np.zeros((0, 0), np.float32)
        self._cell_px = cell_px
        self.horizontalHeader().setDefaultSectionSize(cell_px)
        self.verticalHeader().setDefaultSectionSize(int(cell_px * 0.7))
        self.horizontalHeader().setMinimumSectionSize(20)
        self.itemChanged.connect(self._on_item_changed)

    def values(self) -> np.ndarray:
        return self._values.copy()

    def set_values(self, values: np.ndarray) -> None:
        """Show a (rows, cols) array without emitting ``values_edited``."""
        self._values = np.array(values, np.float32)
        rows, cols = self._values.shape
        self.blockSignals(True)
        self.setRowCount(rows)
        self.setColumnCount(cols)
        self.setHorizontalHeaderLabels([str(c) for c in range(cols)])
        self.setVerticalHeaderLabels([str(r) for r in range(rows)])
        for r in range(rows):
            for c in range(cols):
                item = QTableWidgetItem(format_number(self._values[r, c]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(r, c, item)
        self.blockSignals(False)
        header_w = self.verticalHeader().sizeHint().width()
        self.setFixedHeight(min(rows, 8) * self.verticalHeader().defaultSectionSize()
                            + self.horizontalHeader().sizeHint().height() + 6)
        self.setMinimumWidth(min(cols, 7) * self._cell_px + header_w + 6)

    def edit_cell(self, row: int, col: int, text: str) -> None:
        """Type text into a cell as a person would (also used by tests)."""
        self.item(row, col).setText(text)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        value = parse_number(item.text())
        row, col = item.row(), item.column()
        self.blockSignals(True)
        if value is None:
            item.setText(format_number(self._values[row, col]))
        else:
            self._values[row, col] = value
            item.setText(format_number(value))
        self.blockSignals(False)
        if value is not None:
            self.values_edited.emit()


class PairSpin(QWidget):
    """Two spin boxes for a (height, width) pair; ``value_changed`` fires on either."""

    value_changed = Signal()

    def __init__(self, minimum: int, maximum: int, value: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.height_spin, self.width_spin = QSpinBox(), QSpinBox()
        for label, spin in (("h", self.height_spin), ("w", self.width_spin)):
            spin.setRange(minimum, maximum)
            spin.setValue(value)
            spin.valueChanged.connect(self.value_changed)
            layout.addWidget(QLabel(label))
            layout.addWidget(spin)

    def value(self) -> tuple[int, int]:
        return self.height_spin.value(), self.width_spin.value()

    def set_value(self, value: tuple[int, int]) -> None:
        """Set both without emitting value_changed twice (it fires once if anything changed)."""
        if value == self.value():
            return
        for spin, v in zip((self.height_spin, self.width_spin), value, strict=True):
            spin.blockSignals(True)
            spin.setValue(v)
            spin.blockSignals(False)
        self.value_changed.emit()

"""Small editors of the kernel controls: a table of numbers, an (h, w) pair of spin boxes, and
the one rule for resizing a kernel."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTableWidget, QTableWidgetItem, QWidget

from convviz.core.formatting import format_number
from convviz.gui.i18n import Retranslating
from convviz.gui.widgets import theme


def parse_number(text: str) -> float | None:
    """A typed cell: '3', '-1', '−0.5', '0,25' or a fraction such as '1/9'; None if not a number."""
    text = text.strip().replace("\u2212", "-").replace(",", ".")
    try:
        return float(Fraction(text)) if "/" in text else float(text)
    except (ValueError, ZeroDivisionError):
        return None


def resized_keeping_centre(values: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """`values` (h, w, ...) cut or padded with zeros to (rows, cols, ...), centre on centre.

    The rule of both kernel editors: an odd kernel is about its middle tap, so growing a 3x3
    Sobel to 5x5 keeps it a Sobel (with a ring of zeros) and shrinking it back gives it back;
    keeping the top-left corner would shift the kernel and so its feature map. An even size
    puts the extra row (column) at the bottom (right), so a grow then shrink is undone too.
    """
    values = np.asarray(values, np.float32)
    result = np.zeros((rows, cols, *values.shape[2:]), np.float32)
    keep_r, keep_c = min(rows, values.shape[0]), min(cols, values.shape[1])
    old_r, old_c = (values.shape[0] - keep_r) // 2, (values.shape[1] - keep_c) // 2
    new_r, new_c = (rows - keep_r) // 2, (cols - keep_c) // 2
    result[new_r:new_r + keep_r, new_c:new_c + keep_c] = (
        values[old_r:old_r + keep_r, old_c:old_c + keep_c])
    return result


class NumberTable(QTableWidget):
    """An editable grid of numbers; ``values_edited`` fires after the user changes a cell."""

    values_edited = Signal()

    def __init__(self, cell_px: int = 40, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = np.zeros((0, 0), np.float32)
        self._cell_px = cell_px
        self.horizontalHeader().setMinimumSectionSize(20)
        self.itemChanged.connect(self._on_item_changed)
        self.refit_texts()

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
        self.refit_texts()

    def refit_texts(self) -> None:
        """Cells as wide as their numbers and as tall as the text (any presenter text scale),
        and the table as tall as its rows (up to 8) plus, when its columns do not all fit,
        the scroll bar: a one-row grid was hidden behind that bar."""
        metrics = self.fontMetrics()
        texts = [self.item(r, c).text() for r in range(self.rowCount())
                 for c in range(self.columnCount()) if self.item(r, c) is not None]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + 14
        cell_w = max(round(self._cell_px * theme.text_scale()), widest)
        row_h = max(round(self._cell_px * 0.7 * theme.text_scale()), metrics.height() + 8)
        for header, size in ((self.horizontalHeader(), cell_w), (self.verticalHeader(), row_h)):
            header.setDefaultSectionSize(size)
            for section in range(header.count()):
                header.resizeSection(section, size)
        side_bar = self.verticalScrollBar().sizeHint().width() if self.rowCount() > 8 else 0
        self.setMinimumWidth(min(self.columnCount(), 3) * cell_w + side_bar
                             + self.verticalHeader().sizeHint().width() + 2 * self.frameWidth())
        self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        rows, cols = self.rowCount(), self.columnCount()
        frame = 2 * self.frameWidth()
        side_bar = self.verticalScrollBar().sizeHint().width() if rows > 8 else 0
        content = (cols * self.horizontalHeader().defaultSectionSize()
                   + self.verticalHeader().sizeHint().width() + frame + side_bar)
        bar = self.horizontalScrollBar().sizeHint().height() if content > self.width() else 0
        height = (min(rows, 8) * self.verticalHeader().defaultSectionSize()
                  + self.horizontalHeader().sizeHint().height() + frame + bar)
        if height != self.height():
            self.setFixedHeight(height)

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


class PairSpin(Retranslating, QWidget):
    """Two spin boxes for a (height, width) pair; ``value_changed`` fires on either."""

    value_changed = Signal()

    def __init__(self, minimum: int, maximum: int, value: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.height_spin, self.width_spin = QSpinBox(), QSpinBox()
        self.height_label, self.width_label = QLabel(), QLabel()
        for label, spin in ((self.height_label, self.height_spin),
                            (self.width_label, self.width_spin)):
            spin.setRange(minimum, maximum)
            spin.setValue(value)
            spin.valueChanged.connect(self.value_changed)
            layout.addWidget(label)
            layout.addWidget(spin)
        self._tooltip = ""
        self.retranslate()

    def retranslate(self) -> None:
        """"h" and "w" (height and width) in the current language."""
        self.height_label.setText(self.tr("h"))
        self.width_label.setText(self.tr("w"))

    def value(self) -> tuple[int, int]:
        return self.height_spin.value(), self.width_spin.value()

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt override)
        """The pair's tooltip, on each spin box saying which of the two it sets."""
        super().setToolTip(text)
        self.height_spin.setToolTip(self.tr("{0}: height (rows)").format(text))
        self.width_spin.setToolTip(self.tr("{0}: width (columns)").format(text))

    def set_value(self, value: tuple[int, int]) -> None:
        """Set both without emitting value_changed twice (it fires once if anything changed)."""
        if value == self.value():
            return
        for spin, v in zip((self.height_spin, self.width_spin), value, strict=True):
            spin.blockSignals(True)
            spin.setValue(v)
            spin.blockSignals(False)
        self.value_changed.emit()

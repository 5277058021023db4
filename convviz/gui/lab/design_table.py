"""The live table of a design: per layer its output shape, parameters, activation memory and,
for a sliding window, the output-size formula with its numbers, or the sentence that says why
the layer cannot work. Everything shown comes from `Design.check()` (the core's counts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from convviz.core.design.design import DesignCheck
from convviz.core.formatting import format_bytes
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, translate
from convviz.gui.widgets import theme

HEADERS = ("#", QT_TRANSLATE_NOOP("DesignTable", "Layer"),
           QT_TRANSLATE_NOOP("DesignTable", "Output"),
           QT_TRANSLATE_NOOP("DesignTable", "Params"),
           QT_TRANSLATE_NOOP("DesignTable", "Memory\nper image"),
           QT_TRANSLATE_NOOP("DesignTable", "Output size, or the problem"))
PROBLEM_COLUMN = len(HEADERS) - 1


class DesignTable(Retranslating, QTableWidget):
    """One row per layer of the checked design; problem rows in the error colours."""

    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        self.retranslate()
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        # Sized once per update (show_check): a ResizeToContents header measures the whole
        # table again at every cell set, 30 ms per keystroke for a 10-layer design.
        self.horizontalHeader().setSectionResizeMode(PROBLEM_COLUMN,
                                                     QHeaderView.ResizeMode.Stretch)

    def retranslate(self) -> None:
        """The headers in the current language (the cells follow at the next show_check)."""
        self.setHorizontalHeaderLabels([translate("DesignTable", text) for text in HEADERS])

    def show_check(self, check: DesignCheck) -> None:
        """Show a checked design: only cells whose text or colour changed are touched."""
        rows = self.rowCount()
        self.setRowCount(len(check.layers))
        for row in range(rows, len(check.layers)):
            for column in range(len(HEADERS)):
                item = QTableWidgetItem()
                if column in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
        changed = False
        for row, layer in enumerate(check.layers):
            summary = layer.row
            if layer.problem:
                last = layer.problem
            elif layer.blocked:
                last = self.tr("unknown until the layer above works")
            elif layer.formulas:
                last = _formula_text(*layer.formulas)
            else:
                last = ""
            cells = (str(row + 1), layer.spec.kind,
                     "×".join(map(str, summary.output_shape)) if summary else "?",
                     f"{summary.params:,}" if summary else "",
                     format_bytes(summary.activation_bytes) if summary else "", last)
            colours = theme.ERROR_COLOURS if layer.problem else (theme.BACKGROUND, theme.TEXT)
            for column, text in enumerate(cells):
                item = self.item(row, column)
                if item.text() != text:
                    item.setText(text)
                    changed = True
                if column == 1:
                    item.setToolTip(layer.spec.name)
                if item.background().color().name() != colours[0]:
                    item.setBackground(QBrush(QColor(colours[0])))
                    item.setForeground(QBrush(QColor(colours[1])))
        if changed or rows != len(check.layers):
            for column in range(PROBLEM_COLUMN):
                self.resizeColumnToContents(column)
            self.resizeRowsToContents()

    def text(self, row: int, column: int) -> str:
        """What a cell shows (for tests and the benchmark)."""
        return self.item(row, column).text()


def _formula_text(height: str, width: str) -> str:
    """One line when both axes compute alike (a square window on a square input), else two."""
    same = height.removeprefix("height: ") == width.removeprefix("width: ")
    if same:
        return translate("DesignTable", "height and width: {0}").format(
            width.removeprefix("width: "))
    return f"{height}\n{width}"

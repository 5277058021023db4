"""Compare runs: every run of the session in a table, and the checked ones overlaid.

Each run has one colour (theme.SERIES, by run number): its training curve solid (smoothed per
step, as on the live plots), its validation scores dashed with squares, and its learning-rate
changes as vertical lines in its colour. The table lists the settings, the best validation
accuracy, the test accuracy and the time; its check boxes choose the runs on the plots. The
data are `core.training.runs.Run` records, which the Train tab grows as a run reports.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convviz.core.formatting import format_duration
from convviz.core.training.runs import Run
from convviz.gui.train.plots import LOSS_FLOOR, _plot, rate_mark, smooth
from convviz.gui.widgets import theme
from convviz.gui.widgets.wrapping_label import WrappingLabel

COLUMNS = ("Run", "Network", "Optimizer", "Learning rate", "Batch", "Dataset",
           "Best validation", "Test", "Time", "Epochs", "Start", "Parameters", "Status")
SMOOTHING_STEPS_PER_EPOCH = 200
"""A saved run keeps no batch count: its curve is smoothed as a 200-batch epoch would be."""


def run_colour(run: Run) -> str:
    return theme.SERIES[(run.number - 1) % len(theme.SERIES)]


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.2f}%"


class ComparePlots(QWidget):
    """Loss and accuracy of the checked runs; curves keyed (run number, quantity, part)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = _plot("Loss", "cross-entropy (log)", log_y=True)
        self.accuracy_plot = _plot("Accuracy", "% correct")
        self.curves: dict[tuple[int, str, str], pg.PlotDataItem] = {}
        self.marks: dict[int, list[tuple[pg.PlotWidget, pg.InfiniteLine]]] = {}
        self._drawn: dict[int, tuple[int, int, int]] = {}  # run -> (steps, scores, marks) drawn
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.enableAutoRange()

    def show_runs(self, runs: list[Run]) -> None:
        """Draw exactly these runs (curves of others removed)."""
        wanted = {run.number for run in runs}
        for key in [key for key in self.curves if key[0] not in wanted]:
            curve = self.curves.pop(key)
            curve.getViewBox().removeItem(curve)
        for number in [number for number in self.marks if number not in wanted]:
            for plot, mark in self.marks.pop(number):
                plot.removeItem(mark)
            self._drawn.pop(number, None)
        for run in runs:
            if (run.number, "loss", "train") not in self.curves:
                self._add_curves(run)
            self.update_run(run)

    def _add_curves(self, run: Run) -> None:
        colour = run_colour(run)
        for quantity, plot in (("loss", self.loss_plot), ("accuracy", self.accuracy_plot)):
            self.curves[run.number, quantity, "train"] = plot.plot(
                pen=theme.pen(colour, 2.0), name=f"{run.label}, training")
            self.curves[run.number, quantity, "validation"] = plot.plot(
                pen=theme.pen(colour, 2.0, dashed=True), symbol="s", symbolSize=8,
                symbolPen=pg.mkPen(colour), symbolBrush=pg.mkBrush(colour),
                name=f"{run.label}, validation")
        self.marks[run.number] = []
        self._drawn[run.number] = (-1, -1, 0)

    def update_run(self, run: Run) -> None:
        """Bring a drawn run's curves up to date (cheap when nothing changed)."""
        if (run.number, "loss", "train") not in self.curves:
            return
        drawn = self._drawn[run.number]
        if (len(run.steps), len(run.validation)) != drawn[:2]:
            steps = np.asarray(run.steps, np.float64).reshape(-1, 3)
            per_epoch = (int(np.count_nonzero(steps[:, 0] <= 1.0)) if len(steps)
                         and steps[-1, 0] > 1.0 else SMOOTHING_STEPS_PER_EPOCH)
            x = steps[:, 0]
            loss = smooth(np.maximum(steps[:, 1], LOSS_FLOOR), per_epoch)
            accuracy = smooth(100 * steps[:, 2], per_epoch)
            self.curves[run.number, "loss", "train"].setData(x, loss)
            self.curves[run.number, "accuracy", "train"].setData(x, accuracy)
            scores = np.asarray(run.validation, np.float64).reshape(-1, 3)
            self.curves[run.number, "loss", "validation"].setData(
                scores[:, 0], np.maximum(scores[:, 1], LOSS_FLOOR))
            self.curves[run.number, "accuracy", "validation"].setData(scores[:, 0],
                                                                      100 * scores[:, 2])
        for x, rate in run.rate_changes[drawn[2]:]:
            for plot in (self.loss_plot, self.accuracy_plot):
                mark = rate_mark(x, rate, run_colour(run), 0.9 - 0.1 * (run.number % 4))
                plot.addItem(mark)
                self.marks[run.number].append((plot, mark))
        self._drawn[run.number] = (len(run.steps), len(run.validation), len(run.rate_changes))

    def values(self, number: int, quantity: str, part: str) -> tuple[np.ndarray, np.ndarray]:
        """The x and y values of a run's curve as drawn."""
        x, y = self.curves[number, quantity, part].getData()
        return (np.array([]), np.array([])) if x is None else (x.copy(), y.copy())


class RunsTable(QTableWidget):
    """One row per run; the check box in the first column puts it on the plots."""

    checks_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.numbers: list[int] = []
        self.itemChanged.connect(self._on_item_changed)

    def set_runs(self, runs: list[Run], checked: set[int]) -> None:
        self.blockSignals(True)
        self.setRowCount(len(runs))
        self.numbers = [run.number for run in runs]
        for row, run in enumerate(runs):
            self._fill(row, run)
            self.item(row, 0).setCheckState(Qt.CheckState.Checked if run.number in checked
                                            else Qt.CheckState.Unchecked)
        self.blockSignals(False)

    def update_run(self, run: Run) -> None:
        if run.number in self.numbers:
            self.blockSignals(True)
            self._fill(self.numbers.index(run.number), run)
            self.blockSignals(False)

    def _fill(self, row: int, run: Run) -> None:
        s = run.settings
        status = run.status + (f" (from {run.source})" if run.source else "")
        texts = (str(run.number), s.architecture, s.optimizer, f"{s.learning_rate:g}"
                 + (f" → {run.rate_changes[-1][1]:g}" if run.rate_changes else ""),
                 str(s.batch_size), s.dataset, _percent(run.best_validation_accuracy),
                 _percent(run.test_accuracy), format_duration(run.seconds), str(s.epochs),
                 s.start, f"{s.parameters:,}", status)
        for column, text in enumerate(texts):
            item = self.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                if column == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setForeground(pg.mkColor(run_colour(run)))
                    item.setFont(theme.font(11, bold=True))
                self.setItem(row, column, item)
            if item.text() != text:
                item.setText(text)

    def checked(self) -> set[int]:
        return {number for row, number in enumerate(self.numbers)
                if self.item(row, 0).checkState() == Qt.CheckState.Checked}

    def set_checked(self, number: int, on: bool) -> None:
        self.item(self.numbers.index(number), 0).setCheckState(
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.checks_changed.emit()


class RunsPanel(QWidget):
    """The legend and the overlaid plots above the table of runs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.runs: list[Run] = []
        self.legend_label = WrappingLabel("")
        self.plots = ComparePlots()
        self.table = RunsTable()
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.legend_label)
        column.addWidget(self.plots, 1)
        splitter.addWidget(top)
        splitter.addWidget(self.table)
        splitter.setSizes([420, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.table.checks_changed.connect(self._on_table_checks_changed)
        self._show_checked()

    def set_runs(self, runs: list[Run], checked: set[int] | None = None) -> None:
        """Show these runs in the table; `checked` (default: the ones checked before, and a
        new last run) go on the plots."""
        known = set(self.table.numbers)
        if checked is None:
            checked = self.table.checked() | {run.number for run in runs
                                              if run.number not in known}
        self.runs = list(runs)
        self.table.set_runs(self.runs, checked)
        self._show_checked()

    def update_run(self, run: Run) -> None:
        """A run grew: its row and, if on show, its curves."""
        self.table.update_run(run)
        self.plots.update_run(run)

    def shown_runs(self) -> list[Run]:
        checked = self.table.checked()
        return [run for run in self.runs if run.number in checked]

    def _on_table_checks_changed(self) -> None:
        self._show_checked()

    def _show_checked(self) -> None:
        shown = self.shown_runs()
        self.plots.show_runs(shown)
        if not shown:
            self.legend_label.setText(
                f"<span style='color:{theme.MUTED}'>Every run of this session is listed "
                "below; check runs to overlay their curves (solid: training, dashed: "
                "validation).</span>" if self.runs else
                f"<span style='color:{theme.MUTED}'>Each run you start is kept here with its "
                "settings, to compare.</span>")
            return
        self.legend_label.setText(
            f"<span style='color:{theme.MUTED}'>━ training (smoothed) &nbsp; ┅■ validation "
            f"&nbsp; ┆ learning-rate change</span><br>" + "<br>".join(
                f"<span style='color:{run_colour(run)}; font-weight:bold'>━━</span>&nbsp;"
                f"<span style='color:{theme.TEXT}'>{html.escape(run.label)}</span>"
                for run in shown))

"""Live loss and accuracy plots of a training run: per batch, smoothed, and per epoch.

Records are added as they arrive (cheap: numbers appended to growing arrays); `refresh()` hands
the curves that changed to pyqtgraph, and the Train tab calls it at display rate, never once per
batch. Every curve is created once and only ever `setData`-ed. The x axis counts epochs and
spans the whole run from the start: the plot fills in from left to right. The y ranges grow in
coarse steps (half decades of loss, tens of percent) only when the data leave them: pyqtgraph's
auto-range re-lays the axes on almost every refresh, five times the cost of the new points
(and no grid: pyqtgraph draws it with the axes, so each new point would repaint them).
The loss range ignores absurd outliers (a diverging batch at 10^14 would flatten everything
else), ticks are written compactly (`format_compact`), the loss has a log-scale switch, a
diverged run is marked where it stopped, and each change of the learning rate where the step
that first used it began.
An epoch's training mean sits mid-epoch (it averages the whole epoch), the validation and test
scores at its end (they are measured there).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from convviz.core.formatting import format_compact
from convviz.core.training.trainer import EpochRecord, StepRecord
from convviz.gui.widgets import theme

BATCH_COLOUR = "#c5d0de"
TRAIN_COLOUR = "#1f5fa8"
VALIDATION_COLOUR = theme.ACCENT
TEST_COLOUR = "#2b8a3e"
SMOOTHING_BATCHES = (10, 200)
"""The smoothed curve averages over about a fifth of an epoch, within these bounds."""
LOSS_FLOOR = 1e-4
"""Losses are drawn on a log scale; a batch can score exactly 0."""
DIVERGED_COLOUR = "#c92a2a"
RATE_COLOUR = "#5f3dc4"
OUTLIER_QUANTILE, OUTLIER_DECADES = 90, 1.0
"""The loss range reaches at most a decade above the 90th percentile of the losses: a few
absurd batches are left above the plot, a loss that stays high is shown."""


def loss_extent(losses: np.ndarray) -> tuple[float, float]:
    """(low, high) loss to show: the whole range, less absurd outliers at the top."""
    high = float(losses.max())
    ceiling = 10.0 ** (math.log10(float(np.percentile(losses, OUTLIER_QUANTILE)))
                       + OUTLIER_DECADES)
    return float(losses.min()), min(high, ceiling)

SERIES = ("batch", "smoothed", "train", "validation", "test")
_STYLES = {  # pen colour, width, symbol, legend name, legend sign
    "batch": (BATCH_COLOUR, 1.0, None, "each batch", "━"),
    "smoothed": (TRAIN_COLOUR, 2.5, None, "training (smoothed)", "━"),
    "train": (TRAIN_COLOUR, 1.5, "o", "training, epoch mean", "○"),
    "validation": (VALIDATION_COLOUR, 2.5, "s", "validation", "■"),
    "test": (TEST_COLOUR, 2.5, "d", "test set", "◆"),
}


def legend_html() -> str:
    """One line naming every curve in its colour (shared by both plots, drawn over neither)."""
    return " &nbsp; ".join(f"<span style='color:{colour}; font-weight:bold'>{sign}</span>"
                           f"&nbsp;<span style='color:{theme.TEXT}'>{label}</span>"
                           for colour, _, _, label, sign in _STYLES.values())


MAX_DECADE_TICKS = 6
"""A diverged loss spans 15 decades: label at most about this many."""


class LogAxis(pg.AxisItem):
    """Log-scale ticks at 1, 2 and 5 times powers of ten, or every digit over a short range
    (pyqtgraph labels every minor tick, which piles up the labels)."""

    def tickValues(self, minVal, maxVal, size):
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        low, high = 10.0 ** minVal, 10.0 ** maxVal
        every = max(1, math.ceil((maxVal - minVal) / MAX_DECADE_TICKS))  # many decades: thin
        powers = range(math.floor(minVal) // every * every, math.ceil(maxVal) + 1, every)
        values: list[float] = []
        for steps in ((1,), (1, 2, 5), range(1, 10)):
            values = [m * 10.0 ** k for k in powers for m in steps if low <= m * 10.0 ** k <= high]
            if len(values) >= 3:
                break
        return [(1.0, [math.log10(v) for v in values])]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return [format_compact(v * scale) for v in values]
        return [format_compact(10.0 ** v) for v in values]


class _Series:
    """x and y values that grow by appending, in arrays doubled when full."""

    def __init__(self) -> None:
        self._x = np.zeros(256)
        self._y = np.zeros(256)
        self.count = 0
        self.changed = False

    def append(self, x: float, y: float) -> None:
        if self.count == len(self._x):
            self._x = np.concatenate([self._x, np.zeros_like(self._x)])
            self._y = np.concatenate([self._y, np.zeros_like(self._y)])
        self._x[self.count], self._y[self.count] = x, y
        self.count += 1
        self.changed = True

    def clear(self) -> None:
        self.count = 0
        self.changed = True

    @property
    def x(self) -> np.ndarray:
        return self._x[:self.count]

    @property
    def y(self) -> np.ndarray:
        return self._y[:self.count]


class _Smoother:
    """Exponential moving average with bias correction (the first values are not pulled to 0)."""

    def __init__(self) -> None:
        self.decay = 0.9
        self.reset()

    def reset(self, batches_per_epoch: int = 200) -> None:
        window = np.clip(batches_per_epoch / 5, *SMOOTHING_BATCHES)
        self.decay = 1.0 - 1.0 / window
        self._mean, self._weight = 0.0, 0.0

    def __call__(self, value: float) -> float:
        self._mean = self.decay * self._mean + (1.0 - self.decay) * value
        self._weight = self.decay * self._weight + (1.0 - self.decay)
        return self._mean / self._weight


def smooth(values: np.ndarray, batches_per_epoch: int) -> np.ndarray:
    """`values` smoothed as the live training curve is (see _Smoother)."""
    smoother = _Smoother()
    smoother.reset(batches_per_epoch)
    return np.array([smoother(float(value)) for value in values])


def rate_mark(x: float, rate: float, colour: str = RATE_COLOUR,
              position: float = 0.75) -> pg.InfiniteLine:
    """A vertical line at `x` labelled with the learning rate used from there on."""
    return pg.InfiniteLine(x, angle=90, pen=theme.pen(colour, 1.5, dashed=True),
                           label=f"lr {rate:g}", labelOpts={
                               "position": position, "color": colour,
                               "fill": theme.BACKGROUND})


def _plot(title: str, y_label: str, log_y: bool = False) -> pg.PlotWidget:
    plot = pg.PlotWidget(background=theme.BACKGROUND,
                         axisItems={"left": LogAxis("left")} if log_y else None)
    plot.setTitle(f"<span style='color:{theme.TEXT}; font-size:{theme.pt(14)}; font-weight:bold'>"
                  f"{title}</span>")
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for name, text in (("bottom", "epoch"), ("left", y_label)):
        axis = plot.getAxis(name)
        axis.setTickFont(theme.font(12))
        axis.setTextPen(theme.TEXT)
        axis.setPen(theme.FRAME)
        axis.setLabel(text, color=theme.TEXT, **{"font-size": theme.pt(12)})
        axis.enableAutoSIPrefix(False)  # ticks say 2×10¹⁴ themselves, no "(x1e14)" label
    if log_y:
        plot.setLogMode(x=False, y=True)
    return plot


class TrainingPlots(QWidget):
    """Loss (log scale) beside accuracy; curves keyed ("loss" | "accuracy", series name)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = _plot("Loss", "cross-entropy (log)", log_y=True)
        self.log_check = QCheckBox("log scale")
        self.log_check.setChecked(True)
        self.log_check.setToolTip("Show the loss on a log scale (each step up is ten times "
                                  "more), or on a plain one")
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.divergence_x: float | None = None  # where a diverged run stopped
        self.rate_marks: list[tuple[float, float]] = []  # (x, new learning rate)
        self._marks: list[tuple[pg.PlotWidget, pg.InfiniteLine]] = []
        self.accuracy_plot = _plot("Accuracy", "% correct")
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        self._series: dict[tuple[str, str], _Series] = {}
        for quantity, plot in (("loss", self.loss_plot), ("accuracy", self.accuracy_plot)):
            for name in SERIES:
                if quantity == "loss" and name == "test":
                    continue  # the test set is scored by accuracy (and the confusion matrix)
                colour, width, symbol, label, _ = _STYLES[name]
                curve = plot.plot(pen=theme.pen(colour, width), name=label, symbol=symbol,
                                  symbolSize=9, symbolPen=pg.mkPen(colour),
                                  symbolBrush=pg.mkBrush("#ffffff" if name == "train" else colour))
                if name in ("batch", "smoothed"):
                    curve.setDownsampling(auto=True, method="peak")
                    curve.setClipToView(True)
                curve.setZValue(SERIES.index(name))
                self.curves[quantity, name] = curve
                self._series[quantity, name] = _Series()
        self._smoothers = {"loss": _Smoother(), "accuracy": _Smoother()}
        self._extent: dict[str, tuple[float, float]] = {}  # quantity -> data (min, max)
        self._y_range: dict[str, tuple[float, float]] = {}  # quantity -> shown (low, high)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.log_check, 0, 0)
        layout.addWidget(self.loss_plot, 1, 0)
        layout.addWidget(self.accuracy_plot, 0, 1, 2, 1)
        layout.setRowStretch(1, 1)
        self.start(epochs=5, batches_per_epoch=200)

    def start(self, epochs: int, batches_per_epoch: int) -> None:
        """Forget every curve and span the x axis over the run's epochs."""
        for series in self._series.values():
            series.clear()
        for smoother in self._smoothers.values():
            smoother.reset(batches_per_epoch)
        self._extent.clear()
        self._y_range.clear()
        self.divergence_x = None
        self.rate_marks = []
        for plot, mark in self._marks:
            plot.removeItem(mark)
        self._marks.clear()
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.enableAutoRange(x=False, y=False)
            plot.setXRange(0, epochs, padding=0.02)
        self.loss_plot.setYRange(-1.0, 0.5, padding=0.02)  # 0.1 to 3 before any data
        self.accuracy_plot.setYRange(0.0, 100.0, padding=0.02)
        self.refresh()

    def add_step(self, record: StepRecord) -> None:
        x = record.epoch - 1 + record.batch / record.batches
        loss = max(record.loss, LOSS_FLOOR)
        accuracy = 100 * record.accuracy
        self._append("loss", "batch", x, loss)
        self._append("loss", "smoothed", x, self._smoothers["loss"](loss))
        self._append("accuracy", "batch", x, accuracy)
        self._append("accuracy", "smoothed", x, self._smoothers["accuracy"](accuracy))

    def add_epoch(self, record: EpochRecord) -> None:
        middle = record.epoch - 0.5
        self._append("loss", "train", middle, max(record.train_loss, LOSS_FLOOR))
        self._append("accuracy", "train", middle, 100 * record.train_accuracy)
        if record.val_loss is not None:
            self._append("loss", "validation", record.epoch, max(record.val_loss, LOSS_FLOOR))
            self._append("accuracy", "validation", record.epoch, 100 * record.val_accuracy)

    def add_test(self, epoch: int, accuracy: float) -> None:
        self._append("accuracy", "test", epoch, 100 * accuracy)

    def mark_divergence(self, step: int, batches_per_epoch: int) -> None:
        """Mark where a diverged run stopped, on both plots."""
        self.divergence_x = step / batches_per_epoch
        for plot in (self.loss_plot, self.accuracy_plot):
            mark = pg.InfiniteLine(self.divergence_x, angle=90,
                                   pen=theme.pen(DIVERGED_COLOUR, 2, dashed=True),
                                   label="diverged", labelOpts={
                                       "position": 0.9, "color": DIVERGED_COLOUR,
                                       "fill": theme.BACKGROUND})
            plot.addItem(mark)
            self._marks.append((plot, mark))

    def mark_rate_change(self, x: float, rate: float) -> None:
        """Mark, on both plots, that the learning rate became `rate` at `x` (in epochs)."""
        self.rate_marks.append((x, rate))
        for plot in (self.loss_plot, self.accuracy_plot):
            mark = rate_mark(x, rate)
            plot.addItem(mark)
            self._marks.append((plot, mark))

    @property
    def log_scale(self) -> bool:
        return self.log_check.isChecked()

    def _on_log_check_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(x=False, y=on)
        self.loss_plot.getAxis("left").setLabel(
            "cross-entropy (log)" if on else "cross-entropy", color=theme.TEXT,
            **{"font-size": "12pt"})
        self._y_range.pop("loss", None)
        if "loss" not in self._extent:
            self.loss_plot.setYRange(*((-1.0, 0.5) if on else (0.0, 3.0)), padding=0.02)
        self._fit_y_ranges()

    def refresh(self) -> None:
        """Give pyqtgraph the curves that changed since the last refresh."""
        for key, series in self._series.items():
            if series.changed:
                series.changed = False
                self.curves[key].setData(series.x, series.y)
        self._fit_y_ranges()

    def _fit_y_ranges(self) -> None:
        """Widen a plot's y range, in coarse steps, when its data have left it."""
        for quantity, plot in (("loss", self.loss_plot), ("accuracy", self.accuracy_plot)):
            if quantity not in self._extent:
                continue
            low, high = self._extent[quantity]
            if quantity == "loss" and self.log_scale:  # log10 units, whole half decades
                low, high = loss_extent(self._series["loss", "batch"].y) if \
                    self._series["loss", "batch"].count else (low, high)
                wanted = (math.floor(2 * math.log10(low)) / 2, math.ceil(2 * math.log10(high)) / 2)
            elif quantity == "loss":  # from 0 up to 1, 2 or 5 times a power of ten
                high = loss_extent(self._series["loss", "batch"].y)[1] if \
                    self._series["loss", "batch"].count else high
                wanted = (0.0, _nice_ceiling(high))
            else:  # percent, whole tens up to 100
                wanted = (min(90.0, 10 * math.floor(low / 10)), 100.0)
            shown = self._y_range.get(quantity)
            if shown is None or wanted[0] < shown[0] or wanted[1] > shown[1]:
                if shown is not None:
                    wanted = (min(wanted[0], shown[0]), max(wanted[1], shown[1]))
                self._y_range[quantity] = wanted
                plot.setYRange(*wanted, padding=0.02)

    def values(self, quantity: str, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The x and y values of a curve, drawn or not yet."""
        series = self._series[quantity, name]
        return series.x.copy(), series.y.copy()

    def _append(self, quantity: str, name: str, x: float, y: float) -> None:
        self._series[quantity, name].append(x, y)
        low, high = self._extent.get(quantity, (y, y))
        self._extent[quantity] = (min(low, y), max(high, y))


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least `value` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)

"""The test set after an epoch: a confusion matrix to click, and the images of the clicked cell.

Rows and columns are the dataset's classes, by name. Cell (true t, predicted p) counts test
images labelled t that the network called p. Mistakes
are what a student wants to find, and they are rare (the diagonal holds ~99% of the digits),
so the off-diagonal cells get their own colour scale, from white to red at the largest mistake
count, and the diagonal a quiet green. Clicking a cell lists its digits, most confident first.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convviz.core.training.evaluation import Evaluation
from convviz.gui.widgets import theme

DIGITS = tuple(str(digit) for digit in range(10))
MAX_SHOWN = 60
"""Digits listed for one cell; the cell's count says how many there are in all."""
THUMBNAIL = 56
_MISTAKE = np.array([214, 40, 40], np.float64)
_WHITE = np.array([255, 255, 255], np.float64)
_CORRECT = np.array([214, 238, 218], np.float64)


def cell_colours(confusion: np.ndarray) -> np.ndarray:
    """(classes, classes, 3) uint8: mistakes white to red by count, the diagonal light green."""
    mistakes = confusion.astype(np.float64).copy()
    np.fill_diagonal(mistakes, 0)
    share = mistakes / max(mistakes.max(), 1.0)
    colours = _WHITE + share[..., None] ** 0.7 * (_MISTAKE - _WHITE)
    colours[np.eye(len(confusion), dtype=bool)] = _CORRECT
    return np.ascontiguousarray(colours.round().astype(np.uint8))


class ConfusionView(pg.GraphicsLayoutWidget):
    """The matrix with counts in the cells; `cell_clicked(true, predicted)` on a click."""

    cell_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground(theme.BACKGROUND)
        self.confusion = np.zeros((len(DIGITS), len(DIGITS)), np.int64)
        self.plot = self.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(False, False)
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        for name, label in (("top", "predicted"), ("left", "true")):
            self.plot.showAxis(name)
            axis = self.plot.getAxis(name)
            axis.setTickFont(theme.font(12, bold=True))
            axis.setTextPen(theme.TEXT)
            axis.setPen(theme.FRAME)
            axis.setLabel(label, color=theme.MUTED, **{"font-size": theme.pt(11)})
        self.plot.hideAxis("bottom")
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image_item)
        self.texts: list[list[pg.TextItem]] = []
        self.class_names: tuple[str, ...] = ()
        self.set_class_names(DIGITS)
        self._mark = QGraphicsRectItem(self.image_item)
        self._mark.setPen(theme.pen(theme.TEXT, 3.0))
        self._mark.setZValue(10)
        self._mark.setVisible(False)
        self.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """One row and column per class: the rows (true) named in full, the columns (predicted)
        by number when the names are long; the counts are cleared."""
        names = tuple(names)
        if names == self.class_names:
            return
        self.class_names = classes = names
        count = len(names)
        self.plot.getAxis("left").setTicks([[(k + 0.5, names[k]) for k in range(count)]])
        short = all(len(name) <= 2 for name in names)
        self.plot.getAxis("top").setTicks(
            [[(k + 0.5, names[k] if short else str(k)) for k in range(count)]])
        self.plot.setRange(QRectF(0, 0, count, count), padding=0.01)
        self.image_item.setRect(QRectF(0, 0, count, count))
        for row in self.texts:
            for text in row:
                self.plot.removeItem(text)
        self.texts = []
        for true in range(len(classes)):
            row = []
            for predicted in range(len(classes)):
                text = pg.TextItem("", color=theme.TEXT, anchor=(0.5, 0.5))
                text.setFont(theme.font(9 if count <= 12 else 7, bold=True))
                text.setPos(predicted + 0.5, true + 0.5)
                self.plot.addItem(text)
                row.append(text)
            self.texts.append(row)
        self.set_confusion(np.zeros((count, count), np.int64))

    def set_confusion(self, confusion: np.ndarray) -> None:
        self.confusion = np.asarray(confusion)
        self.image_item.setImage(cell_colours(self.confusion), levels=(0, 255))
        dark = 0.55 * self._largest_mistake()  # counts on cells this red are written in white
        classes = len(self.class_names)
        for true in range(classes):
            for predicted in range(classes):
                count = int(self.confusion[true, predicted])
                text = self.texts[true][predicted]
                text.setText(str(count) if count else "")
                text.setColor(QColor("#ffffff" if true != predicted and count > dark > 0
                                     else theme.TEXT))

    def mark(self, cell: tuple[int, int] | None) -> None:
        """Outline the selected cell (None: no outline)."""
        if cell is not None:
            true, predicted = cell
            self._mark.setRect(QRectF(predicted, true, 1, 1))
        self._mark.setVisible(cell is not None)

    def cell_centre(self, true: int, predicted: int) -> QPointF:
        """Widget position of a cell's centre (for tests and screenshots)."""
        scene = self.image_item.mapToScene(QPointF(predicted + 0.5, true + 0.5))
        return QPointF(self.mapFromScene(scene))

    def _largest_mistake(self) -> int:
        mistakes = self.confusion.copy()
        np.fill_diagonal(mistakes, 0)
        return int(mistakes.max())

    def _on_scene_mouse_clicked(self, event) -> None:
        point = self.image_item.mapFromScene(event.scenePos())
        true, predicted = int(np.floor(point.y())), int(np.floor(point.x()))
        classes = len(self.class_names)
        if 0 <= true < classes and 0 <= predicted < classes:
            self.cell_clicked.emit(true, predicted)


def _thumbnail(image: np.ndarray) -> QIcon:
    """A uint8 (H, W) or (H, W, 1 or 3) image as an icon, pixels enlarged without blurring."""
    data = np.ascontiguousarray(image, dtype=np.uint8)
    if data.ndim == 3 and data.shape[2] == 1:
        data = np.ascontiguousarray(data[:, :, 0])
    height, width = data.shape[:2]
    if data.ndim == 3:
        picture = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    else:
        picture = QImage(data.data, width, height, width,
                         QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(picture).scaled(
        THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation))


class TestResultsView(QWidget):
    """Test accuracy, the confusion matrix, and the digits of the cell last clicked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self.images: np.ndarray | None = None
        self.selected: tuple[int, int] | None = None
        self.summary_label = QLabel("The test set is scored after every epoch.")
        self.summary_label.setWordWrap(True)
        self.summary_label.setFont(theme.font(12, bold=True))
        self.summary_label.setStyleSheet(f"color: {theme.TEXT};")
        self.confusion_view = ConfusionView()
        self.confusion_view.setMinimumSize(200, 200)
        self.cell_label = QLabel("Click a cell to see its test images.")
        self.cell_label.setWordWrap(True)
        self.cell_label.setStyleSheet(f"color: {theme.MUTED};")
        self.digit_list = QListWidget()
        self.digit_list.setViewMode(QListView.ViewMode.IconMode)
        self.digit_list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.digit_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.digit_list.setMovement(QListView.Movement.Static)
        self.digit_list.setGridSize(QSize(THUMBNAIL + 18, THUMBNAIL + 26))
        self.digit_list.setFont(theme.font(10, bold=True))
        self.digit_list.setMinimumWidth(2 * (THUMBNAIL + 18) + 24)
        cell_box = QVBoxLayout()
        cell_box.addWidget(self.cell_label)
        cell_box.addWidget(self.digit_list, 1)
        body = QHBoxLayout()
        body.addWidget(self.confusion_view, 3)
        body.addLayout(cell_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addLayout(body, 1)
        self.confusion_view.cell_clicked.connect(self._on_confusion_view_cell_clicked)

    def clear(self) -> None:
        self.evaluation = None
        self.selected = None
        classes = len(self.confusion_view.class_names)
        self.confusion_view.set_confusion(np.zeros((classes, classes), np.int64))
        self.confusion_view.mark(None)
        self.digit_list.clear()
        self.summary_label.setText("The test set is scored after every epoch.")
        self.cell_label.setText("Click a cell to see its test images.")

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Name the matrix's rows and columns (a dataset's classes); clears the result."""
        self.confusion_view.set_class_names(names)
        self.clear()

    def set_evaluation(self, evaluation: Evaluation, images: np.ndarray, epoch: int) -> None:
        """Show the test result after `epoch`; `images` are the test images (uint8)."""
        if len(evaluation.confusion) != len(self.confusion_view.class_names):
            self.confusion_view.set_class_names(tuple(map(str, range(len(evaluation.confusion)))))
        self.evaluation, self.images = evaluation, images
        correct = int(np.count_nonzero(evaluation.predictions == evaluation.labels))
        self.summary_label.setText(
            f"Test set after epoch {epoch}: {100 * evaluation.accuracy:.2f}% correct "
            f"({evaluation.count - correct:,} of {evaluation.count:,} wrong)")
        self.confusion_view.set_confusion(evaluation.confusion)
        if self.selected is None:
            self.select_cell(*self._largest_mistake_cell())
        else:
            self.select_cell(*self.selected)

    def select_cell(self, true: int, predicted: int) -> None:
        """List the test digits of one cell (labelled `true`, called `predicted`)."""
        self.selected = (true, predicted)
        self.confusion_view.mark(self.selected)
        self.digit_list.clear()
        evaluation = self.evaluation
        if evaluation is None:
            return
        members = np.flatnonzero((evaluation.labels == true)
                                 & (evaluation.predictions == predicted))
        order = members[np.argsort(-evaluation.confidences[members], kind="stable")]
        what = "called" if true != predicted else "correctly called"
        names = self.confusion_view.class_names
        self.cell_label.setText(
            f"<b>{len(members):,}</b> images labelled <b>{html.escape(names[true])}</b> {what} "
            f"<b>{html.escape(names[predicted])}</b>"
            + (f", the {MAX_SHOWN} surest shown" if len(members) > MAX_SHOWN else "")
            + f"<br><span style='color:{theme.MUTED}'>true→predicted, confidence</span>")
        for index in order[:MAX_SHOWN]:
            item = QListWidgetItem(
                _thumbnail(self.images[index]),
                f"{true}→{predicted} {100 * evaluation.confidences[index]:.0f}%")
            item.setData(Qt.ItemDataRole.UserRole, int(index))
            item.setToolTip(f"test image #{index}: labelled {names[true]}, predicted "
                            f"{names[predicted]} "
                            f"with probability {evaluation.confidences[index]:.3f}")
            self.digit_list.addItem(item)

    def shown_indices(self) -> list[int]:
        """Test-set indices of the digits listed now."""
        return [self.digit_list.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(self.digit_list.count())]

    def _largest_mistake_cell(self) -> tuple[int, int]:
        mistakes = self.evaluation.confusion.copy()
        np.fill_diagonal(mistakes, -1)
        true, predicted = np.unravel_index(int(np.argmax(mistakes)), mistakes.shape)
        return int(true), int(predicted)

    def _on_confusion_view_cell_clicked(self, true: int, predicted: int) -> None:
        self.select_cell(true, predicted)

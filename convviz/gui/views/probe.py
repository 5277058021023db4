"""What the current digit looks like to the network in training: its feature maps and answer.

The probe is the session's input (the Draw tab's digit), run by the session's model, whose
weights the Train tab replaces a few times a second: the maps sharpen as the kernels learn.
One still view: the input, then each convolution's maps (C1, C3) as mosaic grids, and the
prediction beside them. Hidden views skip updates and catch up when shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from convviz.core.imaging.image_io import to_luminance
from convviz.core.nn.layers import Conv2D
from convviz.gui.i18n import Retranslating
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.image_grid import ImageGrid, fit_below_texts, show_rect

MAX_MAPS = 32
"""Convolutions with more output maps than this (C5's 120 1x1 maps) are left out."""
COLUMNS = {6: 3, 16: 4}
"""Grid columns for a layer's maps (others: about square)."""


class ProbeView(Retranslating, QWidget):
    """The session's input, its C1 and C3 feature maps, and the predicted digit."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.maps_view = pg.GraphicsLayoutWidget()
        self.maps_view.setBackground(theme.BACKGROUND)
        self.grids: list[tuple[int, ImageGrid]] = []  # (layer index, grid)
        self.input_grid: ImageGrid | None = None
        self.digit_label = QLabel("…")
        self.digit_label.setFont(theme.font(36, bold=True))
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setStyleSheet(f"color: {theme.ACCENT};")
        self.confidence_label = QLabel("")
        self.confidence_label.setFont(theme.font(13, bold=True))
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence_label.setStyleSheet(f"color: {theme.TEXT};")
        answer = QVBoxLayout()
        answer.addStretch(1)
        caption = self.caption = QLabel()
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setStyleSheet(f"color: {theme.MUTED};")
        answer.addWidget(caption)
        answer.addWidget(self.digit_label)
        answer.addWidget(self.confidence_label)
        answer.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.maps_view, 1)
        layout.addLayout(answer)
        self._stale = True
        self._build()
        self.retranslate()
        session.model_changed.connect(self._on_session_model_changed)
        session.activations_changed.connect(self._on_session_activations_changed)

    def retranslate(self) -> None:
        """The captions in the current language (the layer names are the model's own)."""
        self.caption.setText(self.tr("predicted"))
        self._titles[0].setHtml(_title_html(self.tr("input")))
        self.refit_texts()
        self._show()

    def _convolutions(self) -> list[int]:
        return [index for index, layer in enumerate(self.session.model.layers)
                if isinstance(layer, Conv2D) and layer.output_shape[-1] <= MAX_MAPS][:2]

    def _build(self) -> None:
        self.maps_view.clear()
        self.grids.clear()
        self._titles: list[pg.TextItem] = []
        view_box = self.maps_view.addViewBox()
        height, width = self.session.model.input_shape[:2]
        self.input_grid = ImageGrid(view_box, 1, 1, (height, width), theme.INK, cell_size=2.0)
        self._title(view_box, self.tr("input"), 0.0)
        x = self.input_grid.extent().right() + 0.6
        tallest = self.input_grid.extent().bottom()
        for index in self._convolutions():
            layer = self.session.model.layers[index]
            maps = layer.output_shape[-1]
            columns = COLUMNS.get(maps, int(np.ceil(np.sqrt(maps))))
            grid = ImageGrid(view_box, maps, columns, layer.output_shape[:2], origin=(x, 0.0),
                             cell_size=min(1.0, 2.0 / (-(-maps // columns))))
            self.grids.append((index, grid))
            self._title(view_box, layer.name, x)  # short: it must fit over a narrow grid
            x = grid.extent().right() + 0.6
            tallest = max(tallest, grid.extent().bottom())
        show_rect(view_box, QRectF(-0.1, -0.45, x - 0.5, tallest + 0.55), padding=0.0)
        self._content = QRectF(-0.1, 0.0, x - 0.5, tallest + 0.1)
        self.view_box = view_box
        view_box.sigResized.connect(self.refit_texts)
        self.refit_texts()
        self._stale = True
        self._show()

    def _title(self, view_box: pg.ViewBox, text: str, x: float) -> None:
        title = pg.TextItem(html=_title_html(text), anchor=(0.0, 1.0))
        title.setPos(x - 0.05, -0.02)
        view_box.addItem(title)
        self._titles.append(title)

    def refit_texts(self) -> None:
        """Leave room above the maps for their titles (fixed in pixels) at any view size and
        presenter text scale."""
        above = max((t.textItem.boundingRect().height() * t.scale() for t in self._titles),
                    default=0.0) + 2
        fit_below_texts(self.view_box, self._content, above)

    def _show(self) -> None:
        """Draw the session's current activations (only while visible; else later)."""
        activations = self.session.activations
        if activations is None or not self.isVisible():
            self._stale = True
            return
        self._stale = False
        pixels = self.session.digit.pixels
        self.input_grid.set_images([to_luminance(pixels) if pixels.ndim == 3 else pixels],
                                   (0.0, 1.0))
        for index, grid in self.grids:
            values = activations[index]
            grid.set_images([np.ascontiguousarray(values[:, :, k])
                             for k in range(values.shape[-1])], theme.symmetric_levels(values))
        probabilities = self.session.probabilities
        top = int(np.argmax(probabilities))
        if self.session.digit.is_blank:
            self.digit_label.setText("?")
            self.confidence_label.setText(self.tr("draw a digit\nin the Draw tab") if
                                          self.session.takes_digits else
                                          self.tr("open a picture\nin the Draw tab"))
        else:
            self.digit_label.setText(self.session.class_names[top])
            mark = self.session.temperature_mark()
            self.confidence_label.setText(f"{100 * probabilities[top]:.1f}%"
                                          + ("\n" + self.tr("{0} (What-if)").format(mark)
                                             if mark else ""))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._show()

    def _on_session_model_changed(self) -> None:
        indices = [index for index, _ in self.grids]
        if indices != self._convolutions() or any(
                grid.cell_shape != self.session.model.layers[index].output_shape[:2]
                for index, grid in self.grids):
            self._build()

    def _on_session_activations_changed(self) -> None:
        self._show()


def _title_html(text: str) -> str:
    return f"<span style='color:{theme.TEXT}; font-size:{theme.pt(11)}'><b>{text}</b></span>"

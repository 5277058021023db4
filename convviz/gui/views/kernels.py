"""The learned kernels of the first convolutions (LeNet-5: C1's 6 and C3's 16 x 6, all 5x5).

One row per input channel, one column per output map, on a diverging scale symmetric about
zero per layer. Hovering reads out the weight. Refreshed whenever the model's weights change.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QWidget

from convviz.core.nn.layers import Conv2D
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.image_grid import ImageGrid, show_rect

MAX_KERNELS = 128
"""Conv layers with more kernels than this (C5 has 1,920) are not drawn."""


class KernelView(pg.GraphicsLayoutWidget):
    """Kernel grids of every small conv layer of the session's model."""

    weight_hovered = Signal(str)

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setBackground(theme.BACKGROUND)
        self.session = session
        self.grids: list[tuple[Conv2D, ImageGrid]] = []
        self.hover_text = ""
        self._build()
        session.model_changed.connect(self._on_session_model_changed)
        session.weights_changed.connect(self._show_weights)

    def _build(self) -> None:
        """Side by side in one view, rows aligned: C1's kernel k makes map k, which C3 reads
        through row k."""
        self.clear()
        self.grids.clear()
        view_box = self.addViewBox()
        x = 0.0
        for layer in self._convolutions():
            kernel_h, kernel_w, inputs, outputs = layer.params["kernel"].shape
            grid = ImageGrid(view_box, inputs * outputs, 1 if inputs == 1 else outputs,
                             (kernel_h, kernel_w), origin=(x, 0.0))
            self.grids.append((layer, grid))
            caption = "" if inputs == 1 else \
                f" · {outputs} maps × {inputs} inputs, {kernel_h}×{kernel_w}"
            title = pg.TextItem(html=f"<span style='color:{theme.TEXT}; font-size:12pt'>"
                                     f"<b>{layer.name}</b></span><span style='color:"
                                     f"{theme.MUTED}; font-size:10pt'>{caption}</span>",
                                anchor=(0.0, 1.0))
            title.setPos(x - 0.1, -0.1)
            view_box.addItem(title)
            x = grid.extent().right() + 1.5
        height = max(grid.extent().bottom() for _, grid in self.grids)
        if len(self.grids) > 1:
            first, second = self.grids[0][0].name, self.grids[1][0].name
            note = pg.TextItem(html=f"<span style='color:{theme.MUTED}; font-size:10pt'>Column: "
                                    f"a {second} map · row k reads {first}'s map k</span>")
            note.setPos(-0.1, height + 0.2)
            view_box.addItem(note)
        show_rect(view_box, QRectF(-0.2, -1.4, x - 1.3, height + 3.0), padding=0.0)
        self._show_weights()

    def _show_weights(self) -> None:
        for layer, grid in self.grids:
            kernel = layer.params["kernel"]
            images = [np.ascontiguousarray(kernel[:, :, i, o])
                      for i in range(kernel.shape[2]) for o in range(kernel.shape[3])]
            grid.set_images(images, theme.symmetric_levels(kernel))

    def _convolutions(self) -> list[Conv2D]:
        return [layer for layer in self.session.model.layers if isinstance(layer, Conv2D)
                and np.prod(layer.params["kernel"].shape[2:]) <= MAX_KERNELS]

    def _on_session_model_changed(self) -> None:
        self._build()

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)  # read out every move (the scene's signal drops some)
        scene_pos = self.mapToScene(event.position().toPoint())
        text = ""
        for layer, grid in self.grids:
            hit = grid.cell_at(scene_pos)
            if hit is not None:
                cell, row, col = hit
                source, target = divmod(cell, grid.columns) if grid.columns > 1 else (0, cell)
                value = float(layer.params["kernel"][row, col, source, target])
                text = (f"{layer.name} kernel · map {target} from input {source} · "
                        f"row {row}, col {col} · weight {value:.6f}")
                break
        if text != self.hover_text:
            self.hover_text = text
            self.weight_hovered.emit(text)

"""What each filter detects: the nine MNIST test patches that excite it most.

For one filter of a convolution layer (C1 or C3 of LeNet-5): its kernel, the nine receptive-
field crops of the test digits where its map peaks highest (with the peak values), and its
mean activation map over the test set. Real top patches are what people predict a unit's
behaviour from best. Computed by `convviz.core.experiments.top_patches` off the GUI thread
(a forward pass of 10,000 digits up to the layer) whenever the filter changes, and once the
weights have been still for `WEIGHTS_QUIET_MS` (training pushes them five times a second, and
the worker would otherwise run back to back against the trainer). The kernel drawn is the one
the patches were computed with (the request's model copy), and a result computed for an older
model or older weights is dropped.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from convviz.core.experiments import TopPatches, top_patches
from convviz.core.formatting import format_number
from convviz.core.nn.layers import Conv2D
from convviz.core.training.data import MnistData, images_to_float
from convviz.gui import workers
from convviz.gui.i18n import Retranslating
from convviz.gui.session import DigitSession
from convviz.gui.widgets import theme
from convviz.gui.widgets.debounce import Debounce
from convviz.gui.widgets.image_grid import ImageGrid, show_rect

COUNT = 9
WEIGHTS_QUIET_MS = 1500
"""New weights are looked at once they have not changed for this long."""


class FilterPatchesView(Retranslating, QWidget):
    """Filter picker, then kernel · top patches · mean map, side by side."""

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.mnist: MnistData | None = None
        self.result: TopPatches | None = None
        self._stale = True
        self._generation = 0     # bumped by every new model or weights: older results are old
        self.filter_combo = QComboBox()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(f"color: {theme.TEXT};")
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground(theme.BACKGROUND)
        self.kernel_title = self.plots.addLabel("", row=0, col=0)
        self.patches_title = self.plots.addLabel("", row=0, col=1)
        self.mean_title = self.plots.addLabel("", row=0, col=2)
        self.kernel_box = self.plots.addViewBox(row=1, col=0)
        self.patches_box = self.plots.addViewBox(row=1, col=1)
        self.mean_box = self.plots.addViewBox(row=1, col=2)
        self.kernel_grid: ImageGrid | None = None
        self.mean_item = pg.ImageItem(axisOrder="row-major")
        self.mean_item.setColorMap(theme.DIVERGING)
        self.mean_box.addItem(self.mean_item)
        self.patch_grid: ImageGrid | None = None
        controls = QHBoxLayout()
        self.filter_label = QLabel()
        controls.addWidget(self.filter_label)
        controls.addWidget(self.filter_combo)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.status_label)
        self._worker = workers.LatestRequestWorker(_top_patches, self)
        self._worker.request_finished.connect(self._on_worker_finished)
        self._worker.request_failed.connect(self._on_worker_failed)
        self._weights_settled = Debounce(self._on_changed, WEIGHTS_QUIET_MS, self)
        self.filter_combo.currentIndexChanged.connect(self._on_changed)
        session.model_changed.connect(self._on_session_model_changed)
        session.weights_changed.connect(self._on_session_weights_changed)
        self._fill_combo()
        self.retranslate()

    def retranslate(self) -> None:
        """The labels in the current language; what is on show is made again in it."""
        self.filter_combo.setToolTip(self.tr("The filter whose strongest responses are shown"))
        self.filter_label.setText(self.tr("Filter"))
        self._stale = True
        self._request()

    @property
    def busy(self) -> bool:
        """Whether a result is being computed or waits for the weights to settle."""
        return self._worker.busy or self._weights_settled.pending

    def set_mnist(self, mnist: MnistData | None) -> None:
        self.mnist = mnist
        self._on_changed()

    def choose(self, layer_name: str, channel: int) -> None:
        self.filter_combo.setCurrentText(f"{layer_name} #{channel}")

    def _fill_combo(self) -> None:
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        for layer in self.session.model.layers:
            if isinstance(layer, Conv2D) and layer.output_shape[0] * layer.output_shape[1] > 1:
                self.filter_combo.addItems([f"{layer.name} #{k}" for k in range(layer.filters)])
        self.filter_combo.blockSignals(False)
        self._on_changed()

    def _on_session_model_changed(self) -> None:
        self._generation += 1
        self._weights_settled.cancel()
        self._fill_combo()

    def _on_session_weights_changed(self) -> None:
        self._generation += 1
        self._stale = True
        if self.isVisible():
            self.status_label.setText(self.tr("The weights changed: the top patches follow once "
                                              "they have been still for a moment."))
        self._weights_settled()

    def _on_changed(self) -> None:
        self._weights_settled.cancel()
        self._stale = True
        self._request()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._request()

    def _request(self) -> None:
        if not self._stale or not self.isVisible():
            return
        if self.mnist is None:
            self.status_label.setText(self.tr("Load MNIST to see the test digits that excite "
                                              "each filter most: the Train tab's Start offers "
                                              "to download it or find its folder."))
            return
        if self.filter_combo.count() == 0:
            self.status_label.setText(self.tr("This model has no convolution layer with maps to "
                                              "look at."))
            return
        if not self.session.takes_digits:
            self.status_label.setText(self.tr("No top patches: {0}.").format(
                self.session.mnist_mismatch()))
            return
        self._stale = False
        name, _, index = self.filter_combo.currentText().partition(" #")
        self.status_label.setText(self.tr("Running {0} test digits up to {1}…").format(
            f"{len(self.mnist.test_images):,}", name))
        self._worker.submit((self.session.model.clone(), name, int(index),
                             self.mnist.test_images, self._generation))

    def _on_worker_failed(self, request, error: Exception) -> None:
        self.status_label.setText(self.tr("The top patches could not be computed: {0}")
                                  .format(error))

    def _on_worker_finished(self, request, result: TopPatches) -> None:
        model, name, index, images, generation = request
        if self._worker.busy or generation != self._generation:
            return      # a newer request is on its way, or this one's model or weights are gone
        self.result = result
        layer = next(layer for layer in model.layers if layer.name == name)
        kernel = layer.params["kernel"][:, :, :, index]
        self.kernel_box.clear()
        inputs = kernel.shape[2]
        self.kernel_grid = ImageGrid(self.kernel_box, inputs, 1 if inputs == 1 else 2,
                                     kernel.shape[:2])
        self.kernel_grid.set_images([kernel[:, :, c] for c in range(inputs)],
                                    theme.symmetric_levels(kernel))
        show_rect(self.kernel_box, self.kernel_grid.extent())
        self.kernel_title.setText(_title(self.tr("Kernel") if inputs == 1 else
                                         self.tr("Kernel, {0} inputs").format(inputs)))
        self._show_patches(result)
        mean = result.mean_map
        self.mean_item.setImage(mean, levels=theme.symmetric_levels(mean))
        show_rect(self.mean_box, QRectF(0, 0, mean.shape[1], mean.shape[0]))
        self.mean_title.setText(_title(self.tr("Mean map")))
        height, width = result.field
        self.status_label.setText(self.tr(
            "The {0} of {1} test digits where {2} #{3} responds most, each cropped to the "
            "{4}×{5} pixels its strongest unit sees; beside them the kernel (one grid per input "
            "map) and the filter's mean map over the test set (red positive, blue negative). "
            "Peak values, in order: {6}.").format(
            COUNT, f"{len(images):,}", name, index, height, width,
            ", ".join(format_number(v) for v in result.values)))

    def _show_patches(self, result: TopPatches) -> None:
        self.patches_box.clear()
        patches = result.patches[..., 0]
        self.patch_grid = ImageGrid(self.patches_box, len(patches), 3, patches.shape[1:],
                                    colormap=theme.INK)
        self.patch_grid.set_images(list(patches), (0.0, 1.0))
        show_rect(self.patches_box, self.patch_grid.extent())
        self.patches_title.setText(_title(self.tr("Top patches")))


def _title(text: str) -> str:
    return f"<span style='color:{theme.TEXT}; font-size:11pt'><b>{text}</b></span>"


def _top_patches(request) -> TopPatches:
    """The worker's job, on its own model clone."""
    model, name, index, images, _ = request
    return top_patches(model, name, index, images_to_float(images), count=COUNT)

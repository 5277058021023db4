"""The "Image inspection" tab: drop any photo and see what convolution does to it.

``InspectorView`` is a self-contained tab. Photos come in by drag and drop, Open, Paste or
``load_path``/``load_bytes`` and are decoded on a worker thread (``core.image_io``); failures
show in the message bar and the current photo stays. Every control change asks for new feature maps
(``core.inspection``): small jobs run at once, large ones on a ``LatestRequestWorker`` where
the newest request wins. Hovering names a photo pixel and the cell over it in every map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from convviz.core.formatting import format_pair
from convviz.core.imaging.inspection import InspectionError, NamedKernel
from convviz.gui import error_log, workers
from convviz.gui.i18n import Retranslating, translate
from convviz.gui.inspector.controls import (
    ACTIVATION_LABELS,
    PAD_MODE_LABELS,
    InspectorControls,
)
from convviz.gui.inspector.jobs import (
    ComputedMaps,
    MapRequest,
    PreparedImage,
    coloured,
    compute_maps,
    prepare_image,
    save_png,
)
from convviz.gui.inspector.maps import PhotoCell, PictureGrid, field_rect
from convviz.gui.inspector.pyramid_item import ViewSync
from convviz.gui.inspector.sample import sample_photo_png
from convviz.gui.widgets import theme
from convviz.gui.widgets.message_bar import MessageBar, MessageLevel
from convviz.gui.widgets.picture_sources import PictureDropTarget, picture_filter, picture_in

SYNC_WORK = 2_000_000
"""Jobs up to this many pixels x kernels x planes run on the GUI thread when no worker is
busy (a few milliseconds); larger ones go to the worker."""


@dataclass(frozen=True)
class Hover:
    """What the pointer is over: a photo point, the photo's values there, a cell per map.

    ``source`` is the index of the map hovered, or None for the photo; ``field`` the input
    rows and columns the hovered map cell reads.
    """

    point: tuple[float, float]
    pixel: tuple[int, int] | None
    input_values: dict[str, float]
    cells: tuple[tuple[int, int] | None, ...]
    values: tuple[float | None, ...]
    source: int | None
    field: tuple[tuple[int, int], tuple[int, int]] | None


def _number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−")


class InspectorView(Retranslating, PictureDropTarget, QWidget):
    """Controls on the left, the photo and its feature maps side by side, read-outs below."""

    image_loaded = Signal(str)
    load_failed = Signal(str)
    maps_updated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.image: PreparedImage | None = None
        self.computed: ComputedMaps | None = None
        self.hover: Hover | None = None
        self._serial = 0
        self._shown_serial = -1
        self._importer = workers.PictureImporter(prepare_image, self)
        self._importer.imported.connect(self._on_importer_imported)
        self._importer.failed.connect(self._on_importer_failed)
        self.mapper = workers.LatestRequestWorker(compute_maps, self)
        self.mapper.request_finished.connect(self._on_mapper_request_finished)
        self.mapper.request_failed.connect(self._on_mapper_request_failed)

        self.sync = ViewSync(self)
        self.controls = InspectorControls()
        self.controls.chain_changed.connect(self.request_maps)
        self.controls.display_changed.connect(self._on_controls_display_changed)
        self.grid = PictureGrid(self.sync)
        self.grid.scene().sigMouseMoved.connect(self._on_grid_mouse_moved)
        self.grid.scene().sigMouseClicked.connect(self._on_grid_mouse_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(self._build_toolbar())
        self.message_bar = MessageBar()
        layout.addWidget(self.message_bar)
        layout.addWidget(self._build_body(), 1)
        self.readout_label = QLabel()
        self.readout_label.setFont(theme.font(12))
        self.readout_label.setMinimumHeight(2 * self.readout_label.fontMetrics().lineSpacing())
        self.readout_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.readout_label)
        layout.addWidget(self.status_label)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the view in the current language (the controls re-label themselves)."""
        for button, text, tip in (
                (self.open_button, self.tr("Open photo…"),
                 self.tr("Open a photo file (or drop one onto this tab)")),
                (self.paste_button, self.tr("Paste"),
                 self.tr("Use the image on the clipboard (Ctrl+V)")),
                (self.sample_button, self.tr("Sample photo"),
                 self.tr("A street photo shipped with convviz")),
                (self.save_map_button, self.tr("Save map…"),
                 self.tr("Save the selected map (click a map to select it) as PNG, at full "
                         "resolution")),
                (self.save_grid_button, self.tr("Save grid…"),
                 self.tr("Save the photo and all maps as on screen, as PNG"))):
            button.setText(text)
            button.setToolTip(tip)
        if self.image is None:
            self.source_label.setText(self.tr("No photo yet"))
            self.readout_label.setText(self.tr(
                "Drop a photo onto this tab, or use Open, Paste or Sample photo.\nThen hover "
                "over the photo or a map to read values."))
        elif self.hover is not None:
            self.readout_label.setText(self._readout_text())
        else:
            self.readout_label.setText(self._loaded_hint())
        if self.image is not None:
            self.grid.photo.set_title(self.tr("Photo"))
        if self.computed is not None:
            self.chain_label.setText(_chain_text(self.computed))
        QTimer.singleShot(0, self, self.refit_texts)  # once the controls have their new labels

    def _loaded_hint(self) -> str:
        return self.tr("Hover over the photo or a map to read its values; drag to pan and scroll "
                       "to zoom (all pictures follow).\nClick a map to choose the one Save map "
                       "writes.")

    # --- public API ---------------------------------------------------------------------------

    def load_path(self, path: str | Path) -> None:
        """Load a photo file on a worker; `image_loaded` or `load_failed` follows."""
        path = Path(path)
        self.take_picture(path, f"'{path.name}'")

    def load_bytes(self, data: bytes, name: str | None = None) -> None:
        """Load an encoded image (PNG, JPEG, ... bytes) on a worker."""
        self.take_picture(bytes(data), name or self.tr("the pasted image"))

    def load_sample(self) -> None:
        """Load the generated street scene: houses, a road sign, a car, sky and road."""
        self.load_bytes(sample_photo_png(), self.tr("the sample photo"))

    def paste_image(self) -> None:
        """Load the clipboard's image file or image data."""
        picture = picture_in(QApplication.clipboard().mimeData(), "pasted")
        if picture is None:
            self.message_bar.show_message(self.tr("The clipboard holds no image to paste."),
                                          MessageLevel.ERROR)
        else:
            self.take_picture(*picture)

    def set_model_kernels(self, kernels: dict[str, np.ndarray]) -> None:
        """Offer the model's learned kernels, {"C1 #0": (kh, kw) weights, ...}."""
        self.controls.set_model_kernels(kernels)

    def set_model_layers(self, layers: dict[str, tuple[np.ndarray, list[str]]]) -> None:
        """Offer the learned kernels of every conv layer, {name: ((kh, kw, in, out) weights,
        a name per input channel)}, with a layer and an input-channel picker."""
        self.controls.set_model_layers(layers)

    def request_maps(self) -> None:
        """Compute the maps for the current photo and controls (now if small, else on the
        worker, where the newest request wins)."""
        if self.image is None:
            return
        self._serial += 1
        kernels = self.controls.kernels()
        if not kernels:
            self._show_chain_error(self.tr("Tick at least one kernel to see its feature map."),
                                   self._serial)
            return
        chain = self.controls.chain_settings()
        request = MapRequest(self._serial, self.image, kernels, chain)
        planes = len(self.image.source.planes(chain.channels))
        work = math.prod(self.image.shape) * len(kernels) * planes
        if work <= SYNC_WORK and not self.mapper.busy:
            try:
                computed = compute_maps(request)
            except InspectionError as error:
                self._show_chain_error(str(error), request.serial)
            else:
                self._show_maps(computed)
            return
        self.status_label.setText(self.tr("Computing the feature maps…"))
        self.mapper.submit(request)

    def save_map_png(self, path: str | Path, index: int | None = None) -> bool:
        """Save one map (the selected one by default) at full resolution in its colours."""
        if self.computed is None:
            return False
        cell = self.grid.cells[self.grid.selected if index is None else index]
        lut = cell.colormap.getLookupTable(nPts=256, alpha=False)
        save_png(coloured(cell.feature_map.values, cell.levels, lut), path)
        return True

    def save_grid_png(self, path: str | Path) -> bool:
        """Save the photo and the grid of maps as they are on screen."""
        return self.grid.grab().save(str(path))

    def select_map(self, index: int) -> None:
        """Make a map the one Save map writes (it is outlined)."""
        self.grid.select(index)

    # --- building -----------------------------------------------------------------------------

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.paste_button = QPushButton()
        self.paste_button.clicked.connect(self.paste_image)
        self.sample_button = QPushButton()
        self.sample_button.clicked.connect(self.load_sample)
        self.source_label = QLabel()
        self.source_label.setStyleSheet(f"color: {theme.MUTED};")
        self.save_map_button = QPushButton()
        self.save_map_button.clicked.connect(self._on_save_map_button_clicked)
        self.save_grid_button = QPushButton()
        self.save_grid_button.clicked.connect(self._on_save_grid_button_clicked)
        for button in (self.open_button, self.paste_button, self.sample_button):
            row.addWidget(button)
        row.addWidget(self.source_label, 1)
        row.addWidget(self.save_map_button)
        row.addWidget(self.save_grid_button)
        self._update_save_buttons()
        return row

    def _build_body(self) -> QSplitter:
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll = scroll
        self.refit_texts()
        self.chain_label = QLabel()
        self.chain_label.setFont(theme.font(13, bold=True))
        self.chain_label.setWordWrap(True)
        self.chain_error_label = QLabel()
        self.chain_error_label.setWordWrap(True)
        self.chain_error_label.setStyleSheet(f"color: {theme.ERROR_COLOURS[1]}; font-size: 13pt;")
        self.chain_error_label.hide()
        maps = QWidget()
        maps_layout = QVBoxLayout(maps)
        maps_layout.setContentsMargins(0, 0, 0, 0)
        maps_layout.addWidget(self.chain_label)
        maps_layout.addWidget(self.chain_error_label)
        maps_layout.addWidget(self.grid, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(scroll)
        body.addWidget(maps)
        body.setStretchFactor(1, 1)
        return body

    # --- loading ------------------------------------------------------------------------------

    def refit_texts(self) -> None:
        """The controls column as wide as its controls need at the current text size."""
        self.controls_scroll.setMinimumWidth(self.controls.sizeHint().width() + 24)

    def take_picture(self, source: Path | bytes, name: str) -> None:
        """Load a picture file or encoded bytes on a worker (drops and paste come here)."""
        self.status_label.setText(self.tr("Loading {0}…").format(name))
        self._importer.take(source, name)

    def _on_importer_imported(self, prepared: PreparedImage) -> None:
        self.image = prepared
        self.computed = None
        self.hover = None
        self.grid.set_photo(prepared.display, prepared.histogram, self.tr("Photo"))
        height, width = prepared.shape
        self.sync.show_region(QRectF(0, 0, width, height))
        self.source_label.setText(f"{prepared.name.strip(chr(39))}: {prepared.description}")
        if prepared.notices:
            self.message_bar.show_message(" ".join(prepared.notices), MessageLevel.INFO)
        else:
            self.message_bar.clear()
        self.status_label.setText(self.tr("Loaded {0}.").format(prepared.name))
        self.readout_label.setText(self._loaded_hint())
        self.request_maps()
        self.image_loaded.emit(prepared.name)

    def _on_importer_failed(self, name: str, error: Exception) -> None:
        message = error_log.report(error, f"Loading {name} into the image inspector")
        kept = self.tr(" The photo on show stays.") if self.image is not None else ""
        self.message_bar.show_message(message + kept, MessageLevel.ERROR)
        self.status_label.setText("")
        self.load_failed.emit(message)

    # --- maps ---------------------------------------------------------------------------------

    def _on_mapper_request_finished(self, request: MapRequest, computed: ComputedMaps) -> None:
        if request.image is self.image and request.serial > self._shown_serial:
            self._show_maps(computed)

    def _on_mapper_request_failed(self, request: MapRequest, error: Exception) -> None:
        if request.image is self.image and request.serial > self._shown_serial:
            message = error_log.report(error, "Computing the inspector's maps")
            self._show_chain_error(message, request.serial)

    def _show_maps(self, computed: ComputedMaps) -> None:
        self._shown_serial = computed.request.serial
        self.computed = computed
        inspection = computed.inspection
        self.chain_error_label.hide()
        self.grid.set_maps(inspection.maps, computed.pyramids, self.controls.display_settings(),
                           len(inspection.channels))
        self.chain_label.setText(_chain_text(computed))
        out_h, out_w = inspection.maps[0].shape
        self.status_label.setText(
            self.tr("{0} feature map(s), the first {1}×{2}, computed in {3:.0f} ms").format(
                len(inspection.maps), out_w, out_h, computed.seconds * 1000)
            + (self.tr("; newer settings are being computed…") if self.mapper.busy else "."))
        self._update_save_buttons()
        if self.hover is not None:
            self._hover_at(QPointF(self.hover.point[1], self.hover.point[0]), None)
        self.maps_updated.emit()

    def _show_chain_error(self, message: str, serial: int) -> None:
        """Explain why request `serial` has no maps (results of older requests are ignored)."""
        self._shown_serial = serial
        self.computed = None
        self.grid.clear_maps()
        self.chain_error_label.setText(message)
        self.chain_error_label.show()
        self.chain_label.setText("")
        self.status_label.setText("")
        self._update_save_buttons()

    def _on_controls_display_changed(self) -> None:
        self.grid.restyle(self.controls.display_settings())

    def _update_save_buttons(self) -> None:
        self.save_map_button.setEnabled(self.computed is not None)
        self.save_grid_button.setEnabled(self.computed is not None)

    # --- hover and clicks ---------------------------------------------------------------------

    def _on_grid_mouse_moved(self, scene_pos: QPointF) -> None:
        found = self.grid.cell_at(scene_pos)
        if found is not None:
            cell, point = found
            self._hover_at(point, None if isinstance(cell, PhotoCell) else
                           self.grid.cells.index(cell))

    def _on_grid_mouse_clicked(self, event) -> None:
        found = self.grid.cell_at(event.scenePos())
        if found is not None and not isinstance(found[0], PhotoCell):
            self.select_map(self.grid.cells.index(found[0]))

    def _hover_at(self, point: QPointF, source: int | None) -> None:
        """Read out the photo pixel under `point` (photo coordinates) and the cell over it in
        every map; the hovered map's cell also outlines its receptive field on the photo."""
        if self.image is None:
            return
        y, x = point.y(), point.x()
        height, width = self.image.shape
        pixel = (math.floor(y), math.floor(x)) if 0 <= y < height and 0 <= x < width else None
        input_values = self.image.source.values_at(*pixel) if pixel is not None else {}
        cells, values = [], []
        for cell in self.grid.cells if self.computed is not None else []:
            found = cell.feature_map.cell_at(y, x)
            value = None if found is None else float(cell.feature_map.values[found])
            cells.append(found)
            values.append(value)
            cell.mark_cell(found)
            cell.set_readout("" if found is None else
                             f"({found[0]}, {found[1]}) = {_number(value)}")
        field = None
        if source is not None and source < len(cells) and cells[source] is not None:
            field = self.grid.cells[source].feature_map.receptive_field(*cells[source])
        self.hover = Hover((y, x), pixel, input_values, tuple(cells), tuple(values), source,
                           field)
        self.grid.photo.mark(pixel, None if field is None else field_rect(field))
        self.grid.photo.set_readout("" if pixel is None else f"x {pixel[1]}, y {pixel[0]}")
        self.readout_label.setText(self._readout_text())

    def _readout_text(self) -> str:
        """Two lines: the photo pixel's values, then the hovered map cell and what it reads."""
        hover = self.hover
        photo = (self.tr("Outside the photo.") if hover.pixel is None else
                 self.tr("Photo pixel {0}").format(_pixel_text(hover.pixel, hover.input_values)))
        if hover.source is None or hover.field is None:
            return photo + "\n" + self.tr("Each map's title shows its cell (row, column) over "
                                          "this pixel and the cell's value.")
        cell_map = self.grid.cells[hover.source].feature_map
        (top, bottom), (left, right) = hover.field
        i, j = hover.cells[hover.source]
        padding = (top < 0 or left < 0 or bottom >= self.image.shape[0]
                   or right >= self.image.shape[1])
        return (f"{photo}\n" + self.tr(
            "{0}, row {1}, col {2} = {3} reads photo rows {4}–{5} and columns {6}–{7} (outlined "
            "on the photo)").format(cell_map.title, i, j, _number(hover.values[hover.source]),
                                    top, bottom, left, right)
                + (self.tr(", partly padding.") if padding else "."))

    # --- files, drops -------------------------------------------------------------------------

    def _on_open_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a photo"), "", picture_filter())
        if path:
            self.load_path(path)

    def _on_save_map_button_clicked(self) -> None:
        title = self.grid.cells[self.grid.selected].feature_map.title
        suggested = "".join(c if c.isalnum() else "-" for c in title).strip("-") + ".png"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the map as PNG"), suggested,
                                              self.tr("PNG images (*.png)"))
        if path:
            self.save_map_png(path)

    def _on_save_grid_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the photo and its maps as PNG"),
                                              "feature-maps.png", self.tr("PNG images (*.png)"))
        if path:
            self.save_grid_png(path)


def _pixel_text(pixel: tuple[int, int] | None, values: dict[str, float]) -> str:
    if pixel is None:
        return ""
    shown = "  ".join(f"{name} {values[name]:.3f}" for name in values)
    return f"x {pixel[1]}, y {pixel[0]}:  {shown}"


def _chain_text(computed: ComputedMaps) -> str:
    """'Luminance → 3×3 conv, stride 1, same padding → ReLU → max pool 2' for the maps."""
    chain = computed.request.chain
    kernels: tuple[NamedKernel, ...] = computed.request.kernels
    sizes = sorted({f"{k.weights.shape[0]}×{k.weights.shape[1]}" for k in kernels})
    conv = computed.inspection.maps[0].geometries[0]
    if isinstance(chain.padding, str):
        padding = translate("InspectorView", "{0} padding").format(chain.padding)
    else:
        padding = translate("InspectorView", "padding {0}").format(chain.padding)
    if chain.pad_mode != "zero" and chain.padding != "valid":
        mode = next(k for k, v in PAD_MODE_LABELS.items() if v == chain.pad_mode)
        padding += f" ({translate('InspectorControls', mode)})"
    conv_text = translate("InspectorView", "{0} conv, stride {1}, {2}").format(
        "/".join(sizes), format_pair(conv.strides), padding)
    if conv.dilation != (1, 1):
        conv_text += translate("InspectorView", ", dilation {0}").format(
            format_pair(conv.dilation))
    parts = [translate("InspectorView", "Luminance") if chain.channels == "luminance"
             else translate("InspectorView", "Each channel"), conv_text]
    if chain.activation != "linear":
        parts.append(next(label for label, name in ACTIVATION_LABELS.items()
                          if name == chain.activation))
    if chain.pooling is not None:
        pool = computed.inspection.maps[0].geometries[1]
        text = (translate("InspectorView", "max pool {0}") if chain.pooling.mode == "max"
                else translate("InspectorView", "average pool {0}"))
        parts.append(text.format(format_pair(pool.kernel_hw)))
    return "  →  ".join(parts)


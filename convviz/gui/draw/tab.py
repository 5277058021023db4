"""The Draw tab: draw a digit (or load one) and watch every layer of the network respond.

Data flows left to right: the canvas, the 28x28 digit the network sees, the prediction, the
learned kernels and layer table, and below them every layer's activations. Strokes update
the canvas at once; the network views follow at display rate (`Throttle`), while the stroke
is still being drawn. A model of other pictures (colour, or another size) gets "your picture"
instead of the canvas: open, drop, paste or take a test picture, which the network sees
resized to its input, as it was trained.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convviz.core.drawing.canvas import Brush, DrawingCanvas
from convviz.core.drawing.digit_preprocess import ImportedPicture, preprocess_digit, resize_area
from convviz.core.drawing.picture_input import ModelPicture, prepare_picture, sample_pictures
from convviz.core.training.data import MnistData
from convviz.gui.draw.canvas import CanvasView, DigitView, ScaledPicture, rgb_image
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating, translate
from convviz.gui.session import DigitSession
from convviz.gui.views.activations import ActivationView
from convviz.gui.views.filter_patches import FilterPatchesView
from convviz.gui.views.kernels import KernelPicker, KernelView
from convviz.gui.views.layer_table import LayerTable
from convviz.gui.views.prediction import PredictionView
from convviz.gui.views.what_if import WhatIfView
from convviz.gui.views.why import WhyView
from convviz.gui.widgets import theme
from convviz.gui.widgets.colour_bar import ColourBar
from convviz.gui.widgets.scroll_page import scroll_page
from convviz.gui.widgets.throttle import Throttle

UPDATE_INTERVAL_MS = 1000 / 60
"""The network views follow strokes at most at display rate."""
DEFAULT_BRUSH_RADIUS = 12
"""About MNIST's stroke width for a digit drawn 200 pixels tall (strokes ~1/8 of the height)."""
BRUSH_RADII = (3, 30)
CANVAS_MINIMUM = (220, 220)
"""Small enough for the Draw tab to fit a 1280x720 screen under a presenter text scale."""
PREVIEW_SIZE = (120, 96)
"""The opened picture's preview, beside the 28x28 digit the network sees."""
CANVAS_HINT = QT_TRANSLATE_NOOP("DrawTab", "Draw with mouse or pen · drop, open or paste a "
                                           "picture")
PICTURE_HINT = QT_TRANSLATE_NOOP("DrawTab", "Open, drop or paste a picture · or take a test "
                                            "picture")
DIGIT_SUBTITLE = QT_TRANSLATE_NOOP("DrawTab", "28×28, made as MNIST: cropped, scaled into "
                                              "20×20, centred by mass")
DETAIL_PAGES = (
    (QT_TRANSLATE_NOOP("DrawTab", "Kernels"),
     QT_TRANSLATE_NOOP("DrawTab", "The learned kernels of the convolutions")),
    (QT_TRANSLATE_NOOP("DrawTab", "Layers"),
     QT_TRANSLATE_NOOP("DrawTab", "Every layer's output shape, parameters and activation "
                                  "memory")),
    (QT_TRANSLATE_NOOP("DrawTab", "Why?"),
     QT_TRANSLATE_NOOP("DrawTab", "Why this prediction? Saliency, occlusion and Grad-CAM maps "
                                  "of any class")),
    (QT_TRANSLATE_NOOP("DrawTab", "What if?"),
     QT_TRANSLATE_NOOP("DrawTab", "Switch filters off, edit a weight, shift the input, change "
                                  "the temperature")),
    (QT_TRANSLATE_NOOP("DrawTab", "Top patches"),
     QT_TRANSLATE_NOOP("DrawTab", "The test digits that excite each filter most")),
)
"""The "Inside the model" pages' titles and tooltips, in the order of the tabs."""


class DrawTab(Retranslating, QWidget):
    """Canvas, tools and every view of the network's response, on one DigitSession."""

    status_reported = Signal(str)
    open_picture_requested = Signal()
    paste_picture_requested = Signal()

    def __init__(self, session: DigitSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.canvas = DrawingCanvas()
        self.canvas_view = CanvasView(self.canvas, Brush(DEFAULT_BRUSH_RADIUS))
        self.canvas_view.setMinimumSize(*CANVAS_MINIMUM)
        self.digit_view = self._make_digit_view()
        self.picture_view = ScaledPicture()
        self.picture: ModelPicture | None = None   # on show for a model of pictures
        self._test_pictures = sample_pictures()
        self._dataset: tuple[np.ndarray, np.ndarray, str] | None = None
        self._next_test_picture = 0
        self.field_label = QLabel()
        self.field_label.setWordWrap(True)
        self.picture_label = QLabel()
        self.picture_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture_label.setVisible(False)
        self.prediction_view = PredictionView(session)
        self.activation_view = ActivationView(session)
        self.kernel_view = KernelView(session)
        self.kernel_picker = KernelPicker(self.kernel_view)
        self.layer_table = LayerTable(session)
        self.why_view = WhyView(session)
        self.what_if_view = WhatIfView(session)
        self.patches_view = FilterPatchesView(session)
        self.activation_bar = ColourBar()
        self.activation_view.levels_shown.connect(self.activation_bar.show_layer)
        self.activation_view.emit_levels()
        self.kernel_bar = ColourBar()
        self.kernel_view.levels_shown.connect(self.kernel_bar.show_layer)
        self.kernel_view.emit_levels()
        self.readout_label = QLabel(" ")
        self.readout_label.setFont(theme.font(13, bold=True))
        self.readout_label.setStyleSheet(f"color: {theme.TEXT};")
        self.mnist: MnistData | None = None
        self._source: tuple[int, str, QPixmap | None] | None = None  # edit id, name, preview
        self._active = True
        self._make_actions()
        self._input_timer = QTimer(self)
        self._input_timer.setSingleShot(True)
        self._input_timer.setInterval(0)
        self._input_timer.timeout.connect(self._update_network)
        self._make_layout()
        self._throttle = Throttle(self._update_network, UPDATE_INTERVAL_MS, self)
        self.canvas_view.ink_changed.connect(self._on_canvas_view_ink_changed)
        self.canvas_view.stroke_finished.connect(self._on_canvas_view_stroke_finished)
        self.activation_view.unit_hovered.connect(self._on_view_hovered)
        self.kernel_view.weight_hovered.connect(self._on_view_hovered)
        session.input_changed.connect(self._on_session_input_changed)
        session.selection_changed.connect(self._show_receptive_field)
        session.model_changed.connect(self._on_session_model_changed)
        self._mnist_reason = QT_TRANSLATE_NOOP("DrawTab", "MNIST test digits are not loaded yet.")
        self.set_mnist(None, self._mnist_reason)
        self.retranslate()
        self._update_network()
        self._update_actions()

    # --- construction ----------------------------------------------------------------------------

    def _make_actions(self) -> None:
        def action(shortcuts, slot) -> QAction:
            made = QAction(self)
            made.setShortcuts([QKeySequence(s) for s in shortcuts])
            made.triggered.connect(slot)
            return made

        self.undo_action = action(["Ctrl+Z"], self.undo)
        self.redo_action = action(["Ctrl+Shift+Z", "Ctrl+Y"], self.redo)
        self.clear_action = action(["Delete", "Backspace"], self.clear)
        self.eraser_action = action(["E"], lambda on: self.set_eraser(on))
        self.eraser_action.setCheckable(True)
        self.thinner_action = action(["["], lambda: self._step_radius(-2))
        self.thicker_action = action(["]"], lambda: self._step_radius(2))
        for made in (self.undo_action, self.redo_action, self.clear_action, self.eraser_action,
                     self.thinner_action, self.thicker_action):
            self.addAction(made)
        self.actions_for_menu = [self.undo_action, self.redo_action, self.clear_action, None,
                                 self.eraser_action, self.thinner_action, self.thicker_action]

    def _make_layout(self) -> None:
        pen_button = QToolButton()
        eraser_button = QToolButton()
        for button in (pen_button, eraser_button):
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        pen_button.setChecked(True)
        self.tool_group = QButtonGroup(self)
        self.tool_group.addButton(pen_button)
        self.tool_group.addButton(eraser_button)
        eraser_button.toggled.connect(self.set_eraser)
        self.eraser_action.toggled.connect(eraser_button.setChecked)
        self.eraser_button, self.pen_button = eraser_button, pen_button
        self.radius_slider = QSlider(Qt.Orientation.Horizontal)
        self.radius_slider.setRange(*BRUSH_RADII)
        self.radius_slider.setValue(DEFAULT_BRUSH_RADIUS)
        self.radius_label = QLabel()
        self.radius_slider.valueChanged.connect(self._on_radius_slider_value_changed)
        self._on_radius_slider_value_changed(self.radius_slider.value())
        tools = QHBoxLayout()
        tools.addWidget(pen_button)
        tools.addWidget(eraser_button)
        tools.addSpacing(8)
        self.size_label = QLabel()
        tools.addWidget(self.size_label)
        tools.addWidget(self.radius_slider, 1)
        tools.addWidget(self.radius_label)
        history = QHBoxLayout()
        for act in (self.undo_action, self.redo_action, self.clear_action):
            button = QToolButton()
            button.setDefaultAction(act)
            history.addWidget(button)
        history.addStretch(1)
        self.sample_box = QSpinBox()
        self.sample_box.setRange(0, 9999)
        self.sample_box.setPrefix("#")
        self.sample_box.setKeyboardTracking(False)
        self.sample_box.valueChanged.connect(self.show_sample)
        self.random_button = QPushButton()
        self.random_button.clicked.connect(self._on_random_button_clicked)
        self._rng = np.random.default_rng()
        self.sample_label = QLabel()
        samples = QHBoxLayout()
        samples.addWidget(self.sample_label)
        samples.addWidget(self.sample_box)
        samples.addWidget(self.random_button)
        samples.addStretch(1)
        canvas_box = _column(self.canvas_view, tools, history, samples)
        self.open_picture_button = QPushButton()
        self.open_picture_button.clicked.connect(self.open_picture_requested)
        self.paste_picture_button = QPushButton()
        self.paste_picture_button.clicked.connect(self.paste_picture_requested)
        self.test_picture_button = QPushButton()
        self.test_picture_button.clicked.connect(self.take_test_picture)
        picture_buttons = QHBoxLayout()
        for button in (self.open_picture_button, self.paste_picture_button,
                       self.test_picture_button):
            picture_buttons.addWidget(button)
        picture_buttons.addStretch(1)
        picture_box = _column(self.picture_view, picture_buttons)
        self.input_pages = QStackedWidget()
        self.input_pages.addWidget(canvas_box)
        self.input_pages.addWidget(picture_box)
        self.canvas_panel = theme.Panel("", self.input_pages)

        self.field_label.setStyleSheet(f"color: {theme.TEXT};")
        digit_text = QVBoxLayout()
        digit_text.addWidget(self.picture_label)  # beside what the network sees: the canvas
        digit_text.addWidget(self.field_label)    # keeps its height when a picture is opened
        digit_text.addStretch(1)
        digit_box = QWidget()
        digit_layout = QHBoxLayout(digit_box)
        digit_layout.setContentsMargins(0, 0, 0, 0)
        digit_layout.addWidget(self.digit_view, 3)
        digit_layout.addLayout(digit_text, 2)
        self.digit_layout = digit_layout
        self.digit_panel = theme.Panel("", digit_box)
        self.prediction_panel = theme.Panel("", self.prediction_view)
        self.details_tabs = QTabWidget()
        kernel_page = QWidget()
        kernel_layout = QVBoxLayout(kernel_page)
        kernel_layout.setContentsMargins(0, 0, 0, 0)
        kernel_layout.addWidget(self.kernel_picker)
        kernel_layout.addWidget(self.kernel_view, 1)
        kernel_layout.addWidget(self.kernel_bar)
        for page in (kernel_page, self.layer_table, scroll_page(self.why_view),
                     self.what_if_view, scroll_page(self.patches_view)):
            self.details_tabs.addTab(page, "")
        self.details_tabs.setUsesScrollButtons(False)   # short titles; elided if need be
        self.details_tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.details_panel = theme.Panel("", self.details_tabs)
        self.warming_label = QLabel()
        self.warming_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warming_label.setFont(theme.font(theme.TITLE_POINT_SIZE, bold=True))
        self.warming_label.setStyleSheet(
            f"background: rgba(255, 255, 255, 215); color: {theme.MUTED};")
        self.warming_label.setVisible(not self.session.is_ready)
        self.session.warmed_up.connect(lambda: self.warming_label.setVisible(False))
        activation_box = QWidget()
        activation_layout = QGridLayout(activation_box)
        activation_layout.setContentsMargins(0, 0, 0, 0)
        activation_layout.addWidget(self.activation_view, 0, 0)
        activation_layout.addWidget(self.warming_label, 0, 0)  # on top, until warmed up
        readout = QHBoxLayout()
        readout.addWidget(self.readout_label, 1)
        readout.addWidget(self.activation_bar)
        activation_layout.addLayout(readout, 1, 0)
        activation_layout.setRowStretch(0, 1)
        self.activation_panel = theme.Panel("", activation_box)

        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(self.canvas_panel)
        self.left_splitter.addWidget(self.digit_panel)
        self.left_splitter.setSizes([500, 280])
        self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.top_splitter.addWidget(self.prediction_panel)
        self.top_splitter.addWidget(self.details_panel)
        self.top_splitter.setSizes([400, 560])
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.top_splitter)
        self.right_splitter.addWidget(self.activation_panel)
        self.right_splitter.setSizes([330, 450])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setSizes([440, 960])
        self.main_splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.main_splitter)
        self._show_input_mode()

    def retranslate(self) -> None:
        """Every label, tooltip and action of the tab in the current language."""
        for action, text in ((self.undo_action, self.tr("&Undo stroke")),
                             (self.redo_action, self.tr("&Redo stroke")),
                             (self.clear_action, self.tr("&Clear canvas")),
                             (self.eraser_action, self.tr("&Eraser")),
                             (self.thinner_action, self.tr("&Thinner brush")),
                             (self.thicker_action, self.tr("T&hicker brush"))):
            action.setText(text)
        for action, label in ((self.undo_action, self.tr("↶ Undo")),
                              (self.redo_action, self.tr("↷ Redo")),
                              (self.clear_action, self.tr("✕ Clear"))):
            action.setIconText(label)
            action.setToolTip(f"{action.text().replace('&', '')} "
                              f"({action.shortcut().toString(QKeySequence.NativeText)})")
        self.pen_button.setText(self.tr("✎ Pen"))
        self.eraser_button.setText(self.tr("⌫ Eraser"))
        self.pen_button.setToolTip(self.tr("Draw white ink, as MNIST digits are"))
        self.eraser_button.setToolTip(self.tr("Rub ink out (E)"))
        self.radius_slider.setToolTip(self.tr("Brush thickness ([ and ])"))
        self.size_label.setText(self.tr("Size"))
        self.random_button.setText(self.tr("Random"))
        self.sample_label.setText(self.tr("MNIST test digit"))
        self.open_picture_button.setText(self.tr("Open…"))
        self.open_picture_button.setToolTip(self.tr("Open a picture file (Ctrl+O); dropping "
                                                    "one onto the window works too"))
        self.paste_picture_button.setText(self.tr("Paste"))
        self.paste_picture_button.setToolTip(self.tr("Paste the clipboard's picture (Ctrl+V)"))
        self.test_picture_button.setText(self.tr("Test picture"))
        self.test_picture_button.setToolTip(self.tr("Show the network a test image of its "
                                                    "dataset when one is loaded, else a "
                                                    "picture painted into the app"))
        self.digit_panel.title_label.setText(self.tr("What the network sees"))
        self.prediction_panel.title_label.setText(self.tr("Prediction"))
        self.details_panel.title_label.setText(self.tr("Inside the model"))
        for index, (title, tip) in enumerate(DETAIL_PAGES):
            self.details_tabs.setTabText(index, self.tr(title))
            self.details_tabs.setTabToolTip(index, self.tr(tip))
        self.warming_label.setText(self.tr("Warming up: compiling the network's kernels…"))
        self.activation_panel.title_label.setText(self.tr("Layer activations"))
        self.activation_panel.set_subtitle(self.tr(
            "Blue negative · white zero · red positive. Hover to read a value; click a unit "
            "to see which input pixels it depends on."))
        self.set_mnist(self.mnist, self._mnist_reason)
        self._show_input_texts()
        self._update_actions()
        self._show_receptive_field()

    # --- commands --------------------------------------------------------------------------------

    @property
    def brush(self) -> Brush:
        return self.canvas_view.brush

    def set_brush_radius(self, radius: int) -> None:
        self.radius_slider.setValue(radius)

    def set_eraser(self, on: bool) -> None:
        self.canvas_view.set_brush(Brush(self.brush.radius, erase=bool(on)))
        self.eraser_action.setChecked(bool(on))
        (self.eraser_button if on else self.pen_button).setChecked(True)

    def undo(self) -> None:
        if self.canvas.undo():
            self._after_edit()

    def redo(self) -> None:
        if self.canvas.redo():
            self._after_edit()

    def clear(self) -> None:
        if self.canvas.clear() is not None:
            self._after_edit()

    def show_picture(self, picture: ImportedPicture) -> None:
        """Put a loaded picture on the canvas (undoable) and show its colour preview."""
        edit = self.canvas.replace(picture.ink)
        self._source = (edit, picture.name, _pixmap(picture.preview))
        self._after_edit()

    def show_model_picture(self, picture: ModelPicture) -> None:
        """Show the network a picture (a model of pictures): the original in "your picture",
        resized to the model's input in "what the network sees"."""
        if picture.prepared.pixels.shape != self.session.digit.pixels.shape:  # another model
            picture = dataclasses.replace(picture, prepared=prepare_picture(
                picture.preview, self.session.model.input_shape))
        self.picture = picture
        self.picture_view.set_pixels(picture.preview)
        self.canvas_panel.set_subtitle(picture.name)
        self.session.set_input(picture.prepared)

    def take_test_picture(self) -> None:
        """Show a random test image of the dataset set with set_test_pictures when it fits
        the model, else the next of the test pictures painted into the app."""
        if self._dataset is not None and self._dataset[0].shape[1:] in (
                tuple(self.session.model.input_shape), tuple(self.session.model.input_shape[:2])):
            images, labels, source = self._dataset
            index = int(self._rng.integers(len(images)))
            pixels = images[index].reshape(self.session.model.input_shape) / np.float32(255)
            names = self.session.class_names
            label = int(labels[index])
            name = self.tr("{0} test image #{1}, labelled {2}").format(
                source, index, names[label] if 0 <= label < len(names) else label)
        else:
            names = list(self._test_pictures)
            name = names[self._next_test_picture % len(names)]
            self._next_test_picture += 1
            pixels = self._test_pictures[name]
            name = self.tr("Test picture: {0}").format(name)
        self.show_model_picture(ModelPicture(
            name, prepare_picture(pixels, self.session.model.input_shape), pixels))

    def set_test_pictures(self, images: np.ndarray | None, labels: np.ndarray | None = None,
                          source: str = "") -> None:
        """Take test pictures from a dataset (uint8 (N, H, W) or (N, H, W, C) and their
        labels, e.g. CIFAR-10's test set, named `source`) while it fits the model on show;
        None: only the painted ones."""
        if images is None:
            self._dataset = None
            return
        images = np.asarray(images)
        labels = np.asarray(labels).reshape(-1)
        if images.dtype != np.uint8 or images.ndim not in (3, 4) or len(labels) != len(images) \
                or not len(images):
            raise ValueError("test pictures must be uint8 (N, H, W) or (N, H, W, C) images "
                             "with one label each")
        self._dataset = (images, labels, source)

    def set_mnist(self, mnist: MnistData | None, reason: str = "") -> None:
        """Enable the sample picker with MNIST's test digits, or disable it saying why."""
        self.mnist = mnist
        self._mnist_reason = reason
        self.what_if_view.set_mnist(mnist)
        self.patches_view.set_mnist(mnist)
        for widget in (self.sample_box, self.random_button, self.sample_label):
            widget.setEnabled(mnist is not None)
            widget.setToolTip(self.tr("Show a digit from the MNIST test set") if mnist
                              else translate("DrawTab", reason))
        if mnist is not None:
            self.sample_box.setMaximum(len(mnist.test_images) - 1)

    def show_sample(self, index: int) -> None:
        """Put MNIST test digit `index` on the canvas, enlarged pixel for pixel."""
        if self.mnist is None:
            return
        digit = self.mnist.test_images[index].astype(np.float32) / 255
        edit = self.canvas.replace(resize_area(digit, self.canvas.size, self.canvas.size))
        label = int(self.mnist.test_labels[index])
        self._source = (edit, self.tr("MNIST test digit #{0}, labelled {1}").format(index, label),
                        None)
        self._after_edit()

    def detail_index(self, view: QWidget) -> int:
        """The index of the "Inside the model" tab holding view (some sit in a scroll page)."""
        for index in range(self.details_tabs.count()):
            page = self.details_tabs.widget(index)
            if page is view or page.isAncestorOf(view):
                return index
        raise ValueError("that view is not one of the Draw tab's detail views")

    def show_detail(self, view: QWidget) -> None:
        """Bring the "Inside the model" tab holding view to the front."""
        self.details_tabs.setCurrentIndex(self.detail_index(view))

    def set_active(self, active: bool) -> None:
        """Whether this tab is showing (its keyboard shortcuts work only then)."""
        self._active = active
        self._update_actions()

    # --- reactions -------------------------------------------------------------------------------

    def _after_edit(self) -> None:
        self.canvas_view.refresh()
        self._update_network()
        self._update_actions()

    def _update_network(self) -> None:
        if self.session.takes_digits:
            self.session.set_input(preprocess_digit(self.canvas.ink))
        elif self.picture is not None:
            self.show_model_picture(self.picture)

    def _update_actions(self) -> None:
        drawing = self._active and self.session.takes_digits
        self.undo_action.setEnabled(drawing and self.canvas.can_undo)
        self.redo_action.setEnabled(drawing and self.canvas.can_redo)
        self.clear_action.setEnabled(drawing and not self.canvas.is_empty)
        for act in (self.eraser_action, self.thinner_action, self.thicker_action):
            act.setEnabled(drawing)
        if not self.session.takes_digits:
            return
        source = self._source
        shown = (source is not None and self.canvas.is_applied(source[0])
                 and not self.canvas.is_empty)  # cleared: the canvas shows it no more
        self.canvas_panel.set_subtitle(source[1] if shown else self.tr(CANVAS_HINT))
        pixmap = source[2] if shown else None
        self.picture_label.setVisible(pixmap is not None)
        if pixmap is not None:
            self.picture_label.setPixmap(pixmap)

    def _on_canvas_view_ink_changed(self) -> None:
        self._throttle()

    def _on_canvas_view_stroke_finished(self) -> None:
        self._throttle.flush()
        self._update_actions()

    def _on_radius_slider_value_changed(self, radius: int) -> None:
        self.canvas_view.set_brush(Brush(float(radius), erase=self.brush.erase))
        self.radius_label.setText(f"{radius * 2} px")

    def _step_radius(self, step: int) -> None:
        self.radius_slider.setValue(self.radius_slider.value() + step)

    def _on_random_button_clicked(self) -> None:
        self.sample_box.setValue(int(self._rng.integers(0, self.sample_box.maximum() + 1)))

    def _make_digit_view(self) -> DigitView:
        shape = self.session.model.input_shape
        view = DigitView(shape[:2], colour=shape[2] == 3)
        view.pixel_hovered.connect(self._on_view_hovered)
        return view

    def _on_session_model_changed(self) -> None:
        if self.digit_view.shape != self.session.model.input_shape[:2] or \
                self.digit_view.colour != (self.session.model.input_shape[2] == 3):
            old, self.digit_view = self.digit_view, self._make_digit_view()
            self.digit_layout.replaceWidget(old, self.digit_view)
            old.deleteLater()
        self._show_input_mode()

    def _show_input_mode(self) -> None:
        """The canvas for a digit model; "your picture" for any other (the picture on show
        kept, resized for the new model, or a test picture)."""
        digits = self.session.takes_digits
        self.input_pages.setCurrentIndex(0 if digits else 1)
        self._show_input_texts()
        self._update_actions()
        if digits:
            self.picture_view.set_pixels(None)
        # The drawing or picture goes to the new model once every view has heard of it.
        self._input_timer.start()

    def _show_input_texts(self) -> None:
        """The input panels' titles and subtitles for the model on show."""
        digits = self.session.takes_digits
        self.canvas_panel.title_label.setText(self.tr("Your digit") if digits
                                              else self.tr("Your picture"))
        height, width, channels = self.session.model.input_shape
        resized = (self.tr("{0}×{1}: the whole picture resized, as the network was trained")
                   if channels == 1 else
                   self.tr("{0}×{1} colour: the whole picture resized, as the network was "
                           "trained"))
        self.digit_panel.set_subtitle(self.tr(DIGIT_SUBTITLE) if digits
                                      else resized.format(height, width))
        if not digits:
            self.canvas_panel.set_subtitle(self.picture.name if self.picture is not None
                                           else self.tr(PICTURE_HINT))

    def _on_session_input_changed(self) -> None:
        self.digit_view.set_pixels(self.session.digit.pixels)
        self._show_receptive_field()

    def _on_view_hovered(self, text: str) -> None:
        self.readout_label.setText(text or " ")
        self.status_reported.emit(text)

    def _show_receptive_field(self) -> None:
        unit = self.session.selection
        if unit is None:
            self.digit_view.show_field(None)
            self.canvas_view.show_field(None)
            self.field_label.setText("")
            return
        rows, cols = self.session.receptive_field(unit)
        self.digit_view.show_field(((rows[0], rows[1] + 1), (cols[0], cols[1] + 1)))
        transform = self.session.digit.transform
        self.canvas_view.show_field(None if transform is None or not self.session.takes_digits
                                    else transform.source_box(rows, cols))
        height, width = rows[1] - rows[0] + 1, cols[1] - cols[0] + 1
        input_h, input_w = self.session.model.input_shape[:2]
        outside = min(rows[0], cols[0]) < 0 or rows[1] >= input_h or cols[1] >= input_w
        padding = "<br>" + self.tr("(part of it is padding)") if outside else ""
        sees = self.tr("sees input rows {0}–{1},<br>cols {2}–{3}: {4}×{5} pixels").format(
            rows[0], rows[1], cols[0], cols[1], height, width)
        name = self.activation_view.unit_name(unit).replace(" · ", "<br>")
        self.field_label.setText(f"<span style='color:{theme.ACCENT}'>■</span> <b>{name}</b>"
                                 f"<br>{sees}{padding}")


def _column(view: QWidget, *rows: QHBoxLayout) -> QWidget:
    """A view taking all the height there is, with rows of controls under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(view, 1)
    for row in rows:
        layout.addLayout(row)
    return box


def _pixmap(pixels: np.ndarray) -> QPixmap:
    """A QPixmap of (H, W, 1 or 3) float pixels in [0, 1], at most 120x96 pixels."""
    return QPixmap.fromImage(rgb_image(pixels)).scaled(
        *PREVIEW_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation)

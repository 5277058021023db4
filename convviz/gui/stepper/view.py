"""The convolution and pooling stepper view: one receptive field at a time, as on the slides.

``StepperView`` is a self-contained tab. It owns a ``convviz.core.stepper.Stepper`` rebuilt from
its controls and draws the current step: the padded input with the receptive field, the kernel
over it, the products, the sum written out, the output filling in, and the size formula with
the current numbers. Other views feed it with ``set_external_input`` (the drawing, activation
maps) and ``set_model_kernels`` (learned C1/C3 filters).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from convviz.core.formatting import format_number, format_pair
from convviz.core.stepper import ConvStep, Stepper, StepperSettings
from convviz.gui.i18n import Retranslating, translate
from convviz.gui.stepper.backward import BackwardView
from convviz.gui.stepper.controls import (
    ACTIVATION_LABELS,
    FILL_LABELS,
    OPERATION_LABELS,
    InputSource,
    StepperControls,
    input_label,
    label,
)
from convviz.gui.stepper.gif_export import GifExportDialog, qimage_to_pil, save_gif
from convviz.gui.stepper.grid import CellGrid, CellMarks
from convviz.gui.widgets import theme
from convviz.gui.widgets.scroll_page import scroll_page
from convviz.gui.widgets.wrapping_label import WrappingLabel

SPEEDS = (0.5, 1, 2, 4, 8, 16, 32)  # steps per second
FIT_CELLS = 12  # larger grids open zoomed to about this many cells around the window

_SUBSCRIPT = re.compile(r"Σ_(\w(?:&#x27;)?)")


class StepperView(Retranslating, QWidget):
    """Controls on the left, the walk on the right, the transport bar below it."""

    step_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stepper: Stepper | None = None
        self.error_text = ""
        self.probe: tuple[int, int] | None = None  # clicked input pixel
        self.tap = (0, 0)  # kernel tap shown in the worked formula
        self._product_grids: list[CellGrid] = []
        self._play_timer = QTimer(self)
        self._play_timer.timeout.connect(self._on_play_timer_timeout)

        self.controls = StepperControls()
        self.controls.settings_changed.connect(self._on_controls_settings_changed)
        self.controls.channel_changed.connect(self._on_controls_channel_changed)
        self.controls.load_failed.connect(self._on_controls_load_failed)
        display = self._build_display()
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll = scroll
        self.refit_texts()
        self.backward_view = BackwardView()
        self.modes = QTabWidget()
        self.modes.addTab(display, "")
        self.backward_page = scroll_page(self.backward_view, horizontal=False)
        self.modes.addTab(self.backward_page, "")
        layout = QHBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.modes, 1)
        self._make_shortcuts()
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the view in the current language (the controls re-label themselves)."""
        self.modes.setTabText(0, self.tr("Forward pass"))
        self.modes.setTabText(1, self.tr("Backward pass"))
        self.modes.setToolTip(self.tr("Forward: how each output cell is computed. Backward: how "
                                      "the gradients of the kernel and the input are computed "
                                      "from the gradient of the output."))
        self.legend_label.setText(self.tr(
            "Numbers: {0} &nbsp;·&nbsp; Marks: <span style='color:{1}'>■</span> receptive field "
            "and the output cell it fills &nbsp; ▨ padding &nbsp; <span style='color:{2}'><b>×w"
            "</b></span> kernel weight over each pixel &nbsp; <span style='color:{3}'>■</span> "
            "max-pool winner &nbsp; <span style='color:{4}'>■</span> clicked input pixel and "
            "the outputs that read it").format(
                theme.sign_legend(), theme.WINDOW, theme.WEIGHT, theme.WINNER, theme.PROBE))
        for button, text, tip in (
                (self.start_button, self.tr("|◀ Start"), self.tr("Back to the first step (Home)")),
                (self.back_button, self.tr("◀ Back"), self.tr("One step back (←)")),
                (self.play_button, None, self.tr("Walk through every step (Space)")),
                (self.forward_button, self.tr("Step ▶"), self.tr("One step on (→)")),
                (self.end_button, self.tr("End ▶|"), self.tr("Jump to the last step (End)")),
                (self.png_button, self.tr("Save PNG…"),
                 self.tr("Save this picture of the step as a PNG file")),
                (self.gif_button, self.tr("Export GIF…"),
                 self.tr("Save the walk as an animated GIF"))):
            if text is not None:
                button.setText(text)
            button.setToolTip(tip)
        self.speed_caption.setText(self.tr("Speed"))
        self.speed_slider.setToolTip(self.tr("Steps per second while playing"))
        self._on_speed_slider_changed()
        if self.stepper is not None or self.error_text:
            self._refresh_step()
        else:
            self.input_grid.set_title(self.tr("Input"))
            self.kernel_grid.set_title(self.tr("Kernel"))
            self.output_grid.set_title(self.tr("Output"))
            self._update_transport()
        QTimer.singleShot(0, self, self.refit_texts)  # once the controls have their new labels

    def refit_texts(self) -> None:
        """The controls column as wide as its controls need at the current text size."""
        self.controls_scroll.setFixedWidth(self.controls.sizeHint().width() + 24)

    def showEvent(self, event) -> None:
        """Walk the first lesson when first shown, not at start-up: its first convolution
        loads the engine's kernels, which the app warms up off the GUI thread meanwhile."""
        super().showEvent(event)
        if self.stepper is None and not self.error_text:
            self._rebuild(refit=True)

    # --- public API -----------------------------------------------------------------------

    def set_external_input(self, name: str, array: np.ndarray, select: bool = False,
                           channel_names: tuple[str, ...] | None = None) -> None:
        """Offer (or update) an input such as "Current drawing" or "Activation map C1 #3".

        ``array`` is (H, W) or (H, W, C); three channels are called R, G, B unless
        ``channel_names`` says otherwise. If it is the input on show, the walk is redone
        (keeping the step); ``select`` also makes it the input on show.
        """
        self.controls.set_external_input(name, array, select, channel_names)

    def remove_external_input(self, name: str) -> None:
        """Stop offering an input set with set_external_input (e.g. the maps of a layer the
        new model does not have)."""
        self.controls.remove_external_input(name)

    def select_input(self, name: str) -> None:
        """Show one of the inputs on offer (KeyError if there is none of that name)."""
        self.controls.select_input(name)

    def load_image(self, path: str | Path, rgb: bool = False) -> None:
        """Make an image file the input on show (pixel values 0..255, grey or RGB)."""
        self.controls.load_image(path, rgb)

    def set_model_kernels(self, kernels: dict[str, np.ndarray],
                          biases: dict[str, float] | None = None) -> None:
        """Offer learned filters, {"C1 #0": (kh, kw, cin) weights}, replacing earlier ones.

        ``convviz.core.stepper.learned_kernels(model)`` gives both dicts. Picking one also sets
        the bias (if given); a multi-channel kernel needs an input with as many channels
        (e.g. all six S2 maps for a C3 kernel), else the view explains the mismatch.
        """
        self.controls.set_model_kernels(kernels, biases)

    def set_custom_grid(self, grid: np.ndarray) -> None:
        """Walk over ``grid`` (H, W), shown as the editable custom grid."""
        self.controls.set_custom_grid(grid)

    def set_kernel(self, kernel: str | np.ndarray) -> None:
        """A kernel-bank kernel by name, or weights (kh, kw) or (kh, kw, C)."""
        self.controls.set_kernel(kernel)

    def apply_settings(self, settings: StepperSettings) -> None:
        """Operation, stride, padding, dilation, flip, bias and activation at once."""
        self.controls.apply_settings(settings)

    def show_backward(self, on: bool, target: str = "kernel") -> None:
        """The Backward pass (walking the kernel's or the input's gradient) or the Forward."""
        self.modes.setCurrentIndex(1 if on else 0)
        if on:
            self.backward_view.set_walk(target)

    @property
    def backward_mode(self) -> bool:
        """Whether the backward pass is on show (the walk commands then step it)."""
        return self.modes.currentWidget() is self.backward_page

    def step_forward(self) -> None:
        if self.backward_mode:
            self.backward_view.step_forward()
        elif self.stepper is not None and self.stepper.forward():
            self._on_step_moved()

    def step_back(self) -> None:
        if self.backward_mode:
            self.backward_view.step_back()
        elif self.stepper is not None and self.stepper.back():
            self._on_step_moved()

    def go_to_step(self, index: int) -> None:
        if self.backward_mode:
            self.backward_view.go_to_step(index)
        elif self.stepper is not None:
            self.stepper.go_to(index)
            self._on_step_moved()

    def go_to_start(self) -> None:
        self.go_to_step(0)

    def go_to_end(self) -> None:
        if self.backward_mode:
            self.backward_view.go_to_end()
        elif self.stepper is not None:
            self.go_to_step(self.stepper.n_steps - 1)

    @property
    def playing(self) -> bool:
        return self._play_timer.isActive()

    def toggle_play(self) -> None:
        if self.backward_mode:
            return  # the backward walk is stepped by hand
        if self.playing:
            self._play_timer.stop()
        elif self.stepper is not None:
            if self.stepper.at_end:
                self.go_to_start()
            self._play_timer.start(round(1000 / self._speed()))
        self._update_transport()

    def save_png(self, path: str | Path) -> bool:
        """Save the walk panels (not the controls) as they are on screen."""
        return self.display.grab().save(str(path))

    def export_gif(self, path: str | Path, first: int = 0, last: int | None = None,
                   width: int | None = None, frame_ms: int | None = None) -> bool:
        """Render steps first..last (0-based, inclusive) into an animated GIF.

        Runs on the GUI thread behind a progress dialog that can cancel it (returns False).
        The cursor comes back to where it was.
        """
        if self.stepper is None:
            return False
        if self.playing:
            self.toggle_play()
        last = self.stepper.n_steps - 1 if last is None else last
        steps = range(max(first, 0), min(last, self.stepper.n_steps - 1) + 1)
        frame_ms = frame_ms or round(1000 / self._speed())
        position = self.stepper.position
        progress = QProgressDialog(self.tr("Rendering the walk…"), self.tr("Cancel"), 0,
                                   len(steps), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        frames = []
        for count, index in enumerate(steps):
            progress.setValue(count)
            if progress.wasCanceled():
                break
            self.stepper.go_to(index)
            self._refresh_step()
            QApplication.processEvents()
            frames.append(qimage_to_pil(self.display.grab().toImage(), width))
        cancelled = progress.wasCanceled()
        progress.setValue(len(steps))
        self.stepper.go_to(position)
        self._on_step_moved()
        if cancelled or not frames:
            return False
        save_gif(frames, path, frame_ms)
        return True

    # --- building the widgets --------------------------------------------------------------

    def _build_display(self) -> QWidget:
        self.display = QWidget()
        self.display.setAutoFillBackground(True)
        self.display.setStyleSheet(f"background: {theme.BACKGROUND};")
        layout = QVBoxLayout(self.display)
        self.heading_label = WrappingLabel()
        self.heading_label.setFont(theme.font(15, bold=True))
        self.heading_label.setWordWrap(True)
        layout.addWidget(self.heading_label)
        self.legend_label = WrappingLabel()
        self.legend_label.setFont(theme.font(11))
        self.legend_label.setWordWrap(True)  # one line would make the window 1600 px wide
        self.legend_label.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.legend_label)

        self.grids = grids = QVBoxLayout()  # boxes, not a grid: they keep every minimum
        self.input_grid = CellGrid()
        self.input_grid.cell_clicked.connect(self._on_input_grid_clicked)
        self.kernel_grid = CellGrid(interactive=False)
        self.kernel_grid.cell_clicked.connect(self._on_tap_clicked)
        self.output_grid = CellGrid()
        self.output_grid.cell_clicked.connect(self._on_output_grid_clicked)
        self.products_panel = QWidget()
        self.products_layout = QGridLayout(self.products_panel)
        self.products_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.kernel_column = QVBoxLayout()
        self.kernel_column.addWidget(self.kernel_grid, 1)
        top.addWidget(self.input_grid, 5)
        top.addLayout(self.kernel_column, 3)
        top.addWidget(self.output_grid, 4)
        grids.addLayout(top, 1)
        layout.addLayout(grids, 1)

        self.explanation_label = WrappingLabel()
        self.explanation_label.setFont(theme.font(16))
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setTextFormat(Qt.TextFormat.RichText)
        self.explanation_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                             QSizePolicy.Policy.Minimum)
        layout.addWidget(self.explanation_label)
        self.formula_label = WrappingLabel()
        self.formula_label.setFont(theme.font(13))
        self.formula_label.setWordWrap(True)
        self.formula_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.formula_label)
        self.error_label = WrappingLabel()
        self.error_label.setFont(theme.font(15, bold=True))
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        background, foreground = theme.WARNING_COLOURS
        self.error_label.setStyleSheet(f"background: {background}; color: {foreground}; "
                                       f"padding: 10px; border: 2px solid {foreground}; "
                                       "border-radius: 6px;")
        layout.addWidget(self.error_label)

        container = QWidget()
        outer = QVBoxLayout(container)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_page(self.display), 1)  # many channels: scroll, never squeeze
        outer.addLayout(self._build_transport())
        return container

    def _build_transport(self) -> QVBoxLayout:
        """Two rows (the walk, then speed and export), so the bar fits a 1280 px screen."""
        bar = QHBoxLayout()
        self.start_button, self.back_button, self.play_button, self.forward_button, \
            self.end_button = (QPushButton() for _ in range(5))
        for button, handler in ((self.start_button, self.go_to_start),
                                (self.back_button, self.step_back),
                                (self.play_button, self.toggle_play),
                                (self.forward_button, self.step_forward),
                                (self.end_button, self.go_to_end)):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(handler)
            bar.addWidget(button)
        self.step_label = QLabel()
        self.step_label.setFont(theme.font(13, bold=True))
        self.step_label.setWordWrap(True)  # fits a laptop screen: wrap rather than widen
        bar.addWidget(self.step_label, 1)
        second = QHBoxLayout()
        self.speed_caption = QLabel()
        second.addWidget(self.speed_caption)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(SPEEDS.index(2))
        self.speed_slider.setFixedWidth(120)
        self.speed_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed_slider.valueChanged.connect(self._on_speed_slider_changed)
        self.speed_label = QLabel()
        second.addWidget(self.speed_slider)
        second.addWidget(self.speed_label)
        second.addStretch(1)
        self.png_button, self.gif_button = QPushButton(), QPushButton()
        self.png_button.clicked.connect(self._on_png_button_clicked)
        self.gif_button.clicked.connect(self._on_gif_button_clicked)
        for button in (self.png_button, self.gif_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            second.addWidget(button)
        self._on_speed_slider_changed()
        rows = QVBoxLayout()
        rows.addLayout(bar)
        rows.addLayout(second)
        return rows

    # --- keyboard ---------------------------------------------------------------------------

    def _make_shortcuts(self) -> None:
        """Space, arrows, Home and End drive the walk whenever the tab is on show, whichever
        control has the focus, except a text field being edited (it claims these keys first:
        Qt asks the focused widget before it runs a shortcut)."""
        for key, action in ((Qt.Key.Key_Space, self.toggle_play),
                            (Qt.Key.Key_Right, self.step_forward),
                            (Qt.Key.Key_Left, self.step_back),
                            (Qt.Key.Key_Home, self.go_to_start),
                            (Qt.Key.Key_End, self.go_to_end)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # while this tab is visible
            shortcut.activated.connect(action)

    # --- handlers ---------------------------------------------------------------------------

    def _on_controls_settings_changed(self, refit: bool) -> None:
        if refit:
            self.probe = None
        self._rebuild(refit=refit)

    def _on_controls_channel_changed(self) -> None:
        self._refresh_data()

    def _on_speed_slider_changed(self) -> None:
        speed = self._speed()
        self.speed_label.setText(self.tr("{0} steps/s").format(format_number(speed)))
        if self.playing:
            self._play_timer.setInterval(round(1000 / speed))

    def _speed(self) -> float:
        return SPEEDS[self.speed_slider.value()]

    def _on_play_timer_timeout(self) -> None:
        if self.stepper is None or not self.stepper.forward():
            self._play_timer.stop()
            self._update_transport()
            return
        self._on_step_moved()

    def _on_png_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the view as PNG"),
                                              "stepper.png", self.tr("PNG images (*.png)"))
        if path:
            self.save_png(path)

    def _on_gif_button_clicked(self) -> None:
        if self.stepper is None:
            return
        dialog = GifExportDialog(self.stepper.n_steps, min(self.display.width(), 960),
                                 round(1000 / self._speed()), self)
        if dialog.exec() != GifExportDialog.DialogCode.Accepted:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the walk as GIF"),
                                              "stepper.gif", self.tr("GIF animations (*.gif)"))
        if path:
            first, last = dialog.step_range()
            self.export_gif(path, first, last, dialog.width_spin.value(),
                            dialog.frame_spin.value())

    # --- grid clicks ------------------------------------------------------------------------

    def _on_output_grid_clicked(self, row: int, col: int) -> None:
        self.setFocus()
        if self.stepper is not None:
            self.stepper.go_to_cell(row, col)
            self._on_step_moved()

    def _on_input_grid_clicked(self, row: int, col: int) -> None:
        """Probe a pixel: outline every output cell that reads it (click again to clear)."""
        self.setFocus()
        if self.stepper is None:
            return
        (top, _), (left, _) = self.stepper.geometry.padding
        height, width = self.stepper.geometry.input_hw
        pixel = (row - top, col - left)
        inside = 0 <= pixel[0] < height and 0 <= pixel[1] < width
        self.probe = None if (pixel == self.probe or not inside) else pixel
        self._refresh_step()

    def _on_tap_clicked(self, row: int, col: int) -> None:
        self.setFocus()
        self.tap = (row, col)
        self._refresh_step()

    # --- drawing ----------------------------------------------------------------------------

    def _rebuild(self, refit: bool = False) -> None:
        """Make a new stepper from the controls, keeping the step number where possible."""
        position = self.stepper.position if self.stepper is not None else 0
        old_shapes = self._grid_shapes()
        try:
            self.stepper = Stepper(self.controls.input_source.values, self.controls.kernel,
                                   self.controls.settings(), self.controls.filter_index())
        except ValueError as error:
            self.stepper = None
            self.error_text = _sentence(str(error))
        else:
            self.error_text = ""
            self.stepper.go_to(position)
            kh, kw = self.stepper.geometry.kernel_hw
            self.tap = (min(self.tap[0], kh - 1), min(self.tap[1], kw - 1))
        if self._play_timer.isActive() and self.stepper is None:
            self._play_timer.stop()
        self.backward_view.set_forward(self.stepper, self.controls.kernel_name,
                                       self.controls.input_name, self.error_text)
        self._refresh_data(refit=refit or self._grid_shapes() != old_shapes)

    def _grid_shapes(self) -> tuple | None:
        """Shapes of the padded input and the output: when they change, the views refit."""
        if self.stepper is None:
            return None
        return self.stepper.padded.shape, self.stepper.output.shape

    def _refresh_data(self, refit: bool = False) -> None:
        """Redraw what depends on the input and settings, then the current step."""
        source = self.controls.input_source
        channel = self.controls.shown_channel()
        stepper = self.stepper
        padded = stepper.padded if stepper is not None else source.values
        colormap, levels = _input_colouring(source)
        if channel is None:
            low, high = levels
            self.input_grid.set_values((padded - low) / ((high - low) or 1) * 255, None,
                                       (0, 255), label_values=np.full(padded.shape[:2], np.nan))
        else:
            faint = None
            if stepper is not None:
                faint = np.ones(padded.shape[:2], bool)
                (top, _), (left, _) = stepper.geometry.padding
                faint[top:top + source.values.shape[0], left:left + source.values.shape[1]] = False
            self.input_grid.set_values(padded[:, :, channel], colormap, levels, faint=faint)
        (top, _), (left, _) = stepper.geometry.padding if stepper is not None else ((0, 0),) * 2
        self.input_grid.set_inner(top, left, *source.values.shape[:2])
        self._refresh_step()
        if refit:
            self._fit_views()

    def _fit_views(self) -> None:
        for grid in (self.input_grid, self.output_grid):
            grid.show_all()
        self._follow(refit=True)

    def _refresh_step(self) -> None:
        """Redraw everything that changes from one step to the next."""
        stepper = self.stepper
        self.error_label.setVisible(stepper is None)
        self.explanation_label.setVisible(stepper is not None)
        self.formula_label.setVisible(stepper is not None)
        if stepper is None:
            self._refresh_invalid()
            return
        step = stepper.step()
        channel = self.controls.shown_channel()
        self.heading_label.setText(self._heading())
        self._draw_input_marks(step, channel)
        self._draw_kernel(channel)
        self._draw_products(step)
        self._draw_output(step, channel)
        self._draw_text(step)
        self._follow()
        self._update_transport()

    def _refresh_invalid(self) -> None:
        source = self.controls.input_source
        kernel = self.controls.kernel
        operation = self.controls.settings().operation
        self.heading_label.setText(self.tr("{0} · {1} input").format(
            label(OPERATION_LABELS[operation]), _size(source.values.shape[:2])))
        self.error_label.setText(self.tr("⚠ {0}\nStepping is off until the settings fit "
                                         "together.").format(self.error_text))
        self.input_grid.set_marks([])
        self.input_grid.set_title(self.tr("Input"))
        self.kernel_grid.set_values(kernel[:, :, 0], *_signed(kernel))
        self.kernel_grid.set_marks([])
        self.kernel_grid.show_all()
        self._set_product_grid_count(0)
        self.output_grid.set_values(np.full((1, 1), np.nan, np.float32), theme.PAPER, (0, 1))
        self.output_grid.set_marks([])
        self.output_grid.set_title(self.tr("Output: —"))
        self._update_transport()

    def _heading(self) -> str:
        stepper = self.stepper
        geometry = stepper.geometry
        settings = stepper.settings
        parts = [label(OPERATION_LABELS[settings.operation]),
                 self.tr("{0} input").format(_size(geometry.input_hw))]
        kernel = _size(geometry.kernel_hw)
        if settings.operation == "convolution":
            parts.append(self.tr("{0} kernel, flipped (true convolution)").format(kernel)
                         if settings.flip_kernel else self.tr("{0} kernel").format(kernel))
        elif settings.operation != "global_average":
            parts.append(self.tr("{0} pool").format(kernel))
        if settings.operation != "global_average":
            parts.append(self.tr("stride {0}").format(format_pair(geometry.strides)))
            parts.append(_padding_text(geometry.padding, settings.pad_mode))
            if geometry.dilation != (1, 1):
                parts.append(self.tr("dilation {0}").format(format_pair(geometry.dilation)))
        return " · ".join(parts) + "  →  " + self.tr("{0} output").format(
            _size(geometry.output_hw))

    def _draw_input_marks(self, step, channel: int | None) -> None:
        stepper = self.stepper
        geometry = stepper.geometry
        (top, _), (left, _) = geometry.padding
        r0, c0 = step.rows[0] + top, step.cols[0] + left
        kh, kw = geometry.kernel_hw
        span_h, span_w = geometry.effective_kernel_hw
        if geometry.dilation == (1, 1):
            marks = [CellMarks(((r0, c0, kh, kw),), theme.WINDOW, 4, fill_alpha=45)]
        else:
            taps = tuple((r + top, c + left, 1, 1) for r in step.rows for c in step.cols)
            marks = [CellMarks(((r0, c0, span_h, span_w),), theme.WINDOW, 2, dashed=True),
                     CellMarks(taps, theme.WINDOW, 3, fill_alpha=60)]
        bold = []
        corner = {}
        if isinstance(step, ConvStep):
            if channel is not None and kh * kw <= 121:
                corner = {(r + top, c + left): f"×{format_number(step.weights[u, v, channel])}"
                          for u, r in enumerate(step.rows) for v, c in enumerate(step.cols)}
            bold = [(r + top, c + left) for r in step.rows for c in step.cols]
        else:
            winner = step.winners[channel if channel is not None else 0]
            if winner is not None:
                cell = (step.rows[winner[0]] + top, step.cols[winner[1]] + left)
                marks.append(CellMarks(((*cell, 1, 1),), theme.WINNER, 5))
                bold = [cell]
        if self.probe is not None:
            marks.append(CellMarks(((self.probe[0] + top, self.probe[1] + left, 1, 1),),
                                   theme.PROBE, 5))
        self.input_grid.set_marks(marks, bold, corner)
        name = input_label(self.controls.input_name)
        self.input_grid.set_title(self.tr("Input x̃ (padded): {0}").format(name)
                                  if geometry.padding != ((0, 0), (0, 0))
                                  else self.tr("Input x: {0}").format(name))

    def _draw_kernel(self, channel: int | None) -> None:
        stepper = self.stepper
        self.kernel_grid.setVisible(stepper.weights is not None)
        if stepper.weights is None:
            return
        shown = 0 if channel is None else channel
        weights = stepper.weights[:, :, shown]
        self.kernel_grid.set_values(weights, *_signed(stepper.weights))
        u, v = self.tap
        self.kernel_grid.set_marks([CellMarks(((u, v, 1, 1),), theme.WINDOW, 3)])
        flipped = self.tr(", flipped 180°") if stepper.settings.flip_kernel else ""
        names = self.controls.input_source.channel_names
        if stepper.channels == 1:
            which = ""
        elif self.controls.kernel.shape[2] == 1:
            which = self.tr(" (the same on every channel)")
        else:
            which = f" ({names[shown]})"
        self.kernel_grid.set_title(self.tr("Kernel w{0}{1}").format(which, flipped))
        self.kernel_grid.show_all()

    def _draw_products(self, step) -> None:
        names = self.controls.input_source.channel_names
        channels = step.window.shape[2]
        self._set_product_grid_count(channels)
        for c, grid in enumerate(self._product_grids):
            prefix = f"{names[c]}: " if channels > 1 else ""
            if isinstance(step, ConvStep):
                grid.set_values(step.products[:, :, c], *_signed(step.products))
                products = "x·w" if channels > 1 else self.tr("products x·w")  # narrow: short
                grid.set_title(prefix + self.tr("{0}, sum {1}").format(
                    products, format_number(step.channel_sums[c])))
                grid.set_marks([CellMarks(((*self.tap, 1, 1),), theme.WINDOW, 3)])
            else:
                window = step.window[:, :, c]
                colormap, levels = _input_colouring(self.controls.input_source)
                grid.set_values(window, colormap, levels)
                winner = step.winners[c]
                marks = [CellMarks(((*winner, 1, 1),), theme.WINNER, 5)] if winner else []
                grid.set_marks(marks, [winner] if winner else [])
                grid.set_title(f"{prefix}{step.mode} = {format_number(step.values[c])}")
            grid.show_all()

    def _set_product_grid_count(self, count: int) -> None:
        """One products grid per channel: under the kernel for one, along the bottom for more."""
        if len(self._product_grids) == count and self.products_panel.parent() is not None:
            return
        for grid in self._product_grids:
            grid.setParent(None)
            grid.deleteLater()
        self._product_grids = []
        columns = 1 if count == 1 else min(count, 3 if count <= 6 else 4)
        for c in range(count):
            grid = CellGrid(interactive=False)
            grid.cell_clicked.connect(self._on_tap_clicked)
            self.products_layout.addWidget(grid, c // columns, c % columns)
            self._product_grids.append(grid)
        for layout in (self.grids, self.kernel_column):
            layout.removeWidget(self.products_panel)
        if count <= 1:
            self.kernel_column.addWidget(self.products_panel, 1)
        else:
            self.grids.addWidget(self.products_panel, -(-count // columns))

    def _draw_output(self, step, channel: int | None) -> None:
        stepper = self.stepper
        visited = stepper.visited_output()
        out_channel = 0 if stepper.output.shape[2] == 1 else channel
        if out_channel is None:
            colormap, levels = _input_colouring(self.controls.input_source)
            low, high = levels
            self.output_grid.set_values((visited - low) / ((high - low) or 1) * 255, None,
                                        (0, 255), label_values=np.full(visited.shape[:2], np.nan))
        else:
            values = visited[:, :, out_channel]
            full = stepper.output[:, :, out_channel]
            if full.min() < 0:
                colormap, levels = _signed(full)
            else:
                colormap = theme.INK if self.controls.input_source.image_like else theme.PAPER
                levels = (0.0, float(full.max()) or 1.0)
            self.output_grid.set_values(values, colormap, levels)
        i, j = step.cell
        marks = [CellMarks(((i, j, 1, 1),), theme.WINDOW, 5)]
        if self.probe is not None:
            readers = tuple((r, c, 1, 1) for r, c in stepper.cells_reading(*self.probe))
            marks.append(CellMarks(readers, theme.PROBE, 3))
        self.output_grid.set_marks(marks, [(i, j)])
        activation = stepper.activation
        suffix = (self.tr(" after {0}").format(label(ACTIVATION_LABELS[activation]))
                  if activation != "linear" else "")
        self.output_grid.set_title(self.tr("Output {0}{1}").format(_size(stepper.output_hw),
                                                                   suffix))

    def _draw_text(self, step) -> None:
        stepper = self.stepper
        names = self.controls.input_source.channel_names
        lines = [html.escape(line) for line in step.explanation(names)]
        lines[-1] = f"<b>{lines[-1]}</b>"
        i, j = step.cell
        head = (f"<span style='color:{theme.WINDOW}'><b>"
                + self.tr("Output cell ({0}, {1})").format(i, j) + "</b></span>")
        self.explanation_label.setText(head + ":&nbsp; " + "<br>".join(lines))
        height, width = stepper.size_formulas()
        general, example = stepper.index_formula(tap=self.tap)
        output_size = self.tr("Output size")
        rows = [f"<b>{output_size}</b> &nbsp; {html.escape(height)} &nbsp;·&nbsp; "
                f"{html.escape(width)}",
                _SUBSCRIPT.sub(r"Σ<sub>\1</sub>", html.escape(general)),
                f"<span style='color:{theme.MUTED}'>{html.escape(example)}</span>"]
        if stepper.geometry.padding != ((0, 0), (0, 0)):
            (top, _), (left, _) = stepper.geometry.padding
            rows.append(f"<span style='color:{theme.MUTED}'>"
                        + self.tr("x̃ is the padded input: x̃[r, c] = x[r − {0}, c − {1}]").format(
                            top, left) + "</span>")
        if self.probe is not None:
            readers = stepper.cells_reading(*self.probe)
            cells = ", ".join(f"({r}, {c})" for r, c in readers[:24])
            more = self.tr(" and {0} more").format(len(readers) - 24) if len(readers) > 24 else ""
            rows.append(f"<span style='color:{theme.PROBE}'>" + self.tr(
                "<b>Input pixel {0}</b> is read by {1} output cell(s): {2}{3}").format(
                    self.probe, len(readers), cells, more) + "</span>")
        self.formula_label.setText("<br>".join(rows))

    def _follow(self, refit: bool = False) -> None:
        """Keep the window and the output cell in view on grids too large to show whole."""
        stepper = self.stepper
        if stepper is None:
            return
        step_cell = stepper.cell(stepper.position)
        (top, _), (left, _) = stepper.geometry.padding
        origin = stepper.geometry.window_origin(*step_cell)
        span_h, span_w = stepper.geometry.effective_kernel_hw
        rows = (origin[0] + top, origin[0] + top + span_h - 1)
        cols = (origin[1] + left, origin[1] + left + span_w - 1)
        for grid, block in ((self.input_grid, (rows, cols)),
                            (self.output_grid, ((step_cell[0],) * 2, (step_cell[1],) * 2))):
            if max(grid.values.shape) <= FIT_CELLS:
                continue
            if refit:
                grid.show_around(*block, FIT_CELLS)
            else:
                grid.ensure_visible(*block)

    def _update_transport(self) -> None:
        stepper = self.stepper
        enabled = stepper is not None
        for button in (self.start_button, self.back_button, self.play_button,
                       self.forward_button, self.end_button, self.gif_button):
            button.setEnabled(enabled)
        self.play_button.setText(self.tr("|| Pause") if self.playing else self.tr("▶ Play"))
        if not enabled:
            self.step_label.setText(self.tr("Stepping is off: see the message above"))
            return
        self.back_button.setEnabled(not stepper.at_start)
        self.start_button.setEnabled(not stepper.at_start)
        self.forward_button.setEnabled(not stepper.at_end)
        self.end_button.setEnabled(not stepper.at_end)
        i, j = stepper.cell(stepper.position)
        self.step_label.setText(self.tr("Step {0} of {1} · output cell ({2}, {3})").format(
            stepper.position + 1, stepper.n_steps, i, j))

    def _on_step_moved(self) -> None:
        self._refresh_step()
        self.step_changed.emit(self.stepper.position)

    def _on_controls_load_failed(self, text: str) -> None:
        self.error_label.setText(f"⚠ {text}")
        self.error_label.setVisible(True)


def _input_colouring(source: InputSource):
    """Colormap and levels for an input: diverging if signed, grey for images, paper for grids."""
    values = source.values
    low, high = float(values.min()), float(values.max())
    if low < 0:
        return _signed(values)
    colormap = theme.INK if source.image_like else theme.PAPER
    return colormap, (min(low, 0.0), high if high > 0 else 1.0)


def _signed(values: np.ndarray):
    """Colormap and levels for signed values: diverging, zero in the middle."""
    return theme.DIVERGING, theme.symmetric_levels(values)


def _size(hw) -> str:
    return f"{hw[0]}×{hw[1]}"


def _padding_text(padding, pad_mode: str) -> str:
    (top, bottom), (left, right) = padding
    if top == bottom == left == right:
        text = translate("StepperView", "padding {0}").format(top)
    else:
        text = translate("StepperView", "padding top {0}, bottom {1}, left {2}, right {3}").format(
            top, bottom, left, right)
    return text + (f" ({label(FILL_LABELS[pad_mode])})"
                   if pad_mode != "zero" and (top or bottom or left or right) else "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


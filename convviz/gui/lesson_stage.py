"""The stage lessons play on: applies a step's setup to the tabs through their public
methods, reads the live state back for the lesson's numbers, locks the controls a step relies
on, and hides the advanced ones when the teacher asks.

Window-level (like tab_feeds): it knows every tab so the tabs stay independent, and the
Lessons panel (gui/lessons) knows only this object's small interface.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from convviz.core.lessons import state as lesson_state
from convviz.core.lessons.state import LessonState
from convviz.core.lessons.targets import HIGHLIGHTS
from convviz.core.nn.presets import PRESETS
from convviz.gui.i18n import QT_TRANSLATE_NOOP

SETUP_OF_STEPPER = ("input", "kernel", "operation", "pool_size", "stride", "padding",
                    "padding_fill", "dilation", "flip", "bias", "activation")
LESSON_PICTURE = QT_TRANSLATE_NOOP("StepperControls", "Lesson picture")
"""A colour lesson input's key in the Stepper's input list (shown translated there)."""


class LessonStage(QObject):
    """Sets the window up as a step says and tells when what it shows has changed."""

    changed = Signal()
    """The state on show changed (a walk step, a setting): the step's numbers follow."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._locked: list[tuple[QWidget, bool]] = []
        self._hidden_advanced = False
        self._tabs = {"draw": window.draw_tab, "stepper": window.stepper_tab,
                      "inspector": window.inspector_tab, "train": window.train_tab,
                      "lab": window.lab_tab}
        self._name_widgets()
        window.stepper_tab.step_changed.connect(self.changed)
        window.stepper_tab.controls.settings_changed.connect(self.changed)
        window.tabs.currentChanged.connect(self.changed)

    # --- what lessons point at --------------------------------------------------------------

    def _name_widgets(self) -> None:
        window = self.window
        stepper, controls = window.stepper_tab, window.stepper_tab.controls
        widgets = {
            "stepper.controls": stepper.controls_scroll,
            "stepper.input_box": controls.input_combo.parentWidget(),
            "stepper.operation_box": controls.operation_combo.parentWidget(),
            "stepper.kernel_box": controls.kernel_box,
            "stepper.sliding_box": controls.stride_spin.parentWidget(),
            "stepper.input": stepper.input_grid, "stepper.kernel": stepper.kernel_grid,
            "stepper.output": stepper.output_grid,
            "stepper.explanation": stepper.explanation_label,
            "stepper.formula": stepper.formula_label, "stepper.backward": stepper.backward_page,
            "draw.canvas": window.draw_tab.canvas_panel,
            "draw.activations": window.draw_tab.activation_panel,
            "draw.details": window.draw_tab.details_panel,
            "draw.prediction": window.draw_tab.prediction_panel,
            "train.settings": window.train_tab.settings,
            "train.plots": window.train_tab.plots_panel,
            "train.controls": window.train_tab.controls_panel,
            "train.compare": window.train_tab.runs_panel,
            "lab.design": window.lab_tab.design_panel, "lab.table": window.lab_tab.table,
        }
        missing = set(HIGHLIGHTS) - set(widgets)
        if missing:
            raise RuntimeError(f"no widget for the highlight targets {sorted(missing)}")
        for name, widget in widgets.items():
            widget.setObjectName(name)

    def widget(self, name: str) -> QWidget | None:
        """The widget a highlight name stands for."""
        return self.window.findChild(QWidget, name)

    # --- applying a setup -------------------------------------------------------------------

    def apply(self, setup: dict) -> None:
        """Put the window in the state ``setup`` (a lesson's merged setup) describes."""
        self.release()
        window = self.window
        if "tab" in setup:
            window.tabs.setCurrentWidget(self._tabs[setup["tab"]])
        if lesson_state.uses_stepper(setup):
            self._apply_stepper(setup)
        if "model" in setup:
            window.lab_tab.start_from(setup["model"])
        if "training" in setup:
            self._apply_training(setup["training"])
        if "panel" in setup:
            draw = window.draw_tab
            views = {"kernels": draw.kernel_view, "layers": draw.layer_table,
                     "why": draw.why_view, "what_if": draw.what_if_view,
                     "patches": draw.patches_view}
            draw.show_detail(views[setup["panel"]])
        self._lock(setup.get("lock", ()))
        self.changed.emit()

    def _apply_stepper(self, setup: dict) -> None:
        stepper = self.window.stepper_tab
        values = lesson_state.input_array(setup)
        if values.shape[2] == 1:
            stepper.set_custom_grid(values[:, :, 0])
        else:
            stepper.set_external_input(LESSON_PICTURE, values, select=True)
        stepper.set_kernel(setup.get("kernel", lesson_state.DEFAULT_KERNEL))
        stepper.apply_settings(lesson_state.stepper_settings(setup))
        backward = setup.get("mode") == "backward"
        stepper.show_backward(backward, setup.get("gradient", "kernel"))
        cell = setup.get("cell", (0, 0))
        if backward:
            walk = stepper.backward_view.walk
            if walk is not None:
                stepper.go_to_step(cell[0] * walk.walk_hw[1] + cell[1])
        elif stepper.stepper is not None:
            stepper.go_to_step(stepper.stepper.index_of(*cell))

    def _apply_training(self, training: dict) -> None:
        settings = self.window.train_tab.settings
        config = lesson_state.training_config(training)
        settings.arch_box.setCurrentIndex(settings.arch_box.findData(config.arch))
        settings.optimizer_box.setCurrentIndex(settings.optimizer_box.findData(config.optimizer))
        settings.learning_rate_box.setValue(config.learning_rate)
        settings.batch_box.setValue(config.batch_size)
        settings.epochs_box.setValue(config.epochs)

    # --- reading it back --------------------------------------------------------------------

    def live_state(self, setup: dict) -> LessonState:
        """The core objects the window shows now, for the parts ``setup`` uses."""
        window = self.window
        stepper = backward = model = training = None
        if lesson_state.uses_stepper(setup):
            stepper = window.stepper_tab.stepper
            if window.stepper_tab.backward_mode:
                backward = window.stepper_tab.backward_view.walk
        if "model" in setup and window.lab_tab.check.valid:
            model = window.lab_tab.design.build()
        if "training" in setup:
            training = window.train_tab.settings.config(lesson_state.VALIDATION_IMAGES)
        return LessonState(stepper, backward, model, training)

    def capture(self) -> dict:
        """The window's state as a step's setup (for "Record this setup as a step")."""
        window = self.window
        current = window.tabs.currentWidget()
        tab = next(name for name, widget in self._tabs.items() if widget is current)
        setup: dict = {"tab": tab}
        if tab == "stepper":
            view = window.stepper_tab
            controls = view.controls
            values = controls.input_source.values
            setup["input"] = (values[:, :, 0] if values.shape[2] == 1 else values).tolist()
            name = controls.kernel_name
            setup["kernel"] = (name if name in lesson_state.KERNEL_NAMES
                               else _rows(controls.kernel))
            settings = controls.settings()
            setup["operation"] = settings.operation
            setup["pool_size"] = list(settings.pool_size)
            setup["stride"] = list(settings.strides)
            padding = settings.padding
            setup["padding"] = padding if isinstance(padding, str) else [list(p) for p in padding]
            if not settings.is_pooling:
                setup.update(padding_fill=settings.pad_mode,
                             dilation=list(settings.dilation_rate),
                             flip=settings.flip_kernel, bias=settings.bias,
                             activation=settings.activation)
            if view.backward_mode and view.backward_view.walk is not None:
                walk = view.backward_view.walk
                setup["mode"], setup["gradient"] = "backward", walk.target
                setup["cell"] = list(divmod(walk.position, walk.walk_hw[1]))
            elif view.stepper is not None:
                setup["cell"] = list(view.stepper.cell(view.stepper.position))
        elif tab == "train":
            config = window.train_tab.settings.config(lesson_state.VALIDATION_IMAGES)
            setup["training"] = {"arch": config.arch, "optimizer": config.optimizer,
                                 "learning_rate": config.learning_rate,
                                 "batch_size": config.batch_size, "epochs": config.epochs}
        elif tab == "lab":
            preset = window.lab_tab.preset_box.currentData()
            if preset in PRESETS:
                setup["model"] = preset
        return setup

    # --- classroom switches -----------------------------------------------------------------

    def _lockable(self) -> dict[str, list[QWidget]]:
        controls = self.window.stepper_tab.controls
        settings = self.window.train_tab.settings
        return {
            "input": [controls.input_combo, controls.grid_size, controls.grid_table,
                      controls.load_button, controls.rgb_check],
            "kernel": [controls.kernel_combo, controls.kernel_size, controls.kernel_table],
            "operation": [controls.operation_combo],
            "stride": [controls.stride_spin],
            "padding": [controls.padding_combo, controls.pad_top, controls.pad_bottom,
                        controls.pad_left, controls.pad_right, controls.fill_combo],
            "dilation": [controls.dilation_spin], "flip": [controls.flip_check],
            "pool_size": [controls.pool_spin], "optimizer": [settings.optimizer_box],
            "learning_rate": [settings.learning_rate_box], "batch_size": [settings.batch_box],
            "epochs": [settings.epochs_box],
        }

    def _lock(self, names) -> None:
        lockable = self._lockable()
        for name in names:
            for widget in lockable[name]:
                self._locked.append((widget, widget.isEnabled()))
                widget.setEnabled(False)
                widget.setToolTip(_locked_tip(widget.toolTip()))

    def locked(self) -> list[QWidget]:
        return [widget for widget, _ in self._locked]

    def release(self) -> None:
        """Give back the controls the last step locked, as they were."""
        for widget, enabled in reversed(self._locked):
            widget.setEnabled(enabled)
            widget.setToolTip(widget.toolTip().removesuffix(lock_note()))
        self._locked = []

    def advanced_widgets(self) -> list[QWidget]:
        """Controls a first lesson does without: padding fill, bias and activation of the
        Stepper; weight decay, dropout, augmentation and seed of training."""
        controls = self.window.stepper_tab.controls
        settings = self.window.train_tab.settings
        widgets = [controls.fill_combo, controls.bias_spin, controls.activation_combo,
                   settings.decay_box, settings.dropout_box, settings.augment_box,
                   settings.seed_box]
        return widgets

    def set_advanced_hidden(self, hidden: bool) -> None:
        """Hide (or show again) the advanced controls, with their labels, and the Draw tab's
        What if? and Top patches pages."""
        self._hidden_advanced = hidden
        for widget in self.advanced_widgets():
            form = widget.parentWidget().layout()
            if hasattr(form, "setRowVisible"):
                form.setRowVisible(widget, not hidden)
            else:
                widget.setVisible(not hidden)
        draw = self.window.draw_tab
        for view in (draw.what_if_view, draw.patches_view):
            draw.details_tabs.setTabVisible(draw.detail_index(view), not hidden)

    @property
    def advanced_hidden(self) -> bool:
        return self._hidden_advanced


def lock_note() -> str:
    """What a locked control's tooltip adds (translated when asked, not at import)."""
    return "\n" + QCoreApplication.translate("LessonStage", "(locked by the lesson for this step)")


def _locked_tip(tip: str) -> str:
    return tip if tip.endswith(lock_note()) else tip + lock_note()


def _rows(kernel):
    return (kernel[:, :, 0] if kernel.shape[2] == 1 else kernel).tolist()

"""The Lessons dock of the main window, its menu and its classroom switches.

Builds the stage (lesson_stage), the Lessons panel in a hideable QDockWidget, the highlight
overlay, and the actions: Next / Previous step (Page Down / Page Up, as presentation
clickers send, window-wide), Answer the question (F2), Open lesson folder…, Record this
setup as a step…, Hide advanced controls and Full screen (F11).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu

from convviz.core.lessons import catalogue
from convviz.core.lessons.lesson import LessonError
from convviz.gui.lesson_stage import LessonStage
from convviz.gui.lessons.overlay import HighlightOverlay
from convviz.gui.lessons.panel import LessonsPanel
from convviz.gui.lessons.recorder import RecordStepDialog
from convviz.gui.widgets import theme
from convviz.gui.widgets.message_bar import MessageLevel

FOLDER_KEY = "lessons/folder"
EDITED_FILE_KEY = "lessons/edited_file"
STRIP_HEIGHT = 180
"""The Lessons strip's height below the tabs at 100 % text (it grows with the text)."""
LANGUAGE_KEY = "view/language"
"""The app's language ("en", "de", ...); unset: the system's. Lessons fall back to English."""


class LessonDock(QObject):
    """Everything lessons add to the window."""

    def __init__(self, window, view_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.stage = LessonStage(window)
        self.overlay = HighlightOverlay(window.centralWidget())
        self.panel = LessonsPanel(self.stage, self.overlay, window.settings)
        self.dock = QDockWidget(window)
        self.dock.setObjectName("lessons_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.dockLocationChanged.connect(self._on_dock_location_changed)
        self._on_dock_location_changed(Qt.DockWidgetArea.BottomDockWidgetArea)
        self.dock.hide()
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self.folder: Path | None = None
        self._make_actions(view_menu)
        remembered = window.settings.value(FOLDER_KEY)
        self.load(Path(remembered) if remembered else None)
        self.panel.language_changed.connect(self._on_panel_language_changed)

    @property
    def language(self) -> str:
        wanted = str(self.window.settings.value(LANGUAGE_KEY) or QLocale().name()[:2])
        return wanted if re.fullmatch(r"[a-z]{2,3}", wanted) else catalogue.FALLBACK_LANGUAGE

    def _action(self, slot, shortcut: str | None = None) -> QAction:
        action = QAction(self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    def _make_actions(self, view_menu: QMenu) -> None:
        self.panel_action = self.dock.toggleViewAction()
        self.panel_action.setShortcut(QKeySequence("F9"))
        self.next_action = self._action(self.next_step, "PgDown")
        self.previous_action = self._action(self.previous_step, "PgUp")
        self.choose_action = self._action(self.choose_lesson, "Ctrl+Shift+L")
        self.answer_action = self._action(self.focus_answer, "F2")
        self.folder_action = self._action(self._on_folder_action_triggered)
        self.record_action = self._action(self._on_record_action_triggered)
        self.advanced_action = self._action(self.stage.set_advanced_hidden)
        self.advanced_action.setCheckable(True)
        self.full_screen_action = self._action(self.set_full_screen, "F11")
        self.full_screen_action.setCheckable(True)
        for item in (None, self.panel_action, self.advanced_action, self.full_screen_action):
            view_menu.addSeparator() if item is None else view_menu.addAction(item)
        self.menu = QMenu(self.window)
        for item in (self.panel_action, self.choose_action, None, self.next_action,
                     self.previous_action, self.answer_action, None, self.folder_action,
                     self.record_action):
            self.menu.addSeparator() if item is None else self.menu.addAction(item)
        self.retranslate()

    def retranslate(self) -> None:
        """The dock's title, menu and actions in the current language."""
        self.dock.setWindowTitle(self.tr("Lessons"))
        self.menu.setTitle(self.tr("&Lessons"))
        for action, text, tip in (
                (self.panel_action, self.tr("&Lessons panel"), ""),
                (self.next_action, self.tr("&Next step"), self.tr("The lesson's next step")),
                (self.previous_action, self.tr("&Previous step"),
                 self.tr("The lesson's step before")),
                (self.choose_action, self.tr("&Choose a lesson…"), self.tr("The list of lessons")),
                (self.answer_action, self.tr("&Answer the question"),
                 self.tr("Type the answer to the step's quiz")),
                (self.folder_action, self.tr("Open lesson &folder…"),
                 self.tr("Load a teacher's own lessons")),
                (self.record_action, self.tr("&Record this setup as a step…"),
                 self.tr("Append the window's current setup, with your text, to a lesson file")),
                (self.advanced_action, self.tr("&Hide advanced controls"),
                 self.tr("For a first lesson: hide padding fill, bias, activation, weight "
                         "decay, dropout, augmentation, seed, What if? and Top patches")),
                (self.full_screen_action, self.tr("&Full screen"), "")):
            action.setText(text)
            if tip:
                action.setToolTip(tip)

    def _on_panel_language_changed(self) -> None:
        """The app speaks another language: re-label, and show the lessons (the same step of
        the same lesson) in it, English where a lesson has no translation."""
        self.retranslate()
        self.load(self.folder)

    # --- commands ---------------------------------------------------------------------------

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        if self.panel.horizontal:  # a strip tall enough for five sentences and a quiz
            self.window.resizeDocks([self.dock], [round(STRIP_HEIGHT * theme.text_scale())],
                                    Qt.Orientation.Vertical)

    def next_step(self) -> None:
        if not self.dock.isVisible():
            self.show_panel()
            return
        self.panel.next_step()

    def previous_step(self) -> None:
        if self.dock.isVisible():
            self.panel.previous_step()

    def choose_lesson(self) -> None:
        """Open the list of lessons with the keyboard in it (arrows and Enter choose)."""
        self.show_panel()
        self.panel.lesson_box.setFocus()
        self.panel.lesson_box.showPopup()

    def focus_answer(self) -> None:
        self.show_panel()
        self.panel.focus_answer()

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.window.showFullScreen()
        else:
            self.window.showNormal()
        self.full_screen_action.setChecked(on)

    def load(self, folder: Path | None) -> None:
        """The shipped lessons and those in ``folder`` (a teacher's), in the app's language."""
        shipped = catalogue.load_folder(catalogue.shipped_folder())
        own = catalogue.load_folder(folder) if folder is not None else catalogue.Catalogue((), ())
        self.folder = folder
        lessons = catalogue.in_language(shipped.lessons + own.lessons, self.language)
        problems = shipped.problems + own.problems
        self.panel.set_lessons(lessons, problems)
        if problems:
            self.window.message_bar.show_message(
                self.tr("{0} lesson file(s) could not be read; the others are loaded. {1}")
                .format(len(problems), problems[0]), MessageLevel.WARNING)

    def _on_dock_location_changed(self, area: Qt.DockWidgetArea) -> None:
        """Below (or above) the tabs the panel is a strip, beside them a column: the tabs
        keep their width, which a 1366x768 screen at presenter scale needs."""
        self.panel.set_horizontal(area in (Qt.DockWidgetArea.BottomDockWidgetArea,
                                           Qt.DockWidgetArea.TopDockWidgetArea))

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        self.window.set_tabs_scroll(visible)
        if visible and not self.panel.started:
            self.panel.start()
        if visible:
            self.overlay.follow()
        else:
            self.overlay.hide()
            self.stage.release()

    def _on_folder_action_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("A folder of lessons"),
                                                  str(self.folder or ""))
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> None:
        self.window.settings.setValue(FOLDER_KEY, str(folder))
        self.load(folder)
        self.show_panel()

    def _on_record_action_triggered(self) -> None:
        remembered = self.window.settings.value(EDITED_FILE_KEY)
        dialog = RecordStepDialog(self.stage.capture(),
                                  Path(remembered) if remembered else None,
                                  self.record_step, self.window)
        self.record_dialog = dialog
        dialog.open()

    def record_step(self, path: Path, step: dict) -> str | None:
        """Append ``step`` to the lesson file; None, or the sentence why it could not be."""
        try:
            catalogue.append_step(path, step, language=self.language)
        except LessonError as error:
            return str(error)
        except OSError as error:
            return self.tr("{0} cannot be written: {1}").format(path, error.strerror or error)
        self.window.settings.setValue(EDITED_FILE_KEY, str(path))
        if self.folder is not None and path.parent.resolve().is_relative_to(
                self.folder.resolve()):
            self.load(self.folder)
        self.window.message_bar.show_message(
            self.tr("The step was added to {0}.").format(path.name), MessageLevel.INFO)
        return None

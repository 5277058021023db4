"""The main window: a tab per activity around one DigitSession, pictures in, messages out.

Other tabs (stepper, image inspector, training) are added with `add_tab`, and share the session
(current model, input and activations). Pictures come in by File > Open, drag and drop, or
paste; they are decoded on a worker thread, and any failure is reported in the message bar
above the tabs, never in a crash and never at the cost of the drawing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from convviz.core.drawing.digit_preprocess import ImportedPicture, NotADigitError, import_picture
from convviz.core.drawing.picture_input import ModelPicture, import_model_picture
from convviz.core.training.data import DatasetError, missing_files, resolve_data_dir
from convviz.gui import error_log, help_dialogs, i18n, workers
from convviz.gui.draw.tab import DrawTab
from convviz.gui.i18n import QT_TRANSLATE_NOOP, Retranslating
from convviz.gui.inspector.jobs import warm_up_chain
from convviz.gui.inspector.view import InspectorView
from convviz.gui.lab.view import LabView
from convviz.gui.lesson_dock import LessonDock
from convviz.gui.mnist_source import MnistSource
from convviz.gui.model_file import ModelFile
from convviz.gui.session import DigitSession
from convviz.gui.stepper.view import StepperView
from convviz.gui.tab_feeds import TabFeeds
from convviz.gui.train.view import TrainView
from convviz.gui.widgets import text_scale, theme
from convviz.gui.widgets.current_page_tabs import CurrentPageTabs
from convviz.gui.widgets.message_bar import MessageBar, MessageLevel
from convviz.gui.widgets.picture_sources import PictureDropTarget, picture_filter, picture_in
from convviz.gui.widgets.scroll_page import scroll_page
from convviz.gui.widgets.wheel_guard import guard_wheel

DEFAULT_SIZE = (1400, 900)
MNIST_FOLDER_KEY = "data/mnist_folder"
"""The MNIST folder last read, remembered across restarts."""
INFO_SECONDS = 10
"""Information in the message bar fades after this long; problems stay until dismissed."""


def opening_size(window: QWidget) -> tuple[int, int]:
    """DEFAULT_SIZE, or the screen's free area if that is smaller (a 1366x768 laptop)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return DEFAULT_SIZE
    free = screen.availableGeometry()
    return min(DEFAULT_SIZE[0], free.width()), min(DEFAULT_SIZE[1], free.height())


class MainWindow(Retranslating, PictureDropTarget, QMainWindow):
    """Tabs around a DigitSession; the Draw tab first."""

    def __init__(self, session: DigitSession, settings: QSettings, data_dir: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        session.setParent(self)
        self.settings = settings
        self.data_dir = data_dir
        i18n.install_language(i18n.saved_language(settings))
        self._tab_titles: dict[QWidget, str] = {}
        self.resize(*opening_size(self))
        self.setAcceptDrops(True)
        self.message_bar = MessageBar(info_seconds=INFO_SECONDS)
        self.tabs = CurrentPageTabs()
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setFont(theme.font(13, bold=True))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.message_bar)
        self.tabs_page = scroll_page(self.tabs)  # scrolls beside the Lessons panel only
        self._tabs_scroll = False
        layout.addWidget(self.tabs_page, 1)
        self.setCentralWidget(central)
        self.draw_tab = DrawTab(session)
        self.add_tab(self.draw_tab, QT_TRANSLATE_NOOP("MainWindow", "Draw"))
        self.stepper_tab = StepperView()
        self.add_tab(self.stepper_tab, QT_TRANSLATE_NOOP("MainWindow", "Stepper"))
        self.inspector_tab = InspectorView()
        self.add_tab(self.inspector_tab,
                     QT_TRANSLATE_NOOP("MainWindow", "Image inspection"))
        self.feeds = TabFeeds(session, self.stepper_tab, self.inspector_tab, self)
        self.mnist_source = MnistSource(self._mnist_folder(data_dir or resolve_data_dir(None)),
                                        self)
        self.train_tab = TrainView(session, self.mnist_source)
        self.add_tab(self.train_tab, QT_TRANSLATE_NOOP("MainWindow", "Train"))
        self.lab_tab = LabView()
        self.add_tab(self.lab_tab, QT_TRANSLATE_NOOP("MainWindow", "Lab"))
        self.lab_tab.train_requested.connect(self._on_lab_tab_train_requested)
        self.train_tab.dataset_read.connect(self._on_train_tab_dataset_read)
        self.model_file = ModelFile(self, session, self.train_tab, self.message_bar.show_message)
        self.mnist_source.loaded.connect(self.draw_tab.set_mnist)
        self.mnist_source.loaded.connect(self._on_mnist_source_loaded)
        self.mnist_source.failed.connect(self._on_mnist_source_failed)
        self._draw_importer = workers.PictureImporter(import_picture, self)
        self._draw_source: tuple[Path | bytes, str] | None = None
        self._draw_importer.imported.connect(self._on_draw_importer_imported)
        self._draw_importer.failed.connect(self._on_draw_importer_failed)
        self._model_picture_importer = workers.PictureImporter(import_model_picture, self)
        self._model_picture_importer.imported.connect(self._on_model_picture_importer_imported)
        self._model_picture_importer.failed.connect(self._on_draw_importer_failed)
        self.draw_tab.open_picture_requested.connect(self._on_open_action_triggered)
        self.draw_tab.paste_picture_requested.connect(self.paste_image)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.model_label = QLabel()
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().showMessage(self.tr("Warming up: compiling the network's kernels…"))
        self.help_dialog = None
        self._help_factory = None
        self._make_menus()
        self.lessons = LessonDock(self, self.view_menu)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.lessons.menu)
        self.retranslate()
        guard_wheel(self)  # every tab's controls: the wheel scrolls unless a field has focus
        self.draw_tab.status_reported.connect(self._on_draw_tab_status_reported)
        session.model_changed.connect(self._on_session_model_changed)
        self._on_session_model_changed()
        self._restore_settings()

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a tab (e.g. the stepper or training view); returns its index. `title` is the
        English title, marked for the catalog (QT_TRANSLATE_NOOP("MainWindow", ...)) and shown
        translated."""
        self._tab_titles[widget] = title
        return self.tabs.addTab(widget, self.tr(title))

    def tab_key(self, index: int) -> str:
        """The English title of tab `index` (what Help's guides are filed under)."""
        return self._tab_titles.get(self.tabs.widget(index), self.tabs.tabText(index))

    def _make_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.paste_action = QAction(self)
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.paste_action.triggered.connect(self.paste_image)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        for item in (self.open_action, self.paste_action, None, *self.model_file.actions, None,
                     self.quit_action):
            self.file_menu.addSeparator() if item is None else self.file_menu.addAction(item)
        self.edit_menu = self.menuBar().addMenu("")
        for item in self.draw_tab.actions_for_menu:
            self.edit_menu.addSeparator() if item is None else self.edit_menu.addAction(item)
        self.view_menu = self.menuBar().addMenu("")
        self.presenter_action = QAction(self)
        self.presenter_action.setCheckable(True)
        self.presenter_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.presenter_action.triggered.connect(self._on_presenter_action_triggered)
        self.larger_text_action = QAction(self)
        self.larger_text_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.larger_text_action.triggered.connect(lambda: self.step_text_scale(1))
        self.smaller_text_action = QAction(self)
        self.smaller_text_action.setShortcut(QKeySequence("Ctrl+-"))
        self.smaller_text_action.triggered.connect(lambda: self.step_text_scale(-1))
        self.normal_text_action = QAction(self)
        self.normal_text_action.setShortcut(QKeySequence("Ctrl+0"))
        self.normal_text_action.triggered.connect(lambda: self.set_text_scale(1.0))
        for item in (self.presenter_action, None, self.larger_text_action,
                     self.smaller_text_action, self.normal_text_action, None):
            self.view_menu.addSeparator() if item is None else self.view_menu.addAction(item)
        self._make_language_menu()
        self.help_menu = self.menuBar().addMenu("")
        self.log_folder_action = QAction(self)
        self.log_folder_action.triggered.connect(self._on_log_folder_action_triggered)
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(
            lambda: self._show_dialog(lambda: help_dialogs.shortcuts_dialog(self)))
        self.guide_action = QAction(self)
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.triggered.connect(self._on_guide_action_triggered)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(
            lambda: self._show_dialog(lambda: help_dialogs.about_dialog(self)))
        for item in (self.guide_action, self.shortcuts_action, None, self.log_folder_action,
                     None, self.about_action):
            self.help_menu.addSeparator() if item is None else self.help_menu.addAction(item)

    def _make_language_menu(self) -> None:
        """View > Language: each language named in its own words, the choice remembered."""
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _on, code=code: self.set_language(code))
            group.addAction(action)
            self.language_actions[code] = action

    def retranslate(self) -> None:
        """Every text of the window itself in the current language (tabs re-label themselves)."""
        for index in range(self.tabs.count()):
            self.tabs.setTabText(index, self.tr(self.tab_key(index)))
        for menu, title in ((self.file_menu, self.tr("&File")), (self.edit_menu, self.tr("&Edit")),
                            (self.view_menu, self.tr("&View")),
                            (self.language_menu, self.tr("&Language")),
                            (self.help_menu, self.tr("&Help"))):
            menu.setTitle(title)
        for action, text in (
                (self.open_action, self.tr("&Open image…")),
                (self.paste_action, self.tr("&Paste image")), (self.quit_action, self.tr("&Quit")),
                (self.presenter_action, self.tr("&Presenter mode (text at 150 %)")),
                (self.larger_text_action, self.tr("&Larger text")),
                (self.smaller_text_action, self.tr("&Smaller text")),
                (self.normal_text_action, self.tr("&Normal text size")),
                (self.log_folder_action, self.tr("Open &log folder")),
                (self.shortcuts_action, self.tr("&Keyboard shortcuts")),
                (self.guide_action, self.tr("&What am I looking at?")),
                (self.about_action, self.tr("&About convviz"))):
            action.setText(text)
        self.presenter_action.setToolTip(self.tr("Large text for a projector; again for normal "
                                                 "size"))
        self.log_folder_action.setToolTip(self.tr("Where convviz writes what went wrong, with "
                                                  "details"))
        self.language_menu.setToolTip(self.tr("The Train tab is not translated yet"))
        self.model_file.retranslate()  # its actions and the window title
        self._on_session_model_changed()
        if self.help_dialog is not None and self.help_dialog.isVisible():
            self._show_dialog(self._help_factory)  # the open help again, re-worded

    def set_language(self, code: str) -> None:
        """Show the app in language `code` from now on, remembered for the next start."""
        i18n.install_language(code)  # Qt sends LanguageChange: every open view re-labels
        self.language_actions[code].setChecked(True)
        self.settings.setValue(i18n.LANGUAGE_KEY, code)
        self.settings.sync()

    # --- presenter mode --------------------------------------------------------------------------

    @property
    def text_scale(self) -> float:
        return theme.text_scale()

    def set_text_scale(self, scale: float) -> None:
        """Scale every text and number in the window (1.0 = 100 %), remembered for next time."""
        scale = text_scale.clamp_scale(scale)
        text_scale.apply_text_scale(scale, [self])
        self._fit_tabs_page()
        self.presenter_action.setChecked(abs(scale - text_scale.PRESENTER_SCALE) < 1e-6)
        self.settings.setValue("view/text_scale", scale)
        self.statusBar().showMessage(self.tr("Text at {0:.0%}").format(scale), 3000)

    def set_tabs_scroll(self, scroll: bool) -> None:
        """Let the tabs scroll (beside the Lessons panel) instead of making the window as
        large as the largest tab needs."""
        self._tabs_scroll = scroll
        self._fit_tabs_page()

    def _fit_tabs_page(self) -> None:
        self.tabs_page.setMinimumSize(QSize(0, 0) if self._tabs_scroll
                                      else self.tabs.all_pages_minimum())

    def step_text_scale(self, step: int) -> None:
        """One step larger (+1) or smaller (-1), as a browser's Ctrl+= and Ctrl+-."""
        self.set_text_scale(text_scale.next_scale(self.text_scale, step))

    def _on_presenter_action_triggered(self, on: bool) -> None:
        self.set_text_scale(text_scale.PRESENTER_SCALE if on else 1.0)

    def _on_train_tab_dataset_read(self, dataset) -> None:
        """The Draw tab's Test picture draws from the dataset just read (CIFAR-10's test set,
        a folder's held-back share) while it fits the model on show."""
        self.draw_tab.set_test_pictures(dataset.test_images, dataset.test_labels, dataset.title)

    def _on_lab_tab_train_requested(self, model_builder, description: str) -> None:
        self.train_tab.set_design(model_builder, description)
        self.tabs.setCurrentWidget(self.train_tab)

    # --- background work -------------------------------------------------------------------------

    def start_background_work(self) -> None:
        """Compile the network's kernels and read the MNIST test digits, off the GUI thread."""
        workers.start_warm_up(self.session.model, self.session.kernel_warm_up, self,
                              self._on_warm_up_succeeded, self._on_warm_up_failed,
                              then=(("inspector", warm_up_chain),))
        if self.data_dir is None:
            return
        try:
            missing = self.mnist_source.missing()
        except DatasetError as error:  # an unreadable folder: say so, start anyway
            self.draw_tab.set_mnist(None, error_log.report(error, "Looking for MNIST"))
            return
        if missing:
            self.draw_tab.set_mnist(None, self.tr(
                "MNIST test digits were not found in {0}. Run `convviz download` to get "
                "them.").format(self.mnist_source.folder))
            return
        self.mnist_source.load()

    def _mnist_folder(self, default: Path) -> Path:
        """The default MNIST folder, unless it lacks the files and the folder chosen in an
        earlier session (remembered in the settings) still holds them."""
        remembered = self.settings.value(MNIST_FOLDER_KEY)
        if remembered and missing_files(default) and not missing_files(Path(remembered)):
            return Path(remembered)
        return default

    def _on_mnist_source_loaded(self) -> None:
        folder = self.mnist_source.folder
        if not missing_files(folder):  # read from there (not digits handed over in code)
            self.settings.setValue(MNIST_FOLDER_KEY, str(folder))
            self.settings.sync()

    def _on_mnist_source_failed(self, error: Exception) -> None:
        if self.draw_tab.mnist is None:
            self.draw_tab.set_mnist(None, error_log.report(error, "Reading the MNIST samples"))

    def _on_warm_up_failed(self, error: Exception) -> None:
        text = error_log.report(error, "Preparing the network's kernels")
        self.message_bar.show_message(
            self.tr("The network could not be prepared: {0}").format(text), MessageLevel.ERROR)

    def _on_warm_up_succeeded(self, seconds: float) -> None:
        self.session.mark_ready()
        self.statusBar().showMessage(
            self.tr("Network ready (kernels prepared in {0:.1f} s)").format(seconds), 5000)

    # --- pictures in -----------------------------------------------------------------------------

    def open_image(self, source: str | Path | bytes, name: str | None = None) -> None:
        """Load a picture (a path, or encoded bytes) onto the canvas; errors go to the bar."""
        name = name or (f"'{Path(source).name}'" if not isinstance(source, bytes)
                        else self.tr("image"))
        self.statusBar().showMessage(self.tr("Loading {0}…").format(name))
        self._draw_source = (source, name)  # offered to the inspector if it is not a digit
        if self.session.takes_digits:
            self._draw_importer.take(source, name, canvas_size=self.draw_tab.canvas.size)
        else:     # a model of pictures: resized to its input, as it was trained
            self._model_picture_importer.take(source, name,
                                              input_shape=self.session.model.input_shape)

    def paste_image(self) -> None:
        """Load the clipboard's image file or image data into the tab on show."""
        picture = picture_in(QApplication.clipboard().mimeData(), "pasted")
        if picture is None:
            self.message_bar.show_message(self.tr("The clipboard holds no image to paste."),
                                          MessageLevel.WARNING)
        else:
            self.take_picture(*picture)

    def take_picture(self, source: Path | bytes, name: str) -> None:
        """The image inspector takes pictures while it is on show; otherwise the Draw tab."""
        if self.tabs.currentWidget() is self.inspector_tab:
            self.inspector_tab.take_picture(source, name)
        else:
            self.open_image(source, name)

    def _show_dialog(self, make_dialog) -> None:
        """Open the Help dialog `make_dialog()` builds, one at a time (window-modal, so the
        window waits); it is built again in a new language."""
        if self.help_dialog is not None:
            self.help_dialog.close()
            self.help_dialog.deleteLater()
        self._help_factory = make_dialog
        self.help_dialog = make_dialog()
        self.help_dialog.open()

    def _on_guide_action_triggered(self) -> None:
        index, tab = self.tabs.currentIndex(), self.tabs.currentWidget()
        self._show_dialog(lambda: help_dialogs.guide_dialog(self, self.tab_key(index), tab))

    def _on_log_folder_action_triggered(self) -> None:
        folder = error_log.log_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.message_bar.show_message(
                self.tr("The log folder {0} cannot be made: {1}").format(folder, error),
                MessageLevel.ERROR)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.message_bar.show_message(self.tr("The log folder is {0}").format(folder),
                                          MessageLevel.INFO)

    def _on_open_action_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an image"), "",
                                              picture_filter())
        if path:
            self.take_picture(Path(path), f"'{Path(path).name}'")

    def _on_draw_importer_imported(self, picture: ImportedPicture) -> None:
        self.tabs.setCurrentWidget(self.draw_tab)
        self.draw_tab.show_picture(picture)
        self.statusBar().clearMessage()
        text = " ".join([self.tr("Loaded {0}.").format(picture.name), *picture.notices,
                         self.tr("Undo (Ctrl+Z) brings back your drawing.")])
        self.message_bar.show_message(text, MessageLevel.INFO)

    def _on_model_picture_importer_imported(self, picture: ModelPicture) -> None:
        if self.session.takes_digits:   # the model changed while the picture was read
            self.message_bar.show_message(
                self.tr("{0} was read for the model before; open it again for this one.")
                .format(picture.name), MessageLevel.WARNING)
            return
        self.tabs.setCurrentWidget(self.draw_tab)
        self.draw_tab.show_model_picture(picture)
        self.statusBar().clearMessage()
        height, width = self.session.model.input_shape[:2]
        self.message_bar.show_message(" ".join([
            self.tr("Loaded {0}: the network sees it resized to {1}×{2}.").format(
                picture.name, height, width),
            *picture.notices]), MessageLevel.INFO)

    def _on_draw_importer_failed(self, name: str, error: Exception) -> None:
        text = error_log.report(error, f"Loading {name} onto the canvas")
        self.statusBar().clearMessage()
        action = None
        if isinstance(error, NotADigitError) and self._draw_source[1] == name:
            source = self._draw_source[0]
            action = (self.tr("Open in Image inspection"), lambda: self._inspect(source, name))
        self.message_bar.show_message(text, MessageLevel.ERROR, action)

    def _inspect(self, source: Path | bytes, name: str) -> None:
        self.tabs.setCurrentWidget(self.inspector_tab)
        self.inspector_tab.take_picture(source, name)

    # --- tabs, status, settings ------------------------------------------------------------------

    def _on_tabs_current_changed(self, index: int) -> None:
        self.draw_tab.set_active(self.tabs.widget(index) is self.draw_tab)
        self.feeds.refresh()

    def _on_session_model_changed(self) -> None:
        self.model_label.setText(self.tr("Model: {0}").format(self.session.description))

    def _on_draw_tab_status_reported(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _restore_settings(self) -> None:
        settings = self.settings
        try:
            scale = float(settings.value("view/text_scale", 1.0))
        except (TypeError, ValueError):  # a hand-edited settings file: normal size
            scale = 1.0
        self.set_text_scale(scale)
        self.statusBar().clearMessage()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in self._splitters().items():
            value = settings.value(f"draw/{key}")
            if value is not None:
                splitter.restoreState(value)
        radius = settings.value("draw/brush_radius")
        if radius is not None:
            self.draw_tab.set_brush_radius(int(radius))
        details = settings.value("draw/details_tab")
        if details is not None:
            self.draw_tab.details_tabs.setCurrentIndex(int(details))

    def save_settings(self) -> None:
        settings = self.settings
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        for key, splitter in self._splitters().items():
            settings.setValue(f"draw/{key}", splitter.saveState())
        settings.setValue("draw/brush_radius", int(self.draw_tab.brush.radius))
        settings.setValue("draw/details_tab", self.draw_tab.details_tabs.currentIndex())
        settings.sync()

    def _splitters(self) -> dict:
        tab = self.draw_tab
        return {"main_splitter": tab.main_splitter, "left_splitter": tab.left_splitter,
                "right_splitter": tab.right_splitter, "top_splitter": tab.top_splitter}

    def closeEvent(self, event) -> None:
        if not self.model_file.may_close():  # training running or unsaved: asks first
            event.ignore()
            return
        self.save_settings()
        self.session.kernel_warm_up.close()
        workers.wait_for_workers(self)
        super().closeEvent(event)

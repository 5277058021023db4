"""The Lessons side panel: choose a lesson, step through it, answer its questions.

The panel knows lessons (core.lessons) and a *stage*: an object with ``apply(setup)``,
``live_state(setup)``, ``widget(name)`` and a ``changed`` signal (the window's
``LessonStage``). Every number the panel shows is read from the stage's live state, so it
follows the app when a student moves the walk or changes a setting.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from convviz.core.lessons import lesson as lessons
from convviz.core.lessons import state as lesson_state
from convviz.core.lessons.lesson import Lesson
from convviz.gui.i18n import Retranslating
from convviz.gui.lessons.overlay import HighlightOverlay
from convviz.gui.widgets import theme
from convviz.gui.widgets.scroll_page import scroll_page
from convviz.gui.widgets.wrapping_label import WrappingLabel

LAST_LESSON_KEY = "lessons/last_lesson"
LAST_STEP_KEY = "lessons/last_step"
PANEL_WIDTH = 300
"""The side panel's width; as a strip below the tabs the navigation column takes this."""
NAVIGATION_WIDTH = 300
QWIDGETSIZE_MAX = (1 << 24) - 1
log = logging.getLogger(__name__)


class LessonsPanel(Retranslating, QWidget):
    """A lesson chooser, the step's title, progress, text and quiz, Back and Next."""

    step_shown = Signal(str, int)
    """(lesson id, step index) after a step has been set up."""
    language_changed = Signal()
    """The app's language changed: the lessons are to be loaded in it again."""

    def __init__(self, stage, overlay: HighlightOverlay, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.overlay = overlay
        self.settings = settings
        self.lessons: tuple[Lesson, ...] = ()
        self.lesson: Lesson | None = None
        self.index = 0
        self.values: dict = {}
        self.expected = None
        self._applying = False
        self._started = False
        self.setMinimumWidth(PANEL_WIDTH)
        self._build()
        stage.changed.connect(self._on_stage_changed)

    def _build(self) -> None:
        self.lesson_box = QComboBox()
        self.lesson_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.lesson_box.activated.connect(self._on_lesson_box_activated)
        self.summary_label = _wrapping(theme.font(11), theme.MUTED)
        self.progress_label = QLabel()
        self.progress_label.setFont(theme.font(11, bold=True))
        self.title_label = _wrapping(theme.font(15, bold=True))
        self.text_label = _wrapping(theme.font(13))
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.ask_label = _wrapping(theme.font(13, bold=True))
        self.answer_edit = QLineEdit()
        self.answer_edit.returnPressed.connect(self.check_answer)
        self.choice_box = QComboBox()
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_answer)
        self.feedback_label = _wrapping(theme.font(12))
        self.feedback_label.setTextFormat(Qt.TextFormat.RichText)
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.back_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.problems_label = _wrapping(theme.font(10))
        background, foreground = theme.WARNING_COLOURS
        self.problems_label.setStyleSheet(f"background: {background}; color: {foreground}; "
                                          "padding: 6px;")
        self.problems_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.hide()
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer_edit, 1)
        answer_row.addWidget(self.choice_box, 1)
        answer_row.addWidget(self.check_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_label, 0, Qt.AlignmentFlag.AlignHCenter)
        navigation = _column(self.lesson_box, progress, buttons, self.summary_label)
        text = _column(self.title_label, self.text_label, self.problems_label)
        quiz = _column(self.ask_label, answer_row, self.feedback_label)
        self.navigation = navigation
        self.text_scroll = scroll_page(text, horizontal=False)  # a long step scrolls
        self.quiz_scroll = scroll_page(quiz, horizontal=False)
        self.layout_box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.layout_box.addWidget(navigation)
        self.layout_box.addWidget(self.text_scroll, 3)
        self.layout_box.addWidget(self.quiz_scroll, 2)
        self.set_horizontal(False)
        self._show_quiz(None)
        self.retranslate()

    def retranslate(self) -> None:
        """The panel's own labels in the current language; the lessons themselves are loaded
        again in it by whoever owns the panel (language_changed)."""
        self.lesson_box.setToolTip(self.tr("The lessons, in course order"))
        self.answer_edit.setPlaceholderText(self.tr("Your answer"))
        self.check_button.setText(self.tr("Check"))
        self.check_button.setToolTip(self.tr("Check your answer (Enter)"))
        self.back_button.setText(self.tr("◀ Back"))
        self.back_button.setToolTip(self.tr("The step before (Page Up)"))
        self.next_button.setToolTip(self.tr("The next step (Page Down, as a presentation "
                                            "clicker sends)"))
        if self.choice_box.count() and self.choice_box.itemData(0) is None:
            self.choice_box.setItemText(0, self.tr("— choose —"))
        self._update_buttons()
        self.language_changed.emit()

    def set_horizontal(self, horizontal: bool) -> None:
        """Side by side (a strip below the tabs) or one above the other (a side panel)."""
        self.horizontal = horizontal
        self.layout_box.setDirection(QBoxLayout.Direction.LeftToRight if horizontal
                                     else QBoxLayout.Direction.TopToBottom)
        self.navigation.setFixedWidth(NAVIGATION_WIDTH if horizontal else QWIDGETSIZE_MAX)
        self.setMinimumWidth(0 if horizontal else PANEL_WIDTH)

    # --- lessons ----------------------------------------------------------------------------

    def set_lessons(self, lessons_in_order: tuple[Lesson, ...],
                    problems: tuple[str, ...] = ()) -> None:
        """The lessons to offer (already in course order) and the files that did not load."""
        current = self.lesson.id if self.lesson is not None else None
        self.lessons = lessons_in_order
        self.lesson_box.blockSignals(True)
        self.lesson_box.clear()
        for number, lesson in enumerate(lessons_in_order, 1):
            self.lesson_box.addItem(f"{number}. {lesson.title}", lesson.id)
        self.lesson_box.blockSignals(False)
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))
        if current is not None and self.lesson_box.findData(current) >= 0:
            self.lesson = self.lessons[self.lesson_box.findData(current)]
            self.lesson_box.setCurrentIndex(self.lesson_box.findData(current))
            self.index = min(self.index, len(self.lesson.steps) - 1)
            if self._started:  # the same step, in the lesson's file as loaded now
                self._show_texts()
        elif lessons_in_order:
            wanted = self.settings.value(LAST_LESSON_KEY)
            found = self.lesson_box.findData(wanted)
            self.lesson = lessons_in_order[max(found, 0)]
            self.lesson_box.setCurrentIndex(max(found, 0))
            step = _whole(self.settings.value(LAST_STEP_KEY, 0)) if found >= 0 else 0
            self.index = min(max(step, 0), len(self.lesson.steps) - 1)
        else:
            self.lesson = None
        self._update_buttons()

    @property
    def started(self) -> bool:
        """Whether a step has been set up since the panel was made."""
        return self._started

    def start(self) -> None:
        """Set up the current step (the first time the panel is shown: where the class left)."""
        self._started = True
        if self.lesson is not None:
            self.go_to_step(self.index)

    def open_lesson(self, lesson_id: str, step: int = 0) -> None:
        index = self.lesson_box.findData(lesson_id)
        if index < 0:
            raise KeyError(f"no lesson {lesson_id!r}")
        self.lesson_box.setCurrentIndex(index)
        self.lesson = self.lessons[index]
        self.go_to_step(step)

    def _on_lesson_box_activated(self, index: int) -> None:
        self.lesson = self.lessons[index]
        self.go_to_step(0)

    # --- steps ------------------------------------------------------------------------------

    @property
    def step(self) -> lessons.Step | None:
        return self.lesson.steps[self.index] if self.lesson is not None else None

    def go_to_step(self, index: int) -> None:
        """Set the window up for step ``index`` of the lesson and show it."""
        if self.lesson is None:
            return
        self._started = True
        self.index = min(max(index, 0), len(self.lesson.steps) - 1)
        self._applying = True
        try:
            self.stage.apply(self.lesson.setup_at(self.index))
        finally:
            self._applying = False
        self.settings.setValue(LAST_LESSON_KEY, self.lesson.id)
        self.settings.setValue(LAST_STEP_KEY, self.index)
        self._show_texts()
        step = self.step
        self.overlay.track(self.stage.widget(step.highlight) if step.highlight else None)
        self._update_buttons()
        self.step_shown.emit(self.lesson.id, self.index)

    def _show_texts(self) -> None:
        """The step's title, text and quiz, and the lesson's summary (the window as it is)."""
        step = self.step
        self.title_label.setText(step.title)
        self.summary_label.setText(self.lesson.summary)
        self.summary_label.setVisible(bool(self.lesson.summary))
        self._show_quiz(step.quiz)
        self._refresh()

    def next_step(self) -> None:
        if self.lesson is not None and not self._started:
            self.start()
        elif self.lesson is not None and self.index + 1 < len(self.lesson.steps):
            self.go_to_step(self.index + 1)
        elif self.lesson is not None:
            at = self.lessons.index(self.lesson)
            if at + 1 < len(self.lessons):
                self.open_lesson(self.lessons[at + 1].id)

    def previous_step(self) -> None:
        if self.lesson is not None and self.index > 0:
            self.go_to_step(self.index - 1)

    def _update_buttons(self) -> None:
        lesson = self.lesson
        self.back_button.setEnabled(lesson is not None and self.index > 0)
        last_lesson = lesson is None or self.lessons.index(lesson) == len(self.lessons) - 1
        at_end = lesson is not None and self.index == len(lesson.steps) - 1
        self.next_button.setEnabled(lesson is not None and not (at_end and last_lesson))
        self.next_button.setText(self.tr("Next lesson ▶") if at_end and not last_lesson
                                 else self.tr("Next ▶"))
        self.progress_label.setText(
            self.tr("step {0} of {1}").format(self.index + 1, len(lesson.steps))
            if lesson is not None else "")

    # --- live numbers -----------------------------------------------------------------------

    def _on_stage_changed(self) -> None:
        if not self._applying and self.lesson is not None and self._started:
            self._refresh()

    def _refresh(self) -> None:
        """Fill the text and the quiz from what the window shows now."""
        step = self.step
        setup = self.lesson.setup_at(self.index)
        try:
            live = self.stage.live_state(setup)
            self.values = lesson_state.quantities(live)
            self.expected = lessons.expected_answer(step.quiz, live, self.values) \
                if step.quiz is not None else None
        except (ValueError, KeyError) as error:  # the student changed a setting that broke it
            log.info("The lesson's numbers cannot be read: %s", error)
            self.values, self.expected = {}, None
        self.text_label.setText(_paragraph(lessons.fill(step.text, self.values)))
        if step.quiz is not None:
            self.ask_label.setText(lessons.fill(step.quiz.ask, self.values))
        self.overlay.follow()

    # --- the quiz ---------------------------------------------------------------------------

    def _show_quiz(self, quiz: lessons.Quiz | None) -> None:
        for widget in (self.ask_label, self.answer_edit, self.choice_box, self.check_button):
            widget.setVisible(quiz is not None)
        self.feedback_label.clear()
        self.feedback_label.setStyleSheet("")
        self.answer_edit.clear()
        if quiz is None:
            return
        choice = quiz.kind == "choice"
        self.answer_edit.setVisible(not choice)
        self.choice_box.setVisible(choice)
        self.choice_box.clear()
        if choice:
            self.choice_box.addItem(self.tr("— choose —"), None)
            for option in quiz.choices:
                self.choice_box.addItem(option, option)

    def focus_answer(self) -> None:
        """Put the keyboard in the answer field (or the choices)."""
        quiz = self.step.quiz if self.step is not None else None
        if quiz is not None:
            (self.choice_box if quiz.kind == "choice" else self.answer_edit).setFocus()

    def typed_answer(self) -> str:
        quiz = self.step.quiz
        if quiz.kind == "choice":
            return self.choice_box.currentData() or ""
        return self.answer_edit.text()

    def check_answer(self) -> bool | None:
        """Compare the answer with the one the app computes, and say why."""
        step = self.step
        if step is None or step.quiz is None:
            return None
        quiz = step.quiz
        why = lessons.fill(quiz.why, self.values)
        if self.expected is None:
            self._feedback(self.tr("The setup has changed, so this question has no answer "
                                   "now: go back to the step (Page Up, Page Down)."), None)
            return None
        right = lessons.is_right(quiz, self.typed_answer(), self.expected)
        if right is None:
            self._feedback(self.tr("Type a number, such as 4 or 0.5."), None)
        elif right:
            self._feedback(self.tr("Right! {0}").format(why), True)
        else:
            self._feedback(self.tr("Not quite: the answer is {0}. {1}").format(
                lesson_state.show(self.expected), why), False)
        return right

    def _feedback(self, text: str, right: bool | None) -> None:
        colours = {True: ("#e3f4e1", "#1e5e1a"), False: theme.ERROR_COLOURS,
                   None: theme.INFO_COLOURS}[right]
        self.feedback_label.setStyleSheet(f"background: {colours[0]}; color: {colours[1]}; "
                                          "padding: 6px; border-radius: 4px;")
        self.feedback_label.setText(html.escape(text))
        self.quiz_scroll.ensureWidgetVisible(self.feedback_label)


def _column(*items) -> QWidget:
    """A widget holding widgets and layouts one under the other, the room left below."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    for item in items:
        layout.addLayout(item) if isinstance(item, QLayout) else layout.addWidget(item)
    layout.addStretch(1)
    return column


def _wrapping(font, colour: str | None = None) -> WrappingLabel:
    label = WrappingLabel()
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    if colour:
        label.setStyleSheet(f"color: {colour};")
    return label


def _paragraph(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _whole(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0

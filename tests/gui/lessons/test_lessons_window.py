"""The Lessons panel in the real window: every shipped lesson played with Page Down, quizzes
typed, malformed files, the highlight following its widget, locks, recording a step."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from convviz.core.lessons import catalogue, lesson, state
from convviz.core.lessons.targets import HIGHLIGHTS
from convviz.core.nn.geometry import as_pair


def open_panel(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.lessons.show_panel()
    qtbot.waitUntil(lambda: window.lessons.dock.isVisible())
    return window.lessons.panel


def shipped():
    return catalogue.in_language(catalogue.load_folder(catalogue.shipped_folder()).lessons, "en")


def test_every_highlight_name_is_a_widget_of_the_window(window):
    for name in HIGHLIGHTS:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.objectName() == name


def test_at_least_twelve_shipped_lessons_load_without_problems():
    loaded = catalogue.load_folder(catalogue.shipped_folder())
    assert loaded.problems == ()
    lessons = catalogue.in_language(loaded.lessons, "en")
    assert len(lessons) >= 12
    assert [lesson_.order for lesson_ in lessons] == sorted(lesson_.order for lesson_ in lessons)


def _tab_name(window):
    current = window.tabs.currentWidget()
    return {window.draw_tab: "draw", window.stepper_tab: "stepper",
            window.inspector_tab: "inspector", window.train_tab: "train",
            window.lab_tab: "lab"}[current]


def _assert_stepper_state(window, setup):
    view = window.stepper_tab
    walk = view.stepper
    assert walk is not None, view.error_text
    np.testing.assert_array_equal(walk.x, state.input_array(setup))
    expected = state.stepper_settings(setup)
    settings = walk.settings
    assert settings.operation == expected.operation
    assert as_pair(settings.strides, "s") == as_pair(expected.strides, "s")
    assert settings.padding == expected.padding
    assert as_pair(settings.dilation_rate, "d") == as_pair(expected.dilation_rate, "d")
    assert settings.flip_kernel == expected.flip_kernel
    if not settings.is_pooling:
        np.testing.assert_array_equal(walk.kernel[:, :, :state.kernel_array(setup).shape[2]],
                                      state.kernel_array(setup))
    assert view.backward_mode == (setup.get("mode") == "backward")
    if view.backward_mode:
        walk_back = view.backward_view.walk
        assert walk_back.target == setup.get("gradient", "kernel")
        cell = setup.get("cell", (0, 0))
        assert divmod(walk_back.position, walk_back.walk_hw[1]) == tuple(cell)
    else:
        assert walk.cell(walk.position) == tuple(setup.get("cell", (0, 0)))


def test_every_shipped_lesson_plays_step_by_step_with_page_down(qtbot, window):
    """Each step sets the window up as its setup says; each number and each quiz's expected
    answer equals what the window's own core objects give."""
    panel = open_panel(qtbot, window)
    lessons = shipped()
    assert [panel.lesson_box.itemData(i) for i in range(panel.lesson_box.count())] == \
        [lesson_.id for lesson_ in lessons]
    panel.open_lesson(lessons[0].id)
    played = 0
    for number, lesson_ in enumerate(lessons):
        for index, step in enumerate(lesson_.steps):
            if number or index:
                qtbot.keyClick(window, Qt.Key.Key_PageDown)
            assert (panel.lesson.id, panel.index) == (lesson_.id, index)
            assert panel.progress_label.text() == f"step {index + 1} of {len(lesson_.steps)}"
            setup = lesson_.setup_at(index)
            if "tab" in setup:
                assert _tab_name(window) == setup["tab"]
            if state.uses_stepper(setup):
                _assert_stepper_state(window, setup)
            if "model" in setup:
                assert window.lab_tab.preset_box.currentData() == setup["model"]
            if "training" in setup:
                config = window.train_tab.settings.config(state.VALIDATION_IMAGES)
                expected = state.training_config(setup["training"])
                assert (config.optimizer, config.learning_rate, config.batch_size,
                        config.epochs) == (expected.optimizer, expected.learning_rate,
                                           expected.batch_size, expected.epochs)
            for name in setup.get("lock", ()):
                assert window.lessons.stage.locked(), name
                assert not any(w.isEnabled() for w in window.lessons.stage.locked())
            from_file = state.state_from_setup(setup)
            values = state.quantities(from_file)
            live = state.quantities(window.lessons.stage.live_state(setup))
            for name in lesson._PLACEHOLDER.findall(step.text):
                assert live[name] == pytest.approx(values[name]), (lesson_.id, index, name)
            assert "{" not in panel.text_label.text(), (lesson_.id, index)
            if step.quiz is not None:
                expected = lesson.expected_answer(step.quiz, from_file, values)
                assert panel.expected == expected or panel.expected == pytest.approx(expected)
            if step.highlight:
                assert window.lessons.overlay.target is window.findChild(QWidget,
                                                                          step.highlight)
                qtbot.waitUntil(window.lessons.overlay.isVisible, timeout=2000)
            played += 1
    assert played == sum(len(lesson_.steps) for lesson_ in lessons)


def _go_to_quiz(panel, kind: str):
    for lesson_ in panel.lessons:
        for index, step in enumerate(lesson_.steps):
            if step.quiz is not None and step.quiz.kind == kind:
                panel.open_lesson(lesson_.id, index)
                return step
    raise AssertionError(f"no {kind} quiz")


def test_a_number_quiz_answered_wrong_then_right_by_typing(qtbot, window):
    panel = open_panel(qtbot, window)
    step = _go_to_quiz(panel, "number")
    expected = float(panel.expected)
    window.lessons.answer_action.trigger()
    assert panel.answer_edit.hasFocus()
    qtbot.keyClicks(panel.answer_edit, str(expected + 7))
    qtbot.keyClick(panel.answer_edit, Qt.Key.Key_Return)
    assert panel.feedback_label.text().startswith("Not quite")
    assert state.show(panel.expected) in panel.feedback_label.text()
    panel.answer_edit.clear()
    qtbot.keyClicks(panel.answer_edit, state.show(expected))
    qtbot.keyClick(panel.answer_edit, Qt.Key.Key_Return)
    assert panel.feedback_label.text().startswith("Right!")
    assert lesson.fill(step.quiz.why, panel.values)[:20] in panel.feedback_label.text()
    panel.answer_edit.clear()
    qtbot.keyClicks(panel.answer_edit, "four")
    qtbot.keyClick(panel.answer_edit, Qt.Key.Key_Return)
    assert "Type a number" in panel.feedback_label.text()


def test_a_choice_quiz_by_keyboard(qtbot, window):
    panel = open_panel(qtbot, window)
    step = _go_to_quiz(panel, "choice")
    wrong = next(c for c in step.quiz.choices if c != state.show(panel.expected))
    window.lessons.answer_action.trigger()
    assert panel.choice_box.hasFocus()
    panel.choice_box.setCurrentIndex(panel.choice_box.findData(wrong))
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert panel.feedback_label.text().startswith("Not quite")
    panel.choice_box.setCurrentIndex(panel.choice_box.findData(state.show(panel.expected)))
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert panel.feedback_label.text().startswith("Right!")


def _frame_of(widget, area) -> QRect:
    region = widget.visibleRegion().boundingRect()
    return region.translated(widget.mapTo(area, QPoint(0, 0)))


def test_the_highlight_follows_its_widget_when_the_window_is_resized(qtbot, window):
    panel = open_panel(qtbot, window)
    target_step = next((lesson_, i) for lesson_ in panel.lessons
                       for i, step in enumerate(lesson_.steps)
                       if step.highlight == "stepper.output")
    panel.open_lesson(target_step[0].id, target_step[1])
    overlay = window.lessons.overlay
    target = window.findChild(QWidget, "stepper.output")
    area = window.centralWidget()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: overlay.frame.contains(_frame_of(target, area)))
    before = QRect(overlay.frame)
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: overlay.frame != before)
    assert overlay.frame.contains(_frame_of(target, area))
    assert overlay.geometry() == area.rect()
    window.tabs.setCurrentWidget(window.draw_tab)  # the target leaves the screen
    qtbot.waitUntil(lambda: not overlay.isVisible())
    window.tabs.setCurrentWidget(window.stepper_tab)
    qtbot.waitUntil(lambda: overlay.isVisible())
    assert overlay.frame.contains(_frame_of(target, area))


def test_a_highlight_on_a_hidden_page_brings_it_forward_once(qtbot, window):
    """The design lesson's last step points at Compare runs, behind the Train tab's Live page:
    the step shows that page; the reader can then click back to Live and stays there."""
    panel = open_panel(qtbot, window)
    right_tabs = window.train_tab.right_tabs
    compare = window.findChild(QWidget, "train.compare")
    assert right_tabs.currentIndex() == 0 and not compare.isVisible()
    lesson_ = next(lesson_ for lesson_ in panel.lessons if lesson_.id == "design-your-own-network")
    panel.open_lesson(lesson_.id, len(lesson_.steps) - 1)
    overlay = window.lessons.overlay
    qtbot.waitUntil(overlay.isVisible)
    assert right_tabs.tabText(right_tabs.currentIndex()) == "Compare runs"
    assert overlay.target is compare and compare.isVisible()
    bar = right_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    qtbot.waitUntil(lambda: not overlay.isVisible())
    qtbot.wait(50)  # the overlay's deferred reveal has run: Live is still on show
    assert right_tabs.currentIndex() == 0


def test_page_up_goes_back_and_the_place_is_remembered(qtbot, make_window, tmp_path):
    from PySide6.QtCore import QSettings
    settings = QSettings(str(tmp_path / "resume.ini"), QSettings.Format.IniFormat)
    window = make_window(warm=False, settings=settings)
    panel = open_panel(qtbot, window)
    first = panel.lessons[1]
    panel.open_lesson(first.id, 0)
    window.stepper_tab.controls.bias_spin.setFocus()  # a spin box has the focus: the clicker
    assert QApplication.focusWidget() is window.stepper_tab.controls.bias_spin
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):  # steps
        qtbot.keyClick(QApplication.focusWidget(), key)
    assert (panel.lesson.id, panel.index) == (first.id, 1)
    window.save_settings()
    window.close()
    again = make_window(warm=False, settings=settings)
    assert again.lessons.dock.isVisible()  # the panel comes back where it was
    assert (again.lessons.panel.lesson.id, again.lessons.panel.index) == (first.id, 1)


def test_a_step_locks_the_settings_it_relies_on_and_gives_them_back(qtbot, window):
    panel = open_panel(qtbot, window)
    found = next((lesson_, i) for lesson_ in panel.lessons
                 for i, step in enumerate(lesson_.steps) if "stride" in step.setup.get(
                     "lock", ()))
    panel.open_lesson(found[0].id, found[1])
    stride = window.stepper_tab.controls.stride_spin
    assert not stride.isEnabled()
    unlocked = next((lesson_, i) for lesson_ in panel.lessons
                    for i, step in enumerate(lesson_.steps) if "stride" not in step.setup.get(
                        "lock", ()) and "tab" in step.setup)
    panel.open_lesson(unlocked[0].id, unlocked[1])
    assert stride.isEnabled()
    panel.open_lesson(found[0].id, found[1])
    assert not stride.isEnabled()
    window.lessons.dock.hide()  # closing the panel unlocks as well
    assert stride.isEnabled()


def test_malformed_lesson_files_name_the_line_and_the_others_still_load(qtbot, window,
                                                                        tmp_path):
    folder = tmp_path / "teacher"
    folder.mkdir()
    good = json.loads((catalogue.shipped_folder() / "en" / "04-padding.json").read_text())
    good["id"], good["title"] = "mine", "My own lesson"
    (folder / "good.json").write_text(json.dumps(good, indent=2))
    (folder / "bad-json.json").write_text('{\n  "id": "x",\n  "title": "X"\n  "steps": []\n}')
    unknown = json.dumps(good, indent=2).replace('"kernel"', '"kernal"', 1)
    (folder / "unknown-field.json").write_text(unknown)
    (folder / "no-kernel.json").write_text(
        json.dumps(good, indent=2).replace('"kernel": "Box blur 3x3"', '"kernel": []'))
    window.lessons.open_folder(folder)
    panel = window.lessons.panel
    problems = panel.problems_label.text()
    assert "bad-json.json line 4, column 3: this is not valid JSON" in problems
    line = unknown.splitlines().index(next(s for s in unknown.splitlines() if "kernal" in s)) + 1
    assert f"unknown-field.json line {line}: unknown field 'kernal'; did you mean 'kernel'?" \
        in problems
    assert "no-kernel.json line" in problems and "the kernel must be" in problems
    assert panel.problems_label.isVisible()
    assert "could not be read" in window.message_bar.text()
    assert panel.lesson_box.findData("mine") >= 0
    assert panel.lesson_box.count() == len(shipped()) + 1
    panel.open_lesson("mine")
    assert window.tabs.currentWidget() is window.stepper_tab


def test_record_this_setup_appends_a_step_that_loads(qtbot, window, tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    window.lessons.open_folder(folder)
    window.tabs.setCurrentWidget(window.stepper_tab)
    controls = window.stepper_tab.controls
    controls.stride_spin.set_value((2, 2))
    window.lessons.record_action.trigger()
    dialog = window.lessons.record_dialog
    dialog.path_edit.setText(str(folder / "my-lesson.json"))
    qtbot.keyClicks(dialog.title_edit, "Stride two")
    qtbot.keyClicks(dialog.text_edit, "One sentence only.")
    dialog.record()
    assert "sentence" in dialog.error_label.text()  # refused: nothing written
    assert not (folder / "my-lesson.json").exists()
    qtbot.keyClicks(dialog.text_edit, " The output is {output_size} now.")
    dialog.record()
    assert dialog.result() == dialog.DialogCode.Accepted
    loaded = catalogue.read_lesson(folder / "my-lesson.json")
    assert loaded.steps[0].setup["stride"] == (2, 2)
    assert window.lessons.panel.lesson_box.findData("my-lesson") >= 0
    window.lessons.panel.open_lesson("my-lesson")
    assert window.stepper_tab.stepper.output_hw == (2, 2)
    assert "2×2" in window.lessons.panel.text_label.text()


def test_hide_advanced_controls_and_full_screen(qtbot, window):
    controls = window.stepper_tab.controls
    window.tabs.setCurrentWidget(window.stepper_tab)
    window.lessons.advanced_action.trigger()
    assert not controls.fill_combo.isVisible()
    assert controls.stride_spin.isVisible()
    window.lessons.advanced_action.trigger()
    assert controls.fill_combo.isVisible()
    window.lessons.full_screen_action.trigger()
    qtbot.waitUntil(window.isFullScreen)
    window.lessons.full_screen_action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_a_lesson_by_keyboard_alone(qtbot, window):
    """Choose a lesson, step on, answer the quiz: keys only."""
    open_panel(qtbot, window)
    panel = window.lessons.panel
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    popup = panel.lesson_box.view()
    qtbot.waitUntil(popup.isVisible)
    wanted = next(i for i, lesson_ in enumerate(panel.lessons) if lesson_.id == "padding")
    for _ in range(wanted - panel.lesson_box.currentIndex()):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert (panel.lesson.id, panel.index) == ("padding", 0)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    assert panel.index == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F2)
    assert panel.answer_edit.hasFocus()
    qtbot.keyClicks(panel.answer_edit, str(window.stepper_tab.stepper.padded.shape[0]))
    qtbot.keyClick(panel.answer_edit, Qt.Key.Key_Return)
    assert panel.feedback_label.text().startswith("Right!")

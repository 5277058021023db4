"""Lesson files: the JSON reader's positions, every check's message and line, merged setups,
the live quantities against plain references, answers, languages and recording."""

from __future__ import annotations

import json
import math

import naive
import numpy as np
import pytest
from paths import REPO_ROOT

from convviz.core.lessons import catalogue, located_json, state
from convviz.core.lessons.lesson import (
    LessonError,
    Quiz,
    expected_answer,
    fill,
    is_right,
    parse_lesson,
    parse_number,
)

SHIPPED = REPO_ROOT / "assets" / "lessons"


def lesson_text(steps, **fields) -> str:
    data = {"id": "test", "title": "Test", "language": "en", "steps": steps, **fields}
    return json.dumps(data, indent=2)


def a_step(**fields) -> dict:
    return {"title": "A step", "setup": {"tab": "stepper"},
            "text": "One sentence. Two sentences.", **fields}


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def problem(text: str) -> LessonError:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, "mine.json")
    return caught.value


# --- the reader ------------------------------------------------------------------------------

def test_located_json_knows_the_line_and_column_of_each_key():
    data = located_json.loads('{\n  "a": 1,\n  "b": [{"c": 2},\n        {"d": 3}]\n}')
    assert data == {"a": 1, "b": [{"c": 2}, {"d": 3}]}
    assert data.keys_at == {"a": (2, 3), "b": (3, 3)}
    assert data["b"][1].where == (4, 9)
    assert data["b"][1].line_of("d") == 4


def test_a_key_written_twice_is_refused_with_its_line():
    error = problem('{"id": "x",\n "title": "T",\n "id": "y"}')
    assert (error.line, error.column) == (3, 2)
    assert "the field 'id' is written twice" in str(error)


@pytest.mark.parametrize("text, line, column, words", [
    ('{\n  "id": "x",\n  "title": "X"\n  "steps": []\n}', 4, 3, "not valid JSON"),
    ('{"id": "x",\n "steps": [1, 2,]}', 2, 17, "not valid JSON"),
    ('', 1, 1, "not valid JSON"),
    ('{"id": "x",\n\n "bias": NaN}', 3, None, "NaN is not a number JSON allows"),
])
def test_bad_json_names_the_line(text, line, column, words):
    error = problem(text)
    assert error.line == line and error.column == column
    assert words in str(error) and str(error).startswith(f"mine.json line {line}")


# --- the checks ------------------------------------------------------------------------------

def test_unknown_field_suggests_the_known_one_on_its_line():
    text = lesson_text([a_step(setup={"tab": "stepper", "kernal": "Sobel x"})])
    error = problem(text)
    assert error.line == line_of(text, "kernal")
    assert error.message == "unknown field 'kernal'; did you mean 'kernel'?"


@pytest.mark.parametrize("kernel", [[], None, [[1, 2], [3]], [["a"]], "Sobel z", [[[[1]]]]])
def test_a_bad_or_missing_kernel_is_named_on_its_line(kernel):
    text = lesson_text([a_step(setup={"tab": "stepper", "kernel": kernel})])
    error = problem(text)
    assert error.line == line_of(text, '"kernel"')
    assert "kernel" in error.message


def test_missing_fields_are_named():
    text = lesson_text([{"title": "No text", "setup": {}}])
    error = problem(text)
    assert error.message == "a step needs the field 'text'"
    assert error.line == line_of(text, '"title": "No text"') - 1  # the step's brace
    assert "needs the field 'language'" in problem('{"id": "x", "title": "T", "steps": []}').message


@pytest.mark.parametrize("fields, words", [
    ({"setup": {"tab": "stepper", "stride": 0}}, "'stride' must be a whole number from 1 to 11"),
    ({"setup": {"tab": "stepper", "padding": "full"}}, "'padding' is \"valid\", \"same\""),
    ({"setup": {"tab": "stepers"}}, "did you mean 'stepper'?"),
    ({"highlight": "stepper.outptu"}, "did you mean 'stepper.output'?"),
    ({"setup": {"tab": "stepper", "lock": ["strides"]}}, "did you mean 'stride'?"),
    ({"setup": {"tab": "train", "training": {"learning_rate": -1}}}, "'learning_rate' must be"),
    ({"text": "Only one sentence."}, "the text has 1 sentence(s); a step says 2 to 5"),
    ({"text": "A {output_sise} grid. Two."}, "quotes {output_sise}: did you mean {output_size}?"),
    ({"setup": {"tab": "stepper", "kernel": "Gaussian blur 5x5",
                "input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}},
     "step 1 cannot be set up: the kernel height 5 is larger than the padded input"),
    ({"quiz": {"ask": "?", "kind": "number", "answer": "output_sise", "why": "."}},
     "the quiz's answer 'output_sise' is unknown: did you mean 'output_size'?"),
    ({"quiz": {"ask": "?", "kind": "number", "answer": "output_size", "why": "."}},
     "'output_size' is a text (4×4), not a number"),
    ({"quiz": {"ask": "?", "kind": "choice", "answer": "output_size", "why": ".",
               "choices": ["3×3", "5×5"]}}, "the answer, 4×4, is not among the choices"),
    ({"quiz": {"ask": "?", "kind": "choice", "answer": "strongest_kernel", "why": ".",
               "choices": ["Sobel x", "my kernel"]}}, "needs a choice quiz of kernel names"),
])
def test_each_check_says_what_is_wrong(fields, words):
    error = problem(lesson_text([a_step(**fields)]))
    assert words in error.message, error.message


def test_later_steps_keep_earlier_settings_but_not_cells_or_locks():
    text = lesson_text([
        a_step(setup={"tab": "stepper", "stride": 2, "cell": [1, 1], "lock": ["stride"]}),
        a_step(setup={"padding": 1}),
        a_step(setup={"tab": "train", "training": {"optimizer": "sgd"}}),
        a_step(setup={"training": {"batch_size": 32}})])
    lesson = parse_lesson(text)
    assert lesson.setup_at(0) == {"tab": "stepper", "stride": 2, "cell": (1, 1),
                                  "lock": ("stride",)}
    assert lesson.setup_at(1) == {"tab": "stepper", "stride": 2, "padding": 1}
    assert lesson.setup_at(3)["training"] == {"optimizer": "sgd", "batch_size": 32}


# --- the numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("size, kernel, stride, padding, dilation", [
    (7, 3, 2, 1, 1), (7, 3, 3, 0, 1), (6, 5, 1, "same", 1), (9, 3, 2, 2, 2), (8, 2, 1, 0, 3)])
def test_stepper_quantities_follow_the_textbook_formula(size, kernel, stride, padding, dilation):
    rng = np.random.default_rng(size + kernel)
    grid = rng.integers(-5, 6, (size, size)).tolist()
    weights = rng.integers(-2, 3, (kernel, kernel)).tolist()
    setup = {"tab": "stepper", "input": grid, "kernel": weights, "stride": stride,
             "padding": padding, "dilation": dilation, "cell": [1, 1]}
    values = state.quantities(state.state_from_setup(setup))
    before, after = naive.same_padding(size, kernel, stride, dilation) \
        if padding == "same" else (padding, padding)
    expected = naive.output_size(size, kernel, stride, dilation, before, after)
    assert values["output_height"] == values["output_width"] == expected
    assert values["output_cells"] == expected * expected
    assert values["span"] == dilation * (kernel - 1) + 1
    assert values["pad_top"] == before and values["padded_height"] == size + before + after
    padded = naive.zero_pad(np.array(grid, np.float64)[None, :, :, None],
                            ((before, after), (before, after)))[0, :, :, 0]
    taps = [(1 * stride + u * dilation, 1 * stride + v * dilation)
            for u in range(kernel) for v in range(kernel)]
    by_hand = sum(padded[r, c] * weights[u // kernel][u % kernel]
                  for u, (r, c) in enumerate(taps))
    assert values["cell_sum"] == pytest.approx(by_hand)
    assert values["filter_params"] == kernel * kernel + 1


def test_pooling_shift_count_against_shifting_by_hand():
    grid = np.random.default_rng(3).integers(0, 9, (6, 6))
    values = state.quantities(state.state_from_setup(
        {"tab": "stepper", "input": grid.tolist(), "operation": "max", "pool_size": 2}))
    shifted = np.zeros_like(grid)
    shifted[:, 1:] = grid[:, :-1]
    pool = lambda a: a.reshape(3, 2, 3, 2).max(axis=(1, 3))  # noqa: E731
    assert values["shift_kept"] == int((pool(grid) == pool(shifted)).sum())
    assert values["cell_value"] == grid[:2, :2].max()
    assert values["stride"] == 2  # pooling strides default to the pool size, as in Keras


def test_backward_quantities_with_all_ones_from_above():
    grid = np.arange(25, dtype=float).reshape(5, 5)
    setup = {"tab": "stepper", "input": grid.tolist(), "kernel": "Sobel x", "mode": "backward",
             "cell": [0, 1]}
    values = state.quantities(state.state_from_setup(setup))
    assert values["gradient_value"] == pytest.approx(grid[0:3, 1:4].sum())  # dL/dw[0, 1]
    assert values["bias_gradient"] == 9 and values["gradient_terms"] == 9
    corner = state.quantities(state.state_from_setup({**setup, "gradient": "input",
                                                      "cell": [0, 0]}))
    assert corner["gradient_value"] == -1 and corner["gradient_terms"] == 1


def test_model_and_training_quantities():
    values = state.quantities(state.state_from_setup(
        {"model": "lenet5-classic", "training": {"optimizer": "sgd", "batch_size": 100,
                                                 "epochs": 2}}))
    assert values["params.C1"] == 6 * (5 * 5 + 1) and values["total_params"] == 61706
    assert values["shape.S2"] == "14×14×6" and values["values.C3"] == 10 * 10 * 16
    assert values["rf.C1"] == 5 and values["rf.S2"] == 6 and values["rf.C3"] == 6 + 4 * 2
    assert values["updates_per_epoch"] == math.ceil(55_000 / 100)
    assert values["updates_total"] == 2 * 550 and values["learning_rate"] == 0.05


def test_every_preset_s_parameter_count_is_quotable_beside_the_design_on_show():
    values = state.quantities(state.state_from_setup({"model": "lenet5-classic"}))
    # the MLP by hand: 784 inputs -> Dense(128) -> Dense(10), each with its biases
    assert values["preset_params.mlp"] == 784 * 128 + 128 + 128 * 10 + 10
    assert values["preset_params.lenet5_classic"] == values["total_params"] == 61706
    # one 5x5 (16 -> 32 maps) against two 3x3 (16 -> 16 -> 32); the rest is the same
    five = 5 * 5 * 16 * 32 + 32
    three = 3 * 3 * 16 * 16 + 16 + 3 * 3 * 16 * 32 + 32
    assert values["preset_params.one_5x5"] - values["preset_params.two_3x3"] == five - three
    assert "preset_params.mlp" not in state.quantities(state.state_from_setup({"tab": "lab"}))


def test_strongest_kernel_is_computed_by_running_each():
    live = state.state_from_setup({"tab": "stepper", "input": [[0, 0, 0, 0]] * 2 + [[9] * 4] * 2})
    assert expected_answer(Quiz("?", "choice", "strongest_kernel", ".",
                                ("Vertical edge", "Horizontal edge")), live, {}) == \
        "Horizontal edge"


def test_fill_and_answers():
    assert fill("{a} and {b} of {missing}", {"a": 1234, "b": -0.5}) == "1,234 and −0.5 of {missing}"
    assert [parse_number(t) for t in ("12", "−3", "61,706", "1/9", "4×4", "2.5", "x")] == \
        [12, -3, 61706, pytest.approx(1 / 9), 4, 2.5, None]
    number = Quiz("?", "number", "x", ".")
    assert is_right(number, " 2.25 ", 2.25) and not is_right(number, "2.3", 2.25)
    assert is_right(number, "0.11", 1 / 9) and is_right(number, "1/9", 1 / 9)
    assert is_right(number, "soon", 1) is None
    choice = Quiz("?", "choice", "x", ".", ("Sobel x", "Sobel y"))
    assert is_right(choice, "sobel x", "Sobel x") and not is_right(choice, "Sobel y", "Sobel x")


# --- catalogue -------------------------------------------------------------------------------

def test_shipped_lessons_all_load_and_cover_the_course():
    loaded = catalogue.load_folder(SHIPPED)
    assert loaded.problems == ()
    ids = [lesson.id for lesson in catalogue.in_language(loaded.lessons, "en")]
    assert len(ids) >= 12 and len(set(ids)) == len(ids)
    assert all(lesson.language == "en"
               for lesson in catalogue.in_language(loaded.lessons, "en"))
    assert {lesson.language for lesson in loaded.lessons} == {"en", "de"}


def test_language_choice_falls_back_to_english(tmp_path):
    english = lesson_text([a_step()], order=2)
    (tmp_path / "en.json").write_text(english)
    (tmp_path / "de.json").write_text(english.replace('"en"', '"de"').replace("Test", "Probe"))
    (tmp_path / "other.json").write_text(lesson_text([a_step()], id="other", order=1))
    lessons = catalogue.load_folder(tmp_path).lessons
    assert [(found.id, found.title) for found in catalogue.in_language(lessons, "de")] == \
        [("other", "Test"), ("test", "Probe")]
    assert [found.title for found in catalogue.in_language(lessons, "fr")] == ["Test", "Test"]


def test_a_bad_file_is_one_sentence_and_the_others_load(tmp_path):
    (tmp_path / "good.json").write_text(lesson_text([a_step()]))
    (tmp_path / "bad.json").write_text("{")
    (tmp_path / "binary.json").write_bytes(b'{"id": "\xff"}')
    (tmp_path / "folder.json").mkdir()
    loaded = catalogue.load_folder(tmp_path)
    assert [lesson.id for lesson in loaded.lessons] == ["test"]
    assert len(loaded.problems) == 3
    assert any(p.startswith("bad.json line 1") for p in loaded.problems)
    assert any("binary.json line 1: this is not UTF-8 text" in p for p in loaded.problems)


def test_append_step_makes_the_file_then_appends_and_refuses_what_would_not_load(tmp_path):
    path = tmp_path / "my-lesson.json"
    catalogue.append_step(path, a_step(setup={"tab": "stepper", "stride": [2, 2]}))
    catalogue.append_step(path, a_step(title="Second"))
    lesson = catalogue.read_lesson(path)
    assert (lesson.id, len(lesson.steps), lesson.steps[1].title) == ("my-lesson", 2, "Second")
    before = path.read_bytes()
    with pytest.raises(LessonError, match="unknown field 'kernal'"):
        catalogue.append_step(path, a_step(setup={"kernal": 3}))
    assert path.read_bytes() == before  # nothing written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-lesson.json"]  # no temporary left
    path.write_text("{ broken")
    with pytest.raises(LessonError):
        catalogue.append_step(path, a_step())
    assert path.read_text() == "{ broken"

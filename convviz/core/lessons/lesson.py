"""Lessons: a sequence of steps that set the app up, point at a widget, say a few sentences
and may ask a question whose answer the core computes.

A lesson file is JSON (docs/lessons.md describes every field). ``parse_lesson(text, name)``
checks every field and raises ``LessonError`` naming the line of the problem; the numbers
in a step's text and its quiz's expected answer come from ``state.quantities``, never from
the file.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field

import numpy as np

from convviz.core.kernel_bank import KERNEL_BANK
from convviz.core.lessons import located_json, state, targets
from convviz.core.lessons.located_json import Located
from convviz.core.nn.presets import PRESETS
from convviz.core.stepper import OPERATIONS, PAD_MODES, STEP_ACTIVATIONS
from convviz.core.training.trainer import OPTIMIZERS

LESSON_FIELDS = ("id", "title", "language", "order", "summary", "steps")
STEP_FIELDS = ("title", "setup", "highlight", "text", "quiz")
SETUP_FIELDS = ("tab", "input", "kernel", "operation", "pool_size", "stride", "padding",
                "padding_fill", "dilation", "flip", "bias", "activation", "cell", "mode",
                "gradient", "model", "training", "panel", "lock")
TRAINING_FIELDS = ("optimizer", "learning_rate", "batch_size", "epochs", "arch")
QUIZ_FIELDS = ("ask", "kind", "answer", "choices", "why")
PER_STEP = ("cell", "lock", "panel")
"""Setup fields that hold for their own step only; every other field carries on to the next
steps of the lesson until a step changes it."""
STRONGEST_KERNEL = "strongest_kernel"
MAX_GRID = 32
SENTENCES = (2, 5)
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


class LessonError(ValueError):
    """A problem in a lesson file, with where it is: "name line 14: unknown field ..."."""

    def __init__(self, source: str, line: int, message: str, column: int | None = None):
        self.source, self.line, self.column, self.message = source, line, column, message
        where = f"line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{source} {where}: {message}")


@dataclass(frozen=True)
class Quiz:
    """A question; ``answer`` names the quantity (or "strongest_kernel") that answers it."""

    ask: str
    kind: str  # "number" or "choice"
    answer: str
    why: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    setup: dict = field(default_factory=dict)
    highlight: str | None = None
    quiz: Quiz | None = None
    line: int = 0


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    language: str
    order: int
    steps: tuple[Step, ...]
    summary: str = ""
    source: str = ""

    def setup_at(self, index: int) -> dict:
        """The setup in force at step ``index``: earlier steps' settings, then its own."""
        merged: dict = {}
        for number, step in enumerate(self.steps[:index + 1]):
            for key in PER_STEP:
                merged.pop(key, None)
            for key, value in step.setup.items():
                if key == "training":
                    merged["training"] = {**merged.get("training", {}), **value}
                elif number == index or key not in PER_STEP:
                    merged[key] = value
        return merged


# --- answers -------------------------------------------------------------------------------------

def fill(text: str, values: dict) -> str:
    """``text`` with each {name} replaced by the live value (unknown names left as written)."""
    return _PLACEHOLDER.sub(
        lambda m: state.show(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def expected_answer(quiz: Quiz, lesson_state: state.LessonState, values: dict):
    """The answer the core computes for this quiz from the step's state."""
    if quiz.answer == STRONGEST_KERNEL:
        return state.strongest_kernel(lesson_state, quiz.choices)
    return values[quiz.answer]


def parse_number(typed: str) -> float | None:
    """A typed answer as a number: "12", "-0.5", "61,706", "1/9", "4×4" (its first side)."""
    text = typed.strip().replace("−", "-").replace(" ", "").replace("\u202f", "")
    text = re.sub(r"(?<=\d),(?=\d{3}(\D|$))", "", text)
    text = text.split("×")[0].split("x")[0].replace(",", ".")
    try:
        if "/" in text:
            top, bottom = text.split("/", 1)
            return float(top) / float(bottom)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def is_right(quiz: Quiz, typed: str, expected) -> bool | None:
    """Whether ``typed`` answers the quiz (None: not an answer of the right kind at all)."""
    if quiz.kind == "choice":
        return typed.strip().casefold() == state.show(expected).casefold()
    number = parse_number(typed)
    if number is None:
        return None
    return math.isclose(number, float(expected), rel_tol=1e-3, abs_tol=0.006)


# --- reading -------------------------------------------------------------------------------------

def parse_lesson(text: str, source: str = "lesson.json") -> Lesson:
    """A Lesson from a file's text; LessonError naming the line of the first problem."""
    try:
        data = located_json.loads(text)
    except json.JSONDecodeError as error:
        raise LessonError(source, error.lineno, f"this is not valid JSON ({error.msg})",
                          error.colno) from None
    except (ValueError, RecursionError) as error:
        line = located_json.position(text, max(text.find("NaN"), text.find("Infinity"), 0))[0]
        raise LessonError(source, line, f"this is not valid JSON ({error})") from None
    return _Reader(source).lesson(data)


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, line: int, message: str) -> LessonError:
        return LessonError(self.source, line, message)

    def fields(self, data, allowed: tuple[str, ...], required: tuple[str, ...], what: str,
               line: int) -> Located:
        if not isinstance(data, Located):
            raise self.fail(line, f"{what} must be an object {{ … }} of fields")
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f"; {what} has the fields {', '.join(allowed)}"
                raise self.fail(data.line_of(key), f"unknown field '{key}'{hint}")
        for key in required:
            if key not in data:
                raise self.fail(data.line_of(), f"{what} needs the field '{key}'")
        return data

    def text(self, data: Located, key: str, required: bool = True) -> str:
        value = data.get(key, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(data.line_of(key), f"'{key}' must be a text in double quotes")
        return value

    def lesson(self, data) -> Lesson:
        data = self.fields(data, LESSON_FIELDS, ("id", "title", "language", "steps"),
                           "a lesson", 1)
        language = self.text(data, "language")
        if not re.fullmatch(r"[a-z]{2,3}", language):
            raise self.fail(data.line_of("language"), "'language' is a language code such "
                            "as \"en\" or \"de\"")
        order = data.get("order", 1000)
        if not isinstance(order, int) or isinstance(order, bool):
            raise self.fail(data.line_of("order"), "'order' must be a whole number (the "
                            "lesson's place in the course)")
        steps_data = data["steps"]
        if not isinstance(steps_data, list) or not steps_data:
            raise self.fail(data.line_of("steps"), "'steps' must be a list [ … ] of at least "
                            "one step")
        steps = tuple(self.step(item, data.line_of("steps")) for item in steps_data)
        lesson = Lesson(self.text(data, "id"), self.text(data, "title"), language, order,
                        steps, self.text(data, "summary", required=False), self.source)
        for index, step in enumerate(steps):
            self.check_live(lesson, index, step)
        return lesson

    def step(self, data, line: int) -> Step:
        data = self.fields(data, STEP_FIELDS, ("title", "text"), "a step", line)
        text = self.text(data, "text")
        sentences = len(_SENTENCE_END.findall(text.strip()))
        low, high = SENTENCES
        if not low <= sentences <= high:
            raise self.fail(data.line_of("text"), f"the text has {sentences} sentence(s); a "
                            f"step says {low} to {high} (split a longer one into two steps)")
        highlight = data.get("highlight")
        if highlight is not None:
            self.choice(highlight, tuple(targets.HIGHLIGHTS), "highlight",
                        data.line_of("highlight"))
        setup = self.setup(data.get("setup", Located()), data.line_of("setup"))
        quiz = self.quiz(data["quiz"], data.line_of("quiz")) if "quiz" in data else None
        return Step(self.text(data, "title"), text, setup, highlight, quiz, data.line_of())

    def choice(self, value, allowed: tuple[str, ...], name: str, line: int) -> str:
        if value not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"choose one of {', '.join(allowed)}"
            raise self.fail(line, f"'{name}' cannot be {json.dumps(value)}: {hint}")
        return value

    def setup(self, data, line: int) -> dict:
        data = self.fields(data, SETUP_FIELDS, (), "a setup", line)
        setup: dict = {}
        for key, value in data.items():
            at = data.line_of(key)
            setup[key] = self.setup_value(key, value, at)
        return setup

    def setup_value(self, key: str, value, line: int):
        choices = {"tab": targets.TABS, "operation": OPERATIONS, "padding_fill": tuple(PAD_MODES),
                   "activation": STEP_ACTIVATIONS, "mode": ("forward", "backward"),
                   "gradient": ("kernel", "input"), "model": tuple(PRESETS),
                   "panel": tuple(targets.PANELS)}
        if key in choices:
            return self.choice(value, choices[key], key, line)
        if key == "input":
            return self.grid(value, "the input", line, channels=True)
        if key == "kernel":
            if isinstance(value, str):
                return self.choice(value, tuple(k.name for k in KERNEL_BANK), "kernel", line)
            return self.grid(value, "the kernel", line, channels=True)
        if key in ("pool_size", "stride", "dilation"):
            return self.pair(value, key, line)
        if key == "padding":
            if value in ("valid", "same") or (_whole(value) and 0 <= value <= 10):
                return value
            if (isinstance(value, list) and len(value) == 2 and all(
                    isinstance(side, list) and len(side) == 2 and all(
                        _whole(v) and 0 <= v <= 10 for v in side) for side in value)):
                return value
            raise self.fail(line, "'padding' is \"valid\", \"same\", a number of cells 0 to "
                            "10, or [[top, bottom], [left, right]]")
        if key == "flip":
            if not isinstance(value, bool):
                raise self.fail(line, "'flip' is true or false")
            return value
        if key == "bias":
            if not _number(value):
                raise self.fail(line, "'bias' must be a number")
            return float(value)
        if key == "cell":
            if not (isinstance(value, list) and len(value) == 2 and all(
                    _whole(v) and v >= 0 for v in value)):
                raise self.fail(line, "'cell' is [row, column] of the walk, counted from 0")
            return tuple(value)
        if key == "lock":
            if not isinstance(value, list):
                raise self.fail(line, "'lock' is a list of settings, e.g. [\"stride\"]")
            return tuple(self.choice(v, targets.LOCKABLE, "lock", line) for v in value)
        return self.training(value, line)

    def training(self, data, line: int) -> dict:
        data = self.fields(data, TRAINING_FIELDS, (), "'training'", line)
        training = {}
        for key, value in data.items():
            at = data.line_of(key)
            if key == "optimizer":
                training[key] = self.choice(value, OPTIMIZERS, key, at)
            elif key == "arch":
                training[key] = self.choice(value, ("classic", "modern"), key, at)
            elif key == "learning_rate":
                if not _number(value) or not 1e-5 <= value <= 10_000:
                    raise self.fail(at, "'learning_rate' must be a number from 0.00001 to 10000")
                training[key] = float(value)
            else:
                low, high = (1, 2048) if key == "batch_size" else (1, 200)
                if not _whole(value) or not low <= value <= high:
                    raise self.fail(at, f"'{key}' must be a whole number from {low} to {high}")
                training[key] = value
        return training

    def pair(self, value, name: str, line: int):
        if _whole(value) and 1 <= value <= 11:
            return value
        if isinstance(value, list) and len(value) == 2 and all(
                _whole(v) and 1 <= v <= 11 for v in value):
            return tuple(value)
        raise self.fail(line, f"'{name}' must be a whole number from 1 to 11 or a pair "
                        "[height, width]")

    def grid(self, value, what: str, line: int, channels: bool):
        """A list of equally long rows of numbers (or, for colour, of [r, g, b] lists)."""
        shape_problem = (f"{what} must be a rectangular list of rows of numbers, such as "
                         "[[1, 0, -1], [1, 0, -1], [1, 0, -1]]")
        if not isinstance(value, list) or not value or not all(
                isinstance(row, list) and row for row in value):
            raise self.fail(line, shape_problem)
        try:
            array = np.array(value, dtype=np.float64)
        except (ValueError, TypeError):
            raise self.fail(line, shape_problem) from None
        if array.ndim not in ((2, 3) if channels else (2,)) or not np.isfinite(array).all():
            raise self.fail(line, shape_problem + (" (colour: [r, g, b] in each cell)"
                                                   if channels else ""))
        if max(array.shape[:2]) > MAX_GRID or (array.ndim == 3 and array.shape[2] > 4):
            raise self.fail(line, f"{what} is {array.shape[0]}×{array.shape[1]}: a lesson's "
                            f"grids are at most {MAX_GRID}×{MAX_GRID} with up to 4 channels")
        return array.tolist()

    def quiz(self, data, line: int) -> Quiz:
        data = self.fields(data, QUIZ_FIELDS, ("ask", "kind", "answer", "why"), "a quiz", line)
        kind = self.choice(data["kind"], ("number", "choice"), "kind", data.line_of("kind"))
        choices = ()
        if kind == "choice":
            raw = data.get("choices")
            if not (isinstance(raw, list) and len(raw) >= 2 and all(
                    isinstance(c, str) and c.strip() for c in raw)):
                raise self.fail(data.line_of("choices") if "choices" in data else data.line_of(),
                                "a choice quiz needs 'choices': a list of at least two texts")
            choices = tuple(raw)
        elif "choices" in data:
            raise self.fail(data.line_of("choices"), "'choices' belong to a choice quiz "
                            "(\"kind\": \"choice\")")
        return Quiz(self.text(data, "ask"), kind, self.text(data, "answer"),
                    self.text(data, "why"), choices)

    def check_live(self, lesson: Lesson, index: int, step: Step) -> None:
        """Build the step's state as the app will, and check every name it quotes."""
        setup = lesson.setup_at(index)
        try:
            live = state.state_from_setup(setup)
        except (ValueError, KeyError) as error:
            message = str(error.args[0]) if error.args else str(error)
            raise self.fail(step.line, f"step {index + 1} cannot be set up: {message}") from None
        values = state.quantities(live)
        texts = [step.text] + ([step.quiz.ask, step.quiz.why] if step.quiz else [])
        for text in texts:
            for name in _PLACEHOLDER.findall(text):
                if name not in values:
                    close = difflib.get_close_matches(name, list(values), n=1)
                    hint = f"did you mean {{{close[0]}}}?" if close else \
                        "this step's setup gives no such number"
                    raise self.fail(step.line, f"step {index + 1} quotes {{{name}}}: {hint}")
        if step.quiz is None:
            return
        quiz = step.quiz
        if quiz.answer == STRONGEST_KERNEL:
            if quiz.kind != "choice" or live.stepper is None or not set(quiz.choices) <= set(
                    state.KERNEL_NAMES):
                raise self.fail(step.line, "a 'strongest_kernel' answer needs a choice quiz "
                                "of kernel names on the Stepper tab")
            return
        if quiz.answer not in values:
            close = difflib.get_close_matches(quiz.answer, list(values), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "this step gives no such number"
            raise self.fail(step.line, f"the quiz's answer '{quiz.answer}' is unknown: {hint}")
        expected = values[quiz.answer]
        if quiz.kind == "number" and isinstance(expected, str):
            raise self.fail(step.line, f"'{quiz.answer}' is a text ({expected}), not a number: "
                            "make the quiz a choice")
        if quiz.kind == "choice" and state.show(expected) not in quiz.choices:
            raise self.fail(step.line, f"the answer, {state.show(expected)}, is not among the "
                            "choices")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)

"""Finding lessons: the ones shipped in the package and a teacher's folder, in course order,
in the language asked for (English where a lesson has no translation yet)."""

from __future__ import annotations

import importlib.resources
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from convviz.core.lessons import located_json
from convviz.core.lessons.lesson import Lesson, LessonError, parse_lesson
from convviz.core.safe_files import open_regular_file

FALLBACK_LANGUAGE = "en"
MAX_LESSON_BYTES = 1_000_000


@dataclass(frozen=True)
class Catalogue:
    """The lessons that loaded, and one sentence per file that did not."""

    lessons: tuple[Lesson, ...]
    problems: tuple[str, ...]


def shipped_folder() -> Path:
    """assets/lessons inside the installed package."""
    return Path(str(importlib.resources.files("convviz.assets").joinpath("lessons")))


def read_lesson(path: Path) -> Lesson:
    """One lesson file; LessonError (naming the line) or OSError."""
    with open_regular_file(path, OSError, "a lesson file", MAX_LESSON_BYTES) as handle:
        data = handle.read(MAX_LESSON_BYTES + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise LessonError(path.name, line, "this is not UTF-8 text") from None
    return parse_lesson(text, path.name)


def load_folder(folder: Path) -> Catalogue:
    """Every *.json lesson in ``folder`` and its sub-folders; a bad file is a sentence in
    ``problems`` and the others still load."""
    lessons, problems = [], []
    try:
        paths = sorted(Path(folder).rglob("*.json"))
    except OSError as error:
        return Catalogue((), (f"The lesson folder {folder} cannot be read: {error.strerror}.",))
    for path in paths:
        try:
            lessons.append(read_lesson(path))
        except LessonError as error:
            problems.append(str(error))
        except (OSError, ValueError) as error:
            problems.append(f"{path.name} cannot be read: {error}")
    return Catalogue(tuple(lessons), tuple(problems))


def in_language(lessons: tuple[Lesson, ...], language: str) -> tuple[Lesson, ...]:
    """One lesson per id, in ``language`` where there is one, else English (else any), in
    course order (then title)."""
    chosen: dict[str, Lesson] = {}
    rank = {language: 0, FALLBACK_LANGUAGE: 1}
    for lesson in lessons:
        best = chosen.get(lesson.id)
        if best is None or rank.get(lesson.language, 2) < rank.get(best.language, 2):
            chosen[lesson.id] = lesson
    return tuple(sorted(chosen.values(), key=lambda lesson: (lesson.order, lesson.title)))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so a crash
    leaves the old file or the new one, never half of either."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def append_step(path: Path, step: dict, title: str | None = None,
                language: str = FALLBACK_LANGUAGE) -> Lesson:
    """Append a recorded step (the JSON object of a step) to the lesson file at ``path``,
    making the file if it does not exist. The result is checked as any lesson is before it
    is written: LessonError (nothing written) if it would not load."""
    path = Path(path)
    if path.exists():
        read_lesson(path)  # the file as it is must be a lesson
        data = located_json.loads(path.read_text(encoding="utf-8-sig"))
    else:
        stem = path.stem
        data = {"id": stem, "title": title or stem.replace("-", " ").capitalize(),
                "language": language, "order": 1000, "steps": []}
    data["steps"] = [*data["steps"], step]
    new_text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lesson = parse_lesson(new_text, path.name)
    write_atomically(path, new_text)
    return lesson

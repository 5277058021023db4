"""Lesson GUI tests read the repository's own assets/lessons (the editable install may point
convviz.assets at another checkout)."""

import pytest
from paths import REPO_ROOT

from convviz.core.lessons import catalogue

SHIPPED_LESSONS = REPO_ROOT / "assets" / "lessons"


@pytest.fixture(autouse=True)
def shipped_lessons_of_this_checkout(monkeypatch):
    monkeypatch.setattr(catalogue, "shipped_folder", lambda: SHIPPED_LESSONS)
    return SHIPPED_LESSONS

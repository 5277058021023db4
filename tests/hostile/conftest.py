"""Fixtures of the hostile-input suite: a fake Ghostscript that records every start."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_files import install_fake_ghostscript


@pytest.fixture
def fake_ghostscript(tmp_path, monkeypatch) -> Path:
    """The file a fake `gs` first on PATH would write its arguments to (see hostile_files)."""
    return install_fake_ghostscript(tmp_path, monkeypatch)

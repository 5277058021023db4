"""Fixtures of the hostile-input suite: a fake Ghostscript that records every start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import EpsImagePlugin


@pytest.fixture
def fake_ghostscript(tmp_path, monkeypatch) -> Path:
    """A `gs` first on PATH that appends its arguments to the returned file and exits; Pillow
    forgets the Ghostscript it may have found before. No file there: gs never started."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    record = tmp_path / "gs-calls.txt"
    script = folder / "gs"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\nexit 1\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", None)
    monkeypatch.setattr(EpsImagePlugin, "gs_windows_binary", None)
    return record

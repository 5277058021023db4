"""The first start on Linux: a missing xcb library is named with its packages, exit status 1.

`ldd` is faked by a script first on PATH, so the test does not depend on what this machine
has installed; the detection parses its real output format.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO_ROOT

from convviz.gui import platform_check

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

MISSING_CURSOR = """\
\tlinux-vdso.so.1 (0x00007ffc5b1f2000)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f3c1c000000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007f3c1b000000)
\tlibxcb-cursor.so.0 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3c1a000000)
"""
ALL_FOUND = "\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x1)\n"
X11_SESSION = {"DISPLAY": ":0"}


def fake_ldd(tmp_path: Path, output: str) -> dict[str, str]:
    """An environment whose PATH starts with an `ldd` that prints output."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "output.txt").write_text(output)
    script = folder / "ldd"
    script.write_text(f"#!/bin/sh\ncat '{folder / 'output.txt'}'\n")
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_a_missing_library_is_named_with_its_packages(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", fake_ldd(tmp_path, MISSING_CURSOR)["PATH"])
    missing = platform_check.missing_xcb_libraries(X11_SESSION)
    assert missing is not None, "PySide6's xcb plugin was not found"
    assert missing.libraries == ("libxcb-cursor.so.0",)
    text = missing.message()
    assert "sudo apt install libxcb-cursor0" in text
    assert "sudo dnf install xcb-util-cursor" in text


def test_nothing_is_reported_when_every_library_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", fake_ldd(tmp_path, ALL_FOUND)["PATH"])
    assert platform_check.missing_xcb_libraries(X11_SESSION) is None


@pytest.mark.parametrize(("environ", "expected"), [
    ({"DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({}, False),
])
def test_only_sessions_that_will_use_xcb_are_checked(environ, expected):
    assert platform_check.uses_xcb(environ) is expected


def test_the_app_exits_with_1_and_says_what_to_install(tmp_path):
    """`python -m convviz` with a faked missing library stops before Qt and explains."""
    environ = {key: value for key, value in os.environ.items()
               if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    environ.update(fake_ldd(tmp_path, MISSING_CURSOR), DISPLAY=":99",
                   PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run([sys.executable, "-m", "convviz"], capture_output=True, text=True,
                            env=environ, timeout=120, check=False)
    assert result.returncode == 1, result.stderr
    assert "libxcb-cursor0" in result.stderr and "xcb-util-cursor" in result.stderr

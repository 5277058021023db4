"""Before Qt starts on Linux: can its xcb (X11) plugin load? If not, say what to install.

Qt aborts with "could not load the Qt platform plugin xcb" when a system library the plugin
links against is missing (libxcb-cursor0 on a fresh Ubuntu, typically), with a hint only a Qt
developer understands. This module asks `ldd` which shared libraries of the plugin cannot be
found and names the Debian/Ubuntu and Fedora packages that provide them. It imports no Qt (it
finds the plugin through PySide6's package folder), so it can run before Qt is loaded.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGES = {
    # library: (Debian/Ubuntu package, Fedora package)
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


@dataclass(frozen=True)
class MissingLibraries:
    """The plugin's shared libraries that the system cannot find."""

    plugin: Path
    libraries: tuple[str, ...]

    def message(self) -> str:
        """What a person reads: the packages to install on Debian/Ubuntu and on Fedora, in
        the current language (QtCore only: no platform plugin is loaded for it)."""
        from PySide6.QtCore import QCoreApplication

        debian = sorted({PACKAGES.get(name, (name, name))[0] for name in self.libraries})
        fedora = sorted({PACKAGES.get(name, (name, name))[1] for name in self.libraries})
        return QCoreApplication.translate(
            "MissingLibraries",
            "convviz cannot open a window: Qt's X11 (xcb) plugin needs system libraries that are "
            "not installed ({0}).\nInstall them and start convviz again:\n"
            "  Debian/Ubuntu:  sudo apt install {1}\n"
            "  Fedora:         sudo dnf install {2}").format(
                ", ".join(self.libraries), " ".join(debian), " ".join(fedora))


def xcb_plugin() -> Path | None:
    """PySide6's libqxcb.so, found without importing Qt (None if it is not there)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def unresolved_libraries(library: Path) -> tuple[str, ...]:
    """The shared libraries `ldd` reports as "not found" for library, each once, in order."""
    try:
        result = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                                timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(dict.fromkeys(_NOT_FOUND.findall(result.stdout)))


def uses_xcb(environ: dict[str, str]) -> bool:
    """Whether Qt will pick the xcb plugin: asked for by name, or an X11 session by default."""
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(":")[0].split(";")[0] == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def missing_xcb_libraries(environ: dict[str, str] | None = None) -> MissingLibraries | None:
    """On Linux with the xcb plugin about to be used, the libraries it lacks (else None)."""
    environ = dict(os.environ) if environ is None else environ
    if not sys.platform.startswith("linux") or not uses_xcb(environ) or not shutil.which("ldd"):
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None
    missing = unresolved_libraries(plugin)
    return MissingLibraries(plugin, missing) if missing else None

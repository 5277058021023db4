"""GUI tests run without a display: the offscreen Qt platform, set before any QApplication."""

import ctypes
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Signal  # noqa: E402 (after the platform is chosen)


def _guard_against_emit_refcount_bug() -> None:
    """PySide6 6.12.0 on Python 3.11: every ``SignalInstance.emit()`` drops one reference to
    True (it returns True without a new reference), so after ~2,000 emits Python aborts with
    "bool_dealloc: deallocating True or False". From 3.12 on True is immortal and nothing
    happens. If the bug shows, give True enough references to never reach zero.
    """
    if sys.version_info >= (3, 12):
        return

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    probe.fired.emit()
    if sys.getrefcount(True) < before:
        ctypes.c_ssize_t.from_address(id(True)).value += 1 << 40


_guard_against_emit_refcount_bug()

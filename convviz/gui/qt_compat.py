"""Work around PySide6 6.12.0 on Python 3.11: it returns None and True without a reference.

Every call of a method returning None (processEvents, update, setText, each QPainter.draw...)
takes one reference away from None, and every ``SignalInstance.emit()`` one from True. After a
few thousand calls (a minute of drawing) a count reaches zero and Python aborts with
"deallocating None" or "deallocating True or False". From Python 3.12 on these objects are
immortal and the bug is harmless. On an affected build this gives them the same immortality:
a reference count no run can use up. Drop it once pyproject.toml excludes PySide6 6.12.0 on
Python < 3.12 (6.11.3 does not have the bug).
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL_REFERENCES = 1 << 40
_protected = False


def _leaks_references() -> bool:
    """Whether a void call or a signal emission takes a reference it does not own."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(4):
        probe.setObjectName("")
        probe.fired.emit()
    return sys.getrefcount(None) < none_before or sys.getrefcount(True) < true_before


def protect_singletons() -> bool:
    """Apply the workaround once if this PySide6 has the bug; True if it is in effect."""
    global _protected
    if _protected or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _protected
    if not _leaks_references():
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += IMMORTAL_REFERENCES
    _protected = True
    return True

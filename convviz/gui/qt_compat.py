"""Work around PySide6 6.12.0 on Python 3.11: its methods returning None do not own that None.

Every such call (processEvents, update, setText, each QPainter.draw...) then takes one reference
away from None; after a few tens of thousands of calls, a minute of drawing, the count reaches
zero and Python aborts with "deallocating None". From Python 3.12 on, None, True and False are
immortal and the bug is harmless. On an affected build this gives them the same immortality: a
reference count no run can use up. Drop it once pyproject.toml excludes PySide6 6.12.0 on
Python < 3.12 (6.11.3 does not have the bug).
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL_REFERENCES = 1 << 40
_protected = False


def protect_singletons() -> bool:
    """Apply the workaround once if this PySide6 leaks references to None; True if applied."""
    global _protected
    if _protected or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _protected
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(4):
        probe.setObjectName("")
    if sys.getrefcount(None) >= before:
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += IMMORTAL_REFERENCES
    _protected = True
    return True

"""The Qt binding the app runs on keeps Python's reference counts right.

PySide6 6.12.0 on Python < 3.12 took a reference to None on every void call and to True on
every emit; after a minute of drawing the app aborted ("deallocating None"). pyproject.toml
excludes that release; this fails if such a binding is installed anyway.
"""

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flagged = Signal(bool)


@pytest.mark.skipif(sys.version_info >= (3, 12),
                    reason="None and True are immortal from Python 3.12: their counts never move")
def test_void_calls_and_emits_keep_reference_counts(qtbot):
    emitter = _Emitter()
    received = []
    emitter.flagged.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(1000):
        emitter.setObjectName("")
        emitter.flagged.emit(True)
    assert len(received) == 1000
    assert sys.getrefcount(None) - none_before > -100
    assert sys.getrefcount(True) - true_before > -100

"""The installed PySide6 must not leak references to None.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every Qt call
that returns nothing; after a few thousand calls (a few seconds of painting)
the interpreter aborts with "none_dealloc". pyproject.toml keeps it out; this
test fails loudly if a build with that bug is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_calls_keep_none_alive() -> None:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(50):
        probe.setObjectName("probe")
    assert sys.getrefcount(None) >= before

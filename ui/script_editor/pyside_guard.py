"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

Every call to a PySide6 method that returns nothing (``painter.save()``,
``label.setText(...)``, ``widget.update()``...) gives Python back ``None``
without taking the reference the caller then drops. Python 3.12 made
``None`` immortal, so there it is harmless; on Python 3.11 each call takes
one reference away from ``None`` and after a few thousand calls the
interpreter aborts with "Fatal Python error: none_dealloc: deallocating
None". A table that paints its cells in Python makes that many calls in a
few seconds of scrolling.

``keep_none_alive`` gives ``None`` so many references (2**62) that no
session can use them up, which is what Python 3.12 does by design. It is
idempotent and does nothing on Python 3.12 and later.
"""

from __future__ import annotations

import ctypes
import sys

_PLENTY = 2**62


def leaks_none_references() -> bool:
    """Whether this PySide6 drops a reference to ``None`` on every void call."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


def keep_none_alive() -> None:
    if sys.version_info >= (3, 12):
        return
    # True and False too: some Python overrides of Qt's virtual methods that return a bool
    # (QWizardPage.isComplete, called on every completeChanged) lose one reference to the
    # bool they return, in the same way.
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _PLENTY:
            count.value += _PLENTY

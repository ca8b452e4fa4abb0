"""Which scripts are being called in this program right now.

The script editor asks ``is_run_active(script_id)`` (or listens to
``active_runs().changed``) to lock editing while a show is called: design
data is immutable during a run.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal

__all__ = ["ActiveRuns", "active_runs", "is_run_active"]


class ActiveRuns(QObject):
    """The scripts with a run in progress; ``changed(script_id, active)`` on every change."""

    changed = Signal(object, bool)

    def __init__(self) -> None:
        super().__init__()
        self._scripts: dict[uuid.UUID, int] = {}

    def set_active(self, script_id: uuid.UUID, active: bool) -> None:
        count = self._scripts.get(script_id, 0) + (1 if active else -1)
        was = script_id in self._scripts
        if count > 0:
            self._scripts[script_id] = count
        else:
            self._scripts.pop(script_id, None)
        if was != (script_id in self._scripts):
            self.changed.emit(script_id, script_id in self._scripts)

    def is_active(self, script_id: uuid.UUID) -> bool:
        return script_id in self._scripts

    def scripts(self) -> frozenset[uuid.UUID]:
        return frozenset(self._scripts)


_registry: ActiveRuns | None = None


def active_runs() -> ActiveRuns:
    global _registry
    if _registry is None:
        _registry = ActiveRuns()
    return _registry


def is_run_active(script_id: uuid.UUID) -> bool:
    """True while a calling screen of this program is calling the script."""
    return active_runs().is_active(script_id)

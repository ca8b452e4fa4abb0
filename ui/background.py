"""Long operations off the window's thread, with a busy indicator.

``TaskRunner.run(label, work, done)`` runs ``work()`` in a ``QThreadPool``
worker and calls ``done(result)`` back on the window's thread; a
``CallMasterError`` goes to ``failed(message)`` instead. ``work`` opens its
own unit of work (every service does), so no session ever crosses threads.
While something runs, the runner says so (``busyChanged``, ``label``) and the
window stays responsive.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from callmaster_desktop.errors import CallMasterError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the window's thread; the worker emits, the slots run here."""

    succeeded = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except CallMasterError as exc:
            self._relay.failed.emit(str(exc))
        except Exception as exc:  # an unexpected error still reaches the window in words
            log.error("Background task failed:\n%s", traceback.format_exc())
            self._relay.failed.emit(
                f"Something went wrong inside CallMaster; nothing was lost. ({exc})"
            )
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs one long operation at a time and says what it is doing."""

    busyChanged = Signal(bool)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one at a time: the database writes in order
        self.label = ""
        self._running = 0
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(
        self,
        label: str,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``work`` in the background; ``done(result)`` or ``failed(message)`` afterwards."""
        relay = _Relay(self)
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            self._running -= 1
            if not self._running:
                self.label = ""
                self.busyChanged.emit(False)

        def on_success(result: Any) -> None:
            finish()
            if done is not None:
                done(result)

        def on_failure(message: str) -> None:
            finish()
            (failed or self.failed.emit)(message)

        relay.succeeded.connect(on_success)
        relay.failed.connect(on_failure)
        self._running += 1
        self.label = label
        self.busyChanged.emit(True)
        self.pool.start(_Job(work, relay))

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the pool is idle (for closing the window)."""
        return bool(self.pool.waitForDone(msecs))

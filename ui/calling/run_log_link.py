"""The calling screen's end of the run log: a writer thread, heard through queued signals.

``RunLogLink`` starts the ``BackgroundRecorder`` of a run (its own thread,
its own sessions, strict order) and turns what that thread says into
signals of this thread: ``behind(message)`` when a write failed (the events
wait and the writer tries again by itself), ``caughtUp()`` once it wrote
them. ``flush`` and ``close`` wait for the writer (the end of a run, closing
the screen); what it could not write is counted, never silently dropped.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Qt, Signal, Slot

from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.runlog import RunLogBehindError
from callmaster_desktop.calling.writer import DEFAULT_RETRY_S, BackgroundRecorder
from callmaster_desktop.db.engine import Database

__all__ = ["RunLogLink"]


class RunLogLink(QObject):
    """One run's writer thread, as the screen's thread hears it."""

    behind = Signal(str)  # a write failed: the run log is behind (plain words)
    caughtUp = Signal()  # everything queued is written again
    # Emitted on the writer thread; delivered here through queued connections.
    _writerBehind = Signal(str)
    _writerCaughtUp = Signal()

    def __init__(
        self, db: Database, *, retry_s: float = DEFAULT_RETRY_S, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.retry_s = retry_s
        self.recorder: BackgroundRecorder | None = None
        self.problem = ""  # why the run log is behind, while it is
        queued = Qt.ConnectionType.QueuedConnection
        self._writerBehind.connect(self.fell_behind, queued)
        self._writerCaughtUp.connect(self.caught_up, queued)

    def start(self, run_id: uuid.UUID, engine: CallingEngine) -> BackgroundRecorder:
        """Record ``engine``'s events into the run ``run_id`` from now on."""
        if self.recorder is not None:
            self.recorder.close()
        self.recorder = BackgroundRecorder(
            self.db,
            run_id,
            on_behind=self._writerBehind.emit,
            on_caught_up=self._writerCaughtUp.emit,
            retry_s=self.retry_s,
        )
        self.recorder.attach(engine)
        return self.recorder

    @Slot(str)
    def fell_behind(self, message: str) -> None:
        self.problem = message
        self.behind.emit(message)

    @Slot()
    def caught_up(self) -> None:
        self.problem = ""
        self.caughtUp.emit()

    def unwritten(self) -> int:
        """Events not in the database yet (queued, or waiting after a failed write)."""
        return 0 if self.recorder is None else self.recorder.waiting

    def flush(self, timeout_s: float) -> bool:
        """Wait until everything queued is written; False (and ``behind``) if it is not."""
        if self.recorder is None:
            return True
        try:
            self.recorder.flush(timeout_s)
        except RunLogBehindError as exc:
            self.fell_behind(str(exc))
            return False
        if self.problem:
            self.caught_up()
        return True

    def close(self, timeout_s: float) -> int:
        """Write what is queued (up to ``timeout_s``) and stop the thread; events left over."""
        if self.recorder is None:
            return 0
        return self.recorder.close(timeout_s)

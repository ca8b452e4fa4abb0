"""The run log written on a thread of its own, so a slow disk never holds up a GO.

``BackgroundRecorder`` is a ``RunRecorder`` whose ``record`` only queues the
events and returns at once; one writer thread takes everything queued,
writes it in one unit of work (its own session, ``runlog.write_events``),
and starts again. Strict order: there is one thread, the queue is first in,
first out, and a batch that failed stays at the head, so nothing is written
before what came earlier.

When a write fails the show goes on: ``on_behind(message)`` is called (from
the writer thread), the events stay queued and the thread tries again after
``retry_s``, or at once when new events come or ``flush`` asks; once a write
succeeds again ``on_caught_up()`` is called. ``on_written(count)`` follows
every successful batch.

``flush`` waits until everything queued is written (or raises
``RunLogBehindError``); ``close`` flushes and stops the thread. What a crash
can lose is only what was queued and not yet committed: normally the events
of the last few milliseconds (one write).
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence

from callmaster_desktop.calling.events import Event
from callmaster_desktop.calling.runlog import RunLogBehindError, RunRecorder, write_events
from callmaster_desktop.db.engine import Database

__all__ = ["DEFAULT_RETRY_S", "BackgroundRecorder"]

DEFAULT_RETRY_S = 2.0
DEFAULT_FLUSH_S = 10.0


def _ignore(*_args: object) -> None:
    return None


class BackgroundRecorder(RunRecorder):
    """Writes a run's events in order, on one writer thread of its own."""

    def __init__(
        self,
        db: Database,
        run_id: uuid.UUID,
        *,
        on_behind: Callable[[str], None] = _ignore,
        on_caught_up: Callable[[], None] = _ignore,
        on_written: Callable[[int], None] = _ignore,
        retry_s: float = DEFAULT_RETRY_S,
    ) -> None:
        super().__init__(db, run_id)
        self.on_behind = on_behind
        self.on_caught_up = on_caught_up
        self.on_written = on_written
        self.retry_s = retry_s
        self._cond = threading.Condition()
        self._queue: list[Event] = []  # not written yet; a failed batch stays at the head
        self._writing = 0  # events of the batch being written now
        self._problem: str | None = None  # why the last write failed, until one succeeds
        self._attempts = 0  # writes finished, successful or not
        self._hurry = False  # write again now, without waiting for the retry
        self._closing = False
        self.written = 0  # events written so far
        # Per batch, from the first event queued to the commit: what a crash could lose.
        self.lags_ms: deque[float] = deque(maxlen=10_000)
        self._queued_at: list[float] = []
        self._thread = threading.Thread(
            target=self._run, name=f"run log {str(run_id)[:8]}", daemon=True
        )
        self._thread.start()

    # --- what the calling screen does --------------------------------------------------------

    @property
    def waiting(self) -> int:
        """Events queued or being written, not committed yet."""
        with self._cond:
            return len(self._queue)

    @property
    def problem(self) -> str | None:
        """Why the run log is behind, while it is."""
        with self._cond:
            return self._problem

    @property
    def is_running(self) -> bool:
        return self._thread.is_alive()

    def record(self, events: Sequence[Event]) -> None:
        """Queue these events for the writer thread; returns at once."""
        if not events:
            return
        with self._cond:
            if self._closing:
                raise RunLogBehindError("The run log has been closed: nothing more is written.")
            self._queue.extend(events)
            self._queued_at.extend([time.monotonic()] * len(events))
            self._hurry = True
            self._cond.notify_all()

    def flush(self, timeout: float = DEFAULT_FLUSH_S) -> None:
        """Wait until every queued event is written; a failed write raises at once."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if not self._queue:
                return
            started = self._attempts
            self._hurry = True
            self._cond.notify_all()
            while self._queue:
                if self._problem is not None and self._attempts > started:
                    raise RunLogBehindError(self._problem)
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    raise RunLogBehindError(
                        f"The show goes on, but the run log is behind: {len(self._queue)} "
                        "event(s) are not written yet."
                    )
                self._cond.wait(left)

    def close(self, timeout: float = DEFAULT_FLUSH_S) -> int:
        """Write what is queued (up to ``timeout``), then stop; returns the events left over."""
        with contextlib.suppress(RunLogBehindError):
            self.flush(timeout)
        with self._cond:
            self._closing = True
            self._cond.notify_all()
            left = len(self._queue)
        self._thread.join(timeout=max(0.1, timeout))
        return left

    # --- the writer thread --------------------------------------------------------------------

    def _next_batch(self) -> list[Event] | None:
        """Wait for events (or the retry after a failure); None when closing."""
        with self._cond:
            while True:
                if self._closing:
                    return None
                if self._queue and (self._problem is None or self._hurry):
                    break
                if self._queue:  # behind: try again after a while, or when hurried
                    self._cond.wait(self.retry_s)
                    if not self._closing and self._queue:
                        break
                    continue
                self._cond.wait()
            self._hurry = False
            batch = list(self._queue)
            self._writing = len(batch)
            return batch

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            problem: str | None = None
            try:
                write_events(self.db, self.run_id, batch)
            except RunLogBehindError as exc:
                problem = str(exc)
            except Exception as exc:  # never let the thread die with events queued
                problem = f"The show goes on, but the run log could not be written ({exc})."
            with self._cond:
                self._writing = 0
                self._attempts += 1
                was_behind = self._problem is not None
                if problem is None:
                    del self._queue[: len(batch)]
                    queued = self._queued_at[: len(batch)]
                    del self._queued_at[: len(batch)]
                    self.written += len(batch)
                    if queued:
                        self.lags_ms.append((time.monotonic() - queued[0]) * 1000)
                self._problem = problem
                self._cond.notify_all()
            if problem is not None:
                self.on_behind(problem)
                continue
            self.on_written(len(batch))
            if was_behind:
                self.on_caught_up()

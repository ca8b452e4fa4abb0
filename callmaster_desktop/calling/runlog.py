"""The run log: a run written to the database as it happens, and taken up again.

``RunRecorder`` writes every event of the engine in its own small unit of
work at the moment it happens (a GO's cues, a hold, a note...), so a crash in
the middle of a show loses nothing already called. If a write fails, the
events wait and go with the next write; the error says so in plain words.
(``writer.BackgroundRecorder``, what the calling screen uses, does the same
on a thread of its own.)

What each row holds:

- ``runs``: the status; ``scheduled_start`` (the countdown's target);
  ``started_at`` (curtain up: the real one, or while counting down the
  projected one, which each hold before curtain up moves later);
  ``ended_at``; ``total_hold_ms``; ``notes``, the run's general notes;
- ``run_holds``: when, where the show clock stood, the reason (a safety stop's
  reason starts with "Safety stop"), and the length once it has ended;
- ``cue_calls``: per cue called or skipped, its label and planned offset as
  they were, the show clock when called, and when;
- ``run_notes``: the caller's notes, each with the show clock (None before
  the start), the time of day, and the cue it is about (element and label).


``find_unfinished_run`` and ``continue_run`` (``restore_engine`` without the
recorder) are what reopening after a crash offers: the engine is rebuilt
from these rows, its pointer after the last cue called, its show clock
counting the time away as running time, its notes with their times.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update

from callmaster_desktop.calling.clock import Clock, RealClock, ms_between
from callmaster_desktop.calling.engine import DEFAULT_MIN_GO_INTERVAL_MS, CallingEngine
from callmaster_desktop.calling.events import (
    CueCalled,
    CueSkipped,
    CurtainUp,
    Event,
    HoldEnded,
    HoldStarted,
    NoteAdded,
    RunEnded,
    RunSnapshot,
    RunStarted,
)
from callmaster_desktop.calling.plan import CallableCue, CallPlan
from callmaster_desktop.calling.records import (
    UNFINISHED,
    RecordedNote,
    RunLog,
    load_call_plan,
    owned_run,
    read_run,
)
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import CueCall, Run, RunHold, RunNote, Script, Show
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.errors import CallMasterError, DatabaseError, NotFoundError, ValidationError

__all__ = [
    "RunLogBehindError",
    "RunRecorder",
    "begin_run",
    "close_run",
    "continue_run",
    "restore_engine",
    "snapshot_of",
    "start_recorded_run",
    "write_events",
]

LABEL_LENGTH = 40


class RunLogBehindError(DatabaseError):
    """The show went on, but the run log could not be written yet."""


# --- writing ------------------------------------------------------------------------------


def begin_run(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    *,
    kind: RunKind = RunKind.PERFORMANCE,
    caller_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A new run of a script, ready to start. Refused while another one is unfinished."""
    with db.unit_of_work() as s:
        found = s.execute(
            select(Script, Show)
            .join(Show, Show.id == Script.show_id)
            .where(Script.id == script_id, Show.owner_id == owner_id)
        ).one_or_none()
        if found is None:
            raise NotFoundError("That script is not there: it may have been deleted.")
        script, show = found
        busy = s.scalar(
            select(func.count()).where(Run.script_id == script_id, Run.status.in_(UNFINISHED))
        )
        if busy:
            raise ValidationError(
                f'"{script.name}" has a run that was never ended: continue it or close it first.'
            )
        run = Run(
            show_id=show.id,
            script_id=script.id,
            kind=kind,
            status=RunStatus.READY,
            caller_id=caller_id if caller_id is not None else owner_id,
            scheduled_start=script.start_time,
            total_hold_ms=0,
        )
        s.add(run)
        s.flush()
        return run.id


class RunRecorder:
    """Writes a run's events to the database as they happen."""

    def __init__(self, db: Database, run_id: uuid.UUID) -> None:
        self.db = db
        self.run_id = run_id
        self._waiting: list[Event] = []

    @property
    def waiting(self) -> int:
        """Events not written yet because the last write failed."""
        return len(self._waiting)

    def attach(self, engine: CallingEngine) -> None:
        engine.subscribe(self.record)

    def record(self, events: Sequence[Event]) -> None:
        """Write these events (and any still waiting) in one unit of work."""
        self._waiting.extend(events)
        self.flush()

    def flush(self) -> None:
        if not self._waiting:
            return
        batch = list(self._waiting)
        write_events(self.db, self.run_id, batch)
        del self._waiting[: len(batch)]


def write_events(db: Database, run_id: uuid.UUID, batch: Sequence[Event]) -> None:
    """Write a batch of a run's events in one unit of work: all of them, or none.

    A handful of set-based statements whatever the batch holds: the run's
    row once (its latest status and times), then the new holds, the holds
    that ended, the cues called or skipped and the notes, each in one
    statement.
    """
    rows = _rows_of(run_id, batch)
    try:
        with db.unit_of_work() as s:
            if rows.run:
                found = s.execute(update(Run).where(Run.id == run_id).values(**rows.run))
                missing = found.rowcount == 0  # type: ignore[attr-defined]
            else:
                missing = s.scalar(select(Run.id).where(Run.id == run_id)) is None
            if missing:
                raise NotFoundError("The run being called was deleted from the database.")
            if rows.holds:
                s.execute(insert(RunHold), rows.holds)
            for hold_id, length in rows.hold_lengths.items():
                s.execute(update(RunHold).where(RunHold.id == hold_id).values(length_ms=length))
            if rows.calls:
                s.execute(insert(CueCall), rows.calls)
            if rows.notes:
                s.execute(insert(RunNote), rows.notes)
    except Exception as exc:  # the show goes on: the caller keeps the events for later
        reason = str(exc) if isinstance(exc, CallMasterError) else "the database failed"
        raise RunLogBehindError(
            f"The show goes on, but the run log could not be written ({reason}). "
            f"{len(batch)} event(s) are kept and will be written as soon as the database "
            "takes them: nothing called is lost while the program runs."
        ) from exc


@dataclass
class _Rows:
    """What a batch of events writes: the run's new values and the rows to insert."""

    run: dict[str, Any] = field(default_factory=dict)
    holds: list[dict[str, Any]] = field(default_factory=list)
    hold_lengths: dict[uuid.UUID, int] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def _rows_of(run_id: uuid.UUID, batch: Sequence[Event]) -> _Rows:
    rows = _Rows()
    run = rows.run
    for event in batch:  # in order: a later value of the run wins
        if isinstance(event, CueCalled | CueSkipped):
            called = isinstance(event, CueCalled)
            rows.calls.append(
                {
                    "run_id": run_id,
                    "element_id": event.cue.element_id,
                    "cue_label": event.cue.label[:LABEL_LENGTH],
                    "planned_offset_ms": event.cue.offset_ms,
                    "actual_offset_ms": event.show_ms if called else None,
                    "called_at": event.at,
                    "outcome": CallOutcome.CALLED if called else CallOutcome.SKIPPED,
                    "note": None,
                }
            )
        elif isinstance(event, HoldStarted):
            rows.holds.append(
                {
                    "id": event.hold_id,
                    "run_id": run_id,
                    "started_at": event.at,
                    "show_offset_ms": event.show_ms,
                    "length_ms": None,
                    "reason": event.reason,
                }
            )
            run["status"] = event.status
        elif isinstance(event, HoldEnded):
            rows.hold_lengths[event.hold_id] = event.length_ms
            run["total_hold_ms"] = event.total_hold_ms
            if event.curtain_up_at is not None:
                run["started_at"] = event.curtain_up_at
            run["status"] = event.status
        elif isinstance(event, RunStarted):
            run["started_at"] = event.curtain_up_at
            if event.scheduled_start is not None:
                run["scheduled_start"] = event.scheduled_start
            run["status"] = event.status
        elif isinstance(event, CurtainUp):
            run["started_at"] = event.at
            run["status"] = event.status
        elif isinstance(event, NoteAdded):
            cue = event.cue
            rows.notes.append(
                {
                    "run_id": run_id,
                    "element_id": cue.element_id if cue is not None else None,
                    "cue_label": cue.label[:LABEL_LENGTH] if cue is not None else None,
                    "show_offset_ms": event.show_ms,
                    "noted_at": event.at or RealClock().now(),
                    "text": event.text,
                }
            )
        else:
            assert isinstance(event, RunEnded)
            run["ended_at"] = event.at
            run["status"] = event.status
    return rows


# --- taking a run up again ------------------------------------------------------------------


def snapshot_of(log: RunLog, plan: CallPlan) -> RunSnapshot:
    """The engine's view of a run log, against the script's current cues."""
    cue_of = {c.element_id: c for c in plan.cues}
    history: list[CueCalled | CueSkipped] = []
    for call in log.calls:  # in the order they happened
        cue = cue_of.get(call.element_id) if call.element_id is not None else None
        if cue is None or call.called_at is None:
            continue
        if call.outcome is CallOutcome.CALLED and call.actual_ms is not None:
            history.append(CueCalled(cue, call.actual_ms, call.called_at))
        else:
            history.append(CueSkipped(cue, None, call.called_at))
    notes = [NoteAdded(n.noted_at, n.show_ms, n.text, _note_cue(n, plan)) for n in log.notes]
    return RunSnapshot(log.status, log.started_at, log.holds, history, notes)


def _note_cue(note: RecordedNote, plan: CallPlan) -> CallableCue | None:
    if note.element_id is not None and plan.is_cue(note.element_id):
        index = plan.cue_index_for(note.element_id)
        if index is not None:
            return plan.cues[index]
    return plan.cue_by_label(note.label) if note.label else None


def restore_engine(
    db: Database,
    owner_id: uuid.UUID,
    run_id: uuid.UUID,
    clock: Clock,
    *,
    min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS,
) -> CallingEngine:
    """The engine of an unfinished run, rebuilt from its log (nothing records it yet)."""
    log = read_run(db, owner_id, run_id)
    if log.status not in UNFINISHED:
        raise ValidationError("That run has ended: it cannot be continued.")
    plan = load_call_plan(db, owner_id, log.script_id)
    return CallingEngine.restore(
        plan, clock, snapshot_of(log, plan), min_go_interval_ms=min_go_interval_ms
    )


def continue_run(
    db: Database,
    owner_id: uuid.UUID,
    run_id: uuid.UUID,
    clock: Clock,
    *,
    min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS,
) -> tuple[CallingEngine, RunRecorder]:
    """Take an unfinished run up again: its engine, recording from where it stopped."""
    engine = restore_engine(db, owner_id, run_id, clock, min_go_interval_ms=min_go_interval_ms)
    recorder = RunRecorder(db, run_id)
    recorder.attach(engine)
    return engine, recorder


def start_recorded_run(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    clock: Clock,
    *,
    kind: RunKind = RunKind.PERFORMANCE,
    min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS,
) -> tuple[CallingEngine, RunRecorder]:
    """A new run of a script: its engine (ready to start) with a recorder attached."""
    plan = load_call_plan(db, owner_id, script_id)
    engine = CallingEngine(plan, clock, min_go_interval_ms=min_go_interval_ms)
    recorder = RunRecorder(db, begin_run(db, owner_id, script_id, kind=kind))
    recorder.attach(engine)
    return engine, recorder


def close_run(
    db: Database, owner_id: uuid.UUID, run_id: uuid.UUID, clock: Clock | None = None
) -> None:
    """Decline to continue an unfinished run: it is marked abandoned, an open hold ended."""
    now = (clock or RealClock()).now()
    with db.unit_of_work() as s:
        run, _ = owned_run(s, owner_id, run_id)
        if run.status not in UNFINISHED:
            raise ValidationError("That run has already ended.")
        for hold in s.scalars(
            select(RunHold).where(RunHold.run_id == run_id, RunHold.length_ms.is_(None))
        ):
            hold.length_ms = max(0, ms_between(hold.started_at, now))
            run.total_hold_ms += hold.length_ms
        run.status = RunStatus.ABANDONED
        run.ended_at = now

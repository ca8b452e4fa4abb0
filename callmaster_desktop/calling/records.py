"""A run as recorded: read back from the database for the report and for resuming.

The caller's notes are rows of ``run_notes``: the show clock (None before the
start), the time of day, the cue the note is about (its element, and its
label as it was) and the text. ``runs.notes`` holds the run's general notes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callmaster_desktop.calling.engine import SAFETY_STOP
from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import CueCall, Run, RunHold, RunNote, Script, Show
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.errors import NotFoundError
from callmaster_desktop.services.scripts import load_script

__all__ = [
    "UNFINISHED",
    "RecordedCall",
    "RecordedNote",
    "RunLog",
    "UnfinishedRun",
    "find_unfinished_run",
    "load_call_plan",
    "owned_run",
    "read_run",
]

LAST_NOTES = 3  # shown when offering to continue a run
UNFINISHED = (RunStatus.READY, RunStatus.RUNNING, RunStatus.HELD, RunStatus.SAFETY_STOP)


@dataclass(frozen=True, slots=True)
class RecordedCall:
    element_id: uuid.UUID | None  # None once the cue was deleted from the script
    label: str
    planned_ms: int
    actual_ms: int | None
    called_at: datetime | None
    outcome: CallOutcome
    note: str | None


@dataclass(frozen=True, slots=True)
class RecordedNote:
    """A caller's note: when, about which cue (if any), what."""

    show_ms: int | None  # the show clock; None before the start
    label: str | None  # the cue it is about, as it was labelled then
    text: str
    noted_at: datetime | None = None  # the time of day
    element_id: uuid.UUID | None = None  # None when about the show, or the cue was deleted


@dataclass(frozen=True)
class RunLog:
    """Everything recorded about one run, read back in the order it happened."""

    run_id: uuid.UUID
    show_id: uuid.UUID
    script_id: uuid.UUID
    show_name: str
    script_name: str
    kind: RunKind
    status: RunStatus
    scheduled_start: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    total_hold_ms: int
    holds: tuple[HoldRecord, ...]
    calls: tuple[RecordedCall, ...]
    notes: tuple[RecordedNote, ...]  # in the order they were taken
    general_notes: str = ""  # the run's own notes (``runs.notes``)


@dataclass(frozen=True, slots=True)
class UnfinishedRun:
    """A run that was never ended: what to say when offering to continue it."""

    run_id: uuid.UUID
    status: RunStatus
    started_at: datetime | None
    calls_recorded: int
    notes_recorded: int = 0
    last_notes: tuple[RecordedNote, ...] = ()  # the latest few, in the order taken


# --- reading ------------------------------------------------------------------------------


def load_call_plan(db: Database, owner_id: uuid.UUID, script_id: uuid.UUID) -> CallPlan:
    """The plan of a script as it is stored now (read-only)."""
    script = load_script(db, owner_id, script_id)
    initials = {d.id: d.initials for d in script.departments.values()}
    return CallPlan.from_elements(
        script.elements, initials, script_name=script.name, planned_start=script.start_time
    )


def owned_run(session: Session, owner_id: uuid.UUID, run_id: uuid.UUID) -> tuple[Run, Show]:
    found = session.execute(
        select(Run, Show).join(Show, Show.id == Run.show_id).where(Run.id == run_id)
    ).one_or_none()
    if found is None or found[1].owner_id != owner_id:
        raise NotFoundError("That run is not there: it may have been deleted.")
    return found[0], found[1]


def read_run(db: Database, owner_id: uuid.UUID, run_id: uuid.UUID) -> RunLog:
    """The whole record of a run."""
    with db.reading() as s:
        run, show = owned_run(s, owner_id, run_id)
        script_name = s.scalar(select(Script.name).where(Script.id == run.script_id)) or ""
        holds = tuple(
            HoldRecord(
                h.id,
                h.started_at,
                h.show_offset_ms,
                h.reason or "",
                (h.reason or "").startswith(SAFETY_STOP),
                h.length_ms,
            )
            for h in s.scalars(
                select(RunHold).where(RunHold.run_id == run_id).order_by(RunHold.started_at)
            )
        )
        calls = tuple(
            RecordedCall(
                c.element_id,
                c.cue_label,
                c.planned_offset_ms,
                c.actual_offset_ms,
                c.called_at,
                c.outcome,
                c.note,
            )
            for c in s.scalars(
                select(CueCall)
                .where(CueCall.run_id == run_id)
                .order_by(CueCall.called_at, CueCall.planned_offset_ms)
            )
        )
        notes = tuple(
            RecordedNote(n.show_offset_ms, n.cue_label, n.text, n.noted_at, n.element_id)
            for n in s.scalars(
                select(RunNote)
                .where(RunNote.run_id == run_id)
                .order_by(RunNote.noted_at, RunNote.id)
            )
        )
        return RunLog(
            run.id,
            run.show_id,
            run.script_id,
            show.name,
            script_name,
            run.kind,
            run.status,
            run.scheduled_start,
            run.started_at,
            run.ended_at,
            run.total_hold_ms,
            holds,
            calls,
            notes,
            run.notes or "",
        )


def find_unfinished_run(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID
) -> UnfinishedRun | None:
    """The newest run of this script that was never ended (after a crash), if any."""
    with db.reading() as s:
        run = s.scalars(
            select(Run)
            .join(Show, Show.id == Run.show_id)
            .where(Run.script_id == script_id, Show.owner_id == owner_id)
            .where(Run.status.in_(UNFINISHED))
            .order_by(Run.created_at.desc())
            .limit(1)
        ).first()
        if run is None:
            return None
        calls = s.scalar(select(func.count()).where(CueCall.run_id == run.id)) or 0
        notes = s.scalar(select(func.count()).where(RunNote.run_id == run.id)) or 0
        latest = s.scalars(
            select(RunNote)
            .where(RunNote.run_id == run.id)
            .order_by(RunNote.noted_at.desc(), RunNote.id.desc())
            .limit(LAST_NOTES)
        ).all()
        last = tuple(
            RecordedNote(n.show_offset_ms, n.cue_label, n.text, n.noted_at, n.element_id)
            for n in reversed(latest)
        )
        return UnfinishedRun(run.id, run.status, run.started_at, calls, notes, last)

"""A run as recorded: read back from the database for the report and for resuming.

The caller's notes live in the run's ``notes`` text, one per line, as
``[0:12:03.250] text`` or ``[0:12:03.250 LX 14] text`` (``[before start]``
before the show clock ran), so they read well anywhere and survive an edit.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callmaster_desktop.calling.engine import SAFETY_STOP
from callmaster_desktop.calling.events import NoteAdded
from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import CueCall, Run, RunHold, Script, Show
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.domain.timeoffset import format_offset, parse_offset
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
    "note_line",
    "owned_run",
    "parse_notes",
    "read_run",
]

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
    show_ms: int | None
    label: str | None
    text: str


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
    notes: tuple[RecordedNote, ...]


@dataclass(frozen=True, slots=True)
class UnfinishedRun:
    """A run that was never ended: what to say when offering to continue it."""

    run_id: uuid.UUID
    status: RunStatus
    started_at: datetime | None
    calls_recorded: int


# --- notes as lines of text --------------------------------------------------------------

_NOTE_LINE = re.compile(
    r"^\[(?P<when>before start|-?[0-9]+:[0-9]{2}(?::[0-9]{2})?(?:\.[0-9]{1,3})?)"
    r"(?: (?P<label>[^\]]+))?\] (?P<text>.*)$"
)


def note_line(note: NoteAdded) -> str:
    when = "before start" if note.show_ms is None else format_offset(note.show_ms, show_ms=True)
    label = f" {note.cue.label}" if note.cue is not None else ""
    return f"[{when}{label}] {note.text}"


def parse_notes(text: str | None) -> tuple[RecordedNote, ...]:
    """The caller's notes of a run; a line in any other form is a note without a time."""
    notes: list[RecordedNote] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _NOTE_LINE.match(line)
        if match is None:
            notes.append(RecordedNote(None, None, line.strip()))
            continue
        when = match["when"]
        show_ms = None if when == "before start" else parse_offset(when)
        notes.append(RecordedNote(show_ms, match["label"], match["text"]))
    return tuple(notes)


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
            parse_notes(run.notes),
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
        count = s.scalar(select(func.count()).where(CueCall.run_id == run.id)) or 0
        return UnfinishedRun(run.id, run.status, run.started_at, count)

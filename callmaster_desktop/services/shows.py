"""Shows: create (with a first empty script), change, list and delete with all they hold.

A new show gets an empty script called "First Draft" planned from the show's
first performance to its end, in the same transaction. Deleting a show
removes its scripts, their elements and revisions, its runs (with their holds
and cue calls) and its crew assignments, in one transaction, child rows
first; ``show_deletion_summary`` counts all that beforehand so the window
can ask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, joinedload

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CueCall,
    Element,
    Run,
    RunHold,
    Script,
    ScriptRevision,
    Show,
    Venue,
)
from callmaster_desktop.domain.enums import ElementType, ScriptStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.validation import (
    aware_time,
    find_owned,
    join_words,
    optional_text,
    plural,
    required_text,
    set_fields,
    time_order,
)

SUBJECT = "The show"
MISSING = "That show is not there: it may have been deleted."
MISSING_VENUE = "That venue is not in your list of venues (it may have been deleted)."
FIRST_SCRIPT_NAME = "First Draft"


@dataclass(frozen=True)
class ShowData:
    """What the show form edits."""

    name: str
    venue_id: uuid.UUID | None = None
    first_performance: datetime | None = None
    end: datetime | None = None
    deadline: datetime | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ShowScript:
    """A script as the show list shows it."""

    id: uuid.UUID
    name: str
    status: ScriptStatus
    start_time: datetime | None
    end_time: datetime | None
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ShowListing:
    """A show with its venue's name and its scripts (oldest first)."""

    id: uuid.UUID
    data: ShowData
    venue_name: str | None
    scripts: tuple[ShowScript, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.data.name


@dataclass(frozen=True)
class ShowDeletionSummary:
    """Everything deleting a show would take with it."""

    show_id: uuid.UUID
    show_name: str
    scripts: int
    cues: int
    notes: int
    groups: int
    revisions: int
    crew_assignments: int
    runs: int

    @property
    def sentence(self) -> str:
        """``3 scripts, 642 cues, 14 crew assignments`` (parts that are zero left out)."""
        parts = [plural(self.scripts, "script")]
        for count, one, many in (
            (self.cues, "cue", None),
            (self.notes, "note", None),
            (self.groups, "group", None),
            (self.crew_assignments, "crew assignment", None),
            (self.runs, "performance or rehearsal record", "performance or rehearsal records"),
            (self.revisions, "saved revision", None),
        ):
            if count:
                parts.append(plural(count, one, many))
        return ", ".join(parts)

    @property
    def question(self) -> str:
        return f'Delete "{self.show_name}" with its {join_words(self.sentence.split(", "))}?'


def _columns(session: Session, owner_id: uuid.UUID, data: ShowData) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": required_text(SUBJECT, data.name, 200),
        "venue_id": data.venue_id,
        "first_performance": aware_time(SUBJECT, data.first_performance, field="first performance"),
        "end": aware_time(SUBJECT, data.end, field="end"),
        "deadline": aware_time(SUBJECT, data.deadline, field="deadline"),
        "notes": optional_text(SUBJECT, data.notes, None, field="notes"),
    }
    time_order(
        SUBJECT, data.first_performance, data.end, start_field="first performance", end_field="end"
    )
    if data.venue_id is not None:
        find_owned(session, Venue, data.venue_id, owner_id, MISSING_VENUE)
    return values


def _refuse_duplicate(
    session: Session, owner_id: uuid.UUID, name: str, but: uuid.UUID | None
) -> None:
    query = select(Show.id).where(Show.owner_id == owner_id, func.lower(Show.name) == name.lower())
    if but is not None:
        query = query.where(Show.id != but)
    if session.scalars(query.limit(1)).first() is not None:
        raise ValidationError(f'You already have a show called "{name}".')


def create_show(db: Database, owner_id: uuid.UUID, data: ShowData) -> Changes:
    """A new show with an empty "First Draft" script planned over its dates."""
    log = ChangeLog()
    with db.unit_of_work() as session:
        values = _columns(session, owner_id, data)
        _refuse_duplicate(session, owner_id, values["name"], None)
        show = Show(id=uuid.uuid4(), owner_id=owner_id, **values)
        script = Script(
            id=uuid.uuid4(),
            show=show,
            name=FIRST_SCRIPT_NAME,
            status=ScriptStatus.DRAFT,
            start_time=show.first_performance,
            end_time=show.end,
            version=1,
            updated_by_id=owner_id,
        )
        session.add_all([show, script])
        session.flush()
        log.created(Kind.SHOW, show.id)
        log.created(Kind.SCRIPT, script.id)
    return log.freeze()


def update_show(db: Database, owner_id: uuid.UUID, show_id: uuid.UUID, data: ShowData) -> Changes:
    """Give a show the form's values; nothing is written when nothing differs.

    The scripts keep their own planned times.
    """
    log = ChangeLog()
    with db.unit_of_work() as session:
        show = find_owned(session, Show, show_id, owner_id, MISSING)
        values = _columns(session, owner_id, data)
        _refuse_duplicate(session, owner_id, values["name"], show_id)
        if set_fields(show, values):
            log.updated(Kind.SHOW, show_id)
    return log.freeze()


def _listing(show: Show) -> ShowListing:
    data = ShowData(
        name=show.name,
        venue_id=show.venue_id,
        first_performance=show.first_performance,
        end=show.end,
        deadline=show.deadline,
        notes=show.notes,
    )
    scripts = tuple(
        ShowScript(s.id, s.name, s.status, s.start_time, s.end_time, s.version, s.updated_at)
        for s in show.scripts
    )
    venue_name = show.venue.name if show.venue is not None else None
    return ShowListing(show.id, data, venue_name, scripts, show.created_at, show.updated_at)


# The venue and the scripts are joined into the one statement that reads the shows, so
# reading them takes one statement whatever the number of shows (selectinload would
# add one per 500 shows).
_WITH_VENUE_AND_SCRIPTS = (joinedload(Show.venue), joinedload(Show.scripts))


def list_shows(db: Database, owner_id: uuid.UUID) -> list[ShowListing]:
    """My shows by name, each with its venue and scripts, read in one statement."""
    query = (
        select(Show)
        .options(*_WITH_VENUE_AND_SCRIPTS)
        .where(Show.owner_id == owner_id)
        .order_by(func.lower(Show.name), Show.id)
    )
    with db.reading() as session:
        return [_listing(show) for show in session.scalars(query).unique()]


def get_show(db: Database, owner_id: uuid.UUID, show_id: uuid.UUID) -> ShowListing:
    """One of my shows, for its form."""
    query = (
        select(Show)
        .options(*_WITH_VENUE_AND_SCRIPTS)
        .where(Show.id == show_id, Show.owner_id == owner_id)
    )
    with db.reading() as session:
        show = session.scalars(query).unique().first()
        if show is None:
            raise NotFoundError(MISSING)
        return _listing(show)


def show_deletion_summary(
    db: Database, owner_id: uuid.UUID, show_id: uuid.UUID
) -> ShowDeletionSummary:
    """What deleting the show would take with it, counted in one statement."""
    scripts = select(Script.id).where(Script.show_id == show_id)

    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    def elements(kind: ElementType) -> Any:
        return count(Element, Element.script_id.in_(scripts), Element.element_type == kind)

    query = select(
        Show.name,
        count(Script, Script.show_id == show_id),
        elements(ElementType.CUE),
        elements(ElementType.NOTE),
        elements(ElementType.GROUP),
        count(ScriptRevision, ScriptRevision.script_id.in_(scripts)),
        count(CrewAssignment, CrewAssignment.show_id == show_id),
        count(Run, or_(Run.show_id == show_id, Run.script_id.in_(scripts))),
    ).where(Show.id == show_id, Show.owner_id == owner_id)
    with db.reading() as session:
        row = session.execute(query).first()
    if row is None:
        raise NotFoundError(MISSING)
    name, *counts = row
    n_scripts, cues, notes, groups, revisions, assignments, runs = (int(c) for c in counts)
    return ShowDeletionSummary(
        show_id, name, n_scripts, cues, notes, groups, revisions, assignments, runs
    )


def delete_show(db: Database, owner_id: uuid.UUID, show_id: uuid.UUID) -> Changes:
    """Delete a show and everything that hangs off it, in one transaction.

    Child rows go first and explicitly (the foreign keys' cascades are only
    the safety net): cue calls and holds, runs, revisions, elements,
    scripts, crew assignments, then the show.
    """
    log = ChangeLog()
    scripts = select(Script.id).where(Script.show_id == show_id).scalar_subquery()
    runs = select(Run.id).where(or_(Run.show_id == show_id, Run.script_id.in_(scripts)))
    no_sync = {"synchronize_session": False}
    with db.unit_of_work() as session:
        find_owned(session, Show, show_id, owner_id, MISSING)
        session.execute(delete(CueCall).where(CueCall.run_id.in_(runs)), execution_options=no_sync)
        session.execute(delete(RunHold).where(RunHold.run_id.in_(runs)), execution_options=no_sync)
        run_ids = session.scalars(
            delete(Run)
            .where(or_(Run.show_id == show_id, Run.script_id.in_(scripts)))
            .returning(Run.id),
            execution_options=no_sync,
        ).all()
        session.execute(
            delete(ScriptRevision).where(ScriptRevision.script_id.in_(scripts)),
            execution_options=no_sync,
        )
        session.execute(
            delete(Element).where(Element.script_id.in_(scripts)), execution_options=no_sync
        )
        script_ids = session.scalars(
            delete(Script).where(Script.show_id == show_id).returning(Script.id),
            execution_options=no_sync,
        ).all()
        assignment_ids = session.scalars(
            delete(CrewAssignment)
            .where(CrewAssignment.show_id == show_id)
            .returning(CrewAssignment.id),
            execution_options=no_sync,
        ).all()
        session.execute(delete(Show).where(Show.id == show_id), execution_options=no_sync)
    log.deleted_all(Kind.RUN, run_ids)
    log.deleted_all(Kind.CREW_ASSIGNMENT, assignment_ids)
    log.deleted_all(Kind.SCRIPT, script_ids)
    log.deleted(Kind.SHOW, show_id)
    return log.freeze()

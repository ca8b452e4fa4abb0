"""Show packages: a whole show in one file, to take it to another database and back.

A package is one JSON file (or a zip holding one) with the show, its venue,
the departments and people it uses, the crew assignments, every script with
its elements and saved revisions, and the record of its runs. It is how a
stage manager takes a show from the company's PostgreSQL server to a laptop
for an offline rehearsal, and back.

Importing (``package_apply``) is one transaction, in one of three modes:

- ``NEW``: the show is not in this database yet; it comes in with the same
  ids, so it can later be updated from (or update) the database it came from;
- ``COPY``: a new, separate show (new ids; "(copy)" added to a name in use);
- ``UPDATE``: the show is here already; it takes the package's state when
  nobody changed it here since the package's state was taken from it.
  Otherwise the import is refused and every conflict is named.

"Nobody changed it here" is decided without clocks: a script is unchanged
when its latest saved revision is one of the package's revisions (the
package continues its history); the show's details, venue and crew are
unchanged when their fingerprint is one the package's history went through
(each database remembers the fingerprints of the packages it imported or
exported, in the owner's preferences). Runs are records (with their holds,
cue calls and the caller's notes): the package's new runs are added, none is
removed.

References to the exporting stage manager are written ``"owner"`` and read
as whoever imports the package.
"""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callmaster_desktop import __version__
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CrewRelationship,
    CueCall,
    Department,
    Element,
    Person,
    Run,
    RunHold,
    RunNote,
    Script,
    ScriptRevision,
    Show,
    UserPreferences,
    Venue,
)
from callmaster_desktop.db.types import as_jsonable, utcnow
from callmaster_desktop.errors import ConflictError, NotFoundError, ValidationError
from callmaster_desktop.services.revision_snapshots import whole_snapshots
from callmaster_desktop.services.script_state import ELEMENT_FIELDS, read_elements
from callmaster_desktop.services.validation import plural

FORMAT = "callmaster-show-package"
FORMAT_VERSION = 1
OWNER = "owner"
HISTORY_KEY = "show_packages"
HISTORY_LIMIT = 200
VENUE_FIELDS = (
    "name", "address", "city", "state", "capacity", "venue_type", "contact_name",
    "contact_email", "contact_phone", "stage_width_m", "stage_depth_m", "fly_height_m",
    "equipment", "rental_rate", "minimum_rental", "notes",
)  # fmt: skip
SHOW_FIELDS = ("name", "first_performance", "end", "deadline", "notes")
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "production_role", "notes")
SCRIPT_FIELDS = ("name", "status", "start_time", "end_time", "notes", "version")
RUN_FIELDS = (
    "kind", "status", "scheduled_start", "started_at", "ended_at", "total_hold_ms", "notes",
    "created_at",
)  # fmt: skip
HOLD_FIELDS = ("started_at", "show_offset_ms", "length_ms", "reason")
NOTE_FIELDS = ("cue_label", "show_offset_ms", "noted_at", "text")
CALL_FIELDS = (
    "cue_label", "planned_offset_ms", "actual_offset_ms", "called_at", "outcome", "note",
)  # fmt: skip


class ImportMode(enum.StrEnum):
    NEW = "new"
    COPY = "copy"
    UPDATE = "update"


class PackageConflictError(ConflictError):
    """The show was changed here since the package was made; ``conflicts`` says where."""

    def __init__(self, show_name: str, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__(
            f'"{show_name}" was not updated: it was changed here after the package was made '
            f"({plural(len(conflicts), 'conflict')}). Nothing was written; import the package "
            "as a copy to keep both."
        )


class ShowAlreadyHereError(ValidationError):
    """The package's show is already in this database: ask whether to copy or update."""

    def __init__(self, show_name: str) -> None:
        super().__init__(
            f'"{show_name}" is already in this database. Import the package as a copy, '
            "or update the show here."
        )


# --- writing a package --------------------------------------------------------------------


def _value(obj: Any, name: str) -> Any:
    return as_jsonable(getattr(obj, name))


def _ref(person_id: uuid.UUID | None, owner_id: uuid.UUID, known: set[uuid.UUID]) -> str | None:
    if person_id is None:
        return None
    if person_id == owner_id:
        return OWNER
    return str(person_id) if person_id in known else None


def fingerprint(session: Session, show_id: uuid.UUID) -> str:
    """A fingerprint of the show's details, venue and crew (not its scripts or runs).

    Made of what the stage manager sees (names, dates, notes, the venue's
    name, each assignment's person, department initials and role), so the
    same show has the same fingerprint in every database.
    """
    show = session.get(Show, show_id)
    assert show is not None
    venue = session.get(Venue, show.venue_id) if show.venue_id else None
    crew = session.execute(
        select(
            Person.first_name, Person.last_name, Person.email, Department.initials,
            CrewAssignment.role, CrewAssignment.notes,
        )
        .join(Person, Person.id == CrewAssignment.person_id)
        .join(Department, Department.id == CrewAssignment.department_id)
        .where(CrewAssignment.show_id == show_id)
    ).all()  # fmt: skip
    content = {
        "show": {name: _value(show, name) for name in SHOW_FIELDS},
        "venue": venue.name if venue else None,
        "crew": sorted([list(row) for row in crew], key=repr),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def read_history(session: Session, owner_id: uuid.UUID, show_id: uuid.UUID) -> list[str]:
    extra = session.scalar(
        select(UserPreferences.extra).where(UserPreferences.person_id == owner_id)
    )
    found = ((extra or {}).get(HISTORY_KEY) or {}).get(str(show_id)) or []
    return [str(token) for token in found]


def store_history(
    session: Session, owner_id: uuid.UUID, show_id: uuid.UUID, tokens: list[str]
) -> None:
    """Remember the fingerprints this show went through (in the owner's preferences)."""
    prefs = session.get(UserPreferences, owner_id)
    if prefs is None:
        prefs = UserPreferences(person_id=owner_id, extra={})
        session.add(prefs)
    extra = dict(prefs.extra or {})
    shows = dict(extra.get(HISTORY_KEY) or {})
    shows[str(show_id)] = list(dict.fromkeys(tokens))[-HISTORY_LIMIT:]
    extra[HISTORY_KEY] = shows
    prefs.extra = extra


def _people(
    session: Session, owner_id: uuid.UUID, person_ids: set[uuid.UUID]
) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Person, CrewRelationship)
        .outerjoin(
            CrewRelationship,
            (CrewRelationship.member_id == Person.id) & (CrewRelationship.manager_id == owner_id),
        )
        .where(Person.id.in_(person_ids - {owner_id}))
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    return [
        {
            "id": str(person.id),
            **{name: _value(person, name) for name in PERSON_FIELDS},
            "crew_notes": relation.notes if relation else None,
            "crew_active": relation.is_active if relation else True,
        }
        for person, relation in rows
        if relation is not None  # only the owner's crew travels with the show
    ]


def _scripts(
    session: Session, show_id: uuid.UUID, owner_id: uuid.UUID, people: set[uuid.UUID]
) -> list[dict[str, Any]]:
    out = []
    for script in session.scalars(
        select(Script).where(Script.show_id == show_id).order_by(Script.created_at, Script.id)
    ):
        elements = read_elements(session, script.id)
        revisions = list(
            session.scalars(
                select(ScriptRevision)
                .where(ScriptRevision.script_id == script.id)
                .order_by(ScriptRevision.number)
            )
        )
        # A package carries each revision's whole snapshot, whatever the database keeps.
        snapshots = whole_snapshots({r.number: r.snapshot for r in revisions})
        out.append(
            {
                "id": str(script.id),
                **{name: _value(script, name) for name in SCRIPT_FIELDS},
                "created_at": _value(script, "created_at"),
                "updated_at": _value(script, "updated_at"),
                "updated_by": _ref(script.updated_by_id, owner_id, people),
                "element_columns": list(ELEMENT_FIELDS),
                "elements": [
                    [as_jsonable(getattr(e, n)) for n in ELEMENT_FIELDS] for e in elements
                ],
                "revisions": [
                    {
                        "id": str(r.id),
                        "number": r.number,
                        "script_version": r.script_version,
                        "author": _ref(r.author_id, owner_id, people),
                        "created_at": _value(r, "created_at"),
                        "summary": r.summary,
                        "steps": list(r.steps or []),
                        "snapshot": snapshots[r.number],
                    }
                    for r in revisions
                ],
            }
        )
    return out


def _runs(
    session: Session, show_id: uuid.UUID, owner_id: uuid.UUID, people: set[uuid.UUID]
) -> list[dict[str, Any]]:
    out = []
    for run in session.scalars(
        select(Run).where(Run.show_id == show_id).order_by(Run.created_at, Run.id)
    ):
        holds = session.scalars(
            select(RunHold).where(RunHold.run_id == run.id).order_by(RunHold.started_at, RunHold.id)
        )
        calls = session.scalars(
            select(CueCall)
            .where(CueCall.run_id == run.id)
            .order_by(CueCall.planned_offset_ms, CueCall.cue_label, CueCall.id)
        )
        out.append(
            {
                "id": str(run.id),
                "script": str(run.script_id),
                "caller": _ref(run.caller_id, owner_id, people),
                **{name: _value(run, name) for name in RUN_FIELDS},
                "holds": [
                    {"id": str(h.id), **{n: _value(h, n) for n in HOLD_FIELDS}} for h in holds
                ],
                "calls": [
                    {
                        "id": str(c.id),
                        "element": as_jsonable(c.element_id),
                        **{n: _value(c, n) for n in CALL_FIELDS},
                    }
                    for c in calls
                ],
                "caller_notes": [
                    {
                        "id": str(n.id),
                        "element": as_jsonable(n.element_id),
                        **{f: _value(n, f) for f in NOTE_FIELDS},
                    }
                    for n in session.scalars(
                        select(RunNote)
                        .where(RunNote.run_id == run.id)
                        .order_by(RunNote.noted_at, RunNote.id)
                    )
                ],
            }
        )
    return out


def build_package(
    session: Session, owner_id: uuid.UUID, show_id: uuid.UUID, *, source: str = ""
) -> dict[str, Any]:
    """The package of one of the owner's shows, read in the session's transaction."""
    show = session.get(Show, show_id)
    if show is None or show.owner_id != owner_id:
        raise NotFoundError("That show is not there: it may have been deleted.")
    venue = session.get(Venue, show.venue_id) if show.venue_id else None
    assignments = list(
        session.scalars(
            select(CrewAssignment)
            .where(CrewAssignment.show_id == show_id)
            .order_by(CrewAssignment.created_at, CrewAssignment.id)
        )
    )
    scripts = select(Script.id).where(Script.show_id == show_id)
    used = set(
        session.scalars(
            select(Element.department_id)
            .where(Element.script_id.in_(scripts), Element.department_id.is_not(None))
            .distinct()
        )
    ) | {a.department_id for a in assignments}
    departments = session.scalars(
        select(Department).where(Department.id.in_(used)).order_by(Department.name, Department.id)
    )
    referenced = {a.person_id for a in assignments}
    referenced |= set(session.scalars(select(Run.caller_id).where(Run.show_id == show_id)))
    referenced |= set(session.scalars(select(Script.updated_by_id).where(Script.id.in_(scripts))))
    referenced |= set(
        session.scalars(
            select(ScriptRevision.author_id).where(ScriptRevision.script_id.in_(scripts))
        )
    )
    referenced.discard(None)
    people = _people(session, owner_id, referenced)
    known = {uuid.UUID(p["id"]) for p in people}
    history = [*read_history(session, owner_id, show_id), fingerprint(session, show_id)]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "application": f"CallMaster Desktop {__version__}",
        "source": source,
        "history": list(dict.fromkeys(history))[-HISTORY_LIMIT:],
        "show": {
            "id": str(show.id),
            **{name: _value(show, name) for name in SHOW_FIELDS},
            "created_at": _value(show, "created_at"),
            "updated_at": _value(show, "updated_at"),
        },
        "venue": None
        if venue is None
        else {
            "id": str(venue.id),
            **{name: _value(venue, name) for name in VENUE_FIELDS},
        },
        "departments": [
            {
                "id": str(d.id),
                "name": d.name,
                "initials": d.initials,
                "color": d.color,
                "description": d.description,
            }
            for d in departments
        ],
        "people": people,
        "assignments": [
            {
                "id": str(a.id),
                "person": _ref(a.person_id, owner_id, known),
                "department": str(a.department_id),
                "role": a.role,
                "notes": a.notes,
            }
            for a in assignments
        ],
        "scripts": _scripts(session, show_id, owner_id, known),
        "runs": _runs(session, show_id, owner_id, known),
    }


def export_show(db: Database, owner_id: uuid.UUID, show_id: uuid.UUID) -> dict[str, Any]:
    """The show's package; the show's history here remembers this state was exported."""
    with db.unit_of_work() as session:
        package = build_package(session, owner_id, show_id, source=db.description)
        store_history(session, owner_id, show_id, package["history"])
    return package


def find_show_id(session: Session, owner_id: uuid.UUID, name: str) -> uuid.UUID:
    found = session.scalars(
        select(Show.id).where(Show.owner_id == owner_id, func.lower(Show.name) == name.lower())
    ).first()
    if found is None:
        raise NotFoundError(f'You have no show called "{name}".')
    return found


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None

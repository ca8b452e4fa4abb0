"""Departments: the teams that receive cues (Lighting LX, Sound SQ, Fly...).

Names and initials are unique per owner whatever their capitals; initials are
1 to 5 letters, stored in capitals; a colour is ``#RRGGBB``. The list says how
many cues and crew assignments use each department, counted in one query.

A department still in use is not deleted silently: ``delete_department``
refuses with ``InUseError`` saying what uses it, unless told another
department to move those cues and assignments to (``reassign_to``). Then, in
one transaction, the cues move (refused, with the clashing cue numbers named,
if the other department already has the same numbers in the same script), the
scripts they are in get a new version (an open copy must be reloaded), crew
assignments move (one that would duplicate an assignment already in the other
department is dropped), and the department is deleted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.orm import Session, aliased

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import CrewAssignment, Department, Element, Script, Show
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.cuenumber import cue_label, cue_sort_key
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.errors import InUseError, ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.validation import (
    colour,
    find_owned,
    join_words,
    optional_text,
    plural,
    required_text,
    set_fields,
)

SUBJECT = "The department"
MISSING = "That department is not in your list of departments (it may have been deleted)."
DEFAULT_COLOUR = "#808080"
MAX_INITIALS = 5
SHOWN_CLASHES = 8  # cue numbers named in a refusal before "and N more"


@dataclass(frozen=True)
class DepartmentData:
    """What the department form edits."""

    name: str
    initials: str
    color: str = DEFAULT_COLOUR
    description: str | None = None


@dataclass(frozen=True)
class DepartmentUse:
    """What uses a department: cue rows (in how many scripts) and crew assignments."""

    cues: int = 0
    other_rows: int = 0  # notes or groups that carry the department
    scripts: int = 0
    crew_assignments: int = 0

    @property
    def in_use(self) -> bool:
        return bool(self.cues or self.other_rows or self.crew_assignments)

    def describe(self) -> str:
        """``65 cues in 1 script and 3 crew assignments``; ``nothing`` when unused."""
        parts = []
        if self.cues or self.other_rows:
            rows = [plural(self.cues, "cue")] if self.cues else []
            if self.other_rows:
                rows.append(plural(self.other_rows, "other row"))
            parts.append(f"{join_words(rows)} in {plural(self.scripts, 'script')}")
        if self.crew_assignments:
            parts.append(plural(self.crew_assignments, "crew assignment"))
        return join_words(parts) or "nothing"


@dataclass(frozen=True)
class DepartmentListing:
    id: uuid.UUID
    data: DepartmentData
    use: DepartmentUse
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def initials(self) -> str:
        return self.data.initials


def _initials(value: str | None) -> str:
    text = (value or "").strip().upper()
    if not text:
        raise ValidationError(f"{SUBJECT} needs initials: the cue prefix, such as LX or SQ.")
    if not (len(text) <= MAX_INITIALS and text.isascii() and text.isalpha()):
        raise ValidationError(
            f'{SUBJECT}\'s initials "{text[:20]}" must be 1 to {MAX_INITIALS} letters, '
            "such as LX or SQ."
        )
    return text


def _columns(data: DepartmentData) -> dict[str, Any]:
    return {
        "name": required_text(SUBJECT, data.name, 120),
        "initials": _initials(data.initials),
        "color": colour(SUBJECT, data.color, default=DEFAULT_COLOUR),
        "description": optional_text(SUBJECT, data.description, None, field="description"),
    }


def _refuse_duplicates(
    session: Session, owner_id: uuid.UUID, values: dict[str, Any], but: uuid.UUID | None
) -> None:
    """Names and initials unique per owner, whatever their capitals (one query)."""
    query = select(Department.name, Department.initials).where(
        Department.owner_id == owner_id,
        (func.lower(Department.name) == values["name"].lower())
        | (func.upper(Department.initials) == values["initials"]),
    )
    if but is not None:
        query = query.where(Department.id != but)
    for name, initials in session.execute(query).all():
        if name.lower() == values["name"].lower():
            raise ValidationError(f'You already have a department called "{name}".')
        raise ValidationError(f"The initials {initials.upper()} are already used by {name}.")


def create_department(db: Database, owner_id: uuid.UUID, data: DepartmentData) -> Changes:
    values = _columns(data)
    log = ChangeLog()
    with db.unit_of_work() as session:
        _refuse_duplicates(session, owner_id, values, None)
        department = Department(id=uuid.uuid4(), owner_id=owner_id, **values)
        session.add(department)
        session.flush()
        log.created(Kind.DEPARTMENT, department.id)
    return log.freeze()


def update_department(
    db: Database, owner_id: uuid.UUID, department_id: uuid.UUID, data: DepartmentData
) -> Changes:
    """Give a department the form's values; new initials relabel its cues everywhere."""
    values = _columns(data)
    log = ChangeLog()
    with db.unit_of_work() as session:
        department = find_owned(session, Department, department_id, owner_id, MISSING)
        _refuse_duplicates(session, owner_id, values, department_id)
        if set_fields(department, values):
            log.updated(Kind.DEPARTMENT, department_id)
    return log.freeze()


def _listing_query(owner_id: uuid.UUID) -> Any:
    mine = select(Department.id).where(Department.owner_id == owner_id)
    is_cue = Element.element_type == ElementType.CUE
    rows = (
        select(
            Element.department_id.label("department_id"),
            func.count(case((is_cue, 1))).label("cues"),
            func.count(case((~is_cue, 1))).label("other_rows"),
            func.count(func.distinct(Element.script_id)).label("scripts"),
        )
        .where(Element.department_id.in_(mine))
        .group_by(Element.department_id)
        .subquery()
    )
    crew = (
        select(CrewAssignment.department_id.label("department_id"), func.count().label("n"))
        .where(CrewAssignment.department_id.in_(mine))
        .group_by(CrewAssignment.department_id)
        .subquery()
    )
    return (
        select(
            Department,
            func.coalesce(rows.c.cues, 0),
            func.coalesce(rows.c.other_rows, 0),
            func.coalesce(rows.c.scripts, 0),
            func.coalesce(crew.c.n, 0),
        )
        .outerjoin(rows, rows.c.department_id == Department.id)
        .outerjoin(crew, crew.c.department_id == Department.id)
        .where(Department.owner_id == owner_id)
    )


def _listing(row: Any) -> DepartmentListing:
    d, cues, other_rows, scripts, crew = row
    data = DepartmentData(d.name, d.initials, d.color, d.description)
    use = DepartmentUse(int(cues), int(other_rows), int(scripts), int(crew))
    return DepartmentListing(d.id, data, use, d.updated_at)


def list_departments(db: Database, owner_id: uuid.UUID) -> list[DepartmentListing]:
    """My departments by name, each with the cues and crew assignments using it (one query)."""
    query = _listing_query(owner_id).order_by(func.lower(Department.name), Department.id)
    with db.reading() as session:
        return [_listing(row) for row in session.execute(query).all()]


def get_department(
    db: Database, owner_id: uuid.UUID, department_id: uuid.UUID
) -> DepartmentListing:
    with db.reading() as session:
        find_owned(session, Department, department_id, owner_id, MISSING)
        query = _listing_query(owner_id).where(Department.id == department_id)
        return _listing(session.execute(query).one())


def delete_department(
    db: Database,
    owner_id: uuid.UUID,
    department_id: uuid.UUID,
    *,
    reassign_to: uuid.UUID | None = None,
) -> Changes:
    """Delete a department; with ``reassign_to``, first move what uses it there.

    Without ``reassign_to`` a department in use is refused (``InUseError``
    saying what uses it). All of it is one transaction: a refusal writes nothing.
    """
    log = ChangeLog()
    with db.unit_of_work() as session:
        department = find_owned(session, Department, department_id, owner_id, MISSING)
        if reassign_to is None:
            query = _listing_query(owner_id).where(Department.id == department_id)
            use = _listing(session.execute(query).one()).use
            if use.in_use:
                raise InUseError(
                    f"{department.name} is used by {use.describe()}. Choose a department "
                    "to move them to, or change them first; nothing was deleted."
                )
        else:
            if reassign_to == department_id:
                raise ValidationError(
                    f"Choose another department than {department.name} itself to move its "
                    "cues and crew assignments to."
                )
            target = find_owned(session, Department, reassign_to, owner_id, MISSING)
            _refuse_cue_number_clashes(session, department, target)
            _move_uses(session, owner_id, department_id, reassign_to, log)
        session.execute(
            delete(Department).where(Department.id == department_id),
            execution_options={"synchronize_session": False},
        )
        session.expunge(department)
        log.deleted(Kind.DEPARTMENT, department_id)
    return log.freeze()


def _move_uses(
    session: Session,
    owner_id: uuid.UUID,
    department_id: uuid.UUID,
    target_id: uuid.UUID,
    log: ChangeLog,
) -> None:
    no_sync = {"synchronize_session": False}
    other = aliased(CrewAssignment)
    duplicates = session.scalars(
        delete(CrewAssignment)
        .where(
            CrewAssignment.department_id == department_id,
            select(other.id)
            .where(
                and_(
                    other.show_id == CrewAssignment.show_id,
                    other.person_id == CrewAssignment.person_id,
                    other.department_id == target_id,
                )
            )
            .exists(),
        )
        .returning(CrewAssignment.id),
        execution_options=no_sync,
    ).all()
    log.deleted_all(Kind.CREW_ASSIGNMENT, duplicates)
    moved = session.execute(
        update(Element)
        .where(Element.department_id == department_id)
        .values(department_id=target_id)
        .returning(Element.id, Element.script_id),
        execution_options=no_sync,
    ).all()
    log.updated_all(Kind.ELEMENT, (row.id for row in moved))
    scripts = sorted({row.script_id for row in moved})
    if scripts:
        # An open copy of these scripts still names the old department: its save must
        # be refused as outdated, so the scripts move to a new version.
        session.execute(
            update(Script)
            .where(Script.id.in_(scripts))
            .values(version=Script.version + 1, updated_by_id=owner_id, updated_at=utcnow()),
            execution_options=no_sync,
        )
        log.updated_all(Kind.SCRIPT, scripts)
    reassigned = session.scalars(
        update(CrewAssignment)
        .where(CrewAssignment.department_id == department_id)
        .values(department_id=target_id)
        .returning(CrewAssignment.id),
        execution_options=no_sync,
    ).all()
    log.updated_all(Kind.CREW_ASSIGNMENT, reassigned)


def _refuse_cue_number_clashes(session: Session, source: Department, target: Department) -> None:
    """Refuse the move when a script has the same cue number in both departments."""
    scripts_of_source = select(Element.script_id).where(Element.department_id == source.id)
    rows = session.execute(
        select(Element.script_id, Element.department_id, Element.cue_number).where(
            Element.department_id.in_([source.id, target.id]),
            Element.script_id.in_(scripts_of_source),
            Element.cue_number.is_not(None),
        )
    ).all()
    numbers: dict[tuple[uuid.UUID, uuid.UUID], dict[Any, str]] = defaultdict(dict)
    for script_id, dept_id, number in rows:
        if number and number.strip() and dept_id is not None:
            numbers[(script_id, dept_id)][cue_sort_key(number)] = number
    clashes: dict[uuid.UUID, list[str]] = {}
    for (script_id, dept_id), mine in numbers.items():
        if dept_id != source.id:
            continue
        theirs = numbers.get((script_id, target.id), {})
        same = sorted(key for key in mine if key in theirs)
        if same:
            clashes[script_id] = [mine[key] for key in same]
    if not clashes:
        return
    names = {
        script_id: f'"{script}" of "{show}"'
        for script_id, script, show in session.execute(
            select(Script.id, Script.name, Show.name)
            .join(Show, Show.id == Script.show_id)
            .where(Script.id.in_(list(clashes)))
        ).all()
    }
    places = []
    for script_id in sorted(clashes, key=lambda s: names.get(s, "")):
        found = clashes[script_id]
        shown = [cue_label(target.initials, n) for n in found[:SHOWN_CLASHES]]
        if len(found) > SHOWN_CLASHES:
            shown.append(f"{len(found) - SHOWN_CLASHES} more")
        places.append(f"{join_words(shown)} in {names.get(script_id, 'a script')}")
    raise ValidationError(
        f"{source.name}'s cues cannot move to {target.name}: {target.name} already has "
        f"{'; '.join(places)}. Renumber those cues in one of the two departments first; "
        "nothing was changed."
    )

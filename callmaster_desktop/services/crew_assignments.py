"""Crew assignments: who works on a show, in which department, in what role.

A person can be assigned to one of my shows when they are me or in my crew
(new work only for active members), in one of my departments; at most once
per (show, person, department). ``save_show_assignments`` takes the whole
wanted list for a show and writes only the differences: new rows inserted,
changed roles or notes updated, missing rows deleted, in one transaction;
an unchanged list writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import CrewAssignment, CrewRelationship, Department, Person, Show
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.departments import MISSING as MISSING_DEPARTMENT
from callmaster_desktop.services.validation import find_owned, optional_text

SUBJECT = "The assignment"
MISSING_SHOW = "That show is not there: it may have been deleted."
MISSING_ASSIGNMENT = "That crew assignment is not there: it may have been removed."
NOT_IN_CREW = "That person is not in your crew: add them to your crew first."


@dataclass(frozen=True)
class AssignmentData:
    """One line of a show's crew list."""

    person_id: uuid.UUID
    department_id: uuid.UUID
    role: str | None = None  # "Head of Sound"
    notes: str | None = None

    @property
    def key(self) -> tuple[uuid.UUID, uuid.UUID]:
        return (self.person_id, self.department_id)


@dataclass(frozen=True)
class AssignmentListing:
    id: uuid.UUID
    show_id: uuid.UUID
    data: AssignmentData
    person_name: str
    department_name: str
    department_initials: str
    department_color: str


def _checked(data: AssignmentData) -> AssignmentData:
    return AssignmentData(
        data.person_id,
        data.department_id,
        optional_text(SUBJECT, data.role, 200, field="role"),
        optional_text(SUBJECT, data.notes, None, field="notes"),
    )


def _check_people(
    session: Session, owner_id: uuid.UUID, person_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The names of these people, who must be me or active in my crew (one query)."""
    wanted = set(person_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name, CrewRelationship.is_active)
        .outerjoin(
            CrewRelationship,
            and_(CrewRelationship.member_id == Person.id, CrewRelationship.manager_id == owner_id),
        )
        .where(Person.id.in_(wanted))
    ).all()
    names = {}
    for person_id, first, last, active in rows:
        name = f"{first} {last}".strip()
        if person_id != owner_id and active is None:
            continue
        if person_id != owner_id and not active:
            raise ValidationError(
                f"{name} is marked inactive in your crew: reactivate them before "
                "assigning them to a show."
            )
        names[person_id] = name
    if set(names) != wanted:
        raise NotFoundError(NOT_IN_CREW)
    return names


def _check_departments(
    session: Session, owner_id: uuid.UUID, department_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    wanted = set(department_ids)
    if not wanted:
        return {}
    names = dict(
        session.execute(
            select(Department.id, Department.name).where(
                Department.id.in_(wanted), Department.owner_id == owner_id
            )
        ).all()
    )
    if set(names) != wanted:
        raise NotFoundError(MISSING_DEPARTMENT)
    return names


def _refuse_taken(
    session: Session, show_id: uuid.UUID, data: AssignmentData, but: uuid.UUID | None
) -> None:
    query = select(Person.first_name, Person.last_name, Department.name).where(
        CrewAssignment.show_id == show_id,
        CrewAssignment.person_id == data.person_id,
        CrewAssignment.department_id == data.department_id,
        Person.id == CrewAssignment.person_id,
        Department.id == CrewAssignment.department_id,
    )
    if but is not None:
        query = query.where(CrewAssignment.id != but)
    row = session.execute(query).first()
    if row is not None:
        name = f"{row[0]} {row[1]}".strip()
        raise ValidationError(f"{name} is already in {row[2]} on this show.")


def list_show_assignments(
    db: Database, owner_id: uuid.UUID, show_id: uuid.UUID
) -> list[AssignmentListing]:
    """The show's crew by department, then last and first name."""
    query = (
        select(
            CrewAssignment,
            Person.first_name,
            Person.last_name,
            Department.name,
            Department.initials,
            Department.color,
        )
        .join(Person, Person.id == CrewAssignment.person_id)
        .join(Department, Department.id == CrewAssignment.department_id)
        .where(CrewAssignment.show_id == show_id)
        .order_by(
            func.lower(Department.name),
            func.lower(Person.last_name),
            func.lower(Person.first_name),
            CrewAssignment.id,
        )
    )
    with db.reading() as session:
        find_owned(session, Show, show_id, owner_id, MISSING_SHOW)
        return [
            AssignmentListing(
                a.id,
                a.show_id,
                AssignmentData(a.person_id, a.department_id, a.role, a.notes),
                f"{first} {last}".strip(),
                dept,
                initials,
                color,
            )
            for a, first, last, dept, initials, color in session.execute(query).all()
        ]


def assign_to_show(
    db: Database, owner_id: uuid.UUID, show_id: uuid.UUID, data: AssignmentData
) -> Changes:
    """Put me or someone of my crew on a show, in a department, with a role."""
    data = _checked(data)
    log = ChangeLog()
    with db.unit_of_work() as session:
        find_owned(session, Show, show_id, owner_id, MISSING_SHOW)
        _check_people(session, owner_id, [data.person_id])
        _check_departments(session, owner_id, [data.department_id])
        _refuse_taken(session, show_id, data, None)
        assignment = CrewAssignment(id=uuid.uuid4(), show_id=show_id, **_values(data))
        session.add(assignment)
        session.flush()
        log.created(Kind.CREW_ASSIGNMENT, assignment.id)
    return log.freeze()


def _values(data: AssignmentData) -> dict[str, Any]:
    return {
        "person_id": data.person_id,
        "department_id": data.department_id,
        "role": data.role,
        "notes": data.notes,
    }


def _owned_assignment(
    session: Session, owner_id: uuid.UUID, assignment_id: uuid.UUID
) -> CrewAssignment:
    row = session.execute(
        select(CrewAssignment, Show.owner_id)
        .join(Show, Show.id == CrewAssignment.show_id)
        .where(CrewAssignment.id == assignment_id)
    ).first()
    if row is None or row[1] != owner_id:
        raise NotFoundError(MISSING_ASSIGNMENT)
    return row[0]


def update_assignment(
    db: Database, owner_id: uuid.UUID, assignment_id: uuid.UUID, data: AssignmentData
) -> Changes:
    """Change an assignment's department, role or notes (or who it is)."""
    data = _checked(data)
    log = ChangeLog()
    with db.unit_of_work() as session:
        assignment = _owned_assignment(session, owner_id, assignment_id)
        if data.person_id != assignment.person_id:
            _check_people(session, owner_id, [data.person_id])
        if data.department_id != assignment.department_id:
            _check_departments(session, owner_id, [data.department_id])
        if data.key != (assignment.person_id, assignment.department_id):
            _refuse_taken(session, assignment.show_id, data, assignment_id)
        values = _values(data)
        if any(getattr(assignment, k) != v for k, v in values.items()):
            session.execute(
                update(CrewAssignment)
                .where(CrewAssignment.id == assignment_id)
                .values(**values, updated_at=utcnow()),
                execution_options={"synchronize_session": False},
            )
            log.updated(Kind.CREW_ASSIGNMENT, assignment_id)
    return log.freeze()


def remove_assignment(db: Database, owner_id: uuid.UUID, assignment_id: uuid.UUID) -> Changes:
    log = ChangeLog()
    with db.unit_of_work() as session:
        _owned_assignment(session, owner_id, assignment_id)
        session.execute(
            delete(CrewAssignment).where(CrewAssignment.id == assignment_id),
            execution_options={"synchronize_session": False},
        )
        session.expunge_all()
        log.deleted(Kind.CREW_ASSIGNMENT, assignment_id)
    return log.freeze()


def save_show_assignments(
    db: Database, owner_id: uuid.UUID, show_id: uuid.UUID, wanted: Sequence[AssignmentData]
) -> Changes:
    """Make the show's crew list exactly ``wanted``, writing only what differs.

    A (person, department) pair not there yet is inserted; one whose role or
    notes differ is updated; one no longer wanted is deleted. New lines must
    name me or an active member of my crew and one of my departments.
    """
    lines = [_checked(line) for line in wanted]
    log = ChangeLog()
    no_sync = {"synchronize_session": False}
    with db.unit_of_work() as session:
        find_owned(session, Show, show_id, owner_id, MISSING_SHOW)
        existing = {
            (row.person_id, row.department_id): row
            for row in session.execute(
                select(
                    CrewAssignment.id,
                    CrewAssignment.person_id,
                    CrewAssignment.department_id,
                    CrewAssignment.role,
                    CrewAssignment.notes,
                ).where(CrewAssignment.show_id == show_id)
            ).all()
        }
        by_key: dict[tuple[uuid.UUID, uuid.UUID], AssignmentData] = {}
        for line in lines:
            if line.key in by_key:
                _refuse_twice(session, owner_id, line)
            by_key[line.key] = line
        new = [line for key, line in by_key.items() if key not in existing]
        changed = [
            (existing[key].id, line)
            for key, line in by_key.items()
            if key in existing
            and (existing[key].role, existing[key].notes) != (line.role, line.notes)
        ]
        gone = [row.id for key, row in existing.items() if key not in by_key]
        if new:
            _check_people(session, owner_id, (line.person_id for line in new))
            _check_departments(session, owner_id, (line.department_id for line in new))
            rows = [{"id": uuid.uuid4(), "show_id": show_id, **_values(line)} for line in new]
            session.execute(insert(CrewAssignment), rows, execution_options=no_sync)
            log.created_all(Kind.CREW_ASSIGNMENT, (row["id"] for row in rows))
        if changed:
            now = utcnow()
            session.execute(
                update(CrewAssignment),
                [
                    {"id": row_id, "role": line.role, "notes": line.notes, "updated_at": now}
                    for row_id, line in changed
                ],
                execution_options=no_sync,
            )
            log.updated_all(Kind.CREW_ASSIGNMENT, (row_id for row_id, _ in changed))
        if gone:
            session.execute(
                delete(CrewAssignment).where(CrewAssignment.id.in_(gone)),
                execution_options=no_sync,
            )
            log.deleted_all(Kind.CREW_ASSIGNMENT, gone)
    return log.freeze()


def _refuse_twice(session: Session, owner_id: uuid.UUID, line: AssignmentData) -> None:
    """Refuse a list naming one person twice in one department (names only if mine)."""
    department = session.get(Department, line.department_id)
    where = "one department"
    if department is not None and department.owner_id == owner_id:
        where = department.name
    in_my_crew = (
        select(CrewRelationship.id)
        .where(
            CrewRelationship.manager_id == owner_id,
            CrewRelationship.member_id == line.person_id,
        )
        .exists()
    )
    name = session.execute(
        select(Person.first_name, Person.last_name).where(
            Person.id == line.person_id, (Person.id == owner_id) | in_my_crew
        )
    ).first()
    who = f"{name[0]} {name[1]}".strip() if name is not None else "Someone"
    raise ValidationError(f"{who} is listed twice in {where}: keep one line.")

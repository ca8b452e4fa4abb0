"""The integrity check: SQLite's own checks plus every rule of domain.md.

Each problem names where it is (show, script, row) and what is wrong, in
words a stage manager can act on.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CrewRelationship,
    Department,
    Element,
    Person,
    Script,
    Show,
)
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import element_rule_problems


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    script_id: uuid.UUID | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Row:
    id: uuid.UUID
    script_id: uuid.UUID
    sequence: int
    parent_id: uuid.UUID | None
    element_type: ElementType
    department_id: uuid.UUID | None
    cue_number: str | None
    name: str


def check_database(db: Database) -> list[Problem]:
    """Every problem found, or an empty list when the database is sound."""
    problems: list[Problem] = []
    with db.reading() as session:
        if db.is_sqlite:
            problems.extend(_sqlite_checks(session))
        if any(p.code == "sqlite-integrity" for p in problems):
            # Reading every row would meet the damage: SQLite's own verdict is the answer.
            return problems
        problems.extend(check_rules(session))
    return problems


def _sqlite_checks(session: Session) -> list[Problem]:
    problems: list[Problem] = []
    try:
        rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
    except DBAPIError as exc:  # damage bad enough that the check itself stops
        rows = [f"the file cannot be read to the end ({exc.orig})"]
    if rows != ["ok"]:
        problems.extend(Problem("sqlite-integrity", f"SQLite integrity check: {r}") for r in rows)
    for table, rowid, parent, _ in session.execute(text("PRAGMA foreign_key_check")).all():
        problems.append(
            Problem("foreign-key", f"Row {rowid} of {table} refers to a missing {parent} row")
        )
    return problems


def check_rules(session: Session) -> list[Problem]:
    """The rules of domain.md, checked over the whole database."""
    problems: list[Problem] = []
    scripts = {
        s.id: (s.name, show_name, s.show_id)
        for s, show_name in session.execute(
            select(Script, Show.name).join(Show, Show.id == Script.show_id)
        ).all()
    }
    departments = {d.id: d for d in session.scalars(select(Department))}
    show_owner = dict(session.execute(select(Show.id, Show.owner_id)).all())
    by_script: dict[uuid.UUID, list[_Row]] = defaultdict(list)
    columns = (
        Element.id,
        Element.script_id,
        Element.sequence,
        Element.parent_id,
        Element.element_type,
        Element.department_id,
        Element.cue_number,
        Element.name,
    )
    for row in session.execute(select(*columns).order_by(Element.script_id, Element.sequence)):
        by_script[row.script_id].append(_Row(*row))
    for script_id, rows in by_script.items():
        name, show_name, show_id = scripts.get(script_id, ("?", "?", None))
        where = f'Script "{name}" of "{show_name}"'
        owner = show_owner.get(show_id) if show_id else None
        problems.extend(
            Problem(code, f"{where}: {message}", script_id)
            for code, message in script_problems(rows, departments, owner)
        )
    problems.extend(_people_problems(session, show_owner))
    return problems


def script_problems(
    rows: list[_Row],
    departments: dict[uuid.UUID, Department],
    owner_id: uuid.UUID | None,
) -> list[tuple[str, str]]:
    """The problems of one script's rows, given in sequence order."""
    found: list[tuple[str, str]] = []
    sequences = [r.sequence for r in rows]
    if sequences != list(range(1, len(rows) + 1)):
        found.append(
            (
                "sequence",
                f"rows are not numbered 1..{len(rows)} without gaps "
                f"(found {_describe_gaps(sequences)}); resequencing repairs this",
            )
        )

    def initials(dept_id: uuid.UUID) -> str:
        dept = departments.get(dept_id)
        return dept.initials if dept else "?"

    found.extend(element_rule_problems(rows, department_label=initials))
    for position, r in enumerate(rows, start=1):
        if r.department_id is not None and owner_id is not None:
            dept = departments.get(r.department_id)
            if dept is not None and dept.owner_id != owner_id:
                found.append(
                    (
                        "department-owner",
                        f"row {position} ({r.name}) uses another owner's department {dept.name}",
                    )
                )
    return found


def _describe_gaps(sequences: list[int]) -> str:
    shown = ", ".join(str(s) for s in sequences[:8])
    return shown + (", ..." if len(sequences) > 8 else "")


def _people_problems(session: Session, show_owner: dict[uuid.UUID, uuid.UUID]) -> list[Problem]:
    problems: list[Problem] = []
    orphans = session.scalars(
        select(Person).where(
            Person.is_guest.is_(True),
            ~select(CrewRelationship.id).where(CrewRelationship.member_id == Person.id).exists(),
        )
    ).all()
    problems.extend(
        Problem("guest-without-manager", f"Guest {p.full_name} is in nobody's crew")
        for p in orphans
    )
    rows = session.execute(
        select(CrewAssignment.show_id, Department.owner_id, Department.name).join(
            Department, Department.id == CrewAssignment.department_id
        )
    ).all()
    for show_id, dept_owner, dept_name in rows:
        if show_owner.get(show_id) not in (None, dept_owner):
            problems.append(
                Problem("assignment-owner", f"A crew assignment uses another owner's {dept_name}")
            )
    return problems

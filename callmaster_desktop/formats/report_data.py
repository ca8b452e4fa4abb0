"""What a printed calling script or a department's cue sheet shows (no Qt).

``load_script_report`` reads a script once and gives plain rows: depth in
the group tree, time, cue label, name, notes, priority, department and its
colour. A cue sheet for one department keeps only that department's cues,
with the groups around them and the notes that sit beside them;
``department_view`` makes that choice and the CSV export uses it too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Script, Show, Venue
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.cuenumber import cue_label
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.errors import NotFoundError
from callmaster_desktop.services.scripts import load_script_in


@dataclass(frozen=True)
class ReportDepartment:
    id: uuid.UUID
    name: str
    initials: str
    color: str


@dataclass(frozen=True)
class ReportRow:
    kind: ElementType
    depth: int
    offset_ms: int
    label: str
    name: str
    notes: str
    priority: Priority
    department: ReportDepartment | None
    duration_ms: int | None
    location: str
    color: str | None

    @property
    def time(self) -> str:
        return "" if self.kind is ElementType.GROUP else format_offset(self.offset_ms)

    @property
    def duration(self) -> str:
        return "" if self.duration_ms is None else format_offset(self.duration_ms)

    @property
    def safety(self) -> bool:
        return self.priority is Priority.SAFETY and self.kind is ElementType.CUE


@dataclass(frozen=True)
class ScriptReport:
    show_name: str
    venue_name: str | None
    script_name: str
    start_time: datetime | None
    printed_at: datetime
    rows: list[ReportRow]
    departments: list[ReportDepartment]  # the departments the rows use, by name
    department: ReportDepartment | None = None  # a cue sheet's department; None: the whole script

    @property
    def title(self) -> str:
        if self.department is None:
            return "Calling Script"
        return f"Cue Sheet: {self.department.name} ({self.department.initials})"

    @property
    def cue_count(self) -> int:
        return sum(1 for r in self.rows if r.kind is ElementType.CUE)

    @property
    def safety_count(self) -> int:
        return sum(1 for r in self.rows if r.safety)


def department_view(
    elements: Sequence[ElementData], wanted: Iterable[uuid.UUID]
) -> list[ElementData]:
    """The rows a department's sheet shows, in script order.

    Kept: the rows of the wanted departments; every group that holds one of
    them (at any depth); notes without a department that sit at the top of
    the script or in such a group.
    """
    wanted = set(wanted)
    by_id = {e.id: e for e in elements}
    holding: set[uuid.UUID] = set()
    for e in elements:
        if e.department_id in wanted:
            parent = e.parent_id
            while parent is not None and parent not in holding:
                holding.add(parent)
                parent = by_id[parent].parent_id if parent in by_id else None
    kept = []
    for e in elements:
        if (
            e.department_id in wanted
            or e.id in holding
            or (
                e.element_type is ElementType.NOTE
                and e.department_id is None
                and (e.parent_id is None or e.parent_id in holding)
            )
        ):
            kept.append(e)
    return kept


def find_script(
    session: Session, owner_id: uuid.UUID, show_name: str, script_name: str
) -> uuid.UUID:
    """A script of one of the owner's shows, by names (case does not matter)."""
    show_id = session.scalars(
        select(Show.id).where(Show.owner_id == owner_id, func.lower(Show.name) == show_name.lower())
    ).first()
    if show_id is None:
        raise NotFoundError(f'You have no show called "{show_name}".')
    script_id = session.scalars(
        select(Script.id).where(
            Script.show_id == show_id, func.lower(Script.name) == script_name.lower()
        )
    ).first()
    if script_id is None:
        names = session.scalars(select(Script.name).where(Script.show_id == show_id)).all()
        raise NotFoundError(
            f'"{show_name}" has no script called "{script_name}" (it has: {", ".join(names)}).'
        )
    return script_id


def owner_department_by_initials(
    session: Session, owner_id: uuid.UUID, initials: Sequence[str]
) -> list[ReportDepartment]:
    """The owner's departments with these initials; NotFoundError names any unknown one."""
    mine = {
        d.initials.casefold(): ReportDepartment(d.id, d.name, d.initials, d.color)
        for d in session.execute(
            select(Department.id, Department.name, Department.initials, Department.color).where(
                Department.owner_id == owner_id
            )
        )
    }
    unknown = [i for i in initials if i.casefold() not in mine]
    if unknown:
        known = ", ".join(sorted(d.initials for d in mine.values()))
        raise NotFoundError(
            f"You have no department with the initials {', '.join(unknown)} (yours: {known})."
        )
    return [mine[i.casefold()] for i in initials]


def load_script_report(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    *,
    department: str | None = None,
    now: datetime | None = None,
) -> ScriptReport:
    """The rows of a calling script, or of one department's cue sheet (by initials)."""
    with db.reading() as session:
        loaded = load_script_in(session, owner_id, script_id)
        venue = session.scalar(
            select(Venue.name)
            .join(Show, Show.venue_id == Venue.id)
            .where(Show.id == loaded.show_id)
        )
        chosen = (
            owner_department_by_initials(session, owner_id, [department])[0] if department else None
        )
    elements = loaded.elements
    if chosen is not None:
        elements = department_view(elements, [chosen.id])
    departments = {
        d.id: ReportDepartment(d.id, d.name, d.initials, d.color)
        for d in loaded.departments.values()
    }
    depth: dict[uuid.UUID, int] = {}
    rows = []
    for e in elements:
        depth[e.id] = depth[e.parent_id] + 1 if e.parent_id in depth else 0
        dept = departments.get(e.department_id) if e.department_id else None
        rows.append(
            ReportRow(
                kind=e.element_type,
                depth=depth[e.id],
                offset_ms=e.offset_ms,
                label=cue_label(dept.initials if dept else None, e.cue_number)
                if e.cue_number
                else "",
                name=e.name,
                notes=e.notes or "",
                priority=e.priority,
                department=dept,
                duration_ms=e.duration_ms,
                location=e.location or "",
                color=e.color,
            )
        )
    used = {r.department.id: r.department for r in rows if r.department}
    return ScriptReport(
        show_name=loaded.show_name,
        venue_name=venue,
        script_name=loaded.name,
        start_time=loaded.start_time,
        printed_at=now or utcnow(),
        rows=rows,
        departments=sorted(used.values(), key=lambda d: d.name.casefold()),
        department=chosen,
    )

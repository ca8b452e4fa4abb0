"""Read-only listings of what a database holds, as plain dictionaries.

Used by ``callmaster list ... --json`` and by tests; every item carries its
fields by name with JSON-ready values.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import (
    CrewRelationship,
    Department,
    Element,
    Person,
    Script,
    Show,
    Venue,
)
from callmaster_desktop.db.types import as_jsonable
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.errors import NotFoundError

KINDS = ("shows", "venues", "departments", "people", "scripts", "elements")


def row_dict(obj: object) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.key: as_jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def _find_show(session: Session, owner_id: uuid.UUID, name: str | None) -> Show | None:
    if name is None:
        return None
    show = session.scalars(select(Show).where(Show.owner_id == owner_id, Show.name == name)).first()
    if show is None:
        raise NotFoundError(f'You have no show called "{name}".')
    return show


def list_items(
    session: Session,
    owner_id: uuid.UUID,
    kind: str,
    *,
    show: str | None = None,
    script: str | None = None,
) -> list[dict[str, Any]]:
    if kind == "shows":
        shows = session.scalars(
            select(Show).where(Show.owner_id == owner_id).order_by(Show.name)
        ).all()
        venues = {v.id: v.name for v in session.scalars(select(Venue))}
        return [
            {**row_dict(s), "venue": venues.get(s.venue_id) if s.venue_id else None} for s in shows
        ]
    if kind == "venues":
        venue_q = select(Venue).where(Venue.owner_id == owner_id).order_by(Venue.name)
        return [row_dict(v) for v in session.scalars(venue_q)]
    if kind == "departments":
        dept_q = select(Department).where(Department.owner_id == owner_id).order_by(Department.name)
        return [row_dict(d) for d in session.scalars(dept_q)]
    if kind == "people":
        members = select(CrewRelationship.member_id).where(CrewRelationship.manager_id == owner_id)
        people_q = (
            select(Person)
            .where((Person.id == owner_id) | Person.id.in_(members))
            .order_by(Person.is_guest, Person.last_name, Person.first_name)
        )
        return [row_dict(p) for p in session.scalars(people_q)]
    if kind == "scripts":
        return [row_dict(s) for s in _scripts(session, owner_id, show, script)]
    if kind == "elements":
        scripts = _scripts(session, owner_id, show, script)
        return [e for s in scripts for e in list_elements(session, s)]
    raise NotFoundError(f"Cannot list {kind!r}: choose one of {', '.join(KINDS)}.")


def _scripts(
    session: Session, owner_id: uuid.UUID, show: str | None, script: str | None
) -> list[Script]:
    the_show = _find_show(session, owner_id, show)
    q = select(Script).join(Show, Show.id == Script.show_id).where(Show.owner_id == owner_id)
    if the_show is not None:
        q = q.where(Script.show_id == the_show.id)
    if script is not None:
        q = q.where(Script.name == script)
    found = list(session.scalars(q.order_by(Show.name, Script.created_at)))
    if script is not None and not found:
        raise NotFoundError(f'There is no script called "{script}".')
    return found


def list_elements(session: Session, script: Script) -> list[dict[str, Any]]:
    initials = dict(session.execute(select(Department.id, Department.initials)).all())
    elements = session.scalars(
        select(Element).where(Element.script_id == script.id).order_by(Element.sequence)
    ).all()
    depth: dict[uuid.UUID, int] = {}
    items = []
    for e in elements:
        depth[e.id] = depth[e.parent_id] + 1 if e.parent_id in depth else 0
        item = row_dict(e)
        dept = initials.get(e.department_id) if e.department_id else None
        item["department"] = dept
        item["label"] = f"{dept} {e.cue_number}" if dept and e.cue_number else None
        item["time"] = format_offset(e.offset_ms)
        item["depth"] = depth[e.id]
        item["script"] = script.name
        items.append(item)
    return items


def list_elements_of(
    session: Session, script_id: uuid.UUID
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A script's element records and its departments' colours by initials."""
    script = session.get(Script, script_id)
    if script is None:
        raise NotFoundError("That script is no longer there.")
    colors = {d.initials: d.color for d in session.scalars(select(Department))}
    return list_elements(session, script), colors

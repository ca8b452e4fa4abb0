"""The sample show (``resources/sample_show.json``), loaded for a new user.

The file describes a venue, departments, crew with their show assignments,
and a calling script as a tree of groups, cues and notes. Loading it is one
transaction; departments the owner already has (same initials) are reused.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import (
    CrewAssignment,
    CrewRelationship,
    Department,
    Element,
    Person,
    Script,
    Show,
    Venue,
)
from callmaster_desktop.domain.enums import ElementType, Priority, ScriptStatus, VenueType
from callmaster_desktop.domain.timeoffset import parse_offset
from callmaster_desktop.errors import ValidationError


def sample_show_data() -> dict[str, Any]:
    text = resources.files("resources").joinpath("sample_show.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def load_sample_show(session: Session, owner: Person, data: dict[str, Any] | None = None) -> Show:
    """Create the sample show, owned by ``owner``, in the session's transaction."""
    data = data or sample_show_data()
    show_data = data["show"]
    existing = session.scalars(
        select(Show).where(Show.owner_id == owner.id, Show.name == show_data["name"])
    ).first()
    if existing is not None:
        raise ValidationError(f'You already have a show called "{show_data["name"]}".')
    v = data["venue"]
    venue = Venue(
        owner_id=owner.id,
        name=v["name"],
        address=v.get("address"),
        city=v.get("city"),
        state=v.get("state"),
        capacity=v.get("capacity"),
        venue_type=VenueType(v["venue_type"]) if v.get("venue_type") else None,
        contact_name=v.get("contact_name"),
        contact_email=v.get("contact_email"),
        contact_phone=v.get("contact_phone"),
        stage_width_m=_decimal(v.get("stage_width_m")),
        stage_depth_m=_decimal(v.get("stage_depth_m")),
        fly_height_m=_decimal(v.get("fly_height_m")),
        equipment=list(v.get("equipment") or []),
        rental_rate=_decimal(v.get("rental_rate")),
        minimum_rental=_decimal(v.get("minimum_rental")),
        notes=v.get("notes"),
    )
    session.add(venue)
    departments = _departments(session, owner, data["departments"])
    show = Show(
        owner_id=owner.id,
        venue=venue,
        name=show_data["name"],
        first_performance=_when(show_data.get("first_performance")),
        end=_when(show_data.get("end")),
        deadline=_when(show_data.get("deadline")),
        notes=show_data.get("notes"),
    )
    session.add(show)
    session.flush()
    _crew(session, owner, show, departments, data["crew"])
    s = data["script"]
    script = Script(
        show_id=show.id,
        name=s["name"],
        status=ScriptStatus(s.get("status", "working")),
        start_time=_when(s.get("start")),
        end_time=_when(s.get("end")),
        notes=s.get("notes"),
        updated_by_id=owner.id,
    )
    session.add(script)
    session.flush()
    rows: list[dict[str, Any]] = []
    _flatten(s["elements"], None, script.id, departments, rows)
    session.execute(insert(Element), rows)
    return show


def _departments(
    session: Session, owner: Person, items: list[dict[str, Any]]
) -> dict[str, uuid.UUID]:
    mine = {
        d.initials.upper(): d
        for d in session.scalars(select(Department).where(Department.owner_id == owner.id))
    }
    result: dict[str, uuid.UUID] = {}
    for item in items:
        initials = item["initials"].upper()
        dept = mine.get(initials)
        if dept is None:
            dept = Department(
                owner_id=owner.id,
                name=item["name"],
                initials=initials,
                color=item.get("color") or "#808080",
                description=item.get("description"),
            )
            session.add(dept)
            session.flush()
        result[initials] = dept.id
    return result


def _crew(
    session: Session,
    owner: Person,
    show: Show,
    departments: dict[str, uuid.UUID],
    crew: list[dict[str, Any]],
) -> None:
    for item in crew:
        person = Person(
            first_name=item["first_name"],
            last_name=item.get("last_name") or "",
            email=item.get("email"),
            phone=item.get("phone"),
            production_role=item.get("production_role"),
            notes=item.get("notes"),
            is_guest=True,
        )
        session.add(person)
        session.flush()
        session.add(CrewRelationship(manager_id=owner.id, member_id=person.id))
        for assignment in item.get("assignments", []):
            session.add(
                CrewAssignment(
                    show_id=show.id,
                    person_id=person.id,
                    department_id=departments[assignment["department"].upper()],
                    role=assignment.get("role"),
                )
            )
    session.flush()


def _flatten(
    items: list[dict[str, Any]],
    parent: uuid.UUID | None,
    script_id: uuid.UUID,
    departments: dict[str, uuid.UUID],
    rows: list[dict[str, Any]],
) -> None:
    for item in items:
        kind = ElementType(item["type"])
        element_id = uuid.uuid4()
        children = item.get("children") or []
        time = item.get("time")
        if time is None and children:
            time = _first_time(children)
        duration = item.get("duration")
        dept = item.get("department")
        rows.append(
            {
                "id": element_id,
                "script_id": script_id,
                "element_type": kind,
                "sequence": len(rows) + 1,
                "parent_id": parent,
                "department_id": departments[dept.upper()] if dept else None,
                "cue_number": item.get("number"),
                "name": item.get("name") or "",
                "notes": item.get("notes"),
                "offset_ms": parse_offset(time) if time else 0,
                "duration_ms": parse_offset(duration) if duration else None,
                "priority": Priority(item.get("priority") or "normal"),
                "location": item.get("location"),
                "color": item.get("color"),
                "fires_together": bool(item.get("fires_together", False)),
            }
        )
        _flatten(children, element_id, script_id, departments, rows)


def _first_time(items: list[dict[str, Any]]) -> str | None:
    for item in items:
        if item.get("time"):
            return str(item["time"])
        found = _first_time(item.get("children") or [])
        if found:
            return found
    return None

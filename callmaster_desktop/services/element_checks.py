"""The checks a script's elements pass before a save writes them.

``checked_element`` checks and tidies one row's fields (kind, times, cue
number, colour, lengths); ``check_rules`` checks the whole list against the
rules of domain.md (``domain.rules``) and the owner's departments. Both raise
``ValidationError`` with a sentence naming the row. ``snapshot`` is the
compact JSON a ``ScriptRevision`` keeps.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Department, Element
from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.domain.timeoffset import TimeFormatError, parse_offset
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.validation import colour

MAX_NAME = 300
MAX_LOCATION = 120
# About 2.5 million hours either way: far beyond any show, well inside BIGINT.
MAX_OFFSET_MS = 10**16
CHUNK = 5000
SNAPSHOT_COLUMNS = (
    "id",
    "type",
    "name",
    "offset",
    "parent",
    "department",
    "number",
    "notes",
    "duration",
    "priority",
    "location",
    "color",
    "together",
)


def row_label(position: int, e: ElementData) -> str:
    name = e.name if isinstance(e.name, str) and e.name.strip() else None
    kind = e.element_type.value if isinstance(e.element_type, ElementType) else "row"
    shown = name if name is None or len(name) <= 40 else name[:39] + "\u2026"
    return f'Row {position} ("{shown}")' if shown else f"Row {position} ({kind})"


def _text(label: str, field: str, value: Any, max_len: int | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{label}: the {field} must be text.")
    text = value.strip()
    if max_len is not None and len(text) > max_len:
        raise ValidationError(
            f"{label}: the {field} is {len(text)} characters long; at most {max_len} fit."
        )
    return text or None


def _time(label: str, field: str, value: Any) -> int:
    if value is None:
        raise ValidationError(f"{label} needs a {field}.")
    if isinstance(value, str):
        try:
            value = parse_offset(value)
        except TimeFormatError as exc:
            raise ValidationError(f"{label}: {exc}.") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label}: the {field} must be a time such as 1:02:03.")
    if abs(value) > MAX_OFFSET_MS:
        raise ValidationError(f"{label}: the {field} is too far from the start of the show.")
    return value


def _choice(label: str, field: str, value: Any, kind: type[ElementType] | type[Priority]) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise ValidationError(
            f'{label}: "{value}" is not a {field}; choose one of {choices}.'
        ) from None


def _uuid(label: str, field: str, value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(f"{label}: the {field} is not a known row.") from None


def checked_element(e: ElementData, position: int) -> ElementData:
    """``e`` with its fields checked and tidied (text trimmed, cue number normalized)."""
    label = row_label(position, e)
    element_type = _choice(label, "kind of row", e.element_type, ElementType)
    name = _text(label, "name", "" if e.name is None else e.name, MAX_NAME) or ""
    offset = _time(label, "time", e.offset_ms)
    duration = None if e.duration_ms is None else _time(label, "duration", e.duration_ms)
    if duration is not None and duration < 0:
        raise ValidationError(f"{label}: a duration cannot be negative.")
    number = None
    if e.cue_number is not None and str(e.cue_number).strip():
        try:
            number = normalize_cue_number(str(e.cue_number))
        except CueNumberError as exc:
            raise ValidationError(f"{label}: {exc}") from None
    if e.color is not None and not isinstance(e.color, str):
        raise ValidationError(f"{label}: the colour must be text such as #FFCC00.")
    return replace(
        e,
        element_type=element_type,
        name=name,
        offset_ms=offset,
        duration_ms=duration,
        priority=_choice(label, "priority", e.priority, Priority),
        cue_number=number,
        notes=e.notes if isinstance(e.notes, str) and e.notes.strip() else None,
        location=_text(label, "location", e.location, MAX_LOCATION),
        color=colour(label, e.color),
        parent_id=_uuid(label, "group", e.parent_id),
        department_id=_uuid(label, "department", e.department_id),
        fires_together=bool(e.fires_together),
    )


def check_rules(session: Session, elements: Sequence[ElementData], owner_id: uuid.UUID) -> None:
    """Refuse a list that breaks a rule of domain.md or uses another owner's department."""
    used = {e.department_id for e in elements if e.department_id is not None}
    initials: dict[uuid.UUID, str] = {}
    if used:
        initials = dict(
            session.execute(
                select(Department.id, Department.initials).where(
                    Department.id.in_(used), Department.owner_id == owner_id
                )
            ).all()
        )
    problems = element_rule_problems(
        elements, department_label=lambda d: initials.get(d, "?"), known_departments=set(initials)
    )
    problems.extend(_other_rows_problems(elements, initials))
    if problems:
        first = problems[0][1]
        more = f" ({len(problems) - 1} more problem(s) too.)" if len(problems) > 1 else ""
        raise ValidationError(
            f"The script was not saved: {first[:1].upper()}{first[1:]}.{more}"
        )


def _other_rows_problems(
    elements: Sequence[ElementData], initials: dict[uuid.UUID, str]
) -> list[tuple[str, str]]:
    """Notes and groups: their department must be the owner's; numbers unique as for cues."""
    found: list[tuple[str, str]] = []
    seen: set[tuple[uuid.UUID, str]] = set()
    for e in elements:
        if e.element_type is ElementType.CUE or e.department_id is None:
            continue
        if e.department_id not in initials:
            found.append(("department-owner", f'"{e.name}" uses a department that is not yours'))
    for position, e in enumerate(elements, start=1):
        if e.department_id is None or not e.cue_number:
            continue
        key = (e.department_id, e.cue_number)
        if key in seen and e.element_type is not ElementType.CUE:
            found.append(
                (
                    "cue-number-unique",
                    f"cue number {initials.get(e.department_id, '?')} {e.cue_number} is used "
                    f"twice (again at row {position})",
                )
            )
        seen.add(key)
    return found


def check_new_ids(session: Session, ids: Sequence[uuid.UUID]) -> None:
    """Refuse new rows whose id another script already uses (a row moved, not copied)."""
    for i in range(0, len(ids), CHUNK):
        taken = session.scalar(select(Element.id).where(Element.id.in_(ids[i : i + CHUNK])))
        if taken is not None:
            raise ValidationError(
                "A row being added already belongs to another script: copy it instead."
            )


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "value"):
        return value.value
    return value


def snapshot(script_fields: dict[str, Any], elements: Sequence[ElementData]) -> dict[str, Any]:
    """The script's fields and every element, as compact JSON (one list per row)."""
    return {
        "format": 1,
        "script": {k: _jsonable(v) for k, v in script_fields.items()},
        "columns": list(SNAPSHOT_COLUMNS),
        "rows": [
            [
                str(e.id),
                str(e.element_type),
                e.name,
                e.offset_ms,
                _id(e.parent_id),
                _id(e.department_id),
                e.cue_number,
                e.notes,
                e.duration_ms,
                str(e.priority),
                e.location,
                e.color,
                e.fires_together,
            ]
            for e in elements
        ],
    }

"""The checks a script's elements pass before a save writes them.

``checked_element`` checks and tidies one row's fields (kind, times, cue
number, colour, lengths); ``check_rules`` checks the whole list against the
rules of domain.md (``domain.rules``) and the owner's departments. Both raise
``ValidationError`` with a sentence naming the row. The value helpers
(``new_element``, ``evolve``, ``changed_fields``, ``snapshot``) live in
``element_values`` and are named here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Department, Element
from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.rules import element_rule_problems, written_cue_number
from callmaster_desktop.domain.timeoffset import TimeFormatError, parse_offset
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.element_values import (
    ELEMENT_FIELDS,
    SNAPSHOT_COLUMNS,
    changed_fields,
    evolve,
    new_element,
    snapshot,
    snapshot_rows,
)
from callmaster_desktop.services.validation import colour

__all__ = [
    "ELEMENT_FIELDS",
    "MAX_LOCATION",
    "MAX_NAME",
    "MAX_OFFSET_MS",
    "SNAPSHOT_COLUMNS",
    "RulesKept",
    "changed_fields",
    "check_new_ids",
    "check_rules",
    "checked_element",
    "evolve",
    "new_element",
    "row_label",
    "snapshot",
    "snapshot_rows",
]

MAX_NAME = 300
MAX_LOCATION = 120
# About 2.5 million hours either way: far beyond any show, well inside BIGINT.
MAX_OFFSET_MS = 10**16
CHUNK = 5000


class _Bad(ValueError):
    """A field's problem, before the row's label is put in front of it."""


def row_label(position: int, e: ElementData) -> str:
    name = e.name if isinstance(e.name, str) and e.name.strip() else None
    kind = e.element_type.value if isinstance(e.element_type, ElementType) else "row"
    shown = name if name is None or len(name) <= 40 else name[:39] + "\u2026"
    return f'Row {position} ("{shown}")' if shown else f"Row {position} ({kind})"


def _text(field: str, value: Any, max_len: int | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"the {field} must be text")
    text = value.strip()
    if max_len is not None and len(text) > max_len:
        raise _Bad(f"the {field} is {len(text)} characters long; at most {max_len} fit")
    return text or None


def _time(field: str, value: Any) -> int:
    if value is None:
        raise _Bad(f"the {field} is missing")
    if isinstance(value, str):
        try:
            value = parse_offset(value)
        except TimeFormatError as exc:
            raise _Bad(str(exc)) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"the {field} must be a time such as 1:02:03")
    if abs(value) > MAX_OFFSET_MS:
        raise _Bad(f"the {field} is too far from the start of the show")
    return value


def _duration(value: Any) -> int | None:
    if value is None:
        return None
    duration = _time("duration", value)
    if duration < 0:
        raise _Bad("a duration cannot be negative")
    return duration


def _choice(field: str, kind: type[ElementType] | type[Priority]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is kind:
            return value
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise _Bad(f'"{value}" is not a {field}; choose one of {choices}') from None

    return check


def _uuid(field: str) -> Callable[[Any], uuid.UUID | None]:
    def check(value: Any) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise _Bad(f"the {field} is not a known row") from None

    return check


def _cue_number(value: Any) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_cue_number(str(value))
    except CueNumberError as exc:
        raise _Bad(str(exc).rstrip(".")) from None


def _colour(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _Bad("the colour must be text such as #FFCC00")
    try:
        return colour("The colour", value)
    except ValidationError:
        raise _Bad(
            f'the colour "{str(value)[:20]}" is not a colour code: write it as # and '
            "six hex digits, such as #FFCC00"
        ) from None


def _id(value: Any) -> uuid.UUID:
    if not isinstance(value, uuid.UUID):
        raise _Bad("the row has no proper id")
    return value


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "element_type": _choice("kind of row", ElementType),
    "name": lambda v: _text("name", "" if v is None else v, MAX_NAME) or "",
    "offset_ms": lambda v: _time("time", v),
    "id": _id,
    "parent_id": _uuid("group"),
    "department_id": _uuid("department"),
    "cue_number": _cue_number,
    "notes": lambda v: v if isinstance(v, str) and v.strip() else None,
    "duration_ms": _duration,
    "priority": _choice("priority", Priority),
    "location": lambda v: _text("location", v, MAX_LOCATION),
    "color": _colour,
    "fires_together": bool,
}


def _plain_text(max_len: int) -> Callable[[Any], bool]:
    def fine(v: Any) -> bool:
        return type(v) is str and 0 < len(v) <= max_len and v.strip() == v

    return fine


_name_fine = _plain_text(MAX_NAME)
_location_fine = _plain_text(MAX_LOCATION)
_UUID = uuid.UUID
# Per field: True when the value is certainly what its check would give back as it
# is (so the check is skipped); anything else goes through ``_CHECKS``.
_FINE: dict[str, Callable[[Any], bool]] = {
    "element_type": lambda v: type(v) is ElementType,
    "name": lambda v: v == "" or _name_fine(v),
    "offset_ms": lambda v: type(v) is int and -MAX_OFFSET_MS <= v <= MAX_OFFSET_MS,
    "id": lambda v: type(v) is _UUID,
    "parent_id": lambda v: v is None or type(v) is _UUID,
    "department_id": lambda v: v is None or type(v) is _UUID,
    "cue_number": lambda v: v is None or (type(v) is str and written_cue_number(v)[0] == v),
    "notes": lambda v: v is None or (type(v) is str and v != "" and not v.isspace()),
    "duration_ms": lambda v: v is None or (type(v) is int and 0 <= v <= MAX_OFFSET_MS),
    "priority": lambda v: type(v) is Priority,
    "location": lambda v: v is None or _location_fine(v),
    "color": lambda v: v is None,
    "fires_together": lambda v: type(v) is bool,
}


def checked_element(
    e: ElementData, position: int, fields: Sequence[str] = ELEMENT_FIELDS
) -> ElementData:
    """``e`` with ``fields`` (default: all) checked and tidied: text trimmed, numbers normalized.

    Raises ``ValidationError`` naming the row.
    """
    tidied: dict[str, Any] = {}
    for name in fields:
        value = getattr(e, name)
        if _FINE[name](value):
            continue
        try:
            checked = _CHECKS[name](value)
        except _Bad as exc:
            message = str(exc)
            raise ValidationError(f"{row_label(position, e)}: {message}.") from None
        if (checked is not value and checked != value) or type(checked) is not type(value):
            tidied[name] = checked
    return evolve(e, tidied) if tidied else e


@dataclass(frozen=True)
class RulesKept:
    """An editing session's word that ``rows`` keep the list rules of domain.md.

    The session's ``RuleGuard`` checked every command it applied against the
    group and cue rules (``domain.rules``), starting from the rows as saved,
    so the save need not check those two over the whole list again. It holds
    the very list it vouches for: another list (even an equal one) is checked
    as usual. What the session cannot see is still checked by the save: the
    departments, read from the database, and every row's own fields.
    """

    rows: Sequence[ElementData]


def check_rules(
    session: Session,
    elements: Sequence[ElementData],
    owner_id: uuid.UUID,
    *,
    kept: RulesKept | None = None,
) -> None:
    """Refuse a list that breaks a rule of domain.md or uses another owner's department.

    With ``kept`` vouching for this very list, the group and cue rules are
    not checked again; the departments (from the database) and the numbers
    of notes and groups are.
    """
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
    if kept is not None and kept.rows is elements:
        problems = _cue_department_problems(elements, initials) if used - set(initials) else []
    else:
        problems = element_rule_problems(
            elements,
            department_label=lambda d: initials.get(d, "?"),
            known_departments=set(initials),
        )
    problems.extend(_other_rows_problems(elements, initials))
    if problems:
        first = problems[0][1]
        more = f" ({len(problems) - 1} more problem(s) too.)" if len(problems) > 1 else ""
        raise ValidationError(f"The script was not saved: {first[:1].upper()}{first[1:]}.{more}")


def _cue_department_problems(
    elements: Sequence[ElementData], initials: dict[uuid.UUID, str]
) -> list[tuple[str, str]]:
    """Cues whose department is not (or no longer) one of the owner's."""
    return [
        ("cue-department", f"cue at row {position} ({e.name or e.element_type.value}) uses a "
         "department that is not yours")
        for position, e in enumerate(elements, start=1)
        if e.element_type is ElementType.CUE
        and e.department_id is not None
        and e.department_id not in initials
    ]  # fmt: skip


def _other_rows_problems(
    elements: Sequence[ElementData], initials: dict[uuid.UUID, str]
) -> list[tuple[str, str]]:
    """Notes and groups: their department must be the owner's; numbers unique as for cues."""
    found: list[tuple[str, str]] = []
    cue = ElementType.CUE
    if not any(e.department_id is not None and e.element_type is not cue for e in elements):
        return found  # only cues have departments: the cue rules see to them
    for e in elements:
        if e.element_type is cue or e.department_id is None:
            continue
        if e.department_id not in initials:
            found.append(("department-owner", f'"{e.name}" uses a department that is not yours'))
    seen: set[tuple[int, str]] = set()
    for position, e in enumerate(elements, start=1):
        if e.department_id is None or not e.cue_number:
            continue
        key = (e.department_id.int, e.cue_number)
        if key in seen and e.element_type is not cue:
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

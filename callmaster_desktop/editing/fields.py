"""Reading what the stage manager typed, and checking a row's fields before an edit.

The row checks are the save's own (``services.element_checks.checked_element``),
so a row the editor accepts is written exactly as it is held in memory.
On top of them the editor refuses what the save would only catch later: a
department that is not the owner's, and a cue number on a row that is not a
cue.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from callmaster_desktop.domain.element import EDITABLE_FIELDS, OPTIONAL_FIELDS, ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import TimeFormatError, parse_delta, parse_offset
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.element_checks import checked_element
from callmaster_desktop.services.validation import choice

# What each field is called in a sentence.
FIELD_WORDS = {
    "element_type": "kind",
    "parent_id": "group",
    "department_id": "department",
    "cue_number": "cue number",
    "name": "name",
    "notes": "notes",
    "offset_ms": "time",
    "duration_ms": "duration",
    "priority": "priority",
    "location": "location",
    "color": "colour",
    "fires_together": "fire-together setting",
}
# Fields an edit of one row may set (its group changes only by moving it).
ROW_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "parent_id")


def parse_time(value: str | int) -> int:
    """An offset from text (``1:02:03``, ``2:03``, ``-5:00``, ``90s``, ``1.5m``) or milliseconds."""
    if isinstance(value, str):
        try:
            return parse_offset(value)
        except TimeFormatError as exc:
            raise ValidationError(f"{exc}.") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("A time must be written like 1:02:03, 2:03, 90s or 1.5m.")
    return value


def parse_shift(value: str | int) -> int:
    """A time shift from text (``+0:05``, ``-0:05``, ``+90s``) or milliseconds."""
    if isinstance(value, str):
        try:
            return parse_delta(value)
        except TimeFormatError as exc:
            raise ValidationError(f"{exc}.") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("A time shift must be written like +0:05 or -1:30.")
    return value


def read_value(name: str, value: Any) -> Any:
    """A field's value from what the editor hands over (text for times, enums by value)."""
    if name not in EDITABLE_FIELDS:
        raise ValidationError(f"A row has no field called {name}.")
    if value is None:
        if name == "name":
            return ""
        if name not in OPTIONAL_FIELDS and name != "fires_together":
            raise ValidationError(f"The {FIELD_WORDS[name]} of a row cannot be cleared.")
        return False if name == "fires_together" else None
    if name in ("offset_ms", "duration_ms"):
        return parse_time(value)
    if name == "element_type":
        try:
            return ElementType(value)
        except ValueError:
            raise ValidationError(f'"{value}" is not a cue, a note or a group.') from None
    if name == "priority":
        return choice(Priority, value, "priority")
    if name in ("department_id", "parent_id") and not isinstance(value, uuid.UUID):
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise ValidationError(f"That is not a known {FIELD_WORDS[name]}.") from None
    if name == "cue_number" and isinstance(value, str) and not value.strip():
        return None
    return value


def read_values(
    changes: Mapping[str, Any], allowed: tuple[str, ...] = ROW_FIELDS
) -> dict[str, Any]:
    unknown = [name for name in changes if name not in allowed]
    if unknown:
        if "parent_id" in unknown:
            raise ValidationError("A row changes group by being moved, not edited.")
        raise ValidationError(f"A row has no field called {', '.join(sorted(unknown))}.")
    return {name: read_value(name, value) for name, value in changes.items()}


def check_row(state: ScriptState, e: ElementData, position: int) -> ElementData:
    """``e`` checked and tidied as the save would (``ValidationError`` naming the row)."""
    checked = checked_element(e, position + 1)
    if checked.department_id is not None and checked.department_id not in state.departments:
        raise ValidationError(f"{state.label(checked)} uses a department that is not one of yours.")
    if checked.cue_number is not None and checked.element_type is not ElementType.CUE:
        raise ValidationError(
            f"Only cues have cue numbers: {state.label(checked)} is a {checked.element_type.value}."
        )
    return checked


def check_number_free(state: ScriptState, e: ElementData, *, ignore: set[uuid.UUID]) -> None:
    """Refuse a cue number its department already uses on another cue."""
    if e.element_type is not ElementType.CUE or e.department_id is None or not e.cue_number:
        return
    taken = [i for i in state.cue_holders(e.department_id, e.cue_number) if i not in ignore]
    if taken:
        row = state.position_of(taken[0]) + 1
        label = f"{state.initials(e.department_id)} {e.cue_number}"
        raise ValidationError(f"{label} is already used by another cue (row {row}).")

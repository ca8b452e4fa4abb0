"""An element's values: built, changed, compared and written as JSON, quickly.

A script can hold 100,000 rows, and the save, the draft and the editing
engine build and compare ``ElementData`` by the tens of thousands:

- ``new_element`` builds one from its 13 values in field order, three times
  quicker than the frozen dataclass's own ``__init__``;
- ``evolve`` is a quicker ``dataclasses.replace``;
- ``changed_fields`` names the fields that differ, finding the candidates in C;
- ``snapshot`` and ``snapshot_rows`` write rows as the compact JSON a
  ``ScriptRevision`` keeps (one list per row, columns named once).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import fields as dataclass_fields
from datetime import datetime
from itertools import compress
from operator import attrgetter, is_not
from typing import Any

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority

# Column names in ElementData's field order, so a row builds an ElementData positionally.
ELEMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclass_fields(ElementData))
_FIELD_INDEX = {name: n for n, name in enumerate(ELEMENT_FIELDS)}
_GET_FIELDS = attrgetter(*ELEMENT_FIELDS)
_POSITIONS = range(len(ELEMENT_FIELDS))
_SNAPSHOT_VALUES = attrgetter(
    "id",
    "element_type",
    "name",
    "offset_ms",
    "parent_id",
    "department_id",
    "cue_number",
    "notes",
    "duration_ms",
    "priority",
    "location",
    "color",
    "fires_together",
)
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


def _element_builder() -> Callable[..., ElementData]:
    """A function building ``ElementData`` positionally, straight into its slots.

    A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``; this sets the slots directly. Used only when it
    gives equal objects on this Python (checked here), else the class itself.
    """
    new = object.__new__
    cls = ElementData
    setters = tuple(cls.__dict__[name].__set__ for name in ELEMENT_FIELDS)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12 = setters

    def build(
        element_type: ElementType, name: str, offset_ms: int, id: uuid.UUID,
        parent_id: uuid.UUID | None, department_id: uuid.UUID | None, cue_number: str | None,
        notes: str | None, duration_ms: int | None, priority: Priority, location: str | None,
        color: str | None, fires_together: bool,
    ) -> ElementData:  # fmt: skip
        e: ElementData = new(cls)
        s0(e, element_type)
        s1(e, name)
        s2(e, offset_ms)
        s3(e, id)
        s4(e, parent_id)
        s5(e, department_id)
        s6(e, cue_number)
        s7(e, notes)
        s8(e, duration_ms)
        s9(e, priority)
        s10(e, location)
        s11(e, color)
        s12(e, fires_together)
        return e

    sample = (ElementType.CUE, "a", 1, uuid.uuid4(), None, uuid.uuid4(), "1", None, 2,
              Priority.HIGH, "SL", "#FFCC00", True)  # fmt: skip
    try:
        made = build(*sample)
        if type(made) is cls and made == cls(*sample) and hash(made) == hash(cls(*sample)):
            return build
    except (AttributeError, TypeError, KeyError):  # pragma: no cover - another dataclass
        pass
    return cls  # pragma: no cover


new_element = _element_builder()


def changed_fields(old: ElementData, new: ElementData) -> tuple[str, ...]:
    """The fields whose values differ (a value of another type counts as different)."""
    a, b = _GET_FIELDS(old), _GET_FIELDS(new)
    # Only fields holding another object can differ; finding those runs in C.
    return tuple(
        ELEMENT_FIELDS[i]
        for i in compress(_POSITIONS, map(is_not, a, b))
        if a[i] != b[i] or type(a[i]) is not type(b[i])
    )


def evolve(e: ElementData, changes: dict[str, Any]) -> ElementData:
    """``e`` with some fields changed (a faster ``dataclasses.replace``)."""
    values = list(_GET_FIELDS(e))
    for name, value in changes.items():
        values[_FIELD_INDEX[name]] = value
    return new_element(*values)


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
        "rows": snapshot_rows(elements),
    }


def snapshot_rows(elements: Sequence[ElementData]) -> list[list[Any]]:
    """Rows in the snapshot's layout (``SNAPSHOT_COLUMNS``): plain JSON values."""
    texts: dict[int, str] = {}
    rows: list[list[Any]] = []
    append = rows.append
    for e in elements:
        (element_id, kind, name, offset, parent, department, number, notes, duration, priority,
         location, color, together) = _SNAPSHOT_VALUES(e)  # fmt: skip
        if parent is not None:
            key = parent.int
            parent = texts.get(key) or texts.setdefault(key, str(parent))
        if department is not None:
            key = department.int
            department = texts.get(key) or texts.setdefault(key, str(department))
        append([str(element_id), str(kind), name, offset, parent, department, number, notes,
                duration, str(priority), location, color, together])  # fmt: skip
    return rows

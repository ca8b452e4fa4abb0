"""An element's data as a plain value, independent of the database session.

The editing engine keeps a script as a list of these (list order is the
sequence); the services write such a list back in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from typing import Any

from callmaster_desktop.domain.enums import ElementType, Priority

# Fields an edit may change (everything but the id; the sequence is list order).
EDITABLE_FIELDS = (
    "element_type",
    "parent_id",
    "department_id",
    "cue_number",
    "name",
    "notes",
    "offset_ms",
    "duration_ms",
    "priority",
    "location",
    "color",
    "fires_together",
)
OPTIONAL_FIELDS = (
    "parent_id",
    "department_id",
    "cue_number",
    "notes",
    "duration_ms",
    "location",
    "color",
)


@dataclass(frozen=True, slots=True)
class ElementData:
    element_type: ElementType
    name: str = ""
    offset_ms: int = 0
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    parent_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    cue_number: str | None = None
    notes: str | None = None
    duration_ms: int | None = None
    priority: Priority = Priority.NORMAL
    location: str | None = None
    color: str | None = None
    fires_together: bool = False

    def with_changes(self, **changes: Any) -> ElementData:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_object(cls, obj: Any) -> ElementData:
        """From anything with the same attribute names (an ORM ``Element``, a row)."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})

"""Small scripts for the calling-engine tests, written the way a stage manager reads them."""

from __future__ import annotations

import uuid

from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import parse_offset

LX = uuid.UUID(int=1)
SQ = uuid.UUID(int=2)
FLY = uuid.UUID(int=3)
DEPARTMENTS = {LX: "LX", SQ: "SQ", FLY: "FLY"}


def _ms(at: str | int) -> int:
    return at if isinstance(at, int) else parse_offset(at)


class Sketch:
    """Rows in sequence order; every method returns the new row's id."""

    def __init__(self) -> None:
        self.rows: list[ElementData] = []

    def group(
        self, name: str, *, parent: uuid.UUID | None = None, together: bool = False
    ) -> uuid.UUID:
        row = ElementData(ElementType.GROUP, name, parent_id=parent, fires_together=together)
        self.rows.append(row)
        return row.id

    def cue(
        self,
        department: uuid.UUID,
        number: str,
        at: str | int,
        *,
        parent: uuid.UUID | None = None,
        priority: Priority = Priority.NORMAL,
    ) -> uuid.UUID:
        row = ElementData(
            ElementType.CUE,
            f"{DEPARTMENTS[department]} {number}",
            _ms(at),
            parent_id=parent,
            department_id=department,
            cue_number=number,
            priority=priority,
        )
        self.rows.append(row)
        return row.id

    def note(self, text: str, at: str | int, *, parent: uuid.UUID | None = None) -> uuid.UUID:
        row = ElementData(ElementType.NOTE, text, _ms(at), parent_id=parent)
        self.rows.append(row)
        return row.id

    def plan(self, **kwargs: object) -> CallPlan:
        return CallPlan.from_elements(self.rows, DEPARTMENTS, **kwargs)  # type: ignore[arg-type]


def labels(cues: object) -> list[str]:
    """The labels of cues, of called/skipped events, or of standby entries."""
    out: list[str] = []
    for item in cues:  # type: ignore[attr-defined]
        cue = getattr(item, "cue", item)
        out.append(cue.label)
    return out

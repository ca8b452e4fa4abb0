"""Dropping rows among others: would they be out of time order, and the move that retimes them.

No Qt here. ``time_conflict`` looks at where dropped rows would land: the
nearest timed rows (cues and notes) before and after that place, leaving
out the rows being moved. When the rows' times do not fit between them, the
editor asks the stage manager: keep their time, take the neighbour's time
(``MoveAndRetime``: the move and the shift as one undoable step), or cancel.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.editing import MoveElements, Place, ShiftTimes
from callmaster_desktop.editing.base import Command, block_rows, selected_blocks
from callmaster_desktop.editing.state import ScriptState


@dataclass(frozen=True)
class TimeConflict:
    """The dropped rows' times against their new neighbours'."""

    label: str  # what is being moved, as a stage manager names it
    first_ms: int
    last_ms: int
    before: ElementData | None
    after: ElementData | None
    neighbour_label: str
    before_label: str = ""
    after_label: str = ""

    @property
    def neighbour_ms(self) -> int:
        neighbour = self.before or self.after
        assert neighbour is not None
        return neighbour.offset_ms

    @property
    def shift_ms(self) -> int:
        """The shift that gives the first moved row its neighbour's time."""
        if self.before is not None:
            return self.before.offset_ms - self.first_ms
        assert self.after is not None
        return self.after.offset_ms - self.last_ms

    def sentence(self) -> str:
        around = []
        if self.before is not None:
            around.append(f"after {self.before_label} ({format_offset(self.before.offset_ms)})")
        if self.after is not None:
            around.append(f"before {self.after_label} ({format_offset(self.after.offset_ms)})")
        when = format_offset(self.first_ms)
        if self.last_ms != self.first_ms:
            when += f"–{format_offset(self.last_ms)}"
        return f"{self.label} ({when}) would land {' and '.join(around)}, out of time order."


def _timed(e: ElementData) -> bool:
    return e.element_type is not ElementType.GROUP


def time_conflict(
    state: ScriptState, ids: Iterable[uuid.UUID], place: Place
) -> TimeConflict | None:
    """Whether moving the rows ``ids`` to ``place`` puts them out of time order."""
    blocks = selected_blocks(state, ids)
    rows = block_rows(state, blocks)
    moving = {e.id for e in rows}
    timed = [e.offset_ms for e in rows if _timed(e)]
    if not timed:
        return None
    position, _ = place.resolve(state)
    elements: Sequence[ElementData] = state.elements
    before = next(
        (
            elements[p]
            for p in range(position - 1, -1, -1)
            if elements[p].id not in moving and _timed(elements[p])
        ),
        None,
    )
    after = next(
        (
            elements[p]
            for p in range(position, len(elements))
            if elements[p].id not in moving and _timed(elements[p])
        ),
        None,
    )
    first, last = min(timed), max(timed)
    early = before is not None and first < before.offset_ms
    late = after is not None and last > after.offset_ms
    if not (early or late):
        return None
    roots = [state.at(start) for start, _ in blocks]
    label = state.label(roots[0]) if len(roots) == 1 else f"{len(roots)} rows"
    neighbour = before if before is not None else after
    assert neighbour is not None
    return TimeConflict(
        label,
        first,
        last,
        before,
        after,
        state.label(neighbour),
        state.label(before) if before is not None else "",
        state.label(after) if after is not None else "",
    )


class MoveAndRetime(Command):
    """Move rows and give them their new neighbour's time, as one step."""

    def __init__(self, ids: Iterable[uuid.UUID], place: Place, shift_ms: int, neighbour: str):
        self.ids = tuple(ids)
        self.place = place
        self.shift_ms = shift_ms
        self.neighbour = neighbour

    def perform(self, state: ScriptState) -> str:
        moved = MoveElements(self.ids, self.place).perform(state)
        if self.shift_ms:
            ShiftTimes(self.ids, self.shift_ms).perform(state)
        return f"{moved}, taking the time of {self.neighbour}"

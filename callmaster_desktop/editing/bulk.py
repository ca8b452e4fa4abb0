"""Edit commands over many rows at once, each one step: shift, set, renumber, sort."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import format_delta
from callmaster_desktop.editing.base import (
    Command,
    NothingToChange,
    count_words,
    rows_word,
    selected_blocks,
    selected_positions,
    subject,
)
from callmaster_desktop.editing.fields import FIELD_WORDS, check_row, parse_shift, read_value
from callmaster_desktop.editing.numbering import read_number, renumbered
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.element_checks import MAX_OFFSET_MS, evolve
from callmaster_desktop.services.element_draft import ElementDraft

SETTABLE_FIELDS = ("department_id", "priority", "color", "location")


class ShiftTimes(Command):
    """Shift the times of the chosen rows (a group with every row inside it) by a delta.

    ``delta`` is milliseconds or text such as ``"+0:05"`` or ``"-1:30"``.
    """

    def __init__(self, ids: Iterable[uuid.UUID], delta: int | str) -> None:
        self.ids = tuple(ids)
        self.delta = delta

    def perform(self, state: ScriptState) -> str:
        delta = parse_shift(self.delta)
        if delta == 0:
            raise NothingToChange("A shift of +0:00 changes nothing.")
        shifted: list[ElementData] = []
        for start, end in selected_blocks(state, self.ids):
            rows = [
                evolve(e, {"offset_ms": e.offset_ms + delta}) for e in state.elements[start:end]
            ]
            if any(abs(e.offset_ms) > MAX_OFFSET_MS for e in rows):
                raise ValidationError(
                    f"Shifting by {format_delta(delta)} takes a row too far from the start "
                    "of the show."
                )
            state.splice(start, end - start, rows)
            shifted.extend(rows)
        shown = format_delta(delta, show_ms=delta % 1000 != 0)
        return f"Shifted {subject(state, shifted)} by {shown}"


class SetForSelection(Command):
    """Give every chosen row the same department, priority, colour or location.

    ``None`` clears the department, colour or location. Only the chosen rows
    change, not the rows inside a chosen group.
    """

    def __init__(self, ids: Iterable[uuid.UUID], field: str, value: Any) -> None:
        self.ids = tuple(ids)
        self.field = field
        self.value = value

    def perform(self, state: ScriptState) -> str:
        if self.field not in SETTABLE_FIELDS:
            words = ", ".join(FIELD_WORDS[f] for f in SETTABLE_FIELDS)
            raise ValidationError(
                f"Only the {words} can be set on several rows at once, not "
                f"{FIELD_WORDS.get(self.field, self.field)}."
            )
        value = read_value(self.field, self.value)
        chosen: list[ElementData] = []
        changed = 0
        for position in selected_positions(state, self.ids):
            old = state.at(position)
            chosen.append(old)
            new = check_row(state, evolve(old, {self.field: value}), position)
            if new != old:
                state.splice(position, 1, (new,))
                changed += 1
            value = getattr(new, self.field)  # as checked (a colour in capitals)
        word = FIELD_WORDS[self.field]
        if not changed:
            raise NothingToChange(f"The {word} is already like that: nothing changed.")
        who = subject(state, chosen)
        if value is None:
            return f"Cleared the {word} of {who}"
        return f"Set the {word} of {who} to {_shown(state, self.field, value)}"


def _shown(state: ScriptState, field: str, value: Any) -> str:
    if field == "department_id":
        return state.initials(value)
    if field == "priority":
        return str(value.value)
    if field == "location":
        return f'"{value}"'
    return str(value)


class RenumberDepartment(Command):
    """Number a department's cues ``start``, ``start + step``, ... in script order."""

    def __init__(
        self,
        department_id: uuid.UUID,
        start: Decimal | str | int = 1,
        step: Decimal | str | int = 1,
    ) -> None:
        self.department_id = department_id
        self.start = start
        self.step = step

    def perform(self, state: ScriptState) -> str:
        if self.department_id not in state.departments:
            raise NotFoundError("That department is not there: it may have been deleted.")
        initials = state.initials(self.department_id)
        first = read_number(self.start, "first number")
        step = read_number(self.step, "step")
        wanted = self.department_id.int
        positions = [
            p
            for p, e in enumerate(state.elements)
            if e.element_type is ElementType.CUE
            and e.department_id is not None
            and e.department_id.int == wanted
        ]
        if not positions:
            raise NothingToChange(f"There are no {initials} cues in this script to renumber.")
        numbers = renumbered(len(positions), first, step, initials)
        changed = 0
        for position, number in zip(positions, numbers, strict=True):
            e = state.at(position)
            if e.cue_number != number:
                state.splice(position, 1, (evolve(e, {"cue_number": number}),))
                changed += 1
        if not changed:
            raise NothingToChange(f"The {initials} cues are already numbered like that.")
        cues = count_words([state.at(p) for p in positions])
        return f"Renumbered {initials} from {first:f} by {step:f} ({cues})"


class SortByTime(Command):
    """Put every group's rows, and the top level, in time order (equal times keep order).

    A group moves with its rows; its time is the earliest time inside it
    (``services.element_draft.ElementDraft.sort_by``, as the sort service).
    """

    def perform(self, state: ScriptState) -> str:
        draft = ElementDraft(state.elements)
        draft.sort_by(lambda e: e.offset_ms)
        rows = draft.rows()
        moved = sum(1 for old, new in zip(state.elements, rows, strict=True) if old is not new)
        if not moved:
            raise NothingToChange("The script is already in time order.")
        state.replace_all(rows)
        return f"Sorted the script by time ({rows_word(moved)} moved)"

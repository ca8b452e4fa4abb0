"""Inserting copies of rows at a place: paste and duplicate, as one undoable step.

The rows come from the clipboard, a spreadsheet, another script or the same
script (duplicate). They are given in script order, each group before the
rows inside it; a row whose group is among them stays inside the copy of
that group, every other row goes to the group of the place. Every copy gets
a new id. A cue keeps its number when its department does not use it yet,
else it gets the number proposed for where it lands (pasting LX 12 right
after LX 12 gives LX 12.5), so pasting never breaks the one-number-per-cue
rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing.base import Command, Place, count_words
from callmaster_desktop.editing.fields import check_number_free, check_row
from callmaster_desktop.editing.numbering import propose_cue_number
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import ValidationError


def _number_taken(state: ScriptState, e: ElementData) -> bool:
    if e.department_id is None or not e.cue_number:
        return True
    try:
        number = normalize_cue_number(e.cue_number)
    except CueNumberError:
        return False  # check_row refuses it with the right words
    return bool(state.cue_holders(e.department_id, number))


class InsertRows(Command):
    """Insert copies of ``rows`` at ``place`` ("Pasted 3 cues", "Duplicated LX 12 as LX 12.5").

    After the command is done, ``new_ids`` holds the copies' ids in order.
    """

    def __init__(self, rows: Sequence[ElementData], place: Place, *, verb: str = "Pasted") -> None:
        self.rows = tuple(rows)
        self.place = place
        self.verb = verb
        self.new_ids: list[uuid.UUID] = []

    def perform(self, state: ScriptState) -> str:
        if not self.rows:
            raise ValidationError("There is nothing to paste: copy some rows first.")
        position, parent = self.place.resolve(state)
        copies = {e.id: uuid.uuid4() for e in self.rows}
        seen: set[uuid.UUID] = set()
        top: list[tuple[ElementData, ElementData]] = []
        new_ids: list[uuid.UUID] = []
        for offset, e in enumerate(self.rows):
            inside = e.parent_id is not None and e.parent_id in seen
            group = copies[e.parent_id] if e.parent_id is not None and inside else parent
            copy = e.with_changes(id=copies[e.id], parent_id=group)
            seen.add(e.id)
            at = position + offset
            if copy.element_type is ElementType.CUE and _number_taken(state, copy):
                number = None
                if copy.department_id in state.departments:
                    number = propose_cue_number(state, copy.department_id, at)
                if number is None and copy.department_id in state.departments:
                    raise ValidationError(
                        f"No {state.initials(copy.department_id)} cue number is free for "
                        f"{state.label(e)}: renumber the department first."
                    )
                copy = copy.with_changes(cue_number=number)
            copy = check_row(state, copy, at)
            check_number_free(state, copy, ignore=set())
            state.splice(at, 0, (copy,))
            new_ids.append(copy.id)
            if not inside:
                top.append((e, copy))
        self.new_ids = new_ids
        if len(top) == 1:
            original, copy = top[0]
            before, after = state.label(original), state.label(copy)
            if original.element_type is ElementType.CUE and before != after:
                return f"{self.verb} {before} as {after}"
            return f"{self.verb} {after}"
        return f"{self.verb} {count_words([copy for _, copy in top])}"

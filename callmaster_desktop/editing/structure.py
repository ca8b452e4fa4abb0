"""Edit commands that change the script's shape: move, group, ungroup.

A group always moves with the rows inside it, and rows keep their order
among themselves. Moving into a group, out of it or to another level is
the same command: the destination says which group the rows go to.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing.base import (
    Command,
    NothingToChange,
    Place,
    block_rows,
    count_words,
    promote_children,
    remove_blocks,
    rows_word,
    selected_blocks,
)
from callmaster_desktop.editing.fields import check_row
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.element_checks import evolve


def _subject(state: ScriptState, roots: list[ElementData]) -> str:
    return state.label(roots[0]) if len(roots) == 1 else count_words(roots)


class MoveElements(Command):
    """Move rows (one, a selection, a whole group) to a place, into or out of groups.

    The chosen rows (each group with everything inside it) are gathered in
    script order at the place and belong to the group the place is in.
    """

    def __init__(self, ids: Iterable[uuid.UUID], place: Place) -> None:
        self.ids = tuple(ids)
        self.place = place

    def perform(self, state: ScriptState) -> str:
        blocks = selected_blocks(state, self.ids)
        roots = [state.at(start) for start, _ in blocks]
        rows = block_rows(state, blocks)
        moving = {e.id for e in rows}
        anchor = self.place.anchor
        if anchor is not None and anchor in moving:
            if self.place.kind in ("first_in", "last_in"):
                raise ValidationError(
                    f"{state.label(state.get(anchor))} cannot go inside itself or inside a "
                    "group it holds."
                )
            raise ValidationError(
                f"Rows cannot be placed {self.place.describe(state)}: it is one of the rows "
                "being moved."
            )
        where = self.place.describe(state)
        remove_blocks(state, blocks)
        position, parent = self.place.resolve(state)
        root_ids = {e.id for e in roots}
        placed = [evolve(e, {"parent_id": parent}) if e.id in root_ids else e for e in rows]
        contiguous = all(a[1] == b[0] for a, b in itertools.pairwise(blocks))
        if contiguous and position == blocks[0][0] and all(r.parent_id == parent for r in roots):
            raise NothingToChange("The rows are already there: nothing moved.")
        state.splice(position, 0, placed)
        return f"Moved {_subject(state, roots)} {where}"


class GroupElements(Command):
    """Put the chosen rows in a new group, where the first of them was.

    The rows must belong to the same group (or all be at the top level);
    groups may hold groups. ``group_id`` is the new group's id.
    """

    def __init__(
        self,
        ids: Iterable[uuid.UUID],
        name: str = "New group",
        *,
        color: str | None = None,
        group_id: uuid.UUID | None = None,
    ) -> None:
        self.ids = tuple(ids)
        self.name = name
        self.color = color
        self.group_id = group_id or uuid.uuid4()

    def perform(self, state: ScriptState) -> str:
        blocks = selected_blocks(state, self.ids)
        roots = [state.at(start) for start, _ in blocks]
        parents = {r.parent_id for r in roots}
        if len(parents) > 1:
            raise ValidationError(
                "Only rows of the same group can be grouped together: choose rows that sit "
                "side by side in one group (or all outside groups)."
            )
        parent = parents.pop()
        rows = block_rows(state, blocks)
        timed = [e.offset_ms for e in rows if e.element_type is not ElementType.GROUP]
        first = blocks[0][0]
        header = ElementData(
            ElementType.GROUP,
            self.name,
            min(timed) if timed else roots[0].offset_ms,
            id=self.group_id,
            parent_id=parent,
            color=self.color,
        )
        header = check_row(state, header, first)
        remove_blocks(state, blocks)
        root_ids = {e.id for e in roots}
        held = [evolve(e, {"parent_id": header.id}) if e.id in root_ids else e for e in rows]
        state.splice(first, 0, (header, *held))
        return f"Grouped {_subject(state, roots)} as {state.label(header)}"


class Ungroup(Command):
    """Take a group's header away; its rows stay in place, in the group that held it."""

    def __init__(self, group_id: uuid.UUID) -> None:
        self.group_id = group_id

    def perform(self, state: ScriptState) -> str:
        position = state.position_of(self.group_id)
        group = state.at(position)
        if group.element_type is not ElementType.GROUP:
            raise ValidationError(
                f"{state.label(group)} is not a group: there is nothing to ungroup."
            )
        direct = promote_children(state, position)
        return f"Ungrouped {state.label(group)} ({rows_word(direct)})"

"""What every edit command shares: the command itself, places, selections.

A command changes a ``ScriptState`` only through ``splice``/``set_info`` and
returns its description in a stage manager's words ("Moved LX 12 after SQ
4"). The edit session records the changes it made, checks the rules, and
undoes or redoes the command from that record. A command that cannot be
done raises ``ValidationError`` (or ``NotFoundError``) and the session puts
everything back.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.element_checks import evolve


class NothingToChange(ValidationError):
    """The command would leave the script exactly as it is (nothing is recorded)."""


class Command(ABC):
    """One edit of the script; an edit of a whole selection is one command."""

    @abstractmethod
    def perform(self, state: ScriptState) -> str:
        """Change the state; return what was done, in the stage manager's words."""


PlaceKind = Literal["after", "before", "first_in", "last_in"]


@dataclass(frozen=True)
class Place:
    """Where rows go: after or before a row (in its group), or first or last in a group.

    ``Place.first_in(None)`` and ``Place.last_in(None)`` are the top and the
    end of the script.
    """

    kind: PlaceKind
    anchor: uuid.UUID | None = None

    @classmethod
    def after(cls, element_id: uuid.UUID) -> Place:
        return cls("after", element_id)

    @classmethod
    def before(cls, element_id: uuid.UUID) -> Place:
        return cls("before", element_id)

    @classmethod
    def first_in(cls, group_id: uuid.UUID | None) -> Place:
        return cls("first_in", group_id)

    @classmethod
    def last_in(cls, group_id: uuid.UUID | None) -> Place:
        return cls("last_in", group_id)

    def resolve(self, state: ScriptState) -> tuple[int, uuid.UUID | None]:
        """(position to insert at, the group the rows will belong to)."""
        if self.kind in ("after", "before"):
            if self.anchor is None:
                raise ValueError(f"Place.{self.kind} needs a row")
            position = state.position_of(self.anchor)
            parent = state.at(position).parent_id
            if self.kind == "before":
                return position, parent
            return state.block_end(position), parent
        if self.anchor is None:
            return (0 if self.kind == "first_in" else len(state)), None
        group = state.get(self.anchor)
        if group.element_type is not ElementType.GROUP:
            raise ValidationError(
                f"{state.label(group)} is a {group.element_type.value}, not a group: "
                "rows can only be put inside a group."
            )
        position = state.position_of(group.id)
        if self.kind == "first_in":
            return position + 1, group.id
        return state.block_end(position), group.id

    def describe(self, state: ScriptState) -> str:
        """``after SQ 4``, ``before Act 2``, ``to the top of Act 2``, ``to the end of ...``."""
        if self.anchor is None:
            return (
                "to the top of the script"
                if self.kind == "first_in"
                else "to the end of the script"
            )
        label = state.label(state.get(self.anchor))
        return {
            "after": f"after {label}",
            "before": f"before {label}",
            "first_in": f"to the top of {label}",
            "last_in": f"to the end of {label}",
        }[self.kind]


def selected_positions(state: ScriptState, ids: Iterable[uuid.UUID]) -> list[int]:
    """Positions of the chosen rows, in script order, each once."""
    chosen = sorted({state.position_of(i) for i in ids})
    if not chosen:
        raise ValidationError("Choose at least one row first.")
    return chosen


def selected_blocks(state: ScriptState, ids: Iterable[uuid.UUID]) -> list[tuple[int, int]]:
    """The chosen rows as blocks ``(start, end)``: a chosen group brings its rows.

    A row inside a chosen group is part of that group's block, not a block
    of its own. Blocks are in script order and do not overlap.
    """
    blocks: list[tuple[int, int]] = []
    for position in selected_positions(state, ids):
        if blocks and position < blocks[-1][1]:
            continue  # inside the previous chosen group
        blocks.append((position, state.block_end(position)))
    return blocks


def block_rows(state: ScriptState, blocks: list[tuple[int, int]]) -> list[ElementData]:
    return [e for start, end in blocks for e in state.elements[start:end]]


def remove_blocks(state: ScriptState, blocks: list[tuple[int, int]]) -> None:
    """Take the blocks out of the script, last first so positions stay right."""
    for start, end in reversed(blocks):
        state.splice(start, end - start)


def promote_children(state: ScriptState, position: int) -> int:
    """Take out the group at ``position``; the rows it held directly join its own group.

    Only the header and those rows change (the rows inside them stay as they
    are). Returns how many rows changed group.
    """
    group = state.at(position)
    end = state.block_end(position)
    state.splice(position, 1)
    group_key = group.id.int
    moved = 0
    for at in range(position, end - 1):
        row = state.at(at)
        if row.parent_id is not None and row.parent_id.int == group_key:
            state.splice(at, 1, (evolve(row, {"parent_id": group.parent_id}),))
            moved += 1
    return moved


def count_words(rows: list[ElementData]) -> str:
    """``14 cues``, ``1 note``, ``5 rows`` (mixed kinds)."""
    kinds = {e.element_type for e in rows}
    n = len(rows)
    if len(kinds) == 1:
        kind = next(iter(kinds)).value
        return f"{n} {kind}" + ("" if n == 1 else "s")
    return f"{n} row" + ("" if n == 1 else "s")


def rows_word(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def subject(state: ScriptState, rows: list[ElementData]) -> str:
    """One row by its label, several by how many: ``LX 12`` or ``14 cues``."""
    return state.label(rows[0]) if len(rows) == 1 else count_words(rows)

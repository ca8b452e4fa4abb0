"""What a save must write: the difference between the stored rows and the wanted ones.

``diff_rows`` compares the rows a script holds (in sequence order) with the
rows the stage manager wants, checks every added or changed row's fields
(``checked_element``) and says, set by set, what to write: rows to delete,
rows whose department or cue number changes, rows that change place
(``(old, new, id)``), rows to insert and rows whose other fields change,
grouped by the columns that change.

It is quick when little changed, whatever the script's size: the unchanged
start and end of the script (the very same row objects, as an editing
session keeps them) are found in C, and only the rows between are looked
at one by one. After an insert near the top, the rows below only move.
When every row of the script moves by the same time (and nothing else
changes in them), that is one set-based statement (``shift_all``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, count
from operator import is_not

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.services.element_checks import (
    changed_fields,
    checked_element,
)
from callmaster_desktop.services.element_io import CueKey, CueMove
from callmaster_desktop.services.revision_snapshots import RowOrder

# The fields the rules of domain.md look at (besides the order and the set of rows).
STRUCTURE = frozenset({"parent_id", "element_type", "department_id", "cue_number"})
_CUE_KEY = frozenset({"department_id", "cue_number"})
_TIME_ONLY = ("offset_ms",)

Columns = tuple[str, ...]


@dataclass
class RowDiff:
    """What to write to make the stored rows the wanted ones (sequences are 1-based)."""

    final: list[ElementData] = field(default_factory=list)  # the rows as written, checked
    deleted: list[uuid.UUID] = field(default_factory=list)
    renumbered: list[CueMove] = field(default_factory=list)  # new department or number
    moves: list[tuple[int, int, uuid.UUID]] = field(default_factory=list)  # (old, new, id)
    inserts: list[tuple[int, ElementData]] = field(default_factory=list)
    updates: dict[Columns, list[tuple[int, ElementData]]] = field(default_factory=dict)
    updated: list[uuid.UUID] = field(default_factory=list)  # changed or moved, final order
    structure: bool = False  # a row added, removed, moved, or given another group/kind/cue
    order: RowOrder = field(default_factory=RowOrder)
    # Every row of the script moves by this many milliseconds and changes nothing else
    # (then ``updates`` holds no time changes).
    shift_all: int | None = None
    time_shifts: set[int] = field(default_factory=set)  # of the rows changing time only

    @property
    def writes(self) -> bool:
        return bool(
            self.deleted
            or self.renumbered
            or self.moves
            or self.inserts
            or self.updates
            or self.shift_all
        )


def _same_from_start(a: Sequence[ElementData], b: Sequence[ElementData]) -> int:
    """How many rows at the start are the very same objects."""
    return next(compress(count(), map(is_not, a, b)), min(len(a), len(b)))


def _same_from_end(a: Sequence[ElementData], b: Sequence[ElementData], most: int) -> int:
    same = next(compress(count(), map(is_not, reversed(a), reversed(b))), min(len(a), len(b)))
    return min(same, most)


def diff_rows(stored: Sequence[ElementData], elements: Sequence[ElementData]) -> RowDiff:
    """What to write so that the script holds ``elements`` (list order = sequence 1..N).

    Raises ``ValidationError`` naming the row when an added or changed row's
    fields are not right.
    """
    diff = RowDiff()
    n, m = len(stored), len(elements)
    head = _same_from_start(stored, elements)
    tail = _same_from_end(stored, elements, min(n, m) - head)
    final = diff.final
    final.extend(elements[:head])
    diff.order.stored(0, head)
    _middle(diff, stored, elements, head, n - tail, m - tail)
    final.extend(elements[m - tail :])
    diff.order.stored(n - tail, tail)
    if tail and m != n:  # every row below the change moves by the same amount
        shift = m - n
        below = elements[m - tail :]
        diff.moves.extend(
            (old, old + shift, e.id) for old, e in enumerate(below, start=n - tail + 1)
        )
        diff.updated.extend(e.id for e in below)
    diff.structure = diff.structure or bool(diff.moves or diff.inserts or diff.deleted)
    timed = diff.updates.get(_TIME_ONLY, ())
    if len(diff.updates) == 1 and len(timed) == m == n and len(diff.time_shifts) == 1:
        diff.shift_all = next(iter(diff.time_shifts))  # every row, by the same time
        del diff.updates[_TIME_ONLY]
    return diff


def _middle(
    diff: RowDiff,
    stored: Sequence[ElementData],
    elements: Sequence[ElementData],
    start: int,
    stored_end: int,
    wanted_end: int,
) -> None:
    """Compare the rows between the unchanged start and end, one by one."""
    old_at = {stored[i].id.int: i for i in range(start, stored_end)}
    pop = old_at.pop
    final, order, updated = diff.final, diff.order, diff.updated
    moves, time_shifts = diff.moves, diff.time_shifts
    updates = diff.updates
    # Per set of changed fields: (touches a rule, may move a cue number).
    kinds: dict[Columns, tuple[bool, bool]] = {}
    for position in range(start, wanted_end):
        wanted = elements[position]
        old_index = pop(wanted.id.int, None)
        sequence = position + 1
        if old_index is None:
            wanted = checked_element(wanted, sequence)
            diff.inserts.append((sequence, wanted))
            final.append(wanted)
            order.write(wanted)
            continue
        stored_row = stored[old_index]
        changed: Columns = ()
        if wanted is not stored_row:
            changed = changed_fields(stored_row, wanted)
            if changed:
                checked = checked_element(wanted, sequence, changed)
                if checked is not wanted:
                    wanted = checked
                    changed = changed_fields(stored_row, wanted)
        final.append(wanted)
        if old_index != position:
            moves.append((old_index + 1, sequence, wanted.id))
            updated.append(wanted.id)
        elif changed:
            updated.append(wanted.id)
        if not changed:
            order.stored(old_index)
            continue
        order.change(old_index, wanted, changed)
        kind = kinds.get(changed)
        if kind is None:
            kind = kinds[changed] = (
                bool(STRUCTURE.intersection(changed)),
                bool(_CUE_KEY.intersection(changed)),
            )
        if kind[0]:
            diff.structure = True
        if kind[1]:
            before, after = _cue_place(stored_row), _cue_place(wanted)
            if before is not None or after is not None:
                # Written on its own, in an order where no two cues share a number.
                diff.renumbered.append((before, after, wanted, stored_row.department_id))
                changed = tuple(n for n in changed if n not in _CUE_KEY)
                if not changed:
                    continue
        if changed == _TIME_ONLY:
            time_shifts.add(wanted.offset_ms - stored_row.offset_ms)
        rows = updates.get(changed)
        if rows is None:
            rows = updates[changed] = []
        rows.append((sequence, wanted))
    # The stored rows nobody asked for, in their stored order.
    diff.deleted.extend(stored[i].id for i in sorted(old_at.values()))


def _cue_place(e: ElementData) -> CueKey | None:
    """The (department, number) a row holds in the script, None when it holds none."""
    if e.department_id is None or e.cue_number is None:
        return None
    return (e.department_id.int, e.cue_number)

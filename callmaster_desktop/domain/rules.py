"""The rules of domain.md for one script's elements, checked in memory.

Used by the integrity check over stored rows, by the services before they
write, and by the editing engine after every command. Each problem is a
``(code, message)`` pair whose message names the row.

The checks run over 100,000 rows: rows are found by ``id.int`` (an int
hashes in C, a UUID in Python), a row's chain of groups is walked once for
the whole script, cue numbers are read through a cache, and a row's label
is only written when it has a problem.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

from callmaster_desktop.domain.cuenumber import (
    MAX_CUE_NUMBER_LENGTH,
    CueNumberError,
    normalize_cue_number,
)
from callmaster_desktop.domain.enums import ElementType

_GROUP = ElementType.GROUP
_CUE = ElementType.CUE


class ElementLike(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def parent_id(self) -> uuid.UUID | None: ...
    @property
    def element_type(self) -> ElementType: ...
    @property
    def department_id(self) -> uuid.UUID | None: ...
    @property
    def cue_number(self) -> str | None: ...
    @property
    def name(self) -> str: ...


Problem = tuple[str, str]


def _label(position: int, e: ElementLike) -> str:
    return f"row {position} ({e.name or e.element_type.value})"


# Cue numbers already in their written form (``normalize_cue_number`` gives them back
# as they are): 12, 0, 12.5, 12.05, 12A, A, ... of at most 12 characters.
_WRITTEN = re.compile(r"(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?)?(?:[A-Z][A-Z0-9]*)?")


@lru_cache(maxsize=131_072)
def written_cue_number(number: str) -> tuple[str | None, str | None]:
    """(the written form of a cue number, None) or (None, why it is not one)."""
    if 0 < len(number) <= MAX_CUE_NUMBER_LENGTH and _WRITTEN.fullmatch(number):
        return number, None
    try:
        return normalize_cue_number(number), None
    except CueNumberError as exc:
        return None, str(exc)


def element_rule_problems(
    elements: Sequence[ElementLike],
    *,
    department_label: Callable[[uuid.UUID], str] | None = None,
    known_departments: set[uuid.UUID] | None = None,
) -> list[Problem]:
    """Every broken rule of a script given in sequence order (position = index + 1)."""
    found = tree_problems(elements)
    found.extend(cue_problems(elements, department_label, known_departments))
    return found


def tree_problems(elements: Sequence[ElementLike]) -> list[Problem]:
    """A group's children are contiguous right after it; no group is its own ancestor."""
    found: list[Problem] = []
    keys = [e.id.int for e in elements]
    by_key = dict(zip(keys, elements, strict=True))
    parents = [None if e.parent_id is None else e.parent_id.int for e in elements]
    if len(by_key) != len(elements):
        found.append(("duplicate-id", "the same row appears twice"))
        looping = _looping_rows_slowly(elements)
    else:
        looping = _looping_rows(keys, parents, by_key)
    for position in looping:
        label = _label(position, elements[position - 1])
        found.append(("group-cycle", f"group at {label} is its own ancestor"))
    open_groups: list[int] = []
    for position, (e, parent) in enumerate(zip(elements, parents, strict=True), start=1):
        if parent is not None:
            parent_row = by_key.get(parent)
            if parent_row is None:
                label = _label(position, e)
                found.append(("group-parent", f"{label} belongs to a group not in this script"))
                continue
            if parent_row.element_type is not _GROUP:
                label = _label(position, e)
                found.append(("group-parent", f"{label} belongs to a row that is not a group"))
                continue
        while open_groups and open_groups[-1] != parent:
            open_groups.pop()
        if parent is not None and not open_groups:
            label = _label(position, e)
            found.append(
                ("group-contiguous", f"{label} is not placed right after the rest of its group")
            )
        if e.element_type is _GROUP:
            open_groups.append(keys[position - 1])
    return found


def _looping_rows(
    keys: list[int], parents: list[int | None], by_key: dict[int, ElementLike]
) -> list[int]:
    """Positions (1-based) of the rows whose chain of groups comes round in a loop.

    Each row's chain is walked only until it meets a row already worked out,
    so the whole script takes one pass (the ids are unique here).
    """
    parent_of = dict(zip(keys, parents, strict=True))
    loops: dict[int | None, bool] = {None: False}
    for key in keys:
        if key in loops:
            continue
        path: list[int] = []
        on_path: set[int] = set()
        current: int | None = key
        while True:
            if current in loops:
                verdict = loops[current]
                break
            assert current is not None
            if current in on_path:
                verdict = True
                break
            path.append(current)
            on_path.add(current)
            # A group that is not in the script ends the chain.
            current = parent_of.get(current) if current in by_key else None
        for walked in path:
            loops[walked] = verdict
    return [n for n, key in enumerate(keys, start=1) if loops[key]]


def _looping_rows_slowly(elements: Sequence[ElementLike]) -> list[int]:
    """``_looping_rows`` when an id appears twice: each row walked on its own."""
    by_id = {e.id: e for e in elements}
    looping: list[int] = []
    for position, e in enumerate(elements, start=1):
        seen = {e.id}
        parent = e.parent_id
        while parent is not None:
            if parent in seen:
                looping.append(position)
                break
            seen.add(parent)
            node = by_id.get(parent)
            parent = node.parent_id if node else None
    return looping


def cue_problems(
    elements: Sequence[ElementLike],
    department_label: Callable[[uuid.UUID], str] | None = None,
    known_departments: set[uuid.UUID] | None = None,
) -> list[Problem]:
    """Cues have a department and a number, unique per department."""
    found: list[Problem] = []
    seen: dict[tuple[int, str], int] = {}
    known = None if known_departments is None else {d.int for d in known_departments}
    for position, e in enumerate(elements, start=1):
        if e.element_type is not _CUE:
            continue
        department = e.department_id
        if department is None:
            found.append(("cue-department", f"cue at {_label(position, e)} has no department"))
        elif known is not None and department.int not in known:
            label = _label(position, e)
            found.append(("cue-department", f"cue at {label} uses a department that is not yours"))
        if not e.cue_number:
            found.append(("cue-number", f"cue at {_label(position, e)} has no cue number"))
            continue
        number, why = written_cue_number(e.cue_number)
        if number is None:
            found.append(("cue-number", f"cue at {_label(position, e)}: {why}"))
            continue
        if department is None:
            continue
        key = (department.int, number)
        first = seen.get(key)
        if first is not None:
            initials = department_label(department) if department_label else ""
            found.append(
                (
                    "cue-number-unique",
                    f"cue number {initials} {number} is used twice "
                    f"(rows {first} and {position})".replace("  ", " "),
                )
            )
        else:
            seen[key] = position
    return found

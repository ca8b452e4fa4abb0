"""The rules of domain.md for one script's elements, checked in memory.

Used by the integrity check over stored rows, by the services before they
write, and by the editing engine after every command. Each problem is a
``(code, message)`` pair whose message names the row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Protocol

from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.enums import ElementType


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
    by_id = {e.id: e for e in elements}
    if len(by_id) != len(elements):
        found.append(("duplicate-id", "the same row appears twice"))
    for position, e in enumerate(elements, start=1):
        seen = {e.id}
        parent = e.parent_id
        while parent is not None:
            if parent in seen:
                found.append(("group-cycle", f"group at {_label(position, e)} is its own ancestor"))
                break
            seen.add(parent)
            node = by_id.get(parent)
            parent = node.parent_id if node else None
    open_groups: list[uuid.UUID] = []
    for position, e in enumerate(elements, start=1):
        label = _label(position, e)
        if e.parent_id is not None:
            parent_row = by_id.get(e.parent_id)
            if parent_row is None:
                found.append(("group-parent", f"{label} belongs to a group not in this script"))
                continue
            if parent_row.element_type is not ElementType.GROUP:
                found.append(("group-parent", f"{label} belongs to a row that is not a group"))
                continue
        while open_groups and open_groups[-1] != e.parent_id:
            open_groups.pop()
        if e.parent_id is not None and not open_groups:
            found.append(
                ("group-contiguous", f"{label} is not placed right after the rest of its group")
            )
        if e.element_type is ElementType.GROUP:
            open_groups.append(e.id)
    return found


def cue_problems(
    elements: Sequence[ElementLike],
    department_label: Callable[[uuid.UUID], str] | None = None,
    known_departments: set[uuid.UUID] | None = None,
) -> list[Problem]:
    """Cues have a department and a number, unique per department."""
    found: list[Problem] = []
    seen: dict[tuple[uuid.UUID, str], int] = {}
    for position, e in enumerate(elements, start=1):
        if e.element_type is not ElementType.CUE:
            continue
        label = _label(position, e)
        if e.department_id is None:
            found.append(("cue-department", f"cue at {label} has no department"))
        elif known_departments is not None and e.department_id not in known_departments:
            found.append(("cue-department", f"cue at {label} uses a department that is not yours"))
        if not e.cue_number:
            found.append(("cue-number", f"cue at {label} has no cue number"))
            continue
        try:
            number = normalize_cue_number(e.cue_number)
        except CueNumberError as exc:
            found.append(("cue-number", f"cue at {label}: {exc}"))
            continue
        if e.department_id is None:
            continue
        key = (e.department_id, number)
        if key in seen:
            initials = department_label(e.department_id) if department_label else ""
            found.append(
                (
                    "cue-number-unique",
                    f"cue number {initials} {number} is used twice "
                    f"(rows {seen[key]} and {position})".replace("  ", " "),
                )
            )
        else:
            seen[key] = position
    return found

"""The group tree an import builds from group paths, and the cue numbers it gives.

A row's group path (``Act 1/Scene 2``) puts it inside nested groups, made
when first named. A group row (Type = Group) describes a group: its path is
the group it sits in, its name the group's own. Rows keep the file's order
inside their group, so a group's rows always follow it contiguously even
when the file lists them apart. Cues without numbers are numbered per
department in time order, between the numbered cues around them.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from callmaster_desktop.domain.cuenumber import CueNumberError, cue_sort_key, next_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType

PATH_SEPARATOR = "/"
# Numbering sorts the same few thousand numbers again and again.
_sort_key = functools.lru_cache(maxsize=65536)(cue_sort_key)


def split_path(text: str) -> list[str]:
    """``Act 1/Scene 2`` -> ``["Act 1", "Scene 2"]``; ``\\/`` is a slash inside a name."""
    if "\\" not in text:
        return [p.strip() for p in text.split(PATH_SEPARATOR) if p.strip()]
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            current.append(nxt if nxt in ("/", "\\") else ch + nxt)
        elif ch == PATH_SEPARATOR:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def join_path(names: Sequence[str]) -> str:
    """The inverse of ``split_path``: names joined with ``/``, slashes inside escaped."""
    return PATH_SEPARATOR.join(n.replace("\\", "\\\\").replace("/", "\\/") for n in names)


@dataclass
class TreeRow:
    """One element being built, with the spreadsheet row it came from."""

    data: ElementData
    source_row: int
    time_given: bool
    declared: bool = True  # False for a group only named in a path so far
    children: list[uuid.UUID] = field(default_factory=list)


@dataclass
class ImportTree:
    rows: dict[uuid.UUID, TreeRow] = field(default_factory=dict)
    top: list[uuid.UUID] = field(default_factory=list)
    groups: dict[tuple[str, ...], uuid.UUID] = field(default_factory=dict)

    def _children(self, parent: uuid.UUID | None) -> list[uuid.UUID]:
        return self.top if parent is None else self.rows[parent].children

    def group_for(self, path: Sequence[str], number: int) -> uuid.UUID | None:
        """The group a path names, making the groups it names that do not exist yet."""
        parent: uuid.UUID | None = None
        for depth in range(len(path)):
            prefix = tuple(path[: depth + 1])
            found = self.groups.get(prefix)
            if found is None:
                data = ElementData(ElementType.GROUP, name=path[depth], parent_id=parent)
                found = data.id
                self.rows[found] = TreeRow(data, number, time_given=False, declared=False)
                self._children(parent).append(found)
                self.groups[prefix] = found
            parent = found
        return parent

    def place(self, data: ElementData, path: Sequence[str], number: int, timed: bool) -> None:
        """Put a row at the end of the group its path names.

        A group row whose group was already named in a path describes that
        group; otherwise it starts a new group, and later paths naming it
        mean the new one (two scenes may share a name).
        """
        parent = self.group_for(path, number)
        if data.element_type is ElementType.GROUP:
            full = (*path, data.name)
            known = self.groups.get(full)
            if known is not None and not self.rows[known].declared:
                row = self.rows[known]
                row.data = replace(data, id=known, parent_id=row.data.parent_id)
                row.declared, row.source_row, row.time_given = True, number, timed
                return
            self.groups[full] = data.id
        if data.parent_id != parent:
            data = replace(data, parent_id=parent)
        self.rows[data.id] = TreeRow(data, number, timed)
        self._children(parent).append(data.id)

    def ordered(self) -> list[TreeRow]:
        """Every row depth-first (each group followed by its rows), group times filled in."""
        out: list[TreeRow] = []
        stack = [iter(self.top)]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                continue
            row = self.rows[nxt]
            out.append(row)
            if row.children:
                stack.append(iter(row.children))
        _group_times(out)
        return out


def _group_times(ordered: list[TreeRow]) -> None:
    """A group without a time of its own starts with the earliest row inside it."""
    earliest: dict[uuid.UUID, int] = {}
    for row in reversed(ordered):
        times = [earliest[c] for c in row.children if c in earliest]
        if row.data.element_type is ElementType.GROUP and not row.time_given:
            if times:
                row.data = replace(row.data, offset_ms=min(times))
                earliest[row.data.id] = min(times)
        else:
            earliest[row.data.id] = row.data.offset_ms


@dataclass(frozen=True)
class Numbering:
    """What numbering found: numbers used twice, and the numbers it gave."""

    duplicates: list[tuple[int, str]]  # (spreadsheet row, sentence)
    notes: list[str]


def number_cues(ordered: list[TreeRow], initials: dict[uuid.UUID, str]) -> Numbering:
    """Check numbers are unique per department; number the cues that have none."""
    by_department: dict[uuid.UUID, list[tuple[int, TreeRow]]] = {}
    for position, row in enumerate(ordered):
        d = row.data
        if d.department_id is not None and (
            d.element_type is ElementType.CUE or d.cue_number is not None
        ):
            by_department.setdefault(d.department_id, []).append((position, row))
    duplicates: list[tuple[int, str]] = []
    notes: list[str] = []
    for department_id, entries in by_department.items():
        label = initials.get(department_id, "")
        first_use: dict[str, int] = {}
        for _, row in entries:
            number = row.data.cue_number
            if number is None:
                continue
            if number in first_use:
                duplicates.append(
                    (row.source_row, f"{label} {number} is already used by row {first_use[number]}")
                )
            else:
                first_use[number] = row.source_row
        cues = [
            (row.data.offset_ms, position, row)
            for position, row in entries
            if row.data.element_type is ElementType.CUE
        ]
        cues.sort(key=lambda item: (item[0], item[1]))
        given = _assign_numbers([row for _, _, row in cues], set(first_use))
        if given:
            span = f"{label} {given[0]}"
            if len(given) > 1:
                span += f" to {label} {given[-1]}"
            notes.append(
                f"{len(given)} {label} cue(s) had no number and were numbered in time order "
                f"({span})."
            )
    return Numbering(duplicates, notes)


def _assign_numbers(cues: list[TreeRow], taken: set[str]) -> list[str]:
    """Give unnumbered cues (in time order) numbers that fit between their neighbours.

    A run of unnumbered cues takes the next whole numbers when they fit
    (``1, 2, 3`` before ``5``); otherwise each takes a number between its
    neighbours (``12.5``); when nothing fits, a whole number after every other.
    """
    given: list[str] = []
    previous: str | None = None
    keys = [_sort_key(n) for n in taken]
    high = max((k[1] for k in keys if k[0] == 0), default=0)
    i = 0
    while i < len(cues):
        if cues[i].data.cue_number is not None:
            previous = cues[i].data.cue_number
            i += 1
            continue
        end = i
        while end < len(cues) and cues[end].data.cue_number is None:
            end += 1
        after = cues[end].data.cue_number if end < len(cues) else None
        run = cues[i:end]
        numbers = _whole_numbers(previous, after, len(run), taken)
        if numbers is None:
            numbers, high = _between(previous, after, len(run), taken, high)
        for row, number in zip(run, numbers, strict=True):
            taken.add(number)
            row.data = replace(row.data, cue_number=number)
            key = _sort_key(number)
            if key[0] == 0:
                high = max(high, key[1])
        given.extend(numbers)
        previous = numbers[-1]
        i = end
    return given


def _whole_numbers(
    before: str | None, after: str | None, count: int, taken: set[str]
) -> list[str] | None:
    """``count`` whole numbers after ``before`` and below ``after``, or None."""
    if before is not None and _sort_key(before)[0] != 0:
        return None
    start = _sort_key(before)[1] + 1 if before is not None else 1
    numbers = [str(n) for n in range(start, start + count)]
    if any(n in taken for n in numbers):
        return None
    if after is not None and _sort_key(numbers[-1]) >= _sort_key(after):
        return None
    return numbers


def _between(
    before: str | None, after: str | None, count: int, taken: set[str], high: int
) -> tuple[list[str], int]:
    """Numbers between the neighbours, or whole numbers after ``high`` where none fits."""
    numbers: list[str] = []
    previous = before
    for _ in range(count):
        try:
            candidate = next_cue_number(previous, after)
        except CueNumberError:
            candidate = None
        if candidate is None or candidate in taken or candidate in numbers:
            high += 1
            while str(high) in taken:
                high += 1
            candidate = str(high)
        numbers.append(candidate)
        previous = candidate
    return numbers, high

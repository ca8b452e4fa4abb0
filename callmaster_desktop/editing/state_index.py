"""The lookups a ``ScriptState`` keeps beside its rows: positions and cue numbers.

Both are built on first use, so opening a 100,000-row script builds only
the rows and the lookup by id, and both stay cheap while commands change
the rows:

- ``PositionCache``: a row's position by its ``id.int``, with how many
  shifts (splices that changed the number of rows) had happened when it was
  right. A position is brought up to date through the shifts since, when
  they are few; else the cache is refreshed from the first shift down (in C).
- ``CueIndex``: per department (by its ``int``), which cue holds each
  written cue number (a list when several do: a clash the rules refuse).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from itertools import repeat

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import written_cue_number

# A cached position is brought up to date through at most this many shifts.
SHIFTS_WALKED = 32
_CUE = ElementType.CUE
Held = uuid.UUID | list[uuid.UUID]  # the cue holding a number, or the cues (a clash)


def index_key(e: ElementData) -> tuple[int, str] | None:
    """(department's int, written cue number) of a cue that has both and a valid number."""
    if e.element_type is not _CUE or e.department_id is None or not e.cue_number:
        return None
    number = written_cue_number(e.cue_number)[0]
    return None if number is None else (e.department_id.int, number)


class PositionCache:
    """Where each row is, kept up to date lazily as the rows change."""

    def __init__(self, keys: list[int]) -> None:
        self.keys = keys  # the rows' id.int in order: the state's own list, shared
        self._positions: dict[int, int] = {}
        self._epochs: dict[int, int] = {}
        self._shifts: list[tuple[int, int, int]] = []  # (at, rows removed, added - removed)

    def find(self, key: int) -> int | None:
        """The row's position, or None when it is not among the rows."""
        keys = self.keys
        shifts = self._shifts
        position = self._positions.get(key)
        if position is not None:
            seen = self._epochs.get(key, 0)
            if len(shifts) - seen <= SHIFTS_WALKED:
                for at, removed, delta in shifts[seen:]:
                    if position >= at + removed:
                        position += delta
                    elif position >= at:
                        position = -1  # that row was taken out (and perhaps put back)
                        break
                if 0 <= position < len(keys) and keys[position] == key:
                    if seen != len(shifts):
                        self._positions[key] = position
                        self._epochs[key] = len(shifts)
                    return position
        self._refresh()
        position = self._positions.get(key)
        return position if position is not None and keys[position] == key else None

    def _refresh(self) -> None:
        """Every position right again: the rows above the first shift kept theirs."""
        if self._positions and not self._shifts:
            return
        start = min([at for at, _, _ in self._shifts]) if self._positions else 0
        keys = self.keys
        self._positions.update(zip(keys[start:], range(start, len(keys)), strict=True))
        self._epochs.clear()
        self._shifts = []

    def spliced(self, at: int, removed: int, keys: Sequence[int]) -> None:
        """``removed`` rows at ``at`` were replaced by the rows of ``keys`` (already in place)."""
        positions = self._positions
        if not positions:
            return  # no position asked for yet
        if removed != len(keys):
            self._shifts.append((at, removed, len(keys) - removed))
        epoch = len(self._shifts)
        if len(keys) <= 8:
            epochs = self._epochs
            for offset, key in enumerate(keys, start=at):
                positions[key] = offset
                epochs[key] = epoch
        else:
            positions.update(zip(keys, range(at, at + len(keys)), strict=True))
            self._epochs.update(zip(keys, repeat(epoch)))


class CueIndex:
    """Which cues hold each department's cue numbers."""

    def __init__(self, elements: Sequence[ElementData]) -> None:
        holders: dict[int, dict[str, Held]] = {}
        written = written_cue_number
        for e in elements:
            number = e.cue_number
            department = e.department_id
            if not number or department is None or e.element_type is not _CUE:
                continue
            number = written(number)[0]
            if number is None:
                continue
            numbers = holders.get(department.int)
            if numbers is None:
                numbers = holders[department.int] = {}
            if numbers.setdefault(number, e.id) is not e.id:  # a clash: rare
                held = numbers[number]
                numbers[number] = [*held, e.id] if isinstance(held, list) else [held, e.id]
        self._holders = holders

    def holders(self, department: int, number: str) -> list[uuid.UUID]:
        held = self._holders.get(department, {}).get(number)
        if held is None:
            return []
        return list(held) if isinstance(held, list) else [held]

    def numbers(self, department: int) -> list[str]:
        return list(self._holders.get(department, ()))

    def add(self, e: ElementData) -> None:
        key = index_key(e)
        if key is None:
            return
        numbers = self._holders.get(key[0])
        if numbers is None:
            numbers = self._holders[key[0]] = {}
        held = numbers.get(key[1])
        if held is None:
            numbers[key[1]] = e.id
        elif isinstance(held, list):
            held.append(e.id)
        else:
            numbers[key[1]] = [held, e.id]

    def remove(self, e: ElementData) -> None:
        key = index_key(e)
        if key is None:
            return
        numbers = self._holders[key[0]]
        held = numbers[key[1]]
        if not isinstance(held, list):
            del numbers[key[1]]
            return
        held.remove(e.id)
        if len(held) == 1:
            numbers[key[1]] = held[0]

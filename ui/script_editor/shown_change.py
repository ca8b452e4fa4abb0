"""From the rows shown before to the rows shown after: the one change Qt should hear of.

The table shows a flat list of rows. After an edit, a fold or a filter, the
list before and the list after share a start and an end; what differs in
between is one inserted run, one removed run, one run moved past the rest
(a block dragged down or up), or, failing those, one run replaced by
another. ``plan_shown_change`` says which, so the model emits exactly
``rowsInserted``, ``rowsRemoved`` or ``rowsMoved`` (views keep their
selection and scroll position) and never a reset. No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Insert:
    first: int
    last: int


@dataclass(frozen=True)
class Remove:
    first: int
    last: int


@dataclass(frozen=True)
class Move:
    """Rows ``first..last`` go before row ``to`` (counted before the move, as Qt wants)."""

    first: int
    last: int
    to: int


@dataclass(frozen=True)
class Replace:
    first: int
    last_old: int
    last_new: int


Change = Insert | Remove | Move | Replace | None


def plan_shown_change(old: Sequence[int], new: Sequence[int]) -> Change:
    """The change from ``old`` to ``new`` (row keys); None when the same rows are shown."""
    start, limit = 0, min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    old_middle, new_middle = old[start:end_old], new[start:end_new]
    if not old_middle and not new_middle:
        return None
    if not old_middle:
        return Insert(start, end_new - 1)
    if not new_middle:
        return Remove(start, end_old - 1)
    turn = rotation(old_middle, new_middle)
    if turn:
        # The first ``turn`` rows of the run go after the rest of it.
        return Move(start, start + turn - 1, end_old)
    return Replace(start, end_old - 1, end_new - 1)


def rotation(old: Sequence[int], new: Sequence[int]) -> int:
    """``k`` when ``new`` is ``old[k:] + old[:k]`` (a block moved), else 0."""
    if len(old) != len(new) or not old:
        return 0
    try:
        k = list(old).index(new[0])
    except ValueError:
        return 0
    if (
        k
        and list(old[k:]) == list(new[: len(old) - k])
        and list(old[:k]) == list(new[len(old) - k :])
    ):
        return k
    return 0

"""The rules of domain.md, checked after every edit command.

The judge is ``domain.rules`` (``element_rule_problems`` and its two
halves); this module only decides which rows to show it. A small script is
checked whole. A large one (10,000 rows take about 85 ms to check whole) is
checked around what the command changed, which is enough because the
script obeyed every rule before the command:

- cue rules: the cues the command wrote, with every other cue holding the
  same department and number;
- the group rules: a row is placed correctly exactly when its group is
  ``None`` or one of the groups open at the row before it (that row itself,
  or one of the groups holding it). So for each run of changed positions
  the judge sees the groups holding the row just before the run, that row,
  the run, and the row right after it. A changed group also puts the row
  after its whole block under the judge, since the rows inside it now sit
  under a different chain of groups.

When that local look finds a problem, the whole script is checked, so the
verdict and the message (with its row numbers) are always the full
checker's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import (
    Problem,
    cue_problems,
    element_rule_problems,
    tree_problems,
)
from callmaster_desktop.editing.state import Recording, ScriptState, Splice, cue_key

# Below this many rows the whole script is checked after every command.
FULL_CHECK_BELOW = 1_000


class RuleGuard:
    """Decides whether the state a command left obeys the rules."""

    def __init__(self, *, full_check_below: int = FULL_CHECK_BELOW, cross_check: bool = False):
        self.full_check_below = full_check_below
        # Tests set this: also run the full check and fail loudly if the local look missed.
        self.cross_check = cross_check
        self.full_checks = 0
        self.local_checks = 0

    def problems(self, state: ScriptState, recording: Recording) -> list[Problem]:
        """The problems of the state a command left (empty when every rule holds)."""
        splices = [c for c in recording.changes if isinstance(c, Splice)]
        if not splices:
            return []
        touched = sum(len(s.inserted) for s in splices)
        if len(state) < self.full_check_below or touched * 4 > len(state):
            return self.full(state)
        self.local_checks += 1
        local = self._local(state, splices, recording.rows_after)
        if self.cross_check:
            full = self.full(state)
            if full and not local:
                raise AssertionError(f"the local rule check missed: {full}")
        return self.full(state) if local else []

    def full(self, state: ScriptState) -> list[Problem]:
        self.full_checks += 1
        return element_rule_problems(
            state.elements,
            department_label=state.initials,
            known_departments=set(state.departments),
        )

    def _local(
        self,
        state: ScriptState,
        splices: Sequence[Splice],
        rows_after: Sequence[uuid.UUID | None],
    ) -> list[Problem]:
        written = list(dict.fromkeys(e.id for s in splices for e in s.inserted if e.id in state))
        found = self._cue_problems(state, written)
        if found:
            return found
        seams = [i for i in dict.fromkeys(rows_after) if i is not None and i in state]
        return self._tree_problems(state, written, seams)

    def _cue_problems(self, state: ScriptState, written: list[uuid.UUID]) -> list[Problem]:
        view: dict[uuid.UUID, None] = {}
        for element_id in written:
            e = state.get(element_id)
            if e.element_type is not ElementType.CUE:
                continue
            view[e.id] = None
            key = cue_key(e)
            if key is not None:
                for holder in state.cue_holders(*key):
                    view[holder] = None
        if not view:
            return []
        rows = sorted((state.get(i) for i in view), key=lambda e: state.position_of(e.id))
        return cue_problems(rows, state.initials, set(state.departments))

    def _tree_problems(
        self, state: ScriptState, written: list[uuid.UUID], seams: list[uuid.UUID]
    ) -> list[Problem]:
        positions = {state.position_of(i) for i in (*written, *seams)}
        for element_id in written:
            e = state.get(element_id)
            if e.element_type is ElementType.GROUP:
                end = state.block_end(state.position_of(element_id))
                if end < len(state):
                    positions.add(end)
        if not positions:
            return []
        found: list[Problem] = []
        for first, last in _runs(sorted(positions)):
            found.extend(tree_problems(_window(state, first, last)))
            if found:
                break
        return found


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for p in positions:
        if runs and runs[-1][1] + 1 == p:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return runs


def _window(state: ScriptState, first: int, last: int) -> list[ElementData]:
    """The rows ``first..last`` preceded by the row before them and its open groups."""
    rows = list(state.elements[first : last + 1])
    if first == 0:
        return rows
    before = state.at(first - 1)
    return [*reversed(state.ancestors(before)), before, *rows]

"""The rules of domain.md, checked after every edit command.

The judge is ``domain.rules`` (``element_rule_problems`` and its two
halves); this module only decides which rows to show it. A small script is
checked whole. A large one (10,000 rows take about 85 ms to check whole) is
checked around what the command changed, which is enough because the
script obeyed every rule before the command:

- the rules read only a row's id, kind, group, department and cue number
  (and its name, for messages); a row the command rewrote with those
  unchanged, in the same place (a new time, name, priority, colour...),
  cannot break a rule and is not looked at;
- cue rules: the cues the command wrote (a cue merely moved, or rows
  merely reordered by a sort, are not new), with every other cue holding
  the same department and number;
- the group rules: a row is placed correctly exactly when its group is
  ``None`` or one of the groups open at the row before it (that row itself,
  or one of the groups holding it). So for each run of changed positions
  (worked out from the splices, where their rows are now) the judge sees
  the groups holding the row just before the run, that row, the run, and
  the row right after it. A changed group also puts the row after its
  whole block under the judge, since the rows inside it now sit under a
  different chain of groups.

When the change is most of the script, that half of the rules is checked
over every row. When the local look finds a problem, the whole script is
checked, so the verdict and the message (with its row numbers) are always
the full checker's. ``cross_check`` (used by the tests) also runs the whole
check after every command and fails loudly if the local look ever missed.
"""

from __future__ import annotations

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
from callmaster_desktop.services.element_checks import RulesKept

# Below this many rows the whole script is checked after every command.
FULL_CHECK_BELOW = 1_000


class RuleGuard:
    """Decides whether the state a command left obeys the rules."""

    def __init__(self, *, full_check_below: int = FULL_CHECK_BELOW, cross_check: bool = False):
        self.full_check_below = full_check_below
        # Tests set this: also run the full check and fail loudly if the local look missed.
        self.cross_check = cross_check
        self.full_checks = 0  # the whole checker, both halves
        self.local_checks = 0  # commands checked around the change
        self.whole_halves = 0  # ... of which one half of the rules over every row

    def problems(self, state: ScriptState, recording: Recording) -> list[Problem]:
        """The problems of the state a command left (empty when every rule holds)."""
        splices = [c for c in recording.changes if isinstance(c, Splice)]
        if not splices:
            return []
        if len(state) < self.full_check_below:
            return self.full(state)
        self.local_checks += 1
        big = len(state) // 4
        # Each half of the rules is checked whole when the change is most of the script.
        cue_rows = _cue_scope(splices)
        if len(cue_rows) > big:
            self.whole_halves += 1
            local = cue_problems(state.elements, state.initials, set(state.departments))
        else:
            local = _cue_view_problems(state, cue_rows)
        if not local:
            positions = _tree_positions(state, splices)
            if positions is None or len(positions) > big:
                self.whole_halves += 1
                local = tree_problems(state.elements)
            else:
                local = _tree_view_problems(state, positions)
        if self.cross_check:
            full = self.full(state)
            if full and not local:
                raise AssertionError(f"the local rule check missed: {full}")
        return self.full(state) if local else []

    def vouch(self, rows: Sequence[ElementData]) -> RulesKept:
        """The guard's word, for the save, that ``rows`` keep the group and cue rules.

        Only for the rows of a state whose every change since it was saved
        this guard checked (``EditSession`` keeps track): the rows as saved
        kept the rules, and no command that broke one was let through.
        """
        return RulesKept(rows)

    def full(self, state: ScriptState) -> list[Problem]:
        self.full_checks += 1
        return element_rule_problems(
            state.elements,
            department_label=state.initials,
            known_departments=set(state.departments),
        )


def _eq(a: object, b: object) -> bool:
    return a is b or a == b


def _same_tree(old: ElementData, new: ElementData) -> bool:
    """The group rules read only a row's id, kind and group."""
    return (
        old.element_type is new.element_type
        and _eq(old.id, new.id)
        and _eq(old.parent_id, new.parent_id)
    )


def _same_cue(old: ElementData, new: ElementData) -> bool:
    """The cue rules read only a row's kind, department and number."""
    return (
        old.element_type is new.element_type
        and _eq(old.department_id, new.department_id)
        and old.cue_number == new.cue_number
    )


def _reordered(splice: Splice) -> bool:
    """The same rows in another order (a sort)."""
    removed, inserted = splice.removed, splice.inserted
    if len(removed) != len(inserted) or len(removed) < 2:
        return False
    return {id(e) for e in removed} == {id(e) for e in inserted}


def _cue_scope(splices: Sequence[Splice]) -> list[ElementData]:
    """The rows whose kind, department or number a command wrote.

    A row taken out and put back elsewhere (moved) with the same kind,
    department and number is not among them.
    """
    taken_out: dict[int, ElementData] = {}
    written: list[ElementData] = []
    for splice in splices:
        if _reordered(splice):
            continue  # the cue rules see the same cues
        if len(splice.removed) == len(splice.inserted):
            written.extend(
                e
                for old, e in zip(splice.removed, splice.inserted, strict=True)
                if not _same_cue(old, e)
            )
            continue
        for e in splice.removed:
            taken_out.setdefault(e.id.int, e)
        written.extend(splice.inserted)
    return [e for e in written if (old := taken_out.get(e.id.int)) is None or not _same_cue(old, e)]


def _cue_view_problems(state: ScriptState, written: list[ElementData]) -> list[Problem]:
    """The cue rules over the written cues and every cue sharing a number with one."""
    view: dict[int, ElementData] = {}
    for e in written:
        current = state.find(e.id)
        if current is None or current.element_type is not ElementType.CUE:
            continue
        view[current.id.int] = current
        key = cue_key(current)
        if key is not None:
            for holder in state.cue_holders(*key):
                view[holder.int] = state.get(holder)
    if not view:
        return []
    # Only the verdict counts here (the message comes from the whole check): any order.
    return cue_problems(list(view.values()), state.initials, set(state.departments))


def _moved(position: int, later: Sequence[Splice]) -> int:
    """Where a position of the list lands after the ``later`` splices."""
    for splice in later:
        removed, inserted = len(splice.removed), len(splice.inserted)
        if position < splice.at:
            continue
        if position >= splice.at + removed:
            position += inserted - removed
        elif removed != inserted:
            position = splice.at  # that row went; the splice's own rows are looked at
    return position


def _tree_positions(state: ScriptState, splices: Sequence[Splice]) -> set[int] | None:
    """The positions whose row the group rules must look at (None: look at all of them).

    For every splice that changed the group structure: its rows and the row
    after them, where they are now; and for each group among its rows, the
    row after the group's block.
    """
    changed = [
        k
        for k, s in enumerate(splices)
        if _reordered(s)
        or len(s.removed) != len(s.inserted)
        or not all(map(_same_tree, s.removed, s.inserted))
    ]
    if len(changed) * len(splices) > 200_000:
        return None
    resized = [k for k, s in enumerate(splices) if len(s.removed) != len(s.inserted)]
    positions: set[int] = set()
    last = len(state) - 1
    for k in changed:
        splice = splices[k]
        later = [splices[j] for j in resized if j > k]
        first = _moved(splice.at, later)
        end = _moved(splice.at + len(splice.inserted), later)
        positions.update(range(first, min(end, last) + 1))
        for offset, e in enumerate(splice.inserted):
            if e.element_type is ElementType.GROUP:
                at = _moved(splice.at + offset, later)
                if at > last or state.at(at).id.int != e.id.int:
                    if e.id not in state:
                        continue
                    at = state.position_of(e.id)
                after = state.block_end(at)
                if after <= last:
                    positions.add(after)
    return positions


def _tree_view_problems(state: ScriptState, positions: set[int]) -> list[Problem]:
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

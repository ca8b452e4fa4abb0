"""A hypothesis state machine of random edit commands, undos, redos and reverts.

Used by ``tests/unit/test_editing_state_machine.py`` (in memory) and
``tests/db/test_editing_save.py`` (which adds saving and reloading). After
every step: the rules of domain.md hold, the session's indexes agree with
its rows, a refused command changed nothing (queue included), and
undo/redo/revert give back exactly the state recorded for that step. At the
end, undoing everything gives back the state the queue started from.

The guard runs its local check on every command with ``cross_check``: it
also runs the whole check and fails if the local one ever misses.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from callmaster_desktop.domain.cuenumber import normalize_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditScriptInfo,
    EditSession,
    GroupElements,
    MoveElements,
    Place,
    RenumberDepartment,
    ScriptInfo,
    SetForSelection,
    ShiftTimes,
    SortByTime,
    Ungroup,
)
from callmaster_desktop.editing.base import Command
from callmaster_desktop.editing.guard import RuleGuard
from callmaster_desktop.errors import CallMasterError

NUMBERS = ["1", "2", "2.5", "3", "10", "10A", "A", "12.5"]
Snapshot = tuple[list[ElementData], ScriptInfo]


def field_values(departments: list[uuid.UUID]) -> dict[str, st.SearchStrategy[Any]]:
    """What an edit may put in each field, good and bad."""
    return {
        "name": st.sampled_from(["", "Storm", "  Go  ", "Blackout"]),
        "offset_ms": st.one_of(
            st.integers(-3_600_000, 3_600_000), st.sampled_from(["1:02:03", "-5:00", "90s"])
        ),
        "duration_ms": st.one_of(st.none(), st.integers(0, 60_000), st.just("0:03")),
        "cue_number": st.one_of(st.none(), st.sampled_from(NUMBERS)),
        "department_id": st.one_of(st.none(), st.sampled_from(departments)),
        "element_type": st.sampled_from(list(ElementType)),
        "notes": st.sampled_from([None, "slow", "  "]),
        "priority": st.sampled_from(list(Priority)),
        "location": st.sampled_from([None, "SL", "Fly floor"]),
        "color": st.sampled_from([None, "#ffcc00", "2F7FC1"]),
        "fires_together": st.booleans(),
    }


class EditingMachine(RuleBasedStateMachine):
    """Random edits on ``session``; subclasses make the session."""

    def __init__(self, session: EditSession) -> None:
        super().__init__()
        # The local rule check on every command, checked against the whole check.
        session.guard = RuleGuard(full_check_below=0, cross_check=True)
        self.session = session
        self.initials = dict(session.state.departments)
        self.fields = field_values(sorted(self.initials, key=str))
        self.original: Snapshot = (list(session.elements), session.info)
        self.done: list[Snapshot] = [self.original]  # the state after each done step
        self.undone: list[Snapshot] = []

    # --- helpers ----------------------------------------------------------------------

    def now(self) -> Snapshot:
        return list(self.session.elements), self.session.info

    def row(self, data: st.DataObject) -> ElementData:
        rows = self.session.elements
        return rows[data.draw(st.integers(0, len(rows) - 1))]

    def rows(self, data: st.DataObject) -> list[uuid.UUID]:
        return [self.row(data).id for _ in range(data.draw(st.integers(1, 4)))]

    def group(self, data: st.DataObject) -> uuid.UUID | None:
        groups = [e.id for e in self.session.elements if e.element_type is ElementType.GROUP]
        return data.draw(st.sampled_from([None, *groups]))

    def place(self, data: st.DataObject) -> Place:
        kind = data.draw(st.sampled_from(["after", "before", "first_in", "last_in"]))
        if kind in ("after", "before"):
            return Place(kind, self.row(data).id)
        # Sometimes a row that is not a group, to be refused.
        anchor = self.row(data).id if data.draw(st.integers(0, 9)) == 0 else self.group(data)
        return Place(kind, anchor)

    def attempt(self, command: Command) -> None:
        before = self.now()
        history = (self.session.history, self.session.redo_history)
        try:
            self.session.apply(command)
        except CallMasterError:
            assert self.now() == before
            assert (self.session.history, self.session.redo_history) == history
            return
        self.done.append(self.now())
        self.undone.clear()

    # --- commands ---------------------------------------------------------------------

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(data=st.data(), kind=st.sampled_from(list(ElementType)))
    def add(self, data: st.DataObject, kind: ElementType) -> None:
        fields = data.draw(
            st.fixed_dictionaries(
                {}, optional={k: self.fields[k] for k in ("name", "department_id", "cue_number")}
            )
        )
        self.attempt(AddElement(kind, self.place(data), fields))

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(data=st.data())
    def edit(self, data: st.DataObject) -> None:
        names = data.draw(st.lists(st.sampled_from(sorted(self.fields)), min_size=1, max_size=3))
        changes = {n: data.draw(self.fields[n]) for n in names}
        self.attempt(EditFields(self.row(data).id, changes))

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(data=st.data(), keep=st.booleans())
    def delete(self, data: st.DataObject, keep: bool) -> None:
        self.attempt(DeleteElements(self.rows(data), keep_children=keep))

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        self.attempt(MoveElements(self.rows(data), self.place(data)))

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(data=st.data())
    def group_rows(self, data: st.DataObject) -> None:
        self.attempt(GroupElements(self.rows(data), "Group"))

    @rule(data=st.data())
    def ungroup(self, data: st.DataObject) -> None:
        group = self.group(data)
        if group is not None:
            self.attempt(Ungroup(group))

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(data=st.data(), delta=st.sampled_from(["+0:05", "-0:05", "+1:00:00", 1, "0:00", "x"]))
    def shift(self, data: st.DataObject, delta: str | int) -> None:
        self.attempt(ShiftTimes(self.rows(data), delta))

    @precondition(lambda self: len(self.session.elements) > 0)
    @rule(
        data=st.data(),
        field=st.sampled_from(["department_id", "priority", "color", "location", "name"]),
    )
    def set_field(self, data: st.DataObject, field: str) -> None:
        value = data.draw(self.fields[field])
        self.attempt(SetForSelection(self.rows(data), field, value))

    @rule(
        data=st.data(),
        start=st.sampled_from(["1", "0", "101", "x"]),
        step=st.sampled_from(["1", "0.5", "10", "0"]),
    )
    def renumber(self, data: st.DataObject, start: str, step: str) -> None:
        dept = data.draw(st.sampled_from(sorted(self.initials, key=str)))
        self.attempt(RenumberDepartment(dept, start, step))

    @rule()
    def sort(self) -> None:
        self.attempt(SortByTime())

    @rule(
        name=st.sampled_from(["Tech", "Final", " ", "Dress"]),
        status=st.sampled_from(["final", "draft", "?"]),
    )
    def info(self, name: str, status: str) -> None:
        self.attempt(EditScriptInfo({"name": name, "status": status}))

    # --- history ----------------------------------------------------------------------

    @rule()
    def undo(self) -> None:
        step = self.session.undo()
        if step is None:
            assert len(self.done) == 1
            return
        self.undone.append(self.done.pop())
        assert self.now() == self.done[-1]

    @rule()
    def redo(self) -> None:
        step = self.session.redo()
        if step is None:
            assert not self.undone
            return
        self.done.append(self.undone.pop())
        assert self.now() == self.done[-1]

    @rule(data=st.data())
    def revert(self, data: st.DataObject) -> None:
        steps = data.draw(st.integers(0, len(self.done) - 1))
        self.session.revert_to(steps)
        while len(self.done) > steps + 1:
            self.undone.append(self.done.pop())
        assert self.now() == self.done[-1]

    # --- what must always be true -------------------------------------------------------

    @invariant()
    def rules_hold(self) -> None:
        assert (
            element_rule_problems(
                self.session.elements,
                department_label=self.initials.__getitem__,
                known_departments=set(self.initials),
            )
            == []
        )

    @invariant()
    def queue_matches(self) -> None:
        assert len(self.session.history) == len(self.done) - 1
        assert len(self.session.redo_history) == len(self.undone)
        assert self.now() == self.done[-1]

    @invariant()
    def indexes_agree_with_rows(self) -> None:
        state = self.session.state
        for position, e in enumerate(state.elements):
            assert state.position_of(e.id) == position
            assert state.get(e.id) is e
            if e.element_type is ElementType.CUE and e.department_id and e.cue_number:
                number = normalize_cue_number(e.cue_number)
                assert state.cue_holders(e.department_id, number) == [e.id]

    def teardown(self) -> None:
        """Undoing everything gives back exactly the state the queue started from."""
        self.session.revert_to(0)
        assert self.now() == self.done[0]
        assert not self.session.is_dirty

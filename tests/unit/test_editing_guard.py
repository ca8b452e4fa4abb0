"""The rule check after each command: whole for small scripts, around the change for large ones."""

from __future__ import annotations

import random
import uuid

import pytest
from support.script_builder import script_rows

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditSession,
    GroupElements,
    MoveElements,
    Place,
    RenumberDepartment,
    ScriptInfo,
    SetForSelection,
    ShiftTimes,
    Ungroup,
)
from callmaster_desktop.editing.base import Command
from callmaster_desktop.editing.guard import RuleGuard
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import ValidationError

DEPARTMENTS = {"LX": uuid.uuid4(), "SQ": uuid.uuid4(), "FLY": uuid.uuid4()}
INITIALS = {v: k for k, v in DEPARTMENTS.items()}


def big_session(count: int = 3_000, *, cross_check: bool = True) -> EditSession:
    rows = script_rows(DEPARTMENTS, count)
    guard = RuleGuard(full_check_below=1_000, cross_check=cross_check)
    return EditSession.in_memory(ScriptInfo("Big"), rows, INITIALS, guard=guard)


def find(session: EditSession, label: str) -> uuid.UUID:
    return next(e.id for e in session.elements if session.state.label(e) == label)


def test_a_small_script_is_checked_whole() -> None:
    session = big_session(200)
    session.apply(ShiftTimes([find(session, "LX 3")], "+0:01"))
    assert (session.guard.full_checks, session.guard.local_checks) == (1, 0)


def test_a_large_script_is_checked_around_the_change() -> None:
    session = big_session(cross_check=False)
    session.apply(ShiftTimes([find(session, "LX 3")], "+0:01"))
    session.apply(MoveElements([find(session, "SQ 40")], Place.after(find(session, "LX 700"))))
    assert (session.guard.full_checks, session.guard.local_checks) == (0, 2)


def test_a_refusal_on_a_large_script_names_the_rows() -> None:
    session = big_session()
    lx5, sq5 = find(session, "LX 5"), find(session, "SQ 5")
    rows = [session.state.position_of(i) + 1 for i in (lx5, sq5)]
    with pytest.raises(
        ValidationError, match=rf"LX 5 is used twice \(rows {min(rows)} and {max(rows)}\)"
    ):
        session.apply(SetForSelection([sq5], "department_id", DEPARTMENTS["LX"]))
    assert session.guard.full_checks >= 1
    assert session.state.get(sq5).department_id == DEPARTMENTS["SQ"]


def test_a_change_of_most_rows_is_checked_whole() -> None:
    session = big_session(cross_check=False)
    acts = [e.id for e in session.elements if e.parent_id is None]
    session.apply(ShiftTimes(acts, "+1:00"))  # times only: the rules see nothing new
    assert (session.guard.full_checks, session.guard.local_checks) == (0, 1)
    session.apply(GroupElements(acts, "The play"))  # every row moves: the group rules, whole
    assert (session.guard.full_checks, session.guard.whole_halves) == (0, 1)
    session.apply(RenumberDepartment(DEPARTMENTS["LX"], 1, 0.5))  # one cue in three
    assert (session.guard.full_checks, session.guard.whole_halves) == (0, 2)


def random_command(rng: random.Random, session: EditSession) -> Command:
    rows = session.elements
    e = rows[rng.randrange(len(rows))]
    other = rows[rng.randrange(len(rows))]
    groups = [r.id for r in rows if r.element_type is ElementType.GROUP]
    choice = rng.randrange(8)
    if choice == 0:
        return MoveElements([e.id], Place.after(other.id))
    if choice == 1:
        return MoveElements([e.id], Place.first_in(rng.choice(groups)))
    if choice == 2:
        return EditFields(e.id, {"cue_number": other.cue_number or "1"})
    if choice == 3:
        return EditFields(e.id, {"element_type": rng.choice(["cue", "note", "group"])})
    if choice == 4:
        return DeleteElements([e.id], keep_children=rng.random() < 0.5)
    if choice == 5:
        return GroupElements([e.id], "G")
    if choice == 6:
        return Ungroup(rng.choice(groups))
    return AddElement("cue", Place.before(other.id), {"department_id": DEPARTMENTS["SQ"]})


@pytest.mark.parametrize("seed", range(5))
def test_the_local_check_agrees_with_the_whole_check(seed: int) -> None:
    """Random edits on a large script; the guard fails loudly if its local look ever misses."""
    rng = random.Random(seed)
    session = big_session(1_100)
    done = 0
    for _ in range(40):
        try:
            session.apply(random_command(rng, session))
            done += 1
        except ValidationError:
            pass
    assert element_rule_problems(session.elements) == []
    assert session.guard.local_checks >= done > 10


def test_a_splice_that_would_repeat_a_row_is_refused_untouched() -> None:
    rows = [ElementData(ElementType.NOTE, "a"), ElementData(ElementType.NOTE, "b")]
    state = ScriptState(ScriptInfo("x"), rows, {})
    with pytest.raises(ValueError, match="twice"):
        state.splice(2, 0, (ElementData(ElementType.NOTE, "c"), rows[0]))
    assert list(state.elements) == rows and state.position_of(rows[1].id) == 1

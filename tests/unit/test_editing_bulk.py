"""Shifting times, setting a field on a selection, renumbering, sorting (in memory)."""

from __future__ import annotations

import uuid

import pytest
from support.editing import SmallScript, assert_refused, labels, tree

from callmaster_desktop.domain.enums import Priority
from callmaster_desktop.editing import (
    EditFields,
    EditSession,
    NothingToChange,
    RenumberDepartment,
    SetForSelection,
    ShiftTimes,
    SortByTime,
)
from callmaster_desktop.errors import NotFoundError


def times(session: EditSession) -> dict[str, int]:
    return {session.state.label(e): e.offset_ms for e in session.elements}


# --- shifting -------------------------------------------------------------------------


def test_shifting_cues_is_one_step(session: EditSession, script: SmallScript) -> None:
    ids = [script.id(x) for x in ("LX 12", "SQ 4", "LX 13")]
    step = session.apply(ShiftTimes(ids, "+0:05"))
    assert step.description == "Shifted 3 cues by +0:05"
    assert [times(session)[x] for x in ("LX 12", "SQ 4", "LX 13", "LX 14")] == [
        15_000,
        25_000,
        35_000,
        60_000,
    ]
    assert len(session.history) == 1


def test_shifting_a_group_shifts_everything_inside(
    session: EditSession, script: SmallScript
) -> None:
    step = session.apply(ShiftTimes([script.id("Act 2")], "-1.5m"))
    assert step.description == "Shifted 3 rows by -1:30"
    assert [times(session)[x] for x in ("Act 2", "LX 14", "FLY 1")] == [-30_000, -30_000, -20_000]


def test_shifting_one_row_names_it(session: EditSession, script: SmallScript) -> None:
    assert (
        session.apply(ShiftTimes([script.id("FLY 1")], 250)).description
        == "Shifted FLY 1 by +0:00.250"
    )


@pytest.mark.parametrize("delta", ["5 minutes", "+1:60", "--0:05", ""])
def test_a_shift_that_cannot_be_read_says_what_was_expected(
    session: EditSession, script: SmallScript, delta: str
) -> None:
    assert_refused(
        session, ShiftTimes([script.id("LX 12")], delta), r"as a time shift: expected \+M:SS"
    )


def test_a_zero_shift_changes_nothing(session: EditSession, script: SmallScript) -> None:
    with pytest.raises(NothingToChange):
        session.apply(ShiftTimes([script.id("LX 12")], "+0:00"))


# --- setting a field on a selection ---------------------------------------------------


def test_setting_priority_colour_and_location(session: EditSession, script: SmallScript) -> None:
    ids = [script.id("LX 12"), script.id("SQ 4")]
    assert session.apply(SetForSelection(ids, "priority", "safety")).description == (
        "Set the priority of 2 cues to safety"
    )
    assert session.apply(SetForSelection(ids, "color", "ff0000")).description == (
        "Set the colour of 2 cues to #FF0000"
    )
    assert session.apply(SetForSelection(ids, "location", "SL")).description == (
        'Set the location of 2 cues to "SL"'
    )
    assert session.apply(SetForSelection([ids[0]], "location", None)).description == (
        "Cleared the location of LX 12"
    )
    e = session.state.get(ids[1])
    assert (e.priority, e.color, e.location) == (Priority.SAFETY, "#FF0000", "SL")


def test_setting_the_department_keeps_numbers_unique(
    session: EditSession, script: SmallScript
) -> None:
    step = session.apply(
        SetForSelection(
            [script.id("LX 14"), script.id("FLY 1")], "department_id", script.departments["SQ"]
        )
    )
    assert step.description == "Set the department of 2 cues to SQ"
    assert "SQ 14" in labels(session) and "SQ 1" in labels(session)
    session.apply(EditFields(script.id("SQ 4"), {"cue_number": "12"}))
    assert_refused(
        session,
        SetForSelection(
            [script.id("SQ 4"), script.id("LX 13")], "department_id", script.departments["LX"]
        ),
        r"would break a rule, so it was not done: Cue number LX 12 is used twice \(rows 3 and 4\)",
    )


def test_only_four_fields_are_set_on_a_selection(session: EditSession, script: SmallScript) -> None:
    assert_refused(
        session,
        SetForSelection([script.id("LX 12")], "name", "x"),
        "Only the department, priority, colour, location can be set on several rows",
    )
    assert_refused(
        session, SetForSelection([script.id("LX 12")], "color", "blue"), "not a colour code"
    )
    with pytest.raises(NothingToChange):
        session.apply(SetForSelection([script.id("LX 12")], "priority", "normal"))


# --- renumbering ----------------------------------------------------------------------


def test_renumbering_a_department_in_script_order(
    session: EditSession, script: SmallScript
) -> None:
    step = session.apply(RenumberDepartment(script.departments["LX"], 1, 1))
    assert step.description == "Renumbered LX from 1 by 1 (3 cues)"
    assert [x for x in labels(session) if x.startswith("LX")] == ["LX 1", "LX 2", "LX 3"]
    session.apply(RenumberDepartment(script.departments["LX"], "101", "0.5"))
    assert [x for x in labels(session) if x.startswith("LX")] == ["LX 101", "LX 101.5", "LX 102"]
    assert session.history[-1] == "Renumbered LX from 101 by 0.5 (3 cues)"


@pytest.mark.parametrize(
    ("start", "step", "match"),
    [
        ("one", "1", 'first number "one" is not a number'),
        ("1", "0", "step between cue numbers must be more than 0"),
        ("-5", "1", "first number must be a number, 0 or more"),
        ("1", "0.00000000001", "cannot reach cue 2"),
        ("999999999999", "1", "would reach 1000000000001: a cue number has at most 12"),
    ],
)
def test_bad_renumbering_is_refused(
    session: EditSession, script: SmallScript, start: str, step: str, match: str
) -> None:
    assert_refused(session, RenumberDepartment(script.departments["LX"], start, step), match)


def test_renumbering_a_department_without_cues(session: EditSession, script: SmallScript) -> None:
    with pytest.raises(NothingToChange, match="no VID cues"):
        session.apply(RenumberDepartment(script.departments["VID"]))
    with pytest.raises(NotFoundError):
        session.apply(RenumberDepartment(uuid.uuid4()))
    with pytest.raises(NothingToChange, match="already numbered"):
        session.apply(RenumberDepartment(script.departments["FLY"], 1, 1))


# --- sorting by time ------------------------------------------------------------------


def test_sorting_by_time_inside_each_group(session: EditSession, script: SmallScript) -> None:
    session.apply(EditFields(script.id("LX 12"), {"offset_ms": "0:35"}))
    session.apply(EditFields(script.id("Curtain call"), {"offset_ms": "0:05"}))
    step = session.apply(SortByTime())
    assert step.description.startswith("Sorted the script by time (")
    assert tree(session) == [
        'the note "Curtain call"',
        "Act 1",
        "  Scene 1",
        "    SQ 4",
        "    LX 13",
        "    LX 12",
        '  the note "Actor enters SL"',
        "Act 2",
        "  LX 14",
        "  FLY 1",
    ]
    with pytest.raises(NothingToChange, match="already in time order"):
        session.apply(SortByTime())

"""Adding, editing and deleting rows, and the script's own information (in memory)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support.editing import SmallScript, assert_refused, labels, tree

from callmaster_desktop.domain.enums import ElementType, Priority, ScriptStatus
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditScriptInfo,
    EditSession,
    NothingToChange,
    Place,
)
from callmaster_desktop.errors import NotFoundError

# --- adding ---------------------------------------------------------------------------


def test_a_cue_added_between_two_cues_gets_the_number_in_between(
    session: EditSession, script: SmallScript
) -> None:
    command = AddElement(
        "cue", Place.after(script.id("LX 12")), {"department_id": script.departments["LX"]}
    )
    step = session.apply(command)
    assert step.description == "Added LX 12.5"
    added = session.state.get(command.element_id)
    assert added.cue_number == "12.5"
    assert added.parent_id == script.id("Scene 1")
    assert added.offset_ms == 10_000  # the time of the row before it
    assert labels(session)[2:5] == ["LX 12", "LX 12.5", "SQ 4"]


def test_a_cue_added_after_the_last_of_its_department_gets_the_next_number(
    session: EditSession, script: SmallScript
) -> None:
    command = AddElement(
        ElementType.CUE,
        Place.last_in(None),
        {"department_id": script.departments["LX"], "name": "Blackout", "offset_ms": "2:05"},
    )
    assert session.apply(command).description == "Added LX 15"
    added = session.elements[-1]
    assert (added.name, added.offset_ms, added.parent_id) == ("Blackout", 125_000, None)


def test_notes_and_groups_are_added_where_asked(session: EditSession, script: SmallScript) -> None:
    session.apply(
        AddElement("note", Place.first_in(None), {"name": "House opens", "offset_ms": "-30:00"})
    )
    session.apply(AddElement("group", Place.first_in(script.id("Act 2")), {"name": "Scene 2"}))
    assert session.history == ['Added the note "House opens"', "Added the group Scene 2"]
    assert tree(session)[:1] == ['the note "House opens"']
    assert session.elements[0].offset_ms == -1_800_000
    act2 = tree(session).index("Act 2")
    assert tree(session)[act2 + 1] == "  Scene 2"


def test_a_cue_number_in_use_is_refused(session: EditSession, script: SmallScript) -> None:
    command = AddElement(
        "cue", Place.last_in(None), {"department_id": script.departments["SQ"], "cue_number": "4"}
    )
    assert_refused(session, command, r"SQ 4 is already used by another cue \(row 4\)")


def test_cue_numbers_are_written_in_their_normal_form(
    session: EditSession, script: SmallScript
) -> None:
    command = AddElement(
        "cue",
        Place.last_in(None),
        {"department_id": script.departments["SQ"], "cue_number": " 04.50 "},
    )
    assert session.apply(command).description == "Added SQ 4.5"


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"offset_ms": "1:75"}, r'Cannot read "1:75" as a time: expected H:MM:SS'),
        ({"offset_ms": "soon"}, "expected H:MM:SS, M:SS, 90s or 1.5m"),
        ({"priority": "urgent"}, '"urgent" is not a priority: choose one of safety'),
        ({"cue_number": "12-B"}, "contains"),
        ({"color": "red"}, "not a colour code"),
        ({"name": "x" * 301}, "at most 300"),
        ({"duration_ms": "-0:05"}, "a duration cannot be negative"),
        ({"parent_id": None}, "changes group by being moved"),
        ({"colour": "#FF0000"}, "no field called colour"),
    ],
)
def test_bad_input_for_a_new_cue_is_refused_with_what_was_expected(
    session: EditSession, script: SmallScript, fields: dict[str, object], match: str
) -> None:
    command = AddElement(
        "cue", Place.last_in(None), {"department_id": script.departments["LX"], **fields}
    )
    assert_refused(session, command, match)


def test_a_department_that_is_not_yours_is_refused(session: EditSession) -> None:
    import uuid

    command = AddElement(
        "cue", Place.last_in(None), {"department_id": uuid.uuid4(), "cue_number": "1"}
    )
    assert_refused(session, command, "department that is not one of yours")


def test_only_cues_have_cue_numbers(session: EditSession) -> None:
    assert_refused(
        session,
        AddElement("note", Place.last_in(None), {"cue_number": "3"}),
        "Only cues have cue numbers",
    )


def test_rows_go_inside_groups_only(session: EditSession, script: SmallScript) -> None:
    assert_refused(
        session,
        AddElement("note", Place.first_in(script.id("LX 12"))),
        "LX 12 is a cue, not a group: rows can only be put inside a group",
    )


def test_a_cue_without_department_breaks_a_rule(session: EditSession) -> None:
    assert_refused(
        session, AddElement("cue", Place.last_in(None), {"name": "Mystery"}), "has no department"
    )


# --- editing --------------------------------------------------------------------------


def test_a_time_is_typed_as_text(session: EditSession, script: SmallScript) -> None:
    step = session.apply(EditFields(script.id("LX 12"), {"offset_ms": "1:02:03"}))
    assert step.description == "Changed the time of LX 12 to 1:02:03"
    assert session.state.get(script.id("LX 12")).offset_ms == 3_723_000


def test_optional_fields_are_cleared_with_none(session: EditSession, script: SmallScript) -> None:
    lx12 = script.id("LX 12")
    session.apply(EditFields(lx12, {"location": "SL", "notes": "Slow fade", "duration_ms": "0:03"}))
    assert session.history[-1] == "Changed the notes, duration and location of LX 12"
    assert (
        session.apply(EditFields(lx12, {"location": None})).description
        == "Cleared the location of LX 12"
    )
    session.apply(EditFields(lx12, {"notes": None, "duration_ms": None, "color": "#00ff00"}))
    e = session.state.get(lx12)
    assert (e.location, e.notes, e.duration_ms, e.color) == (None, None, None, "#00FF00")


def test_required_fields_cannot_be_cleared(session: EditSession, script: SmallScript) -> None:
    assert_refused(
        session,
        EditFields(script.id("LX 12"), {"offset_ms": None}),
        "time of a row cannot be cleared",
    )
    assert_refused(
        session,
        EditFields(script.id("LX 12"), {"priority": None}),
        "priority of a row cannot be cleared",
    )
    assert_refused(
        session, EditFields(script.id("LX 12"), {"cue_number": None}), "has no cue number"
    )


def test_renumbering_a_cue_into_a_used_number_is_refused(
    session: EditSession, script: SmallScript
) -> None:
    assert_refused(
        session, EditFields(script.id("LX 13"), {"cue_number": "12"}), "LX 12 is already used"
    )
    step = session.apply(EditFields(script.id("LX 13"), {"cue_number": "12.50"}))
    assert step.description == "Renumbered LX 13 as LX 12.5"


def test_moving_a_cue_to_another_department(session: EditSession, script: SmallScript) -> None:
    step = session.apply(
        EditFields(script.id("LX 14"), {"department_id": script.departments["SQ"]})
    )
    assert step.description == "Changed LX 14 to SQ 14"
    assert_refused(
        session,
        EditFields(
            script.id("LX 12"), {"department_id": script.departments["SQ"], "cue_number": "4"}
        ),
        "SQ 4 is already used",
    )


def test_a_cue_made_a_note_loses_its_number_and_back_gets_a_proposal(
    session: EditSession, script: SmallScript
) -> None:
    sq4 = script.id("SQ 4")
    assert (
        session.apply(EditFields(sq4, {"element_type": "note"})).description == "Made SQ 4 a note"
    )
    assert session.state.get(sq4).cue_number is None
    session.apply(EditFields(sq4, {"element_type": "cue"}))
    assert session.state.get(sq4).cue_number == "1"  # the only SQ cue again


def test_a_group_holding_rows_stays_a_group(session: EditSession, script: SmallScript) -> None:
    assert_refused(
        session,
        EditFields(script.id("Scene 1"), {"element_type": "note"}),
        "Scene 1 still holds 3 rows: ungroup it or move them out",
    )


def test_an_edit_that_changes_nothing_is_not_a_step(
    session: EditSession, script: SmallScript
) -> None:
    with pytest.raises(NothingToChange):
        session.apply(EditFields(script.id("LX 12"), {"offset_ms": "0:10", "priority": "normal"}))
    assert session.history == []


def test_editing_a_row_that_is_gone(session: EditSession, script: SmallScript) -> None:
    import uuid

    with pytest.raises(NotFoundError, match="no longer in the script"):
        session.apply(EditFields(uuid.uuid4(), {"name": "x"}))


def test_several_fields_in_one_step(session: EditSession, script: SmallScript) -> None:
    step = session.apply(
        EditFields(script.id("FLY 1"), {"name": "Fly in the moon", "priority": Priority.SAFETY})
    )
    assert step.description == "Changed the name and priority of FLY 1"
    assert len(session.history) == 1


# --- deleting -------------------------------------------------------------------------


def test_deleting_a_cue(session: EditSession, script: SmallScript) -> None:
    assert session.apply(DeleteElements([script.id("SQ 4")])).description == "Deleted SQ 4"
    assert "SQ 4" not in labels(session)


def test_deleting_a_group_with_its_rows(session: EditSession, script: SmallScript) -> None:
    step = session.apply(DeleteElements([script.id("Act 1")]))
    assert step.description == "Deleted Act 1 and its 5 rows"
    assert labels(session) == ["Act 2", "LX 14", "FLY 1", 'the note "Curtain call"']


def test_deleting_a_group_but_keeping_its_rows(session: EditSession, script: SmallScript) -> None:
    step = session.apply(DeleteElements([script.id("Scene 1")], keep_children=True))
    assert step.description == "Deleted Scene 1, keeping the 3 rows inside"
    assert tree(session)[:5] == [
        "Act 1",
        "  LX 12",
        "  SQ 4",
        "  LX 13",
        '  the note "Actor enters SL"',
    ]


def test_deleting_a_selection(session: EditSession, script: SmallScript) -> None:
    ids = [script.id(x) for x in ("LX 12", "LX 13", "Scene 1", "FLY 1")]
    step = session.apply(DeleteElements(ids))
    assert step.description == "Deleted 2 rows (5 rows in all)"
    assert labels(session) == [
        "Act 1",
        'the note "Actor enters SL"',
        "Act 2",
        "LX 14",
        'the note "Curtain call"',
    ]


def test_nothing_chosen_is_refused(session: EditSession) -> None:
    assert_refused(session, DeleteElements([]), "Choose at least one row")


# --- the script's information ---------------------------------------------------------


def test_renaming_and_marking_the_script(session: EditSession) -> None:
    assert (
        session.apply(EditScriptInfo({"name": "  Final  "})).description
        == 'Renamed the script to "Final"'
    )
    assert (
        session.apply(EditScriptInfo({"status": "final"})).description == "Marked the script final"
    )
    assert session.info.name == "Final" and session.info.status is ScriptStatus.FINAL


def test_planned_times_and_notes(session: EditSession) -> None:
    start = datetime(2026, 5, 12, 19, 30, tzinfo=UTC)
    step = session.apply(
        EditScriptInfo(
            {"start_time": start, "end_time": start + timedelta(hours=3), "notes": " Tech "}
        )
    )
    assert step.description == "Changed the script's planned start, planned end and notes"
    assert session.info.notes == "Tech"
    assert (
        session.apply(EditScriptInfo({"notes": None})).description == "Changed the script's notes"
    )


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"name": "   "}, "The script needs a name"),
        ({"status": "lost"}, '"lost" is not a script status'),
        ({"start_time": datetime(2026, 5, 12, 19, 30)}, "has no time zone"),
        ({"start_time": "tonight"}, "must be a date and time"),
        (
            {
                "start_time": datetime(2026, 5, 12, 19, 30, tzinfo=UTC),
                "end_time": datetime(2026, 5, 12, 18, 0, tzinfo=UTC),
            },
            "planned end comes before its planned start",
        ),
        ({"venue": "Globe"}, "no field called venue"),
    ],
)
def test_bad_script_information_is_refused(
    session: EditSession, changes: dict[str, object], match: str
) -> None:
    assert_refused(session, EditScriptInfo(changes), match)

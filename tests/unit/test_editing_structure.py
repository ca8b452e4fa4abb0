"""Moving rows, grouping and ungrouping (in memory)."""

from __future__ import annotations

import pytest
from support.editing import SmallScript, assert_refused, labels, tree

from callmaster_desktop.editing import (
    EditSession,
    GroupElements,
    MoveElements,
    NothingToChange,
    Place,
    Ungroup,
)


def test_moving_one_cue_after_another(session: EditSession, script: SmallScript) -> None:
    step = session.apply(MoveElements([script.id("LX 12")], Place.after(script.id("SQ 4"))))
    assert step.description == "Moved LX 12 after SQ 4"
    assert labels(session)[2:5] == ["SQ 4", "LX 12", "LX 13"]


def test_moving_a_cue_out_of_its_group_and_into_another(
    session: EditSession, script: SmallScript
) -> None:
    session.apply(MoveElements([script.id("LX 13")], Place.after(script.id("Act 1"))))
    assert session.history[-1] == "Moved LX 13 after Act 1"
    assert tree(session)[5:7] == ["LX 13", "Act 2"]
    session.apply(MoveElements([script.id("LX 13")], Place.last_in(script.id("Act 2"))))
    assert session.history[-1] == "Moved LX 13 to the end of Act 2"
    assert tree(session)[-2] == "  LX 13"
    session.apply(MoveElements([script.id("LX 13")], Place.first_in(script.id("Scene 1"))))
    assert tree(session)[2] == "    LX 13"


def test_moving_a_whole_group_takes_its_rows(session: EditSession, script: SmallScript) -> None:
    step = session.apply(MoveElements([script.id("Act 2")], Place.first_in(None)))
    assert step.description == "Moved Act 2 to the top of the script"
    assert tree(session)[:4] == ["Act 2", "  LX 14", "  FLY 1", "Act 1"]


def test_moving_a_group_into_another_group(session: EditSession, script: SmallScript) -> None:
    session.apply(MoveElements([script.id("Scene 1")], Place.last_in(script.id("Act 2"))))
    assert tree(session) == [
        "Act 1",
        '  the note "Actor enters SL"',
        "Act 2",
        "  LX 14",
        "  FLY 1",
        "  Scene 1",
        "    LX 12",
        "    SQ 4",
        "    LX 13",
        'the note "Curtain call"',
    ]


def test_moving_a_selection_gathers_it_in_order(session: EditSession, script: SmallScript) -> None:
    ids = [script.id("FLY 1"), script.id("LX 12"), script.id("LX 13")]
    step = session.apply(MoveElements(ids, Place.before(script.id("Curtain call"))))
    assert step.description == 'Moved 3 cues before the note "Curtain call"'
    assert labels(session)[-4:] == ["LX 12", "LX 13", "FLY 1", 'the note "Curtain call"']
    assert all(session.state.get(i).parent_id is None for i in ids)


def test_a_row_inside_a_chosen_group_moves_with_the_group(
    session: EditSession, script: SmallScript
) -> None:
    ids = [script.id("Scene 1"), script.id("SQ 4")]
    step = session.apply(MoveElements(ids, Place.after(script.id("Act 2"))))
    assert step.description == "Moved Scene 1 after Act 2"
    assert tree(session)[-5:] == [
        "Scene 1",
        "  LX 12",
        "  SQ 4",
        "  LX 13",
        'the note "Curtain call"',
    ]


def test_a_group_cannot_go_inside_itself(session: EditSession, script: SmallScript) -> None:
    assert_refused(
        session,
        MoveElements([script.id("Act 1")], Place.last_in(script.id("Scene 1"))),
        "Scene 1 cannot go inside itself or inside a group it holds",
    )
    assert_refused(
        session,
        MoveElements([script.id("Act 1")], Place.after(script.id("SQ 4"))),
        "it is one of the rows being moved",
    )


def test_a_move_that_changes_nothing_is_not_a_step(
    session: EditSession, script: SmallScript
) -> None:
    with pytest.raises(NothingToChange):
        session.apply(MoveElements([script.id("SQ 4")], Place.after(script.id("LX 12"))))
    with pytest.raises(NothingToChange):
        session.apply(
            MoveElements(
                [script.id("LX 12"), script.id("SQ 4")], Place.first_in(script.id("Scene 1"))
            )
        )


def test_grouping_a_selection(session: EditSession, script: SmallScript) -> None:
    command = GroupElements([script.id("SQ 4"), script.id("LX 13")], "Storm", color="#336699")
    step = session.apply(command)
    assert step.description == "Grouped 2 cues as Storm"
    assert tree(session)[1:7] == [
        "  Scene 1",
        "    LX 12",
        "    Storm",
        "      SQ 4",
        "      LX 13",
        '  the note "Actor enters SL"',
    ]
    storm = session.state.get(command.group_id)
    assert (storm.offset_ms, storm.color) == (20_000, "#336699")


def test_grouping_groups_nests_them(session: EditSession, script: SmallScript) -> None:
    session.apply(GroupElements([script.id("Act 1"), script.id("Act 2")], "The play"))
    assert tree(session)[:3] == ["The play", "  Act 1", "    Scene 1"]
    assert tree(session)[-1] == 'the note "Curtain call"'


def test_grouping_gathers_rows_of_one_group(session: EditSession, script: SmallScript) -> None:
    session.apply(GroupElements([script.id("LX 12"), script.id("LX 13")], "Lights"))
    assert tree(session)[2:6] == ["    Lights", "      LX 12", "      LX 13", "    SQ 4"]


def test_rows_of_different_groups_cannot_be_grouped(
    session: EditSession, script: SmallScript
) -> None:
    assert_refused(
        session,
        GroupElements([script.id("LX 13"), script.id("LX 14")], "Mixed"),
        "Only rows of the same group can be grouped together",
    )


def test_ungrouping_keeps_the_rows_in_place(session: EditSession, script: SmallScript) -> None:
    step = session.apply(Ungroup(script.id("Act 2")))
    assert step.description == "Ungrouped Act 2 (2 rows)"
    assert tree(session)[-3:] == ["LX 14", "FLY 1", 'the note "Curtain call"']
    session.apply(Ungroup(script.id("Act 1")))
    assert tree(session)[:5] == [
        "Scene 1",
        "  LX 12",
        "  SQ 4",
        "  LX 13",
        'the note "Actor enters SL"',
    ]


def test_only_a_group_can_be_ungrouped(session: EditSession, script: SmallScript) -> None:
    assert_refused(session, Ungroup(script.id("LX 12")), "LX 12 is not a group")

"""The cue number proposed for a new cue, natural order, and the time input of the editor."""

from __future__ import annotations

import uuid

import pytest
from support.editing import small_script

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing import (
    AddElement,
    EditFields,
    EditSession,
    Place,
    ScriptInfo,
    parse_shift,
    parse_time,
)
from callmaster_desktop.errors import ValidationError

LX = uuid.uuid4()


def lx_session(*numbers: str) -> EditSession:
    rows = [
        ElementData(ElementType.CUE, f"cue {n}", i * 1000, department_id=LX, cue_number=n)
        for i, n in enumerate(numbers)
    ]
    return EditSession.in_memory(ScriptInfo("Test"), rows, {LX: "LX"})


@pytest.mark.parametrize(
    ("numbers", "position", "proposed"),
    [
        ((), 0, "1"),
        (("12",), 1, "13"),  # after LX 12 comes LX 13
        (("12", "13"), 1, "12.5"),  # between 12 and 13
        (("12", "12.5", "13"), 2, "12.7"),  # between 12.5 and 13
        (("12", "12.5"), 1, "12.2"),
        (("12.1", "12.2"), 1, "12.15"),
        (("10", "10A"), 1, "10.5"),
        (("10A", "11"), 1, "10B"),
        (("5",), 0, "4"),
        (("1",), 0, "0.5"),
        (("A",), 1, "B"),
    ],
)
def test_the_proposed_number_fits_between_the_neighbours(
    numbers: tuple[str, ...], position: int, proposed: str
) -> None:
    assert lx_session(*numbers).next_cue_number_for(LX, position) == proposed


def test_other_departments_are_not_neighbours() -> None:
    script = small_script()
    session = script.session()
    # Between LX 12 and LX 13 with SQ 4 in between: still LX 12.5.
    assert session.next_cue_number_for(script.departments["LX"], 4) == "12.5"
    assert session.next_cue_number_for(script.departments["SQ"], 4) == "5"
    assert session.next_cue_number_for(script.departments["VID"], 4) == "1"


def test_out_of_order_neighbours_give_the_number_after_the_highest() -> None:
    session = lx_session("20", "3", "7")
    assert session.next_cue_number_for(LX, 1) == "21"  # nothing between 20 and 3


def test_a_taken_proposal_falls_back_to_the_number_after_the_highest() -> None:
    session = lx_session("12", "13", "12.5")  # 12.5 is used further down
    assert session.next_cue_number_for(LX, 1) == "14"


def test_no_room_gives_no_proposal_and_adding_asks_for_a_number() -> None:
    session = lx_session("10A", "10B", "Z" * 12)
    assert session.next_cue_number_for(LX, 1) is None
    with pytest.raises(ValidationError, match="No LX cue number fits here: type one"):
        session.apply(AddElement("cue", Place.after(session.elements[0].id), {"department_id": LX}))


def test_numbers_sort_naturally_when_proposing() -> None:
    # 2 < 10 < 10.5 < 10A: the highest is 10A, so the next is 11.
    session = lx_session("10A", "2", "10.5", "10")
    assert session.next_cue_number_for(LX, 0) == "11"


def test_renumbered_cue_keeps_proposals_right() -> None:
    session = lx_session("1", "2")
    session.apply(EditFields(session.elements[1].id, {"cue_number": "10"}))
    assert session.next_cue_number_for(LX, 1) == "2"  # between 1 and 10, the next whole number


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("1:02:03", 3_723_000),
        ("2:03", 123_000),
        ("-5:00", -300_000),
        ("90s", 90_000),
        ("1.5m", 90_000),
        ("27:00:00", 97_200_000),
        (" 45 ", 45_000),
        (1234, 1234),
    ],
)
def test_time_input(text: str | int, ms: int) -> None:
    assert parse_time(text) == ms


@pytest.mark.parametrize(("text", "ms"), [("+0:05", 5_000), ("-0:05", -5_000), ("+90s", 90_000)])
def test_time_shift_input(text: str, ms: int) -> None:
    assert parse_shift(text) == ms


@pytest.mark.parametrize("text", ["", "1:2:3:4", "5:60", "1::2", "--5", "nan", "ten", "1,5m"])
def test_time_input_refuses_anything_else_saying_what_it_expected(text: str) -> None:
    with pytest.raises(ValidationError, match=r"expected H:MM:SS, M:SS, 90s or 1\.5m"):
        parse_time(text)
    with pytest.raises(ValidationError, match=r"expected \+M:SS, -M:SS"):
        parse_shift(text)


def test_time_input_refuses_other_types() -> None:
    with pytest.raises(ValidationError, match="like 1:02:03"):
        parse_time(True)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"like \+0:05"):
        parse_shift(1.5)  # type: ignore[arg-type]

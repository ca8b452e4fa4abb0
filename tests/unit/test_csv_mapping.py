"""Column aliases, value aliases and department matching (no database)."""

from __future__ import annotations

import uuid

import pytest

from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.formats.csv_departments import (
    MatchHow,
    match_department,
    suggest_new_department,
)
from callmaster_desktop.formats.csv_mapping import (
    DepartmentRef,
    Field,
    element_type_for,
    field_for_header,
    guess_columns,
    priority_for,
    yes_or_no,
)


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        (["Time", "Offset", "Cue Time", "Start", "START TIME"], Field.TIME),
        (["Type", "Kind", "element type"], Field.TYPE),
        (["Cue", "Cue #", "Cue#", "Cue No.", "Number", "Q", "#"], Field.CUE_NUMBER),
        (["Element Name", "Name", "Cue Name", "Title"], Field.NAME),
        (["Description", "Notes", "Details"], Field.NOTES),
        (["Group Path", "Group", "Section"], Field.GROUP_PATH),
        (["Department", "Dept", "Dept."], Field.DEPARTMENT),
        (["Priority", "Importance"], Field.PRIORITY),
        (["Location", "Where"], Field.LOCATION),
        (["Duration", "Fade Time"], Field.DURATION),
        (["Color", "Colour"], Field.COLOR),
        (["Fires Together", "Together"], Field.TOGETHER),
    ],
)
def test_headers_are_recognised_by_their_aliases(headers: list[str], field: Field) -> None:
    for header in headers:
        assert field_for_header(header) is field, header


def test_guessed_columns_use_each_field_once_and_remember_corrections() -> None:
    headers = ["Cue #", "Dept", "Temps", "Title", "Notes", "Description", "Page"]
    assert guess_columns(headers) == [
        Field.CUE_NUMBER,
        Field.DEPARTMENT,
        None,
        Field.NAME,
        Field.NOTES,
        None,
        None,
    ]
    remembered = {"temps": Field.TIME, "notes": None, "description": Field.NOTES}
    assert guess_columns(headers, remembered) == [
        Field.CUE_NUMBER,
        Field.DEPARTMENT,
        Field.TIME,
        Field.NAME,
        None,
        Field.NOTES,
        None,
    ]


def test_value_aliases() -> None:
    assert element_type_for("Q") == (ElementType.CUE, None)
    assert element_type_for("SFX") == (ElementType.CUE, "SFX")
    assert element_type_for("Lighting") == (ElementType.CUE, "Lighting")
    assert element_type_for("note") == (ElementType.NOTE, None)
    assert element_type_for("Scene") == (ElementType.GROUP, None)
    assert element_type_for("Widget") is None
    assert priority_for("Urgent") is Priority.CRITICAL
    assert priority_for("Important") is Priority.HIGH
    assert priority_for("Medium") is Priority.NORMAL
    assert priority_for("SAFETY") is Priority.SAFETY
    assert priority_for("Sometimes") is None
    assert [yes_or_no(t) for t in ("Yes", "x", "", "no", "perhaps")] == [
        True,
        True,
        False,
        False,
        None,
    ]


def _dept(name: str, initials: str) -> DepartmentRef:
    return DepartmentRef(uuid.uuid4(), name, initials, "#808080")


LX = _dept("Lighting", "LX")
SQ = _dept("Sound", "SQ")
FLY = _dept("Fly", "FLY")
VID = _dept("Video", "VID")
MINE = [LX, SQ, FLY, VID, _dept("Stage Management", "SM")]


@pytest.mark.parametrize(
    ("text", "department", "how"),
    [
        ("Lighting", LX, MatchHow.NAME),
        ("lighting ", LX, MatchHow.NAME),
        ("LX", LX, MatchHow.INITIALS),
        ("Lights", LX, MatchHow.ALIAS),
        ("SQ", SQ, MatchHow.INITIALS),
        ("Audio", SQ, MatchHow.ALIAS),
        ("SFX", SQ, MatchHow.ALIAS),
        ("Rail", FLY, MatchHow.ALIAS),
        ("Projection", VID, MatchHow.ALIAS),
        ("Lighitng", LX, MatchHow.NEAR),
        ("Stage Managment", MINE[4], MatchHow.NEAR),
        ("Catering", None, MatchHow.NONE),
        ("L", None, MatchHow.NONE),
    ],
)
def test_departments_are_matched(
    text: str, department: DepartmentRef | None, how: MatchHow
) -> None:
    match = match_department(text, MINE)
    assert (match.department, match.how) == (department, how)


def test_exact_initials_win_over_aliases_and_remembered_choices_win_over_all() -> None:
    spfx = _dept("Special Effects", "SFX")
    assert match_department("SFX", [SQ, spfx]).department == spfx
    remembered = {"sfx": SQ.id}
    match = match_department("SFX", [SQ, spfx], remembered)
    assert (match.department, match.how) == (SQ, MatchHow.REMEMBERED)
    # A remembered department that is gone is ignored.
    assert match_department("SFX", [spfx], remembered).department == spfx


def test_new_departments_get_usual_names_and_free_initials() -> None:
    audio = suggest_new_department("Audio")
    assert (audio.name, audio.initials) == ("Sound", "SQ")
    pyro = suggest_new_department("pyro")
    assert (pyro.name, pyro.initials) == ("Special Effects", "SPFX")
    crew = suggest_new_department("stage management")
    assert (crew.name, crew.initials) == ("Stage Management", "SM")
    assert suggest_new_department("Catering").initials == "CAT"
    assert suggest_new_department("Son").initials == "SON"
    clash = suggest_new_department("Sound", taken=[_dept("Sequencer", "SQ")])
    assert clash.initials == "SQ2"

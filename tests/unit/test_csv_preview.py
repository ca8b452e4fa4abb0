"""Reading rows into a script in memory: groups, numbers, times and every problem."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.formats.csv_departments import suggest_departments
from callmaster_desktop.formats.csv_detect import read_table, read_table_file
from callmaster_desktop.formats.csv_import import ImportPreview, build_preview
from callmaster_desktop.formats.csv_mapping import DepartmentRef, Field, guess_columns
from callmaster_desktop.formats.csv_tree import join_path, split_path

DATA = Path(__file__).resolve().parent.parent / "data"
LX = DepartmentRef(uuid.uuid4(), "Lighting", "LX", "#B8860B")
SQ = DepartmentRef(uuid.uuid4(), "Sound", "SQ", "#2F7FC1")
FLY = DepartmentRef(uuid.uuid4(), "Fly", "FLY", "#8E5BB5")
SFX = DepartmentRef(uuid.uuid4(), "Special Effects", "SFX", "#D0453D")
MINE = [LX, SQ, FLY, SFX]


def preview_of(text: str, *, create: bool = False) -> ImportPreview:
    table = read_table(text.encode())
    columns = guess_columns(table.headers)
    return build_preview(
        table, columns, suggest_departments(table, columns, MINE, create_missing=create)
    )


def rows(preview: ImportPreview) -> list[tuple[str, str, str | None, int]]:
    return [(e.element_type.value, e.name, e.cue_number, e.offset_ms) for e in preview.elements]


def parent_names(preview: ImportPreview) -> list[str | None]:
    names = {e.id: e.name for e in preview.elements}
    return [names[e.parent_id] if e.parent_id else None for e in preview.elements]


def test_the_messy_good_file_reads_completely() -> None:
    table = read_table_file(DATA / "good_bom_crlf.csv")
    columns = guess_columns(table.headers)
    preview = build_preview(table, columns, suggest_departments(table, columns, MINE))
    assert preview.problems == []
    assert preview.counts == {ElementType.GROUP: 4, ElementType.NOTE: 2, ElementType.CUE: 7}
    by_name = {e.name: e for e in preview.elements}
    assert by_name["House opens"].offset_ms == -30 * 60_000
    assert by_name["House opens"].notes == "Front of house clears\nthe lobby"
    assert by_name["Final fade"].offset_ms == 13 * 3_600_000 + 5 * 60_000
    assert by_name["Late-night hold"].color == "#D62828"  # "red"
    assert by_name["Act 1"].color == "#3366CC"
    assert by_name["Act 1"].notes == "Opening of the play"
    assert by_name["Blackout"].priority is Priority.CRITICAL  # Urgent
    assert by_name["Storm build"].priority is Priority.HIGH  # Important
    assert by_name["Witches' special"].priority is Priority.SAFETY
    assert by_name["Witches' special"].department_id == LX.id  # Type "Lighting"
    assert by_name["Thunder"].department_id == SFX.id  # Type "SFX": the SFX initials
    assert by_name["Rain bed"].department_id == SQ.id  # "Audio"
    assert by_name["Preset"].department_id == LX.id  # "Lights"
    assert by_name["Preset"].duration_ms == 5_000
    # Unnumbered LX cues fit between the numbered ones in time order.
    assert [
        by_name[n].cue_number
        for n in ("Preset", "Blackout", "Witches' special", "Storm build", "Final fade")
    ] == [
        "0.5",
        "1",
        "1.5",
        "2",
        "3",
    ]
    assert any("numbered in time order (LX 0.5 to LX 1.5)" in n for n in preview.notes)
    assert any("Repeated header row(s) left out: 10" in n for n in preview.notes)
    # Act 1/Scene 1 nests; Scene 1 has no row of its own: it starts with its first row.
    assert by_name["Scene 1"].parent_id == by_name["Act 1"].id
    assert by_name["Scene 1"].offset_ms == 10_000
    assert by_name["Thunder"].parent_id == by_name["Scene 1"].id
    assert preview.source_rows[0] == 2


def test_every_problem_is_listed_with_row_column_and_reason() -> None:
    table = read_table_file(DATA / "problems.csv")
    columns = guess_columns(table.headers)
    preview = build_preview(table, columns, suggest_departments(table, columns, MINE))
    found = [(p.row, p.column, p.reason) for p in preview.problems]
    assert found == [
        (
            3,
            "Time",
            'cannot read "0:75" as a time: expected H:MM:SS, M:SS, 90s or 1.5m '
            "(seconds and minutes below 60)",
        ),
        (
            4,
            "Time",
            'cannot read "banana" as a time: expected H:MM:SS, M:SS, 90s or 1.5m '
            "(seconds and minutes below 60)",
        ),
        (
            6,
            "Department",
            '"Catering" is not one of your departments: choose one for it, or have it created',
        ),
        (7, "Name", "the cue has no name or description: say what it is"),
        (
            8,
            "Type",
            '"Widget" is not a kind of row: write Cue, Note or Group '
            "(Q, SFX or Lighting also mean a cue)",
        ),
        (9, "Cue", "LX 1 is already used by row 2"),
        (
            10,
            "Priority",
            '"Sometimes" is not a priority: write one of Safety, Critical, High, '
            "Normal, Low, Optional",
        ),
        (
            11,
            "Colour",
            '"#12345" is not a colour: write # and six hex digits (#FFCC00) or a '
            "name such as red or blue",
        ),
        (12, "Duration", "a duration cannot be negative"),
        (13, "Department", "a cue needs a department (such as LX or Sound)"),
        (14, "Time", "a cue needs a time (such as 1:02:03 or -5:00)"),
        (15, "Name", "a group needs a name (such as Act 1)"),
    ]
    assert str(preview.problems[0]).startswith('Row 3, Time: cannot read "0:75"')
    assert not preview.ok
    # "Pyrotechnix" is a near spelling of a usual name for Special Effects.
    choice = preview.department_choices["pyrotechnix"]
    assert choice.department == SFX and choice.match.how.value == "near spelling"


def test_unknown_departments_can_be_created_on_request() -> None:
    preview = preview_of("Time,Dept,Name\n0:01,Catering,Tea\n0:02,Audio,Music\n", create=True)
    assert preview.problems == []
    assert [d.name for d in preview.new_departments] == ["Catering"]
    tea, music = preview.elements
    assert tea.department_id == preview.new_departments[0].id
    assert music.department_id == SQ.id


def test_group_rows_describe_groups_and_same_named_groups_stay_apart() -> None:
    preview = preview_of(
        "Time,Type,Name,Group,Colour\n"
        "0:05,Cue,LX cue,Act 1/Scene 1,\n"  # names Act 1 and Scene 1 before their rows
        "0:00,Group,Act 1,,blue\n"  # describes the Act 1 already named
        "0:10,Group,Scene 1,Act 2,\n"
        "0:11,Note,In act 2,Act 2/Scene 1,\n"
        "0:20,Group,Scene 1,Act 2,\n"  # a second Scene 1 in Act 2
        "0:21,Note,In the second,Act 2/Scene 1,\n"
        "0:06,Note,Back in act 1,Act 1,\n".replace(  # joins Act 1, after its rows so far
            "LX cue", "Go"
        ).replace("0:05,Cue,Go", "0:05,Note,Go")
    )
    assert preview.problems == []
    assert [(e.name, p) for e, p in zip(preview.elements, parent_names(preview), strict=True)] == [
        ("Act 1", None),
        ("Scene 1", "Act 1"),
        ("Go", "Scene 1"),
        ("Back in act 1", "Act 1"),
        ("Act 2", None),
        ("Scene 1", "Act 2"),
        ("In act 2", "Scene 1"),
        ("Scene 1", "Act 2"),
        ("In the second", "Scene 1"),
    ]
    act1 = preview.elements[0]
    assert (act1.offset_ms, act1.color) == (0, "#3A86FF")
    assert preview.elements[4].offset_ms == 10_000  # Act 2 starts with its first scene


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Act 1/Scene 2", ["Act 1", "Scene 2"]),
        (" Act 1 / Scene 2 /", ["Act 1", "Scene 2"]),
        ("Before\\/after/Inside", ["Before/after", "Inside"]),
        ("Back\\\\slash", ["Back\\slash"]),
        ("Odd\\escape", ["Odd\\escape"]),
        ("", []),
    ],
)
def test_group_paths(text: str, names: list[str]) -> None:
    assert split_path(text) == names
    if text and "Odd" not in text:
        assert split_path(join_path(names)) == names


def test_cues_without_numbers_are_numbered_per_department_in_time_order() -> None:
    preview = preview_of(
        "Time,Dept,Cue,Name\n"
        "0:30,LX,,C\n"
        "0:10,LX,,A\n"
        "0:20,SQ,,Music\n"
        "0:20,LX,,B\n"
        "0:40,LX,5,Numbered\n"
        "0:50,LX,,After five\n"
    )
    numbers = {e.name: e.cue_number for e in preview.elements}
    assert numbers == {
        "C": "3",
        "A": "1",
        "Music": "1",
        "B": "2",
        "Numbered": "5",
        "After five": "6",
    }
    out_of_order = preview_of("Time,Dept,Cue,Name\n0:10,LX,9,Nine\n0:20,LX,,X\n0:30,LX,3,Three\n")
    assert {e.name: e.cue_number for e in out_of_order.elements}["X"] == "10"


def test_labels_in_the_cue_column_give_the_department() -> None:
    preview = preview_of("Time,Cue,Name\n0:01,LX 12,Go\n0:02,SQ-4,Music\n0:03,Audio 5,More\n")
    assert preview.problems == []
    got = [(e.department_id, e.cue_number) for e in preview.elements]
    assert got == [(LX.id, "12"), (SQ.id, "4"), (SQ.id, "5")]


def test_times_in_every_form_the_editor_reads() -> None:
    preview = preview_of("Time,Name\n-30:00,a\n-0:00:01.5,b\n27:00:00,c\n90s,d\n1.5m,e\n'-5:00,f\n")
    assert [e.offset_ms for e in preview.elements] == [
        -1_800_000,
        -1_500,
        97_200_000,
        90_000,
        90_000,
        -300_000,
    ]


def test_whole_file_problems_and_notes() -> None:
    preview = preview_of("Page,Colour\n12,red\n")
    assert str(preview.problems[0]).startswith("The file: no column holds names")
    assert "No column holds times: every row starts at 0:00." in preview.notes
    notes = preview_of("Time,Name,Page\n0:01,Go,\n,,17\n")
    assert any("Row 3 has nothing in the columns being imported" in n for n in notes.notes)
    untimed = preview_of("Time,Type,Name\n0:10,Note,First\n,Note,Second\n")
    assert [e.offset_ms for e in untimed.elements] == [10_000, 10_000]


def test_preview_reports_progress() -> None:
    text = "Time,Dept,Name\n" + "".join(f"0:{i % 60:02d},LX,Cue {i}\n" for i in range(1200))
    table = read_table(text.encode())
    columns = guess_columns(table.headers)
    seen: list[tuple[int, int, str]] = []
    preview = build_preview(
        table,
        columns,
        suggest_departments(table, columns, MINE),
        progress=lambda done, total, what: seen.append((done, total, what)),
    )
    assert preview.ok and len(preview.elements) == 1200
    assert [s[0] for s in seen] == [500, 1000, 1200]
    assert seen[-1][1] == 1200


def test_element_rows_keep_file_order_inside_groups() -> None:
    preview = preview_of("Time,Name,Group\n0:30,late,A\n0:10,early,A\n")
    assert rows(preview)[1:] == [("note", "late", None, 30_000), ("note", "early", None, 10_000)]
    assert isinstance(preview.elements[0], ElementData)
    assert preview.summary == "3 rows: 0 cues, 2 notes, 1 group."
    assert preview.column_choices == {
        "Time": Field.TIME,
        "Name": Field.NAME,
        "Group": Field.GROUP_PATH,
    }

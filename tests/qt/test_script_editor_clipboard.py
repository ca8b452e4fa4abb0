"""Cut, copy, paste and duplicate rows: in a script, into another, to and from a spreadsheet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from support.script_editor import (
    CTRL,
    OFFSCREEN_NOISE,
    click_row,
    labels,
    open_editor,
    tree,
)

from benchmarks.script_factory import BuiltScript
from callmaster_desktop.db.engine import Database
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.scripts import create_script
from tests.support.faults import dump_tables
from ui.script_editor.clipboard import ROWS_MIME, Departments, rows_from_tsv, rows_tsv
from ui.script_editor.editor import ScriptEditor
from ui.script_editor.rows import Col

pytestmark = [
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE),
    pytest.mark.usefixtures("close_script_editors"),
]
SCRIPT_ROWS = 60


@pytest.fixture
def backend() -> str:
    """These run on SQLite; the tech-week story runs on both databases."""
    return "sqlite"


def first_cues(editor: ScriptEditor, n: int) -> list[str]:
    return [label for label in labels(editor) if " " in label and label.split()[1][0].isdigit()][:n]


def test_copy_puts_exact_rows_and_spreadsheet_text_on_the_clipboard(
    qtbot: QtBot, editor: ScriptEditor
) -> None:
    a, b = first_cues(editor, 2)
    click_row(qtbot, editor, a)
    click_row(qtbot, editor, b, modifier=CTRL)
    qtbot.keyClick(editor.view, Qt.Key.Key_C, CTRL)
    mime = QApplication.clipboard().mimeData()
    assert mime.hasFormat(ROWS_MIME)
    lines = mime.text().splitlines()
    assert lines[0].split("\t")[:6] == ["Level", "Type", "Time", "Duration", "Dept", "Cue"]
    assert len(lines) == 3
    assert lines[1].split("\t")[4:6] == a.split()


def test_paste_below_the_cursor_gets_new_numbers_and_is_one_undo_step(
    qtbot: QtBot, editor: ScriptEditor
) -> None:
    a, b = first_cues(editor, 2)
    before = list(editor.session.elements)
    click_row(qtbot, editor, a)
    click_row(qtbot, editor, b, modifier=CTRL)
    qtbot.keyClick(editor.view, Qt.Key.Key_C, CTRL)
    click_row(qtbot, editor, a)
    qtbot.keyClick(editor.view, Qt.Key.Key_V, CTRL)
    assert editor.session.history == ["Pasted 2 cues"]
    pasted = editor.view.selected_ids()
    assert len(pasted) == 2 and labels(editor).count(a) == 1  # the copies got free numbers
    assert len(editor.model.elements) == len(before) + 2
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL)
    assert list(editor.session.elements) == before


def test_cut_and_duplicate(qtbot: QtBot, editor: ScriptEditor) -> None:
    a, b = first_cues(editor, 2)
    click_row(qtbot, editor, a)
    qtbot.keyClick(editor.view, Qt.Key.Key_D, CTRL)
    assert editor.session.history[-1].startswith(f"Duplicated {a} as ")
    click_row(qtbot, editor, b)
    qtbot.keyClick(editor.view, Qt.Key.Key_X, CTRL)
    assert b not in labels(editor)
    assert editor.session.history[-1] == f"Deleted {b}"
    assert QApplication.clipboard().mimeData().hasFormat(ROWS_MIME)


def test_rows_paste_into_another_script_of_the_show(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    scene = next(label for label in labels(editor) if label.startswith("Scene"))
    click_row(qtbot, editor, scene, Col.NAME)
    qtbot.keyClick(editor.view, Qt.Key.Key_C, CTRL)
    copied = len(QApplication.clipboard().mimeData().text().splitlines()) - 1
    other = create_script(db, built.owner_id, built.show_id, "Understudy run").created_id(
        Kind.SCRIPT
    )
    second = open_editor(qtbot, db, built.owner_id, other)
    qtbot.keyClick(second.view, Qt.Key.Key_V, CTRL)
    assert len(second.model.elements) == copied
    assert tree(second)[0] == scene and all(t.startswith("  ") for t in tree(second)[1:])
    qtbot.keyClick(second.view, Qt.Key.Key_S, CTRL)
    assert not second.isWindowModified()


def test_spreadsheet_cells_paste_as_rows(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    sheet = (
        "Time\tDept\tCue\tName\tPriority\n"
        "1:00:00\tLX\t900\tBlackout\tsafety\n"
        "1:00:05\t\t\tHold for applause\t\n"
        "1:00:10\tSound\t900\tBows music\t\n"
    )
    mime = QMimeData()
    mime.setText(sheet)
    QApplication.clipboard().setMimeData(mime)
    click_row(qtbot, editor, labels(editor)[-1])
    qtbot.keyClick(editor.view, Qt.Key.Key_V, CTRL)
    assert labels(editor)[-3:] == ["LX 900", "Hold for applause", "SQ 900"]
    assert editor.model.index(editor.model.rowCount() - 3, Col.PRIORITY).data() == "SAFETY"
    assert editor.model.index(editor.model.rowCount() - 1, Col.TIME).data() == "1:00:10"


def test_a_spreadsheet_paste_with_a_mistake_changes_nothing(
    qtbot: QtBot, db: Database, editor: ScriptEditor
) -> None:
    stored = dump_tables(db)
    before = list(editor.session.elements)
    mime = QMimeData()
    mime.setText("Time\tDept\tCue\tName\n1:00\tPYRO\t1\tFlash\n")
    QApplication.clipboard().setMimeData(mime)
    qtbot.keyClick(editor.view, Qt.Key.Key_V, CTRL)
    assert editor.message_bar.message == (
        'Line 2 of the pasted text: there is no department called "PYRO".'
    )
    mime = QMimeData()
    mime.setText("Time\tDept\tCue\tName\n1:75\tLX\t1\tFlash\n")
    QApplication.clipboard().setMimeData(mime)
    qtbot.keyClick(editor.view, Qt.Key.Key_V, CTRL)
    assert editor.message_bar.message.startswith("Line 2 of the pasted text: the time: Cannot read")
    assert list(editor.session.elements) == before and editor.session.history == []
    assert dump_tables(db) == stored


def test_editor_text_round_trips_through_a_spreadsheet(editor: ScriptEditor) -> None:
    rows = list(editor.session.elements)[:25]
    departments = Departments(list(editor.departments.values()))
    again = rows_from_tsv(rows_tsv(rows, departments), departments)
    keep = (
        "element_type",
        "name",
        "offset_ms",
        "department_id",
        "cue_number",
        "duration_ms",
        "priority",
        "location",
        "color",
    )
    assert [[getattr(e, k) for k in keep] for e in again] == [
        [getattr(e, k) for k in keep] for e in rows
    ]
    depth = {e.id: 0 for e in again}
    for e in again:
        if e.parent_id is not None:
            depth[e.id] = depth[e.parent_id] + 1
    assert [depth[e.id] for e in again] == [editor.model.depth(e.id) for e in rows]

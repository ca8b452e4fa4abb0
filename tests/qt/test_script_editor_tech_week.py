"""A tech-week session in the script editor, driven with real key presses and mouse drags.

Build an act from nothing, insert LX 12.5 between LX 12 and LX 13, group a
scene, drag it into the next act (answering the time-order question), shift
its times from the bulk panel, undo half of it, save, reopen, and compare
the saved revisions. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from support.script_editor import (
    ALT,
    CTRL,
    EDITING,
    OFFSCREEN_NOISE,
    SHIFT,
    answer,
    cell_point,
    click_row,
    labels,
    open_editor,
    row_of,
    tree,
    type_in_cell,
)

from benchmarks.script_factory import BuiltScript
from callmaster_desktop.db.engine import Database
from callmaster_desktop.services.script_state import read_elements
from tests.support.faults import dump_tables
from ui.script_editor.editor import ScriptEditor
from ui.script_editor.rows import Col

pytestmark = [
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE),
    pytest.mark.usefixtures("close_script_editors"),
]
SCRIPT_ROWS = 0


def key(
    qtbot: QtBot, editor: ScriptEditor, k: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(editor.view, k, mods)


def set_cell(qtbot: QtBot, editor: ScriptEditor, label: str, column: Col, text: str) -> None:
    """Click a cell, start typing (the first key opens the editor), Enter commits."""
    click_row(qtbot, editor, label, column)
    key(qtbot, editor, Qt.Key.Key_F2)
    type_in_cell(qtbot, editor, text, Qt.Key.Key_Return)


def choose_department(qtbot: QtBot, editor: ScriptEditor, initials: str) -> None:
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    qtbot.keyClicks(combo, initials[0])
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.state() != EDITING)


def drag_row(qtbot: QtBot, editor: ScriptEditor, label: str, onto: str) -> None:
    """Press on a chosen row and drag it onto the middle of another row."""
    viewport = editor.view.viewport()
    start = cell_point(editor, row_of(editor, label), Col.NAME)
    end = cell_point(editor, row_of(editor, onto), Col.NAME)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        qtbot.mouseMove(viewport, start + (end - start) * step / 5)
    assert editor.view.row_drag.active
    qtbot.mouseMove(viewport, end + QPoint(0, 1))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_a_tech_week_session(qtbot: QtBot, db: Database, built: BuiltScript) -> None:
    editor = open_editor(qtbot, db, built.owner_id, built.script_id)
    assert editor.model.rowCount() == 0 and not editor.isWindowModified()

    # An act from nothing: a group, then cues inside it, all from the keyboard.
    key(qtbot, editor, Qt.Key.Key_Return, CTRL | ALT)
    type_in_cell(qtbot, editor, "Act 1", Qt.Key.Key_Return)
    key(qtbot, editor, Qt.Key.Key_Up)
    key(qtbot, editor, Qt.Key.Key_Return, CTRL)  # a cue, first in the open act
    type_in_cell(qtbot, editor, "Storm builds", Qt.Key.Key_Backtab)  # name, back to the cue
    type_in_cell(qtbot, editor, "12", Qt.Key.Key_Backtab)  # cue number, back to the dept
    choose_department(qtbot, editor, "LX")
    assert labels(editor) == ["Act 1", "LX 12"]
    key(qtbot, editor, Qt.Key.Key_Return, CTRL)  # the department is remembered: LX 13
    type_in_cell(qtbot, editor, "Lightning, witches revealed", Qt.Key.Key_Return)
    key(qtbot, editor, Qt.Key.Key_Return, CTRL | SHIFT)  # a note after LX 13
    type_in_cell(qtbot, editor, "Hold for the thunder", Qt.Key.Key_Return)
    assert labels(editor) == ["Act 1", "LX 12", "LX 13", "Hold for the thunder"]
    set_cell(qtbot, editor, "LX 12", Col.TIME, "0:10")
    set_cell(qtbot, editor, "LX 13", Col.TIME, "0:40")
    set_cell(qtbot, editor, "Hold for the thunder", Col.TIME, "1:00")

    # LX 12.5 between LX 12 and LX 13: the engine proposes the number.
    click_row(qtbot, editor, "LX 12")
    key(qtbot, editor, Qt.Key.Key_Return, CTRL)
    type_in_cell(qtbot, editor, "Thunder flash", Qt.Key.Key_Return)
    assert labels(editor)[1:4] == ["LX 12", "LX 12.5", "LX 13"]
    assert editor.session.history[-2] == "Added LX 12.5"

    # Group the scene: click LX 12, Shift+click LX 13, Ctrl+G, name it.
    click_row(qtbot, editor, "LX 12")
    click_row(qtbot, editor, "LX 13", modifier=SHIFT)
    assert len(editor.view.selected_ids()) == 3
    key(qtbot, editor, Qt.Key.Key_G, CTRL)
    type_in_cell(qtbot, editor, "Scene 1: a heath", Qt.Key.Key_Return)
    assert tree(editor) == [
        "Act 1",
        "  Scene 1: a heath",
        "    LX 12",
        "    LX 12.5",
        "    LX 13",
        "  Hold for the thunder",
    ]

    # Act 2 at the top level: fold Act 1, then add a group after it.
    click_row(qtbot, editor, "Act 1", Col.TIME)
    key(qtbot, editor, Qt.Key.Key_Left, CTRL)
    assert labels(editor) == ["Act 1"]
    key(qtbot, editor, Qt.Key.Key_Return, CTRL | ALT)
    type_in_cell(qtbot, editor, "Act 2", Qt.Key.Key_Return)
    editor.fold_all(False)

    # Drag the scene into Act 2: it would be out of time order, so the editor asks.
    click_row(qtbot, editor, "Scene 1: a heath", Col.NAME)
    drag_row(qtbot, editor, "Scene 1: a heath", "Act 2")
    answer(qtbot, editor, "take")
    assert tree(editor)[-5:] == [
        "Act 2",
        "  Scene 1: a heath",
        "    LX 12",
        "    LX 12.5",
        "    LX 13",
    ]
    lx12 = editor.model.index(row_of(editor, "LX 12"), Col.TIME)
    assert lx12.data() == "1:00"  # took the time of the note it now follows

    # Bulk-shift the scene's times by half a minute.
    click_row(qtbot, editor, "Scene 1: a heath", Col.NAME)
    qtbot.keyClicks(editor.bulk.shift, "+0:30")
    qtbot.keyClick(editor.bulk.shift, Qt.Key.Key_Return)
    assert editor.model.index(row_of(editor, "LX 13"), Col.TIME).data() == "2:00"
    history = editor.session.history
    assert history[-1].startswith("Shifted") and "+0:30" in history[-1]

    # Undo half of it with Ctrl+Z.
    done = len(history)
    for _ in range(done // 2):
        key(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert len(editor.session.history) == done - done // 2
    key(qtbot, editor, Qt.Key.Key_Z, CTRL | SHIFT)  # redo one step...
    assert len(editor.session.history) == done - done // 2 + 1
    key(qtbot, editor, Qt.Key.Key_Z, CTRL)  # ...and undo it again
    assert len(editor.session.history) == done - done // 2
    assert editor.history.list.count() == done + 1  # undone steps stay listed, greyed
    assert [e.id for e in editor.model.elements] == [e.id for e in editor.session.elements]
    assert editor.isWindowModified()
    kept = tree(editor)

    # Ctrl+S: one transaction; the script in the database is what the screen shows.
    key(qtbot, editor, Qt.Key.Key_S, CTRL)
    assert not editor.isWindowModified() and "All saved" in editor.dirty_label.text()
    with db.reading() as session:
        assert read_elements(session, built.script_id) == list(editor.session.elements)

    # One more edit, saved as a second revision.
    set_cell(qtbot, editor, "Act 1", Col.NAME, "Act One")
    key(qtbot, editor, Qt.Key.Key_S, CTRL)
    saved = dump_tables(db, ["elements"])

    # Reopen: the same script, as saved.
    editor.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(editor))
    again = open_editor(qtbot, db, built.owner_id, built.script_id)
    assert tree(again) == ["Act One", *kept[1:]]
    assert dump_tables(db, ["elements"]) == saved

    # Compare the two revisions in the Revisions panel.
    again.panels.setCurrentWidget(again.revisions)
    assert [r.number for r in again.revisions.revisions] == [2, 1]
    again.revisions.choose(1, 2)
    qtbot.mouseClick(again.revisions.compare_button, Qt.MouseButton.LeftButton)
    text = again.revisions.result.toPlainText()
    assert "From revision 1 to 2" in text
    assert 'the group "Act 1": name "Act 1" -> "Act One"' in text

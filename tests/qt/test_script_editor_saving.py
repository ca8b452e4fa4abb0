"""Saving and leaving: unsaved edits asked about, conflicts, failures, auto-save, recovery."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from support.script_editor import (
    CTRL,
    OFFSCREEN_NOISE,
    OPEN,
    answer,
    labels,
    open_editor,
    rename,
)

from benchmarks.script_factory import BuiltScript
from callmaster_desktop.db.engine import Database
from callmaster_desktop.editing import EditFields, EditSession
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.preferences import Preferences
from callmaster_desktop.services.script_state import read_elements
from callmaster_desktop.services.scripts import create_script
from callmaster_desktop.services.shows import get_show
from tests.support.faults import dump_tables, fail_at_statement
from tests.support.window import make_window
from ui.script_editor.editor import ScriptEditor

pytestmark = [
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "does not support raise"),
    pytest.mark.usefixtures("close_script_editors"),
]
SCRIPT_ROWS = 40


@pytest.fixture
def backend() -> str:
    """These run on SQLite; the tech-week story runs on both databases."""
    return "sqlite"


def a_cue(editor: ScriptEditor) -> str:
    return next(label for label in labels(editor) if label.startswith(("LX ", "SQ ")))


def test_closing_with_unsaved_edits_asks_and_cancel_keeps_them(
    qtbot: QtBot, db: Database, editor: ScriptEditor
) -> None:
    stored = dump_tables(db)
    rename(qtbot, editor, a_cue(editor), "Storm, louder")
    assert editor.isWindowModified() and "1 unsaved edit" in editor.dirty_label.text()
    assert not editor.close()
    answer(qtbot, editor, "cancel")
    assert editor.isVisible() and editor.session.is_dirty
    assert not editor.close()
    answer(qtbot, editor, "discard")
    qtbot.waitUntil(lambda: not shiboken6.isValid(editor))
    assert dump_tables(db) == stored


def test_closing_and_saving(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    label = a_cue(editor)
    rename(qtbot, editor, label, "Storm, louder")
    editor.close()
    answer(qtbot, editor, "save")
    qtbot.waitUntil(lambda: not shiboken6.isValid(editor))
    with db.reading() as session:
        assert "Storm, louder" in [e.name for e in read_elements(session, built.script_id)]


def test_switching_scripts_asks_first(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    other = create_script(db, built.owner_id, built.show_id, "Dress rehearsal").created_id(
        Kind.SCRIPT
    )
    editor.load()  # the script list now has both
    rename(qtbot, editor, a_cue(editor), "Storm, louder")
    editor.switch_script(other)
    answer(qtbot, editor, "save")
    assert editor.session.script_id == other and editor.model.rowCount() == 0
    assert editor.script_choice.currentText() == "Dress rehearsal (draft)"
    assert "Dress rehearsal" in editor.windowTitle()


def test_a_conflict_reloads_their_version_and_reapplies_my_edits(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    mine, theirs_label = a_cue(editor), labels(editor)[0]
    theirs = EditSession.open(db, built.owner_id, built.script_id, journal=False)
    group = theirs.elements[0]
    theirs.apply(EditFields(group.id, {"name": "Pre-show (their notes)"}))
    rename(qtbot, editor, mine, "Storm, louder")
    theirs.save()
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    assert editor.question is not None
    assert "saved" in editor.question.text() and "after you opened it" in editor.question.text()
    answer(qtbot, editor, "reload")
    assert labels(editor)[0] == "Pre-show (their notes)" != theirs_label
    assert editor.session.history == [f'Renamed {mine} to "Storm, louder"']
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    with db.reading() as session:
        names = [e.name for e in read_elements(session, built.script_id)]
    assert "Pre-show (their notes)" in names and "Storm, louder" in names


def test_a_conflict_can_be_saved_as_a_copy_or_cancelled(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    theirs = EditSession.open(db, built.owner_id, built.script_id, journal=False)
    theirs.apply(EditFields(theirs.elements[0].id, {"name": "Pre-show (theirs)"}))
    rename(qtbot, editor, a_cue(editor), "Storm, louder")
    theirs.save()
    stored = dump_tables(db)
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    answer(qtbot, editor, "cancel")
    assert editor.session.is_dirty and dump_tables(db) == stored
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    answer(qtbot, editor, "copy")
    assert editor.session.script_id != built.script_id and not editor.session.is_dirty
    assert editor.session.info.name == "Tech Script (copy)"
    names = [s.name for s in get_show(db, built.owner_id, built.show_id).scripts]
    assert names == ["Tech Script", "Tech Script (copy)"]


def test_a_failed_save_keeps_every_edit_and_writes_nothing(
    qtbot: QtBot, db: Database, editor: ScriptEditor
) -> None:
    rename(qtbot, editor, a_cue(editor), "Storm, louder")
    stored = dump_tables(db)
    with fail_at_statement(db, 3):
        qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    assert "Nothing was saved: your edits are all still here." in editor.message_bar.message
    assert editor.session.is_dirty and editor.isWindowModified()
    assert dump_tables(db) == stored
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    assert not editor.session.is_dirty


def test_auto_save_runs_at_the_preference_interval(
    qtbot: QtBot, db: Database, built: BuiltScript
) -> None:
    editor = open_editor(
        qtbot, db, built.owner_id, built.script_id, Preferences(autosave_interval_s=45)
    )
    assert editor.autosave.isActive() and editor.autosave.interval() == 45_000
    rename(qtbot, editor, a_cue(editor), "Storm, louder")
    editor.autosave.start(30)  # the same timer, sooner
    qtbot.waitUntil(lambda: not editor.session.is_dirty)
    assert "Saved 1 edit as revision" in editor.statusBar().currentMessage()
    never = open_editor(
        qtbot, db, built.owner_id, built.script_id, Preferences(autosave_interval_s=0)
    )
    assert not never.autosave.isActive()


def test_edits_left_by_a_crash_are_offered_back_from_the_main_window(
    qtbot: QtBot, db: Database, db_url: str, built: BuiltScript, tmp_path: Path
) -> None:
    crashed = EditSession.open(db, built.owner_id, built.script_id)
    crashed.apply(EditFields(crashed.elements[0].id, {"name": "Pre-show (recovered)"}))
    # The process dies here: the journal stays beside the database.
    window = make_window(qtbot, tmp_path)
    window.open_database_url(db_url, sample_on_create=False)
    window.open_script(built.script_id)
    answer(qtbot, window.script_editors, "recover")
    editor = window.script_editors.open_editors[built.script_id]
    OPEN.append(editor)
    assert labels(editor)[0] == "Pre-show (recovered)" and editor.isWindowModified()
    assert editor.session.history == ['Renamed Pre-show to "Pre-show (recovered)"']
    window.open_script(built.script_id)  # asked again: the same window comes forward
    assert list(window.script_editors.open_editors.values()) == [editor]

"""The script editor is locked while its script is being called (design data stays as it is).

The real script editor and the real calling screen on one script: once the
show starts, every edit, undo and save in the editor is refused with a clear
sentence (the edits made before the run stay in the editor and nothing
reaches the database); when the run ends, the lock goes and saving works.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from support.calling_screen import ShortShow, fake_clock, key, make_short_show
from support.script_editor import (
    CTRL,
    OFFSCREEN_NOISE,
    activate,
    click_row,
    labels,
    open_editor,
    rename,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person
from callmaster_desktop.services.script_state import read_elements
from tests.support.faults import dump_tables
from ui.calling import is_run_active
from ui.calling.calling_screen import CallingScreen
from ui.calling.editing_lock import EDITING_LOCKED, SAVING_LOCKED
from ui.script_editor.rows import Col

pytestmark = [
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "does not support raise"),
    pytest.mark.usefixtures("close_script_editors"),
]


@pytest.fixture
def show(db: Database, owner: Person) -> ShortShow:
    return make_short_show(db, owner.id)


def to_front(qtbot: QtBot, screen: CallingScreen) -> None:
    """The calling screen is the active window (else the editor's shortcuts take the keys)."""
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)


def names(db: Database, show: ShortShow) -> list[str]:
    with db.reading() as session:
        return [e.name for e in read_elements(session, show.script_id)]


def test_editing_is_refused_while_the_script_is_called_and_allowed_after(
    qtbot: QtBot, db: Database, show: ShortShow
) -> None:
    editor = open_editor(qtbot, db, show.owner_id, show.script_id)
    rename(qtbot, editor, "LX 1", "Preset, before the run")  # an edit made before the show
    assert editor.session.is_dirty

    screen = CallingScreen(db, show.owner_id, show.script_id, clock=fake_clock())
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    to_front(qtbot, screen)
    key(qtbot, screen, Qt.Key.Key_Return, CTRL)  # the show starts
    assert is_run_active(show.script_id)
    assert editor.message_bar.message == EDITING_LOCKED  # said at once, before any edit
    assert screen.control.flush_log()
    stored = dump_tables(db)
    shown = labels(editor)

    activate(qtbot, editor)
    editor.message_bar.hide()
    click_row(qtbot, editor, "LX 2")
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)  # delete a cue: refused
    assert labels(editor) == shown and editor.message_bar.message == EDITING_LOCKED
    editor.message_bar.hide()
    click_row(qtbot, editor, "LX 2", Col.NAME)
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)  # rename a cue: refused when committed
    line = editor.view.indexWidget(editor.view.currentIndex())
    assert line is not None
    qtbot.keyClicks(line, "Renamed during the show")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.message_bar.message == EDITING_LOCKED)
    assert "Renamed during the show" not in [e.name for e in editor.session.elements]
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL)  # undo the edit made before: refused
    assert "Preset, before the run" in [e.name for e in editor.session.elements]
    editor.message_bar.hide()
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)  # save: refused, the edit kept
    assert editor.message_bar.message == SAVING_LOCKED and editor.session.is_dirty
    editor.auto_save()  # the auto-save waits for the end of the run, quietly
    assert screen.control.flush_log()
    assert dump_tables(db) == stored  # nothing of the editor reached the database

    to_front(qtbot, screen)
    key(qtbot, screen, Qt.Key.Key_E, CTRL)  # end the run
    assert screen.dialog is not None
    screen.dialog.choose("End the Run")
    assert not is_run_active(show.script_id)
    assert not editor.message_bar.isVisible()  # the lock went with the run
    activate(qtbot, editor)
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    assert not editor.session.is_dirty
    assert "Preset, before the run" in names(db, show)
    screen.close()


def test_an_editor_opened_during_the_run_says_it_is_locked(
    qtbot: QtBot, db: Database, show: ShortShow
) -> None:
    screen = CallingScreen(db, show.owner_id, show.script_id, clock=fake_clock())
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    to_front(qtbot, screen)
    key(qtbot, screen, Qt.Key.Key_Return, CTRL)
    assert is_run_active(show.script_id)
    editor = open_editor(qtbot, db, show.owner_id, show.script_id)
    assert editor.message_bar.message == EDITING_LOCKED
    before = labels(editor)
    activate(qtbot, editor)
    click_row(qtbot, editor, "SQ 1")
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert labels(editor) == before and not editor.session.is_dirty
    screen.control.release()
    assert not is_run_active(show.script_id)

"""The restore dialog: the backups with what each holds, Back Up Now, Restore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from callmaster_desktop.db.backup import BEFORE_RESTORE, MANUAL, list_backups
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import Show
from callmaster_desktop.db.restore import RestoreResult
from callmaster_desktop.services.shows import delete_show
from callmaster_desktop.startup import open_for_user
from ui.dialogs.backup_restore import RestoreDialog, back_up_now


class Window:
    """What the main window does around a restore: close its database, open it again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: Database | None = open_database(str(path))
        self.events: list[str] = []

    def release(self) -> None:
        assert self.db is not None
        self.db.dispose()
        self.db = None
        self.events.append("released")

    def reopen(self) -> None:
        self.db = open_database(str(self.path))
        self.events.append("reopened")

    def shows(self) -> list[str]:
        assert self.db is not None
        with self.db.reading() as s:
            return list(s.scalars(select(Show.name)))


@pytest.fixture
def window(tmp_path: Path) -> Iterator[Window]:
    path = tmp_path / "callmaster.sqlite"
    open_for_user(str(path)).db.dispose()
    w = Window(path)
    yield w
    if w.db is not None:
        w.db.dispose()


def test_back_up_now_then_restore_after_a_mistake(qtbot: QtBot, window: Window) -> None:
    questions: list[str] = []
    dialog = RestoreDialog(
        window.path,
        release=window.release,
        reopen=window.reopen,
        confirm=lambda q: questions.append(q) or True,
    )
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()
    assert "no backups of this database yet" in dialog.details.toPlainText()

    dialog.backup_button.click()
    assert "Backed up to" in dialog.message.text() and "1 show, 1 script" in dialog.message.text()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Backup made on request"
    assert dialog.table.item(0, 2).text().startswith("1 show, 1 script, ")
    assert 'Show "Macbeth"' in dialog.details.toPlainText()

    assert window.db is not None
    with window.db.reading() as s:
        show_id, owner_id = s.execute(select(Show.id, Show.owner_id)).one()
    delete_show(window.db, owner_id, show_id)  # the mistake
    assert window.shows() == []

    with qtbot.waitSignal(dialog.restored) as signal:
        dialog.restore_button.click()
    assert isinstance(signal.args[0], RestoreResult)
    assert "Replace callmaster.sqlite with the backup" in questions[0]
    assert "can be undone" in questions[0]
    assert window.events == ["released", "reopened"]
    assert window.shows() == ["Macbeth"]
    assert "Restored callmaster.sqlite" in dialog.message.text()
    assert sorted(b.reason for b in list_backups(window.path)) == [BEFORE_RESTORE, MANUAL]
    assert dialog.table.rowCount() == 2


def test_a_refused_restore_reopens_the_database_and_says_why(qtbot: QtBot, window: Window) -> None:
    made = back_up_now(window.path)
    assert made.startswith("Backed up to")
    other = Window(window.path)  # another window keeps the file open
    assert other.shows() == ["Macbeth"]
    try:
        dialog = RestoreDialog(
            window.path, release=window.release, reopen=window.reopen, confirm=lambda q: True
        )
        qtbot.addWidget(dialog)
        dialog.table.selectRow(0)
        dialog.restore_button.click()
        assert "open in CallMaster or another program" in dialog.message.text()
        assert window.events == ["released", "reopened"]
        assert window.shows() == ["Macbeth"]
    finally:
        assert other.db is not None
        other.db.dispose()


def test_saying_no_changes_nothing(qtbot: QtBot, window: Window) -> None:
    back_up_now(window.path)
    dialog = RestoreDialog(
        window.path, release=window.release, reopen=window.reopen, confirm=lambda q: False
    )
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    assert dialog.restore_from(list_backups(window.path)[0].path) is None
    assert window.events == [] and len(list_backups(window.path)) == 1


def test_a_server_database_is_backed_up_on_the_server(qtbot: QtBot, db: Database) -> None:
    dialog = RestoreDialog(db, release=lambda: None, reopen=lambda: None)
    qtbot.addWidget(dialog)
    if db.is_sqlite:
        assert dialog.backup_button.isEnabled()
        return
    assert "PostgreSQL server" in dialog.intro.text()
    assert not dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()

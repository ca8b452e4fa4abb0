"""Backups from the main window: the daily backup on open, Back Up Now, Restore."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from callmaster_desktop.db.backup import list_backups
from callmaster_desktop.services.shows import delete_show
from tests.support.window import make_window, wait_idle, wait_opened


def test_open_backs_up_daily_and_restore_undoes_a_mistake(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    path = tmp_path / "macbeth.sqlite"
    window.open_database_url(str(path))
    wait_idle(qtbot, window)
    assert [b.reason for b in list_backups(path)] == ["daily"]
    window.open_database_url(str(path))  # the same day: no second daily backup
    wait_idle(qtbot, window)
    assert len(list_backups(path)) == 1

    assert window.db is not None and window.owner_id is not None
    record = window.shows.model.record_at(0)
    assert record is not None
    delete_show(window.db, window.owner_id, record["id"])  # the mistake
    window.refresh()
    assert window.shows.model.rowCount() == 0

    window.menu_actions["restore"].trigger()
    dialog = window.dialog
    dialog.confirm = lambda question: True
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    wait_opened(qtbot, window)
    assert window.db is not None and window.db.path == path
    assert window.shows.model.rowCount() == 1
    assert window.shows.model.record_at(0)["name"] == "Macbeth"


def test_back_up_now_lands_in_the_backups_folder(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    path = tmp_path / "macbeth.sqlite"
    window.open_database_url(str(path))
    wait_idle(qtbot, window)
    folder = window.back_up_now()
    wait_idle(qtbot, window)
    assert folder is not None and folder.is_dir()
    assert sorted(b.reason for b in list_backups(path)) == ["daily", "manual"]
    assert "Backed up to" in window.statusBar().currentMessage()

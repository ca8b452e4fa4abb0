"""Errors appear in the window in plain words, and nothing typed or stored is lost.

A database that became read-only, a read-only file, a server that cannot be
reached or drops the connection, a name that is taken: each shows its
sentence in the window, the editor keeps what the user typed, and the
database holds exactly what it held.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy import event
from support.faults import dump_tables, fail_at_statement
from support.safety import read_only_view
from support.window import (
    OFFSCREEN_NOISE,
    click,
    dialog,
    make_window,
    press,
    type_into,
    wait_opened,
)

from callmaster_desktop.services import venues
from callmaster_desktop.services.venues import VenueData
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, db_url: str) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(db_url, sample_on_create=False)
    w.nav.setCurrentRow(1)
    return w


def _make_read_only(window: MainWindow) -> None:
    """Turn the open database read-only for every new connection (a real read-only mode:
    SQLite's ``query_only``, PostgreSQL's read-only transactions)."""
    assert window.db is not None
    engine = window.db.engine
    sql = (
        "PRAGMA query_only=ON"
        if window.db.is_sqlite
        else "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
    )

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(sql)
        cursor.close()
        if not window.db or window.db.is_sqlite:
            return
        dbapi_connection.commit()

    engine.dispose()


def test_a_read_only_database_is_said_and_the_form_keeps_what_was_typed(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None
    before = dump_tables(window.db)
    _make_read_only(window)
    form = window.venues.form
    click(qtbot, window.venues.new_button)
    type_into(qtbot, form.field("name"), "The Old Vic")
    type_into(qtbot, form.field("city"), "London")
    press(qtbot, window, QKeySequence.StandardKey.Save)
    assert "is read-only" in window.message_bar.message
    assert "is read-only" in form.error_text
    assert form.field("name").text() == "The Old Vic"  # type: ignore[attr-defined]
    assert form.field("city").text() == "London"  # type: ignore[attr-defined]
    assert form.dirty and form.is_new
    assert dump_tables(window.db) == before


@pytest.fixture
def locked_folder(tmp_path: Path, sqlite_template: Path) -> Iterator[Path]:
    """A database file the user may not write: read-only permissions, or (root ignores
    those) the folder seen through a read-only bind mount, like a locked USB stick."""
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "callmaster.sqlite"
    path.write_bytes(sqlite_template.read_bytes())
    path.chmod(0o444)
    if os.geteuid() == 0:
        with read_only_view(folder, tmp_path / "stick") as stick:
            yield stick / path.name
        path.chmod(0o644)
        return
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def test_a_read_only_file_is_refused_in_plain_words(
    qtbot: QtBot, tmp_path: Path, locked_folder: Path
) -> None:
    window = make_window(qtbot, tmp_path)
    before = locked_folder.read_bytes()
    assert not window._open_safely(str(locked_folder), sample_on_create=False)
    assert "cannot be written" in window.message_bar.message
    assert locked_folder.read_bytes() == before
    assert sorted(p.name for p in locked_folder.parent.iterdir()) == ["callmaster.sqlite"]
    assert stat.S_IMODE(locked_folder.stat().st_mode) == 0o444


def test_a_server_that_cannot_be_reached_is_said_and_the_open_database_stays(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None
    opened = window.db.description
    connect = window.connect_server()
    type_into(qtbot, connect.host, "127.0.0.1")
    connect.port.setValue(1)  # nothing listens there
    type_into(qtbot, connect.database, "callmaster")
    click(qtbot, connect.ok_button)
    wait_opened(qtbot, window)
    assert "cannot be reached" in window.message_bar.message
    assert window.db is not None and window.db.description == opened
    assert window.venues.form.db is window.db


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_connection_lost_during_a_save_loses_nothing(
    window: MainWindow, qtbot: QtBot, backend: str
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    venues.create_venue(db, owner, VenueData(name="Almeida"))
    window.venues.refresh()
    form = window.venues.form
    type_into(qtbot, form.field("city"), "Islington")
    before = dump_tables(db)
    with fail_at_statement(db, 2, how="terminate"):
        click(qtbot, form.save_button)
    assert "cannot be reached or dropped the connection" in window.message_bar.message
    assert form.field("city").text() == "Islington" and form.dirty  # type: ignore[attr-defined]
    assert dump_tables(db) == before
    # When the server is back the same Save goes through.
    click(qtbot, form.save_button)
    assert venues.list_venues(db, owner)[0].data.city == "Islington"


def test_a_taken_name_is_said_in_the_editor_and_the_bar_stays_quiet(
    window: MainWindow, qtbot: QtBot
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    venues.create_venue(db, owner, VenueData(name="Almeida"))
    window.venues.refresh()
    click(qtbot, window.venues.new_button)
    form = window.venues.form
    type_into(qtbot, form.field("name"), "Almeida")
    click(qtbot, form.save_button)
    assert form.error_text == 'You already have a venue called "Almeida".'
    assert window.message_bar.message == ""  # the form says it where the name was typed
    assert form.field("name").text() == "Almeida"  # type: ignore[attr-defined]


def test_a_record_deleted_elsewhere_is_said_when_chosen(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    venue_id = venues.create_venue(db, owner, VenueData(name="Almeida")).created_id(
        venues.Kind.VENUE
    )
    window.venues.refresh()
    venues.delete_venue(db, owner, venue_id)  # as if another window did it
    form = window.venues.form
    type_into(qtbot, form.field("city"), "Islington")
    click(qtbot, form.save_button)
    assert "not in your list of venues" in form.error_text
    assert form.field("city").text() == "Islington"  # type: ignore[attr-defined]
    window.venues.delete_selected()
    assert "not in your list of venues" in window.message_bar.message
    assert window.dialog is None or not dialog_open(window)


def dialog_open(window: MainWindow) -> bool:
    try:
        dialog(window)
    except AssertionError:
        return False
    return True

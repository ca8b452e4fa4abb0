"""Opening a database in the background: the window keeps working meanwhile.

A slow open is made for real: another connection holds the database's write
lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``LOCK TABLE people``), so
the open waits in its worker until the lock is let go, while the window's
event loop runs on (a ``QTimer`` keeps firing).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool, QueuePool
from support.window import make_window, wait_idle, wait_opened

from callmaster_desktop.db.backup import list_backups
from callmaster_desktop.db.engine import describe_url
from callmaster_desktop.db.migrate import SchemaState, schema_state, upgrade
from callmaster_desktop.db.models import Person, Venue
from callmaster_desktop.services import venues
from ui.main_window import MainWindow


@contextmanager
def write_lock(url: str, backend: str) -> Iterator[Any]:
    """Hold ``url``'s write lock from another connection until the block ends."""
    if backend == "sqlite":
        path = make_url(url).database
        assert path is not None and Path(path).is_file()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")  # readers go on; only writers wait
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        finally:
            conn.rollback()
            conn.close()
        return
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False)) as pg:
        pg.execute("LOCK TABLE people IN ACCESS EXCLUSIVE MODE")
        try:
            yield pg
        finally:
            pg.rollback()


class Ticks:
    """A timer that counts while the window's event loop runs."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


@pytest.fixture
def ticks() -> Iterator[Ticks]:
    counter = Ticks()
    yield counter
    counter.timer.stop()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(str(tmp_path / "first.sqlite"), sample_on_create=False)
    wait_idle(qtbot, w)
    return w


def add_venue(window: MainWindow, name: str) -> None:
    assert window.db is not None and window.owner_id is not None
    venues.create_venue(window.db, window.owner_id, venues.VenueData(name=name))


def venue_names(window: MainWindow) -> list[str]:
    assert window.db is not None
    with window.db.reading() as session:
        return list(session.scalars(select(Venue.name).order_by(Venue.name)))


def test_the_window_keeps_running_while_a_locked_database_opens_then_swaps(
    window: MainWindow, qtbot: QtBot, db_url: str, backend: str, ticks: Ticks
) -> None:
    old = window.db
    assert old is not None and old.description.endswith("first.sqlite")
    add_venue(window, "Old Vic")
    description = describe_url(db_url)
    with write_lock(db_url, backend):
        assert window.start_open(db_url)
        start = ticks.count
        qtbot.waitUntil(lambda: ticks.count >= start + 5, timeout=4000)
        # The lock is still held, so the open is still waiting in its worker...
        assert window.opening == description
        assert window.busy.isVisible()
        assert window.busy_label.text() == f"Opening {description}…"
        # ...while the database that was open is still the window's, and usable.
        assert window.db is old
        add_venue(window, "Young Vic")
        assert venue_names(window) == ["Old Vic", "Young Vic"]
        # What opens or changes a database, and the pages, wait for the open.
        for name in ("open_database", "new_database", "connect", "backup", "restore", "save"):
            assert not window.menu_actions[name].isEnabled(), name
        assert window.recent_menu is not None
        assert not window.recent_menu.menuAction().isEnabled()
        assert not window.pages.isEnabled()
        assert window.menu_actions["quit"].isEnabled()
        # A second open while this one runs is refused, not queued.
        assert not window.start_open(str(Path(old.description).with_name("third.sqlite")))
        assert "Still opening" in window.statusBar().currentMessage()
    wait_opened(qtbot, window)
    assert window.db is not old and window.db is not None
    assert window.db.description == description
    assert window.message_bar.isHidden()
    assert window.crew.model.rowCount() == 1  # me, made by the open
    assert window.venues.model.rowCount() == 0
    pool = old.engine.pool
    assert isinstance(pool, QueuePool) and pool.checkedin() == 0  # closed after the swap
    assert window.menu_actions["open_database"].isEnabled() and window.pages.isEnabled()
    assert window.recent_menu.menuAction().isEnabled()
    assert not (Path(old.description).with_name("third.sqlite")).exists()
    wait_idle(qtbot, window)
    assert not window.busy.isVisible() and window.busy_label.text() == ""


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_open_that_fails_keeps_the_open_database_and_says_why(
    window: MainWindow, qtbot: QtBot, db_url: str, backend: str, ticks: Ticks
) -> None:
    """The file stays locked until the busy timeout gives up (a few seconds).

    (A server that cannot be reached: test_editors_errors.)
    """
    old = window.db
    assert old is not None
    add_venue(window, "Old Vic")
    before = window.windowTitle()
    made: list[int] = []
    closed: list[int] = []

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        made.append(id(dbapi_connection))

    def on_close(dbapi_connection: Any, record: Any) -> None:
        closed.append(id(dbapi_connection))

    event.listen(Pool, "connect", on_connect)
    event.listen(Pool, "close", on_close)
    try:
        with write_lock(db_url, "sqlite"):
            assert window.start_open(db_url)
            start = ticks.count
            wait_opened(qtbot, window)
            assert ticks.count > start  # the event loop ran while the open waited
    finally:
        event.remove(Pool, "connect", on_connect)
        event.remove(Pool, "close", on_close)
    assert made and set(made) <= set(closed)  # the half-opened database let go of its file
    assert window.db is old
    assert window.windowTitle() == before
    message = window.message_bar.message
    assert "is busy" in message and "another program" in message
    assert "Traceback" not in message and "sqlite3" not in message
    # The database that was open still works: the pages read it, and it takes writes.
    window.refresh()
    assert window.venues.model.rowCount() == 1
    add_venue(window, "Young Vic")
    assert venue_names(window) == ["Old Vic", "Young Vic"]
    assert window.menu_actions["open_database"].isEnabled() and window.pages.isEnabled()
    # Nothing was written to the file that could not be opened.
    with closing(sqlite3.connect(make_url(db_url).database or "nowhere")) as check:
        assert check.execute("SELECT count(*) FROM people").fetchone() == (0,)


def test_a_file_that_needs_an_upgrade_opens_in_the_background(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "last season.sqlite"
    upgrade(f"sqlite:///{path}", "0001")
    assert window.start_open(str(path))
    assert window.busy_label.text() == f"Opening {path}…"
    wait_opened(qtbot, window)
    assert window.db is not None and window.db.path == path
    assert schema_state(str(path))[0] is SchemaState.CURRENT
    assert "before-upgrade" in [b.reason for b in list_backups(path)]
    assert window.message_bar.isHidden()


def test_file_open_and_new_go_through_the_background(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "chosen.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    window.menu_actions["new_database"].trigger()
    assert window.opening == str(chosen)
    wait_opened(qtbot, window)
    assert window.db is not None and window.db.path == chosen
    assert window.shows.model.rowCount() == 0  # File › New has no sample show
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "first.sqlite"), "")
    )
    window.menu_actions["open_database"].trigger()
    assert window.opening is not None
    wait_opened(qtbot, window)
    assert window.db is not None and window.db.path == tmp_path / "first.sqlite"
    assert window.settings.recent_databases()[0].endswith("first.sqlite")


def test_connections_made_by_the_opening_worker_serve_the_window(
    qtbot: QtBot, tmp_path: Path, db_url: str
) -> None:
    """The pool's connections are made in the worker and used on the window's thread.

    sqlite3 refuses a connection used by another thread than the one that
    made it unless ``check_same_thread`` is off; SQLAlchemy turns it off for
    files and ``Database`` says so. The window's reads below go through a
    connection the worker made.
    """
    made_in: dict[int, int] = {}
    used_in: list[tuple[int, int]] = []

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        made_in[id(dbapi_connection)] = threading.get_ident()

    def on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        used_in.append((id(dbapi_connection), threading.get_ident()))

    window = make_window(qtbot, tmp_path)
    event.listen(Pool, "connect", on_connect)
    event.listen(Pool, "checkout", on_checkout)
    try:
        assert window.start_open(db_url)
        wait_opened(qtbot, window)
        assert window.db is not None
        main = threading.get_ident()
        used_in.clear()
        with window.db.reading() as session:
            assert session.scalar(select(func.count()).select_from(Person)) == 1
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        event.remove(Pool, "connect", on_connect)
        event.remove(Pool, "checkout", on_checkout)
    assert used_in and all(thread == main for _, thread in used_in)
    assert {made_in[conn] for conn, _ in used_in} != {main}, "no worker connection was reused"
    window.refresh()  # the pages read through the same pool
    assert window.crew.model.rowCount() == 1

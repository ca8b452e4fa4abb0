"""PostgreSQL going away: at start, mid-save and between saves.

The application says so in plain words, keeps the unsaved edits (the
``EditSession`` queue), and saves them once the server is back, with the
same ``Database`` (``pool_pre_ping`` replaces dead connections): no restart.

"The server is gone" is made real without stopping the shared server: the
connection is killed from the server side (``pg_terminate_backend``), or the
application reaches the server through a TCP relay that the test cuts (every
connection closed, new ones refused) and mends.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support.atomicity import assert_all_or_nothing
from support.faults import dump_tables
from support.script_builder import make_script, script_rows

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import Person
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing import AddElement, EditFields, EditSession, Place, ShiftTimes
from callmaster_desktop.errors import ConflictError, ServerUnavailableError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.services.scripts import load_script
from callmaster_desktop.startup import open_for_user

if TYPE_CHECKING:
    from conftest import PostgresDatabases

pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Relay:
    """A TCP relay to the server that the test can cut (like a network) and mend."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.links: list[socket.socket] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.mend()

    def mend(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.05)
        self.stop = threading.Event()
        threading.Thread(target=self._accept, args=(listener, self.stop), daemon=True).start()

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        with listener:
            while not stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.setblocking(True)
                try:
                    server = socket.create_connection(self.target)
                except OSError:
                    client.close()
                    continue
                with self.lock:
                    self.links += [client, server]
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Close every connection and refuse new ones."""
        self.stop.set()
        time.sleep(0.1)  # the listener closes
        with self.lock:
            links, self.links = self.links, []
        for end in links:
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


@pytest.fixture
def pg_url(postgres_databases: PostgresDatabases) -> Iterator[str]:
    url = postgres_databases.create(migrated=True)
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.dispose()


@pytest.fixture
def owner(db: Database) -> Person:
    return ensure_profile(db)


@pytest.fixture
def relay(pg_url: str) -> Iterator[Relay]:
    url = make_url(pg_url)
    r = Relay(url.host or "127.0.0.1", url.port or 5432)
    yield r
    r.cut()


def through(relay: Relay, pg_url: str) -> str:
    return str(make_url(pg_url).set(port=relay.port).render_as_string(hide_password=False))


def edit(session: EditSession) -> list[str]:
    """A few queued edits: rename, shift, add a note."""
    rows = session.elements
    cue = next(e for e in rows if e.element_type is ElementType.CUE)
    session.apply(EditFields(cue.id, {"name": "Lights up on the heath"}))
    session.apply(ShiftTimes([rows[-1].id], "+0:05"))
    session.apply(AddElement(ElementType.NOTE, Place.last_in(None), {"name": "Hold for thunder"}))
    return session.history


def test_an_unreachable_server_at_start_says_so(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = str(make_url(pg_url).set(port=free_port()).render_as_string(hide_password=False))
    started = time.monotonic()
    with pytest.raises(ServerUnavailableError, match="cannot be reached"):
        open_database(nowhere)
    with pytest.raises(ServerUnavailableError, match="Nothing was lost"):
        open_for_user(nowhere)
    assert time.monotonic() - started < 12
    assert main(["list", "shows", "--database", nowhere]) == 2
    assert "PostgreSQL server" in capsys.readouterr().err


def test_a_connection_killed_at_any_statement_of_a_save_keeps_the_edits(
    pg_url: str, db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 40)
    session = EditSession.open(db, owner.id, built.script_id)
    steps = edit(session)

    def save() -> object:
        try:
            return session.save()
        except ServerUnavailableError:
            assert session.history == steps, "the unsaved edits were lost"
            raise

    proof = assert_all_or_nothing(db, save, how="terminate")  # pg_terminate_backend at each
    assert proof.statements > 3
    assert not session.is_dirty
    with db.reading() as s:
        assert read_elements(s, built.script_id) == list(session.elements)
    assert check_database(db) == []


def test_the_server_goes_away_and_comes_back_without_a_restart(
    pg_url: str, db: Database, owner: Person, relay: Relay
) -> None:
    built = make_script(db, owner, 40)
    app = open_database(through(relay, pg_url))  # the application's own connection
    try:
        session = EditSession.open(app, owner.id, built.script_id)
        steps = edit(session)
        before = dump_tables(db)
        relay.cut()
        with pytest.raises(ServerUnavailableError, match="cannot be reached or dropped"):
            session.save()
        with pytest.raises(ServerUnavailableError):
            load_script(app, owner.id, built.script_id)
        assert session.history == steps and session.is_dirty
        assert dump_tables(db) == before, "a half-written save reached the server"
        relay.mend()
        saved = session.save()  # the same Database, the same queue
        assert saved.steps == tuple(steps) and not session.is_dirty
        with app.reading() as s:
            assert read_elements(s, built.script_id) == list(session.elements)
    finally:
        app.dispose()


def _kill_connections(admin_url: str, database: str, after: float) -> threading.Thread:
    def kill() -> None:
        time.sleep(after)
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :d AND pid <> pg_backend_pid()"
                    ),
                    {"d": database},
                )
        finally:
            engine.dispose()

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def test_killed_at_random_moments_of_a_large_save(pg_url: str, db: Database, owner: Person) -> None:
    built = make_script(db, owner, 3000, name="Grand Opera")
    states = [built.elements, script_rows(built.departments, 3000)]
    admin = str(make_url(pg_url).set(database="postgres").render_as_string(hide_password=False))
    database = str(make_url(pg_url).database)

    def save(rows: list[ElementData], version: int) -> int:
        with db.unit_of_work() as s:
            return write_script_state(
                s, built.script_id, version, rows, author_id=owner.id, steps=["Big"]
            ).version

    began = time.monotonic()
    version = save(states[1], built.version)
    length = time.monotonic() - began
    current, rng, outcomes = 1, random.Random(4), []
    for i in range(5):
        wanted = 1 - current
        killer = _kill_connections(admin, database, (i + rng.random()) / 5 * length)
        try:
            version = save(states[wanted], version)
            outcome = "saved before the kill"
        except ServerUnavailableError:
            outcome = "dropped"
        finally:
            killer.join()
        with db.reading() as s:
            stored = read_elements(s, built.script_id)
        assert stored in (states[current], states[wanted]), "half a save reached the server"
        if outcome == "dropped" and stored == states[current]:
            version = save(states[wanted], version)  # the same save, once more: it goes through
            outcome = "dropped, then saved again"
        elif outcome == "dropped":  # the commit went through as the connection died
            with pytest.raises(ConflictError):
                save(states[wanted], version)
            version = load_script(db, owner.id, built.script_id).version
            outcome = "dropped after its commit"
        with db.reading() as s:
            assert read_elements(s, built.script_id) == states[wanted]
        assert check_database(db) == []
        current = wanted
        outcomes.append(outcome)
    print(f"\nA save took {length:.2f} s; {outcomes}")
    assert any(o.startswith("dropped") for o in outcomes), outcomes


def test_a_dead_connection_in_the_pool_is_replaced_quietly(
    pg_url: str, db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 20)
    database = str(make_url(pg_url).database)
    admin = str(make_url(pg_url).set(database="postgres").render_as_string(hide_password=False))
    _kill_connections(admin, database, 0).join()  # the server restarted while we were idle
    assert load_script(db, owner.id, built.script_id).elements == built.elements
    rows = script_rows(built.departments, 20)
    with db.unit_of_work() as s:
        write_script_state(s, built.script_id, built.version, rows, author_id=None, steps=["x"])

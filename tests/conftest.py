"""Shared fixtures: real SQLite files and a real PostgreSQL server.

Every database test runs twice, on a temporary SQLite file and on a fresh
PostgreSQL database created for the test and dropped after it. Outside CI,
when no server answers, the PostgreSQL half skips with a loud reason; in CI
(``CI=true``) it fails instead.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database, upgrade
from callmaster_desktop.db.models import Person
from callmaster_desktop.profile import find_or_create_profile

PG_ADMIN_URL = os.environ.get(
    "CALLMASTER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_LOGIN = "test-sm"

_pg_state: dict[str, str | None] = {}


def _postgres_unavailable() -> str | None:
    """None when the server answers; otherwise why not."""
    if "reason" not in _pg_state:
        try:
            engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except Exception as exc:  # any failure to reach it is reported
            _pg_state["reason"] = f"PostgreSQL at {PG_ADMIN_URL} cannot be reached: {exc}"
    return _pg_state["reason"]


def require_postgres() -> None:
    reason = _postgres_unavailable()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
    pytest.skip(f"SKIPPING POSTGRESQL TESTS: {reason}")


class PostgresDatabases:
    """Creates and drops scratch databases on the test server."""

    def __init__(self) -> None:
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def create(self, *, migrated: bool) -> str:
        name = f"cm_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            if migrated:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template()}"'))
            else:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        return str(make_url(PG_ADMIN_URL).set(database=name).render_as_string(False))

    def _template(self) -> str:
        if self.template is None:
            name = f"cm_template_{uuid.uuid4().hex[:12]}"
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            upgrade(str(make_url(PG_ADMIN_URL).set(database=name).render_as_string(False)))
            self.template = name
        return self.template

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self.template:
            self.drop(str(make_url(PG_ADMIN_URL).set(database=self.template)))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    require_postgres()
    pg = PostgresDatabases()
    yield pg
    pg.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(autouse=True)
def _private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data folder or settings."""
    monkeypatch.setenv("CALLMASTER_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("CALLMASTER_USER", TEST_LOGIN)
    monkeypatch.delenv("CALLMASTER_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _empty_clipboard() -> Iterator[None]:
    """Leave the clipboard empty after each test.

    Qt aborts the process at exit (SIGSEGV after the last test) when the
    clipboard still holds mime data set from Python on the offscreen platform.
    """
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is not None and widgets.QApplication.instance() is not None:
        widgets.QApplication.clipboard().clear()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a database that does not hold any tables yet."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    pg: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = pg.create(migrated=False)
    yield url
    pg.drop(url)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a database at the newest schema, holding no data."""
    if backend == "sqlite":
        path = tmp_path / "callmaster.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    pg: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = pg.create(migrated=True)
    yield url
    pg.drop(url)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def owner(db: Database) -> Person:
    with db.unit_of_work() as session:
        return find_or_create_profile(session, TEST_LOGIN)

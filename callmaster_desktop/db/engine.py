"""One engine and session factory per database, SQLite or PostgreSQL.

SQLite gets foreign keys, WAL, ``synchronous=FULL``, a 32 MB page cache, a
busy timeout and real transactions: Python's sqlite3 driver does not begin a
transaction for DDL or reads by itself, so the driver is put in autocommit
mode and SQLAlchemy's ``begin`` event emits ``BEGIN`` (``BEGIN IMMEDIATE``
for a unit of work that writes, so two writers queue on the busy timeout
instead of failing).
PostgreSQL goes through psycopg 3 with pre-ping.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from callmaster_desktop.db.metrics import Metrics, instrument, pool_status
from callmaster_desktop.errors import CallMasterError, translate_db_error

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32_000


def normalize_url(url: str) -> str:
    """Accept a plain file path or ``postgresql://`` and give a SQLAlchemy URL."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def describe_url(url: str) -> str:
    """A short human name for a database: the file path, or server/database."""
    u = make_url(normalize_url(url))
    if u.get_backend_name() == "sqlite":
        return u.database or "an in-memory database"
    return f"{u.database} on {u.host or 'localhost'}"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            # 32 MB of page cache (the default 2 MB holds less than one 10,000-row script
            # with its indexes, so a big save re-reads pages it just wrote).
            cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                # A read-only file keeps its journal mode.
                with contextlib.suppress(Exception):
                    cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An open database: engine, session factories and metrics."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_url(url)
        self.description = describe_url(self.url)
        parsed = make_url(self.url)
        self.backend = parsed.get_backend_name()
        self.metrics = Metrics()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.backend == "sqlite":
            # A database is opened in a worker thread and then used by the window's
            # thread (and background tasks use the window's database): the pool's
            # connections move between threads, one user at a time (QueuePool).
            # SQLAlchemy 2 already turns sqlite3's same-thread check off for files;
            # saying so keeps it off whatever the default becomes.
            kwargs["connect_args"] = {
                "timeout": BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,
            }
        else:
            kwargs["pool_pre_ping"] = True
            kwargs["connect_args"] = {"connect_timeout": 5}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.backend == "sqlite":
            _sqlite_pragmas(self.engine)
        instrument(self.engine, self.metrics)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._write_sessions = sessionmaker(bind=writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not self.is_sqlite:
            return None
        name = make_url(self.url).database
        return Path(name) if name and name != ":memory:" else None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session for one unit of work: committed at the end, rolled back on error.

        Driver errors come out as ``CallMasterError`` with a plain message.
        """
        session = self._write_sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            self.metrics.failed_writes += 1
            if isinstance(exc, DBAPIError | SQLAlchemyError) and not isinstance(
                exc, CallMasterError
            ):
                raise translate_db_error(exc, self.description) from exc
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading only; whatever it holds is rolled back."""
        session = self._read_sessions()
        try:
            yield session
        except (DBAPIError, SQLAlchemyError) as exc:
            raise translate_db_error(exc, self.description) from exc
        finally:
            session.rollback()
            session.close()

    def pool_status(self) -> dict[str, Any]:
        return pool_status(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def default_database_path() -> Path:
    """The local SQLite file in the user's data folder."""
    from platformdirs import user_data_dir

    override = os.environ.get("CALLMASTER_DATA_DIR")
    folder = Path(override) if override else Path(user_data_dir("CallMaster Desktop", False))
    return folder / "callmaster.sqlite"


def default_database_url() -> str:
    return os.environ.get("CALLMASTER_DATABASE_URL") or normalize_url(str(default_database_path()))

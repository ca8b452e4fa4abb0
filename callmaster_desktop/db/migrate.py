"""Opening a database: create, check the schema version, back up, upgrade.

The schema is owned by the Alembic revisions in ``callmaster_desktop/migrations``.
Opening a database:

* a new or empty one is created at the newest revision;
* an older one is copied to a backup next to it, then upgraded in one
  transaction (on SQLite with foreign keys off during the upgrade, as batch
  migrations rebuild tables, and checked with ``foreign_key_check`` after);
* one written by a newer CallMaster, one that is not ours, or a damaged file
  is refused with a clear message, and nothing in it is changed: SQLite files
  are first looked at through a read-only connection.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from callmaster_desktop.db.engine import BUSY_TIMEOUT_MS, Database, describe_url, normalize_url
from callmaster_desktop.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseError,
    DiskIOError,
    NewerDatabaseError,
    NotCallMasterDatabaseError,
    ReadOnlyDatabaseError,
    translate_db_error,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class SchemaState(enum.Enum):
    MISSING = "missing"  # no file or no tables: will be created
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"
    FOREIGN = "foreign"  # tables, but not CallMaster's


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _classify(tables: set[str], revision: str | None) -> SchemaState:
    if revision is None:
        if not tables or tables <= {"alembic_version"}:
            return SchemaState.MISSING
        return SchemaState.FOREIGN
    if revision == head_revision():
        return SchemaState.CURRENT
    if revision in known_revisions():
        return SchemaState.OLDER
    return SchemaState.NEWER


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A ``file:`` URI for ``sqlite3.connect(uri=True)``: names with ``#``, ``?``, ``%`` work."""
    return f"file:{urllib.parse.quote(str(path.resolve()))}?mode={mode}"


def _sqlite_file_state(path: Path) -> tuple[SchemaState, str | None]:
    """Look at a SQLite file without changing a byte of it."""
    if not path.exists() or path.stat().st_size == 0:
        return SchemaState.MISSING, None
    if path.is_dir():
        raise CorruptDatabaseError(f"{path} is a folder, not a CallMaster database file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except PermissionError as exc:
        raise ReadOnlyDatabaseError(f"{path} cannot be read: permission denied.") from exc
    if header != b"SQLite format 3\x00":
        raise CorruptDatabaseError(
            f"{path} is not a database file (it is some other kind of file)."
        )
    refuse_unwritable(path)
    try:
        conn = sqlite3.connect(sqlite_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise translate_db_error(exc, str(path)) from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        translated = translate_db_error(exc, str(path))
        if isinstance(translated, DatabaseBusyError | ReadOnlyDatabaseError | DiskIOError):
            raise translated from exc
        raise CorruptDatabaseError(
            f"{path} is damaged or is not a CallMaster database file ({exc})."
        ) from exc
    finally:
        conn.close()
    return _classify(tables, revision), revision


def refuse_unwritable(path: Path) -> None:
    """Refuse a database file, or a folder, that cannot be written, before touching either.

    CallMaster writes to its database and keeps SQLite's working files
    (``-wal``, ``-shm``) beside it, so both must be writable. ``os.access``
    sees permissions, the immutable attribute and read-only file systems.
    """
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ReadOnlyDatabaseError(
            f"The folder holding {path} cannot be written, and CallMaster keeps its working "
            "files beside the database. Copy the file to a folder you can write to (or ask "
            "for write permission) and open the copy; nothing was changed."
        )
    if not os.access(path, os.W_OK):
        raise ReadOnlyDatabaseError(
            f"{path} is read-only. Copy it to a folder you can write to (or ask for write "
            "permission) and open the copy; nothing was changed."
        )


def _server_state(db: Database) -> tuple[SchemaState, str | None]:
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = MigrationContext.configure(conn).get_current_revision()
    except (DBAPIError, OperationalError) as exc:
        raise translate_db_error(exc, db.description) from exc
    return _classify(tables, revision), revision


def schema_state(url: str) -> tuple[SchemaState, str | None]:
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        path = make_url(url).database
        if not path or path == ":memory:":
            return SchemaState.MISSING, None
        return _sqlite_file_state(Path(path))
    db = Database(url)
    try:
        return _server_state(db)
    finally:
        db.dispose()


def backup_sqlite(source: Path, destination: Path) -> Path:
    """A consistent copy of a SQLite file through SQLite's online backup."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(sqlite_uri(source), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return destination


def migration_backup_path(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.before-upgrade-{revision or 'none'}-{stamp}{path.suffix}")


def _migration_engine(url: str) -> Any:
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # Batch migrations copy and drop tables: with foreign keys on,
            # dropping a parent table would cascade into its children.
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(url: str, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in one transaction."""
    _run_alembic(url, lambda cfg: command.upgrade(cfg, revision))


def downgrade(url: str, revision: str) -> None:
    _run_alembic(url, lambda cfg: command.downgrade(cfg, revision))


def _run_alembic(url: str, action: Any) -> None:
    url = normalize_url(url)
    engine = _migration_engine(url)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            action(config)
            _check_foreign_keys(conn)
    except (DBAPIError, OperationalError) as exc:
        raise translate_db_error(exc, describe_url(url)) from exc
    finally:
        engine.dispose()


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise DatabaseError(
            f"The upgrade would leave {len(broken)} broken references; nothing was changed."
        )


def open_database(url: str, *, create: bool = True, backup: bool = True) -> Database:
    """Open a database for use, creating or upgrading it as needed.

    Raises ``NewerDatabaseError``, ``NotCallMasterDatabaseError`` or
    ``CorruptDatabaseError`` without touching the file.
    """
    url = normalize_url(url)
    state, revision = schema_state(url)
    where = make_url(url).database or url
    if state is SchemaState.NEWER:
        raise NewerDatabaseError(
            f"{where} was written by a newer version of CallMaster Desktop "
            f"(schema {revision}). Update the application to open it; nothing was changed."
        )
    if state is SchemaState.FOREIGN:
        raise NotCallMasterDatabaseError(
            f"{where} is a database, but not a CallMaster Desktop one; nothing was changed."
        )
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if state is SchemaState.MISSING:
        if not create:
            raise DatabaseError(f"{where} holds no CallMaster data yet; run `callmaster init`.")
        if is_sqlite and where not in (None, ":memory:"):
            Path(where).parent.mkdir(parents=True, exist_ok=True)
        upgrade(url)
    elif state is SchemaState.OLDER:
        if is_sqlite and backup:
            # Into the database's backups folder; refuses (nothing changed) when it cannot.
            from callmaster_desktop.db.backup import backup_before_upgrade

            backup_before_upgrade(Path(where), revision)
        upgrade(url)
    return Database(url)

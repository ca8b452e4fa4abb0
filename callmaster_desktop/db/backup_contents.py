"""What a backup file holds, and whether it is fit to restore.

``describe_backup`` reads a CallMaster database file (a backup, or any copy
of one) through a read-only connection and says what it holds: the shows,
their scripts with how many rows and cues each, and how many people,
venues and departments. ``validate_backup`` also runs SQLite's integrity
and foreign-key checks and refuses a file that is damaged, is not a
database, is someone else's database or was written by a newer
CallMaster. Neither changes a byte of the file.

The queries use only tables and columns of the first schema, so a backup
made before an upgrade can be described too.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from callmaster_desktop.db.engine import BUSY_TIMEOUT_MS
from callmaster_desktop.db.migrate import head_revision, known_revisions, sqlite_uri
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

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class ScriptSummary:
    name: str
    status: str
    elements: int
    cues: int
    updated_at: datetime | None


@dataclass(frozen=True)
class ShowSummary:
    name: str
    owner: str
    scripts: tuple[ScriptSummary, ...]


@dataclass(frozen=True)
class BackupContents:
    """What a CallMaster database file holds."""

    path: Path
    schema: str
    is_current_schema: bool
    shows: tuple[ShowSummary, ...]
    people: int
    venues: int
    departments: int
    scripts: int
    elements: int
    last_saved: datetime | None  # the latest time a show or script in it was changed

    def summary(self) -> str:
        """One line: "2 shows, 3 scripts, 412 rows"."""
        return (
            f"{_count(len(self.shows), 'show')}, {_count(self.scripts, 'script')}, "
            f"{_count(self.elements, 'row')}"
        )

    def lines(self) -> list[str]:
        """A description in plain words, one line each, for a window or a terminal."""
        out = [f"{self.path.name}: {self.summary()}."]
        if self.last_saved is not None:
            out.append(f"Last change saved in it: {_local(self.last_saved)}.")
        out.append(
            f"{_count(self.people, 'person', 'people')}, {_count(self.venues, 'venue')}, "
            f"{_count(self.departments, 'department')}."
        )
        if not self.is_current_schema:
            out.append(
                f"Written by an earlier CallMaster (schema {self.schema}): it is upgraded "
                "when opened, after a backup."
            )
        for show in self.shows:
            out.append(f'Show "{show.name}" (owner: {show.owner})')
            if not show.scripts:
                out.append("    no scripts")
            for script in show.scripts:
                out.append(
                    f'    script "{script.name}" ({script.status}): '
                    f"{_count(script.elements, 'row')}, {_count(script.cues, 'cue')}"
                )
        return out


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%a %d %b %Y, %H:%M")


def _when(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file that at least starts like a SQLite database."""
    if not path.is_file():
        raise DatabaseError(f"{path} is not there (or is a folder, not a backup file).")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    if header != SQLITE_HEADER:
        raise CorruptDatabaseError(
            f"{path} is not a database file (it is some other kind of file)."
        )
    try:
        return sqlite3.connect(sqlite_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise translate_db_error(exc, str(path)) from exc


def _schema(conn: sqlite3.Connection, path: Path) -> tuple[str, bool]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    if revision is None or not {"shows", "scripts", "elements"} <= tables:
        raise NotCallMasterDatabaseError(
            f"{path} is a database, but not a CallMaster Desktop one: it holds no shows."
        )
    if revision not in known_revisions():
        raise NewerDatabaseError(
            f"{path} was written by a newer version of CallMaster Desktop (schema {revision}). "
            "Update the application to use it."
        )
    return revision, revision == head_revision()


def _read(conn: sqlite3.Connection, path: Path) -> BackupContents:
    revision, current = _schema(conn, path)

    def count(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    scripts_by_show: dict[str, list[ScriptSummary]] = {}
    latest: list[datetime] = []
    for show_id, name, status, updated, rows, cues in conn.execute(
        "SELECT sc.show_id, sc.name, sc.status, sc.updated_at, count(e.id), "
        "coalesce(sum(CASE WHEN e.element_type = 'cue' THEN 1 ELSE 0 END), 0) "
        "FROM scripts sc LEFT JOIN elements e ON e.script_id = sc.id "
        "GROUP BY sc.id ORDER BY sc.name"
    ):
        when = _when(updated)
        if when is not None:
            latest.append(when)
        scripts_by_show.setdefault(str(show_id), []).append(
            ScriptSummary(str(name), str(status), int(rows), int(cues), when)
        )
    shows: list[ShowSummary] = []
    for show_id, name, updated, first, last, login in conn.execute(
        "SELECT s.id, s.name, s.updated_at, p.first_name, p.last_name, p.login_name "
        "FROM shows s LEFT JOIN people p ON p.id = s.owner_id ORDER BY s.name"
    ):
        when = _when(updated)
        if when is not None:
            latest.append(when)
        owner = " ".join(part for part in (first, last) if part) or login or "unknown"
        shows.append(ShowSummary(str(name), owner, tuple(scripts_by_show.get(str(show_id), []))))
    return BackupContents(
        path=path,
        schema=revision,
        is_current_schema=current,
        shows=tuple(shows),
        people=count("people"),
        venues=count("venues"),
        departments=count("departments"),
        scripts=count("scripts"),
        elements=count("elements"),
        last_saved=max(latest) if latest else None,
    )


def describe_backup(path: Path) -> BackupContents:
    """What the CallMaster database file at ``path`` holds (read only, not checked)."""
    path = Path(path)
    conn = _connect(path)
    try:
        return _read(conn, path)
    except sqlite3.DatabaseError as exc:
        raise _damaged(exc, path) from exc
    finally:
        conn.close()


def validate_backup(path: Path) -> BackupContents:
    """``describe_backup`` after SQLite's integrity and foreign-key checks pass.

    Raises ``CorruptDatabaseError``, ``NotCallMasterDatabaseError`` or
    ``NewerDatabaseError`` with a plain message when the file cannot be restored.
    """
    path = Path(path)
    conn = _connect(path)
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise CorruptDatabaseError(
                f"{path} is damaged (SQLite's integrity check: {problems[0]}), so it cannot "
                "be restored. Choose an earlier backup."
            )
        contents = _read(conn, path)
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise CorruptDatabaseError(
                f"{path} has {len(broken)} rows that refer to missing rows, so it cannot be "
                "restored. Choose an earlier backup."
            )
        return contents
    except sqlite3.DatabaseError as exc:
        raise _damaged(exc, path) from exc
    finally:
        conn.close()


def _damaged(exc: sqlite3.DatabaseError, path: Path) -> DatabaseError:
    """A busy, unreadable or vanished file says so; anything else SQLite refuses is damage."""
    translated = translate_db_error(exc, str(path))
    if isinstance(translated, DatabaseBusyError | ReadOnlyDatabaseError | DiskIOError):
        return translated
    return CorruptDatabaseError(
        f"{path} is damaged or is not a CallMaster database file ({exc}). Choose another backup."
    )

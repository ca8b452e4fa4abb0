"""Backups of a SQLite database file: made, listed, thinned and restored.

A database ``shows/callmaster.sqlite`` keeps its backups in the folder
``shows/callmaster.backups/``, one file each, named for when (UTC) and why:
``callmaster-20260301-143000-daily.sqlite``. Each is a complete database
made with SQLite's online backup (a consistent copy even while CallMaster
is writing), checked with ``quick_check``, written to a temporary file,
flushed to disk and only then given its name. A backup is made

- before every upgrade of the schema (``backup_before_upgrade``, called by
  ``migrate.open_database``): never removed automatically;
- once a day when the database is opened (``backup_on_open``);
- when asked (``create_backup``: ``callmaster backup``, Back Up Now);
- of the database as it was, before a restore replaces it: never removed
  automatically.

Thinning, after each daily or requested backup: every backup of the last 7
days is kept, then the newest of each calendar week for 8 weeks, then the
newest of each calendar month.

``restore`` lives in ``db.restore``. A database on a PostgreSQL server is
backed up by whoever runs the server: these functions refuse it with
``ServerBackupError``, which says so.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from callmaster_desktop.db.backup_contents import BackupContents, describe_backup
from callmaster_desktop.db.engine import BUSY_TIMEOUT_MS, Database, normalize_url
from callmaster_desktop.db.migrate import sqlite_uri
from callmaster_desktop.errors import (
    CallMasterError,
    CorruptDatabaseError,
    DatabaseError,
    DiskFullError,
    ReadOnlyDatabaseError,
    ValidationError,
    translate_db_error,
)

DAILY = "daily"
MANUAL = "manual"
BEFORE_UPGRADE = "before-upgrade"
BEFORE_RESTORE = "before-restore"
# Safety copies that thinning never removes.
KEPT_FOREVER = frozenset({BEFORE_UPGRADE, BEFORE_RESTORE})
KEEP_EVERY_ONE_FOR = timedelta(days=7)
KEEP_WEEKLY_UNTIL = KEEP_EVERY_ONE_FOR + timedelta(weeks=8)
BACKUP_SUFFIX = ".sqlite"
# Temporary files of unfinished copies (``.<name>.<random>.partial``/``.restoring``).
LEFTOVER_SUFFIXES = (".partial", ".restoring")
LEFTOVER_AGE = timedelta(hours=1)
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:\.(?P<n>\d+))?"
    r"-(?P<reason>daily|manual|before-upgrade|before-restore)"
    r"(?:-(?P<detail>[A-Za-z0-9_]+))?\.sqlite$"
)
_REASON_WORDS = {
    DAILY: "Daily backup",
    MANUAL: "Backup made on request",
    BEFORE_UPGRADE: "Made before an upgrade",
    BEFORE_RESTORE: "The database as it was before a restore",
}


class ServerBackupError(DatabaseError):
    """A database on a PostgreSQL server: its backups are the server's job."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when (UTC) and why it was made."""

    path: Path
    made_at: datetime
    reason: str
    detail: str | None = None
    sequence: int = 0  # several backups within one second: 0, 2, 3...

    @property
    def reason_text(self) -> str:
        words = _REASON_WORDS.get(self.reason, self.reason)
        if self.reason == BEFORE_UPGRADE and self.detail:
            words += f" (from schema {self.detail})"
        return words

    @property
    def when_text(self) -> str:
        """The time in the computer's own time zone: "Sat 01 Mar 2026, 14:30"."""
        return self.made_at.astimezone().strftime("%a %d %b %Y, %H:%M")

    def size(self) -> int:
        return self.path.stat().st_size

    def describe(self) -> BackupContents:
        return describe_backup(self.path)


def server_backup_message(description: str) -> str:
    return (
        f"{description} is a database on a PostgreSQL server: it is backed up on the server, "
        "by whoever runs it (for example with pg_dump). CallMaster backs up database files "
        "on this computer only. To keep your own copy of a show, export it: "
        "callmaster export-show --show NAME -o FILE."
    )


def database_file(database: Database | Path | str) -> Path:
    """The SQLite file of a database, a path or a URL; refuses a server database."""
    if isinstance(database, Path):
        return database
    if isinstance(database, Database):
        if database.path is None:
            if database.is_sqlite:
                raise DatabaseError("An in-memory database has no file to back up.")
            raise ServerBackupError(server_backup_message(database.description))
        return database.path
    url = make_url(normalize_url(database))
    if url.get_backend_name() != "sqlite":
        raise ServerBackupError(server_backup_message(f"{url.database} on {url.host}"))
    if not url.database or url.database == ":memory:":
        raise DatabaseError("An in-memory database has no file to back up.")
    return Path(url.database)


def backups_folder(database: Path) -> Path:
    """Where the backups of ``database`` live: ``<name>.backups`` beside it."""
    return database.parent / f"{database.stem}.backups"


def _parse(path: Path, stem: str) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None or match["stem"] != stem:
        return None
    made_at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    return BackupInfo(path, made_at, match["reason"], match["detail"], int(match["n"] or 0))


def list_backups(database: Path) -> list[BackupInfo]:
    """The backups in the database's backups folder, newest first."""
    folder = backups_folder(database)
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise folder_error(exc, folder) from exc
    found = [b for b in (_parse(p, database.stem) for p in entries) if b and b.path.is_file()]
    return sorted(found, key=lambda b: (b.made_at, b.sequence), reverse=True)


def backup_name(folder: Path, stem: str, now: datetime, reason: str, detail: str | None) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    tail = f"-{reason}" + (f"-{re.sub(r'[^A-Za-z0-9_]', '_', detail)}" if detail else "")
    candidate = folder / f"{stem}-{stamp}{tail}{BACKUP_SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{stamp}.{n}{tail}{BACKUP_SUFFIX}"
        n += 1
    return candidate


def create_backup(
    database: Database | Path | str,
    *,
    reason: str = MANUAL,
    detail: str | None = None,
    to: Path | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back the database up: into its backups folder, or to the new file ``to``.

    Raises ``ServerBackupError`` for a server database, ``ReadOnlyDatabaseError``
    or ``DiskFullError`` when the copy cannot be written (nothing is left
    behind), ``CorruptDatabaseError`` when the database is damaged.
    """
    source = database_file(database)
    if not source.is_file():
        raise DatabaseError(f"{source} is not there: there is nothing to back up.")
    now = (now or datetime.now(UTC)).replace(microsecond=0)  # as the file name keeps it
    if to is None:
        target = backup_name(backups_folder(source), source.stem, now, reason, detail)
    else:
        target = Path(to)
        if target.exists():
            raise ValidationError(
                f"{target} already exists: choose another name. Nothing was written."
            )
    write_sqlite_copy(source, target)
    return _parse(target, source.stem) or BackupInfo(target, now, reason, detail)


def remove_leftovers(folder: Path, *, older_than: timedelta = LEFTOVER_AGE) -> list[Path]:
    """Remove the temporary files of copies that never finished (a crash, a kill).

    Only old ones: a younger one may belong to a copy another window is making.
    """
    removed: list[Path] = []
    cutoff = time.time() - older_than.total_seconds()
    try:
        candidates = [p for p in folder.glob(".*") if p.suffix in LEFTOVER_SUFFIXES]
        for path in candidates:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
    except OSError:
        pass  # a folder that cannot be written keeps them; the copy itself will say why
    return removed


def write_sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API, all or nothing.

    The copy goes to a temporary file beside ``target``, is checked
    (``quick_check``), switched to a plain rollback journal (so it is one
    self-contained file), flushed to disk and renamed to ``target``.
    """
    folder = target.parent
    remove_leftovers(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise folder_error(exc, folder) from exc
    partial = Path(name)
    try:
        verdict = _online_backup(source, partial, folder)
        if verdict != "ok":
            raise CorruptDatabaseError(
                f"{source} is damaged ({verdict}), so no backup was made from it. "
                "Restore it from an earlier backup (callmaster restore)."
            )
        fsync_path(partial)
        os.replace(partial, target)
        fsync_path(folder)
    except OSError as exc:
        raise folder_error(exc, folder) from exc
    finally:
        partial.unlink(missing_ok=True)


def _online_backup(source: Path, destination: Path, folder: Path) -> str:
    """SQLite's online backup of ``source`` into ``destination``; its ``quick_check`` verdict."""
    try:
        src = sqlite3.connect(sqlite_uri(source), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise translate_db_error(exc, str(source)) from exc
    try:
        dst = sqlite3.connect(destination, isolation_level=None)
        try:
            # The copy is a temporary file until it is flushed and renamed (and is
            # thrown away on any error), so it needs no journal and no syncs of its own.
            dst.execute("PRAGMA synchronous=OFF")
            dst.execute("PRAGMA journal_mode=MEMORY")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            return str(dst.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise _copy_error(exc, source, folder) from exc
    finally:
        src.close()


def _copy_error(exc: sqlite3.Error, source: Path, folder: Path) -> CallMasterError:
    translated = translate_db_error(exc, str(source))
    if isinstance(translated, DiskFullError):
        return DiskFullError(f"The disk holding {folder} is full: no backup was made.")
    if isinstance(translated, ReadOnlyDatabaseError):
        return ReadOnlyDatabaseError(f"No backup could be written in {folder}: it is read-only.")
    return translated


def folder_error(exc: OSError, folder: Path) -> CallMasterError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"The disk holding {folder} is full: no backup was made.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyDatabaseError(
            f"No backup could be written in {folder}: the folder cannot be written."
        )
    return DatabaseError(f"No backup could be written in {folder}: {exc.strerror or exc}.")


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def backup_before_upgrade(database: Path, revision: str | None) -> BackupInfo:
    """The backup ``open_database`` makes before upgrading an older database."""
    try:
        return create_backup(database, reason=BEFORE_UPGRADE, detail=revision)
    except (ReadOnlyDatabaseError, DiskFullError) as exc:
        raise type(exc)(
            f"{database} needs an upgrade for this version of CallMaster, but no backup could "
            f"be made first ({exc}). Nothing was changed."
        ) from exc


def backup_on_open(database: Database | Path, *, now: datetime | None = None) -> BackupInfo | None:
    """The day's backup, made when a database is opened; then old backups are thinned.

    Returns None when no backup was due: one was made today already, the
    database holds nothing yet, or it lives on a PostgreSQL server (backed
    up there). Raises ``ReadOnlyDatabaseError`` or ``DiskFullError`` when it
    was due but could not be written: the caller tells the user and goes on.
    """
    if isinstance(database, Database) and database.path is None:
        return None
    path = database_file(database)
    if not path.is_file():
        return None
    now = now or datetime.now(UTC)
    today = now.astimezone().date()
    if any(b.made_at.astimezone().date() == today for b in list_backups(path)):
        return None
    if not _holds_anything(path):
        return None
    made = create_backup(path, reason=DAILY, now=now)
    thin_backups(path, now=now)
    return made


def _holds_anything(path: Path) -> bool:
    try:
        contents = describe_backup(path)
    except CallMasterError:
        return True  # let the backup itself say what is wrong
    return bool(contents.shows or contents.venues or contents.departments)


def backups_to_keep(backups: Iterable[BackupInfo], now: datetime) -> set[Path]:
    """Which backups the schedule keeps.

    Every backup younger than 7 days; then, up to 63 days, the newest of each
    calendar week; older, the newest of each calendar month; and always the
    safety copies made before an upgrade or a restore.
    """
    keep: set[Path] = set()
    weeks: set[tuple[int, int]] = set()
    months: set[tuple[int, int]] = set()
    for b in sorted(backups, key=lambda b: (b.made_at, b.sequence), reverse=True):
        age = now - b.made_at
        if b.reason in KEPT_FOREVER or age < KEEP_EVERY_ONE_FOR:
            keep.add(b.path)
            continue
        if age < KEEP_WEEKLY_UNTIL:
            week = b.made_at.isocalendar()
            key, seen = (week.year, week.week), weeks
        else:
            key, seen = (b.made_at.year, b.made_at.month), months
        if key not in seen:
            seen.add(key)
            keep.add(b.path)
    return keep


def thin_backups(database: Path, *, now: datetime | None = None) -> list[Path]:
    """Remove the backups the schedule no longer keeps; return the ones removed."""
    backups = list_backups(database)
    keep = backups_to_keep(backups, now or datetime.now(UTC))
    removed: list[Path] = []
    for b in backups:
        if b.path in keep:
            continue
        try:
            b.path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # a folder that cannot be written keeps its backups; nothing is lost
        removed.append(b.path)
    return removed

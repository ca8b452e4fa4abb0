"""Restoring a SQLite database file from a backup, safely.

``restore(backup, target)``:

1. checks the backup (SQLite's integrity and foreign-key checks, a
   CallMaster schema this version can open: ``validate_backup``) before
   touching anything;
2. makes sure nothing else has the database open: it takes the file out of
   WAL mode, which SQLite allows only to the one connection left, then holds
   ``BEGIN EXCLUSIVE`` until the swap is done. Another CallMaster window or
   program using the file makes the restore stop with ``DatabaseBusyError``
   and nothing changed (the caller closes its own ``Database`` first);
3. copies the current file, under that lock, into the backups folder
   ("The database as it was before a restore": never thinned);
4. writes the backup to a temporary file in the database's folder (SQLite's
   online backup), flushes it to disk, moves any ``-wal`` beside the safety
   copy and removes ``-shm``/``-journal`` (so nothing stale can be replayed
   into the restored file), renames the temporary file over the database
   and flushes the folder.

A crash at any moment leaves either the old file or the restored one under
the database's name, never a mixture.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from callmaster_desktop.db.backup import (
    BEFORE_RESTORE,
    BackupInfo,
    backup_name,
    backups_folder,
    database_file,
    folder_error,
    fsync_path,
    remove_leftovers,
    write_sqlite_copy,
)
from callmaster_desktop.db.backup_contents import BackupContents, validate_backup
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import sqlite_uri
from callmaster_desktop.errors import (
    DatabaseBusyError,
    ReadOnlyDatabaseError,
    ValidationError,
    translate_db_error,
)

# How long the restore waits for another connection to let go of the file.
LOCK_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    contents: BackupContents  # what the database holds now
    safety_copy: BackupInfo | None  # the database as it was (None when there was none)


def busy_message(target: Path) -> str:
    return (
        f"{target} is open in CallMaster or another program. Close it there, then restore "
        "again; nothing was changed."
    )


def restore(
    backup: Path, target: Database | Path | str, *, now: datetime | None = None
) -> RestoreResult:
    """Replace the database file ``target`` with the backup ``backup``.

    Raises ``CorruptDatabaseError``/``NewerDatabaseError``/
    ``NotCallMasterDatabaseError`` for a backup that cannot be restored,
    ``DatabaseBusyError`` while anything has the database open,
    ``ReadOnlyDatabaseError``/``DiskFullError`` when the folder cannot take
    the files; in every case the database is left as it was.
    """
    backup = Path(backup)
    target = database_file(target)
    if target.exists() and backup.resolve() == target.resolve():
        raise ValidationError("That backup is the database itself: choose another file.")
    contents = validate_backup(backup)
    now = now or datetime.now(UTC)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise folder_error(exc, folder) from exc
    remove_leftovers(folder)
    with _held_alone(target) as held:
        safety = _safety_copy(target, now) if held else None
        _swap_in(backup, target, safety)
    return RestoreResult(target, contents, safety)


@contextmanager
def _held_alone(target: Path) -> Iterator[bool]:
    """Hold ``target`` so that no other connection can use it; False when there is no file."""
    if not target.exists():
        yield False
        return
    try:
        conn = sqlite3.connect(
            sqlite_uri(target, "rw"), uri=True, timeout=LOCK_WAIT_SECONDS, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise translate_db_error(exc, str(target)) from exc
    left_wal = False
    inode = target.stat().st_ino
    try:
        try:
            left_wal = _leave_wal(conn)
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                raise DatabaseBusyError(busy_message(target))
        except sqlite3.DatabaseError as exc:
            translated = translate_db_error(exc, str(target))
            if isinstance(translated, DatabaseBusyError):
                raise DatabaseBusyError(busy_message(target)) from exc
            if isinstance(translated, ReadOnlyDatabaseError):
                raise translated from exc
            # A damaged file: nobody can be using it; it is copied aside as it is.
        yield True
    except BaseException:
        if left_wal and _same_file(target, inode):
            # Nothing was swapped: put the file back in WAL mode, as it was.
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            with suppress(sqlite3.Error):
                conn.execute("PRAGMA journal_mode=WAL")
        raise
    finally:
        conn.close()


def _same_file(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def _leave_wal(conn: sqlite3.Connection) -> bool:
    """Switch out of WAL mode (only possible when no other connection is open)."""
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return False
    mode = str(conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower()
    if mode == "wal":
        raise sqlite3.OperationalError("database is locked")
    return True


def _safety_copy(target: Path, now: datetime) -> BackupInfo:
    """A byte copy of the held file (consistent: no WAL, no journal, nobody writing)."""
    folder = backups_folder(target)
    name = backup_name(folder, target.stem, now, BEFORE_RESTORE, None)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{name.name}.", suffix=".partial", delete=False
        ) as handle:
            partial = Path(handle.name)
        try:
            shutil.copyfile(target, partial)
            fsync_path(partial)
            partial.replace(name)
            fsync_path(folder)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise folder_error(exc, folder) from exc
    return BackupInfo(name, now, BEFORE_RESTORE)


def _swap_in(backup: Path, target: Path, safety: BackupInfo | None) -> None:
    folder = target.parent
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{target.name}.", suffix=".restoring", delete=False
        ) as handle:
            incoming = Path(handle.name)
    except OSError as exc:
        raise folder_error(exc, folder) from exc
    try:
        incoming.unlink()
        write_sqlite_copy(backup, incoming)  # checked, flushed
        try:
            wal = Path(f"{target}-wal")
            if wal.exists():
                if safety is not None:
                    wal.replace(Path(f"{safety.path}-wal"))
                else:
                    wal.unlink()
            for suffix in ("-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            incoming.replace(target)
            fsync_path(folder)
        except OSError as exc:
            raise folder_error(exc, folder) from exc
    finally:
        incoming.unlink(missing_ok=True)

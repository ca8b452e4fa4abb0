"""Typed errors whose messages a stage manager understands.

Every error the model layer raises on purpose is a ``CallMasterError``; its
``str()`` is the sentence to show in a window or print on the command line.
``translate_db_error`` turns a driver's exception into one of these, so the
user reads "The database file is read-only" rather than a traceback.
"""

from __future__ import annotations

from datetime import datetime


class CallMasterError(Exception):
    """Base of every error meant to be shown to the user."""


class ValidationError(CallMasterError):
    """Input that breaks a rule: nothing was written."""


class NotFoundError(CallMasterError):
    """A show, script, person... that is not there (or not yours)."""


class InUseError(CallMasterError):
    """Something still in use cannot be deleted without saying where its uses go."""


class ConflictError(CallMasterError):
    """A save based on an outdated copy: someone else saved in between."""

    def __init__(
        self, message: str, *, saved_by: str | None = None, saved_at: datetime | None = None
    ) -> None:
        super().__init__(message)
        self.saved_by = saved_by
        self.saved_at = saved_at


class DatabaseError(CallMasterError):
    """The database itself cannot be used as asked (environment, not a bug)."""


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer CallMaster Desktop."""


class NotCallMasterDatabaseError(DatabaseError):
    """The file is a database, but not one of ours."""


class DatabaseBusyError(DatabaseError):
    """Another program holds the database locked."""


class ReadOnlyDatabaseError(DatabaseError):
    """The file or its folder cannot be written."""


class CorruptDatabaseError(DatabaseError):
    """The file is damaged or is not a database at all."""


class DiskFullError(DatabaseError):
    """No space left to write."""


class DiskIOError(DatabaseError):
    """The disk or file system failed a read or a write (a stick pulled out, a share gone)."""


class ServerUnavailableError(DatabaseError):
    """The PostgreSQL server cannot be reached or the connection dropped."""


def translate_db_error(exc: BaseException, where: str = "the database") -> CallMasterError:
    """The user-facing error for a driver exception (SQLite or PostgreSQL)."""
    if isinstance(exc, CallMasterError):
        return exc
    original = getattr(exc, "orig", None) or exc
    text = str(original).lower()
    module = type(original).__module__
    if "database is locked" in text or "database is busy" in text:
        return DatabaseBusyError(
            f"{where} is busy: another program (perhaps another CallMaster window) is "
            "writing to it. Try again in a moment."
        )
    if "readonly" in text or "read-only" in text or "attempt to write a readonly" in text:
        return ReadOnlyDatabaseError(
            f"{where} is read-only: check that the file and its folder can be written."
        )
    if "disk is full" in text or "database or disk is full" in text or "no space" in text:
        return DiskFullError(f"The disk holding {where} is full: nothing was saved.")
    if "disk i/o error" in text:
        return DiskIOError(
            f"{where} could not be read or written: the disk or folder holding it reported an "
            "error (is it still connected, and can it be written?). Nothing was saved."
        )
    if "file is not a database" in text or "malformed" in text or "disk image" in text:
        return CorruptDatabaseError(f"{where} is damaged or is not a CallMaster database file.")
    if "unable to open database" in text:
        return ReadOnlyDatabaseError(
            f"{where} cannot be opened: check that the folder exists and can be written."
        )
    if module.startswith("psycopg") and (
        "connection" in text
        or "terminat" in text
        or "server closed" in text
        or "could not" in text
        or "timeout" in text
    ):
        return ServerUnavailableError(
            f"The PostgreSQL server behind {where} cannot be reached or dropped the "
            "connection. Nothing was lost; try again when it is back."
        )
    if "unique" in text or "duplicate key" in text:
        return ValidationError("That would duplicate something that must be unique.")
    if "foreign key" in text:
        return ValidationError("That refers to something that does not exist or is in use.")
    return DatabaseError(f"{where} reported an error: {original}")

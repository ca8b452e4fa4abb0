"""Crash recovery: the unsaved edits of a session, journaled beside the database.

While a session has unsaved edits, every change to its queue rewrites one
JSON file, atomically (a temporary file, flushed to disk, then renamed over
the journal), so a crash at any moment leaves either the old or the new
journal. For a SQLite file the journals live beside it, in
``<database file>.recovery/<script id>.json``; for a PostgreSQL database in
the user's data folder, ``recovery/<server>-<port>-<database>/``.

A journal holds the version the edits started from and each step's
description and recorded changes (the rows each change removed and
inserted), so recovering replays them exactly, with undo, on the script as
it was at that version: the current script when nobody saved since, else
that version's saved revision.
"""

from __future__ import annotations

import json
import os
import re
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from callmaster_desktop.db.engine import Database, default_database_path
from callmaster_desktop.db.models import ScriptRevision
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.editing.codec import (
    FormatError,
    decode_change,
    decode_snapshot,
    encode_change,
)
from callmaster_desktop.editing.state import InfoChange, ScriptInfo, ScriptState, Splice, Step
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.scripts import LoadedScript

JOURNAL_FORMAT = 1


def recovery_folder(db: Database) -> Path:
    """Where the journals of this database's scripts are kept."""
    if db.path is not None:
        return db.path.with_name(db.path.name + ".recovery")
    url = make_url(db.url)
    key = f"{url.host or 'localhost'}-{url.port or 5432}-{url.database or 'postgres'}"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", key)
    return default_database_path().parent / "recovery" / safe


def journal_path(db: Database, script_id: uuid.UUID) -> Path:
    return recovery_folder(db) / f"{script_id}.json"


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        if durable:
            os.fsync(f.fileno())
    os.replace(temporary, path)
    if durable:
        _fsync_folder(path.parent)


class Journal:
    """The crash journal of one script's edit session."""

    def __init__(self, path: Path, script_id: uuid.UUID, database: str, *, durable: bool = True):
        self.path = path
        self.script_id = script_id
        self.database = database
        self.durable = durable
        self.writes = 0

    @classmethod
    def for_script(cls, db: Database, script_id: uuid.UUID) -> Journal:
        return cls(journal_path(db, script_id), script_id, db.description)

    def write(self, script_name: str, base_version: int, steps: Sequence[Step]) -> None:
        """Journal the done steps (the queue a save would write)."""
        for step in steps:
            if step.journal_text is None:
                step.journal_text = json.dumps(
                    {
                        "description": step.description,
                        "changes": [encode_change(c) for c in step.changes],
                    },
                    separators=(",", ":"),
                )
        header = json.dumps(
            {
                "format": JOURNAL_FORMAT,
                "script_id": str(self.script_id),
                "script_name": script_name,
                "base_version": base_version,
                "database": self.database,
                "written_at": datetime.now(UTC).isoformat(),
                "pid": os.getpid(),
                "host": socket.gethostname(),
            }
        )
        body = ",".join(s.journal_text or "" for s in steps)
        write_atomically(self.path, f'{header[:-1]}, "steps": [{body}]}}', durable=self.durable)
        self.writes += 1

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _process_running(pid: int, host: str) -> bool:
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would end the process on Windows
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


@dataclass(frozen=True)
class UnsavedEdits:
    """Edits to a script that were journaled but never saved: offered for recovery."""

    path: Path
    script_id: uuid.UUID
    script_name: str
    base_version: int
    written_at: datetime
    steps: tuple[str, ...]
    pid: int
    host: str

    @property
    def open_elsewhere(self) -> bool:
        """True when the session that wrote them still runs (another window has the script)."""
        return _process_running(self.pid, self.host)

    def describe(self) -> str:
        when = self.written_at.astimezone().strftime("%H:%M on %d %b %Y")
        n = len(self.steps)
        edits = f"{n} unsaved edit" + ("" if n == 1 else "s")
        shown = "; ".join(self.steps[-3:])
        earlier = f"{n - 3} more, then " if n > 3 else ""
        if self.open_elsewhere:
            return (
                f'"{self.script_name}" is being edited in another CallMaster window '
                f"({edits}, last at {when})."
            )
        return (
            f'"{self.script_name}" has {edits} from {when} that were never saved '
            f"({earlier}{shown}). Recover them, or discard them?"
        )

    def discard(self) -> None:
        """Throw the edits away (the script opens as it was last saved)."""
        self.path.unlink(missing_ok=True)

    def read(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return data


def find_unsaved_edits(db: Database, script_id: uuid.UUID) -> UnsavedEdits | None:
    """The unsaved edits journaled for the script, if any.

    A journal that cannot be read is set aside (renamed ``.unreadable``) and
    not offered.
    """
    path = journal_path(db, script_id)
    _remove_stale_temporaries(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != JOURNAL_FORMAT:
            raise FormatError(f"journal format {data.get('format')!r}")
        steps = tuple(str(s["description"]) for s in data["steps"])
        if not steps:
            path.unlink(missing_ok=True)
            return None
        return UnsavedEdits(
            path=path,
            script_id=uuid.UUID(data["script_id"]),
            script_name=str(data.get("script_name") or "The script"),
            base_version=int(data["base_version"]),
            written_at=datetime.fromisoformat(data["written_at"]),
            steps=steps,
            pid=int(data.get("pid") or 0),
            host=str(data.get("host") or ""),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        aside = path.with_name(path.name + f".{int(datetime.now().timestamp())}.unreadable")
        os.replace(path, aside)
        return None


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files left by a process that died while writing the journal."""
    if not path.parent.is_dir():
        return
    host = socket.gethostname()
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        pid = leftover.name[len(path.name) + 2 : -len(".tmp")]
        if pid.isdigit() and not _process_running(int(pid), host):
            leftover.unlink(missing_ok=True)


def base_state(
    db: Database, edits: UnsavedEdits, loaded: LoadedScript
) -> tuple[ScriptInfo, list[ElementData]]:
    """The script as it was when the unsaved edits began."""
    if loaded.version == edits.base_version:
        info = ScriptInfo(
            loaded.name, loaded.status, loaded.start_time, loaded.end_time, loaded.notes
        )
        return info, loaded.elements
    with db.reading() as session:
        snapshot = session.scalar(
            select(ScriptRevision.snapshot).where(
                ScriptRevision.script_id == edits.script_id,
                ScriptRevision.script_version == edits.base_version,
            )
        )
    if snapshot is None:
        raise ValidationError(
            f'The unsaved edits to "{edits.script_name}" were made to a version of the script '
            "that is no longer kept, so they cannot be recovered."
        )
    try:
        return decode_snapshot(snapshot)
    except FormatError:
        raise ValidationError(
            f'The saved revision the unsaved edits to "{edits.script_name}" started from '
            "cannot be read, so they cannot be recovered."
        ) from None


def replay(state: ScriptState, edits: UnsavedEdits) -> list[Step]:
    """Apply the journaled steps to ``state`` (the script as they began); return them.

    Each change is checked against the state before it is applied: the rows
    it removes must be there exactly as recorded.
    """
    unusable = ValidationError(
        f'The unsaved edits to "{edits.script_name}" no longer fit the script, so they '
        "cannot be recovered."
    )
    try:
        data = edits.read()
        recorded = [
            (str(s["description"]), tuple(decode_change(c) for c in s["changes"]))
            for s in data["steps"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        raise unusable from None
    steps: list[Step] = []
    for description, changes in recorded:
        for change in changes:
            if isinstance(change, InfoChange):
                fits = change.old == state.info
            else:
                fits = _rows_fit(state, change)
            if not fits:
                raise unusable
            try:
                state.apply(change)
            except ValueError:
                raise unusable from None
        steps.append(Step(description, changes))
    return steps


def _rows_fit(state: ScriptState, splice: Splice) -> bool:
    end = splice.at + len(splice.removed)
    return (
        0 <= splice.at <= len(state)
        and end <= len(state)
        and (tuple(state.elements[splice.at : end]) == splice.removed)
    )

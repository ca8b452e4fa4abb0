"""Crash recovery: the unsaved edits of a session, journaled beside the database.

Each script's journal is a folder: ``<database file>.recovery/<script id>/``
for a SQLite file, ``recovery/<server>-<port>-<database>/<script id>/`` in
the user's data folder for PostgreSQL. In it, each done step is a file of
its own (its description and recorded changes: the rows each change removed
and inserted), written once, and ``journal.json`` lists the steps the queue
holds now, with the version they started from. The step's file is flushed
to disk before the list names it, and the list is replaced atomically, so a
crash at any moment leaves a journal that reads as the queue before or after
the change (``editing.journal`` writes it). A command costs one small file
and the list, however long the queue.

Recovering replays the steps exactly, with undo, on the script as it was at
that version: the current script when nobody saved since, else that
version's saved revision.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.editing.codec import FormatError, decode_change, decode_snapshot
from callmaster_desktop.editing.journal import (
    JOURNAL_FORMAT,
    LIST_NAME,
    Journal,
    fsync_folder,
    journal_folder,
    journal_path,
    recovery_folder,
    write_atomically,
)
from callmaster_desktop.editing.state import InfoChange, ScriptInfo, ScriptState, Splice, Step
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.revision_snapshots import SnapshotError, read_snapshot
from callmaster_desktop.services.scripts import LoadedScript

__all__ = [
    "JOURNAL_FORMAT",
    "LIST_NAME",
    "Journal",
    "UnsavedEdits",
    "base_state",
    "find_unsaved_edits",
    "fsync_folder",
    "journal_folder",
    "journal_path",
    "recovery_folder",
    "replay",
    "write_atomically",
]


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
        shutil.rmtree(self.path.parent, ignore_errors=True)

    def read_steps(self) -> list[tuple[str, dict[str, Any]]]:
        """Each listed step: its file's name and what it holds, in order."""
        listing = json.loads(self.path.read_text(encoding="utf-8"))
        names = [str(s["file"]) for s in listing["steps"]]
        folder = self.path.parent
        return [(n, json.loads((folder / n).read_text(encoding="utf-8"))) for n in names]


def find_unsaved_edits(db: Database, script_id: uuid.UUID) -> UnsavedEdits | None:
    """The unsaved edits journaled for the script, if any.

    A journal that cannot be read is set aside (its folder renamed
    ``<script id>.<time>.unreadable``) and not offered.
    """
    path = journal_path(db, script_id)
    _remove_stale_temporaries(path.parent)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != JOURNAL_FORMAT:
            raise FormatError(f"journal format {data.get('format')!r}")
        steps = tuple(str(s["description"]) for s in data["steps"])
        if not steps:
            shutil.rmtree(path.parent, ignore_errors=True)
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
        folder = path.parent
        aside = folder.with_name(f"{folder.name}.{int(datetime.now().timestamp())}.unreadable")
        os.replace(folder, aside)
        return None


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a process that died while writing the journal."""
    if not folder.is_dir():
        return
    host = socket.gethostname()
    for leftover in folder.glob(".*.tmp"):
        pid = leftover.name[: -len(".tmp")].rsplit(".", 1)[-1]
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
    unreadable = ValidationError(
        f'The saved revision the unsaved edits to "{edits.script_name}" started from '
        "cannot be read, so they cannot be recovered."
    )
    with db.reading() as session:
        try:
            snapshot = read_snapshot(session, edits.script_id, script_version=edits.base_version)
        except SnapshotError:
            raise unreadable from None
    if snapshot is None:
        raise ValidationError(
            f'The unsaved edits to "{edits.script_name}" were made to a version of the script '
            "that is no longer kept, so they cannot be recovered."
        )
    try:
        return decode_snapshot(snapshot)
    except FormatError:
        raise unreadable from None


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
        recorded = [
            (name, str(s["description"]), tuple(decode_change(c) for c in s["changes"]))
            for name, s in edits.read_steps()
        ]
    except (OSError, ValueError, KeyError, TypeError):
        raise unusable from None
    steps: list[Step] = []
    for name, description, changes in recorded:
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
        steps.append(Step(description, changes, journal_file=name))
    return steps


def _rows_fit(state: ScriptState, splice: Splice) -> bool:
    end = splice.at + len(splice.removed)
    return (
        0 <= splice.at <= len(state)
        and end <= len(state)
        and (tuple(state.elements[splice.at : end]) == splice.removed)
    )

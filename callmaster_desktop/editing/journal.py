"""Writing the crash journal of an edit session (read back by ``editing.recovery``).

A script's journal is a folder holding one file per done step (its
description and recorded changes, written once) and ``journal.json``, the
list of the steps the queue holds now with the version they started from.
After every command, undo and redo:

- a new step's file is written and flushed to disk (``fsync``) before the
  list names it; it is written under its final name (nothing names it yet,
  so a half-written one is never read);
- the list is written to a temporary file, flushed, and renamed over
  ``journal.json``, so the list is always the old one or the new one;
- the folder itself (which records the renames) is flushed by a background
  timer at most ``FOLDER_SYNC_DELAY`` seconds later, once for any number
  of commands in between.

So a killed program loses nothing (every file is written before the
command returns), and a power cut or an operating-system crash loses at
most the commands of the last quarter of a second: the journal then reads
as it was a moment earlier. A command costs two flushes of small files
instead of three, and the list is built from the steps' cached entries, not
encoded again whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from callmaster_desktop.db.engine import Database, default_database_path
from callmaster_desktop.editing.codec import encode_change
from callmaster_desktop.editing.state import Step

JOURNAL_FORMAT = 2
LIST_NAME = "journal.json"
FOLDER_SYNC_DELAY = 0.25


def recovery_folder(db: Database) -> Path:
    """Where the journals of this database's scripts are kept."""
    if db.path is not None:
        return db.path.with_name(db.path.name + ".recovery")
    url = make_url(db.url)
    key = f"{url.host or 'localhost'}-{url.port or 5432}-{url.database or 'postgres'}"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", key)
    return default_database_path().parent / "recovery" / safe


def journal_folder(db: Database, script_id: uuid.UUID) -> Path:
    """The folder holding one script's journal."""
    return recovery_folder(db) / str(script_id)


def journal_path(db: Database, script_id: uuid.UUID) -> Path:
    """The journal's list of steps (it exists while there are unsaved edits)."""
    return journal_folder(db, script_id) / LIST_NAME


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    path: Path, text: str, *, durable: bool = True, sync_folder: bool = True
) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        if durable:
            os.fsync(f.fileno())
    os.replace(temporary, path)
    if durable and sync_folder:
        fsync_folder(path.parent)


def _write_new(path: Path, text: str, *, durable: bool) -> None:
    """Write a file no one names yet, under its final name, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        if durable:
            os.fsync(f.fileno())


def _entry(step: Step) -> str:
    """The step's entry in the journal's list, encoded once."""
    if step.journal_entry is None:
        entry = {"description": step.description, "file": step.journal_file}
        step.journal_entry = json.dumps(entry)
    return step.journal_entry


class _FolderSync:
    """Flushes a folder to disk a moment after the last change, in the background."""

    def __init__(self, folder: Path, delay: float) -> None:
        self.folder = folder
        self.delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def soon(self) -> None:
        with self._lock:
            if self._timer is not None:
                return  # one flush covers every change made before it runs
            self._timer = threading.Timer(self.delay, self.now)
            self._timer.daemon = True
            self._timer.start()

    def now(self) -> None:
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        with contextlib.suppress(OSError):  # the folder went (the journal was discarded)
            fsync_folder(self.folder)

    def cancel(self) -> None:
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()


class Journal:
    """The crash journal of one script's edit session."""

    def __init__(self, folder: Path, script_id: uuid.UUID, database: str, *, durable: bool = True):
        self.folder = folder
        self.path = folder / LIST_NAME
        self.script_id = script_id
        self.database = database
        self.durable = durable
        self.writes = 0
        # Step files already there (recovered edits, or left by a crash before any list).
        self._files = {p.name for p in folder.glob("step-*.json")} if folder.is_dir() else set()
        self._folder_sync = _FolderSync(folder, FOLDER_SYNC_DELAY)

    @classmethod
    def for_script(cls, db: Database, script_id: uuid.UUID) -> Journal:
        return cls(journal_folder(db, script_id), script_id, db.description)

    def write(
        self,
        script_name: str,
        base_version: int,
        steps: Sequence[Step],
        keep: Sequence[Step] = (),
    ) -> None:
        """Journal the done ``steps`` (the queue a save would write).

        ``keep`` are steps that may come back (undone, to redo): their files
        stay. Files of steps in neither are removed once the list no longer
        names them.
        """
        for step in steps:
            if step.journal_file is None:
                step.journal_file = f"step-{uuid.uuid4().hex}.json"
            if step.journal_file not in self._files:
                text = json.dumps(
                    {
                        "description": step.description,
                        "changes": [encode_change(c) for c in step.changes],
                    },
                    separators=(",", ":"),
                )
                _write_new(self.folder / step.journal_file, text, durable=self.durable)
                self._files.add(step.journal_file)
        write_atomically(
            self.path, self._listing(script_name, base_version, steps), durable=self.durable,
            sync_folder=False,
        )  # fmt: skip
        self.writes += 1
        if len(self._files) > len(steps) + len(keep):  # some file no step needs any more
            wanted = {s.journal_file for s in (*steps, *keep)}
            for name in self._files - wanted:
                (self.folder / name).unlink(missing_ok=True)
            self._files &= wanted
        if self.durable:
            self._folder_sync.soon()

    def _listing(self, script_name: str, base_version: int, steps: Sequence[Step]) -> str:
        """``journal.json``: the header, then each step's entry (encoded once per step)."""
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
        entries = [step.journal_entry for step in steps]
        known = len(entries)
        while known and entries[known - 1] is None:  # new steps come last
            known -= 1
        entries[known:] = [_entry(step) for step in steps[known:]]
        if None in entries:  # steps read back from a journal: anywhere
            entries = [_entry(step) for step in steps]
        return f'{header[:-1]}, "steps": [{", ".join(map(str, entries))}]}}'

    def flush(self) -> None:
        """Make the journal as it is now survive a power cut (without waiting for the timer)."""
        if self.durable and self.folder.is_dir():
            self._folder_sync.now()

    def discard(self) -> None:
        """Remove the journal (nothing unsaved is left to recover)."""
        self._folder_sync.cancel()
        shutil.rmtree(self.folder, ignore_errors=True)
        self._files.clear()

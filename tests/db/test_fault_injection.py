"""Faults in the middle of a session: the disk stops taking writes, a statement fails, a
restore is killed. The error is said plainly, nothing is half-written, the edits wait.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

from sqlalchemy import select
from support.atomicity import assert_all_or_nothing
from support.faults import dump_tables
from support.safety import files_in, immutable
from support.script_builder import Built, make_script, script_rows

from callmaster_desktop.db.backup import backup_on_open, create_backup, remove_leftovers
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import Person, Script
from callmaster_desktop.db.restore import restore
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing import AddElement, EditFields, EditSession, Place
from callmaster_desktop.errors import DiskIOError, ReadOnlyDatabaseError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.startup import open_for_user


def edit(session: EditSession) -> list[str]:
    cue = next(e for e in session.elements if e.element_type is ElementType.CUE)
    session.apply(EditFields(cue.id, {"name": "Thunder and lightning"}))
    session.apply(AddElement(ElementType.NOTE, Place.last_in(None), {"name": "Witches exit"}))
    return session.history


def test_failing_any_statement_of_a_save_keeps_the_edits(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 60)
    session = EditSession.open(db, owner.id, built.script_id)
    steps = edit(session)

    def save() -> object:
        try:
            return session.save()
        except Exception:
            assert session.history == steps and session.is_dirty, "the unsaved edits were lost"
            raise

    proof = assert_all_or_nothing(db, save)  # statement 1, 2, 3... fails; then all succeed
    assert proof.statements > 3 and not session.is_dirty
    with db.reading() as s:
        assert read_elements(s, built.script_id) == list(session.elements)


def test_the_file_stops_taking_writes_mid_session(tmp_path: Path) -> None:
    path = tmp_path / "callmaster.sqlite"
    db = open_database(str(path))
    try:
        owner = ensure_profile(db)
        built = make_script(db, owner, 60)
        session = EditSession.open(db, owner.id, built.script_id, journal=False)
        steps = edit(session)
        before = dump_tables(db)
        # The file and its log refuse every write, even through the open connection.
        with immutable(path, Path(f"{path}-wal")):
            try:
                session.save()
                raise AssertionError("the save went through a file that takes no writes")
            except DiskIOError as exc:
                assert "could not be read or written" in str(exc)
                assert "Nothing was saved" in str(exc)
            assert session.history == steps
            assert dump_tables(db) == before
        session.save()  # the same Database, the same edits: saved now
        with db.reading() as s:
            assert read_elements(s, built.script_id) == list(session.elements)
        assert check_database(db) == []
    finally:
        db.dispose()


def test_the_folder_stops_taking_writes_mid_session(tmp_path: Path) -> None:
    folder = tmp_path / "show files"
    path = folder / "callmaster.sqlite"
    opened = open_for_user(str(path), sample_on_create=False)
    db = opened.db
    built = make_script(db, opened.profile, 40, name="Folder")
    rows = script_rows(built.departments, 40)
    try:
        with immutable(folder):
            # SQLite needs no new file while the database is open: saving goes on.
            with db.unit_of_work() as s:
                write_script_state(
                    s, built.script_id, built.version, rows, author_id=None, steps=["x"]
                )
            # What needs a new file says so plainly.
            try:
                backup_on_open(db)
                raise AssertionError("a backup was written into a folder that takes no writes")
            except ReadOnlyDatabaseError as exc:
                assert "cannot be written" in str(exc)
            db.dispose()
            listing = files_in(folder)
            try:
                open_for_user(str(path))
                raise AssertionError("a database was opened in a folder that takes no writes")
            except ReadOnlyDatabaseError as exc:
                assert "The folder holding" in str(exc)
            assert files_in(folder) == listing
    finally:
        db.dispose()
    again = open_for_user(str(path))
    try:
        with again.db.reading() as s:
            assert read_elements(s, built.script_id) == rows
        assert check_database(again.db) == []
    finally:
        again.db.dispose()


def test_a_restore_killed_at_any_moment_leaves_a_whole_database(tmp_path: Path) -> None:
    path = tmp_path / "callmaster.sqlite"
    db = open_database(str(path))
    built = make_script(db, ensure_profile(db), ROWS, name="Old")
    db.dispose()
    backup = create_backup(path).path
    in_backup = dump_file(backup, tmp_path)
    current = save_new_rows(path, built)

    started = time.monotonic()
    restore_in_child(backup, path, kill_after=None)
    length = time.monotonic() - started
    assert dump_file(path, tmp_path) == in_backup
    current = save_new_rows(path, built)
    rng, outcomes = random.Random(11), []
    for i in range(10):
        restore_in_child(backup, path, kill_after=(i + rng.random()) / 10 * 2 * length)
        now = dump_file(path, tmp_path)
        assert now in (current, in_backup), f"kill {i + 1} left a torn file"
        outcomes.append("restored" if now == in_backup else "as it was")
        checked = Database(str(path))
        try:
            assert check_database(checked) == []
        finally:
            checked.dispose()
        if now == in_backup:
            current = save_new_rows(path, built)
    print(f"\nA restore took {length:.2f} s; after each kill: {outcomes}")
    assert "as it was" in outcomes, outcomes
    # A killed copy may leave its temporary file; the next copy removes the old ones.
    leftovers = [n for n in files_in(tmp_path) if n.endswith((".restoring", ".partial"))]
    hours_ago = time.time() - 7200
    for name in leftovers:
        os.utime(tmp_path / name, (hours_ago, hours_ago))
    assert sorted(p.name for p in remove_leftovers(tmp_path)) == sorted(leftovers)


ROWS = 2000


def save_new_rows(path: Path, built: Built) -> dict[str, list[tuple[object, ...]]]:
    """Save a new state of the script; return every row of the database."""
    db = open_database(str(path))
    try:
        with db.reading() as s:
            version = s.scalar(select(Script.version).where(Script.id == built.script_id))
        assert version is not None
        with db.unit_of_work() as s:
            write_script_state(
                s,
                built.script_id,
                version,
                script_rows(built.departments, ROWS),
                author_id=None,
                steps=["Newer"],
            )
        return dump_tables(db)
    finally:
        db.dispose()


def dump_file(path: Path, scratch: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of a database file, read from a copy."""
    copy = scratch / "dump-copy.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    if Path(f"{path}-wal").exists():
        shutil.copyfile(f"{path}-wal", f"{copy}-wal")
    db = Database(str(copy))
    try:
        return dump_tables(db)
    finally:
        db.dispose()


def restore_in_child(backup: Path, target: Path, kill_after: float | None) -> None:
    """Restore in a child process; kill it (SIGKILL) ``kill_after`` seconds in."""
    pid = os.fork()
    if pid == 0:  # the child never returns into the test runner
        code = 1
        try:
            restore(backup, target)
            code = 0
        finally:
            os._exit(code)
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if kill_after is None:
        assert status == 0

"""Opening a file that is locked, read-only, on a full disk, damaged, not ours or too new.

Each case gives a plain message and changes nothing. Root ignores file
permissions, so "read-only" is made real in four ways that stop root too
(``support.safety``): file permissions applied to a child process that has
no permission override, a read-only file system, the immutable attribute,
and SQLite's own page limit standing in for a full disk where no small disk
can be mounted.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import event
from support.faults import dump_tables
from support.safety import (
    child_env,
    digest,
    files_in,
    fill_disk,
    immutable,
    python_code,
    read_only_view,
    small_disk,
    without_root_override,
)
from support.script_builder import Built, make_script, script_rows

from callmaster_desktop.db.backup import backup_on_open, backups_folder
from callmaster_desktop.db.engine import BUSY_TIMEOUT_MS, Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import SchemaState, open_database, schema_state
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    NewerDatabaseError,
    ReadOnlyDatabaseError,
)
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.startup import open_for_user

BUSY_SECONDS = BUSY_TIMEOUT_MS / 1000
OPEN_IN_A_CHILD = """
import json, sys
from callmaster_desktop.startup import open_for_user
from callmaster_desktop.errors import CallMasterError
try:
    open_for_user(sys.argv[1]).db.dispose()
    print(json.dumps({"error": None}))
except CallMasterError as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
"""
HOLD_A_LOCK = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode=" + sys.argv[2])
c.execute("BEGIN EXCLUSIVE")
c.execute("SELECT count(*) FROM people").fetchall()
print("locked", flush=True)
if sys.argv[3] == "until-told":
    sys.stdin.read()
else:
    time.sleep(float(sys.argv[3]))
c.execute("COMMIT")
"""


@pytest.fixture
def theatre(tmp_path: Path) -> Path:
    """A closed SQLite file holding the sample show."""
    path = tmp_path / "theatre" / "callmaster.sqlite"
    open_for_user(str(path)).db.dispose()
    return path


def rows_of(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = Database(str(path))
    try:
        return dump_tables(db)
    finally:
        db.dispose()


def hold_lock(path: Path, mode: str, how_long: str = "until-told") -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [*python_code(HOLD_A_LOCK), str(path), mode, how_long],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.parametrize("mode", ["NORMAL", "EXCLUSIVE"], ids=["writing", "whole-file"])
def test_a_file_locked_by_another_program_says_busy_within_the_timeout(
    theatre: Path, mode: str
) -> None:
    before = rows_of(theatre)
    holder = hold_lock(theatre, mode)  # writing: others may read; whole-file: not even read
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="busy: another program"):
            open_for_user(str(theatre))
        waited = time.monotonic() - started
    finally:
        holder.communicate("")
    assert BUSY_SECONDS * 0.9 <= waited <= BUSY_SECONDS + 4, f"waited {waited:.1f} s"
    assert rows_of(theatre) == before
    reopened = open_for_user(str(theatre))
    try:
        assert check_database(reopened.db) == []
    finally:
        reopened.db.dispose()


def test_a_save_waits_for_a_short_lock_then_goes_through(tmp_path: Path) -> None:
    path = tmp_path / "callmaster.sqlite"
    db = open_database(str(path))
    owner = ensure_profile(db)
    built = make_script(db, owner, 200, name="Waiting")
    wanted = script_rows(built.departments, 200)
    holder = hold_lock(path, "NORMAL", "1.5")
    try:
        started = time.monotonic()
        with db.unit_of_work() as s:
            write_script_state(
                s, built.script_id, built.version, wanted, author_id=owner.id, steps=["x"]
            )
        waited = time.monotonic() - started
        with db.reading() as s:
            assert read_elements(s, built.script_id) == wanted
    finally:
        holder.communicate("")
        db.dispose()
    assert 1.0 <= waited < BUSY_SECONDS, f"waited {waited:.1f} s"


def _open_in_child(path: Path, *, bound_by_permissions: bool = False) -> dict[str, str | None]:
    """Open in another process; bound by file permissions, as a stage manager's account is."""
    argv = [*python_code(OPEN_IN_A_CHILD), str(path)]
    if bound_by_permissions:
        argv = without_root_override(argv)
    done = subprocess.run(argv, capture_output=True, text=True, env=child_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, str | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_is_refused_untouched(theatre: Path, what: str) -> None:
    folder = theatre.parent
    before, listing = digest(theatre), files_in(folder)
    target = theatre if what == "file" else folder
    mode = target.stat().st_mode
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        result = _open_in_child(theatre, bound_by_permissions=True)
    finally:
        target.chmod(mode)
    assert result["error"] == "ReadOnlyDatabaseError", result
    expected = "is read-only" if what == "file" else "The folder holding"
    assert expected in str(result["message"]) and "nothing was changed" in str(result["message"])
    assert digest(theatre) == before and files_in(folder) == listing
    assert _open_in_child(theatre)["error"] is None, "root without limits opens it as before"


def test_a_read_only_disk_is_refused_untouched(theatre: Path, tmp_path: Path) -> None:
    before, listing = digest(theatre), files_in(theatre.parent)
    with read_only_view(theatre.parent, tmp_path / "stick") as stick:
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
            open_for_user(str(stick / theatre.name))
        with pytest.raises(ReadOnlyDatabaseError):
            schema_state(str(stick / theatre.name))
    assert digest(theatre) == before and files_in(theatre.parent) == listing


def test_an_immutable_file_is_refused_untouched(theatre: Path) -> None:
    before, listing = digest(theatre), files_in(theatre.parent)
    with immutable(theatre), pytest.raises(ReadOnlyDatabaseError, match="is read-only"):
        open_for_user(str(theatre))
    assert digest(theatre) == before and files_in(theatre.parent) == listing


def _big_save(db: Database, built: Built, rows: list[ElementData]) -> int:
    with db.unit_of_work() as s:
        return write_script_state(
            s, built.script_id, built.version, rows, author_id=None, steps=["Big save"]
        ).version


def test_a_full_disk_refuses_the_save_and_keeps_the_edits(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size_kb=16384) as disk:
        path = disk / "callmaster.sqlite"
        db = open_database(str(path))
        try:
            owner = ensure_profile(db)
            built = make_script(db, owner, 100)
            wanted = script_rows(built.departments, 3000)  # the unsaved edits
            before = dump_tables(db)
            filler = fill_disk(disk)
            with pytest.raises(DiskFullError, match="is full: nothing was saved"):
                _big_save(db, built, wanted)
            assert dump_tables(db) == before
            with pytest.raises(DiskFullError, match="no backup was made"):
                backup_on_open(db)
            assert files_in(backups_folder(path)) == [], "no half-made backup is left"
            filler.unlink()
            assert _big_save(db, built, wanted) == built.version + 1
            with db.reading() as s:
                assert read_elements(s, built.script_id) == wanted
            assert check_database(db) == []
        finally:
            db.dispose()
        fill_disk(disk)
        with pytest.raises(DiskFullError):
            open_for_user(str(disk / "another.sqlite"))
        assert schema_state(str(disk / "another.sqlite"))[0] is SchemaState.MISSING


def test_sqlites_page_limit_is_a_full_disk_too(tmp_path: Path) -> None:
    """Where no small disk can be mounted: SQLite's max_page_count raises the real SQLITE_FULL."""
    db = open_database(str(tmp_path / "callmaster.sqlite"))
    try:
        owner = ensure_profile(db)
        built = make_script(db, owner, 100)
        wanted = script_rows(built.departments, 3000)
        before = dump_tables(db)
        db.engine.dispose()

        def no_room(dbapi_connection: sqlite3.Connection, record: object) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count={pages + 4}")

        event.listen(db.engine, "connect", no_room)
        with pytest.raises(DiskFullError, match="is full: nothing was saved"):
            _big_save(db, built, wanted)
        assert dump_tables(db) == before
        event.remove(db.engine, "connect", no_room)
        db.engine.dispose()
        assert _big_save(db, built, wanted) == built.version + 1
        assert check_database(db) == []
    finally:
        db.dispose()


def test_damaged_foreign_and_newer_files_are_refused_untouched(theatre: Path) -> None:
    conn = sqlite3.connect(theatre)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    newer = digest(theatre)
    with pytest.raises(NewerDatabaseError, match="newer version of CallMaster"):
        open_for_user(str(theatre))
    assert digest(theatre) == newer

    cut = theatre.with_name("cut.sqlite")
    cut.write_bytes(theatre.read_bytes()[:8192])
    cut_digest = digest(cut)
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        open_for_user(str(cut))
    assert digest(cut) == cut_digest

    folder = theatre.with_name("a folder.sqlite")
    folder.mkdir()
    with pytest.raises(CorruptDatabaseError, match="is a folder"):
        open_for_user(str(folder))

"""Backups: made with SQLite's online backup, described, thinned, restored safely."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.faults import dump_tables
from support.safety import child_env, digest, files_in, immutable, python_code
from support.script_builder import make_script, script_rows

from callmaster_desktop.db.backup import (
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    DAILY,
    MANUAL,
    ServerBackupError,
    backup_on_open,
    backups_folder,
    create_backup,
    list_backups,
)
from callmaster_desktop.db.backup_contents import describe_backup, validate_backup
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import downgrade, open_database
from callmaster_desktop.db.models import Element, Script, Show
from callmaster_desktop.db.restore import restore
from callmaster_desktop.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    NewerDatabaseError,
    NotCallMasterDatabaseError,
    ReadOnlyDatabaseError,
    ValidationError,
)
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.services.shows import delete_show
from callmaster_desktop.startup import open_for_user

# Noon on the computer's own clock: "the same day" is the stage manager's day.
NOON = datetime(2026, 3, 2, 12, 0).astimezone(UTC)


@pytest.fixture
def macbeth(tmp_path: Path) -> Iterator[tuple[Path, Database]]:
    """A SQLite file holding the sample show, opened."""
    path = tmp_path / "theatre" / "callmaster.sqlite"
    opened = open_for_user(str(path))
    yield path, opened.db
    opened.db.dispose()


def dump_file(path: Path, scratch: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of a database file, read from a copy (opening it must not change it)."""
    copy = scratch / f"dump-{time.monotonic_ns()}.sqlite"
    shutil.copyfile(path, copy)
    db = Database(str(copy))
    try:
        return dump_tables(db)
    finally:
        db.dispose()


def stored_counts(db: Database) -> dict[tuple[str, str], int]:
    with db.reading() as session:
        rows = session.execute(
            select(Show.name, Script.name, func.count(Element.id))
            .join(Script, Script.show_id == Show.id)
            .outerjoin(Element, Element.script_id == Script.id)
            .group_by(Show.name, Script.name)
        ).all()
    return {(show, script): count for show, script, count in rows}


def test_a_backup_holds_everything_and_says_what(
    macbeth: tuple[Path, Database], tmp_path: Path
) -> None:
    path, db = macbeth
    before = dump_tables(db)
    made = create_backup(db)
    assert made.path.parent == path.parent / "callmaster.backups"
    assert made.reason == MANUAL
    assert list_backups(path) == [made]
    assert dump_file(made.path, tmp_path) == before
    assert dump_tables(db) == before
    conn = sqlite3.connect(made.path)
    try:  # one self-contained file: a rollback journal, nothing beside it
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]
    contents = describe_backup(made.path)
    described = {(show.name, s.name): s.elements for show in contents.shows for s in show.scripts}
    assert described == stored_counts(db)
    assert contents.is_current_schema
    assert contents.summary() == f"1 show, 1 script, {sum(described.values())} rows"
    assert any('Show "Macbeth"' in line for line in contents.lines())


def test_a_backup_is_consistent_while_another_window_saves(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    db = open_database(str(path))
    owner_id = ensure_profile(db).id
    built = make_script(db, owner_id, 600, name="Big")
    states = [built.elements, script_rows(built.departments, 600)]
    saved = [list(states[0])]
    writer = open_database(str(path))
    stop = threading.Event()

    failures: list[BaseException] = []

    def keep_saving() -> None:
        version = built.version
        try:
            while not stop.is_set():
                rows = states[len(saved) % 2]
                with writer.unit_of_work() as s:
                    version = write_script_state(
                        s, built.script_id, version, rows, author_id=owner_id, steps=["x"]
                    ).version
                saved.append(list(rows))
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=keep_saving)
    thread.start()
    copies = []
    try:
        deadline = time.monotonic() + 60
        while (len(saved) < 5 or len(copies) < 4) and time.monotonic() < deadline:
            copies.append(create_backup(db, now=NOON + timedelta(seconds=len(copies))))
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
        writer.dispose()
        db.dispose()
    assert not failures
    assert len(saved) >= 5, "the other window hardly saved during the backups"
    for made in copies:
        validate_backup(made.path)
        copy = Database(str(shutil.copy(made.path, tmp_path / "check.sqlite")))
        try:
            with copy.reading() as s:
                elements = read_elements(s, built.script_id)
            assert elements in states, "a backup holds half of one save and half of another"
            assert check_database(copy) == []
        finally:
            copy.dispose()


def test_an_upgrade_is_preceded_by_a_backup_in_the_folder(
    macbeth: tuple[Path, Database], tmp_path: Path
) -> None:
    path, db = macbeth
    before = dump_tables(db, ["people", "shows", "scripts", "elements"])
    db.dispose()
    downgrade(str(path), "0001")
    upgraded = open_database(str(path))
    upgraded.dispose()
    [made] = list_backups(path)
    assert (made.reason, made.detail) == (BEFORE_UPGRADE, "0001")
    contents = describe_backup(made.path)
    assert (contents.schema, contents.is_current_schema) == ("0001", False)
    assert any("earlier CallMaster" in line for line in contents.lines())
    copy = tmp_path / "old.sqlite"
    shutil.copyfile(made.path, copy)
    reopened = open_database(str(copy))  # an old backup is upgraded on open, after its own backup
    try:
        assert dump_tables(reopened, ["people", "shows", "scripts", "elements"]) == before
    finally:
        reopened.dispose()


def test_the_daily_backup_is_made_once_a_day(
    macbeth: tuple[Path, Database], tmp_path: Path
) -> None:
    path, db = macbeth
    first = backup_on_open(db, now=NOON)
    assert first is not None and first.reason == DAILY
    assert backup_on_open(db, now=NOON + timedelta(hours=3)) is None
    second = backup_on_open(db, now=NOON + timedelta(days=1))
    assert second is not None
    assert [b.path for b in list_backups(path)] == [second.path, first.path]

    empty = tmp_path / "empty.sqlite"
    open_database(str(empty)).dispose()
    assert backup_on_open(empty, now=NOON) is None, "a database holding nothing needs no backup"
    assert not backups_folder(empty).exists()


def test_a_server_database_is_backed_up_on_the_server(db: Database) -> None:
    if db.is_sqlite:
        assert create_backup(db).path.is_file()
        return
    assert backup_on_open(db) is None
    with pytest.raises(ServerBackupError, match=r"PostgreSQL server.*pg_dump"):
        create_backup(db)
    with pytest.raises(ServerBackupError, match="export-show"):
        restore(Path("anything.sqlite"), db)


def test_restore_brings_the_backup_back_and_keeps_the_file_as_it_was(
    macbeth: tuple[Path, Database], tmp_path: Path
) -> None:
    path, db = macbeth
    at_backup = dump_tables(db)
    made = create_backup(db)
    with db.reading() as session:
        show_id, owner_id = session.execute(select(Show.id, Show.owner_id)).one()
    delete_show(db, owner_id, show_id)
    changed = dump_tables(db)
    assert changed != at_backup
    db.dispose()

    result = restore(made.path, path)
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert result.safety_copy is not None and result.safety_copy.reason == BEFORE_RESTORE
    assert dump_file(result.safety_copy.path, tmp_path) == changed
    assert dump_file(path, tmp_path) == at_backup
    reopened = open_database(str(path))
    try:
        assert dump_tables(reopened) == at_backup
        assert check_database(reopened) == []
    finally:
        reopened.dispose()
    kinds = sorted(b.reason for b in list_backups(path))
    assert kinds == [BEFORE_RESTORE, MANUAL]


def test_restore_refuses_while_this_or_another_program_has_the_file_open(
    macbeth: tuple[Path, Database],
) -> None:
    path, db = macbeth
    made = create_backup(db)
    before = dump_tables(db)
    with pytest.raises(DatabaseBusyError, match="open in CallMaster or another program"):
        restore(made.path, path)  # this window still holds the file
    assert dump_tables(db) == before
    db.dispose()
    main_file = digest(path)
    hold_open = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('select count(*) from shows').fetchall(); print('open', flush=True); "
        "sys.stdin.read()"
    )
    idle = subprocess.Popen(
        [*python_code(hold_open), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert idle.stdout is not None and idle.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseBusyError):
            restore(made.path, path)  # another program holds it open, doing nothing
        assert digest(path) == main_file
    finally:
        idle.communicate("")
    assert [b.reason for b in list_backups(path)] == [MANUAL], "no safety copy was needed"
    restore(made.path, path)


def _wreck_a_middle_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'elements'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\x0d" + b"\xff" * (page_size - 1)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE props (name TEXT)")
    conn.commit()
    conn.close()


def _text_file(path: Path) -> None:
    path.write_text("Act 1 notes\n" * 500)


def _cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:8192])


BAD_BACKUPS: dict[str, tuple[Callable[[Path], None], type[Exception]]] = {
    "not a database": (_text_file, CorruptDatabaseError),
    "damaged inside": (_wreck_a_middle_page, CorruptDatabaseError),
    "cut short": (_cut_short, CorruptDatabaseError),
    "from a newer version": (_newer, NewerDatabaseError),
    "someone else's database": (_foreign, NotCallMasterDatabaseError),
}


@pytest.mark.parametrize("kind", list(BAD_BACKUPS))
def test_a_bad_backup_is_refused_and_nothing_changes(
    macbeth: tuple[Path, Database], kind: str
) -> None:
    path, db = macbeth
    made = create_backup(db)
    db.dispose()
    spoil, error = BAD_BACKUPS[kind]
    spoil(made.path)
    before, folder = digest(path), files_in(path.parent)
    with pytest.raises(error):
        restore(made.path, path)
    assert digest(path) == before
    assert files_in(path.parent) == folder
    assert [b.reason for b in list_backups(path)] == [MANUAL]


def test_a_backup_cannot_be_restored_over_itself(macbeth: tuple[Path, Database]) -> None:
    path, db = macbeth
    db.dispose()
    with pytest.raises(ValidationError, match="the database itself"):
        restore(path, path)


def test_restore_into_a_new_place_needs_no_safety_copy(
    macbeth: tuple[Path, Database], tmp_path: Path
) -> None:
    _, db = macbeth
    made = create_backup(db)
    target = tmp_path / "elsewhere" / "copy.sqlite"
    result = restore(made.path, target)
    assert result.safety_copy is None
    assert dump_file(target, tmp_path) == dump_tables(db)


def test_nothing_is_written_into_a_folder_that_cannot_be_written(
    macbeth: tuple[Path, Database],
) -> None:
    path, db = macbeth
    made = create_backup(db)
    db.dispose()
    folder = backups_folder(path)
    before = files_in(folder)
    with immutable(folder):
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
            create_backup(path)
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
            restore(made.path, path)  # the safety copy cannot be made: nothing is swapped
        assert files_in(folder) == before
    with immutable(path.parent), pytest.raises(ReadOnlyDatabaseError):
        restore(made.path, path)
    conn = sqlite3.connect(path)
    try:  # the refused restore put the file back in WAL mode, as it was
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    check = open_database(str(path))
    try:
        assert check_database(check) == []
    finally:
        check.dispose()

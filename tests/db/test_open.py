"""Opening databases: create, upgrade with a backup, refuse what is not ours."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from callmaster_desktop.db.migrate import (
    SchemaState,
    downgrade,
    head_revision,
    open_database,
    schema_state,
    upgrade,
)
from callmaster_desktop.errors import (
    CorruptDatabaseError,
    NewerDatabaseError,
    NotCallMasterDatabaseError,
)
from callmaster_desktop.startup import open_for_user


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_revision(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_first_open_creates_the_file_with_the_sample_show(tmp_path: Path) -> None:
    path = tmp_path / "new folder" / "callmaster.sqlite"
    opened = open_for_user(str(path))
    try:
        assert opened.created and opened.sample_loaded
        assert path.exists()
        assert schema_state(str(path)) == (SchemaState.CURRENT, head_revision())
    finally:
        opened.db.dispose()
    again = open_for_user(str(path))
    assert not again.created and not again.sample_loaded
    assert again.profile.id == opened.profile.id
    again.db.dispose()


def test_newer_database_is_refused_and_left_untouched(empty_url: str, tmp_path: Path) -> None:
    upgrade(empty_url)
    _set_revision(empty_url, "9999_from_the_future")
    before = _digest(tmp_path / "empty.sqlite") if empty_url.startswith("sqlite") else None
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_database(empty_url)
    if before is not None:
        assert _digest(tmp_path / "empty.sqlite") == before
    assert schema_state(empty_url) == (SchemaState.NEWER, "9999_from_the_future")


def test_older_database_is_backed_up_then_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    opened = open_for_user(url)
    opened.db.dispose()
    downgrade(url, "0001")
    assert schema_state(url) == (SchemaState.OLDER, "0001")
    before = _counts(path)
    db = open_database(url)
    db.dispose()
    backups = list((tmp_path / "old.backups").glob("old-*-before-upgrade-0001.sqlite"))
    assert len(backups) == 1
    assert schema_state(f"sqlite:///{backups[0]}") == (SchemaState.OLDER, "0001")
    assert schema_state(url) == (SchemaState.CURRENT, head_revision())
    assert _counts(path) == before
    assert _counts(backups[0]) == before


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("people", "shows", "scripts", "elements", "crew_assignments")
        }
    finally:
        conn.close()


def test_older_server_database_is_upgraded(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    assert schema_state(empty_url) == (SchemaState.OLDER, "0001")
    open_database(empty_url).dispose()
    assert schema_state(empty_url) == (SchemaState.CURRENT, head_revision())


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Act 1 notes: remember the haze\n" * 100)
    before = _digest(path)
    with pytest.raises(CorruptDatabaseError, match="not a database"):
        open_database(str(path))
    assert _digest(path) == before


def test_corrupt_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    upgrade(f"sqlite:///{path}")
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(CorruptDatabaseError):
        open_database(str(path))
    assert _digest(path) == before


def test_someone_elses_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inventory.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE props (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotCallMasterDatabaseError):
        open_database(str(path))
    assert _digest(path) == before

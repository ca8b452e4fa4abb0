"""``callmaster backup`` and ``callmaster restore``, and the daily backup of the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from support.safety import digest, files_in, immutable

from callmaster_desktop.cli import main
from callmaster_desktop.db.backup import DAILY, MANUAL, backups_folder, list_backups
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import Show
from callmaster_desktop.services.shows import delete_show


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "callmaster.sqlite"
    assert run(capsys, "demo", "--database", str(path))[0] == 0
    return path


def test_backup_list_and_backup_to_a_file(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert list_backups(demo) == [], "a database that held nothing needed no daily backup"
    code, out, _ = run(capsys, "backup", "--database", str(demo))
    assert code == 0
    [made] = list_backups(demo)
    assert made.reason == MANUAL
    assert f"Backed up {demo} to {made.path}: 1 show, 1 script," in out

    code, out, _ = run(capsys, "backup", "--list", "--database", str(demo))
    assert code == 0 and made.path.name in out and "backup made on request" in out

    elsewhere = tmp_path / "usb" / "macbeth-copy.sqlite"
    code, out, _ = run(capsys, "backup", "--to", str(elsewhere), "--database", str(demo))
    assert code == 0 and elsewhere.is_file()
    code, _, err = run(capsys, "backup", "--to", str(elsewhere), "--database", str(demo))
    assert code == 2 and "already exists" in err


def test_restore_shows_what_the_backup_holds_and_asks(
    demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "backup", "--database", str(demo))
    [made] = list_backups(demo)
    db = open_database(str(demo))
    with db.reading() as session:
        show_id, owner_id = session.execute(select(Show.id, Show.owner_id)).one()
    delete_show(db, owner_id, show_id)
    db.dispose()
    before = digest(demo)

    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, _ = run(capsys, "restore", made.path.name, "--database", str(demo))
    assert code == 1 and "Nothing was changed." in out
    assert 'Show "Macbeth"' in out and 'script "Tech Script"' in out
    assert digest(demo) == before

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer at all: no
    assert run(capsys, "restore", str(made.path), "--database", str(demo))[0] == 1

    code, out, _ = run(capsys, "restore", made.path.name, "--yes", "--database", str(demo))
    assert code == 0 and f"Restored {demo}" in out and "as it was is kept as" in out
    code, out, _ = run(capsys, "list", "shows", "--database", str(demo))
    assert '"Macbeth"' in out

    code, _, err = run(capsys, "restore", "no-such-backup.sqlite", "--database", str(demo))
    assert code == 2 and "There is no backup called no-such-backup.sqlite" in err


def test_opening_on_the_command_line_makes_the_days_backup(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "list", "shows", "--database", str(demo))[0] == 0
    assert [b.reason for b in list_backups(demo)] == [DAILY]
    assert run(capsys, "list", "venues", "--database", str(demo))[0] == 0
    assert len(list_backups(demo)) == 1, "once a day"


def test_a_backup_that_cannot_be_made_is_a_warning_not_a_failure(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = backups_folder(demo)
    folder.mkdir()
    with immutable(folder):
        code, out, err = run(capsys, "list", "shows", "--database", str(demo))
        assert code == 0 and '"Macbeth"' in out
        assert "warning: today's backup was not made" in err and "cannot be written" in err
        assert files_in(folder) == []


def test_backup_of_a_server_database_says_whose_job_it_is(
    db_url: str, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "backup", "--database", db_url)
    if backend == "sqlite":
        assert code == 0 and "Backed up" in out
        return
    assert code == 2
    assert "PostgreSQL server" in err and "pg_dump" in err and "export-show" in err
    code, _, err = run(capsys, "restore", "x.sqlite", "--database", db_url)
    assert code == 2 and "PostgreSQL server" in err

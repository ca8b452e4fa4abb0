"""The command line on both databases: init, demo, check, list, stats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from callmaster_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_demo_check_list(empty_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", "--database", empty_url)
    assert code == 0 and "Created" in out
    code, out, _ = run(capsys, "demo", "--database", empty_url)
    assert code == 0 and "Loaded the sample show" in out
    code, out, _ = run(capsys, "demo", "--database", empty_url)
    assert code == 0 and "already" in out
    code, out, _ = run(capsys, "check", "--database", empty_url)
    assert code == 0, out
    assert "no problems found" in out

    code, out, _ = run(capsys, "list", "shows", "--json", "--database", empty_url)
    shows = json.loads(out)
    assert [s["name"] for s in shows] == ["Macbeth"]
    assert shows[0]["venue"]

    code, out, _ = run(
        capsys, "list", "elements", "--show", "Macbeth", "--json", "--database", empty_url
    )
    elements = json.loads(out)
    assert len(elements) >= 150
    assert [e["sequence"] for e in elements] == list(range(1, len(elements) + 1))
    labels = {e["label"] for e in elements if e["label"]}
    assert any(label.startswith("LX ") and "." in label for label in labels)
    assert any(e["priority"] == "safety" for e in elements)
    assert any(e["offset_ms"] < 0 for e in elements)
    kinds = {e["element_type"] for e in elements}
    assert kinds == {"cue", "note", "group"}
    assert max(e["depth"] for e in elements) >= 1

    for kind, least in (("venues", 1), ("departments", 6), ("people", 11), ("scripts", 1)):
        code, out, _ = run(capsys, "list", kind, "--json", "--database", empty_url)
        assert code == 0
        assert len(json.loads(out)) >= least, kind


def test_another_user_sees_nothing_of_mine(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--database", db_url)
    code, out, _ = run(capsys, "list", "shows", "--user", "someone-else", "--database", db_url)
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(
        capsys, "list", "departments", "--user", "someone-else", "--database", db_url
    )
    assert json.loads(out) == []


def _execute(url: str, sql: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_check_names_each_broken_rule(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--database", db_url)
    # A gap in the sequence: push the last row one further.
    _execute(
        db_url,
        "UPDATE elements SET sequence = sequence + 1000 "
        "WHERE sequence = (SELECT max(sequence) FROM elements)",
    )
    # A guest without a manager.
    _execute(
        db_url,
        "INSERT INTO people (id, first_name, last_name, is_guest, created_at, "
        "updated_at) VALUES ('00000000000000000000000000000001', 'Lost', 'Guest', "
        "true, '2027-01-01', '2027-01-01')"
        if db_url.startswith("sqlite")
        else "INSERT INTO people (id, first_name, last_name, is_guest, created_at, updated_at) "
        "VALUES ('00000000-0000-0000-0000-000000000001', 'Lost', 'Guest', true, now(), now())",
    )
    code, out, _ = run(capsys, "check", "--database", db_url)
    assert code == 1
    assert "[sequence]" in out and "Macbeth" in out
    assert "[guest-without-manager] Guest Lost Guest is in nobody's crew" in out


def test_check_finds_a_group_split_apart(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--database", db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        # Swap the first child of a nested group with the row before its header.
        header = conn.execute(
            text(
                "SELECT g.sequence FROM elements g WHERE g.element_type = 'group' "
                "AND g.parent_id IS NOT NULL ORDER BY g.sequence LIMIT 1"
            )
        ).scalar_one()
        conn.execute(
            text("UPDATE elements SET sequence = -1 WHERE sequence = :s"), {"s": header - 1}
        )
        conn.execute(
            text("UPDATE elements SET sequence = :a WHERE sequence = :b"),
            {"a": header - 1, "b": header + 1},
        )
        conn.execute(
            text("UPDATE elements SET sequence = :b WHERE sequence = -1"), {"b": header + 1}
        )
    engine.dispose()
    code, out, _ = run(capsys, "check", "--database", db_url)
    assert code == 1
    assert "[group-contiguous]" in out


def test_check_with_stats(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--stats", "--database", db_url)
    assert code == 0
    assert "commits:" in out and "pool:" in out


def test_check_on_missing_database_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--database", str(tmp_path / "none.sqlite"))
    assert code == 2 and "callmaster init" in err


def test_environment_variable_and_entry_point(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    env = {"CALLMASTER_DATABASE_URL": url, "CALLMASTER_USER": "env-sm", "PATH": "/usr/bin:/bin"}
    for argv in (["init"], ["demo"], ["list", "scripts", "--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "callmaster_desktop.cli", *argv],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["name"] == "Tech Script"


def test_user_given_before_the_command_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    run(capsys, "--user", "alice", "demo", "--database", url)
    code, out, _ = run(capsys, "--user", "alice", "list", "shows", "--database", url)
    assert code == 0 and [s["name"] for s in json.loads(out)] == ["Macbeth"]
    code, out, _ = run(capsys, "--user", "bob", "list", "shows", "--database", url)
    assert code == 0 and json.loads(out) == []

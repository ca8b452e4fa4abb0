"""Show packages: export, import, compare everything, on SQLite, PostgreSQL and across them."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from support.atomicity import assert_all_or_nothing, hows
from support.faults import dump_tables

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CueCall,
    Department,
    Person,
    Run,
    RunHold,
    RunNote,
    Script,
    Show,
)
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import CallOutcome, ElementType, RunKind, RunStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.formats.package import (
    ImportMode,
    PackageConflictError,
    ShowAlreadyHereError,
    export_show,
    find_show_id,
)
from callmaster_desktop.formats.package_file import package_bytes, read_package
from callmaster_desktop.formats.package_import import import_show
from callmaster_desktop.profile import find_or_create_profile
from callmaster_desktop.sample import load_sample_show
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.services.scripts import duplicate_script

LAPTOP_LOGIN = "laptop-sm"
META = ("exported_at", "source", "history")


@pytest.fixture
def open_other(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], tuple[Database, Person]]]:
    """Opens more scratch databases, on either backend, each with a profile."""
    opened: list[tuple[Database, str | None]] = []

    def other(backend: str) -> tuple[Database, Person]:
        if backend == "sqlite":
            path = tmp_path / f"other-{len(opened)}.sqlite"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            url, drop = f"sqlite:///{path}", None
        else:
            pg = request.getfixturevalue("postgres_databases")
            url = pg.create(migrated=True)
            drop = url
        db = open_database(url)
        opened.append((db, drop))
        with db.unit_of_work() as session:
            person = find_or_create_profile(session, LAPTOP_LOGIN)
        return db, person

    yield other
    for db, drop in opened:
        db.dispose()
        if drop is not None:
            request.getfixturevalue("postgres_databases").drop(drop)


def _content(package: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in package.items() if k not in META}


def _without_ids(package: dict[str, Any]) -> Any:
    """The package with every id replaced by its order of first appearance."""
    text = json.dumps(_content(package), sort_keys=True)
    names: dict[str, str] = {}
    pattern = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    return json.loads(re.sub(pattern, lambda m: names.setdefault(m[0], f"id{len(names)}"), text))


def _rich_show(db: Database, owner: Person) -> uuid.UUID:
    """The sample show with a second script, a saved edit, and a run with holds and calls."""
    with db.unit_of_work() as session:
        show_id = load_sample_show(session, owner).id
    script_id = _script(db, show_id, "Tech Script")
    duplicate_script(db, owner.id, script_id, name="Backup")
    _edit(db, owner, script_id, "Fog check", "Saved on the server")
    _run(db, owner, show_id, script_id)
    return show_id


def _script(db: Database, show_id: uuid.UUID, name: str) -> uuid.UUID:
    with db.reading() as session:
        return session.scalars(
            select(Script.id).where(Script.show_id == show_id, Script.name == name)
        ).one()


def _edit(db: Database, owner: Person, script_id: uuid.UUID, note: str, step: str) -> None:
    with db.unit_of_work() as session:
        version = session.scalar(select(Script.version).where(Script.id == script_id))
        assert version is not None
        rows = read_elements(session, script_id)
        rows.append(ElementData(ElementType.NOTE, name=note, offset_ms=rows[-1].offset_ms))
        write_script_state(session, script_id, version, rows, author_id=owner.id, steps=[step])


def _run(db: Database, owner: Person, show_id: uuid.UUID, script_id: uuid.UUID) -> uuid.UUID:
    start = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)
    run_id = uuid.uuid4()
    with db.unit_of_work() as session:
        cues = [e for e in read_elements(session, script_id) if e.cue_number][:3]
        session.execute(
            insert(Run).values(
                id=run_id,
                show_id=show_id,
                script_id=script_id,
                kind=RunKind.REHEARSAL,
                status=RunStatus.COMPLETE,
                caller_id=owner.id,
                started_at=start,
                ended_at=start.replace(hour=22),
                total_hold_ms=65_000,
                notes="Dress 1",
            )
        )
        session.execute(
            insert(RunHold).values(
                id=uuid.uuid4(),
                run_id=run_id,
                started_at=start.replace(minute=45),
                show_offset_ms=900_000,
                length_ms=65_000,
                reason="Latecomers",
            )
        )
        session.execute(
            insert(CueCall),
            [
                {
                    "id": uuid.uuid4(),
                    "run_id": run_id,
                    "element_id": e.id,
                    "cue_label": f"Q{i} ({e.cue_number})",
                    "planned_offset_ms": e.offset_ms,
                    "actual_offset_ms": e.offset_ms + 1200,
                    "called_at": start,
                    "outcome": CallOutcome.CALLED if i else CallOutcome.SKIPPED,
                    "note": None,
                }
                for i, e in enumerate(cues)
            ],
        )
        session.execute(
            insert(RunNote),
            [
                {"id": uuid.uuid4(), "run_id": run_id, "element_id": cues[0].id,
                 "cue_label": "Q0", "show_offset_ms": 1_000, "noted_at": start,
                 "text": "Late on the cue light"},
                {"id": uuid.uuid4(), "run_id": run_id, "element_id": None, "cue_label": None,
                 "show_offset_ms": None, "noted_at": start.replace(minute=20),
                 "text": "House opened late"},
            ],
        )  # fmt: skip
    return run_id


def _export(db: Database, owner: Person, name: str = "Macbeth") -> dict[str, Any]:
    with db.reading() as session:
        show_id = find_show_id(session, owner.id, name)
    return export_show(db, owner.id, show_id)


def test_a_show_round_trips_through_a_package(
    db: Database, owner: Person, backend: str, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    _rich_show(db, owner)
    first = _export(db, owner)
    assert len(first["scripts"]) == 2 and len(first["runs"]) == 1
    assert first["runs"][0]["caller"] == "owner"
    assert len(first["runs"][0]["holds"]) == 1 and len(first["runs"][0]["calls"]) == 3
    assert [n["text"] for n in first["runs"][0]["caller_notes"]] == [
        "House opened late",
        "Late on the cue light",
    ]
    assert [len(s["revisions"]) for s in first["scripts"]] == [1, 0]
    assert first["venue"]["name"] and len(first["departments"]) == 8
    assert len(first["people"]) >= 11 and len(first["assignments"]) >= 11
    other, laptop = open_other(backend)
    result = import_show(other, laptop.id, read_package(package_bytes(first)), ImportMode.NEW)
    assert result.sentence.startswith('Imported "Macbeth": 2 scripts written')
    second = _export(other, laptop)
    assert _content(second) == _content(first)
    assert second["history"] == first["history"]


@pytest.mark.postgres
def test_sqlite_to_postgres_and_back(
    tmp_path: Path, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    laptop_db, laptop = open_other("sqlite")
    _rich_show(laptop_db, laptop)
    first = _export(laptop_db, laptop)
    server, server_sm = open_other("postgres")
    import_show(server, server_sm.id, first, ImportMode.NEW)
    second = _export(server, server_sm)
    back, back_sm = open_other("sqlite")
    zipped = tmp_path / "macbeth.zip"
    zipped.write_bytes(package_bytes(second, zipped=True))
    import_show(back, back_sm.id, read_package(zipped.read_bytes()), ImportMode.NEW)
    third = _export(back, back_sm)
    assert _content(first) == _content(second) == _content(third)


def test_to_the_laptop_and_back_with_updates(
    db: Database, owner: Person, backend: str, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    show_id = _rich_show(db, owner)
    laptop_db, laptop = open_other(backend)
    import_show(laptop_db, laptop.id, _export(db, owner), ImportMode.NEW)
    tech = _script(db, show_id, "Tech Script")
    # Offline rehearsal: two saves, a new run, the show's notes and crew changed.
    _edit(laptop_db, laptop, tech, "Laptop note 1", "First laptop save")
    _edit(laptop_db, laptop, tech, "Laptop note 2", "Second laptop save")
    _run(laptop_db, laptop, show_id, tech)
    with laptop_db.unit_of_work() as session:
        session.execute(update(Show).where(Show.id == show_id).values(notes="Rehearsed offline"))
        session.execute(
            update(CrewAssignment).where(CrewAssignment.show_id == show_id).values(role="Crew")
        )
    from_laptop = _export(laptop_db, laptop)
    result = import_show(db, owner.id, from_laptop, ImportMode.UPDATE)
    assert result.sentence == (
        'Updated "Macbeth": 1 script written, 1 script left as it is here, 1 run record added.'
    )
    assert _content(_export(db, owner)) == _content(from_laptop)
    # A second round: the laptop continues from where it was; the server took its state.
    _edit(laptop_db, laptop, tech, "Laptop note 3", "Third laptop save")
    again = _export(laptop_db, laptop)
    import_show(db, owner.id, again, ImportMode.UPDATE)
    assert _content(_export(db, owner)) == _content(again)
    # The other way: the server's state updates the laptop.
    _edit(db, owner, tech, "Server note", "Saved on the server again")
    import_show(laptop_db, laptop.id, _export(db, owner), ImportMode.UPDATE)
    assert _content(_export(laptop_db, laptop)) == _content(_export(db, owner))


def test_changes_on_both_sides_are_refused_naming_each_conflict(
    db: Database, owner: Person, backend: str, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    show_id = _rich_show(db, owner)
    laptop_db, laptop = open_other(backend)
    import_show(laptop_db, laptop.id, _export(db, owner), ImportMode.NEW)
    tech = _script(db, show_id, "Tech Script")
    _edit(laptop_db, laptop, tech, "Laptop note", "Laptop save")
    _edit(db, owner, tech, "Server note", "Server save")
    for where, notes in ((db, "Changed on the server"), (laptop_db, "Changed on the laptop")):
        with where.unit_of_work() as session:
            session.execute(update(Show).where(Show.id == show_id).values(notes=notes))
    before = dump_tables(db)
    with pytest.raises(PackageConflictError) as refused:
        import_show(db, owner.id, _export(laptop_db, laptop), ImportMode.UPDATE)
    assert refused.value.conflicts[0] == (
        "The show's details, venue or crew were changed here after the package was made."
    )
    assert refused.value.conflicts[1].startswith('The script "Tech Script" was saved here by ')
    assert "(version 3) after the package was made." in refused.value.conflicts[1]
    assert str(refused.value).startswith('"Macbeth" was not updated: it was changed here')
    after = dump_tables(db)
    # Only the record of what was exported changed (the owner's preferences).
    assert {k: v for k, v in after.items() if k != "user_preferences"} == {
        k: v for k, v in before.items() if k != "user_preferences"
    }
    # A copy keeps both.
    copy = import_show(db, owner.id, _export(laptop_db, laptop), ImportMode.COPY)
    assert copy.show_name == "Macbeth (copy)" and copy.show_id != show_id
    copied = _export(db, owner, "Macbeth (copy)")
    copied["show"]["name"] = "Macbeth"
    assert _without_ids(copied) == _without_ids(_export(laptop_db, laptop))


def test_a_script_newer_here_stays_and_new_runs_still_come_in(
    db: Database, owner: Person, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    show_id = _rich_show(db, owner)
    laptop_db, laptop = open_other("sqlite")
    import_show(laptop_db, laptop.id, _export(db, owner), ImportMode.NEW)
    tech = _script(db, show_id, "Tech Script")
    _edit(db, owner, tech, "Server note", "Server save")
    run_id = _run(laptop_db, laptop, show_id, tech)
    result = import_show(db, owner.id, _export(laptop_db, laptop), ImportMode.UPDATE)
    assert "0 scripts written, 2 scripts left as they are here, 1 run record added" in (
        result.sentence
    )
    with db.reading() as session:
        assert session.get(Run, run_id) is not None
        names = [e.name for e in read_elements(session, tech)]
    assert names[-1] == "Server note"


def test_importing_refuses_what_it_cannot_do(
    db: Database, owner: Person, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    _rich_show(db, owner)
    package = _export(db, owner)
    with db.unit_of_work() as session:
        someone = find_or_create_profile(session, "someone-else")
    before = dump_tables(db)
    with pytest.raises(ShowAlreadyHereError, match="Import the package as a copy, or update"):
        import_show(db, owner.id, package, ImportMode.NEW)
    laptop_db, laptop = open_other("sqlite")
    with pytest.raises(NotFoundError, match="not in this database to update"):
        import_show(laptop_db, laptop.id, package, ImportMode.UPDATE)
    with laptop_db.unit_of_work() as session:
        session.execute(insert(Show).values(id=uuid.uuid4(), owner_id=laptop.id, name="MACBETH"))
    with pytest.raises(ValidationError, match='already have a show called "Macbeth"'):
        import_show(laptop_db, laptop.id, package, ImportMode.NEW)
    with pytest.raises(ValidationError, match="belongs to someone else"):
        import_show(db, someone.id, package, ImportMode.NEW)
    for bad in (b"{}", b"not json", b'{"format": "callmaster-show-package", "version": 9}'):
        with pytest.raises(ValidationError, match=r"show package|newer CallMaster"):
            read_package(bad)
    assert dump_tables(db) == before


def _tiny_show(db: Database, owner: Person) -> uuid.UUID:
    show_id, script_id, lx = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with db.unit_of_work() as session:
        session.execute(
            insert(Department).values(id=lx, owner_id=owner.id, name="Lighting", initials="LX")
        )
        session.execute(insert(Show).values(id=show_id, owner_id=owner.id, name="Tiny"))
        session.execute(insert(Script).values(id=script_id, show_id=show_id, name="Draft"))
        write_script_state(
            session,
            script_id,
            1,
            [
                ElementData(ElementType.CUE, name="Go", department_id=lx, cue_number="1"),
            ],
            author_id=owner.id,
            steps=["One cue"],
        )
    return show_id


def test_a_package_import_is_all_or_nothing_at_every_statement(
    db: Database, owner: Person, backend: str, open_other: Callable[[str], tuple[Database, Person]]
) -> None:
    source, source_sm = open_other(backend)
    package = export_show(source, source_sm.id, _tiny_show(source, source_sm))
    for how in hows(backend):
        proof = assert_all_or_nothing(
            db, lambda: import_show(db, owner.id, package, ImportMode.COPY), how=how
        )
        assert proof.statements >= 10


def test_command_line_export_and_import(
    db_url: str,
    db: Database,
    owner: Person,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _rich_show(db, owner)
    out = tmp_path / "macbeth.cmshow"
    code = main(["export-show", "--show", "macbeth", "-o", str(out), "--database", db_url])
    assert code == 0
    assert capsys.readouterr().out.startswith(f'Wrote {out}: "Macbeth": 2 scripts, 431 rows')
    laptop = tmp_path / "laptop.sqlite"
    code = main(["import-show", str(out), "--database", str(laptop)])
    assert code == 0
    assert capsys.readouterr().out.startswith('Imported "Macbeth": 2 scripts written')
    code = main(["import-show", str(out), "--database", str(laptop)])
    assert code == 2
    assert "already in this database" in capsys.readouterr().err
    code = main(["import-show", str(out), "--as-copy", "--database", str(laptop)])
    assert code == 0 and "Macbeth (copy)" in capsys.readouterr().out
    code = main(["import-show", str(out), "--update", "--database", str(laptop)])
    assert code == 0 and capsys.readouterr().out.startswith('Updated "Macbeth": 0 scripts')
    tech = _script(db, find_show_id_of(db, owner), "Tech Script")
    _edit(db, owner, tech, "Server note", "Server save")
    laptop_db = open_database(str(laptop))
    with laptop_db.unit_of_work() as session:
        me = find_or_create_profile(session, "test-sm")
    _edit(laptop_db, me, tech, "Laptop note", "Laptop save")
    laptop_db.dispose()
    main(["export-show", "--show", "Macbeth", "-o", str(out), "--database", str(laptop)])
    capsys.readouterr()
    code = main(["import-show", str(out), "--update", "--database", db_url])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[1].startswith('  The script "Tech Script" was saved here')
    code = main(["import-show", str(tmp_path / "missing.cmshow"), "--database", db_url])
    assert code == 2 and "cannot be read" in capsys.readouterr().err


def find_show_id_of(db: Database, owner: Person) -> uuid.UUID:
    with db.reading() as session:
        return find_show_id(session, owner.id, "Macbeth")

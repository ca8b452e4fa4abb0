"""Importing spreadsheets into a show, on SQLite and PostgreSQL: all rows or none."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import dump_tables

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import (
    Department,
    Person,
    Script,
    ScriptRevision,
    Show,
    UserPreferences,
)
from callmaster_desktop.domain.enums import ElementType, Priority, ScriptStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.formats.csv_departments import (
    MatchHow,
    owner_departments,
    suggest_departments,
)
from callmaster_desktop.formats.csv_detect import read_table, read_table_file
from callmaster_desktop.formats.csv_import import (
    ImportRefusedError,
    apply_import,
    build_preview,
    import_csv,
    prepare,
)
from callmaster_desktop.formats.csv_mapping import Field, read_remembered
from callmaster_desktop.sample import load_sample_show
from callmaster_desktop.services.scripts import load_script

DATA = Path(__file__).resolve().parent.parent / "data"
TEST_LOGIN = "test-sm"


@pytest.fixture
def show_id(db: Database, owner: Person) -> uuid.UUID:
    with db.unit_of_work() as session:
        return load_sample_show(session, owner).id


def _script_named(db: Database, show_id: uuid.UUID, name: str) -> uuid.UUID:
    with db.reading() as session:
        found = session.scalars(
            select(Script.id).where(Script.show_id == show_id, Script.name == name)
        ).one()
    return found


def test_a_messy_file_imports_as_a_new_script(
    db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    data = (DATA / "good_bom_crlf.csv").read_bytes()
    result = import_csv(db, owner.id, data, show_name="macbeth", source_name="cues.csv")
    assert result.script_name == "cues" and result.rows == 13
    loaded = load_script(db, owner.id, result.script_id)
    assert loaded.status is ScriptStatus.IMPORTED
    assert loaded.version == 2  # created, then the one save of every row
    by_name = {e.name: e for e in loaded.elements}
    labels = {d.id: d.initials for d in loaded.departments.values()}
    assert labels[by_name["Rain bed"].department_id] == "SQ"  # "Audio"
    assert labels[by_name["Preset"].department_id] == "LX"  # "Lights"
    assert by_name["House opens"].offset_ms == -1_800_000
    assert by_name["Final fade"].offset_ms == 47_100_000
    assert by_name["Witches' special"].priority is Priority.SAFETY
    assert by_name["Thunder"].parent_id == by_name["Scene 1"].id
    assert by_name["Scene 1"].parent_id == by_name["Act 1"].id
    assert [e.cue_number for e in loaded.elements if labels.get(e.department_id) == "LX"] == [
        "0.5",
        "1",
        "1.5",
        "2",
        "3",
    ]
    with db.reading() as session:
        summaries = session.scalars(
            select(ScriptRevision.summary).where(ScriptRevision.script_id == result.script_id)
        ).all()
    assert summaries == ["Import 13 rows from cues.csv"]


def test_a_file_with_problems_is_refused_and_nothing_is_written(
    db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    before = dump_tables(db)
    with pytest.raises(ImportRefusedError) as refused:
        import_csv(db, owner.id, (DATA / "problems.csv").read_bytes(), show_name="Macbeth")
    assert len(refused.value.problems) == 12
    assert str(refused.value).startswith(
        'The file was not imported: 12 problem(s). Row 3, Time: cannot read "0:75"'
    )
    assert dump_tables(db) == before


def test_unknown_departments_are_created_only_on_request_in_the_same_transaction(
    db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    data = b"Time,Dept,Name\n0:01,Catering,Tea urn\n0:02,Pyro,Flash\n"
    before = dump_tables(db)
    with pytest.raises(ImportRefusedError, match='"Catering" is not one of your departments'):
        import_csv(db, owner.id, data, show_name="Macbeth", script_name="Tea")
    assert dump_tables(db) == before
    result = import_csv(
        db, owner.id, data, show_name="Macbeth", script_name="Tea", create_departments=True
    )
    assert [(d.name, d.initials) for d in result.created_departments] == [("Catering", "CAT")]
    loaded = load_script(db, owner.id, result.script_id)
    assert sorted(d.initials for d in loaded.departments.values()) == ["CAT", "SFX"]


def test_choices_are_remembered_for_next_time(
    db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    table = read_table_file(DATA / "semicolon_cp1252.csv")
    columns, _, preview = prepare(db, owner.id, table)
    assert columns[1] is None and columns[2] is None  # "Département", "Temps"
    assert not preview.ok
    # The stage manager says which column is which and sends "Son" to Sound.
    columns[1], columns[2] = Field.DEPARTMENT, Field.TIME
    with db.reading() as session:
        mine = {d.initials: d for d in owner_departments(session, owner.id)}
    choices = suggest_departments(table, columns, list(mine.values()))
    assert choices["son"].match.how is MatchHow.NONE
    choices["son"] = choices["son"].using(mine["SQ"])
    preview = build_preview(table, columns, choices)
    assert preview.ok, preview.problems
    result = apply_import(
        db, owner.id, show_id, "Version française", preview, source_name="semicolon_cp1252.csv"
    )
    loaded = load_script(db, owner.id, result.script_id)
    assert [e.name for e in loaded.elements] == [
        "Acte 1",
        "Lumière générale",
        "Fondu",
        "Musique d'entrée",
    ]
    assert loaded.elements[1].notes == "Café scene – warm"
    with db.reading() as session:
        remembered = read_remembered(session, owner.id)
        extra = session.scalar(
            select(UserPreferences.extra).where(UserPreferences.person_id == owner.id)
        )
    assert remembered.columns == {"département": Field.DEPARTMENT, "temps": Field.TIME}
    assert remembered.departments["son"] == mine["SQ"].id
    assert extra is not None and set(extra["csv_import"]) == {"columns", "departments"}
    # Next time the same file maps itself.
    columns, choices, preview = prepare(db, owner.id, table)
    assert columns[1] is Field.DEPARTMENT and columns[2] is Field.TIME
    assert choices["son"].match.how is MatchHow.REMEMBERED
    assert preview.ok


def test_the_script_name_must_be_new_in_the_show_and_the_show_must_be_yours(
    db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    data = b"Time,Dept,Name\n0:01,LX,Go\n"
    before = dump_tables(db)
    with pytest.raises(ValidationError, match='already has a script called "Tech Script"'):
        import_csv(db, owner.id, data, show_name="Macbeth", script_name="tech script")
    with pytest.raises(NotFoundError, match='no show called "Hamlet"'):
        import_csv(db, owner.id, data, show_name="Hamlet")
    _, _, preview = prepare(db, owner.id, read_table(data))
    with pytest.raises(NotFoundError):
        apply_import(db, uuid.uuid4(), show_id, "Stolen", preview)
    with pytest.raises(ValidationError, match="no rows"):
        apply_import(db, owner.id, show_id, "Empty", replace(preview, elements=[]))
    assert dump_tables(db) == before


def test_a_department_that_would_duplicate_one_is_refused(
    db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    data = b"Time,Dept,Name\n0:01,Catering,Tea\n"
    table = read_table(data)
    columns, choices, _ = prepare(db, owner.id, table, create_departments=True)
    new = choices["catering"].department
    assert new is not None
    clash = choices["catering"].creating(replace(new, initials="LX"))
    preview = build_preview(table, columns, {"catering": clash})
    before = dump_tables(db)
    with pytest.raises(ValidationError, match="already have a department with the initials LX"):
        apply_import(db, owner.id, show_id, "Tea", preview)
    bad = choices["catering"].creating(replace(new, initials="TOOLONG"))
    with pytest.raises(ValidationError, match="initials of 1 to 5 letters"):
        apply_import(db, owner.id, show_id, "Tea", build_preview(table, columns, {"catering": bad}))
    assert dump_tables(db) == before


def test_import_is_all_or_nothing_at_every_statement(
    db: Database, owner: Person, show_id: uuid.UUID, backend: str
) -> None:
    table = read_table(b"Time,Dept,Name,Group\n0:01,Catering,Tea,Act 1\n0:02,LX,Go,Act 1\n")
    _, _, preview = prepare(db, owner.id, table, create_departments=True)
    names = iter(f"Attempt {n}" for n in range(1000))
    for how in hows(backend):
        proof = assert_all_or_nothing(
            db, lambda: apply_import(db, owner.id, show_id, next(names), preview), how=how
        )
        assert proof.statements >= 5
        with db.unit_of_work() as session:  # start again from no new department
            session.execute(Script.__table__.delete().where(Script.status == "imported"))
            session.execute(Department.__table__.delete().where(Department.name == "Catering"))


def test_the_other_files_import(db: Database, owner: Person, show_id: uuid.UUID) -> None:
    tab = import_csv(
        db,
        owner.id,
        (DATA / "tab_separated.tsv").read_bytes(),
        show_name="Macbeth",
        source_name="tab_separated.tsv",
    )
    loaded = load_script(db, owner.id, tab.script_id)
    assert [e.element_type for e in loaded.elements] == [
        ElementType.GROUP,
        ElementType.CUE,
        ElementType.CUE,
        ElementType.NOTE,
        ElementType.CUE,
    ]
    assert {d.initials for d in loaded.departments.values()} == {"FLY", "VID"}
    utf16 = import_csv(
        db,
        owner.id,
        (DATA / "unicode_text_utf16.txt").read_bytes(),
        show_name="Macbeth",
        source_name="unicode_text_utf16.txt",
    )
    assert utf16.rows == 2


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_import(
    db_url: str,
    db: Database,
    owner: Person,
    show_id: uuid.UUID,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = dump_tables(db)
    code, out, err = run(
        capsys, "import-csv", str(DATA / "problems.csv"), "--show", "Macbeth", "--database", db_url
    )
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "problems.csv was not imported: 12 problem(s)."
    assert lines[1].startswith('  Row 3, Time: cannot read "0:75" as a time')
    assert '  Row 6, Department: "Catering" is not one of your departments' in err
    assert "  Row 15, Name: a group needs a name (such as Act 1)" in lines
    assert lines[-1] == "Nothing was written."
    assert dump_tables(db) == before
    code, out, _ = run(
        capsys,
        "import-csv",
        str(DATA / "good_bom_crlf.csv"),
        "--show",
        "Macbeth",
        "--script",
        "From Excel",
        "--database",
        db_url,
    )
    assert code == 0 and out == 'Imported 13 rows into "From Excel" of Macbeth.\n'
    code, out, _ = run(
        capsys,
        "import-csv",
        str(DATA / "problems.csv"),
        "--show",
        "Macbeth",
        "--create-departments",
        "--script",
        "Still bad",
        "--database",
        db_url,
    )
    assert code == 1
    code, _, err = run(
        capsys, "import-csv", str(DATA / "nothing.csv"), "--show", "Macbeth", "--database", db_url
    )
    assert code == 2 and "cannot be read" in err
    code, _, err = run(
        capsys,
        "import-csv",
        str(DATA / "tab_separated.tsv"),
        "--show",
        "Hamlet",
        "--database",
        db_url,
    )
    assert code == 2 and 'no show called "Hamlet"' in err
    assert _script_named(db, show_id, "From Excel")
    with db.reading() as session:
        assert session.scalar(select(Show.name).where(Show.id == show_id)) == "Macbeth"

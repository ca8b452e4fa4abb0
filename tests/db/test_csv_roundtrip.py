"""Export then import gives back the same script: hypothesis-made scripts, both backends."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Person, Script, Show
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.errors import NotFoundError
from callmaster_desktop.formats.csv_detect import read_table
from callmaster_desktop.formats.csv_export import (
    HEADERS,
    csv_bytes,
    export_named_script_csv,
    export_script_csv,
)
from callmaster_desktop.formats.csv_import import import_csv
from callmaster_desktop.sample import load_sample_show
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import create_script, load_script

INITIALS = ("LX", "SQ", "FLY")
# Any printable text, with what trips spreadsheets up: formula starts, quotes, separators,
# slashes (group paths), line breaks and tabs. No NUL (PostgreSQL refuses it in text) and
# no carriage return (a line break inside a note comes back as \n).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(["\n", "\t", "=", "-", "+", "@", "'", '"', ",", ";", "/", "\\", " "]),
    max_size=24,
)
NAMED = TEXT.filter(lambda s: bool(s.strip()))
COLOUR = st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)


@st.composite
def script_rows(draw: st.DrawFn, departments: dict[str, uuid.UUID]) -> list[ElementData]:
    """A script in sequence order: nested groups (up to three deep), cues and notes."""
    rows: list[ElementData] = []
    open_groups: list[uuid.UUID] = []
    counters = dict.fromkeys(INITIALS, 0)
    for _ in range(draw(st.integers(0, 30))):
        open_groups = open_groups[: draw(st.integers(0, len(open_groups)))]
        parent = open_groups[-1] if open_groups else None
        kind = draw(st.sampled_from(ElementType))
        if kind is ElementType.GROUP and len(open_groups) >= 3:
            kind = ElementType.NOTE
        name = draw(NAMED if kind is ElementType.GROUP else TEXT)
        notes = draw(st.none() | TEXT)
        if kind is not ElementType.GROUP and not name.strip() and not (notes or "").strip():
            name = "Go"
        department = number = None
        if kind is ElementType.CUE:
            initials = draw(st.sampled_from(INITIALS))
            counters[initials] += 1
            pattern = draw(st.sampled_from(["{n}", "{n}.5", "{n}A", "{n}.25"]))
            number = pattern.format(n=counters[initials])
            department = departments[initials]
        e = ElementData(
            element_type=kind,
            name=name,
            offset_ms=draw(st.integers(-36_000_000, 200_000_000)),
            parent_id=parent,
            department_id=department,
            cue_number=number,
            notes=notes,
            duration_ms=draw(st.none() | st.integers(0, 40_000_000)),
            priority=draw(st.sampled_from(Priority)),
            location=draw(st.none() | TEXT),
            color=draw(st.none() | COLOUR),
            fires_together=kind is ElementType.GROUP and draw(st.booleans()),
        )
        rows.append(e)
        if kind is ElementType.GROUP:
            open_groups.append(e.id)
    return rows


def _shape(elements: list[ElementData]) -> list[tuple[object, ...]]:
    """Every field of every row, with group links as positions instead of ids."""
    position = {e.id: i for i, e in enumerate(elements)}
    return [
        (
            *(v for k, v in e.as_dict().items() if k not in ("id", "parent_id")),
            position.get(e.parent_id) if e.parent_id else None,
        )
        for e in elements
    ]


@pytest.fixture
def setup(db: Database, owner: Person) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    show_id = uuid.uuid4()
    departments = {i: uuid.uuid4() for i in INITIALS}
    with db.unit_of_work() as session:
        session.execute(insert(Show).values(id=show_id, owner_id=owner.id, name="Round Trip"))
        session.execute(
            insert(Department),
            [
                {"id": d, "owner_id": owner.id, "name": f"Dept {i}", "initials": i}
                for i, d in departments.items()
            ],
        )
    return show_id, departments


def test_generated_scripts_survive_export_and_import(
    db: Database, owner: Person, setup: tuple[uuid.UUID, dict[str, uuid.UUID]], backend: str
) -> None:
    show_id, departments = setup
    examples = 40 if backend == "sqlite" else 20

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(rows=script_rows(departments))
    def round_trip(rows: list[ElementData]) -> None:
        name = f"Original {uuid.uuid4().hex[:8]}"
        script_id = create_script(db, owner.id, show_id, name).created_id(Kind.SCRIPT)
        with db.unit_of_work() as session:
            write_script_state(session, script_id, 1, rows, author_id=owner.id, steps=["Made"])
        original = load_script(db, owner.id, script_id).elements
        text = export_script_csv(db, owner.id, script_id)
        if not original:
            assert read_table(csv_bytes(text)).rows == []
            return
        result = import_csv(
            db, owner.id, csv_bytes(text), show_name="Round Trip", script_name=f"Back {name}"
        )
        back = load_script(db, owner.id, result.script_id).elements
        assert _shape(back) == _shape(original)

    round_trip()


def test_the_sample_show_survives_and_cells_are_guarded(
    db: Database,
    owner: Person,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    tmp_path: Path,
) -> None:
    with db.unit_of_work() as session:
        load_sample_show(session, owner)
    text = export_named_script_csv(db, owner.id, "Macbeth", "Tech Script")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADERS
    assert rows[1][:2] == ["'-0:45:00", "Group"]  # a pre-show time, guarded
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    result = import_csv(db, owner.id, csv_bytes(text), show_name="Macbeth", script_name="Back")
    with db.reading() as session:
        original_id = session.scalars(select(Show.id).where(Show.name == "Macbeth")).one()
    assert original_id == result.show_id
    original = next(s for s in _sample_scripts(db, owner) if s != result.script_id)
    assert _shape(load_script(db, owner.id, result.script_id).elements) == _shape(
        load_script(db, owner.id, original).elements
    )
    # The command line writes the same file, and a department's part of it.
    out = tmp_path / "lx.csv"
    argv = ["export-csv", "--show", "Macbeth", "--script", "Tech Script", "--database", db_url]
    assert main(argv) == 0
    assert capsys.readouterr().out == text
    lx = export_named_script_csv(db, owner.id, "Macbeth", "Tech Script", departments=["lx"])
    lx_rows = list(csv.reader(io.StringIO(lx)))[1:]
    assert {r[3] for r in lx_rows if r[1] == "Cue"} == {"LX"}
    assert any(r[1] == "Group" for r in lx_rows) and any(r[1] == "Note" for r in lx_rows)
    assert len(lx_rows) < len(rows) - 1
    assert main([*argv, "--department", "LX", "-o", str(out)]) == 0
    assert out.read_bytes() == csv_bytes(lx)
    assert capsys.readouterr().out == f"Wrote {out}.\n"
    with pytest.raises(NotFoundError, match="no department with the initials ZZ"):
        export_named_script_csv(db, owner.id, "Macbeth", "Tech Script", departments=["ZZ"])
    with pytest.raises(NotFoundError, match='has no script called "Nope"'):
        export_named_script_csv(db, owner.id, "Macbeth", "Nope")


def _sample_scripts(db: Database, owner: Person) -> list[uuid.UUID]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(Script.id)
                .join(Show, Show.id == Script.show_id)
                .where(Show.owner_id == owner.id)
            )
        )

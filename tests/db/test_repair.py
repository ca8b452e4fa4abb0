"""Safe repairs, on SQLite and PostgreSQL: each one transaction, each reported."""

from __future__ import annotations

import itertools
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update
from support.atomicity import assert_all_or_nothing, hows
from support.faults import count_statements, dump_tables
from support.safety import digest
from support.script_builder import Built, make_script

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CrewRelationship,
    Department,
    Element,
    Person,
    ScriptRevision,
    Show,
)
from callmaster_desktop.db.repair import (
    attach_lost_guests,
    repair_database,
    repair_script_order,
)
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.errors import ConflictError, CorruptDatabaseError
from callmaster_desktop.profile import find_or_create_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.services.scripts import load_script
from callmaster_desktop.startup import open_for_user


def stored(db: Database, script_id: uuid.UUID) -> tuple[list[uuid.UUID], list[int]]:
    with db.reading() as s:
        rows = s.execute(
            select(Element.id, Element.sequence)
            .where(Element.script_id == script_id)
            .order_by(Element.sequence)
        ).all()
    return [r.id for r in rows], [r.sequence for r in rows]


def spread_out(db: Database, script_id: uuid.UUID) -> None:
    """Leave gaps in the numbering: 15, 25, 35... (in two steps: each row stays unique)."""
    with db.unit_of_work() as s:
        where = Element.script_id == script_id
        s.execute(update(Element).where(where).values(sequence=-Element.sequence))
        s.execute(update(Element).where(where).values(sequence=-Element.sequence * 10 + 5))


def send_to_the_end(db: Database, element_id: uuid.UUID) -> None:
    with db.unit_of_work() as s:
        script_id = s.scalar(select(Element.script_id).where(Element.id == element_id))
        end = s.scalar(
            select(Element.sequence)
            .where(Element.script_id == script_id)
            .order_by(Element.sequence.desc())
            .limit(1)
        )
        s.execute(update(Element).where(Element.id == element_id).values(sequence=end + 7))


def last_child_of_a_scene(built: Built) -> uuid.UUID:
    rows = built.elements
    groups = {e.id for e in rows if e.element_type is ElementType.GROUP}
    for here, after in itertools.pairwise(rows):
        parent = here.parent_id
        if parent in groups and here.element_type is not ElementType.GROUP:
            grandparent = next(e.parent_id for e in rows if e.id == parent)
            if grandparent is not None and after.parent_id != parent:
                return here.id
    raise AssertionError("the built script has no scene")


def codes(db: Database) -> list[str]:
    return sorted(p.code for p in check_database(db))


def test_numbering_gaps_are_renumbered_keeping_the_order(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 40)
    order, _ = stored(db, built.script_id)
    spread_out(db, built.script_id)
    assert codes(db) == ["sequence"]
    report = repair_database(db)
    assert [r.code for r in report.repairs] == ["sequence"]
    assert "renumbered its 40 rows 1..40" in report.repairs[0].message
    assert report.clean and check_database(db) == []
    assert stored(db, built.script_id) == (order, list(range(1, 41)))
    with db.reading() as s:
        assert [e.id for e in read_elements(s, built.script_id)] == order
        steps = s.scalars(
            select(ScriptRevision.steps)
            .where(ScriptRevision.script_id == built.script_id)
            .order_by(ScriptRevision.number.desc())
        ).first()
    assert steps is not None and steps[0].startswith("Repair: renumbered")


def test_a_row_away_from_its_group_goes_back(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 60)
    strayed = last_child_of_a_scene(built)
    send_to_the_end(db, strayed)
    assert codes(db) == ["group-contiguous", "sequence"]
    report = repair_database(db)
    assert sorted(r.code for r in report.repairs) == ["group-contiguous", "sequence"]
    moved = next(r for r in report.repairs if r.code == "group-contiguous")
    name = next(e.name for e in built.elements if e.id == strayed)
    assert f'moved "{name}" back into their group' in moved.message
    assert report.clean
    assert stored(db, built.script_id) == ([e.id for e in built.elements], list(range(1, 61)))


def test_an_editor_holding_the_old_version_must_reload(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 20)
    opened = load_script(db, owner.id, built.script_id)
    spread_out(db, built.script_id)
    repair_database(db)
    with pytest.raises(ConflictError), db.unit_of_work() as s:
        write_script_state(
            s, built.script_id, opened.version, opened.elements, author_id=owner.id, steps=["x"]
        )


def test_ambiguous_groups_are_left_for_a_person(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 30)
    cue = next(e for e in built.elements if e.element_type is ElementType.CUE)
    note = next(e for e in built.elements if e.element_type is ElementType.NOTE)
    with db.unit_of_work() as s:  # a note "inside" a cue: which group was meant?
        s.execute(update(Element).where(Element.id == note.id).values(parent_id=cue.id))
    before = dump_tables(db)
    report = repair_database(db)
    assert report.repairs == ()
    assert [p.code for p in report.remaining] == ["group-parent"]
    assert any("NEEDS YOU [group-parent]" in line for line in report.lines())
    assert dump_tables(db) == before


def test_duplicate_cue_numbers_need_a_person(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 30)
    cues = [e for e in built.elements if e.element_type is ElementType.CUE]
    first = cues[0]
    twin = next(e for e in cues[1:] if e.department_id == first.department_id)
    with db.unit_of_work() as s:  # "012" is cue 12 too: the database cannot see it, the rules do
        s.execute(
            update(Element).where(Element.id == twin.id).values(cue_number=f"0{first.cue_number}")
        )
    before = dump_tables(db)
    report = repair_database(db)
    assert report.repairs == () and [p.code for p in report.remaining] == ["cue-number-unique"]
    assert "renumber one of the two cues" in report.lines()[0]
    assert dump_tables(db) == before


def _guest(db: Database, manager: Person, first: str) -> uuid.UUID:
    with db.unit_of_work() as s:
        guest = Person(first_name=first, last_name="Doe", is_guest=True)
        s.add(guest)
        s.flush()
        s.add(CrewRelationship(manager_id=manager.id, member_id=guest.id))
        return guest.id


def _assign(
    db: Database, owner: Person, person_id: uuid.UUID, show: str, initials: str = "GST"
) -> None:
    with db.unit_of_work() as s:
        dept = Department(owner_id=owner.id, name=f"Sound {show}", initials=initials)
        made = Show(owner_id=owner.id, name=show)
        s.add_all([dept, made])
        s.flush()
        s.add(CrewAssignment(show_id=made.id, person_id=person_id, department_id=dept.id))


def _lose(db: Database, person_id: uuid.UUID) -> None:
    with db.unit_of_work() as s:
        s.execute(
            CrewRelationship.__table__.delete().where(CrewRelationship.member_id == person_id)
        )


def test_a_guest_in_nobodys_crew_goes_back_to_the_owners_of_their_shows(
    db: Database, owner: Person
) -> None:
    with db.unit_of_work() as s:
        other = find_or_create_profile(s, "other-sm")
    sam = _guest(db, owner, "Sam")
    _assign(db, owner, sam, "Macbeth")
    _assign(db, other, sam, "Hamlet")
    lee = _guest(db, owner, "Lee")  # works on no show
    _lose(db, sam)
    _lose(db, lee)
    assert codes(db) == ["guest-without-manager"] * 2
    report = repair_database(db)
    [repair] = report.repairs
    assert "Guest Sam Doe was in nobody's crew" in repair.message
    assert '"Hamlet", "Macbeth"' in repair.message
    [left] = report.remaining
    assert "Lee Doe" in left.message and "(they work on no show: add them" in report.lines()[-1]
    with db.reading() as s:
        managers = set(
            s.scalars(select(CrewRelationship.manager_id).where(CrewRelationship.member_id == sam))
        )
    assert managers == {owner.id, other.id}


def test_each_repair_is_all_or_nothing(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 30)
    strayed = last_child_of_a_scene(built)
    for n, how in enumerate(hows(db.backend)):  # exceptions; on PostgreSQL also dropped links
        send_to_the_end(db, strayed)
        repair = lambda: repair_script_order(db, built.script_id)  # noqa: E731
        proof = assert_all_or_nothing(db, repair, how=how)
        assert sorted(r.code for r in proof.result) == ["group-contiguous", "sequence"]
        assert check_database(db) == []
        spread_out(db, built.script_id)  # renumbering alone takes the set-based path
        proof = assert_all_or_nothing(db, repair, how=how)
        assert [r.code for r in proof.result] == ["sequence"]
        assert check_database(db) == []
        sam = _guest(db, owner, f"Sam{n}")
        _assign(db, owner, sam, f"Macbeth {n}", initials=f"GS{'AB'[n]}")
        _lose(db, sam)
        proof_guests = assert_all_or_nothing(db, lambda: attach_lost_guests(db), how=how)
        assert len(proof_guests.result) == 1 and check_database(db) == []


def test_a_sound_database_is_left_alone(db: Database, owner: Person) -> None:
    make_script(db, owner, 30)
    before = dump_tables(db)
    with count_statements(db) as counted:
        report = repair_database(db)
    assert report.repairs == () and report.clean
    assert all(s.lstrip().upper().startswith("SELECT") for s in counted.statements)
    assert dump_tables(db) == before


def test_a_damaged_file_is_not_repaired(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    opened = open_for_user(str(path))
    opened.db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    index = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_elements_script'")
    root = index.fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page + 8 : root * page] = b"\x00" * (page - 8)  # an index page emptied
    path.write_bytes(bytes(data))
    db = open_database(str(path))
    try:
        assert "sqlite-integrity" in codes(db)
        before = digest(path)
        with pytest.raises(CorruptDatabaseError, match="Restore it from a backup"):
            repair_database(db)
        assert digest(path) == before
    finally:
        db.dispose()


def test_check_repair_on_the_command_line(
    db_url: str, db: Database, owner: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    built = make_script(db, owner, 20)
    spread_out(db, built.script_id)
    assert main(["check", "--database", db_url]) == 1
    assert "PROBLEM [sequence]" in capsys.readouterr().out
    assert main(["check", "--repair", "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "REPAIRED [sequence]" in out and "no problems left" in out
    with db.unit_of_work() as s:
        s.add(Person(first_name="Lone", last_name="Guest", is_guest=True))
    assert main(["check", "--repair", "--database", db_url]) == 1
    out = capsys.readouterr().out
    assert "NEEDS YOU [guest-without-manager] Guest Lone Guest is in nobody's crew" in out
    assert "1 problem(s)" in out

"""The quick paths of a save, against the real database: each one gives what the slow one gave.

A save compares with the rows it started from instead of reading them back,
keeps only what changed in a revision, moves rows and cue numbers in
chains, takes the editing guard's word for the group and cue rules, and
shifts a whole script in one statement. Every test runs on a SQLite file
and on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import delete, select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import InjectedFault, count_statements, dump_tables, fail_at_statement
from support.script_builder import Built, make_departments, make_script

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.models import Department, Person, ScriptRevision
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditSession,
    MoveElements,
    Place,
    RenumberDepartment,
    RestoreRevision,
    ShiftTimes,
    SortByTime,
    compare_revisions,
    find_unsaved_edits,
    load_revision,
)
from callmaster_desktop.editing.base import Command
from callmaster_desktop.errors import ConflictError, ValidationError
from callmaster_desktop.formats.package import build_package
from callmaster_desktop.services import element_checks, revision_snapshots, saved_rows
from callmaster_desktop.services.elements import ShiftTimes as ShiftRows
from callmaster_desktop.services.elements import UpdateElement, apply_element_changes
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import load_script

SIZE = 260  # above revision_snapshots.CHANGES_FROM_ROWS: saves keep only what changed


@pytest.fixture
def whole_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the lists the save checks whole against the group and cue rules."""
    sizes: list[int] = []

    def counted(rows: Sequence[ElementData], **kw: Any) -> list[tuple[str, str]]:
        sizes.append(len(rows))
        return element_rule_problems(rows, **kw)

    monkeypatch.setattr(element_checks, "element_rule_problems", counted)
    return sizes


def _selects_rows(statements: list[str]) -> bool:
    return any(s.lstrip().upper().startswith("SELECT") and "FROM elements" in s
               and "ORDER BY sequence" in s for s in statements)  # fmt: skip


def _stored(db: Database, owner: Person, built: Built) -> list[ElementData]:
    return load_script(db, owner.id, built.script_id).elements


def _formats(db: Database, script_id: uuid.UUID) -> dict[int, int]:
    with db.reading() as s:
        rows = s.execute(
            select(ScriptRevision.number, ScriptRevision.snapshot).where(
                ScriptRevision.script_id == script_id
            )
        ).all()
    return {number: snapshot["format"] for number, snapshot in rows}


def _cue(session: EditSession, initials: str, n: int = 0) -> ElementData:
    department = next(d for d, i in session.state.departments.items() if i == initials)
    cues = [e for e in session.elements if e.department_id == department]
    return cues[n]


def test_every_revision_reads_back_as_the_script_was_saved(
    db: Database, owner: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(revision_snapshots, "FULL_EVERY", 4)  # whole at 1, 5, 9...
    built = make_script(db, owner, SIZE)
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    saved = {1: list(built.elements)}
    edits: list[Callable[[], Command]] = [
        lambda: EditFields(_cue(session, "LX", 3).id, {"name": "Thunder"}),
        lambda: AddElement("note", Place.first_in(None), {"name": "House open"}),
        lambda: DeleteElements([_cue(session, "SQ", 2).id]),
        lambda: MoveElements([_cue(session, "FLY", 1).id], Place.last_in(None)),
        lambda: RenumberDepartment(built.departments["LX"], 101, 1),
        lambda: ShiftTimes([e.id for e in session.elements if e.parent_id is None], "+0:05"),
        lambda: SortByTime(),
        lambda: EditFields(_cue(session, "SQ", 5).id, {"notes": "Loud"}),
    ]
    for make in edits:
        session.apply(make())
        number = session.save().revision_number
        assert number is not None
        saved[number] = _stored(db, owner, built)
        assert list(session.elements) == saved[number]
    formats = _formats(db, built.script_id)
    assert {formats[n] for n in (1, 5, 9)} == {1}
    assert 2 in {formats[n] for n in (2, 3, 4, 6, 7, 8)}
    for number, rows in saved.items():
        assert load_revision(db, owner.id, built.script_id, number).elements == rows
    comparison = compare_revisions(db, owner.id, built.script_id, 2, 4)
    assert [e.name for e in comparison.removed] == [_name(saved[2], saved[4])]
    assert check_database(db) == []


def _name(before: list[ElementData], after: list[ElementData]) -> str:
    gone = {e.id for e in before} - {e.id for e in after}
    return next(e.name for e in before if e.id in gone)


def test_an_old_revision_kept_as_changes_is_restored_and_saved(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    session.apply(EditFields(_cue(session, "LX").id, {"name": "First"}))
    first = session.save().revision_number
    session.apply(EditFields(_cue(session, "LX").id, {"name": "Second"}))
    session.apply(DeleteElements([_cue(session, "SQ").id]))
    session.save()
    assert _formats(db, built.script_id)[first or 0] == 2
    revision = load_revision(db, owner.id, built.script_id, first or 0)
    session.apply(RestoreRevision(revision))
    session.save()
    assert _stored(db, owner, built) == revision.elements


def test_a_revision_whose_base_is_gone_cannot_be_read(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    session.apply(EditFields(_cue(session, "LX").id, {"name": "First"}))
    number = session.save().revision_number
    with db.unit_of_work() as s:
        s.execute(delete(ScriptRevision).where(
            ScriptRevision.script_id == built.script_id, ScriptRevision.number == 1
        ))  # fmt: skip
    with pytest.raises(ValidationError, match=f"Revision {number} of this script cannot be read"):
        load_revision(db, owner.id, built.script_id, number or 0)


def test_edits_recovered_onto_a_revision_kept_as_changes(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    first = EditSession.open(db, owner.id, built.script_id, journal=False)
    first.apply(EditFields(_cue(first, "LX").id, {"name": "Saved first"}))
    first.save()  # revision 2, kept as changes
    mine = EditSession.open(db, owner.id, built.script_id)
    mine.apply(EditFields(_cue(mine, "SQ").id, {"name": "Mine"}))
    expected = list(mine.elements)
    first.apply(EditFields(_cue(first, "FLY").id, {"name": "Theirs"}))
    first.save()
    del mine  # as if the window had crashed
    edits = find_unsaved_edits(db, built.script_id)
    assert edits is not None
    recovered = EditSession.open(db, owner.id, built.script_id, recover=edits)
    assert list(recovered.elements) == expected


def test_a_session_saves_without_reading_the_rows_back(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    saved_rows.forget_all()  # only the session's own rows may spare the read
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    for _ in range(2):
        session.apply(EditFields(_cue(session, "LX").id, {"name": f"Go {session.base_version}"}))
        with count_statements(db) as counted:
            session.save()
        assert not _selects_rows(counted.statements)
    assert _stored(db, owner, built) == list(session.elements)


def test_rows_in_hand_do_not_hide_that_someone_else_saved(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    mine = EditSession.open(db, owner.id, built.script_id, journal=False)
    # The version moves on without the session: a repair, a department reassigned...
    with db.unit_of_work() as s:
        write_script_state(
            s, built.script_id, built.version, _stored(db, owner, built), author_id=owner.id,
            steps=["Nothing"], script_fields={"notes": "Checked"},
        )  # fmt: skip
    mine.apply(EditFields(_cue(mine, "LX").id, {"name": "Mine"}))
    before = dump_tables(db)
    with pytest.raises(ConflictError, match="after you opened it"):
        mine.save()
    assert dump_tables(db) == before


def test_the_rows_a_save_wrote_spare_the_next_save_a_read_only_once_committed(
    db: Database, owner: Person
) -> None:
    built = make_script(db, owner, SIZE)
    saved_rows.forget_all()
    ids = tuple(e.id for e in built.elements)
    result = apply_element_changes(db, owner.id, built.script_id, built.version,
                                   [ShiftRows(ids, 1000)])  # fmt: skip
    with count_statements(db) as counted:
        result = apply_element_changes(db, owner.id, built.script_id, result.version,
                                       [ShiftRows(ids, 1000)])  # fmt: skip
    assert not _selects_rows(counted.statements)
    assert any("offset_ms = offset_ms +" in s for s in counted.statements)  # one statement
    assert [e.offset_ms for e in _stored(db, owner, built)] == [
        e.offset_ms + 2000 for e in built.elements
    ]
    # A save that fails half way leaves nothing behind for the next one to trust.
    before = dump_tables(db)
    with pytest.raises(InjectedFault), fail_at_statement(db, 5):
        apply_element_changes(db, owner.id, built.script_id, result.version,
                              [UpdateElement(ids[3], {"name": "Lost"})])  # fmt: skip
    assert dump_tables(db) == before
    assert [kept[0] for kept in saved_rows._kept.values()] == [result.version]
    again = apply_element_changes(db, owner.id, built.script_id, result.version,
                                  [UpdateElement(ids[3], {"name": "Kept"})])  # fmt: skip
    assert again.version == result.version + 1
    assert _stored(db, owner, built)[3].name == "Kept"


def test_cue_numbers_swap_and_renumber_in_one_save(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    one, two = _cue(session, "LX", 0), _cue(session, "LX", 1)
    session.apply(EditFields(one.id, {"cue_number": "999"}))
    session.apply(EditFields(two.id, {"cue_number": one.cue_number}))
    session.apply(EditFields(one.id, {"cue_number": two.cue_number}))
    session.apply(RenumberDepartment(built.departments["SQ"], 2, 1))  # every SQ number: +1
    session.save()
    assert _stored(db, owner, built) == list(session.elements)
    assert check_database(db) == []


def test_a_save_of_every_kind_of_change_is_all_or_nothing(
    db: Database, owner: Person, backend: str
) -> None:
    departments = make_departments(db, owner.id)
    for how in hows(backend):
        built = make_script(db, owner, SIZE, departments=departments)
        session = EditSession.open(db, owner.id, built.script_id, journal=False)
        session.apply(AddElement("note", Place.first_in(None), {"name": "Top"}))
        session.apply(DeleteElements([_cue(session, "FLY").id]))
        session.apply(SortByTime())
        session.apply(RenumberDepartment(departments["LX"], 10, 1))
        lx = _cue(session, "LX", 1)
        session.apply(EditFields(lx.id, {"department_id": departments["SQ"],
                                         "cue_number": "500", "name": "Moved over"}))  # fmt: skip
        wanted = list(session.elements)
        assert_all_or_nothing(db, session.save, how=how)
        assert _stored(db, owner, built) == wanted


def test_the_guards_word_spares_the_rules_but_not_the_departments(
    db: Database, owner: Person, whole_checks: list[int]
) -> None:
    built = make_script(db, owner, SIZE)
    with db.unit_of_work() as s:
        spare = Department(owner_id=owner.id, name="Pyro", initials="PYRO")
        s.add(spare)
        s.flush()
        spare_id = spare.id
    whole_checks.clear()  # (building the script checked it whole)
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    session.apply(MoveElements([_cue(session, "LX").id], Place.last_in(None)))
    session.save()
    assert whole_checks == []  # a row moved: the guard had checked it
    session.apply(AddElement("cue", Place.first_in(None), {"department_id": spare_id}))
    with db.unit_of_work() as s:  # the department goes while the edit waits to be saved
        s.execute(delete(Department).where(Department.id == spare_id))
    before = dump_tables(db)
    with pytest.raises(ValidationError, match="uses a department that is not yours"):
        session.save()
    assert dump_tables(db) == before and whole_checks == []


def test_a_recovered_session_is_checked_whole(
    db: Database, owner: Person, whole_checks: list[int]
) -> None:
    built = make_script(db, owner, SIZE)
    session = EditSession.open(db, owner.id, built.script_id)
    session.apply(MoveElements([_cue(session, "LX").id], Place.last_in(None)))
    del session
    edits = find_unsaved_edits(db, built.script_id)
    assert edits is not None
    recovered = EditSession.open(db, owner.id, built.script_id, recover=edits)
    whole_checks.clear()
    recovered.save()
    assert whole_checks == [SIZE]


def test_a_package_carries_whole_snapshots(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    session = EditSession.open(db, owner.id, built.script_id, journal=False)
    session.apply(EditFields(_cue(session, "LX").id, {"name": "Packed"}))
    session.save()
    assert 2 in _formats(db, built.script_id).values()
    with db.reading() as s:
        package = build_package(s, owner.id, built.show_id)
    (script,) = package["scripts"]
    snapshots = [r["snapshot"] for r in script["revisions"]]
    assert [s["format"] for s in snapshots] == [1, 1]
    names = [row[2] for row in snapshots[-1]["rows"]]
    assert "Packed" in names and len(names) == SIZE


def test_rows_inserted_at_the_top_of_a_big_script_only_move(db: Database, owner: Person) -> None:
    built = make_script(db, owner, SIZE)
    rows = _stored(db, owner, built)
    note = ElementData(ElementType.NOTE, "House open", -3_600_000)
    with count_statements(db) as counted, db.unit_of_work() as s:
        result = write_script_state(s, built.script_id, built.version, [note, *rows],
                                    author_id=owner.id, steps=["Add"])  # fmt: skip
    assert result.created == (note.id,) and len(result.updated) == SIZE
    assert not any("cue_number" in st and st.lstrip().startswith("UPDATE") for st in
                   counted.statements)  # fmt: skip
    assert _stored(db, owner, built) == [note, *rows]
    assert check_database(db) == []

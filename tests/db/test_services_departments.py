"""Departments: unique names and initials, use counts, deleting with or without reassigning."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

import pytest
from sqlalchemy import func, select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import count_statements, dump_tables

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CrewRelationship,
    Department,
    Element,
    Person,
    Script,
)
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.errors import InUseError, NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.departments import (
    DepartmentData,
    create_department,
    delete_department,
    get_department,
    list_departments,
    update_department,
)
from callmaster_desktop.services.shows import ShowData, create_show

LIGHTING = DepartmentData("Lighting", "lx", "#ffcc00", "Everything electric")
SOUND = DepartmentData("Sound", "SQ", "#0088ff")


def _department(db: Database, owner_id: uuid.UUID, data: DepartmentData) -> uuid.UUID:
    return create_department(db, owner_id, data).created_id(Kind.DEPARTMENT)


@dataclass
class Production:
    """Two scripts of one show using Lighting and Sound, and a crew of two."""

    lx: uuid.UUID
    sq: uuid.UUID
    show: uuid.UUID
    draft: uuid.UUID
    tech: uuid.UUID
    guest: uuid.UUID


def _cue(script: uuid.UUID, seq: int, dept: uuid.UUID | None, number: str | None) -> Element:
    kind = ElementType.CUE if number else ElementType.NOTE
    return Element(
        script_id=script, element_type=kind, sequence=seq, department_id=dept, cue_number=number
    )


def _production(db: Database, owner: Person, name: str = "Macbeth") -> Production:
    lx = _department(db, owner.id, LIGHTING)
    sq = _department(db, owner.id, SOUND)
    show = create_show(db, owner.id, ShowData(name))
    draft = show.created_id(Kind.SCRIPT)
    with db.unit_of_work() as s:
        tech = Script(id=uuid.uuid4(), show_id=show.created_id(Kind.SHOW), name="Tech")
        guest = Person(id=uuid.uuid4(), first_name="Alex", last_name="Reed")
        s.add_all([tech, guest])
        s.flush()
        s.add(CrewRelationship(manager_id=owner.id, member_id=guest.id))
        s.add_all(
            [
                _cue(draft, 1, lx, "1"),
                _cue(draft, 2, lx, "2"),
                _cue(draft, 3, sq, "1"),
                _cue(draft, 4, lx, None),  # a note about the lighting
                _cue(tech.id, 1, lx, "1"),
                _cue(tech.id, 2, sq, "5"),
            ]
        )
        show_id = show.created_id(Kind.SHOW)
        s.add_all(
            [
                CrewAssignment(show_id=show_id, person_id=owner.id, department_id=lx, role="SM"),
                CrewAssignment(show_id=show_id, person_id=guest.id, department_id=lx, role="Op"),
                CrewAssignment(show_id=show_id, person_id=guest.id, department_id=sq, role="A1"),
            ]
        )
    return Production(lx, sq, show_id, draft, tech.id, guest.id)


def test_create_stores_capital_initials_and_a_colour_code(db: Database, owner: Person) -> None:
    changes = create_department(db, owner.id, LIGHTING)
    dept = get_department(db, owner.id, changes.created_id(Kind.DEPARTMENT))
    assert dept.data == DepartmentData("Lighting", "LX", "#FFCC00", "Everything electric")
    assert not dept.use.in_use and dept.use.describe() == "nothing"
    fly = get_department(
        db, owner.id, _department(db, owner.id, DepartmentData(" Fly ", " fly", ""))
    )
    assert fly.data == DepartmentData("Fly", "FLY", "#808080", None)


def test_list_counts_cues_scripts_and_assignments_in_one_query(db: Database, owner: Person) -> None:
    _production(db, owner)
    _department(db, owner.id, DepartmentData("Video", "VID"))
    with count_statements(db) as counter:
        listed = list_departments(db, owner.id)
    assert counter.count == 1
    uses = {d.initials: d.use for d in listed}
    assert [d.name for d in listed] == ["Lighting", "Sound", "Video"]
    assert (uses["LX"].cues, uses["LX"].other_rows, uses["LX"].scripts) == (3, 1, 2)
    assert uses["LX"].crew_assignments == 2
    assert uses["LX"].describe() == "3 cues and 1 other row in 2 scripts and 2 crew assignments"
    assert uses["SQ"].describe() == "2 cues in 2 scripts and 1 crew assignment"
    assert not uses["VID"].in_use


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (DepartmentData("", "LX"), "The department needs a name."),
        (DepartmentData("Lights", "  "), "The department needs initials"),
        (DepartmentData("Lights", "L1"), 'initials "L1" must be 1 to 5 letters'),
        (DepartmentData("Lights", "LIGHTS"), 'initials "LIGHTS" must be 1 to 5 letters'),
        (DepartmentData("Lights", "LT", "yellow"), 'colour "yellow" is not a colour code'),
        (DepartmentData("SOUND", "SND"), 'You already have a department called "Sound".'),
        (DepartmentData("Audio", "sq"), "The initials SQ are already used by Sound."),
    ],
)
def test_bad_department_input_is_refused_and_nothing_written(
    db: Database, owner: Person, data: DepartmentData, message: str
) -> None:
    _department(db, owner.id, SOUND)
    lx = _department(db, owner.id, LIGHTING)
    before = dump_tables(db)
    with pytest.raises(ValidationError, match=message):
        create_department(db, owner.id, data)
    with pytest.raises(ValidationError, match=message):
        update_department(db, owner.id, lx, data)
    assert dump_tables(db) == before


def test_update_may_keep_its_own_name_and_change_capitals(db: Database, owner: Person) -> None:
    lx = _department(db, owner.id, LIGHTING)
    with count_statements(db) as counter:
        assert not update_department(db, owner.id, lx, get_department(db, owner.id, lx).data)
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in counter.statements)
    changes = update_department(db, owner.id, lx, DepartmentData("LIGHTING", "Lx", "#ABCDEF"))
    assert changes.updated == ((Kind.DEPARTMENT, lx),)
    assert get_department(db, owner.id, lx).data == DepartmentData("LIGHTING", "LX", "#ABCDEF")


def test_another_owners_department_is_not_found(db: Database, owner: Person) -> None:
    stranger = ensure_profile(db, "someone-else")
    theirs = _department(db, stranger.id, SOUND)
    mine = _department(db, owner.id, LIGHTING)
    _department(db, owner.id, SOUND)  # the same name is fine for another owner
    before = dump_tables(db)
    for attempt in (
        partial(update_department, db, owner.id, theirs, SOUND),
        partial(delete_department, db, owner.id, theirs),
        partial(delete_department, db, owner.id, mine, reassign_to=theirs),
        partial(get_department, db, owner.id, theirs),
        partial(delete_department, db, owner.id, uuid.uuid4()),
    ):
        with pytest.raises(NotFoundError, match="not in your list of departments"):
            attempt()
    assert dump_tables(db) == before
    assert [d.name for d in list_departments(db, stranger.id)] == ["Sound"]


def test_deleting_a_department_in_use_is_refused_saying_what_uses_it(
    db: Database, owner: Person
) -> None:
    p = _production(db, owner)
    before = dump_tables(db)
    with pytest.raises(InUseError) as refused:
        delete_department(db, owner.id, p.lx)
    assert str(refused.value).startswith(
        "Lighting is used by 3 cues and 1 other row in 2 scripts and 2 crew assignments."
    )
    with pytest.raises(ValidationError, match="Choose another department than Lighting itself"):
        delete_department(db, owner.id, p.lx, reassign_to=p.lx)
    assert dump_tables(db) == before
    unused = _department(db, owner.id, DepartmentData("Video", "VID"))
    assert delete_department(db, owner.id, unused).deleted == ((Kind.DEPARTMENT, unused),)
    assert [d.initials for d in list_departments(db, owner.id)] == ["LX", "SQ"]


def _versions(db: Database) -> dict[uuid.UUID, int]:
    with db.reading() as s:
        return {row.id: row.version for row in s.execute(select(Script.id, Script.version))}


def test_reassigning_moves_cues_and_merges_assignments(db: Database, owner: Person) -> None:
    p = _production(db, owner)
    with db.unit_of_work() as s:  # make the numbers distinct so the cues can move
        s.execute(
            Element.__table__.update()
            .where(Element.department_id == p.sq)
            .values(cue_number=Element.cue_number + "0")
        )
    with db.reading() as s:
        lx_rows = set(s.scalars(select(Element.id).where(Element.department_id == p.lx)))
        op, sm = (
            s.scalars(
                select(CrewAssignment.id).where(
                    CrewAssignment.department_id == p.lx, CrewAssignment.person_id == who
                )
            ).one()
            for who in (p.guest, owner.id)
        )
    versions = _versions(db)
    changes = delete_department(db, owner.id, p.lx, reassign_to=p.sq)
    assert changes.deleted == ((Kind.CREW_ASSIGNMENT, op), (Kind.DEPARTMENT, p.lx))
    assert set(changes.updated_ids(Kind.ELEMENT)) == lx_rows
    assert set(changes.updated_ids(Kind.SCRIPT)) == {p.draft, p.tech}
    assert changes.updated_ids(Kind.CREW_ASSIGNMENT) == (sm,)
    assert _versions(db) == {k: v + 1 for k, v in versions.items()}
    with db.reading() as s:
        assert s.get(Department, p.lx) is None
        roles = s.execute(
            select(CrewAssignment.person_id, CrewAssignment.department_id, CrewAssignment.role)
        ).all()
        assert sorted(roles, key=repr) == sorted(
            [(owner.id, p.sq, "SM"), (p.guest, p.sq, "A1")], key=repr
        )
        numbers = s.scalars(
            select(Element.cue_number)
            .where(Element.script_id == p.draft)
            .order_by(Element.sequence)
        ).all()
        assert numbers == ["1", "2", "10", None]
    assert check_database(db) == []
    (sound,) = list_departments(db, owner.id)
    assert sound.use.describe() == "5 cues and 1 other row in 2 scripts and 2 crew assignments"


def test_reassigning_onto_the_same_cue_numbers_is_refused(db: Database, owner: Person) -> None:
    p = _production(db, owner)
    with db.unit_of_work() as s:  # "01.0" is cue 1 in another spelling: still a clash
        s.add(_cue(p.tech, 3, p.sq, "01.0"))
    before = dump_tables(db)
    with pytest.raises(ValidationError) as refused:
        delete_department(db, owner.id, p.lx, reassign_to=p.sq)
    assert str(refused.value) == (
        "Lighting's cues cannot move to Sound: Sound already has SQ 1 in "
        '"First Draft" of "Macbeth"; SQ 1 in "Tech" of "Macbeth". Renumber those cues '
        "in one of the two departments first; nothing was changed."
    )
    assert dump_tables(db) == before


def test_a_long_list_of_clashes_is_cut_short(db: Database, owner: Person) -> None:
    lx = _department(db, owner.id, LIGHTING)
    sq = _department(db, owner.id, SOUND)
    script = create_show(db, owner.id, ShowData("Lear")).created_id(Kind.SCRIPT)
    with db.unit_of_work() as s:
        s.add_all(_cue(script, n, lx, str(n)) for n in range(1, 13))
        s.add_all(_cue(script, 100 + n, sq, str(n)) for n in range(1, 13))
    with pytest.raises(ValidationError, match=r"SQ 1, SQ 2, .*SQ 8 and 4 more in \"First"):
        delete_department(db, owner.id, lx, reassign_to=sq)


def test_delete_with_reassignment_is_all_or_nothing(
    db: Database, owner: Person, backend: str
) -> None:
    for how in hows(backend):
        with db.unit_of_work() as s:  # start each round from two fresh departments
            s.execute(CrewAssignment.__table__.delete())
            s.execute(Element.__table__.delete())
            s.execute(Department.__table__.delete())
        p = _production(db, owner, name=f"Macbeth {how}")
        with db.unit_of_work() as s:
            s.execute(
                Element.__table__.update()
                .where(Element.department_id == p.sq)
                .values(cue_number=Element.cue_number + "0")
            )
        move = partial(delete_department, db, owner.id, p.lx, reassign_to=p.sq)
        proof = assert_all_or_nothing(db, move, how=how)
        # the two departments, the clash check, drop duplicates, move cues, new script
        # versions, move assignments, delete the department
        assert proof.statements == 8
        assert proof.result.deleted_ids(Kind.DEPARTMENT) == (p.lx,)
        with db.reading() as s:
            left = s.scalar(select(func.count()).where(Element.department_id == p.lx))
            assert left == 0

"""Crew assignments: who works on a show, in which department, and saving a whole list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

import pytest
from support.atomicity import assert_all_or_nothing, hows
from support.faults import count_statements, dump_tables

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.crew import PersonData, add_crew_member, deactivate_crew_member
from callmaster_desktop.services.crew_assignments import (
    AssignmentData,
    assign_to_show,
    list_show_assignments,
    remove_assignment,
    save_show_assignments,
    update_assignment,
)
from callmaster_desktop.services.departments import DepartmentData, create_department
from callmaster_desktop.services.shows import ShowData, create_show


@dataclass
class Company:
    show: uuid.UUID
    lx: uuid.UUID
    sq: uuid.UUID
    alex: uuid.UUID
    bea: uuid.UUID


def _company(db: Database, owner_id: uuid.UUID, show: str = "Macbeth") -> Company:
    def dept(name: str, initials: str) -> uuid.UUID:
        data = DepartmentData(name, initials)
        return create_department(db, owner_id, data).created_id(Kind.DEPARTMENT)

    def person(first: str, last: str) -> uuid.UUID:
        return add_crew_member(db, owner_id, PersonData(first, last)).created_id(Kind.PERSON)

    return Company(
        show=create_show(db, owner_id, ShowData(show)).created_id(Kind.SHOW),
        lx=dept("Lighting", "LX"),
        sq=dept("Sound", "SQ"),
        alex=person("Alex", "Reed"),
        bea=person("Bea", "Adams"),
    )


def _lines(db: Database, owner_id: uuid.UUID, show_id: uuid.UUID) -> list[tuple[str, str, str]]:
    return [
        (a.department_initials, a.person_name, a.data.role or "")
        for a in list_show_assignments(db, owner_id, show_id)
    ]


def test_assign_me_and_my_crew_and_list_the_show(db: Database, owner: Person) -> None:
    c = _company(db, owner.id)
    changes = assign_to_show(db, owner.id, c.show, AssignmentData(c.alex, c.sq, " Head of Sound "))
    alex_sq = changes.created_id(Kind.CREW_ASSIGNMENT)
    assign_to_show(db, owner.id, c.show, AssignmentData(c.bea, c.lx, "Board op"))
    assign_to_show(db, owner.id, c.show, AssignmentData(owner.id, c.lx))
    assign_to_show(db, owner.id, c.show, AssignmentData(c.alex, c.lx, "Follow spot"))
    with count_statements(db) as counter:
        listed = list_show_assignments(db, owner.id, c.show)
    assert counter.count == 2  # the show is mine; the list
    assert [(a.department_initials, a.person_name, a.data.role) for a in listed] == [
        ("LX", owner.full_name, None),  # no last name: first by last name
        ("LX", "Bea Adams", "Board op"),
        ("LX", "Alex Reed", "Follow spot"),
        ("SQ", "Alex Reed", "Head of Sound"),
    ]
    assert listed[-1].id == alex_sq and listed[-1].department_name == "Sound"


def test_assignments_refuse_bad_input_and_write_nothing(db: Database, owner: Person) -> None:
    c = _company(db, owner.id)
    assign_to_show(db, owner.id, c.show, AssignmentData(c.alex, c.sq))
    stranger = ensure_profile(db, "someone-else")
    them = _company(db, stranger.id, "Their Show")
    deactivate_crew_member(db, owner.id, c.bea)
    before = dump_tables(db)
    for data, error, message in [
        (
            AssignmentData(c.alex, c.sq, "A1"),
            ValidationError,
            "Alex Reed is (already|listed twice) in Sound",
        ),
        (AssignmentData(them.alex, c.sq), NotFoundError, "not in your crew"),
        (AssignmentData(stranger.id, c.sq), NotFoundError, "not in your crew"),
        (AssignmentData(c.alex, them.lx), NotFoundError, "not in your list of departments"),
        (AssignmentData(c.bea, c.lx), ValidationError, "Bea Adams is marked inactive"),
        (AssignmentData(c.alex, c.lx, "R" * 201), ValidationError, "role .* at most 200"),
    ]:
        with pytest.raises(error, match=message):
            assign_to_show(db, owner.id, c.show, data)
        with pytest.raises(error, match=message):
            save_show_assignments(db, owner.id, c.show, [AssignmentData(c.alex, c.sq), data])
    with pytest.raises(NotFoundError, match="That show is not there"):
        assign_to_show(db, owner.id, them.show, AssignmentData(c.alex, c.lx))
    with pytest.raises(NotFoundError, match="That show is not there"):
        save_show_assignments(db, owner.id, them.show, [])
    with pytest.raises(NotFoundError, match="That show is not there"):
        list_show_assignments(db, owner.id, them.show)
    assert dump_tables(db) == before


def test_update_and_remove_an_assignment(db: Database, owner: Person) -> None:
    c = _company(db, owner.id)
    first = assign_to_show(db, owner.id, c.show, AssignmentData(c.alex, c.sq, "A1"))
    alex_sq = first.created_id(Kind.CREW_ASSIGNMENT)
    assign_to_show(db, owner.id, c.show, AssignmentData(c.alex, c.lx, "Spot"))
    with count_statements(db) as counter:
        assert not update_assignment(db, owner.id, alex_sq, AssignmentData(c.alex, c.sq, "A1"))
    assert counter.count == 1  # only the read
    changes = update_assignment(db, owner.id, alex_sq, AssignmentData(c.alex, c.sq, "A2", "Mics"))
    assert changes.updated == ((Kind.CREW_ASSIGNMENT, alex_sq),)
    moved = update_assignment(db, owner.id, alex_sq, AssignmentData(c.bea, c.lx, "Board"))
    assert moved.updated == ((Kind.CREW_ASSIGNMENT, alex_sq),)
    assert _lines(db, owner.id, c.show) == [
        ("LX", "Bea Adams", "Board"),
        ("LX", "Alex Reed", "Spot"),
    ]
    stranger = ensure_profile(db, "someone-else")
    before = dump_tables(db)
    with pytest.raises(ValidationError, match="Alex Reed is already in Lighting on this show"):
        update_assignment(db, owner.id, alex_sq, AssignmentData(c.alex, c.lx))
    with pytest.raises(NotFoundError, match="That crew assignment is not there"):
        update_assignment(db, stranger.id, alex_sq, AssignmentData(c.alex, c.sq))
    with pytest.raises(NotFoundError, match="That crew assignment is not there"):
        remove_assignment(db, stranger.id, alex_sq)
    assert dump_tables(db) == before
    assert remove_assignment(db, owner.id, alex_sq).deleted == ((Kind.CREW_ASSIGNMENT, alex_sq),)
    assert _lines(db, owner.id, c.show) == [("LX", "Alex Reed", "Spot")]


def test_saving_a_crew_list_writes_only_the_differences(db: Database, owner: Person) -> None:
    c = _company(db, owner.id)
    wanted = [
        AssignmentData(c.alex, c.sq, "A1"),
        AssignmentData(c.bea, c.lx, "Board op"),
        AssignmentData(owner.id, c.lx, "PSM"),
    ]
    created = save_show_assignments(db, owner.id, c.show, wanted)
    assert len(created.created_ids(Kind.CREW_ASSIGNMENT)) == 3
    ids = {
        (a.data.person_id, a.data.department_id): a.id
        for a in list_show_assignments(db, owner.id, c.show)
    }
    deactivate_crew_member(db, owner.id, c.bea)  # an unchanged line of an inactive member stays
    before = dump_tables(db)
    with count_statements(db) as counter:
        assert not save_show_assignments(db, owner.id, c.show, list(reversed(wanted)))
    assert counter.count == 2  # the show is mine; its present list
    assert all(s.lstrip().upper().startswith("SELECT") for s in counter.statements)
    assert dump_tables(db) == before
    changes = save_show_assignments(
        db,
        owner.id,
        c.show,
        [
            AssignmentData(c.alex, c.sq, "Head of Sound"),  # role changed
            AssignmentData(c.bea, c.lx, "Board op"),  # unchanged
            AssignmentData(c.alex, c.lx, "Spot"),  # new
        ],  # and me: gone
    )
    assert changes.updated == ((Kind.CREW_ASSIGNMENT, ids[(c.alex, c.sq)]),)
    assert changes.deleted == ((Kind.CREW_ASSIGNMENT, ids[(owner.id, c.lx)]),)
    assert len(changes.created) == 1
    assert _lines(db, owner.id, c.show) == [
        ("LX", "Bea Adams", "Board op"),
        ("LX", "Alex Reed", "Spot"),
        ("SQ", "Alex Reed", "Head of Sound"),
    ]
    before = dump_tables(db)
    twice = [AssignmentData(c.alex, c.sq, "A1"), AssignmentData(c.alex, c.sq, "A2")]
    with pytest.raises(ValidationError, match="Alex Reed is listed twice in Sound"):
        save_show_assignments(db, owner.id, c.show, twice)
    assert dump_tables(db) == before
    emptied = save_show_assignments(db, owner.id, c.show, [])
    assert len(emptied.deleted) == 3 and list_show_assignments(db, owner.id, c.show) == []


def test_saving_a_crew_list_is_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    c = _company(db, owner.id)
    for how in hows(backend):
        show = create_show(db, owner.id, ShowData(f"Macbeth {how}")).created_id(Kind.SHOW)
        first = [AssignmentData(c.alex, c.sq, "A1"), AssignmentData(c.bea, c.sq, "A2")]
        save_show_assignments(db, owner.id, show, first)
        wanted = [AssignmentData(c.alex, c.sq, "Head of Sound"), AssignmentData(c.bea, c.lx)]
        save = partial(save_show_assignments, db, owner.id, show, wanted)
        proof = assert_all_or_nothing(db, save, how=how)
        # the show, its list, the new line's person and department, insert, update, delete
        assert proof.statements == 7
        assert (len(proof.result.created), len(proof.result.updated)) == (1, 1)
        assert len(proof.result.deleted) == 1
        assert _lines(db, owner.id, show) == [
            ("LX", "Bea Adams", ""),
            ("SQ", "Alex Reed", "Head of Sound"),
        ]

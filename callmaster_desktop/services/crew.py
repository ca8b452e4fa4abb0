"""People and my crew: add, list, change, deactivate and remove the people I work with.

A crew member added by a stage manager is a "guest" person who never signs
in; the person and the crew relationship (manager -> member, with the
manager's private notes and an active flag) are written in one transaction,
so there is never a guest without a manager. Adding someone already in my
crew (the same person, or a guest with the same email) reactivates the
relationship instead of adding them twice. Removing someone from my crew
deletes the relationship, and the guest person too when nobody else has them
in a crew and they work on no show.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import CrewAssignment, CrewRelationship, Department, Person, Show
from callmaster_desktop.errors import InUseError, NotFoundError, ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.validation import (
    join_words,
    optional_email,
    optional_text,
    required_text,
    set_fields,
)

SUBJECT = "The person"
NOT_IN_CREW = "That person is not in your crew (they may have been removed)."
YOURSELF = "You are always in your own crew"


@dataclass(frozen=True)
class PersonData:
    """What the person form edits."""

    first_name: str
    last_name: str = ""
    email: str | None = None
    phone: str | None = None
    production_role: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CrewMember:
    """Me or someone in my crew, with my private notes about them."""

    person_id: uuid.UUID
    data: PersonData
    is_me: bool
    is_guest: bool
    relationship_id: uuid.UUID | None  # None for me
    crew_notes: str | None
    is_active: bool

    @property
    def full_name(self) -> str:
        return f"{self.data.first_name} {self.data.last_name}".strip()


def _columns(data: PersonData) -> dict[str, Any]:
    return {
        "first_name": required_text(SUBJECT, data.first_name, 120, field="first name"),
        "last_name": optional_text(SUBJECT, data.last_name, 120, field="last name") or "",
        "email": optional_email(SUBJECT, data.email),
        "phone": optional_text(SUBJECT, data.phone, 60, field="phone number"),
        "production_role": optional_text(
            SUBJECT, data.production_role, 120, field="production role"
        ),
        "notes": optional_text(SUBJECT, data.notes, None, field="notes"),
    }


def _crew_notes(notes: str | None) -> str | None:
    return optional_text("Your note", notes, None, field="text")


def _mine(owner_id: uuid.UUID) -> Any:
    """People joined to my relationship with them (None for people not in my crew)."""
    return select(Person, CrewRelationship).outerjoin(
        CrewRelationship,
        and_(CrewRelationship.member_id == Person.id, CrewRelationship.manager_id == owner_id),
    )


def find_in_crew(
    session: Session, owner_id: uuid.UUID, person_id: uuid.UUID
) -> tuple[Person, CrewRelationship | None]:
    """Me (with no relationship) or a member of my crew; else ``NotFoundError``."""
    row = session.execute(_mine(owner_id).where(Person.id == person_id)).first()
    if row is None or (row[1] is None and person_id != owner_id):
        raise NotFoundError(NOT_IN_CREW)
    return row[0], row[1]


def _member(person: Person, relation: CrewRelationship | None, owner_id: uuid.UUID) -> CrewMember:
    data = PersonData(
        person.first_name,
        person.last_name,
        person.email,
        person.phone,
        person.production_role,
        person.notes,
    )
    return CrewMember(
        person_id=person.id,
        data=data,
        is_me=person.id == owner_id,
        is_guest=person.is_guest,
        relationship_id=relation.id if relation is not None else None,
        crew_notes=relation.notes if relation is not None else None,
        is_active=relation.is_active if relation is not None else True,
    )


def _reactivate(relation: CrewRelationship, crew_notes: str | None, log: ChangeLog) -> None:
    values: dict[str, Any] = {"is_active": True}
    if crew_notes is not None:
        values["notes"] = crew_notes
    if set_fields(relation, values):
        log.updated(Kind.CREW_RELATIONSHIP, relation.id)


def add_crew_member(
    db: Database, owner_id: uuid.UUID, person: PersonData, *, crew_notes: str | None = None
) -> Changes:
    """Add a new guest person to my crew: the person and the relationship in one transaction.

    When a guest of my crew already has the email, that relationship is
    reactivated instead (the person's details stay as they are; the notes are
    replaced when given); nothing is written when it is already active.
    """
    values = _columns(person)
    notes = _crew_notes(crew_notes)
    log = ChangeLog()
    with db.unit_of_work() as session:
        if values["email"] is not None:
            found = session.execute(
                _mine(owner_id)
                .where(
                    func.lower(Person.email) == values["email"].lower(),
                    or_(Person.id == owner_id, CrewRelationship.id.is_not(None)),
                )
                .order_by(CrewRelationship.created_at)
            ).first()
            if found is not None:
                if found[1] is None:
                    raise ValidationError(f"{values['email']} is your own email. {YOURSELF}.")
                _reactivate(found[1], notes, log)
                return log.freeze()
        guest = Person(id=uuid.uuid4(), is_guest=True, **values)
        session.add(guest)
        session.flush()  # the person first: the relationship refers to it
        relation = CrewRelationship(
            id=uuid.uuid4(), manager_id=owner_id, member_id=guest.id, notes=notes, is_active=True
        )
        session.add(relation)
        session.flush()
        log.created(Kind.PERSON, guest.id)
        log.created(Kind.CREW_RELATIONSHIP, relation.id)
    return log.freeze()


def add_to_crew(
    db: Database, owner_id: uuid.UUID, person_id: uuid.UUID, *, crew_notes: str | None = None
) -> Changes:
    """Add a person already known (a colleague who signs in, a guest of another crew).

    Someone already in my crew is reactivated instead.
    """
    if person_id == owner_id:
        raise ValidationError(f"{YOURSELF}.")
    notes = _crew_notes(crew_notes)
    log = ChangeLog()
    with db.unit_of_work() as session:
        row = session.execute(_mine(owner_id).where(Person.id == person_id)).first()
        if row is None:
            raise NotFoundError("That person is not there: they may have been deleted.")
        if row[1] is not None:
            _reactivate(row[1], notes, log)
            return log.freeze()
        relation = CrewRelationship(
            id=uuid.uuid4(), manager_id=owner_id, member_id=person_id, notes=notes, is_active=True
        )
        session.add(relation)
        session.flush()
        log.created(Kind.CREW_RELATIONSHIP, relation.id)
    return log.freeze()


def list_crew(
    db: Database, owner_id: uuid.UUID, *, include_inactive: bool = True
) -> list[CrewMember]:
    """Me first, then the people in my crew by last and first name, in one query."""
    query = (
        _mine(owner_id)
        .where(or_(Person.id == owner_id, CrewRelationship.id.is_not(None)))
        .order_by(
            case((Person.id == owner_id, 0), else_=1),
            func.lower(Person.last_name),
            func.lower(Person.first_name),
            Person.id,
        )
    )
    if not include_inactive:
        query = query.where(or_(Person.id == owner_id, CrewRelationship.is_active.is_(True)))
    with db.reading() as session:
        return [_member(p, r, owner_id) for p, r in session.execute(query).all()]


def get_crew_member(db: Database, owner_id: uuid.UUID, person_id: uuid.UUID) -> CrewMember:
    with db.reading() as session:
        person, relation = find_in_crew(session, owner_id, person_id)
        return _member(person, relation, owner_id)


def update_person(
    db: Database, owner_id: uuid.UUID, person_id: uuid.UUID, data: PersonData
) -> Changes:
    """Change my own details or those of a guest in my crew.

    A colleague who signs in keeps their own details; two people of my crew
    cannot share an email.
    """
    return update_crew_member(db, owner_id, person_id, details=data)


def update_crew_notes(
    db: Database, owner_id: uuid.UUID, person_id: uuid.UUID, notes: str | None
) -> Changes:
    """My private notes about someone in my crew."""
    return update_crew_member(db, owner_id, person_id, crew_notes=notes, notes_given=True)


def update_crew_member(
    db: Database,
    owner_id: uuid.UUID,
    person_id: uuid.UUID,
    *,
    details: PersonData | None = None,
    crew_notes: str | None = None,
    notes_given: bool = False,
) -> Changes:
    """Change a person's ``details`` and (``notes_given``) my private notes, in one transaction.

    Either both are saved or, when one is refused, neither is.
    """
    values = _columns(details) if details is not None else None
    text = _crew_notes(crew_notes) if notes_given else None
    log = ChangeLog()
    with db.unit_of_work() as session:
        relation: CrewRelationship | None
        if notes_given:
            person, relation = _relationship(session, owner_id, person_id, "keep crew notes about")
        else:
            person, relation = find_in_crew(session, owner_id, person_id)
        if values is not None:
            _update_details(session, owner_id, person, values, log)
        if notes_given and relation is not None and set_fields(relation, {"notes": text}):
            log.updated(Kind.CREW_RELATIONSHIP, relation.id)
    return log.freeze()


def _relationship(
    session: Session, owner_id: uuid.UUID, person_id: uuid.UUID, what: str
) -> tuple[Person, CrewRelationship]:
    person, relation = find_in_crew(session, owner_id, person_id)
    if relation is None:
        raise ValidationError(f"{YOURSELF}: you cannot {what} yourself.")
    return person, relation


def _update_details(
    session: Session, owner_id: uuid.UUID, person: Person, values: dict[str, Any], log: ChangeLog
) -> None:
    if not person.is_guest and person.id != owner_id:
        raise ValidationError(
            f"{person.full_name} signs in to CallMaster and keeps their own details; "
            "you can change your notes about them."
        )
    if values["email"] is not None and values["email"].lower() != (person.email or "").lower():
        twin = session.execute(
            _mine(owner_id).where(
                func.lower(Person.email) == values["email"].lower(),
                Person.id != person.id,
                or_(Person.id == owner_id, CrewRelationship.id.is_not(None)),
            )
        ).first()
        if twin is not None:
            raise ValidationError(
                f"{twin[0].full_name} in your crew already has the email {values['email']}."
            )
    if set_fields(person, values):
        log.updated(Kind.PERSON, person.id)


def set_crew_member_active(
    db: Database, owner_id: uuid.UUID, person_id: uuid.UUID, active: bool
) -> Changes:
    log = ChangeLog()
    with db.unit_of_work() as session:
        what = "reactivate" if active else "deactivate"
        _, relation = _relationship(session, owner_id, person_id, what)
        if set_fields(relation, {"is_active": active}):
            log.updated(Kind.CREW_RELATIONSHIP, relation.id)
    return log.freeze()


def deactivate_crew_member(db: Database, owner_id: uuid.UUID, person_id: uuid.UUID) -> Changes:
    """Keep someone in my crew but out of the way (not offered for new work)."""
    return set_crew_member_active(db, owner_id, person_id, False)


def reactivate_crew_member(db: Database, owner_id: uuid.UUID, person_id: uuid.UUID) -> Changes:
    return set_crew_member_active(db, owner_id, person_id, True)


def remove_from_crew(
    db: Database, owner_id: uuid.UUID, person_id: uuid.UUID, *, also_unassign: bool = False
) -> Changes:
    """Take someone out of my crew; a guest nobody else needs is deleted too.

    Someone still assigned to one of my shows is refused (``InUseError``
    naming the shows) unless ``also_unassign``: then those assignments go in
    the same transaction. The person is kept when they are a colleague who
    signs in, in someone else's crew, or assigned to someone else's show.
    """
    log = ChangeLog()
    no_sync = {"synchronize_session": False}
    with db.unit_of_work() as session:
        person, relation = _relationship(session, owner_id, person_id, "remove")
        mine = select(Show.id).where(Show.owner_id == owner_id)
        if also_unassign:
            dropped = session.scalars(
                delete(CrewAssignment)
                .where(CrewAssignment.person_id == person_id, CrewAssignment.show_id.in_(mine))
                .returning(CrewAssignment.id),
                execution_options=no_sync,
            ).all()
            log.deleted_all(Kind.CREW_ASSIGNMENT, dropped)
        else:
            _refuse_if_assigned(session, person, mine)
        session.execute(
            delete(CrewRelationship).where(CrewRelationship.id == relation.id),
            execution_options=no_sync,
        )
        log.deleted(Kind.CREW_RELATIONSHIP, relation.id)
        if person.is_guest and not _needed_elsewhere(session, person_id):
            session.execute(delete(Person).where(Person.id == person_id), execution_options=no_sync)
            log.deleted(Kind.PERSON, person_id)
        session.expunge_all()
    return log.freeze()


def _refuse_if_assigned(session: Session, person: Person, my_shows: Any) -> None:
    rows = session.execute(
        select(Show.name, Department.name)
        .join(CrewAssignment, CrewAssignment.show_id == Show.id)
        .join(Department, Department.id == CrewAssignment.department_id)
        .where(CrewAssignment.person_id == person.id, Show.id.in_(my_shows))
        .order_by(func.lower(Show.name), func.lower(Department.name))
    ).all()
    if rows:
        places = join_words([f"{show} ({dept})" for show, dept in rows])
        raise InUseError(
            f"{person.full_name} is assigned to {places}. Remove those assignments first, "
            "or remove them from your crew together with their assignments."
        )


def _needed_elsewhere(session: Session, person_id: uuid.UUID) -> bool:
    """In another crew, or assigned to any show (one query)."""
    other_crew = select(CrewRelationship.id).where(CrewRelationship.member_id == person_id)
    shows = select(CrewAssignment.id).where(CrewAssignment.person_id == person_id)
    return bool(session.scalar(select(or_(other_crew.exists(), shows.exists()))))

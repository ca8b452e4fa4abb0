"""Venues: create, change, list and delete the theatres a stage manager works in.

Deleting a venue never deletes a show: the shows that used it are emptied
first (``UPDATE shows SET venue_id = NULL``), then the venue goes, in one
transaction. ``venue_deletion_summary`` says beforehand which shows lose it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Show, Venue
from callmaster_desktop.domain.enums import VenueType
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.validation import (
    find_owned,
    join_words,
    non_negative_decimal,
    non_negative_int,
    optional_email,
    optional_text,
    required_text,
    set_fields,
)

SUBJECT = "The venue"
MISSING = "That venue is not in your list of venues (it may have been deleted)."


@dataclass(frozen=True)
class VenueData:
    """What the venue form edits."""

    name: str
    address: str | None = None
    city: str | None = None
    state: str | None = None
    capacity: int | None = None
    venue_type: VenueType | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    stage_width_m: Decimal | None = None
    stage_depth_m: Decimal | None = None
    fly_height_m: Decimal | None = None
    equipment: tuple[str, ...] = field(default=())
    rental_rate: Decimal | None = None
    minimum_rental: Decimal | None = None
    notes: str | None = None


@dataclass(frozen=True)
class VenueListing:
    """A venue as the venue list shows it, with how many of my shows use it."""

    id: uuid.UUID
    data: VenueData
    show_count: int
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.data.name


@dataclass(frozen=True)
class VenueDeletionSummary:
    """What deleting a venue does: the shows that will have no venue."""

    venue_id: uuid.UUID
    venue_name: str
    show_names: tuple[str, ...]

    @property
    def sentence(self) -> str:
        if not self.show_names:
            return f'No show uses "{self.venue_name}".'
        names = join_words([f'"{name}"' for name in self.show_names])
        verb = "uses" if len(self.show_names) == 1 else "use"
        return f'{names} {verb} "{self.venue_name}" and will have no venue.'


def _columns(data: VenueData) -> dict[str, object]:
    """The checked column values of a venue form."""
    if data.venue_type is not None and not isinstance(data.venue_type, VenueType):
        try:
            venue_type: VenueType | None = VenueType(str(data.venue_type))
        except ValueError:
            kinds = ", ".join(kind.value.replace("_", " ") for kind in VenueType)
            raise ValidationError(
                f'"{data.venue_type}" is not a kind of venue: choose one of {kinds}.'
            ) from None
    else:
        venue_type = data.venue_type
    equipment = [item.strip() for item in data.equipment if item and item.strip()]
    for item in equipment:
        if len(item) > 200:
            raise ValidationError(f'{SUBJECT}\'s equipment item "{item[:40]}…" is too long.')
    return {
        "name": required_text(SUBJECT, data.name, 200),
        "address": optional_text(SUBJECT, data.address, 300, field="address"),
        "city": optional_text(SUBJECT, data.city, 120, field="city"),
        "state": optional_text(SUBJECT, data.state, 120, field="state or region"),
        "capacity": non_negative_int(SUBJECT, data.capacity, field="capacity"),
        "venue_type": venue_type,
        "contact_name": optional_text(SUBJECT, data.contact_name, 200, field="contact name"),
        "contact_email": optional_email(SUBJECT, data.contact_email, field="contact email"),
        "contact_phone": optional_text(SUBJECT, data.contact_phone, 60, field="contact phone"),
        "stage_width_m": non_negative_decimal(
            SUBJECT, data.stage_width_m, field="stage width", max_digits=7
        ),
        "stage_depth_m": non_negative_decimal(
            SUBJECT, data.stage_depth_m, field="stage depth", max_digits=7
        ),
        "fly_height_m": non_negative_decimal(
            SUBJECT, data.fly_height_m, field="fly height", max_digits=7
        ),
        "equipment": equipment,
        "rental_rate": non_negative_decimal(SUBJECT, data.rental_rate, field="rental rate"),
        "minimum_rental": non_negative_decimal(
            SUBJECT, data.minimum_rental, field="minimum rental"
        ),
        "notes": optional_text(SUBJECT, data.notes, None, field="notes"),
    }


def _refuse_duplicate(
    session: Session, owner_id: uuid.UUID, name: str, city: object, but: uuid.UUID | None
) -> None:
    """Two venues of one owner may share a name only in different cities."""
    query = select(Venue.id).where(
        Venue.owner_id == owner_id,
        func.lower(Venue.name) == name.lower(),
        func.lower(func.coalesce(Venue.city, "")) == str(city or "").lower(),
    )
    if but is not None:
        query = query.where(Venue.id != but)
    if session.scalars(query.limit(1)).first() is not None:
        where = f" in {city}" if city else ""
        raise ValidationError(f'You already have a venue called "{name}"{where}.')


def create_venue(db: Database, owner_id: uuid.UUID, data: VenueData) -> Changes:
    """Add a venue to my list."""
    values = _columns(data)
    log = ChangeLog()
    with db.unit_of_work() as session:
        _refuse_duplicate(session, owner_id, str(values["name"]), values["city"], None)
        venue = Venue(id=uuid.uuid4(), owner_id=owner_id, **values)
        session.add(venue)
        session.flush()
        log.created(Kind.VENUE, venue.id)
    return log.freeze()


def update_venue(
    db: Database, owner_id: uuid.UUID, venue_id: uuid.UUID, data: VenueData
) -> Changes:
    """Give a venue the form's values; nothing is written when nothing differs."""
    values = _columns(data)
    log = ChangeLog()
    with db.unit_of_work() as session:
        venue = find_owned(session, Venue, venue_id, owner_id, MISSING)
        _refuse_duplicate(session, owner_id, str(values["name"]), values["city"], venue_id)
        if set_fields(venue, values):
            log.updated(Kind.VENUE, venue.id)
    return log.freeze()


def _data(venue: Venue) -> VenueData:
    return VenueData(
        name=venue.name,
        address=venue.address,
        city=venue.city,
        state=venue.state,
        capacity=venue.capacity,
        venue_type=venue.venue_type,
        contact_name=venue.contact_name,
        contact_email=venue.contact_email,
        contact_phone=venue.contact_phone,
        stage_width_m=venue.stage_width_m,
        stage_depth_m=venue.stage_depth_m,
        fly_height_m=venue.fly_height_m,
        equipment=tuple(venue.equipment or ()),
        rental_rate=venue.rental_rate,
        minimum_rental=venue.minimum_rental,
        notes=venue.notes,
    )


def list_venues(db: Database, owner_id: uuid.UUID) -> list[VenueListing]:
    """My venues by name, each with how many shows use it (one query)."""
    uses = (
        select(Show.venue_id, func.count().label("shows"))
        .where(Show.owner_id == owner_id, Show.venue_id.is_not(None))
        .group_by(Show.venue_id)
        .subquery()
    )
    query = (
        select(Venue, func.coalesce(uses.c.shows, 0))
        .outerjoin(uses, uses.c.venue_id == Venue.id)
        .where(Venue.owner_id == owner_id)
        .order_by(func.lower(Venue.name), Venue.city, Venue.id)
    )
    with db.reading() as session:
        return [
            VenueListing(venue.id, _data(venue), int(count), venue.updated_at)
            for venue, count in session.execute(query).all()
        ]


def get_venue(db: Database, owner_id: uuid.UUID, venue_id: uuid.UUID) -> VenueListing:
    """One of my venues, for its form."""
    with db.reading() as session:
        venue = find_owned(session, Venue, venue_id, owner_id, MISSING)
        count = session.scalar(
            select(func.count())
            .select_from(Show)
            .where(Show.owner_id == owner_id, Show.venue_id == venue_id)
        )
        return VenueListing(venue.id, _data(venue), int(count or 0), venue.updated_at)


def venue_deletion_summary(
    db: Database, owner_id: uuid.UUID, venue_id: uuid.UUID
) -> VenueDeletionSummary:
    """Which of my shows would lose the venue, for the question before deleting."""
    with db.reading() as session:
        venue = find_owned(session, Venue, venue_id, owner_id, MISSING)
        names = session.scalars(
            select(Show.name)
            .where(Show.venue_id == venue_id, Show.owner_id == owner_id)
            .order_by(func.lower(Show.name))
        ).all()
        return VenueDeletionSummary(venue.id, venue.name, tuple(names))


def delete_venue(db: Database, owner_id: uuid.UUID, venue_id: uuid.UUID) -> Changes:
    """Delete a venue; the shows that used it keep everything but their venue.

    One transaction: the shows are emptied explicitly, then the venue is
    deleted (the foreign key's ``SET NULL`` is only the safety net).
    """
    log = ChangeLog()
    with db.unit_of_work() as session:
        find_owned(session, Venue, venue_id, owner_id, MISSING)
        emptied = session.scalars(
            update(Show)
            .where(Show.venue_id == venue_id)
            .values(venue_id=None)
            .returning(Show.id)
            .execution_options(synchronize_session=False)
        ).all()
        session.execute(
            delete(Venue)
            .where(Venue.id == venue_id, Venue.owner_id == owner_id)
            .execution_options(synchronize_session=False)
        )
        log.updated_all(Kind.SHOW, emptied)
        log.deleted(Kind.VENUE, venue_id)
    return log.freeze()

"""Venues: create, change, list, delete (emptying the shows that used it)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import count_statements, dump_tables

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Show, Venue
from callmaster_desktop.domain.enums import VenueType
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.venues import (
    VenueData,
    create_venue,
    delete_venue,
    get_venue,
    list_venues,
    update_venue,
    venue_deletion_summary,
)

OLD_VIC = VenueData(
    name="  The Old Vic ",
    address="The Cut",
    city="London",
    capacity=1000,
    venue_type=VenueType.PROSCENIUM,
    contact_email="stage.door@oldvic.example",
    stage_width_m=Decimal("11.5"),
    fly_height_m=Decimal("18"),
    equipment=("Eos Ti", " ", "Haze machine"),
    rental_rate=Decimal("4500.00"),
)


def _shows(db: Database, owner: Person, venue_id: uuid.UUID | None, *names: str) -> None:
    with db.unit_of_work() as s:
        s.add_all(Show(owner_id=owner.id, name=n, venue_id=venue_id) for n in names)


def test_create_list_and_get_a_venue(db: Database, owner: Person) -> None:
    changes = create_venue(db, owner.id, OLD_VIC)
    venue_id = changes.created_id(Kind.VENUE)
    assert changes.created == ((Kind.VENUE, venue_id),) and not changes.updated
    _shows(db, owner, venue_id, "Hamlet", "Macbeth")
    create_venue(db, owner.id, VenueData(name="Almeida", city="London"))
    listed = list_venues(db, owner.id)
    assert [(v.name, v.show_count) for v in listed] == [("Almeida", 0), ("The Old Vic", 2)]
    vic = get_venue(db, owner.id, venue_id)
    assert vic.show_count == 2
    assert vic.data.name == "The Old Vic"
    assert vic.data.equipment == ("Eos Ti", "Haze machine")
    assert vic.data.stage_width_m == Decimal("11.50")
    assert vic.data.venue_type is VenueType.PROSCENIUM


def test_listing_venues_is_one_statement(db: Database, owner: Person) -> None:
    for i in range(5):
        venue_id = create_venue(db, owner.id, VenueData(name=f"Venue {i}")).created_id(Kind.VENUE)
        _shows(db, owner, venue_id, f"Show {i}")
    with count_statements(db) as counter:
        assert len(list_venues(db, owner.id)) == 5
    assert counter.count == 1


def test_update_changes_only_what_differs(db: Database, owner: Person) -> None:
    venue_id = create_venue(db, owner.id, OLD_VIC).created_id(Kind.VENUE)
    with count_statements(db) as counter:
        unchanged = update_venue(db, owner.id, venue_id, get_venue(db, owner.id, venue_id).data)
    assert not unchanged
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in counter.statements)
    changes = update_venue(db, owner.id, venue_id, VenueData(name="Old Vic", capacity=1067))
    assert changes.updated == ((Kind.VENUE, venue_id),)
    data = get_venue(db, owner.id, venue_id).data
    assert (data.name, data.capacity, data.city, data.equipment) == ("Old Vic", 1067, None, ())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (VenueData(name="   "), "The venue needs a name."),
        (VenueData(name="X" * 201), "at most 200 fit"),
        (VenueData(name="Vic", capacity=-5), "capacity must be a whole number"),
        (VenueData(name="Vic", contact_email="nobody"), "does not look like an email"),
        (VenueData(name="Vic", stage_depth_m=Decimal("-1")), "stage depth must be a number"),
        (VenueData(name="Vic", rental_rate="lots"), 'rental rate "lots" is not a number'),  # type: ignore[arg-type]
        (VenueData(name="Vic", venue_type="circus"), "is not a kind of venue"),  # type: ignore[arg-type]
        (VenueData(name="Vic", fly_height_m=Decimal("123456")), "fly height 123456 is too large"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    db: Database, owner: Person, data: VenueData, message: str
) -> None:
    venue_id = create_venue(db, owner.id, VenueData(name="Almeida")).created_id(Kind.VENUE)
    before = dump_tables(db)
    with pytest.raises(ValidationError, match=message):
        create_venue(db, owner.id, data)
    with pytest.raises(ValidationError, match=message):
        update_venue(db, owner.id, venue_id, data)
    assert dump_tables(db) == before


def test_a_duplicate_name_in_the_same_city_is_refused(db: Database, owner: Person) -> None:
    create_venue(db, owner.id, VenueData(name="Main Stage", city="Leeds"))
    other = create_venue(db, owner.id, VenueData(name="Studio", city="Leeds"))
    before = dump_tables(db)
    with pytest.raises(ValidationError, match='already have a venue called "MAIN STAGE" in leeds'):
        create_venue(db, owner.id, VenueData(name="MAIN STAGE", city="leeds"))
    with pytest.raises(ValidationError, match="already have a venue"):
        update_venue(
            db, owner.id, other.created_id(Kind.VENUE), VenueData("Main Stage", city="Leeds")
        )
    assert dump_tables(db) == before
    create_venue(db, owner.id, VenueData(name="Main Stage", city="York"))  # another city is fine


def test_another_owners_venue_is_not_found(db: Database, owner: Person) -> None:
    venue_id = create_venue(db, owner.id, VenueData(name="Almeida")).created_id(Kind.VENUE)
    stranger = ensure_profile(db, "someone-else")
    before = dump_tables(db)
    for attempt in (
        lambda: update_venue(db, stranger.id, venue_id, VenueData(name="Mine now")),
        lambda: delete_venue(db, stranger.id, venue_id),
        lambda: get_venue(db, stranger.id, venue_id),
        lambda: venue_deletion_summary(db, stranger.id, venue_id),
        lambda: delete_venue(db, owner.id, uuid.uuid4()),
    ):
        with pytest.raises(NotFoundError, match="not in your list of venues"):
            attempt()
    assert dump_tables(db) == before
    assert list_venues(db, stranger.id) == []


def test_deleting_a_venue_empties_its_shows(db: Database, owner: Person) -> None:
    venue_id = create_venue(db, owner.id, OLD_VIC).created_id(Kind.VENUE)
    other_id = create_venue(db, owner.id, VenueData(name="Almeida")).created_id(Kind.VENUE)
    _shows(db, owner, venue_id, "Macbeth", "Hamlet")
    _shows(db, owner, other_id, "Medea")
    summary = venue_deletion_summary(db, owner.id, venue_id)
    assert summary.show_names == ("Hamlet", "Macbeth")
    assert summary.sentence == '"Hamlet" and "Macbeth" use "The Old Vic" and will have no venue.'
    assert venue_deletion_summary(db, owner.id, other_id).sentence == (
        '"Medea" uses "Almeida" and will have no venue.'
    )
    changes = delete_venue(db, owner.id, venue_id)
    assert changes.deleted == ((Kind.VENUE, venue_id),)
    with db.reading() as s:
        shows = {
            name: (i, v) for name, i, v in s.execute(select(Show.name, Show.id, Show.venue_id))
        }
        assert s.get(Venue, venue_id) is None
    assert set(changes.updated_ids(Kind.SHOW)) == {shows["Macbeth"][0], shows["Hamlet"][0]}
    assert shows["Macbeth"][1] is None and shows["Hamlet"][1] is None
    assert shows["Medea"][1] == other_id
    empty = create_venue(db, owner.id, VenueData(name="Shed")).created_id(Kind.VENUE)
    assert venue_deletion_summary(db, owner.id, empty).sentence == 'No show uses "Shed".'


def test_delete_venue_is_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    for how in hows(backend):
        venue_id = create_venue(db, owner.id, VenueData(name=f"Vic {how}")).created_id(Kind.VENUE)
        _shows(db, owner, venue_id, f"Hamlet {how}", f"Lear {how}")
        proof = assert_all_or_nothing(db, partial(delete_venue, db, owner.id, venue_id), how=how)
        assert proof.statements == 3  # find the venue, empty its shows, delete it
        assert len(proof.result.updated_ids(Kind.SHOW)) == 2
        with db.reading() as s:
            assert s.get(Venue, venue_id) is None
            assert s.scalars(select(Show.venue_id).where(Show.name == f"Lear {how}")).one() is None

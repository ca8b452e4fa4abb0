"""Listings take a fixed number of SQL statements, however many rows they show (no N+1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from support.faults import count_statements

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script, Show, Venue
from callmaster_desktop.services.shows import list_shows

# --- shows --------------------------------------------------------------------------


def _add_shows(db: Database, owner_id: uuid.UUID, first: int, last: int) -> None:
    """Shows ``first``..``last - 1``: every other one at a venue, with 1 to 3 scripts."""
    start = datetime(2027, 1, 1, 19, 30, tzinfo=UTC)
    venues, shows, scripts = [], [], []
    for i in range(first, last):
        venue_id = uuid.uuid4() if i % 2 == 0 else None
        if venue_id is not None:
            venues.append({"id": venue_id, "owner_id": owner_id, "name": f"Venue {i:04d}"})
        show_id = uuid.uuid4()
        shows.append(
            {"id": show_id, "owner_id": owner_id, "venue_id": venue_id, "name": f"Show {i:04d}"}
        )
        for n in range(1 + i % 3):
            scripts.append(
                {
                    "id": uuid.uuid4(),
                    "show_id": show_id,
                    "name": f"Script {n}",
                    "start_time": start + timedelta(days=i),
                    "created_at": start + timedelta(seconds=n),
                }
            )
    with db.unit_of_work() as session:
        if venues:
            session.execute(insert(Venue), venues)
        session.execute(insert(Show), shows)
        session.execute(insert(Script), scripts)


def test_listing_shows_takes_the_same_statements_for_10_and_1000_shows(
    db: Database, owner: Person
) -> None:
    counts = {}
    for total, first in ((10, 0), (1000, 10)):
        _add_shows(db, owner.id, first, total)
        with count_statements(db) as counter:
            listed = list_shows(db, owner.id)
        counts[total] = counter.count
        assert len(listed) == total
        for i, show in enumerate(listed):  # names sort as numbered
            assert show.name == f"Show {i:04d}"
            assert show.venue_name == (f"Venue {i:04d}" if i % 2 == 0 else None)
            assert [s.name for s in show.scripts] == [f"Script {n}" for n in range(1 + i % 3)]
    assert counts[10] == counts[1000] == 1, counts

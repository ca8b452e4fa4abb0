"""Preferences per user: defaults, save, range checks, nothing written when unchanged."""

from __future__ import annotations

import uuid

import pytest
from support.faults import count_statements, dump_tables

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, UserPreferences
from callmaster_desktop.domain.enums import Theme, TimeDisplay
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.preferences import (
    Preferences,
    get_preferences,
    save_preferences,
)


def test_a_new_profile_starts_with_the_defaults(db: Database, owner: Person) -> None:
    prefs = get_preferences(db, owner.id)
    assert prefs == Preferences()
    assert prefs.standby_lookahead_s == 30 and prefs.theme is Theme.SYSTEM


def test_saved_preferences_come_back_and_stay_per_user(db: Database, owner: Person) -> None:
    other = ensure_profile(db, "assistant-sm")
    wanted = Preferences(
        theme=Theme.DARK,
        colorize_departments=False,
        time_display=TimeDisplay.CLOCK,
        clock_24h=False,
        standby_lookahead_s=45,
        autosave_interval_s=300,
        confirm_deletes=False,
        confirm_safety_stop=True,
    )
    changes = save_preferences(db, owner.id, wanted)
    assert changes.updated_ids(Kind.PREFERENCES) == (owner.id,)
    assert get_preferences(db, owner.id) == wanted
    assert get_preferences(db, other.id) == Preferences()


def test_saving_the_same_preferences_writes_nothing(db: Database, owner: Person) -> None:
    prefs = Preferences(theme=Theme.LIGHT, standby_lookahead_s=10)
    save_preferences(db, owner.id, prefs)
    before = dump_tables(db)
    with count_statements(db) as counted:
        changes = save_preferences(db, owner.id, prefs)
    assert not changes
    assert all(not s.lstrip().upper().startswith("UPDATE") for s in counted.statements)
    assert dump_tables(db) == before


def test_a_person_without_a_preferences_row_gets_one(db: Database, owner: Person) -> None:
    with db.unit_of_work() as session:
        session.delete(session.get(UserPreferences, owner.id))
    assert get_preferences(db, owner.id) == Preferences()
    changes = save_preferences(db, owner.id, Preferences(standby_lookahead_s=5))
    assert changes.created_ids(Kind.PREFERENCES) == (owner.id,)
    assert get_preferences(db, owner.id).standby_lookahead_s == 5


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"standby_lookahead_s": 4}, "between 5 and 60 seconds, not 4"),
        ({"standby_lookahead_s": 61}, "between 5 and 60 seconds, not 61"),
        ({"standby_lookahead_s": 30.5}, "whole number"),
        ({"autosave_interval_s": 10}, "not every 10 seconds"),
        ({"autosave_interval_s": 7200}, "not every 7200 seconds"),
        ({"theme": "sepia"}, '"sepia" is not a theme'),
        ({"time_display": "sundial"}, '"sundial" is not a way to show times'),
    ],
)
def test_out_of_range_values_are_refused_and_nothing_changes(
    db: Database, owner: Person, values: dict[str, object], words: str
) -> None:
    before = dump_tables(db)
    with pytest.raises(ValidationError, match=words):
        save_preferences(db, owner.id, Preferences().with_changes(**values))
    assert dump_tables(db) == before


def test_the_edges_of_the_ranges_are_allowed(db: Database, owner: Person) -> None:
    for lookahead, autosave in ((5, 0), (60, 30), (30, 3600)):
        prefs = Preferences(standby_lookahead_s=lookahead, autosave_interval_s=autosave)
        save_preferences(db, owner.id, prefs)
        assert get_preferences(db, owner.id) == prefs


def test_an_unknown_person_is_not_found(db: Database, owner: Person) -> None:
    before = dump_tables(db)
    with pytest.raises(NotFoundError, match="profile"):
        save_preferences(db, uuid.uuid4(), Preferences())
    assert dump_tables(db) == before

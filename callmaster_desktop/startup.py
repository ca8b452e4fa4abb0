"""Opening a database for the person at the keyboard.

Shared by the command line and the window: open (create or upgrade) the
database, find or create the user's profile, and on a brand-new database
load the sample show so there is something to explore.

``open_for_user`` touches no Qt and may run on any thread: the window runs
it in a worker so that a slow open (an upgrade, a busy file, a server that is
slow to answer) never freezes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import SchemaState, open_database, schema_state
from callmaster_desktop.db.models import Person
from callmaster_desktop.profile import current_login, find_or_create_profile
from callmaster_desktop.sample import load_sample_show


@dataclass
class OpenedDatabase:
    db: Database
    profile: Person
    created: bool
    sample_loaded: bool


def open_for_user(
    url: str, *, login: str | None = None, sample_on_create: bool = True
) -> OpenedDatabase:
    state, _ = schema_state(url)
    created = state is SchemaState.MISSING
    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            profile = find_or_create_profile(session, login or current_login())
            loaded = False
            if created and sample_on_create:
                load_sample_show(session, profile)
                loaded = True
    except BaseException:
        db.dispose()  # a half-opened database leaves no connection behind
        raise
    return OpenedDatabase(db, profile, created, loaded)

"""The local profile: the person who runs the application.

Whoever runs CallMaster is a person in the database, found by their login
name (``CALLMASTER_USER`` or the operating-system user). What they create is
owned by that person, so several stage managers can share one PostgreSQL
database without seeing each other's venues, departments, crew and shows.
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, UserPreferences


def current_login() -> str:
    name = os.environ.get("CALLMASTER_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "stage-manager"


def find_or_create_profile(session: Session, login: str) -> Person:
    person = session.scalars(select(Person).where(Person.login_name == login)).first()
    if person is not None:
        return person
    person = Person(
        login_name=login,
        first_name=login.replace(".", " ").replace("_", " ").title(),
        last_name="",
        production_role="Stage Manager",
        is_guest=False,
    )
    session.add(person)
    session.flush()
    session.add(UserPreferences(person_id=person.id))
    return person


def ensure_profile(db: Database, login: str | None = None) -> Person:
    """The profile of ``login`` (default: the current user), created on first use."""
    with db.unit_of_work() as session:
        return find_or_create_profile(session, login or current_login())

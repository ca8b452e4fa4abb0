"""Locking a script for a save, and refusing a save based on an outdated version.

``lock_script`` takes the script row with ``SELECT ... FOR UPDATE`` on
PostgreSQL (on SQLite the writing unit of work already holds ``BEGIN
IMMEDIATE``) and raises ``ConflictError`` naming who saved and when when
the script is no longer at the version the caller started from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Person, Script, Show
from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.errors import ConflictError, NotFoundError

SCRIPT_FIELDS = ("name", "status", "start_time", "end_time", "notes")


@dataclass(frozen=True)
class LockedScript:
    """The script row as locked for a save."""

    id: uuid.UUID
    show_id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    status: ScriptStatus
    start_time: datetime | None
    end_time: datetime | None
    notes: str | None
    version: int
    saved_at: datetime | None = None  # when the version was saved

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SCRIPT_FIELDS}


def lock_script(
    session: Session,
    script_id: uuid.UUID,
    base_version: int | None,
    owner_id: uuid.UUID | None = None,
) -> LockedScript:
    """Lock the script for writing and check that it is still at ``base_version``.

    ``base_version=None`` skips the check (used by operations that do not
    start from an opened copy, such as copying). With ``owner_id``, another
    owner's script is not found.
    """
    row = session.execute(
        select(
            Script.id,
            Script.show_id,
            Show.owner_id,
            Script.name,
            Script.status,
            Script.start_time,
            Script.end_time,
            Script.notes,
            Script.version,
            Script.updated_by_id,
            Script.updated_at,
        )
        .join(Show, Show.id == Script.show_id)
        .where(Script.id == script_id)
        .with_for_update(of=Script)
    ).one_or_none()
    if row is None or (owner_id is not None and row.owner_id != owner_id):
        raise NotFoundError("That script is no longer there: someone may have deleted it.")
    locked = LockedScript(*row[:9], saved_at=row.updated_at)
    if base_version is not None and locked.version != base_version:
        raise _conflict(session, locked, row.updated_by_id, row.updated_at)
    return locked


def _conflict(
    session: Session, locked: LockedScript, saved_by_id: uuid.UUID | None, saved_at: datetime
) -> ConflictError:
    who = "Someone else"
    if saved_by_id is not None:
        person = session.execute(
            select(Person.first_name, Person.last_name).where(Person.id == saved_by_id)
        ).one_or_none()
        if person is not None:
            who = f"{person.first_name} {person.last_name}".strip() or who
    when = saved_at.astimezone().strftime("%H:%M on %d %b %Y")
    return ConflictError(
        f'{who} saved "{locked.name}" at {when}, after you opened it. Nothing was saved: '
        "reload the script to see their changes, then make yours again.",
        saved_by=who,
        saved_at=saved_at,
    )

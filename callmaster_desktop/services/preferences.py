"""Per-user preferences, kept in the database so they follow the stage manager.

Theme, department colours, offsets or clock times, 12 or 24 hour clock, the
standby lookahead (5 to 60 seconds), the auto-save interval and which
questions to ask before acting. ``get_preferences`` gives the defaults when
the person has none stored yet; ``save_preferences`` checks every value and
writes only what differs, in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace
from typing import Any

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, UserPreferences
from callmaster_desktop.domain.enums import Theme, TimeDisplay
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.validation import set_fields

LOOKAHEAD_RANGE = (5, 60)
# Auto-save every 0 (never) or between 30 seconds and one hour.
AUTOSAVE_RANGE = (30, 3600)
MISSING_PERSON = "Your profile is not in this database any more."


@dataclass(frozen=True)
class Preferences:
    """What the preferences dialog edits (the defaults are a new user's)."""

    theme: Theme = Theme.SYSTEM
    colorize_departments: bool = True
    time_display: TimeDisplay = TimeDisplay.OFFSET
    clock_24h: bool = True
    standby_lookahead_s: int = 30
    autosave_interval_s: int = 120
    confirm_deletes: bool = True
    confirm_safety_stop: bool = True

    def with_changes(self, **values: Any) -> Preferences:
        return replace(self, **values)


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"The {what} must be a whole number of seconds.")
    return value


def check_preferences(prefs: Preferences) -> dict[str, Any]:
    """The column values of ``prefs``; ``ValidationError`` for a value out of range."""
    try:
        theme = Theme(prefs.theme)
    except ValueError:
        raise ValidationError(
            f'"{prefs.theme}" is not a theme: choose light, dark or system.'
        ) from None
    try:
        time_display = TimeDisplay(prefs.time_display)
    except ValueError:
        raise ValidationError(
            f'"{prefs.time_display}" is not a way to show times: choose offset or clock.'
        ) from None
    lookahead = _whole(prefs.standby_lookahead_s, "standby lookahead")
    low, high = LOOKAHEAD_RANGE
    if not low <= lookahead <= high:
        raise ValidationError(
            f"The standby lookahead must be between {low} and {high} seconds, not {lookahead}."
        )
    autosave = _whole(prefs.autosave_interval_s, "auto-save interval")
    low, high = AUTOSAVE_RANGE
    if autosave != 0 and not low <= autosave <= high:
        raise ValidationError(
            f"Auto-save runs every {low} seconds to {high // 60} minutes (or 0 for never), "
            f"not every {autosave} seconds."
        )
    values = asdict(prefs)
    values.update(theme=theme, time_display=time_display)
    for flag in ("colorize_departments", "clock_24h", "confirm_deletes", "confirm_safety_stop"):
        values[flag] = bool(values[flag])
    return values


def _from_row(row: UserPreferences) -> Preferences:
    return Preferences(
        theme=row.theme,
        colorize_departments=row.colorize_departments,
        time_display=row.time_display,
        clock_24h=row.clock_24h,
        standby_lookahead_s=row.standby_lookahead_s,
        autosave_interval_s=row.autosave_interval_s,
        confirm_deletes=row.confirm_deletes,
        confirm_safety_stop=row.confirm_safety_stop,
    )


def get_preferences(db: Database, person_id: uuid.UUID) -> Preferences:
    """The person's preferences; the defaults when none are stored yet."""
    with db.reading() as session:
        row = session.get(UserPreferences, person_id)
        return Preferences() if row is None else _from_row(row)


def save_preferences(db: Database, person_id: uuid.UUID, prefs: Preferences) -> Changes:
    """Store the person's preferences; nothing is written when nothing differs."""
    values = check_preferences(prefs)
    log = ChangeLog()
    with db.unit_of_work() as session:
        row = session.get(UserPreferences, person_id)
        if row is None:
            if session.get(Person, person_id) is None:
                raise NotFoundError(MISSING_PERSON)
            session.add(UserPreferences(person_id=person_id, **values))
            session.flush()
            log.created(Kind.PREFERENCES, person_id)
        elif set_fields(row, values):
            log.updated(Kind.PREFERENCES, person_id)
    return log.freeze()

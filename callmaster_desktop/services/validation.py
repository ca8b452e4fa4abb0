"""Small checks shared by the services; each raises ``ValidationError`` in plain words.

The ``subject`` of a check is how the message names the thing being edited,
capitalised, as in "The show" or "The venue"; ``field`` names the part of it
("name", "first name"). So ``required_text("The show", "", 200)`` raises
"The show needs a name."
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.errors import NotFoundError, ValidationError

_COLOUR = re.compile(r"#?([0-9A-Fa-f]{6})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MAX_EMAIL_LENGTH = 254


def _article(field: str) -> str:
    return "an" if field[:1].lower() in "aeiou" else "a"


def required_text(subject: str, value: str | None, max_len: int, *, field: str = "name") -> str:
    """``value`` trimmed; refused when empty or longer than ``max_len`` characters."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{subject} needs {_article(field)} {field}.")
    _check_length(subject, field, text, max_len)
    return text


def optional_text(
    subject: str, value: str | None, max_len: int | None, *, field: str
) -> str | None:
    """``value`` trimmed, None when empty; refused when longer than ``max_len``."""
    text = (value or "").strip()
    if not text:
        return None
    if max_len is not None:
        _check_length(subject, field, text, max_len)
    return text


def _check_length(subject: str, field: str, text: str, max_len: int) -> None:
    if len(text) > max_len:
        shown = text if len(text) <= 40 else text[:39] + "\u2026"
        raise ValidationError(
            f'{subject}\'s {field} "{shown}" is {len(text)} characters long: at most {max_len} fit.'
        )


def colour(subject: str, value: str | None, *, default: str | None = None) -> str | None:
    """A colour as ``#RRGGBB`` in capitals (``ffcc00`` and ``#ffcc00`` both give ``#FFCC00``).

    Empty gives ``default``.
    """
    text = (value or "").strip()
    if not text:
        return default
    match = _COLOUR.fullmatch(text)
    if match is None:
        raise ValidationError(
            f'{subject}\'s colour "{text[:20]}" is not a colour code: '
            "write it as # and six hex digits, such as #FFCC00."
        )
    return "#" + match[1].upper()


def optional_email(subject: str, value: str | None, *, field: str = "email") -> str | None:
    """An email address trimmed, None when empty; refused unless shaped like name@example.org."""
    text = optional_text(subject, value, MAX_EMAIL_LENGTH, field=field)
    if text is not None and _EMAIL.fullmatch(text) is None:
        raise ValidationError(
            f'{subject}\'s {field} "{text[:60]}" does not look like an email address '
            "(name@example.org)."
        )
    return text


def aware_time(subject: str, value: datetime | None, *, field: str) -> datetime | None:
    """A date and time that carries its time zone (None passes)."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{subject}'s {field} has no time zone, so it cannot be placed on the calendar."
        )
    return value


def time_order(
    subject: str,
    start: datetime | None,
    end: datetime | None,
    *,
    start_field: str,
    end_field: str,
) -> None:
    """Refuse an end before its start (either may be missing)."""
    if start is not None and end is not None and end < start:
        raise ValidationError(f"{subject}'s {end_field} comes before its {start_field}.")


def non_negative_int(subject: str, value: int | None, *, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{subject}'s {field} must be a whole number, 0 or more.")
    return value


def non_negative_decimal(
    subject: str,
    value: Decimal | int | float | str | None,
    *,
    field: str,
    places: int = 2,
    max_digits: int = 12,
) -> Decimal | None:
    """A number of 0 or more with at most ``places`` decimals, as a ``Decimal``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f'{subject}\'s {field} "{value}" is not a number.') from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"{subject}'s {field} must be a number, 0 or more.")
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if len(rounded.as_tuple().digits) > max_digits:
        raise ValidationError(f"{subject}'s {field} {value} is too large.")
    return rounded


def set_fields(row: object, values: dict[str, Any]) -> bool:
    """Give ``row`` these attribute values; True when at least one differed.

    Only differing attributes are set, so an unchanged form writes nothing.
    """
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 script``, ``3 scripts``, ``2 crew assignments``."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def join_words(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class Owned(Protocol):
    """A row that belongs to one person (a show, venue or department)."""

    @property
    def owner_id(self) -> uuid.UUID: ...


OwnedT = TypeVar("OwnedT", bound=Owned)


def find_owned(
    session: Session, model: type[OwnedT], row_id: uuid.UUID, owner_id: uuid.UUID, missing: str
) -> OwnedT:
    """The row ``row_id`` of ``model`` if ``owner_id`` owns it; else ``NotFoundError(missing)``.

    Another owner's row is "not found": nobody learns what others keep.
    """
    row = session.get(model, row_id)
    if row is None or row.owner_id != owner_id:
        raise NotFoundError(missing)
    return row


EnumT = TypeVar("EnumT", bound=Enum)


def choice(kind: type[EnumT], value: Any, what: str) -> EnumT:
    """``value`` as one of ``kind``'s members, refused in plain words naming the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise ValidationError(f'"{value}" is not a {what}: choose one of {choices}.') from None


def script_status(value: Any) -> ScriptStatus:
    """A script's status from its value ("draft", ...), refused in plain words when unknown."""
    return choice(ScriptStatus, value, "script status")

"""Offsets: milliseconds from a script's start, read from and written as text.

An offset is a plain ``int`` of milliseconds; negative means pre-show (the
house opens at ``-30:00``). This module turns what a stage manager types into
milliseconds and back, and turns an offset into a wall-clock time.

What ``parse_offset`` reads (surrounding whitespace ignored, one optional
leading ``+`` or ``-``):

- ``H:MM:SS`` and ``M:SS``: ``1:02:03``, ``2:03``, ``-5:00``, ``27:00:00``.
  The first field may be any size (hours never wrap at 12 or 24); every later
  field is exactly two digits and below 60.
- a fraction of a second on the last field: ``2:03.5``, ``1:02:03.250``;
- a number with a unit: ``90s``, ``90.5s``, ``1.5m``, ``2h`` (unit in either
  case, no space before it);
- a plain number, read as seconds: ``45``, ``7.25``.

Only ASCII digits are read. A fraction finer than a millisecond is rounded to
the nearest millisecond, halves away from zero, so ``-x`` always reads as
minus what ``x`` reads as.

Formatting truncates toward zero: ``format_offset(-1_500)`` is ``-0:01`` and
``format_offset(-500)`` is ``0:00`` (a sign is only shown in front of a
non-zero display). With ``show_ms=True`` nothing is lost, so
``parse_offset(format_offset(x, show_ms=True)) == x`` for every int ``x``.
"""

from __future__ import annotations

import operator
import re
from datetime import datetime, timedelta

__all__ = [
    "TimeFormatError",
    "format_clock",
    "format_countdown",
    "format_delta",
    "format_offset",
    "parse_delta",
    "parse_offset",
]

MS_PER_SECOND = 1_000
MS_PER_MINUTE = 60 * MS_PER_SECOND
MS_PER_HOUR = 60 * MS_PER_MINUTE

_UNIT_MS = {"s": MS_PER_SECOND, "m": MS_PER_MINUTE, "h": MS_PER_HOUR}

# Longer input is refused before any arithmetic: no real offset needs it, and
# it keeps int() far away from Python's limit on digits.
_MAX_TEXT_LENGTH = 40

_EXPECTED_OFFSET = "expected H:MM:SS, M:SS, 90s or 1.5m (seconds and minutes below 60)"
_EXPECTED_DELTA = "expected +M:SS, -M:SS, +H:MM:SS, +90s or -1.5m (seconds and minutes below 60)"

_COLON_FORM = re.compile(
    r"(?P<first>[0-9]+):(?P<second>[0-9]{2})(?::(?P<third>[0-9]{2}))?(?:\.(?P<frac>[0-9]+))?"
)
_UNIT_FORM = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]+))?(?P<unit>[smhSMH]?)")


class TimeFormatError(ValueError):
    """Text that cannot be read as a time.

    The message names what was given and what was expected, e.g.
    ``Cannot read "1:75" as a time: expected H:MM:SS, M:SS, 90s or 1.5m
    (seconds and minutes below 60)``.
    """

    def __init__(
        self, text: str, *, what: str = "a time", expected: str = _EXPECTED_OFFSET
    ) -> None:
        self.text = text
        self.expected = expected
        super().__init__(f'Cannot read "{_shorten(text)}" as {what}: {expected}')


def _shorten(text: str, limit: int = _MAX_TEXT_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _fraction_ms(frac: str, unit_ms: int) -> int:
    """``0.<frac>`` units in milliseconds, rounded half away from zero (it is >= 0)."""
    if not frac:
        return 0
    denominator: int = 10 ** len(frac)
    return (2 * int(frac) * unit_ms + denominator) // (2 * denominator)


def _parse_magnitude(body: str) -> int | None:
    """Milliseconds for an unsigned time, or None when the text is not one."""
    match = _COLON_FORM.fullmatch(body)
    if match is not None:
        fields = [match["first"], match["second"]]
        if match["third"] is not None:
            fields.append(match["third"])
        if any(int(field) >= 60 for field in fields[1:]):
            return None
        seconds = 0
        for field in fields:
            seconds = seconds * 60 + int(field)
        return seconds * MS_PER_SECOND + _fraction_ms(match["frac"] or "", MS_PER_SECOND)
    match = _UNIT_FORM.fullmatch(body)
    if match is not None:
        unit_ms = _UNIT_MS[match["unit"].lower() or "s"]
        return int(match["whole"]) * unit_ms + _fraction_ms(match["frac"] or "", unit_ms)
    return None


def _parse(text: str, what: str, expected: str) -> int:
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    stripped = text.strip()
    if len(stripped) > _MAX_TEXT_LENGTH or not stripped:
        raise TimeFormatError(stripped, what=what, expected=expected)
    sign = 1
    body = stripped
    if body[0] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    magnitude = _parse_magnitude(body)
    if magnitude is None:
        raise TimeFormatError(stripped, what=what, expected=expected)
    return sign * magnitude


def parse_offset(text: str) -> int:
    """Read an offset from the script's start; return milliseconds (negative = pre-show).

    >>> parse_offset("1:02:03.5"), parse_offset("-5:00"), parse_offset("1.5m")
    (3723500, -300000, 90000)

    Raises ``TimeFormatError`` for anything else (empty text, ``1:2:3:4``,
    ``1::2``, ``--5``, ``5:60``, ``nan``, ...).
    """
    return _parse(text, "a time", _EXPECTED_OFFSET)


def parse_delta(text: str) -> int:
    """Read a time shift in milliseconds: ``+0:05``, ``-1:30``, ``+90s``.

    Same grammar as ``parse_offset``; the sign may be written or left out
    (``0:05`` shifts 5 seconds later). Raises ``TimeFormatError``.
    """
    return _parse(text, "a time shift", _EXPECTED_DELTA)


def _split(ms: int) -> tuple[int, int, int, int]:
    """Hours, minutes, seconds, milliseconds of a non-negative duration."""
    seconds, millis = divmod(ms, MS_PER_SECOND)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return hours, minutes, seconds, millis


def _format_magnitude(ms: int, *, show_ms: bool, always_hours: bool) -> str:
    hours, minutes, seconds, millis = _split(ms)
    if hours or always_hours:
        text = f"{hours}:{minutes:02d}:{seconds:02d}"
    else:
        text = f"{minutes}:{seconds:02d}"
    if show_ms and millis:
        text += f".{millis:03d}"
    return text


def _displayed(ms: int, show_ms: bool) -> int:
    """The magnitude that is shown: milliseconds dropped (toward zero) unless show_ms."""
    magnitude = abs(ms)
    return magnitude if show_ms else magnitude - magnitude % MS_PER_SECOND


def format_offset(ms: int, *, show_ms: bool = False, always_hours: bool = False) -> str:
    """Write an offset: ``1:02:03`` from an hour on, else ``2:03``; negative as ``-5:00``.

    Hours never wrap (``27:00:00``). ``always_hours`` writes ``0:02:03``.
    Without ``show_ms`` milliseconds are dropped (toward zero); with it,
    ``.mmm`` is appended when they are not zero (``2:03.500``). A minus sign
    is only written in front of a non-zero display: ``format_offset(-400)`` is
    ``0:00``.
    """
    ms = operator.index(ms)
    magnitude = _displayed(ms, show_ms)
    sign = "-" if ms < 0 and magnitude else ""
    return sign + _format_magnitude(magnitude, show_ms=show_ms, always_hours=always_hours)


def format_delta(ms: int, *, show_ms: bool = False) -> str:
    """Write a time shift, always signed: ``+0:05``, ``-1:30``, ``+0:00``.

    Same rules as ``format_offset``; a display of zero is ``+0:00``.
    ``parse_delta(format_delta(x, show_ms=True)) == x``.
    """
    ms = operator.index(ms)
    magnitude = _displayed(ms, show_ms)
    sign = "-" if ms < 0 and magnitude else "+"
    return sign + _format_magnitude(magnitude, show_ms=show_ms, always_hours=False)


def format_clock(
    start: datetime, offset_ms: int, *, hours24: bool = True, seconds: bool = True
) -> str:
    """The wall-clock time of ``start + offset``: ``19:30:05``, or ``7:30:05 PM``.

    Like a clock, the time shown is the last whole second (or minute) that
    has passed. Only the time of day is written, not the date. The sum is
    wall-clock arithmetic (a timezone's daylight-saving change in between is
    not applied). ``OverflowError`` if the result is outside ``datetime``.
    """
    moment = start + timedelta(milliseconds=operator.index(offset_ms))
    tail = f":{moment.second:02d}" if seconds else ""
    if hours24:
        return f"{moment.hour:02d}:{moment.minute:02d}{tail}"
    suffix = "AM" if moment.hour < 12 else "PM"
    hour12 = moment.hour % 12 or 12
    return f"{hour12}:{moment.minute:02d}{tail} {suffix}"


def format_countdown(ms: int) -> str:
    """A countdown to a start: ``T-00:10:00`` with 10 minutes to go, ``T+00:00:05`` after.

    ``ms`` is the time remaining (start minus now): positive before the start,
    zero or negative from the start on. The display ticks once a second, every
    second: it shows the whole seconds elapsed since the start, rounded down,
    so 0.4 s before the start reads ``T-00:00:01``, the start itself reads
    ``T+00:00:00`` and 0.4 s after still reads ``T+00:00:00``. Hours use at
    least two digits and never wrap.
    """
    elapsed_s = -operator.index(ms) // MS_PER_SECOND  # floor of elapsed seconds
    sign = "-" if elapsed_s < 0 else "+"
    hours, minutes, secs, _ = _split(abs(elapsed_s) * MS_PER_SECOND)
    return f"T{sign}{hours:02d}:{minutes:02d}:{secs:02d}"

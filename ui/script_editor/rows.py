"""How a script's row reads in each column of the editor (no Qt here).

The columns follow the issue: time, duration, department, cue label, name,
notes, location, priority. ``RowFormatter`` turns an ``ElementData`` into
the text of one column, the calibre way (one function per column), using
the departments' initials, the time preference (offset or clock time, 12 or
24 hours) and the script's planned start.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from callmaster_desktop.domain.cuenumber import cue_label
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority, TimeDisplay
from callmaster_desktop.domain.timeoffset import (
    TimeFormatError,
    format_clock,
    format_offset,
    parse_offset,
)


class Col(enum.IntEnum):
    """The editor's columns, by logical index."""

    TIME = 0
    DURATION = 1
    DEPARTMENT = 2
    CUE = 3
    NAME = 4
    NOTES = 5
    LOCATION = 6
    PRIORITY = 7


TITLES = {
    Col.TIME: "Time",
    Col.DURATION: "Duration",
    Col.DEPARTMENT: "Dept",
    Col.CUE: "Cue",
    Col.NAME: "Name / description",
    Col.NOTES: "Notes",
    Col.LOCATION: "Location",
    Col.PRIORITY: "Priority",
}
DEFAULT_WIDTHS = {
    Col.TIME: 84,
    Col.DURATION: 74,
    Col.DEPARTMENT: 74,
    Col.CUE: 92,
    Col.NAME: 300,
    Col.NOTES: 206,
    Col.LOCATION: 92,
    Col.PRIORITY: 100,
}
# The element field each column edits (the cue column edits the number).
FIELD_OF = {
    Col.TIME: "offset_ms",
    Col.DURATION: "duration_ms",
    Col.DEPARTMENT: "department_id",
    Col.CUE: "cue_number",
    Col.NAME: "name",
    Col.NOTES: "notes",
    Col.LOCATION: "location",
    Col.PRIORITY: "priority",
}
PRIORITY_WORDS = {
    Priority.SAFETY: "SAFETY",
    Priority.CRITICAL: "Critical",
    Priority.HIGH: "High",
    Priority.NORMAL: "Normal",
    Priority.LOW: "Low",
    Priority.OPTIONAL: "Optional",
}


def editable(column: Col, kind: ElementType) -> bool:
    """Whether a row of this kind can be edited in this column."""
    if kind is ElementType.GROUP:
        return column in (Col.NAME, Col.NOTES, Col.LOCATION)
    if kind is ElementType.NOTE:
        return column not in (Col.DEPARTMENT, Col.CUE)
    return True


@dataclass(frozen=True)
class DepartmentInfo:
    id: uuid.UUID
    name: str
    initials: str
    color: str


@dataclass(frozen=True)
class TimeOptions:
    """How times read: offsets, or clock times from the script's planned start."""

    display: TimeDisplay = TimeDisplay.OFFSET
    clock_24h: bool = True
    start: datetime | None = None

    @property
    def as_clock(self) -> bool:
        return self.display is TimeDisplay.CLOCK and self.start is not None


def format_time(offset_ms: int, options: TimeOptions) -> str:
    """An offset as the stage manager asked to see it (pre-show negatives as such)."""
    if options.as_clock:
        assert options.start is not None
        try:
            return format_clock(options.start.astimezone(), offset_ms, hours24=options.clock_24h)
        except OverflowError:
            return format_offset(offset_ms)
    return format_offset(offset_ms)


_CLOCK = re.compile(
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-5][0-9])(?::(?P<s>[0-5][0-9]))?\s*(?P<ampm>[AaPp][Mm])?"
)


def parse_time_input(text: str, options: TimeOptions) -> int:
    """What a stage manager typed in a time cell, as an offset in milliseconds.

    Offsets (``1:02:03``, ``-5:00``, ``90s``) always work. When times are
    shown as clock times, an unsigned ``19:35``, ``19:35:10`` or ``7:35 PM``
    is a clock time on the night of the script's planned start (a time more
    than 12 hours before the start is after midnight). Raises
    ``TimeFormatError`` for anything else.
    """
    stripped = text.strip()
    match = _CLOCK.fullmatch(stripped) if options.as_clock else None
    if match is None:
        return parse_offset(stripped)
    assert options.start is not None
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise TimeFormatError(stripped, expected="a clock time such as 7:35 PM")
        hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
    if hour > 23:
        raise TimeFormatError(stripped, expected="a clock time such as 19:35 or 7:35 PM")
    start = options.start.astimezone()
    moment = datetime.combine(start.date(), time(hour, minute, second), tzinfo=start.tzinfo)
    if moment - start < timedelta(hours=-12):
        moment += timedelta(days=1)
    return int((moment - start) / timedelta(milliseconds=1))


Span = tuple[int, int] | None


def group_span(rows: Sequence[ElementData], position: int) -> Span:
    """First and last time inside the group at ``position``: derived from its rows."""
    inside = {rows[position].id}
    low: int | None = None
    high: int | None = None
    for at in range(position + 1, len(rows)):
        e = rows[at]
        if e.parent_id not in inside:
            break
        if e.element_type is ElementType.GROUP:
            inside.add(e.id)
            continue
        end = e.offset_ms + (e.duration_ms or 0)
        low = e.offset_ms if low is None else min(low, e.offset_ms)
        high = end if high is None else max(high, end)
    return None if low is None or high is None else (low, high)


class RowFormatter:
    """The text of each column of a row."""

    def __init__(
        self,
        departments: Mapping[uuid.UUID, DepartmentInfo],
        times: TimeOptions | None = None,
    ) -> None:
        self.departments = dict(departments)
        self.times = times or TimeOptions()
        self._columns: dict[Col, Callable[[ElementData, Span], str]] = {
            Col.TIME: self._time,
            Col.DURATION: self._duration,
            Col.DEPARTMENT: lambda e, _: self.initials(e.department_id),
            Col.CUE: lambda e, _: self.label(e),
            Col.NAME: lambda e, _: e.name,
            Col.NOTES: lambda e, _: (e.notes or "").replace("\n", " "),
            Col.LOCATION: lambda e, _: e.location or "",
            Col.PRIORITY: self._priority,
        }

    def initials(self, department_id: uuid.UUID | None) -> str:
        if department_id is None:
            return ""
        info = self.departments.get(department_id)
        return info.initials if info else "?"

    def color(self, department_id: uuid.UUID | None) -> str | None:
        info = self.departments.get(department_id) if department_id else None
        return info.color if info else None

    def label(self, e: ElementData) -> str:
        if e.element_type is not ElementType.CUE:
            return ""
        return cue_label(self.initials(e.department_id), e.cue_number)

    def text(self, e: ElementData, column: Col, span: Span = None) -> str:
        return self._columns[column](e, span)

    def row(self, e: ElementData, span: Span = None) -> tuple[str, ...]:
        return tuple(fn(e, span) for fn in self._columns.values())

    def _time(self, e: ElementData, span: Span) -> str:
        if e.element_type is ElementType.GROUP:
            return "" if span is None else format_time(span[0], self.times)
        return format_time(e.offset_ms, self.times)

    def _duration(self, e: ElementData, span: Span) -> str:
        if e.element_type is ElementType.GROUP:
            return "" if span is None else format_offset(span[1] - span[0])
        return "" if e.duration_ms is None else format_offset(e.duration_ms)

    def _priority(self, e: ElementData, _: Span) -> str:
        # Normal is left blank, so the rows that are not normal stand out.
        if e.element_type is ElementType.GROUP or e.priority is Priority.NORMAL:
            return ""
        return PRIORITY_WORDS[e.priority]

    def edit_text(self, e: ElementData, column: Col) -> str:
        """The text an inline editor starts from (times keep their milliseconds)."""
        if column is Col.TIME:
            if self.times.as_clock:
                return format_time(e.offset_ms, self.times)
            return format_offset(e.offset_ms, show_ms=True)
        if column is Col.DURATION:
            return "" if e.duration_ms is None else format_offset(e.duration_ms, show_ms=True)
        if column is Col.CUE:
            return e.cue_number or ""
        if column is Col.NOTES:
            return e.notes or ""
        return self.text(e, column)

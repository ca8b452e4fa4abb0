"""Which column is which, and what a cell means.

A spreadsheet's headers are matched to the script's fields by aliases
("Cue #", "Q" and "Number" are all the cue number); common values are read
too ("Q" and "SFX" are cues, "Urgent" is critical); the usual names of
common departments are listed here (``csv_departments`` matches them). The
choices the stage manager makes in the import wizard are remembered for
next time, in their preferences (``UserPreferences.extra["csv_import"]``).
"""

from __future__ import annotations

import enum
import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Department, UserPreferences
from callmaster_desktop.domain.enums import ElementType, Priority


class Field(enum.StrEnum):
    """A script field a CSV column can hold."""

    TIME = "time"
    TYPE = "type"
    CUE_NUMBER = "cue_number"
    DEPARTMENT = "department"
    NAME = "name"
    NOTES = "notes"
    GROUP_PATH = "group_path"
    PRIORITY = "priority"
    LOCATION = "location"
    DURATION = "duration"
    COLOR = "color"
    TOGETHER = "fires_together"


# The header each field is written under (export) and shown as (wizard).
FIELD_LABELS: dict[Field, str] = {
    Field.TIME: "Time",
    Field.TYPE: "Type",
    Field.CUE_NUMBER: "Cue",
    Field.DEPARTMENT: "Department",
    Field.NAME: "Name",
    Field.NOTES: "Description",
    Field.GROUP_PATH: "Group Path",
    Field.PRIORITY: "Priority",
    Field.LOCATION: "Location",
    Field.DURATION: "Duration",
    Field.COLOR: "Colour",
    Field.TOGETHER: "Fires Together",
}

# Header aliases by field, comma separated (compared as ``key`` makes them).
HEADER_ALIASES: dict[Field, str] = {
    Field.TIME: "time, offset, cue time, start, start time, at, go time, time offset, clock, tc",
    Field.TYPE: "type, kind, element type, row type, element kind",
    Field.CUE_NUMBER: "cue, cue #, cue number, cue no, cue num, number, no, num, #, q, q #, q no",
    Field.NAME: "element name, name, cue name, title, what, action, element",
    Field.NOTES: "description, notes, details, note, comments, comment, desc",
    Field.GROUP_PATH: "group path, group, section, path, groups, act scene",
    Field.DEPARTMENT: "department, dept, departments, dept initials, team",
    Field.PRIORITY: "priority, importance, prio",
    Field.LOCATION: "location, where, position, place",
    Field.DURATION: "duration, length, fade, fade time, dur",
    Field.COLOR: "color, colour",
    Field.TOGETHER: "fires together, together, go together, fire together, linked",
}

TYPE_ALIASES: dict[str, ElementType] = {
    **dict.fromkeys(("cue", "q", "go", "c", "cues"), ElementType.CUE),
    **dict.fromkeys(
        ("note", "notes", "n", "comment", "memo", "reminder", "info", "call"), ElementType.NOTE
    ),
    **dict.fromkeys(
        ("group", "header", "heading", "section", "act", "scene", "g", "grp", "folder"),
        ElementType.GROUP,
    ),
}

PRIORITY_ALIASES: dict[str, Priority] = {
    **dict.fromkeys(("safety", "safe", "danger", "hazard"), Priority.SAFETY),
    **dict.fromkeys(("critical", "urgent", "crit", "must"), Priority.CRITICAL),
    **dict.fromkeys(("high", "important", "hi"), Priority.HIGH),
    **dict.fromkeys(
        ("normal", "medium", "med", "mid", "standard", "regular", "default"), Priority.NORMAL
    ),
    **dict.fromkeys(("low", "minor", "lo"), Priority.LOW),
    **dict.fromkeys(("optional", "opt", "if time"), Priority.OPTIONAL),
}

TRUE_WORDS = frozenset(("yes", "y", "true", "t", "1", "x", "together"))
FALSE_WORDS = frozenset(("no", "n", "false", "f", "0", ""))


@dataclass(frozen=True)
class KnownDepartment:
    """A department every theatre has, under its usual names."""

    name: str
    initials: str
    color: str
    aliases: str  # comma separated


KNOWN_DEPARTMENTS: tuple[KnownDepartment, ...] = (
    KnownDepartment(
        "Lighting", "LX", "#F2C14E", "lighting, lights, light, lx, lq, elec, electrics"
    ),
    KnownDepartment("Sound", "SQ", "#4EA8DE", "sound, sq, audio, sfx, sound effects, snd"),
    KnownDepartment("Fly", "FLY", "#9B5DE5", "fly, flys, flies, rail, fly rail, flying, flys rail"),
    KnownDepartment("Video", "VID", "#00BBF9", "video, vid, projection, projections, proj, vq"),
    KnownDepartment("Automation", "AUTO", "#F15BB5", "automation, auto, aq"),
    KnownDepartment("Deck", "DECK", "#8AC926", "deck, stage, deck crew, dk, stagehands"),
    KnownDepartment(
        "Follow Spot", "FS", "#FF924C", "follow spot, followspot, follow spots, spot, spots, fs"
    ),
    KnownDepartment(
        "Special Effects", "SPFX", "#E63946", "special effects, spfx, pyro, pyrotechnics, fx"
    ),
    KnownDepartment("Props", "PROP", "#B5838D", "props, prop, properties"),
    KnownDepartment("Wardrobe", "WARD", "#6D597A", "wardrobe, costume, costumes, wdb"),
)


@functools.lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Text as it is compared: lower case, words of letters and digits, ``#`` kept."""
    return " ".join(re.findall(r"[^\W_]+|#", text.casefold()))


def _aliases(text: str) -> list[str]:
    return [key(alias) for alias in text.split(", ")]


_HEADER_KEYS: dict[str, Field] = {
    alias: f for f, aliases in HEADER_ALIASES.items() for alias in _aliases(aliases)
}
KNOWN_BY_ALIAS: dict[str, KnownDepartment] = {
    alias: known for known in KNOWN_DEPARTMENTS for alias in _aliases(known.aliases)
}


def field_for_header(header: str) -> Field | None:
    """The field a header names by one of its aliases, or None."""
    return _HEADER_KEYS.get(key(header))


def recognised_headers(headers: Sequence[str]) -> int:
    """How many of ``headers`` name a field (used to choose a delimiter)."""
    return sum(1 for h in headers if field_for_header(h) is not None)


def guess_columns(
    headers: Sequence[str], remembered: Mapping[str, Field | None] | None = None
) -> list[Field | None]:
    """A field for each column, or None to leave it out; each field used once.

    A header the stage manager mapped before gets the same field again;
    otherwise the aliases decide. When two columns name the same field, the
    first one is used.
    """
    remembered = remembered or {}
    result: list[Field | None] = []
    used: set[Field] = set()
    for header in headers:
        k = key(header)
        found = remembered[k] if k in remembered else field_for_header(header)
        if found is not None and found in used:
            found = None
        if found is not None:
            used.add(found)
        result.append(found)
    return result


def element_type_for(text: str) -> tuple[ElementType, str | None] | None:
    """The kind of row a Type cell names, and a department it implies.

    ``Q`` is a cue; ``SFX`` and ``Lighting`` are cues whose department they
    name. None when the text means nothing known.
    """
    k = key(text)
    found = TYPE_ALIASES.get(k)
    if found is not None:
        return found, None
    if k in KNOWN_BY_ALIAS:
        return ElementType.CUE, text.strip()
    return None


def priority_for(text: str) -> Priority | None:
    return PRIORITY_ALIASES.get(key(text))


def yes_or_no(text: str) -> bool | None:
    k = key(text)
    if k in TRUE_WORDS:
        return True
    if k in FALSE_WORDS:
        return False
    return None


@dataclass(frozen=True)
class DepartmentRef:
    """A department as the import sees it (an existing one, or one to create)."""

    id: uuid.UUID
    name: str
    initials: str
    color: str


# --- remembered choices ---------------------------------------------------------------

PREFERENCE_KEY = "csv_import"
_FIELD_VALUES = frozenset(f.value for f in Field)


@dataclass(frozen=True)
class RememberedChoices:
    """What the stage manager chose in earlier imports: by header and by department text."""

    columns: dict[str, Field | None] = field(default_factory=dict)
    departments: dict[str, uuid.UUID] = field(default_factory=dict)


def read_remembered(session: Session, person_id: uuid.UUID) -> RememberedChoices:
    extra = session.scalar(
        select(UserPreferences.extra).where(UserPreferences.person_id == person_id)
    )
    saved: Any = (extra or {}).get(PREFERENCE_KEY) or {}
    columns: dict[str, Field | None] = {}
    for header, name in dict(saved.get("columns") or {}).items():
        if name == "":
            columns[str(header)] = None  # left out on purpose
        elif name in _FIELD_VALUES:
            columns[str(header)] = Field(name)
    departments: dict[str, uuid.UUID] = {}
    for text, dept in dict(saved.get("departments") or {}).items():
        try:
            departments[str(text)] = uuid.UUID(str(dept))
        except ValueError:
            continue
    mine = set(
        session.scalars(
            select(Department.id).where(
                Department.owner_id == person_id, Department.id.in_(departments.values())
            )
        )
    )
    return RememberedChoices(columns, {text: d for text, d in departments.items() if d in mine})


def remember_choices(
    session: Session,
    person_id: uuid.UUID,
    *,
    columns: Mapping[str, Field | None],
    departments: Mapping[str, uuid.UUID],
) -> None:
    """Keep the column and department choices for next time (in the caller's transaction).

    ``columns`` maps a header to the field it was used as (None: left out);
    ``departments`` maps a department text from the file to the department
    chosen for it. Earlier choices for other headers and texts are kept.
    """
    prefs = session.get(UserPreferences, person_id)
    if prefs is None:
        prefs = UserPreferences(person_id=person_id, extra={})
        session.add(prefs)
    extra = dict(prefs.extra or {})
    saved = dict(extra.get(PREFERENCE_KEY) or {})
    saved_columns = dict(saved.get("columns") or {})
    for header, chosen in columns.items():
        k = key(header)
        if not k:
            continue
        if field_for_header(header) == chosen:
            saved_columns.pop(k, None)  # nothing to remember: the aliases say it
        else:
            saved_columns[k] = "" if chosen is None else Field(chosen).value
    saved_departments = dict(saved.get("departments") or {})
    for text, dept in departments.items():
        if key(text):
            saved_departments[key(text)] = str(dept)
    saved["columns"] = saved_columns
    saved["departments"] = saved_departments
    extra[PREFERENCE_KEY] = saved
    prefs.extra = extra  # a new dict, so the JSON column is written

"""Which of the stage manager's departments each department name in a file means.

Names are matched by name, initials, the usual names of common departments
(LX / Lights / Lighting, SQ / Sound / Audio, Fly / Rail, Video / Projection)
and near spellings. A name that matches none can be created as a new
department on request, with a usual name and initials when it is one.
"""

from __future__ import annotations

import difflib
import enum
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Department
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.csv_detect import CsvTable
from callmaster_desktop.formats.csv_mapping import (
    KNOWN_BY_ALIAS,
    DepartmentRef,
    Field,
    KnownDepartment,
    element_type_for,
    key,
)
from callmaster_desktop.formats.csv_preview import CellReader, split_label
from callmaster_desktop.services.validation import required_text

NEW_DEPARTMENT_COLOURS = ("#E76F51", "#2A9D8F", "#E9C46A", "#8AB17D", "#7B6CF6", "#D4A373")
NEAR_CUTOFF = 0.8


class MatchHow(enum.StrEnum):
    REMEMBERED = "remembered"
    NAME = "name"
    INITIALS = "initials"
    ALIAS = "alias"
    NEAR = "near spelling"
    NONE = "none"


MATCH_WORDS = {
    MatchHow.REMEMBERED: "as you chose last time",
    MatchHow.NAME: "by name",
    MatchHow.INITIALS: "by initials",
    MatchHow.ALIAS: "a usual name for it",
    MatchHow.NEAR: "a near spelling: check it",
    MatchHow.NONE: "not one of your departments",
}


@dataclass(frozen=True)
class DepartmentMatch:
    text: str
    department: DepartmentRef | None
    how: MatchHow

    @property
    def explanation(self) -> str:
        return MATCH_WORDS[self.how]


def _known_for(text: str) -> KnownDepartment | None:
    return KNOWN_BY_ALIAS.get(key(text))


def match_department(
    text: str,
    departments: Sequence[DepartmentRef],
    remembered: Mapping[str, uuid.UUID] | None = None,
) -> DepartmentMatch:
    """The department ``text`` most likely means, and how it was matched."""
    k = key(text)
    by_id = {d.id: d for d in departments}
    chosen = (remembered or {}).get(k)
    if chosen is not None and chosen in by_id:
        return DepartmentMatch(text, by_id[chosen], MatchHow.REMEMBERED)
    for d in departments:
        if key(d.name) == k:
            return DepartmentMatch(text, d, MatchHow.NAME)
    for d in departments:
        if key(d.initials) == k:
            return DepartmentMatch(text, d, MatchHow.INITIALS)
    known = _known_for(text)
    if known is not None:
        for d in departments:
            if _known_for(d.name) is known or _known_for(d.initials) is known:
                return DepartmentMatch(text, d, MatchHow.ALIAS)
    candidates: dict[str, DepartmentRef] = {}
    for d in departments:
        candidates.setdefault(key(d.name), d)
        if len(key(d.initials)) >= 3:
            candidates.setdefault(key(d.initials), d)
    close = difflib.get_close_matches(k, list(candidates), n=1, cutoff=NEAR_CUTOFF)
    if close and len(k) >= 3:
        return DepartmentMatch(text, candidates[close[0]], MatchHow.NEAR)
    # A misspelt usual name ("Ligthing"): match it through the alias it is close to.
    close = difflib.get_close_matches(k, list(KNOWN_BY_ALIAS), n=1, cutoff=NEAR_CUTOFF)
    if close and len(k) >= 4:
        near = KNOWN_BY_ALIAS[close[0]]
        for d in departments:
            if _known_for(d.name) is near or _known_for(d.initials) is near:
                return DepartmentMatch(text, d, MatchHow.NEAR)
    return DepartmentMatch(text, None, MatchHow.NONE)


def suggest_new_department(
    text: str, taken: Iterable[DepartmentRef] = (), index: int = 0
) -> DepartmentRef:
    """A department to create for ``text``: a usual name and initials, or made from it.

    ``Audio`` suggests Sound (SQ); ``Pyro`` suggests Special Effects (SPFX);
    anything else keeps its words as the name and their first letters as
    initials (``Stage Management`` -> ``SM``, ``Crew`` -> ``CRE``). Initials
    already used get a digit.
    """
    known = _known_for(text)
    if known is None:
        close = difflib.get_close_matches(key(text), list(KNOWN_BY_ALIAS), n=1, cutoff=0.85)
        known = KNOWN_BY_ALIAS[close[0]] if close and len(key(text)) >= 4 else None
    taken_initials = {key(d.initials) for d in taken}
    if known is not None:
        name, initials, color = known.name, known.initials, known.color
    else:
        words = re.findall(r"[A-Za-z]+", text) or ["Department"]
        name = " ".join(w if w.isupper() else w.capitalize() for w in text.split()) or "Department"
        if len(words) > 1:
            initials = "".join(w[0] for w in words)[:5].upper()
        else:
            initials = words[0][:3].upper() if len(words[0]) > 5 else words[0].upper()
        color = NEW_DEPARTMENT_COLOURS[index % len(NEW_DEPARTMENT_COLOURS)]
    base = initials[:4]
    n = 2
    while key(initials) in taken_initials:
        initials = f"{base}{n}"[:5]
        n += 1
    return DepartmentRef(uuid.uuid4(), name[:120], initials, color)


@dataclass(frozen=True)
class DepartmentChoice:
    """What a department name in the file will be imported as."""

    text: str  # as the file first writes it
    rows: int  # how many rows name it
    match: DepartmentMatch
    department: DepartmentRef | None  # an existing department, or a new one to create
    create: bool = False

    def creating(self, department: DepartmentRef) -> DepartmentChoice:
        return DepartmentChoice(self.text, self.rows, self.match, department, True)

    def using(self, department: DepartmentRef | None) -> DepartmentChoice:
        return DepartmentChoice(self.text, self.rows, self.match, department, False)


def owner_departments(session: Session, owner_id: uuid.UUID) -> list[DepartmentRef]:
    rows = session.execute(
        select(Department.id, Department.name, Department.initials, Department.color)
        .where(Department.owner_id == owner_id)
        .order_by(Department.name)
    )
    return [DepartmentRef(*row) for row in rows]


def department_texts(
    table: CsvTable, columns: Sequence[Field | None]
) -> dict[str, tuple[str, int]]:
    """Each department name the file uses (by key): how it is first written, and how often.

    A department comes from the Department column, else from a Type such as
    ``SFX``, else from a cue label such as ``LX 12`` in the Cue column.
    """
    reader = CellReader({f: i for i, f in enumerate(columns) if f is not None}, table.headers)
    found: dict[str, tuple[str, int]] = {}
    for _, cells in table.rows:
        text = reader.get(cells, Field.DEPARTMENT).strip()
        if not text:
            implied = element_type_for(reader.get(cells, Field.TYPE).strip() or "-")
            text = implied[1] or "" if implied else ""
        if not text:
            number = reader.get(cells, Field.CUE_NUMBER).strip()
            text, _ = split_label(number, _AnyDepartment())
        if text:
            first, count = found.get(key(text), (text, 0))
            found[key(text)] = (first, count + 1)
    return found


class _AnyDepartment(dict[str, DepartmentRef | None]):
    """Any word is a department name to look up (used before they are matched)."""

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and bool(item) and not item[0].isdigit()


def suggest_departments(
    table: CsvTable,
    columns: Sequence[Field | None],
    departments: Sequence[DepartmentRef],
    remembered: Mapping[str, uuid.UUID] | None = None,
    *,
    create_missing: bool = False,
) -> dict[str, DepartmentChoice]:
    """A choice for every department name in the file: matched, to create, or open.

    With ``create_missing``, a name that matches none of the departments gets
    a new department (a usual name and initials when it is one: ``Audio``
    becomes Sound, SQ).
    """
    choices: dict[str, DepartmentChoice] = {}
    new: list[DepartmentRef] = []
    for k, (text, count) in department_texts(table, columns).items():
        match = match_department(text, departments, remembered)
        choice = DepartmentChoice(text, count, match, match.department)
        if match.how is MatchHow.NONE and create_missing:
            wanted = suggest_new_department(text, [*departments, *new], len(new))
            same = next((d for d in new if key(d.name) == key(wanted.name)), None)
            if same is None:
                new.append(wanted)
            choice = choice.creating(same or wanted)
        choices[k] = choice
    return choices


def create_departments(session: Session, owner_id: uuid.UUID, new: Sequence[DepartmentRef]) -> None:
    mine = session.execute(
        select(Department.name, Department.initials).where(Department.owner_id == owner_id)
    ).all()
    names = {n.casefold() for n, _ in mine}
    initials = {i.casefold() for _, i in mine}
    rows = []
    for d in new:
        name = required_text("The new department", d.name, 120)
        short = d.initials.strip().upper()
        if not (1 <= len(short) <= 5) or not short.isalnum():
            raise ValidationError(
                f'The new department "{name}" needs initials of 1 to 5 letters (such as LX).'
            )
        if name.casefold() in names:
            raise ValidationError(f'You already have a department called "{name}": use it.')
        if short.casefold() in initials:
            raise ValidationError(f"You already have a department with the initials {short}.")
        names.add(name.casefold())
        initials.add(short.casefold())
        rows.append(
            {
                "id": d.id,
                "owner_id": owner_id,
                "name": name,
                "initials": short,
                "color": d.color,
                "description": "Created by a CSV import",
            }
        )
    if rows:
        session.execute(insert(Department), rows)

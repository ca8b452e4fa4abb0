"""Safe repairs for what the integrity check finds and a program can decide alone.

``repair_database`` runs the check, repairs what is safe, checks again and
reports both what it did and what still needs a person's decision. Each
repair is one transaction, so a failure leaves that repair undone and the
others in place:

- **sequence**: a script's rows are renumbered 1..N in their current order;
- **group-contiguous**: a row placed away from its group goes back into it:
  each group's rows follow it in their current order, and every other row
  keeps its order. Only when the group links are unambiguous: every row's group
  is a group of the same script and no group is inside itself;
- **guest-without-manager**: a guest who works on shows goes back into the
  crew of those shows' owners. A guest who works on no show is reported.

A repaired script gets a new version (an editor holding the old one is
told to reload instead of overwriting) and a revision saying what was done.
A file that fails SQLite's own integrity check is not written to at all:
the answer there is a backup (``callmaster restore``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import Problem, check_database
from callmaster_desktop.db.models import CrewAssignment, CrewRelationship, Person, Script
from callmaster_desktop.db.models import Show as ShowRow
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import tree_problems
from callmaster_desktop.errors import CorruptDatabaseError
from callmaster_desktop.services.script_state import (
    ELEMENTS,
    lock_script,
    read_elements,
    record_revision,
)

ORDER_CODES = ("sequence", "group-contiguous")
# Group problems that make the intended order a guess: those scripts keep their order.
AMBIGUOUS_TREE = ("group-cycle", "group-parent", "duplicate-id")
# What a person can do about each problem no repair touches.
ADVICE = {
    "sqlite-integrity": "the file is damaged: restore it from a backup (callmaster restore)",
    "foreign-key": "restore the database from a backup made before the problem",
    "group-cycle": "open the script and ungroup the rows named",
    "group-parent": "open the script and move the row named into a group, or out of one",
    "group-contiguous": "open the script and move the row named back into its group",
    "cue-department": "give the cue a department in the script editor",
    "cue-number": "give the cue a number in the script editor",
    "cue-number-unique": "renumber one of the two cues in the script editor",
    "department-owner": "reassign the cue to one of your own departments",
    "assignment-owner": "reassign the crew member to one of the show owner's departments",
    "guest-without-manager": "they work on no show: add them to your crew, or delete them",
}


@dataclass(frozen=True)
class Repair:
    """One repair that was made (and committed)."""

    code: str
    message: str
    script_id: uuid.UUID | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class RepairReport:
    repairs: tuple[Repair, ...]
    remaining: tuple[Problem, ...]  # found by the check run after the repairs

    @property
    def clean(self) -> bool:
        return not self.remaining

    def lines(self) -> list[str]:
        out = [f"REPAIRED [{r.code}] {r.message}" for r in self.repairs]
        for p in self.remaining:
            advice = ADVICE.get(p.code)
            out.append(f"NEEDS YOU [{p.code}] {p.message}" + (f" ({advice})" if advice else ""))
        return out


@dataclass(frozen=True)
class _Row:
    id: uuid.UUID
    sequence: int
    parent_id: uuid.UUID | None
    element_type: ElementType
    name: str
    department_id: uuid.UUID | None = None
    cue_number: str | None = None


def repair_database(db: Database) -> RepairReport:
    """Repair what is safe to repair; report it and what is left (each repair one transaction)."""
    problems = check_database(db)
    damaged = [p for p in problems if p.code == "sqlite-integrity"]
    if damaged:
        raise CorruptDatabaseError(
            f"{db.description} is damaged ({damaged[0].message}), so nothing was repaired: "
            "writing to a damaged file can lose more. Restore it from a backup "
            "(callmaster restore); nothing was changed."
        )
    repairs: list[Repair] = []
    scripts = {p.script_id for p in problems if p.code in ORDER_CODES and p.script_id}
    for script_id in sorted(scripts):
        repairs.extend(repair_script_order(db, script_id))
    if any(p.code == "guest-without-manager" for p in problems):
        repairs.extend(attach_lost_guests(db))
    return RepairReport(tuple(repairs), tuple(check_database(db)))


def _rows(session: Session, script_id: uuid.UUID) -> list[_Row]:
    c = ELEMENTS.c
    query = (
        select(c.id, c.sequence, c.parent_id, c.element_type, c.name)
        .where(c.script_id == script_id)
        .order_by(c.sequence, c.id)
    )
    return [_Row(*r) for r in session.execute(query)]


def grouped_order(rows: Sequence[_Row]) -> list[_Row]:
    """Every group's rows right after it, in their current order; other rows keep theirs.

    Expects unambiguous group links (each parent a group among ``rows``, no cycles).
    """
    children: dict[uuid.UUID | None, list[_Row]] = defaultdict(list)
    for r in rows:
        children[r.parent_id].append(r)
    out: list[_Row] = []
    stack = list(reversed(children[None]))
    while stack:
        r = stack.pop()
        out.append(r)
        stack.extend(reversed(children.get(r.id, [])))
    return out


def _names(rows: Sequence[_Row], limit: int = 3) -> str:
    shown = [f'"{r.name}"' if r.name else r.element_type.value for r in rows[:limit]]
    more = len(rows) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def repair_script_order(db: Database, script_id: uuid.UUID) -> list[Repair]:
    """Renumber a script's rows 1..N and put strayed rows back in their group: one transaction."""
    with db.unit_of_work() as session:
        locked = lock_script(session, script_id, None)
        show_name = session.scalar(select(ShowRow.name).where(ShowRow.id == locked.show_id))
        where = f'Script "{locked.name}" of "{show_name}"'
        rows = _rows(session, script_id)
        codes = {code for code, _ in tree_problems(rows)}
        order = rows
        strays: list[_Row] = []
        if "group-contiguous" in codes and not codes & set(AMBIGUOUS_TREE):
            order = grouped_order(rows)
            strays = _strays(rows)
        numbered = [r.sequence for r in rows] == list(range(1, len(rows) + 1))
        if numbered and order == rows:
            return []
        _renumber(session, script_id, rows, order)
        repairs: list[Repair] = []
        steps: list[str] = []
        if strays:
            text = f"moved {_names(strays)} back into their group"
            repairs.append(Repair("group-contiguous", f"{where}: {text}", script_id))
            steps.append(f"Repair: {text}")
        if not numbered:
            text = f"renumbered its {len(rows)} rows 1..{len(rows)}, keeping their order"
            repairs.append(Repair("sequence", f"{where}: {text}", script_id))
            steps.append(f"Repair: {text}")
        version = locked.version + 1
        session.execute(
            update(Script)
            .where(Script.id == script_id)
            .values(version=version, updated_at=utcnow())
        )
        record_revision(
            session,
            locked,
            version,
            read_elements(session, script_id),
            author_id=None,
            steps=steps or ["Repair: renumbered rows"],
            fields={},
        )
        return repairs


def _strays(rows: Sequence[_Row]) -> list[_Row]:
    """The rows not placed right after the rest of their group (as ``tree_problems`` sees it)."""
    strays: list[_Row] = []
    open_groups: list[uuid.UUID] = []
    for r in rows:
        while open_groups and open_groups[-1] != r.parent_id:
            open_groups.pop()
        if r.parent_id is not None and not open_groups:
            strays.append(r)
        if r.element_type is ElementType.GROUP:
            open_groups.append(r.id)
    return strays


def _renumber(
    session: Session, script_id: uuid.UUID, rows: Sequence[_Row], order: Sequence[_Row]
) -> None:
    """Give ``order`` the sequences 1..N: first parked below every stored value, then placed."""
    if list(order) == list(rows):
        _renumber_in_place(session, script_id, rows)
        return
    lowest = min([0, *(r.sequence for r in rows)])
    statement = (
        update(ELEMENTS)
        .where(ELEMENTS.c.id == bindparam("b_id"))
        .values(sequence=bindparam("b_sequence"))
    )
    connection = session.connection()
    parked = [{"b_id": r.id, "b_sequence": lowest - 1 - i} for i, r in enumerate(order)]
    connection.execute(statement, parked)
    placed = [{"b_id": r.id, "b_sequence": i} for i, r in enumerate(order, start=1)]
    connection.execute(statement, placed)


def _renumber_in_place(session: Session, script_id: uuid.UUID, rows: Sequence[_Row]) -> None:
    """1..N in the stored order, in two set-based statements whatever the script's size.

    First every row moves by the same amount to below both 1 and every stored
    value (so no row meets another's number on the way), then each takes its
    rank.
    """
    high = max(r.sequence for r in rows)
    low = min(r.sequence for r in rows)
    shift = max(high, 0) + (high - low) + 1
    c = ELEMENTS.c
    mine = c.script_id == script_id
    session.execute(update(ELEMENTS).where(mine).values(sequence=c.sequence - shift))
    ranked = (
        select(c.id, func.row_number().over(order_by=c.sequence).label("rank"))
        .where(mine)
        .subquery()
    )
    session.execute(update(ELEMENTS).where(c.id == ranked.c.id).values(sequence=ranked.c.rank))


def attach_lost_guests(db: Database) -> list[Repair]:
    """Put each guest who is in nobody's crew back into the crews of their shows' owners."""
    with db.reading() as session:
        lost = list(session.scalars(_lost_guests()))
    repairs: list[Repair] = []
    for guest_id in lost:
        repair = _attach(db, guest_id)
        if repair is not None:
            repairs.append(repair)
    return repairs


def _lost_guests() -> Select[uuid.UUID]:
    member = select(CrewRelationship.id).where(CrewRelationship.member_id == Person.id)
    return select(Person.id).where(Person.is_guest.is_(True), ~member.exists())


def _attach(db: Database, guest_id: uuid.UUID) -> Repair | None:
    with db.unit_of_work() as session:
        guest = session.get(Person, guest_id)
        still_lost = session.scalar(
            select(CrewRelationship.id).where(CrewRelationship.member_id == guest_id).limit(1)
        )
        if guest is None or not guest.is_guest or still_lost is not None:
            return None
        shows = session.execute(
            select(ShowRow.owner_id, ShowRow.name)
            .join(CrewAssignment, CrewAssignment.show_id == ShowRow.id)
            .where(CrewAssignment.person_id == guest_id)
            .distinct()
            .order_by(ShowRow.name)
        ).all()
        if not shows:
            return None
        owners = list(dict.fromkeys(owner for owner, _ in shows))
        for owner_id in owners:
            session.add(
                CrewRelationship(
                    manager_id=owner_id,
                    member_id=guest_id,
                    notes="Put back in your crew by a repair: they work on your shows.",
                )
            )
        people = session.execute(select(Person).where(Person.id.in_(owners))).scalars()
        names = ", ".join(sorted(p.full_name or (p.login_name or "?") for p in people))
        titles = ", ".join(f'"{name}"' for name in dict.fromkeys(name for _, name in shows))
        return Repair(
            "guest-without-manager",
            f"Guest {guest.full_name} was in nobody's crew: put back in the crew of {names}, "
            f"who run the shows they work on ({titles})",
        )

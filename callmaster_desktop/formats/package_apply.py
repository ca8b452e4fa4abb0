"""Writing a show package's rows: what it refers to matched, every script through the save.

Everything the package refers to is matched to what this database holds
first: the venue (by id, then name), departments (by id, initials, then
name) and crew members (by id, then name and email, among the importer's
crew); what is missing is created. Each script's elements are written
through ``write_script_state`` (every rule checked), then the script takes
the package's version and revisions, so its history reads the same in both
databases. ``package_import`` decides what to write, in which mode.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import (
    CrewAssignment,
    CrewRelationship,
    CueCall,
    Department,
    Element,
    Person,
    Run,
    RunHold,
    RunNote,
    Script,
    ScriptRevision,
    Venue,
)
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import (
    CallOutcome,
    ElementType,
    Priority,
    RunKind,
    RunStatus,
    ScriptStatus,
    VenueType,
)
from callmaster_desktop.formats.package import (
    HOLD_FIELDS,
    OWNER,
    PERSON_FIELDS,
    ImportMode,
    when,
)
from callmaster_desktop.services.changes import ChangeLog, Kind
from callmaster_desktop.services.script_state import write_script_state

CHUNK = 5000
TIME_FIELDS = {"started_at", "scheduled_start", "ended_at", "created_at", "called_at"}


def _uuid(text: str | None) -> uuid.UUID | None:
    return uuid.UUID(text) if text else None


def taken_ids(session: Session, column: Any, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for i in range(0, len(ids), CHUNK):
        found |= set(session.scalars(select(column).where(column.in_(ids[i : i + CHUNK]))))
    return found


class PackageWriter:
    """Writes a package's rows into this database, mapping what it refers to."""

    def __init__(
        self, session: Session, owner_id: uuid.UUID, package: dict[str, Any], mode: ImportMode
    ) -> None:
        self.session = session
        self.owner_id = owner_id
        self.package = package
        self.mode = mode
        self.keep_ids = mode is not ImportMode.COPY
        self.log = ChangeLog()
        self.departments: dict[str, uuid.UUID] = {}
        self.people: dict[str, uuid.UUID] = {OWNER: owner_id}
        self.scripts: dict[str, uuid.UUID] = {}
        self.elements: dict[str, uuid.UUID] = {}
        self.counts = {"written": 0, "kept": 0, "runs": 0, "departments": 0, "people": 0}

    def new_id(self, text: str) -> uuid.UUID:
        return uuid.UUID(text) if self.keep_ids else uuid.uuid4()

    def person(self, ref: str | None) -> uuid.UUID | None:
        return self.people.get(ref) if ref else None

    # --- what the show refers to --------------------------------------------------

    def venue(self) -> uuid.UUID | None:
        data = self.package.get("venue")
        if not data:
            return None
        mine = self.session.get(Venue, uuid.UUID(data["id"]))
        if mine is not None and mine.owner_id == self.owner_id:
            return mine.id
        found = self.session.scalars(
            select(Venue.id).where(
                Venue.owner_id == self.owner_id, func.lower(Venue.name) == data["name"].lower()
            )
        ).first()
        if found is not None:
            return found
        venue_id = uuid.UUID(data["id"]) if mine is None and self.keep_ids else uuid.uuid4()
        values = {k: v for k, v in data.items() if k != "id"}
        for name in ("stage_width_m", "stage_depth_m", "fly_height_m", "rental_rate",
                     "minimum_rental"):  # fmt: skip
            values[name] = None if values.get(name) is None else Decimal(str(values[name]))
        values["venue_type"] = VenueType(values["venue_type"]) if values.get("venue_type") else None
        values["equipment"] = list(values.get("equipment") or [])
        self.session.execute(insert(Venue).values(id=venue_id, owner_id=self.owner_id, **values))
        self.log.created(Kind.VENUE, venue_id)
        return venue_id

    def match_departments(self) -> None:
        mine = self.session.execute(
            select(Department.id, Department.name, Department.initials).where(
                Department.owner_id == self.owner_id
            )
        ).all()
        by_id = {d.id for d in mine}
        by_initials = {d.initials.casefold(): d.id for d in mine}
        by_name = {d.name.casefold(): d.id for d in mine}
        for data in self.package["departments"]:
            wanted = uuid.UUID(data["id"])
            found = (
                (wanted if wanted in by_id else None)
                or by_initials.get(data["initials"].casefold())
                or by_name.get(data["name"].casefold())
            )
            if found is None:
                free = not self.session.get(Department, wanted)
                found = wanted if free and self.keep_ids else uuid.uuid4()
                self.session.execute(insert(Department).values(
                    id=found, owner_id=self.owner_id, name=data["name"],
                    initials=data["initials"], color=data["color"],
                    description=data.get("description"),
                ))  # fmt: skip
                by_initials[data["initials"].casefold()] = found
                by_name[data["name"].casefold()] = found
                self.log.created(Kind.DEPARTMENT, found)
                self.counts["departments"] += 1
            self.departments[data["id"]] = found

    def match_people(self) -> None:
        crew = self.session.execute(
            select(Person.id, Person.first_name, Person.last_name, Person.email)
            .join(CrewRelationship, CrewRelationship.member_id == Person.id)
            .where(CrewRelationship.manager_id == self.owner_id)
        ).all()
        in_crew = {p.id for p in crew}
        by_name = {
            (p.first_name.casefold(), p.last_name.casefold(), (p.email or "").casefold()): p.id
            for p in crew
        }
        for data in self.package["people"]:
            wanted = uuid.UUID(data["id"])
            name = (data["first_name"].casefold(), (data["last_name"] or "").casefold(),
                    (data.get("email") or "").casefold())  # fmt: skip
            found = wanted if wanted in in_crew else by_name.get(name)
            if found is None:
                free = self.session.get(Person, wanted) is None
                found = wanted if free and self.keep_ids else uuid.uuid4()
                values = {k: data.get(k) for k in PERSON_FIELDS}
                values["last_name"] = values["last_name"] or ""
                self.session.execute(insert(Person).values(id=found, is_guest=True, **values))
                self.session.execute(insert(CrewRelationship).values(
                    id=uuid.uuid4(), manager_id=self.owner_id, member_id=found,
                    notes=data.get("crew_notes"), is_active=bool(data.get("crew_active", True)),
                ))  # fmt: skip
                by_name[name] = found
                self.log.created(Kind.PERSON, found)
                self.counts["people"] += 1
            self.people[data["id"]] = found

    # --- the show ----------------------------------------------------------------

    def show_values(self, venue_id: uuid.UUID | None, name: str) -> dict[str, Any]:
        data = self.package["show"]
        return {
            "name": name,
            "venue_id": venue_id,
            "first_performance": when(data.get("first_performance")),
            "end": when(data.get("end")),
            "deadline": when(data.get("deadline")),
            "notes": data.get("notes"),
            "updated_at": when(data.get("updated_at")),
        }

    def assignments(self, show_id: uuid.UUID) -> None:
        self.session.execute(delete(CrewAssignment).where(CrewAssignment.show_id == show_id))
        rows: list[dict[str, Any]] = []
        # Created a microsecond apart in the package's order, so the show lists (and
        # exports) them in that order again, whatever their ids.
        now = utcnow()
        for data in self.package["assignments"]:
            person = self.person(data.get("person"))
            if person is None:
                continue
            rows.append({
                "id": self.new_id(data["id"]), "show_id": show_id, "person_id": person,
                "department_id": self.departments[data["department"]], "role": data.get("role"),
                "notes": data.get("notes"), "created_at": now + timedelta(microseconds=len(rows)),
            })  # fmt: skip
        if rows:
            self.session.execute(insert(CrewAssignment), rows)

    # --- scripts -----------------------------------------------------------------

    def element_list(self, data: dict[str, Any]) -> list[ElementData]:
        columns = data["element_columns"]
        out: list[ElementData] = []
        for row in data["elements"]:
            values = dict(zip(columns, row, strict=True))
            element_id = self.new_id(values["id"])
            self.elements[values["id"]] = element_id
            parent = values.get("parent_id")
            department = values.get("department_id")
            out.append(ElementData(**{
                **values,
                "id": element_id,
                "parent_id": self.elements[parent] if parent else None,
                "department_id": self.departments[department] if department else None,
                "element_type": ElementType(values["element_type"]),
                "priority": Priority(values["priority"]),
            }))  # fmt: skip
        return out

    def write_script(self, show_id: uuid.UUID, data: dict[str, Any], existing: Any) -> None:
        script_id = existing.id if existing is not None else self.new_id(data["id"])
        self.scripts[data["id"]] = script_id
        if existing is None:
            self.session.execute(insert(Script).values(
                id=script_id, show_id=show_id, name=data["name"], version=1,
                status=ScriptStatus(data["status"]), created_at=when(data["created_at"]),
            ))  # fmt: skip
            self.log.created(Kind.SCRIPT, script_id)
        else:
            self.log.updated(Kind.SCRIPT, script_id)
        base = existing.version if existing is not None else 1
        result = write_script_state(
            self.session, script_id, base, self.element_list(data), author_id=self.owner_id,
            steps=["Import a show package"],
        )  # fmt: skip
        if result.revision_number is not None:
            self.session.execute(delete(ScriptRevision).where(
                ScriptRevision.script_id == script_id,
                ScriptRevision.number == result.revision_number,
            ))  # fmt: skip
        self.session.execute(update(Script).where(Script.id == script_id).values(
            name=data["name"], status=ScriptStatus(data["status"]),
            start_time=when(data.get("start_time")), end_time=when(data.get("end_time")),
            notes=data.get("notes"), version=data["version"],
            updated_by_id=self.person(data.get("updated_by")),
            updated_at=when(data["updated_at"]),
        ))  # fmt: skip
        have = set(self.session.scalars(
            select(ScriptRevision.id).where(ScriptRevision.script_id == script_id)
        ))  # fmt: skip
        rows = [
            {
                "id": self.new_id(r["id"]), "script_id": script_id, "number": r["number"],
                "script_version": r["script_version"], "author_id": self.person(r.get("author")),
                "created_at": when(r["created_at"]), "summary": r["summary"],
                "steps": r["steps"], "snapshot": self.snapshot(r["snapshot"]),
            }
            for r in data["revisions"]
            if not self.keep_ids or uuid.UUID(r["id"]) not in have
        ]  # fmt: skip
        if rows:
            self.session.execute(insert(ScriptRevision), rows)
        self.counts["written"] += 1

    def snapshot(self, snapshot: Any) -> Any:
        """A revision's snapshot with its rows' ids and departments as they are here."""
        if not isinstance(snapshot, dict) or snapshot.get("format") != 1:
            return snapshot
        columns = list(snapshot.get("columns") or [])
        maps = {"department": self.departments}
        if not self.keep_ids:
            maps |= {"id": self.elements, "parent": self.elements}
        where = {columns.index(c): m for c, m in maps.items() if c in columns}
        rows = []
        for row in snapshot.get("rows") or []:
            row = list(row)
            for i, mapping in where.items():
                if row[i] is not None:
                    new = mapping.get(row[i])
                    row[i] = str(new) if new is not None else None
            rows.append(row)
        return {**snapshot, "rows": rows}

    # --- runs --------------------------------------------------------------------

    def runs(self, show_id: uuid.UUID, skip: set[uuid.UUID]) -> None:
        called = [
            self.elements[c["element"]]
            for r in self.package["runs"]
            for c in (*r["calls"], *r.get("caller_notes", []))
            if c.get("element") in self.elements
        ]
        elements_here = taken_ids(self.session, Element.id, called)
        for data in self.package["runs"]:
            if self.keep_ids and uuid.UUID(data["id"]) in skip:
                continue
            script = self.scripts.get(data["script"]) or (
                uuid.UUID(data["script"]) if self.keep_ids else None
            )
            if script is None:
                continue
            run_id = self.new_id(data["id"])
            values = {k: data[k] for k in ("total_hold_ms", "notes")}
            values |= {k: when(data.get(k)) for k in TIME_FIELDS if k in data}
            self.session.execute(insert(Run).values(
                id=run_id, show_id=show_id, script_id=script, kind=RunKind(data["kind"]),
                status=RunStatus(data["status"]), caller_id=self.person(data.get("caller")),
                **values,
            ))  # fmt: skip
            holds = [
                {"id": self.new_id(h["id"]), "run_id": run_id,
                 **{k: when(h[k]) if k in TIME_FIELDS else h[k] for k in HOLD_FIELDS}}
                for h in data["holds"]
            ]  # fmt: skip
            if holds:
                self.session.execute(insert(RunHold), holds)
            calls = []
            for c in data["calls"]:
                element = self.elements.get(c["element"]) if c.get("element") else None
                calls.append({
                    "id": self.new_id(c["id"]), "run_id": run_id,
                    "element_id": element if element in elements_here else None,
                    "cue_label": c["cue_label"], "planned_offset_ms": c["planned_offset_ms"],
                    "actual_offset_ms": c.get("actual_offset_ms"),
                    "called_at": when(c.get("called_at")), "outcome": CallOutcome(c["outcome"]),
                    "note": c.get("note"),
                })  # fmt: skip
            if calls:
                self.session.execute(insert(CueCall), calls)
            notes = []
            for n in data.get("caller_notes", []):
                element = self.elements.get(n["element"]) if n.get("element") else None
                notes.append({
                    "id": self.new_id(n["id"]), "run_id": run_id,
                    "element_id": element if element in elements_here else None,
                    "cue_label": n.get("cue_label"), "show_offset_ms": n.get("show_offset_ms"),
                    "noted_at": when(n["noted_at"]), "text": n["text"],
                })  # fmt: skip
            if notes:
                self.session.execute(insert(RunNote), notes)
            self.log.created(Kind.RUN, run_id)
            self.counts["runs"] += 1

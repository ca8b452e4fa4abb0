"""Importing a show package, all or nothing: as a new show, as a copy, or as an update.

See ``package`` for the file and what each mode means. An update is refused,
naming every conflict, when the show or one of its scripts was changed here
after the package's state was taken from this database; a script saved here
since but unchanged in the package stays as it is here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import (
    CrewAssignment,
    Element,
    Person,
    Run,
    Script,
    ScriptRevision,
    Show,
)
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.formats.package import (
    ImportMode,
    PackageConflictError,
    ShowAlreadyHereError,
    fingerprint,
    read_history,
    store_history,
    when,
)
from callmaster_desktop.formats.package_apply import PackageWriter, taken_ids
from callmaster_desktop.formats.package_file import read_package
from callmaster_desktop.services.changes import Changes, Kind
from callmaster_desktop.services.validation import plural


@dataclass(frozen=True)
class PackageImportResult:
    show_id: uuid.UUID
    show_name: str
    mode: ImportMode
    scripts_written: int
    scripts_kept: int  # left as they are here (newer here, or only here)
    runs_added: int
    departments_created: int
    people_created: int
    changes: Changes

    @property
    def sentence(self) -> str:
        verb = {ImportMode.NEW: "Imported", ImportMode.COPY: "Imported a copy of",
                ImportMode.UPDATE: "Updated"}[self.mode]  # fmt: skip
        parts = [plural(self.scripts_written, "script") + " written"]
        if self.scripts_kept:
            are = "it is" if self.scripts_kept == 1 else "they are"
            parts.append(f"{plural(self.scripts_kept, 'script')} left as {are} here")
        if self.runs_added:
            parts.append(plural(self.runs_added, "run record") + " added")
        if self.departments_created:
            parts.append(plural(self.departments_created, "department") + " created")
        if self.people_created:
            parts.append(plural(self.people_created, "crew member") + " added")
        return f'{verb} "{self.show_name}": ' + ", ".join(parts) + "."


# --- the three modes ------------------------------------------------------------------------


def _unique_show_name(session: Session, owner_id: uuid.UUID, name: str) -> str:
    taken = {
        n.casefold() for n in session.scalars(select(Show.name).where(Show.owner_id == owner_id))
    }
    candidates = [name, f"{name} (copy)", *(f"{name} (copy {n})" for n in range(2, len(taken) + 3))]
    return next(c for c in candidates if c.casefold() not in taken)


def element_ids(script: dict[str, Any]) -> list[str]:
    at = script["element_columns"].index("id")
    return [row[at] for row in script["elements"]]


def _refuse_taken_ids(session: Session, package: dict[str, Any]) -> None:
    """A new show keeps the package's ids: none may be in use here already."""
    checks: list[tuple[Any, Iterable[str]]] = [
        (Script.id, (s["id"] for s in package["scripts"])),
        (Element.id, (i for s in package["scripts"] for i in element_ids(s))),
        (ScriptRevision.id, (r["id"] for s in package["scripts"] for r in s["revisions"])),
        (Run.id, (r["id"] for r in package["runs"])),
        (CrewAssignment.id, (a["id"] for a in package["assignments"])),
    ]
    for column, ids in checks:
        if taken_ids(session, column, [uuid.UUID(i) for i in ids]):
            raise ValidationError(
                f'Parts of "{package["show"]["name"]}" are already in this database (perhaps '
                "from an earlier import): import the package as a copy."
            )


def _script_plan(
    session: Session, owner_id: uuid.UUID, show_id: uuid.UUID, package: dict[str, Any]
) -> tuple[dict[str, Any], list[str], int]:
    """For an update: the existing script for each package script to write, and conflicts.

    Returns (package script id -> existing row or None, for the scripts to
    write), the conflicts, and how many scripts here stay as they are.
    """
    here = {s.id: s for s in session.scalars(select(Script).where(Script.show_id == show_id))}
    plan: dict[str, Any] = {}
    conflicts: list[str] = []
    kept = len([s for s in here if str(s) not in {p["id"] for p in package["scripts"]}])
    for data in package["scripts"]:
        script_id = uuid.UUID(data["id"])
        existing = here.get(script_id)
        if existing is None:
            if session.get(Script, script_id) is not None:
                raise ValidationError(
                    f'The script "{data["name"]}" is in another show here: import the package '
                    "as a copy."
                )
            plan[data["id"]] = None
            continue
        latest = session.execute(
            select(ScriptRevision.id, ScriptRevision.created_at, Person.first_name,
                   Person.last_name)
            .outerjoin(Person, Person.id == ScriptRevision.author_id)
            .where(ScriptRevision.script_id == script_id)
            .order_by(ScriptRevision.number.desc())
            .limit(1)
        ).first()  # fmt: skip
        theirs = [r["id"] for r in data["revisions"]]
        mine = str(latest.id) if latest else None
        if existing.version == data["version"] and mine == (theirs[-1] if theirs else None):
            kept += 1  # the same on both sides
        elif (latest is None and existing.version == 1) or (mine in theirs):
            plan[data["id"]] = existing  # the package continues this script's history
        elif theirs and theirs[-1] in set(
            str(i) for i in session.scalars(
                select(ScriptRevision.id).where(ScriptRevision.script_id == script_id)
            )
        ):  # fmt: skip
            kept += 1  # newer here, unchanged in the package: it stays as it is here
        else:
            who = f"{latest.first_name} {latest.last_name}".strip() if latest else ""
            at = latest.created_at.astimezone().strftime("%d %b %Y %H:%M") if latest else ""
            by = f" by {who}" if who else ""
            conflicts.append(
                f'The script "{existing.name}" was saved here{by} on {at} (version '
                f"{existing.version}) after the package was made."
            )
    return plan, conflicts, kept


def import_show(
    db: Database, owner_id: uuid.UUID, package: dict[str, Any], mode: ImportMode
) -> PackageImportResult:
    """Bring the package's show into this database, all or nothing."""
    data = package["show"]
    with db.unit_of_work() as session:
        importer = PackageWriter(session, owner_id, package, mode)
        show_id = uuid.UUID(data["id"])
        existing = session.get(Show, show_id)
        plan: dict[str, Any] = {s["id"]: None for s in package["scripts"]}
        skip_runs: set[uuid.UUID] = set()
        name = data["name"]
        show_changed = ahead = False
        if mode is ImportMode.UPDATE:
            if existing is None or existing.owner_id != owner_id:
                raise NotFoundError(
                    f'"{name}" is not in this database to update: import it as a new show.'
                )
            plan, conflicts, importer.counts["kept"] = _script_plan(
                session, owner_id, show_id, package
            )
            here = fingerprint(session, show_id)
            show_changed = here not in package["history"]
            ahead = package["history"][-1] in read_history(session, owner_id, show_id)
            if show_changed and not ahead:
                conflicts.insert(0, "The show's details, venue or crew were changed here after "
                                    "the package was made.")  # fmt: skip
            if conflicts:
                raise PackageConflictError(existing.name, conflicts)
            skip_runs = set(session.scalars(select(Run.id).where(Run.show_id == show_id)))
        elif mode is ImportMode.NEW:
            if existing is not None:
                if existing.owner_id == owner_id:
                    raise ShowAlreadyHereError(existing.name)
                raise ValidationError(f'"{name}" belongs to someone else in this database: '
                                      "import the package as a copy.")  # fmt: skip
            if _unique_show_name(session, owner_id, name) != name:
                raise ValidationError(f'You already have a show called "{name}": import the '
                                      "package as a copy, or rename your show first.")  # fmt: skip
            _refuse_taken_ids(session, package)
        else:
            show_id, name = uuid.uuid4(), _unique_show_name(session, owner_id, name)
        importer.match_departments()
        importer.match_people()
        if mode is ImportMode.UPDATE:
            assert existing is not None
            if not (show_changed and ahead):  # else: newer here, and it stays so
                if name.casefold() != existing.name.casefold():
                    name = _unique_show_name(session, owner_id, name)
                session.execute(update(Show).where(Show.id == show_id).values(
                    **importer.show_values(importer.venue(), name)
                ))  # fmt: skip
                importer.assignments(show_id)
            name = session.scalar(select(Show.name).where(Show.id == show_id)) or name
            importer.log.updated(Kind.SHOW, show_id)
        else:
            session.execute(insert(Show).values(
                id=show_id, owner_id=owner_id, created_at=when(data.get("created_at")),
                **importer.show_values(importer.venue(), name),
            ))  # fmt: skip
            importer.assignments(show_id)
            importer.log.created(Kind.SHOW, show_id)
        here_scripts = {s.id: s for s in session.scalars(select(Script).where(
            Script.show_id == show_id))}  # fmt: skip
        for script in package["scripts"]:
            if script["id"] not in plan:
                importer.scripts[script["id"]] = uuid.UUID(script["id"])
                continue
            existing_script = plan[script["id"]]
            if existing_script is not None:
                existing_script = here_scripts[existing_script.id]
            importer.write_script(show_id, script, existing_script)
        if mode is ImportMode.UPDATE:
            for script in package["scripts"]:  # scripts kept as they are keep their rows' ids
                if script["id"] not in plan:
                    for element_id in element_ids(script):
                        importer.elements.setdefault(element_id, uuid.UUID(element_id))
        importer.runs(show_id, skip_runs)
        if mode is not ImportMode.COPY:
            store_history(
                session,
                owner_id,
                show_id,
                [*read_history(session, owner_id, show_id), *package["history"]],
            )
    c = importer.counts
    return PackageImportResult(
        show_id,
        name,
        mode,
        c["written"],
        c["kept"],
        c["runs"],
        c["departments"],
        c["people"],
        importer.log.freeze(),
    )


def import_show_file(
    db: Database, owner_id: uuid.UUID, path: str | Path, mode: ImportMode
) -> PackageImportResult:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    return import_show(db, owner_id, read_package(data), mode)

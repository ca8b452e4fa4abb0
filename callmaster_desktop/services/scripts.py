"""Scripts: create, load, rename, change status and times, copy, delete.

A show can have several calling scripts (first draft, tech, final, a backup
copy). Every change to an existing script checks the version it was based
on (``ConflictError`` when someone else saved in between). Copying a script
copies every element with its cue number and group structure in one
``INSERT ... SELECT`` (``script_copy``), whatever the script's size.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Element, Run, Script, ScriptRevision, Show
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.script_copy import copy_elements
from callmaster_desktop.services.script_state import (
    ELEMENTS,
    WriteResult,
    lock_script,
    read_elements,
    stored_rows,
    write_locked,
)
from callmaster_desktop.services.validation import (
    aware_time,
    required_text,
    script_status,
    time_order,
)

MAX_NAME = 200
_ELEMENTS = ELEMENTS


@dataclass(frozen=True)
class DepartmentInfo:
    """What a script's view needs of a department: its label and colour."""

    id: uuid.UUID
    name: str
    initials: str
    color: str


@dataclass(frozen=True)
class LoadedScript:
    """A script as opened for editing: its fields, elements in order, departments used."""

    id: uuid.UUID
    show_id: uuid.UUID
    show_name: str
    name: str
    status: ScriptStatus
    start_time: datetime | None
    end_time: datetime | None
    notes: str | None
    version: int
    updated_by_id: uuid.UUID | None
    updated_at: datetime
    elements: list[ElementData]
    departments: dict[uuid.UUID, DepartmentInfo]


def load_script(db: Database, owner_id: uuid.UUID, script_id: uuid.UUID) -> LoadedScript:
    """The script with its elements and the departments they use, in three statements."""
    with db.reading() as session:
        return load_script_in(session, owner_id, script_id)


def load_script_in(session: Session, owner_id: uuid.UUID, script_id: uuid.UUID) -> LoadedScript:
    row = session.execute(
        select(
            Script.id,
            Script.show_id,
            Show.name,
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
        .where(Script.id == script_id, Show.owner_id == owner_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError("That script is not there: it may have been deleted.")
    elements = read_elements(session, script_id)
    used = {e.department_id for e in elements if e.department_id is not None}
    departments = {
        d.id: DepartmentInfo(d.id, d.name, d.initials, d.color)
        for d in session.execute(
            select(Department.id, Department.name, Department.initials, Department.color).where(
                Department.id.in_(used)
            )
        )
    }
    return LoadedScript(*row, elements=elements, departments=departments)


def _owned_show(session: Session, owner_id: uuid.UUID, show_id: uuid.UUID) -> Show:
    show = session.get(Show, show_id)
    if show is None or show.owner_id != owner_id:
        raise NotFoundError("That show is not there: it may have been deleted.")
    return show


def _names_in_show(session: Session, show_id: uuid.UUID) -> set[str]:
    names = session.scalars(select(Script.name).where(Script.show_id == show_id))
    return {n.casefold() for n in names}


def _unique_name(session: Session, show_id: uuid.UUID, name: str) -> str:
    if name.casefold() in _names_in_show(session, show_id):
        raise ValidationError(f'This show already has a script called "{name}".')
    return name


def create_script(
    db: Database,
    owner_id: uuid.UUID,
    show_id: uuid.UUID,
    name: str,
    *,
    status: ScriptStatus | str = ScriptStatus.DRAFT,
    start_time: datetime | None = None,
    end_time: datetime | None = None,
    notes: str | None = None,
) -> Changes:
    """A new empty script in one of the owner's shows."""
    name = required_text("The script", name, MAX_NAME)
    status = script_status(status)
    aware_time("The script", start_time, field="planned start")
    aware_time("The script", end_time, field="planned end")
    time_order(
        "The script", start_time, end_time, start_field="planned start", end_field="planned end"
    )
    with db.unit_of_work() as session:
        _owned_show(session, owner_id, show_id)
        _unique_name(session, show_id, name)
        script_id = uuid.uuid4()
        session.execute(
            insert(Script).values(
                id=script_id,
                show_id=show_id,
                name=name,
                status=status,
                start_time=start_time,
                end_time=end_time,
                notes=(notes or "").strip() or None,
                version=1,
                updated_by_id=owner_id,
            )
        )
    log = ChangeLog()
    log.created(Kind.SCRIPT, script_id)
    return log.freeze()


def update_script(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    base_version: int,
    fields: dict[str, Any],
    *,
    steps: list[str] | None = None,
) -> WriteResult:
    """Change the script's name, status, planned start/end or notes.

    Like every save it checks ``base_version``, bumps the version and records
    a revision; it returns the new version to base the next save on.
    """
    with db.unit_of_work() as session:
        locked = lock_script(session, script_id, base_version, owner_id)
        elements = stored_rows(session, locked)
        described = steps or [_describe(fields)]
        return write_locked(
            session,
            locked,
            elements,
            elements,
            author_id=owner_id,
            steps=described,
            script_fields=fields,
        )


def _describe(fields: dict[str, Any]) -> str:
    if set(fields) == {"name"}:
        return f'Rename the script to "{str(fields["name"]).strip()}"'
    if set(fields) == {"status"}:
        return f"Mark the script {fields['status']}"
    words = {"start_time": "planned start", "end_time": "planned end"}
    return "Change the script's " + ", ".join(words.get(k, k) for k in sorted(fields))


def rename_script(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID, base_version: int, name: str
) -> WriteResult:
    return update_script(db, owner_id, script_id, base_version, {"name": name})


def set_script_status(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    base_version: int,
    status: ScriptStatus | str,
) -> WriteResult:
    return update_script(db, owner_id, script_id, base_version, {"status": script_status(status)})


def set_script_times(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    base_version: int,
    start_time: datetime | None,
    end_time: datetime | None,
) -> WriteResult:
    return update_script(
        db, owner_id, script_id, base_version, {"start_time": start_time, "end_time": end_time}
    )


@dataclass(frozen=True)
class ScriptDeletionSummary:
    elements: int
    runs: int
    revisions: int

    @property
    def sentence(self) -> str:
        parts = [f"{self.elements} row(s)"]
        if self.runs:
            parts.append(f"the record of {self.runs} performance(s) or rehearsal(s)")
        if self.revisions:
            parts.append(f"{self.revisions} saved revision(s)")
        return "Deleting this script also deletes " + ", ".join(parts) + "."


def script_deletion_summary(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID
) -> ScriptDeletionSummary:
    """What deleting the script would take with it, so the user can be asked first."""
    with db.reading() as session:
        load_owner = select(Show.owner_id).join(Script, Script.show_id == Show.id)
        if session.scalar(load_owner.where(Script.id == script_id)) != owner_id:
            raise NotFoundError("That script is not there: it may have been deleted.")

        def count(model: Any) -> int:
            q = select(func.count()).select_from(model).where(model.script_id == script_id)
            return int(session.scalar(q) or 0)

        return ScriptDeletionSummary(count(Element), count(Run), count(ScriptRevision))


def delete_script(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID, *, base_version: int | None = None
) -> Changes:
    """Delete the script with its elements, revisions and runs, in one transaction."""
    with db.unit_of_work() as session:
        lock_script(session, script_id, base_version, owner_id)
        session.execute(delete(Run).where(Run.script_id == script_id))
        session.execute(delete(_ELEMENTS).where(_ELEMENTS.c.script_id == script_id))
        session.execute(delete(ScriptRevision).where(ScriptRevision.script_id == script_id))
        session.execute(delete(Script).where(Script.id == script_id))
    log = ChangeLog()
    log.deleted(Kind.SCRIPT, script_id)
    return log.freeze()


def _copy_name(session: Session, show_id: uuid.UUID, source: str, same_show: bool) -> str:
    taken = _names_in_show(session, show_id)
    base = source[: MAX_NAME - 12]
    candidates = [] if same_show else [source]
    candidates += [f"{base} (copy)"] + [f"{base} (copy {n})" for n in range(2, len(taken) + 3)]
    return next(c for c in candidates if c.casefold() not in taken)


def duplicate_script(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    *,
    to_show_id: uuid.UUID | None = None,
    name: str | None = None,
) -> Changes:
    """Copy a script, every element and its group structure, into the same or another show.

    A copy in the same show is named "<name> (copy)" (or "(copy 2)", ...) and
    marked "copy"; a copy in another of the owner's shows keeps its name and
    status unless that show already has a script so named.
    """
    with db.unit_of_work() as session:
        # The lock keeps the source still between the two statements that read it.
        source = lock_script(session, script_id, None, owner_id)
        target = to_show_id or source.show_id
        same_show = target == source.show_id
        if not same_show:
            _owned_show(session, owner_id, target)
        if name is not None:
            new_name = _unique_name(session, target, required_text("The copy", name, MAX_NAME))
        else:
            new_name = _copy_name(session, target, source.name, same_show)
        new_id = uuid.uuid4()
        session.execute(
            insert(Script).values(
                id=new_id,
                show_id=target,
                name=new_name,
                status=ScriptStatus.COPY if same_show else source.status,
                start_time=source.start_time,
                end_time=source.end_time,
                notes=source.notes,
                version=1,
                updated_by_id=owner_id,
                updated_at=utcnow(),
            )
        )
        copy_elements(session, script_id, new_id)
    log = ChangeLog()
    log.created(Kind.SCRIPT, new_id)
    return log.freeze()

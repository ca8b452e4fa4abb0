"""Writing a script's elements: the one save every script edit goes through.

``write_script_state`` takes the state the stage manager wants (the list of
elements in sequence order) and the version of the script it was based on.
In the caller's transaction it

1. locks the script row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite
   the writing unit of work already holds ``BEGIN IMMEDIATE``) and refuses a
   save based on an outdated version with ``ConflictError`` naming who saved
   and when;
2. checks the changed rows' fields and every rule of domain.md on the final
   list before writing (the list-wide rules are skipped when no row was
   added, removed, moved or given another group, kind, department or cue
   number: then nothing they look at changed);
3. writes only what differs from the stored rows, set-based: one ``DELETE``
   per few thousand ids, rows whose place or cue number changes parked on
   free values (negative sequence, no cue number), one ``INSERT``
   executemany, one ``UPDATE`` executemany per set of changed columns;
4. bumps the script's version and records a ``ScriptRevision`` with the
   steps, a summary and a compact snapshot.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Person, Script, ScriptRevision, Show
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.errors import ConflictError, NotFoundError, ValidationError
from callmaster_desktop.services import element_checks, element_io
from callmaster_desktop.services.changes import Changes, Kind, Ref
from callmaster_desktop.services.element_checks import (
    ELEMENT_FIELDS,
    changed_fields,
    checked_element,
)
from callmaster_desktop.services.element_io import ELEMENTS, read_elements
from callmaster_desktop.services.validation import aware_time, required_text, time_order

__all__ = [
    "ELEMENTS",
    "ELEMENT_FIELDS",
    "LockedScript",
    "WriteResult",
    "lock_script",
    "read_elements",
    "record_revision",
    "write_locked",
    "write_script_state",
]
SCRIPT_FIELDS = ("name", "status", "start_time", "end_time", "notes")
# The fields the rules of domain.md look at (besides the order and the set of rows).
_STRUCTURE = frozenset({"parent_id", "element_type", "department_id", "cue_number"})
SUMMARY_STEPS = 3


@dataclass(frozen=True)
class LockedScript:
    """The script row as locked for a save."""

    id: uuid.UUID
    show_id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    status: ScriptStatus
    start_time: datetime | None
    end_time: datetime | None
    notes: str | None
    version: int

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SCRIPT_FIELDS}


@dataclass(frozen=True)
class WriteResult:
    """What a save wrote: the script's new version, its revision and the element ids."""

    script_id: uuid.UUID
    version: int
    revision_number: int | None
    created: tuple[uuid.UUID, ...] = ()
    updated: tuple[uuid.UUID, ...] = ()
    deleted: tuple[uuid.UUID, ...] = ()
    changes: Changes = field(default_factory=Changes)

    @property
    def wrote(self) -> bool:
        """False when the save found nothing to change (nothing was written)."""
        return self.revision_number is not None


def lock_script(
    session: Session,
    script_id: uuid.UUID,
    base_version: int | None,
    owner_id: uuid.UUID | None = None,
) -> LockedScript:
    """Lock the script for writing and check that it is still at ``base_version``.

    ``base_version=None`` skips the check (used by operations that do not
    start from an opened copy, such as copying). With ``owner_id``, another
    owner's script is not found.
    """
    row = session.execute(
        select(
            Script.id,
            Script.show_id,
            Show.owner_id,
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
        .where(Script.id == script_id)
        .with_for_update(of=Script)
    ).one_or_none()
    if row is None or (owner_id is not None and row.owner_id != owner_id):
        raise NotFoundError("That script is no longer there: someone may have deleted it.")
    locked = LockedScript(*row[:9])
    if base_version is not None and locked.version != base_version:
        raise _conflict(session, locked, row.updated_by_id, row.updated_at)
    return locked


def _conflict(
    session: Session, locked: LockedScript, saved_by_id: uuid.UUID | None, saved_at: datetime
) -> ConflictError:
    who = "Someone else"
    if saved_by_id is not None:
        person = session.execute(
            select(Person.first_name, Person.last_name).where(Person.id == saved_by_id)
        ).one_or_none()
        if person is not None:
            who = f"{person.first_name} {person.last_name}".strip() or who
    when = saved_at.astimezone().strftime("%H:%M on %d %b %Y")
    return ConflictError(
        f'{who} saved "{locked.name}" at {when}, after you opened it. Nothing was saved: '
        "reload the script to see their changes, then make yours again.",
        saved_by=who,
        saved_at=saved_at,
    )


def write_script_state(
    session: Session,
    script_id: uuid.UUID,
    base_version: int,
    elements: list[ElementData],
    *,
    author_id: uuid.UUID | None,
    steps: list[str],
    script_fields: dict[str, Any] | None = None,
) -> WriteResult:
    """Make the script's elements exactly ``elements`` (list order = sequence 1..N).

    Raises ``ConflictError`` when the stored version is not ``base_version``,
    ``ValidationError`` when the list breaks a rule (nothing is written), and
    ``NotFoundError`` when the script is gone.
    """
    locked = lock_script(session, script_id, base_version)
    stored = read_elements(session, script_id)
    return write_locked(
        session, locked, stored, elements, author_id=author_id, steps=steps,
        script_fields=script_fields,
    )


def write_locked(
    session: Session,
    locked: LockedScript,
    stored: Sequence[ElementData],
    elements: Sequence[ElementData],
    *,
    author_id: uuid.UUID | None,
    steps: Sequence[str],
    script_fields: dict[str, Any] | None = None,
) -> WriteResult:
    """``write_script_state`` for a script already locked and read in this transaction."""
    with element_io.paused_gc():
        return _write(session, locked, stored, elements, author_id, steps, script_fields or {})


def _write(
    session: Session,
    locked: LockedScript,
    stored: Sequence[ElementData],
    elements: Sequence[ElementData],
    author_id: uuid.UUID | None,
    steps: Sequence[str],
    script_fields: dict[str, Any],
) -> WriteResult:
    new_fields = _checked_script_fields(session, locked, script_fields)
    old_by_id = {e.id: (position, e) for position, e in enumerate(stored, start=1)}
    final: list[ElementData] = []
    inserts: list[tuple[int, ElementData]] = []
    updates: dict[tuple[str, ...], list[tuple[int, ElementData]]] = {}
    parked: list[uuid.UUID] = []
    for position, wanted in enumerate(elements, start=1):
        old = old_by_id.pop(wanted.id, None)
        if old is None:
            wanted = checked_element(wanted, position)
            inserts.append((position, wanted))
            final.append(wanted)
            continue
        old_position, stored_row = old
        changed: tuple[str, ...] = ()
        if wanted is not stored_row:
            changed = changed_fields(stored_row, wanted)
            if changed:
                checked = checked_element(wanted, position, changed)
                if checked is not wanted:
                    wanted = checked
                    changed = changed_fields(stored_row, wanted)
        final.append(wanted)
        moved = old_position != position
        if moved or "department_id" in changed or "cue_number" in changed:
            parked.append(wanted.id)
            kept_columns = (n for n in ELEMENT_FIELDS if n in changed and n != "cue_number")
            columns = (*kept_columns, "cue_number", "sequence")
        elif changed:
            columns = changed
        else:
            continue
        updates.setdefault(columns, []).append((position, wanted))
    deleted = list(old_by_id)  # the stored rows nobody asked for
    if inserts or deleted or parked or any(
        _STRUCTURE.intersection(columns) for columns in updates
    ):
        element_checks.check_rules(session, final, locked.owner_id)
    # Otherwise no row was added, removed, moved or given another group, kind,
    # department or number: nothing a rule looks at changed, so the stored rows'
    # standing (kept by every save and by ``callmaster check``) carries over.
    if not (inserts or updates or deleted or new_fields):
        return WriteResult(locked.id, locked.version, None)
    if inserts:
        element_checks.check_new_ids(session, [e.id for _, e in inserts])
    element_io.delete_rows(session, deleted)
    element_io.park_rows(session, locked.id, parked)
    element_io.insert_rows(session, locked.id, inserts)
    element_io.update_rows(session, updates)
    version = _bump_version(session, locked, author_id, new_fields)
    number = record_revision(
        session, locked, version, final, author_id=author_id, steps=steps, fields=new_fields
    )
    created = tuple(e.id for _, e in inserts)
    updated = tuple(e.id for rows in updates.values() for _, e in rows)
    # Disjoint by construction, so the record is built directly (no ChangeLog).
    changes = Changes(
        created=tuple(Ref(Kind.ELEMENT, i) for i in created),
        updated=(Ref(Kind.SCRIPT, locked.id), *(Ref(Kind.ELEMENT, i) for i in updated)),
        deleted=tuple(Ref(Kind.ELEMENT, i) for i in deleted),
    )
    return WriteResult(
        locked.id,
        version,
        number,
        created=created,
        updated=updated,
        deleted=tuple(deleted),
        changes=changes,
    )


def _checked_script_fields(
    session: Session, locked: LockedScript, wanted: dict[str, Any]
) -> dict[str, Any]:
    """The script fields that change, checked; unknown names are refused."""
    unknown = set(wanted) - set(SCRIPT_FIELDS)
    if unknown:
        raise ValidationError(f"A script has no field called {', '.join(sorted(unknown))}.")
    checked = dict(wanted)
    if "name" in checked:
        checked["name"] = required_text("The script", checked["name"], 200)
    if "status" in checked:
        try:
            checked["status"] = ScriptStatus(checked["status"])
        except ValueError:
            choices = ", ".join(s.value for s in ScriptStatus)
            raise ValidationError(
                f'"{checked["status"]}" is not a script status: choose one of {choices}.'
            ) from None
    for name, label in (("start_time", "planned start"), ("end_time", "planned end")):
        if name in checked:
            checked[name] = aware_time("The script", checked[name], field=label)
    if "notes" in checked:
        checked["notes"] = (checked["notes"] or "").strip() or None
    time_order(
        "The script",
        checked.get("start_time", locked.start_time),
        checked.get("end_time", locked.end_time),
        start_field="planned start",
        end_field="planned end",
    )
    current = locked.fields()
    changes = {k: v for k, v in checked.items() if current[k] != v}
    if "name" in changes and changes["name"].casefold() != locked.name.casefold():
        others = session.scalars(
            select(Script.name).where(Script.show_id == locked.show_id, Script.id != locked.id)
        )
        if changes["name"].casefold() in {n.casefold() for n in others}:
            raise ValidationError(f'This show already has a script called "{changes["name"]}".')
    return changes


def _bump_version(
    session: Session, locked: LockedScript, author_id: uuid.UUID | None, new: dict[str, Any]
) -> int:
    version = locked.version + 1
    result = session.execute(
        update(Script)
        .where(Script.id == locked.id, Script.version == locked.version)
        .values(version=version, updated_by_id=author_id, updated_at=utcnow(), **new)
    )
    if getattr(result, "rowcount", 1) != 1:  # cannot happen under the lock; never overwrite
        raise ConflictError(
            f'"{locked.name}" was saved by someone else in the meantime. Nothing was saved: '
            "reload the script and make your changes again."
        )
    return version


def record_revision(
    session: Session,
    locked: LockedScript,
    version: int,
    elements: Sequence[ElementData],
    *,
    author_id: uuid.UUID | None,
    steps: Sequence[str],
    fields: dict[str, Any],
) -> int:
    """Add the script's next ``ScriptRevision``; return its number."""
    number = (
        session.scalar(
            select(func.max(ScriptRevision.number)).where(ScriptRevision.script_id == locked.id)
        )
        or 0
    ) + 1
    steps = [str(s) for s in steps]
    summary = "; ".join(steps[:SUMMARY_STEPS]) or "Saved"
    if len(steps) > SUMMARY_STEPS:
        summary += f" (and {len(steps) - SUMMARY_STEPS} more)"
    session.execute(
        insert(ScriptRevision).values(
            id=uuid.uuid4(),
            script_id=locked.id,
            number=number,
            script_version=version,
            author_id=author_id,
            created_at=utcnow(),
            summary=summary,
            steps=steps,
            snapshot=element_checks.snapshot({**locked.fields(), **fields}, elements),
        )
    )
    return number

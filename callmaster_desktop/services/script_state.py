"""Writing a script's elements: the one save every script edit goes through.

``write_script_state`` takes the state the stage manager wants (the list of
elements in sequence order) and the version of the script it was based on.
In the caller's transaction it

1. locks the script row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite
   the writing unit of work already holds ``BEGIN IMMEDIATE``) and refuses a
   save based on an outdated version with ``ConflictError`` naming who saved
   and when;
2. takes the stored rows: those the caller says it started from
   (``base``, a ``SavedRows``) when the script is still exactly that saved
   state (same version, saved at the same moment), else reads them;
3. checks the changed rows' fields and every rule of domain.md on the final
   list before writing (the list-wide rules are skipped when no row was
   added, removed, moved or given another group, kind, department or cue
   number: then nothing they look at changed; the group and cue rules are
   also skipped for a list an editing session vouches for with
   ``RulesKept``, the departments are still checked against the database);
4. writes only what differs from the stored rows (``element_diff``),
   set-based, one driver ``executemany`` each: removed rows deleted, cue
   numbers about to change let go of, rows that change place given their
   new sequence (in an order where no two rows ever share one), new rows
   inserted, changed fields updated per set of changed columns;
5. bumps the script's version and records a ``ScriptRevision`` with the
   steps, a summary and a snapshot: the whole script, or only what changed
   since the revision before (``revision_snapshots``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import is_not
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Script, ScriptRevision
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.errors import ConflictError, ValidationError
from callmaster_desktop.services import element_checks, element_io, saved_rows
from callmaster_desktop.services.changes import Changes, Kind, Ref
from callmaster_desktop.services.element_checks import ELEMENT_FIELDS, RulesKept
from callmaster_desktop.services.element_diff import STRUCTURE, RowDiff, diff_rows
from callmaster_desktop.services.element_io import ELEMENTS, read_elements
from callmaster_desktop.services.revision_snapshots import RowOrder, revision_snapshot
from callmaster_desktop.services.script_lock import SCRIPT_FIELDS, LockedScript, lock_script
from callmaster_desktop.services.validation import (
    aware_time,
    required_text,
    script_status,
    time_order,
)

__all__ = [
    "ELEMENTS",
    "ELEMENT_FIELDS",
    "SCRIPT_FIELDS",
    "LockedScript",
    "RulesKept",
    "SavedRows",
    "WriteResult",
    "lock_script",
    "read_elements",
    "record_revision",
    "stored_rows",
    "write_locked",
    "write_script_state",
]
# The fields the rules of domain.md look at (besides the order and the set of rows).
_STRUCTURE = STRUCTURE
SUMMARY_STEPS = 3


@dataclass(frozen=True)
class SavedRows:
    """A script's rows as one save left them: the version, when it was saved, the rows.

    An editing session keeps the rows it opened (or last saved) so that its
    save need not read them again: they are used only when the script is
    still at that version, saved at that very moment.
    """

    version: int
    saved_at: datetime
    rows: Sequence[ElementData] = field(repr=False)


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
    # What the script holds now (the rows as checked and written), for the next save.
    saved: SavedRows | None = field(default=None, compare=False, repr=False)

    @property
    def wrote(self) -> bool:
        """False when the save found nothing to change (nothing was written)."""
        return self.revision_number is not None


def write_script_state(
    session: Session,
    script_id: uuid.UUID,
    base_version: int,
    elements: Sequence[ElementData],
    *,
    author_id: uuid.UUID | None,
    steps: Sequence[str],
    script_fields: dict[str, Any] | None = None,
    base: SavedRows | None = None,
    kept: RulesKept | None = None,
) -> WriteResult:
    """Make the script's elements exactly ``elements`` (list order = sequence 1..N).

    ``base`` are the rows the caller started from (saved at ``base_version``):
    used instead of reading the stored rows when the script is still exactly
    that saved state. ``kept``: see ``RulesKept``.

    Raises ``ConflictError`` when the stored version is not ``base_version``,
    ``ValidationError`` when the list breaks a rule (nothing is written), and
    ``NotFoundError`` when the script is gone.
    """
    locked = lock_script(session, script_id, base_version)
    if base is not None and base.version == locked.version and base.saved_at == locked.saved_at:
        stored = base.rows
    else:
        stored = stored_rows(session, locked)
    return write_locked(
        session,
        locked,
        stored,
        elements,
        author_id=author_id,
        steps=steps,
        script_fields=script_fields,
        kept=kept,
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
    kept: RulesKept | None = None,
) -> WriteResult:
    """``write_script_state`` for a script already locked and read in this transaction."""
    with element_io.paused_gc():
        result = _write(
            session, locked, stored, elements, author_id, steps, script_fields or {}, kept
        )
    if result.saved is not None:
        saved = result.saved
        saved_rows.remember_when_committed(
            session, locked.id, saved.version, saved.saved_at, saved.rows
        )
    return result


def stored_rows(session: Session, locked: LockedScript) -> Sequence[ElementData]:
    """The script's rows as stored: as this process last saved them, else read."""
    kept = saved_rows.recall(session, locked.id, locked.version, locked.saved_at)
    return kept if kept is not None else read_elements(session, locked.id)


def _write(
    session: Session,
    locked: LockedScript,
    stored: Sequence[ElementData],
    elements: Sequence[ElementData],
    author_id: uuid.UUID | None,
    steps: Sequence[str],
    script_fields: dict[str, Any],
    kept: RulesKept | None,
) -> WriteResult:
    new_fields = _checked_script_fields(session, locked, script_fields)
    diff = diff_rows(stored, elements)
    if diff.structure:
        vouched = kept if kept is not None and kept.rows is elements else None
        final: Sequence[ElementData] = diff.final
        if vouched is not None and not any(map(is_not, diff.final, elements)):
            final = elements  # nothing was tidied: the very list vouched for
        element_checks.check_rules(session, final, locked.owner_id, kept=vouched)
    # Otherwise no row was added, removed, moved or given another group, kind,
    # department or number: nothing a rule looks at changed, so the stored rows'
    # standing (kept by every save and by ``callmaster check``) carries over.
    if not (diff.writes or new_fields):
        return WriteResult(
            locked.id,
            locked.version,
            None,
            saved=_saved(locked.version, locked.saved_at, diff.final),
        )
    if diff.inserts:
        element_checks.check_new_ids(session, [e.id for _, e in diff.inserts])
    _write_rows(session, locked.id, diff)
    version, saved_at = _bump_version(session, locked, author_id, new_fields)
    number = record_revision(
        session,
        locked,
        version,
        diff.final,
        author_id=author_id,
        steps=steps,
        fields=new_fields,
        order=diff.order,
        shift=diff.shift_all if not diff.moves else None,
    )
    created = tuple(e.id for _, e in diff.inserts)
    updated = tuple(diff.updated)
    deleted = tuple(diff.deleted)
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
        deleted=deleted,
        changes=changes,
        saved=_saved(version, saved_at, diff.final),
    )


def _saved(version: int, saved_at: datetime | None, rows: list[ElementData]) -> SavedRows | None:
    return None if saved_at is None else SavedRows(version, saved_at, rows)


def _write_rows(session: Session, script_id: uuid.UUID, diff: RowDiff) -> None:
    """The writes, in an order where no two rows ever share a place or a cue number."""
    element_io.delete_rows(session, diff.deleted)
    element_io.renumber_cues(session, diff.renumbered)
    element_io.move_rows(session, diff.moves)
    element_io.insert_rows(session, script_id, diff.inserts)
    element_io.update_rows(session, diff.updates)
    if diff.shift_all:
        element_io.shift_script(session, script_id, diff.shift_all)


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
        checked["status"] = script_status(checked["status"])
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
) -> tuple[int, datetime]:
    version = locked.version + 1
    saved_at = utcnow()
    result = session.execute(
        update(Script)
        .where(Script.id == locked.id, Script.version == locked.version)
        .values(version=version, updated_by_id=author_id, updated_at=saved_at, **new)
    )
    if getattr(result, "rowcount", 1) != 1:  # cannot happen under the lock; never overwrite
        raise ConflictError(
            f'"{locked.name}" was saved by someone else in the meantime. Nothing was saved: '
            "reload the script and make your changes again."
        )
    return version, saved_at


def record_revision(
    session: Session,
    locked: LockedScript,
    version: int,
    elements: Sequence[ElementData],
    *,
    author_id: uuid.UUID | None,
    steps: Sequence[str],
    fields: dict[str, Any],
    order: RowOrder | None = None,
    shift: int | None = None,
) -> int:
    """Add the script's next ``ScriptRevision``; return its number.

    ``order`` says how ``elements`` come from the rows stored at
    ``locked.version`` (``element_diff``): then the revision may keep only
    what changed since the revision that saved those rows; ``shift`` that
    every row only moved by that many milliseconds.
    """
    last = session.execute(
        select(ScriptRevision.number, ScriptRevision.script_version)
        .where(ScriptRevision.script_id == locked.id)
        .order_by(ScriptRevision.number.desc())
        .limit(1)
    ).first()
    number = (last.number if last is not None else 0) + 1
    # The revision before holds exactly the rows the save started from.
    base = last.number if last is not None and last.script_version == locked.version else None
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
            snapshot=revision_snapshot(
                {**locked.fields(), **fields}, elements, number, base, order, shift=shift
            ),
        )
    )
    return number

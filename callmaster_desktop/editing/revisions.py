"""Saved revisions of a script: list them, compare two, restore one.

Every save records a ``ScriptRevision`` (who, when, the steps, a snapshot of
the script). ``compare`` says what differs between two states of a script,
row by row and field by field; ``RestoreRevision`` is an edit command that
puts an old revision's rows and information back, undoable and saved like
any other edit.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script, ScriptRevision, Show
from callmaster_desktop.domain.cuenumber import cue_label
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.editing.base import Command, NothingToChange
from callmaster_desktop.editing.codec import FormatError, decode_snapshot
from callmaster_desktop.editing.fields import FIELD_WORDS, ROW_FIELDS
from callmaster_desktop.editing.state import INFO_FIELDS, ScriptInfo, ScriptState
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.revision_snapshots import SnapshotError, read_snapshot


@dataclass(frozen=True)
class RevisionSummary:
    """One saved revision as the history list shows it."""

    number: int
    script_version: int
    author: str
    saved_at: datetime
    summary: str
    steps: tuple[str, ...]

    @property
    def title(self) -> str:
        when = self.saved_at.astimezone().strftime("%d %b %Y, %H:%M")
        return f"Revision {self.number}, saved by {self.author} on {when}"


@dataclass(frozen=True)
class Revision:
    """A saved revision with the script as it was then."""

    summary: RevisionSummary
    info: ScriptInfo
    elements: list[ElementData]


def _owned(session: Any, owner_id: uuid.UUID, script_id: uuid.UUID) -> None:
    owner = session.scalar(
        select(Show.owner_id).join(Script, Script.show_id == Show.id).where(Script.id == script_id)
    )
    if owner != owner_id:
        raise NotFoundError("That script is not there: it may have been deleted.")


def _summary(row: Any) -> RevisionSummary:
    author = f"{row.first_name or ''} {row.last_name or ''}".strip() or "someone"
    return RevisionSummary(
        row.number, row.script_version, author, row.created_at, row.summary, tuple(row.steps)
    )


def _revisions_query(script_id: uuid.UUID) -> Any:
    return (
        select(
            ScriptRevision.number,
            ScriptRevision.script_version,
            ScriptRevision.created_at,
            ScriptRevision.summary,
            ScriptRevision.steps,
            Person.first_name,
            Person.last_name,
        )
        .outerjoin(Person, Person.id == ScriptRevision.author_id)
        .where(ScriptRevision.script_id == script_id)
    )


def list_revisions(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID
) -> list[RevisionSummary]:
    """The script's saved revisions, newest first."""
    with db.reading() as session:
        _owned(session, owner_id, script_id)
        rows = session.execute(_revisions_query(script_id).order_by(ScriptRevision.number.desc()))
        return [_summary(row) for row in rows]


def load_revision(db: Database, owner_id: uuid.UUID, script_id: uuid.UUID, number: int) -> Revision:
    """One revision with its snapshot read back into rows."""
    with db.reading() as session:
        _owned(session, owner_id, script_id)
        row = session.execute(
            _revisions_query(script_id).where(ScriptRevision.number == number)
        ).one_or_none()
        try:
            snapshot = read_snapshot(session, script_id, number=number)
        except SnapshotError:
            raise ValidationError(f"Revision {number} of this script cannot be read.") from None
    if row is None or snapshot is None:
        raise NotFoundError(f"Revision {number} of this script is not there.")
    try:
        info, elements = decode_snapshot(snapshot)
    except FormatError:
        raise ValidationError(f"Revision {number} of this script cannot be read.") from None
    return Revision(_summary(row), info, elements)


# --- comparing ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    old: ElementData
    new: ElementData
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Comparison:
    """What differs from an older state of a script (``old``) to a newer one (``new``)."""

    added: tuple[ElementData, ...]
    removed: tuple[ElementData, ...]
    changed: tuple[RowChange, ...]
    moved: tuple[ElementData, ...]
    info: tuple[FieldChange, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.moved or self.info)

    def lines(self, initials: Callable[[uuid.UUID], str] | None = None) -> list[str]:
        """The differences in words: ``Added LX 12.5``, ``LX 12: time 1:00 -> 1:05``."""

        def label(e: ElementData) -> str:
            if e.element_type is ElementType.CUE:
                dept = initials(e.department_id) if initials and e.department_id else ""
                return cue_label(dept, e.cue_number) or f'the cue "{e.name}"'
            return f'the {e.element_type.value} "{e.name}"'

        out = [
            f"Script {FIELD_WORDS.get(c.field, c.field.replace('_', ' '))}: "
            f"{_shown(c.field, c.old, initials)} -> {_shown(c.field, c.new, initials)}"
            for c in self.info
        ]
        out += [f"Added {label(e)}" for e in self.added]
        out += [f"Removed {label(e)}" for e in self.removed]
        for change in self.changed:
            parts = [
                f"{FIELD_WORDS.get(c.field, c.field)} {_shown(c.field, c.old, initials)} -> "
                f"{_shown(c.field, c.new, initials)}"
                for c in change.fields
            ]
            out.append(f"{label(change.old)}: " + "; ".join(parts))
        out += [f"Moved {label(e)}" for e in self.moved]
        return out


def _shown(name: str, value: Any, initials: Callable[[uuid.UUID], str] | None) -> str:
    if value is None:
        return "(none)"
    if name in ("offset_ms", "duration_ms"):
        return format_offset(value)
    if name == "department_id" and initials is not None:
        return initials(value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%d %b %Y %H:%M")
    if hasattr(value, "value"):
        return str(value.value)
    return f'"{value}"' if isinstance(value, str) else str(value)


def _out_of_order(ids: list[uuid.UUID], order: dict[uuid.UUID, int]) -> set[uuid.UUID]:
    """The rows not on a longest run kept in the same order (the ones that moved)."""
    ranks = [order[i] for i in ids]
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(ranks)
    for k, rank in enumerate(ranks):
        slot = bisect.bisect_left(tails, rank)
        if slot == len(tails):
            tails.append(rank)
            tail_at.append(k)
        else:
            tails[slot] = rank
            tail_at[slot] = k
        previous[k] = tail_at[slot - 1] if slot else -1
    kept: set[uuid.UUID] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        kept.add(ids[k])
        k = previous[k]
    return set(ids) - kept


def compare(
    old: Sequence[ElementData],
    new: Sequence[ElementData],
    old_info: ScriptInfo | None = None,
    new_info: ScriptInfo | None = None,
) -> Comparison:
    """Rows added, removed, changed (field by field) and moved from ``old`` to ``new``."""
    old_by_id = {e.id: e for e in old}
    new_ids = {e.id for e in new}
    added = tuple(e for e in new if e.id not in old_by_id)
    removed = tuple(e for e in old if e.id not in new_ids)
    changed: list[RowChange] = []
    for e in new:
        before = old_by_id.get(e.id)
        if before is None or before == e:
            continue
        fields = tuple(
            FieldChange(n, getattr(before, n), getattr(e, n))
            for n in ("parent_id", *ROW_FIELDS)
            if getattr(before, n) != getattr(e, n)
        )
        changed.append(RowChange(before, e, fields))
    kept_order = {e.id: n for n, e in enumerate(e for e in old if e.id in new_ids)}
    kept_new = [e.id for e in new if e.id in old_by_id]
    moved_ids = _out_of_order(kept_new, kept_order)
    moved = tuple(e for e in new if e.id in moved_ids)
    info: tuple[FieldChange, ...] = ()
    if old_info is not None and new_info is not None:
        info = tuple(
            FieldChange(n, getattr(old_info, n), getattr(new_info, n))
            for n in INFO_FIELDS
            if getattr(old_info, n) != getattr(new_info, n)
        )
    return Comparison(added, removed, tuple(changed), moved, info)


def compare_revisions(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID, older: int, newer: int
) -> Comparison:
    a = load_revision(db, owner_id, script_id, older)
    b = load_revision(db, owner_id, script_id, newer)
    return compare(a.elements, b.elements, a.info, b.info)


# --- restoring ------------------------------------------------------------------------


class RestoreRevision(Command):
    """Put a saved revision's rows and script information back (one undoable step)."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision

    def perform(self, state: ScriptState) -> str:
        changed_rows = state.replace_all(self.revision.elements)
        changed_info = self.revision.info != state.info
        if changed_info:
            state.set_info(self.revision.info)
        if changed_rows is None and not changed_info:
            raise NothingToChange(
                f"The script is already as it was in revision {self.revision.summary.number}."
            )
        when = self.revision.summary.saved_at.astimezone().strftime("%d %b %Y, %H:%M")
        return f"Restored revision {self.revision.summary.number} ({when})"

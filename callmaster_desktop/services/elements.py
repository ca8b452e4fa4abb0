"""Element edits in bulk: add, change, delete, move, shift times, set a field; sort; renumber.

``apply_element_changes`` loads the script under its lock, applies a list of
``ElementChange`` values in memory (``ElementDraft``) and saves the result
with ``write_locked``: one transaction, the version checked, the rules of
domain.md checked before anything is written, only changed rows written.
``auto_sort_by_time`` and ``renumber_department`` are single-step saves
built the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department
from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.element import EDITABLE_FIELDS, ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import (
    TimeFormatError,
    format_delta,
    parse_delta,
    parse_offset,
)
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.element_draft import ElementDraft, Parent
from callmaster_desktop.services.element_io import paused_gc
from callmaster_desktop.services.element_values import evolve
from callmaster_desktop.services.script_state import (
    LockedScript,
    WriteResult,
    lock_script,
    stored_rows,
    write_locked,
)
from callmaster_desktop.services.validation import choice, colour

SETTABLE_FIELDS = ("department_id", "priority", "color", "location")


@dataclass(frozen=True)
class AddElement:
    """Add ``data`` to the group ``parent_id`` (None: the top of the script).

    Placed right after ``after_id`` (a row of that group, or the group itself
    for "first in the group"), else at ``position`` among the group's rows,
    else at the end of the group. ``parent_id=None`` takes ``data.parent_id``.
    """

    data: ElementData
    after_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    position: int | None = None


@dataclass(frozen=True)
class UpdateElement:
    """Change fields of one row; ``None`` clears an optional field.

    Times may be given as text (``"1:02:03"``). Changing ``parent_id`` moves
    the row (with its rows) to the end of that group.
    """

    id: uuid.UUID
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeleteElement:
    """Delete one row; a group's rows go too with ``with_children``, else they move up."""

    id: uuid.UUID
    with_children: bool = False


@dataclass(frozen=True)
class MoveElements:
    """Move rows (with the rows inside them) into ``parent_id``, placed as ``AddElement``."""

    ids: tuple[uuid.UUID, ...]
    after_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    position: int | None = None


@dataclass(frozen=True)
class ShiftTimes:
    """Shift the rows (and the rows inside groups among them) by ``delta_ms`` or ``"+0:05"``."""

    ids: tuple[uuid.UUID, ...]
    delta_ms: int | str


@dataclass(frozen=True)
class SetField:
    """Give every row the same department, priority, colour or location."""

    ids: tuple[uuid.UUID, ...]
    field: str
    value: Any


ElementChange = AddElement | UpdateElement | DeleteElement | MoveElements | ShiftTimes | SetField


def _time(value: Any, parse: Callable[[str], int]) -> Any:
    if isinstance(value, str):
        try:
            return parse(value)
        except TimeFormatError as exc:
            raise ValidationError(str(exc) + ".") from None
    return value


def _checked_offset(value: Any) -> Any:
    if value is None:
        raise ValidationError("Every row needs a time: it cannot be cleared.")
    return _time(value, parse_offset)


def _checked_priority(value: Any) -> Priority:
    return choice(Priority, value, "priority")


def _checked_type(value: Any) -> ElementType:
    try:
        return ElementType(value)
    except ValueError:
        raise ValidationError(f'"{value}" is not a cue, a note or a group.') from None


def _checked_key(value: Any) -> Any:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


# How a field's new value is read where the user types text; fields not named
# here are taken as given (``checked_element`` checks every field at the save).
_VALUE_CHECKS: dict[str, Callable[[Any], Any]] = {
    "offset_ms": _checked_offset,
    "duration_ms": lambda value: _time(value, parse_offset),
    "name": lambda value: "" if value is None else value,
    "priority": _checked_priority,
    "element_type": _checked_type,
    "color": lambda value: colour("The row", value),
    "parent_id": _checked_key,
    "department_id": _checked_key,
}
_EDITABLE = frozenset(EDITABLE_FIELDS)


def _checked_value(name: str, value: Any) -> Any:
    """A field's new value, read from text where the user types text."""
    check = _VALUE_CHECKS.get(name)
    return value if check is None else check(value)


def _update(draft: ElementDraft, change: UpdateElement) -> None:
    fields = change.fields
    if not _EDITABLE.issuperset(fields):
        unknown = set(fields) - _EDITABLE
        raise ValidationError(f"A row has no field called {', '.join(sorted(unknown))}.")
    current = draft.get(change.id)
    checks = _VALUE_CHECKS
    values = {k: v if (check := checks.get(k)) is None else check(v) for k, v in fields.items()}
    if (
        "element_type" in values
        and values["element_type"] is not ElementType.GROUP
        and draft.holds_rows(change.id)
    ):
        raise ValidationError(
            f"{draft.name_of(change.id)} still holds rows: take them out of the group "
            "before making it a cue or a note."
        )
    new_parent = values.pop("parent_id", current.parent_id)
    if values:
        draft.replace(current, evolve(current, values))
    if new_parent != current.parent_id:
        draft.move([change.id], new_parent)


def _set_field(draft: ElementDraft, change: SetField) -> None:
    if change.field not in SETTABLE_FIELDS:
        raise ValidationError(
            f"Only the department, priority, colour or location can be set on several rows "
            f"at once, not {change.field}."
        )
    value = _checked_value(change.field, change.value)
    for element_id in dict.fromkeys(change.ids):
        draft.set(element_id, **{change.field: value})


def apply_change(draft: ElementDraft, change: ElementChange) -> None:
    """Apply one change to the draft (raises ``ValidationError``/``NotFoundError``)."""
    if isinstance(change, AddElement):
        parent: Parent = change.parent_id or change.data.parent_id
        draft.add(change.data, parent, change.after_id, change.position)
    elif isinstance(change, UpdateElement):
        _update(draft, change)
    elif isinstance(change, DeleteElement):
        draft.delete(change.id, with_children=change.with_children)
    elif isinstance(change, MoveElements):
        draft.move(change.ids, change.parent_id, change.after_id, change.position)
    elif isinstance(change, ShiftTimes):
        delta = _time(change.delta_ms, parse_delta)
        if isinstance(delta, bool) or not isinstance(delta, int):
            raise ValidationError("A time shift must be a time such as +0:05 or -1:30.")
        draft.shift(change.ids, delta)
    elif isinstance(change, SetField):
        _set_field(draft, change)
    else:
        raise TypeError(f"not an element change: {change!r}")


def describe(change: ElementChange, draft: ElementDraft) -> str:
    """The change in a stage manager's words, for the revision history."""

    def rows(n: int) -> str:
        return "1 row" if n == 1 else f"{n} rows"

    if isinstance(change, AddElement):
        d = change.data
        return f'Add {d.element_type.value} "{d.name}"' if d.name else f"Add a {d.element_type}"
    if isinstance(change, UpdateElement):
        return f"Change {', '.join(sorted(change.fields))} of {draft.name_of(change.id)}"
    if isinstance(change, DeleteElement):
        return f"Delete {draft.name_of(change.id)}" + (
            " and its rows" if change.with_children else ""
        )
    if isinstance(change, MoveElements):
        return f"Move {rows(len(change.ids))}"
    if isinstance(change, ShiftTimes):
        delta = change.delta_ms
        shown = format_delta(delta) if isinstance(delta, int) else delta
        return f"Shift {rows(len(change.ids))} by {shown}"
    return f"Set the {change.field.replace('_id', '')} of {rows(len(change.ids))}"


class _Steps:
    """The changes described for the history, each as it is about to be applied.

    A run of more than ``RUN`` updates of the same fields (a bulk edit) is
    one step, "Change notes of 2,400 rows", not one step per row.
    """

    RUN = 3

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.run_fields: tuple[str, ...] | None = None
        self.run: list[str] = []
        self.run_length = 0

    def add(self, change: ElementChange, draft: ElementDraft) -> None:
        if isinstance(change, UpdateElement):
            fields = tuple(sorted(change.fields))
            if fields != self.run_fields:
                self._end_run()
                self.run_fields = fields
            self.run_length += 1
            if self.run_length <= self.RUN:
                self.run.append(describe(change, draft))
            return
        self._end_run()
        self.steps.append(describe(change, draft))

    def _end_run(self) -> None:
        if self.run_length > self.RUN and self.run_fields is not None:
            self.steps.append(f"Change {', '.join(self.run_fields)} of {self.run_length:,} rows")
        else:
            self.steps.extend(self.run)
        self.run_fields, self.run, self.run_length = None, [], 0

    def done(self) -> list[str]:
        self._end_run()
        return self.steps


def _save(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    base_version: int,
    edit: Callable[[Session, LockedScript, ElementDraft], list[str]],
) -> WriteResult:
    with db.unit_of_work() as session, paused_gc():
        locked = lock_script(session, script_id, base_version, owner_id)
        stored = stored_rows(session, locked)
        draft = ElementDraft(stored)
        steps = edit(session, locked, draft)
        return write_locked(session, locked, stored, draft.rows(), author_id=owner_id, steps=steps)


def apply_element_changes(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    base_version: int,
    changes: Sequence[ElementChange],
    *,
    steps: list[str] | None = None,
) -> WriteResult:
    """Apply every change, in order, and save the result in one transaction.

    ``steps`` (default: each change described) go into the revision history.
    """

    def edit(session: Session, locked: LockedScript, draft: ElementDraft) -> list[str]:
        if steps is not None:
            for change in changes:
                apply_change(draft, change)
            return steps
        described = _Steps()
        for change in changes:
            described.add(change, draft)
            apply_change(draft, change)
        return described.done()

    return _save(db, owner_id, script_id, base_version, edit)


def auto_sort_by_time(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID, base_version: int
) -> WriteResult:
    """Put every group's rows (and the top level) in time order; equal times keep their order.

    Groups move with their rows; a group's time is its earliest row's time.
    """

    def edit(session: Session, locked: LockedScript, draft: ElementDraft) -> list[str]:
        draft.sort_by(lambda e: e.offset_ms)
        return ["Sort the script by time"]

    return _save(db, owner_id, script_id, base_version, edit)


def _decimal(value: Decimal | str | int, what: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f'The {what} "{value}" is not a number.') from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"The {what} must be a number, 0 or more.")
    return number


def renumber_department(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    base_version: int,
    department_id: uuid.UUID,
    start: Decimal | str | int = "1",
    step: Decimal | str | int = "1",
) -> WriteResult:
    """Number one department's cues start, start+step, ... in script order."""
    first = _decimal(start, "first number")
    increment = _decimal(step, "step")
    if increment == 0:
        raise ValidationError("The step between cue numbers must be more than 0.")

    def edit(session: Session, locked: LockedScript, draft: ElementDraft) -> list[str]:
        initials = session.scalar(
            select(Department.initials).where(
                Department.id == department_id, Department.owner_id == owner_id
            )
        )
        if initials is None:
            raise NotFoundError("That department is not there: it may have been deleted.")
        cues = [
            e.id
            for e in draft.rows()
            if e.department_id == department_id and e.element_type is ElementType.CUE
        ]
        for n, element_id in enumerate(cues):
            value = first + increment * n
            try:
                number = normalize_cue_number(f"{value:f}")
            except CueNumberError as exc:
                raise ValidationError(f"Renumbering {initials} stops at {value:f}: {exc}") from None
            draft.set(element_id, cue_number=number)
        return [f"Renumber {initials} cues from {first:f} by {increment:f}"]

    return _save(db, owner_id, script_id, base_version, edit)

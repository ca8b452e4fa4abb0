"""Edit commands for single rows and the script's information: add, edit, delete.

Moving and grouping are in ``editing.structure``; edits of a whole
selection (shift times, set a field, renumber, sort) in ``editing.bulk``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.editing.base import (
    Command,
    NothingToChange,
    Place,
    count_words,
    promote_children,
    rows_word,
    selected_blocks,
    selected_positions,
)
from callmaster_desktop.editing.fields import (
    FIELD_WORDS,
    ROW_FIELDS,
    check_number_free,
    check_row,
    read_values,
)
from callmaster_desktop.editing.numbering import propose_cue_number
from callmaster_desktop.editing.state import INFO_FIELDS, ScriptState
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.validation import (
    aware_time,
    join_words,
    required_text,
    script_status,
    time_order,
)

MAX_SCRIPT_NAME = 200


def _propose(state: ScriptState, e: ElementData, position: int) -> ElementData:
    """A cue with a department but no number gets the proposed number."""
    if e.element_type is not ElementType.CUE or e.department_id is None or e.cue_number:
        return e
    if e.department_id not in state.departments:
        return e  # check_row refuses it with the right words
    number = propose_cue_number(state, e.department_id, position)
    if number is None:
        raise ValidationError(
            f"No {state.initials(e.department_id)} cue number fits here: type one for the cue."
        )
    return e.with_changes(cue_number=number)


class AddElement(Command):
    """Add a cue, note or group at a place.

    ``fields`` are the row's fields by name (times may be text such as
    ``"1:02:03"``). A cue with a department and no number gets the proposed
    one; a row without a time takes the time of the row before it.
    ``element_id`` is the new row's id after the command is done.
    """

    def __init__(
        self,
        kind: ElementType | str,
        place: Place,
        fields: Mapping[str, Any] | None = None,
        *,
        element_id: uuid.UUID | None = None,
    ) -> None:
        self.kind = kind
        self.place = place
        self.fields = dict(fields or {})
        self.element_id = element_id or uuid.uuid4()

    def perform(self, state: ScriptState) -> str:
        values = read_values({**self.fields, "element_type": self.kind})
        position, parent = self.place.resolve(state)
        if "offset_ms" not in values:
            values["offset_ms"] = state.at(position - 1).offset_ms if position > 0 else 0
        e = ElementData(id=self.element_id, parent_id=parent, **values)
        e = check_row(state, _propose(state, e, position), position)
        check_number_free(state, e, ignore=set())
        state.splice(position, 0, (e,))
        if e.element_type is ElementType.GROUP and e.name:
            return f"Added the group {state.label(e)}"
        return f"Added {state.label(e)}"


class EditFields(Command):
    """Change fields of one row; ``None`` clears an optional field.

    A cue that becomes a note or group loses its cue number; a row that
    becomes a cue gets the proposed number when it has a department. A
    group that still holds rows cannot become a cue or a note.
    """

    def __init__(self, element_id: uuid.UUID, changes: Mapping[str, Any]) -> None:
        self.element_id = element_id
        self.changes = dict(changes)

    def perform(self, state: ScriptState) -> str:
        values = read_values(self.changes, ROW_FIELDS)
        position = state.position_of(self.element_id)
        old = state.at(position)
        kind = values.get("element_type", old.element_type)
        if old.element_type is ElementType.GROUP and kind is not ElementType.GROUP:
            held = state.children_count(position)
            if held:
                raise ValidationError(
                    f"{state.label(old)} still holds {rows_word(held)}: ungroup it or move "
                    f"them out before making it a {kind.value}."
                )
        if kind is not ElementType.CUE and "cue_number" not in values:
            values["cue_number"] = None
        new = old.with_changes(**values)
        if kind is ElementType.CUE and old.element_type is not ElementType.CUE:
            new = _propose(state, new, position)
        new = check_row(state, new, position)
        if new == old:
            raise NothingToChange(f"{state.label(old)} already reads like that: nothing changed.")
        check_number_free(state, new, ignore={old.id})
        state.splice(position, 1, (new,))
        return self._describe(state, old, new)

    @staticmethod
    def _describe(state: ScriptState, old: ElementData, new: ElementData) -> str:
        changed = [name for name in ROW_FIELDS if getattr(old, name) != getattr(new, name)]
        label = state.label(old)
        if changed == ["cue_number"] and new.cue_number:
            return f"Renumbered {label} as {state.label(new)}"
        moved_department = set(changed) == {"cue_number", "department_id"} or changed == [
            "department_id"
        ]
        if moved_department and new.element_type is ElementType.CUE and new.cue_number:
            return f"Changed {label} to {state.label(new)}"
        if "element_type" in changed:
            made = f"Made {label} a {new.element_type.value}"
            others = [FIELD_WORDS[n] for n in changed if n not in ("element_type", "cue_number")]
            return made + (f" and changed its {join_words(others)}" if others else "")
        if changed == ["name"]:
            return (
                f'Renamed {label} to "{new.name}"' if new.name else f"Cleared the name of {label}"
            )
        if len(changed) == 1:
            name = changed[0]
            word = FIELD_WORDS[name]
            value = getattr(new, name)
            if value is None:
                return f"Cleared the {word} of {label}"
            if name in ("offset_ms", "duration_ms"):
                return f"Changed the {word} of {label} to {format_offset(value)}"
            if name == "priority":
                return f"Changed the priority of {label} to {value.value}"
        return f"Changed the {join_words([FIELD_WORDS[n] for n in changed])} of {label}"


class DeleteElements(Command):
    """Delete the chosen rows.

    A chosen group goes with every row inside it, or, with
    ``keep_children``, alone: its rows then belong to the group that held it.
    """

    def __init__(self, ids: Iterable[uuid.UUID], *, keep_children: bool = False) -> None:
        self.ids = tuple(ids)
        self.keep_children = keep_children

    def perform(self, state: ScriptState) -> str:
        if self.keep_children:
            return self._delete_headers(state)
        blocks = selected_blocks(state, self.ids)
        roots = [state.at(start) for start, _ in blocks]
        removed = sum(end - start for start, end in blocks)
        for start, end in reversed(blocks):
            state.splice(start, end - start)
        if len(roots) == 1:
            inside = removed - 1
            label = state.label(roots[0])
            return f"Deleted {label} and its {rows_word(inside)}" if inside else f"Deleted {label}"
        return f"Deleted {count_words(roots)}" + (
            f" ({rows_word(removed)} in all)" if removed != len(roots) else ""
        )

    def _delete_headers(self, state: ScriptState) -> str:
        positions = selected_positions(state, self.ids)
        chosen = [state.at(p) for p in positions]
        kept = 0
        for position in reversed(positions):
            kept += promote_children(state, position)
        subject = state.label(chosen[0]) if len(chosen) == 1 else count_words(chosen)
        if kept:
            return f"Deleted {subject}, keeping the {rows_word(kept)} inside"
        return f"Deleted {subject}"


class EditScriptInfo(Command):
    """Change the script's name, status, planned start and end, or notes."""

    def __init__(self, changes: Mapping[str, Any]) -> None:
        self.changes = dict(changes)

    def perform(self, state: ScriptState) -> str:
        unknown = sorted(set(self.changes) - set(INFO_FIELDS))
        if unknown:
            raise ValidationError(f"A script has no field called {', '.join(unknown)}.")
        values = dict(self.changes)
        if "name" in values:
            values["name"] = required_text("The script", values["name"], MAX_SCRIPT_NAME)
        if "status" in values:
            values["status"] = script_status(values["status"])
        for name, word in (("start_time", "planned start"), ("end_time", "planned end")):
            if name in values:
                values[name] = _when(values[name], word)
        if "notes" in values:
            values["notes"] = (values["notes"] or "").strip() or None
        new = state.info.with_changes(**values)
        time_order(
            "The script",
            new.start_time,
            new.end_time,
            start_field="planned start",
            end_field="planned end",
        )
        changed = [n for n in INFO_FIELDS if getattr(new, n) != getattr(state.info, n)]
        if not changed:
            raise NothingToChange("The script's information already reads like that.")
        state.set_info(new)
        if changed == ["name"]:
            return f'Renamed the script to "{new.name}"'
        if changed == ["status"]:
            return f"Marked the script {new.status.value}"
        words = {"start_time": "planned start", "end_time": "planned end"}
        return f"Changed the script's {join_words([words.get(n, n) for n in changed])}"


def _when(value: Any, word: str) -> datetime | None:
    if value is not None and not isinstance(value, datetime):
        raise ValidationError(f"The script's {word} must be a date and time.")
    return aware_time("The script", value, field=word)

"""What the stage manager does to rows, turned into engine commands.

A mixin of the script editor: typed cells become ``EditFields``, new rows
``AddElement`` (the next cue number proposed by the engine, the last
department remembered), copy/cut/paste/duplicate ``InsertRows`` and
``DeleteElements``, grouping ``GroupElements``/``Ungroup``, drops
``MoveElements`` (or ``MoveAndRetime`` after asking about time order). Every
command goes through ``run``, which the editor defines.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import TimeFormatError
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditSession,
    GroupElements,
    MoveElements,
    Place,
    SetForSelection,
    ShiftTimes,
    Ungroup,
)
from callmaster_desktop.editing.base import Command, block_rows, selected_blocks
from callmaster_desktop.editing.insert_rows import InsertRows
from callmaster_desktop.errors import CallMasterError, ValidationError
from ui.script_editor import clipboard
from ui.script_editor.dialogs import Question, ask_drop_time
from ui.script_editor.drop_rules import MoveAndRetime, time_conflict
from ui.script_editor.rows import FIELD_OF, Col, DepartmentInfo, TimeOptions, parse_time_input
from ui.script_editor.script_model import ScriptModel
from ui.script_editor.view import ScriptView


class RowEditing:
    session: EditSession
    model: ScriptModel
    view: ScriptView
    departments: dict[uuid.UUID, DepartmentInfo]
    last_department: uuid.UUID | None
    question: Question | None

    if TYPE_CHECKING:

        def run(self, command: Command, *, select: Sequence[uuid.UUID] = ()) -> bool: ...

        def show_error(self, message: str) -> None: ...

        def times(self) -> TimeOptions: ...

    def _window(self) -> Any:
        return self

    # --- cells --------------------------------------------------------------------------

    def edit_cell(self, element_id: uuid.UUID, column: Col, value: Any) -> bool:
        """A value typed or chosen in a cell (the model's ``setData``)."""
        try:
            field_value = self._cell_value(column, value)
        except ValidationError as exc:
            self.show_error(str(exc))
            return False
        name = FIELD_OF[column]
        if column is Col.DEPARTMENT and field_value is not None:
            self.last_department = field_value
        return self.run(EditFields(element_id, {name: field_value}), select=[element_id])

    def _cell_value(self, column: Col, value: Any) -> Any:
        text = "" if value is None else str(value)
        if column in (Col.TIME, Col.DURATION):
            if column is Col.DURATION and not text.strip():
                return None
            try:
                return parse_time_input(text, self.times())
            except TimeFormatError as exc:
                raise ValidationError(f"{exc}.") from None
        if column is Col.DEPARTMENT:
            return uuid.UUID(text) if text else None
        if column in (Col.NOTES, Col.LOCATION, Col.CUE):
            return text.strip() or None
        return text

    # --- adding ---------------------------------------------------------------------------

    def insert_place(self) -> Place:
        """Where a new or pasted row goes: after the current row, or first in an open group."""
        current = self.view.current_id()
        if current is None:
            return Place.last_in(None)
        e = self.model.element(current)
        if e is not None and e.element_type is ElementType.GROUP and not self.model.is_folded(e.id):
            return Place.first_in(e.id)
        return Place.after(current)

    def department_for_new_cue(self) -> uuid.UUID | None:
        if self.last_department in self.departments:
            return self.last_department
        current = self.view.current_id()
        e = self.model.element(current) if current else None
        if e is not None and e.department_id in self.departments:
            return e.department_id
        ordered = sorted(self.departments.values(), key=lambda d: d.initials)
        return ordered[0].id if ordered else None

    def add_row(self, kind: ElementType) -> uuid.UUID | None:
        """Add a cue, note or group at the current row and start typing its name."""
        fields: dict[str, Any] = {}
        if kind is ElementType.CUE:
            department = self.department_for_new_cue()
            if department is None:
                self.show_error("Add a department first: every cue belongs to one.")
                return None
            fields["department_id"] = department
            self.last_department = department
        elif kind is ElementType.GROUP:
            fields["name"] = "New group"
        command = AddElement(kind, self.insert_place(), fields)
        if not self.run(command, select=[command.element_id]):
            return None
        self.edit_name(command.element_id)
        return command.element_id

    def edit_name(self, element_id: uuid.UUID) -> None:
        row = self.model.row_of(element_id)
        if row >= 0:
            index = self.model.index(row, Col.NAME)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    # --- the selection ----------------------------------------------------------------------

    def chosen(self) -> list[uuid.UUID]:
        ids = self.view.selected_ids()
        if not ids and self.view.current_id() is not None:
            ids = [self.view.current_id()]  # type: ignore[list-item]
        return ids

    def chosen_rows(self) -> list[ElementData]:
        """The chosen rows with everything inside chosen groups, in script order."""
        ids = self.chosen()
        if not ids:
            return []
        return block_rows(self.session.state, selected_blocks(self.session.state, ids))

    def delete_rows(self) -> None:
        ids = self.chosen()
        if ids:
            after = self._row_after(ids)
            self.run(DeleteElements(ids), select=[after] if after else [])

    def _row_after(self, ids: Sequence[uuid.UUID]) -> uuid.UUID | None:
        rows = [self.model.row_of(i) for i in ids]
        last = max(rows) if rows else -1
        below = self.model.id_at(last + 1)
        above = self.model.id_at(min(rows) - 1) if rows else None
        return below or above

    def group_rows(self) -> None:
        ids = self.chosen()
        if not ids:
            return
        command = GroupElements(ids, "New group")
        if self.run(command, select=[command.group_id]):
            self.edit_name(command.group_id)

    def ungroup(self) -> None:
        current = self.view.current_id()
        e = self.model.element(current) if current else None
        if e is not None and e.element_type is not ElementType.GROUP:
            e = self.model.element(e.parent_id) if e.parent_id else None
        if e is None:
            self.show_error("Put the cursor on a group (or a row inside one) to ungroup it.")
            return
        inside = [r.id for r in self.model.elements if r.parent_id == e.id]
        self.run(Ungroup(e.id), select=inside)

    def set_for_selection(self, field: str, value: Any) -> None:
        ids = self.chosen()
        if ids:
            if field == "department_id" and value is not None:
                self.last_department = value
            self.run(SetForSelection(ids, field, value), select=ids)

    def shift_selection(self, delta: str) -> None:
        ids = self.chosen()
        if ids:
            self.run(ShiftTimes(ids, delta), select=ids)

    # --- clipboard ----------------------------------------------------------------------

    def _departments(self) -> clipboard.Departments:
        return clipboard.Departments(list(self.departments.values()))

    def rows_mime(self, ids: Sequence[uuid.UUID]) -> QMimeData:
        state = self.session.state
        rows = block_rows(state, selected_blocks(state, ids)) if ids else []
        return clipboard.rows_mime(rows, self._departments(), self.session.script_id)

    def copy_rows(self) -> int:
        rows = self.chosen_rows()
        if rows:
            mime = clipboard.rows_mime(rows, self._departments(), self.session.script_id)
            QApplication.clipboard().setMimeData(mime)
        return len(rows)

    def cut_rows(self) -> None:
        if self.copy_rows():
            self.delete_rows()

    def paste_rows(self, mime: QMimeData | None = None, place: Place | None = None) -> bool:
        mime = mime or QApplication.clipboard().mimeData()
        try:
            rows = self._rows_of(mime)
        except ValidationError as exc:
            self.show_error(str(exc))
            return False
        command = InsertRows(rows, place or self.insert_place())
        if not self.run(command):
            return False
        self.view.select_ids(command.new_ids)
        return True

    def _rows_of(self, mime: QMimeData | None) -> list[ElementData]:
        if mime is None:
            raise ValidationError("The clipboard is empty: copy some rows first.")
        payload = clipboard.payload_of(mime)
        if payload is not None:
            return clipboard.rows_from_payload(payload, self._departments())
        if mime.hasText():
            header = self.view.horizontalHeader()
            order = [Col(header.logicalIndex(v)) for v in range(header.count())]
            current = self.view.current_id()
            e = self.model.element(current) if current else None
            return clipboard.rows_from_tsv(
                mime.text(),
                self._departments(),
                columns=order,
                default_time=e.offset_ms if e else 0,
            )
        raise ValidationError("The clipboard holds nothing that can be pasted as rows.")

    def duplicate_rows(self) -> None:
        rows = self.chosen_rows()
        if not rows:
            return
        blocks = selected_blocks(self.session.state, self.chosen())
        last_root = self.session.state.at(blocks[-1][0]).id
        command = InsertRows(rows, Place.after(last_root), verb="Duplicated")
        if self.run(command):
            self.view.select_ids(command.new_ids)

    # --- drag and drop --------------------------------------------------------------------

    def drop_place(self, row: int, on_row: bool) -> Place:
        target = self.model.element_at(row)
        if target is None:
            return Place.last_in(None)
        if on_row:
            if target.element_type is ElementType.GROUP:
                return Place.last_in(target.id)
            return Place.after(target.id)
        return Place.before(target.id)

    def drop_rows(self, data: QMimeData, row: int, on_row: bool) -> bool:
        """Rows dropped on the table: moved within this script, copied from elsewhere."""
        place = self.drop_place(row, on_row)
        payload = clipboard.payload_of(data)
        ids: list[uuid.UUID] = []
        if payload is not None and payload.get("script") == str(self.session.script_id):
            try:
                ids = [uuid.UUID(r["id"]) for r in payload["rows"]]
            except (KeyError, TypeError, ValueError):
                ids = []
        if not ids or any(i not in self.session.state for i in ids):
            return self.paste_rows(data, place)
        roots = [i for i in ids if self.model.element(i) is not None]
        try:
            conflict = time_conflict(self.session.state, roots, place)
        except CallMasterError as exc:
            self.show_error(str(exc))
            return False
        if conflict is None:
            return self.run(MoveElements(roots, place), select=roots)

        def answered(word: str) -> None:
            self.question = None
            if word == "keep":
                self.run(MoveElements(roots, place), select=roots)
            elif word == "take":
                command = MoveAndRetime(roots, place, conflict.shift_ms, conflict.neighbour_label)
                self.run(command, select=roots)

        self.question = ask_drop_time(self._window(), conflict, answered)
        return True

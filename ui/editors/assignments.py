"""An opened show's crew: who works on it, in which department, in what role.

Choose a person of my crew, a department and a role, then Assign; choose a
line to change its department or role (Save changes) or remove it. The
contact sheet of the show prints or saves as PDF from here.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.errors import CallMasterError, ValidationError
from callmaster_desktop.services import crew, departments
from callmaster_desktop.services import crew_assignments as assigning
from callmaster_desktop.services.changes import Changes
from callmaster_desktop.services.crew_assignments import AssignmentData
from callmaster_desktop.services.validation import optional_text
from ui.dialogs.reassign import swatch
from ui.editors.form import ERROR_STYLE
from ui.editors.widgets import add_choice, choose_id, chosen_id
from ui.models.records import ID_ROLE, Column, RecordTableModel, field_column
from ui.pages import PageHost, Record, tool_button
from ui.printing import contact_sheet


class AssignmentsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host: PageHost | None = None
        self.show_id: uuid.UUID | None = None
        self.show_name = ""
        self.lines: dict[uuid.UUID, assigning.AssignmentListing] = {}
        columns = [
            field_column("Name", "name"),
            Column("Department", lambda r: str(r["department"]), color=lambda r: r["color"]),
            field_column("Role", "role"),
        ]
        self.model = RecordTableModel(columns, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.person = QComboBox()
        self.department = QComboBox()
        self.role = QLineEdit()
        self.role.setPlaceholderText("Role on this show, e.g. Head of Sound")
        self.role.returnPressed.connect(self.assign_or_update)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow("Person", self.person)
        form.addRow("Department", self.department)
        form.addRow("Role", self.role)
        self.assign_button = tool_button("Assign", "Put this person on the show", self.assign)
        self.update_button = tool_button(
            "Save changes", "Change the chosen line's department or role", self.update_line
        )
        self.remove_button = tool_button(
            "Remove…", "Take the chosen line off the show", self.remove
        )
        self.print_button = tool_button(
            "Print contact sheet…", "Print the show's crew contacts (Ctrl+P)", self.print_sheet
        )
        self.pdf_button = tool_button(
            "Save as PDF…", "Save the contact sheet as a PDF (Ctrl+Shift+P)", self.choose_pdf
        )
        edit_row = QHBoxLayout()
        for button in (self.assign_button, self.update_button, self.remove_button):
            edit_row.addWidget(button)
        edit_row.addStretch(1)
        sheet_row = QHBoxLayout()
        sheet_row.addStretch(1)
        sheet_row.addWidget(self.print_button)
        sheet_row.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(sheet_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(edit_row)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._update_buttons()

    # -- reading -------------------------------------------------------------
    def load(self, show_id: uuid.UUID | None, show_name: str = "") -> None:
        host = self.host
        self.show_id, self.show_name = show_id, show_name
        records: list[Record] = []
        self.lines = {}
        if show_id is not None and host is not None and host.db and host.owner_id:
            db, owner = host.db, host.owner_id
            self.lines = {a.id: a for a in assigning.list_show_assignments(db, owner, show_id)}
            records = [
                {
                    "id": a.id,
                    "name": a.person_name,
                    "department": a.department_name,
                    "color": a.department_color,
                    "role": a.data.role or "",
                }
                for a in self.lines.values()
            ]
            self._fill_choices(db, owner)
        self.model.set_records(records)
        self.table.resizeColumnsToContents()
        self.show_message(None)
        self._update_buttons()

    def _fill_choices(self, db: Any, owner: uuid.UUID) -> None:
        person, department = chosen_id(self.person), chosen_id(self.department)
        self.person.clear()
        for member in crew.list_crew(db, owner, include_inactive=False):
            role = f" — {member.data.production_role}" if member.data.production_role else ""
            add_choice(self.person, member.full_name + role, member.person_id)
        self.department.clear()
        for d in departments.list_departments(db, owner):
            add_choice(
                self.department, f"{d.data.name} ({d.data.initials})", d.id, swatch(d.data.color)
            )
        choose_id(self.person, person)
        choose_id(self.department, department)

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return uuid.UUID(str(rows[0].data(ID_ROLE))) if rows else None

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        chosen = self.selected_id()
        line = self.lines.get(chosen) if chosen is not None else None
        if line is not None:
            choose_id(self.person, line.data.person_id)
            choose_id(self.department, line.data.department_id)
            self.role.setText(line.data.role or "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_show = self.show_id is not None
        chosen = self.selected_id() is not None
        self.assign_button.setEnabled(has_show)
        self.update_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.print_button.setEnabled(has_show)
        self.pdf_button.setEnabled(has_show)

    def show_message(self, message: str | None) -> None:
        self.message.setText(message or "")
        self.message.setVisible(bool(message))

    # -- acting --------------------------------------------------------------
    def _data(self) -> AssignmentData:
        person, department = chosen_id(self.person), chosen_id(self.department)
        if person is None:
            raise ValidationError("Choose a person: add people on the Crew page first.")
        if department is None:
            raise ValidationError("Choose a department: add one on the Departments page first.")
        role = optional_text("The role", self.role.text(), 200, field="text")
        return AssignmentData(person, department, role)

    def _run(self, work: Any, done: str) -> bool:
        host = self.host
        if host is None or host.db is None or host.owner_id is None or self.show_id is None:
            return False
        try:
            changes: Changes = work(host.db, host.owner_id)
        except ValidationError as exc:
            self.show_message(str(exc))  # the typed values stay for another try
            return False
        except CallMasterError as exc:
            self.show_message(str(exc))
            host.show_error(str(exc))
            return False
        host.apply_changes(changes, source=self)
        self.load(self.show_id, self.show_name)
        host.show_status(done)
        return True

    def assign(self) -> bool:
        try:
            data = self._data()
        except ValidationError as exc:
            self.show_message(str(exc))
            return False
        show_id = self.show_id
        if show_id is None:
            return False
        return self._run(
            lambda db, owner: assigning.assign_to_show(db, owner, show_id, data),
            f"Assigned {self.person.currentText().split(' — ')[0]} to {self.show_name}.",
        )

    def update_line(self) -> bool:
        line_id = self.selected_id()
        if line_id is None:
            return False
        try:
            data = self._data()
        except ValidationError as exc:
            self.show_message(str(exc))
            return False
        return self._run(
            lambda db, owner: assigning.update_assignment(db, owner, line_id, data),
            "Changed the assignment.",
        )

    def assign_or_update(self) -> None:
        if self.selected_id() is not None:
            self.update_line()
        else:
            self.assign()

    def remove(self) -> None:
        host, line_id = self.host, self.selected_id()
        if host is None or line_id is None:
            return
        line = self.lines[line_id]
        host.confirm(
            "Remove from show",
            f"Take {line.person_name} ({line.department_name}) off {self.show_name}? "
            "They stay in your crew.",
            "Remove",
            lambda: self._run(
                lambda db, owner: assigning.remove_assignment(db, owner, line_id),
                f"Took {line.person_name} off {self.show_name}.",
            ),
        )

    # -- contact sheet -------------------------------------------------------
    def contact_sheet(self) -> contact_sheet.ContactSheet | None:
        host = self.host
        if host is None or host.db is None or host.owner_id is None or self.show_id is None:
            return None
        try:
            return contact_sheet.read_contact_sheet(host.db, host.owner_id, self.show_id)
        except CallMasterError as exc:
            host.show_error(str(exc))
            return None

    def save_pdf(self, path: Path) -> Path | None:
        sheet = self.contact_sheet()
        if sheet is None or self.host is None:
            return None
        try:
            written = contact_sheet.save_pdf(sheet, path)
        except CallMasterError as exc:
            self.host.show_error(str(exc))
            return None
        self.host.show_status(f"Saved the contact sheet to {written}.")
        return written

    def choose_pdf(self) -> None:
        suggested = f"{self.show_name or 'Show'} contact sheet.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the contact sheet", suggested, "PDF files (*.pdf)"
        )
        if path:
            self.save_pdf(Path(path))

    def print_sheet(self) -> None:
        sheet = self.contact_sheet()
        if sheet is not None:
            dialog = contact_sheet.ask_and_print(sheet, self)
            if self.host is not None:
                self.host.dialog = dialog

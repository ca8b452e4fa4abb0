"""Departments: the teams that receive cues, with their initials and colour.

A department that cues or crew assignments still use is not deleted
silently: the window says what uses it and offers to move those to another
department first (``ui/dialogs/reassign.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError, ValidationError
from callmaster_desktop.services import departments
from callmaster_desktop.services.changes import Changes, Kind
from callmaster_desktop.services.departments import DepartmentData
from callmaster_desktop.services.validation import colour, required_text
from ui.dialogs.reassign import ReassignDialog
from ui.editors.form import RecordForm
from ui.editors.widgets import ColourButton
from ui.models.records import Column, field_column
from ui.pages import ListPage, Record

SUBJECT = "The department"


def check_initials(text: str) -> str:
    """The same rule as the model layer: 1 to 5 letters, kept in capitals."""
    value = text.strip().upper()
    if not value:
        raise ValidationError(f"{SUBJECT} needs initials: the cue prefix, such as LX or SQ.")
    if not (len(value) <= departments.MAX_INITIALS and value.isascii() and value.isalpha()):
        raise ValidationError(
            f'{SUBJECT}\'s initials "{value[:20]}" must be 1 to {departments.MAX_INITIALS} '
            "letters, such as LX or SQ."
        )
    return value


class DepartmentForm(RecordForm):
    noun = "department"
    kind = Kind.DEPARTMENT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.add_field("name", "Name", self.name, check=lambda v: required_text(SUBJECT, v, 120))
        self.initials = QLineEdit()
        self.initials.setMaxLength(8)
        self.initials.setFixedWidth(110)
        self.add_field("initials", "Initials", self.initials, check=check_initials, hint="LX")
        self.colour = ColourButton()
        self.add_field(
            "color",
            "Colour",
            self.colour,
            self.colour.value,
            check=lambda v: colour(SUBJECT, v, default=departments.DEFAULT_COLOUR),
        )
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(90)
        self.add_field("description", "Description", self.description)
        self.initials.textEdited.connect(self._capitals)

    def _capitals(self, text: str) -> None:
        if text != text.upper():
            position = self.initials.cursorPosition()
            self.initials.setText(text.upper())
            self.initials.setCursorPosition(position)

    def fill(self, record_id: uuid.UUID | None) -> None:
        data = DepartmentData(name="", initials="", color=departments.DEFAULT_COLOUR)
        if record_id is not None and self.db is not None and self.owner_id is not None:
            listing = departments.get_department(self.db, self.owner_id, record_id)
            data = listing.data
            self.heading.setText(f"{data.name} ({data.initials})")
            self.subheading.setText(
                f"Used by {listing.use.describe()}." if listing.use.in_use else "Not used yet."
            )
        else:
            self.heading.setText("New department")
            self.subheading.setText("A team that receives cues; its initials prefix each cue.")
        self.name.setText(data.name)
        self.initials.setText(data.initials)
        self.colour.set_value(data.color)
        self.description.setPlainText(data.description or "")

    def data(self) -> DepartmentData:
        return DepartmentData(
            name=self.name.text(),
            initials=self.initials.text(),
            color=self.colour.value(),
            description=self.description.toPlainText(),
        )

    def submit(self) -> Changes:
        assert self.db is not None and self.owner_id is not None
        if self.record_id is None:
            return departments.create_department(self.db, self.owner_id, self.data())
        return departments.update_department(self.db, self.owner_id, self.record_id, self.data())


class DepartmentsPage(ListPage):
    kinds = (Kind.DEPARTMENT,)
    watches = (Kind.DEPARTMENT, Kind.CREW_ASSIGNMENT, Kind.SCRIPT, Kind.ELEMENT, Kind.SHOW)

    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Department", lambda r: str(r["name"]), color=lambda r: r.get("color")),
            field_column("Initials", "initials"),
            field_column("Cues", "cues", align_right=True),
            field_column("Crew", "crew_assignments", align_right=True),
            field_column("Description", "description"),
        ]
        super().__init__(
            "Departments", columns, ("department", "departments"), DepartmentForm(), parent
        )
        self.listings: dict[uuid.UUID, departments.DepartmentListing] = {}

    def read_records(self, db: Database, owner_id: uuid.UUID) -> Sequence[Record]:
        found = departments.list_departments(db, owner_id)
        self.listings = {d.id: d for d in found}
        return [
            {
                "id": d.id,
                "name": d.data.name,
                "initials": d.data.initials,
                "color": d.data.color,
                "description": (d.data.description or "").replace("\n", " "),
                "cues": d.use.cues,
                "crew_assignments": d.use.crew_assignments,
            }
            for d in found
        ]

    def delete_selected(self) -> None:
        host, department_id = self.host, self.selected_id()
        if host is None or host.db is None or host.owner_id is None or department_id is None:
            return
        db, owner = host.db, host.owner_id
        try:
            listing = departments.get_department(db, owner, department_id)
            others = [d for d in departments.list_departments(db, owner) if d.id != department_id]
        except CallMasterError as exc:
            host.show_error(str(exc))
            return
        name = listing.data.name
        done = f'Deleted the department "{name}".'
        if not listing.use.in_use:
            host.confirm(
                "Delete department",
                f'Delete the department "{name}"? Nothing uses it.',
                "Delete department",
                lambda: self._delete(department_id, None, done),
            )
            return
        dialog = ReassignDialog(self, listing, others)
        dialog.reassignChosen.connect(lambda target: self._delete(department_id, target, done))
        host.dialog = dialog
        dialog.open()

    def _delete(self, department_id: uuid.UUID, target: uuid.UUID | None, done: str) -> None:
        host = self.host
        if host is None or host.db is None or host.owner_id is None:
            return
        db, owner = host.db, host.owner_id
        host.tasks.run(
            "Moving cues and deleting the department…" if target else "Deleting…",
            lambda: departments.delete_department(db, owner, department_id, reassign_to=target),
            lambda changes: self.deleted(changes, done),
        )

"""My crew: the people I work with, their details and my private notes about them.

A new person is added together with their place in my crew (one
transaction). Someone can be deactivated (kept, but out of the way) or
removed; removing someone still assigned to a show says where first.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QWidget

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError, InUseError
from callmaster_desktop.services import crew
from callmaster_desktop.services.changes import Changes, Kind
from callmaster_desktop.services.crew import PersonData
from callmaster_desktop.services.validation import optional_email, optional_text, required_text
from ui.editors.form import RecordForm
from ui.models.records import Column, field_column
from ui.pages import ListPage, Record, tool_button

SUBJECT = "The person"


def _note_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    return box


class CrewForm(RecordForm):
    noun = "person"
    kind = Kind.PERSON

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member: crew.CrewMember | None = None
        add = self.add_field
        self.first_name = QLineEdit()
        add(
            "first_name",
            "First name",
            self.first_name,
            check=lambda v: required_text(SUBJECT, v, 120, field="first name"),
        )
        self.last_name = QLineEdit()
        add(
            "last_name",
            "Last name",
            self.last_name,
            check=lambda v: optional_text(SUBJECT, v, 120, field="last name"),
        )
        self.role = QLineEdit()
        add(
            "production_role",
            "Role",
            self.role,
            check=lambda v: optional_text(SUBJECT, v, 120, field="production role"),
            hint="e.g. Lighting Designer",
        )
        self.phone = QLineEdit()
        add(
            "phone",
            "Phone",
            self.phone,
            check=lambda v: optional_text(SUBJECT, v, 60, field="phone number"),
        )
        self.email = QLineEdit()
        add("email", "Email", self.email, check=lambda v: optional_email(SUBJECT, v))
        self.notes = _note_box(70)
        add("notes", "About them", self.notes, hint="Shared details: allergies, availability…")
        self.crew_notes = _note_box(70)
        add("crew_notes", "My notes", self.crew_notes, hint="Only you see these")

    def fill(self, record_id: uuid.UUID | None) -> None:
        self.member = None
        data = PersonData(first_name="")
        crew_notes = ""
        if record_id is not None and self.db is not None and self.owner_id is not None:
            self.member = crew.get_crew_member(self.db, self.owner_id, record_id)
            data, crew_notes = self.member.data, self.member.crew_notes or ""
            suffix = " (you)" if self.member.is_me else ""
            self.heading.setText(self.member.full_name + suffix)
            state = "Active in your crew" if self.member.is_active else "Inactive"
            if self.member.is_me:
                state = "Your own details"
            elif not self.member.is_guest:
                state += " · signs in to CallMaster and keeps their own details"
            self.subheading.setText(state)
        else:
            self.heading.setText("New crew member")
            self.subheading.setText("Added to your crew as you save; an email is optional.")
        self.first_name.setText(data.first_name)
        self.last_name.setText(data.last_name or "")
        self.role.setText(data.production_role or "")
        self.phone.setText(data.phone or "")
        self.email.setText(data.email or "")
        self.notes.setPlainText(data.notes or "")
        self.crew_notes.setPlainText(crew_notes)
        member = self.member
        own_details = member is None or member.is_me or member.is_guest
        for widget in (self.first_name, self.last_name, self.role, self.phone, self.email):
            widget.setReadOnly(not own_details)
        self.notes.setReadOnly(not own_details)
        self.set_field_visible("crew_notes", member is None or not member.is_me)

    def data(self) -> PersonData:
        return PersonData(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            production_role=self.role.text(),
            notes=self.notes.toPlainText(),
        )

    def submit(self) -> Changes:
        assert self.db is not None and self.owner_id is not None
        notes = self.crew_notes.toPlainText()
        if self.record_id is None:
            return crew.add_crew_member(self.db, self.owner_id, self.data(), crew_notes=notes)
        member = self.member
        # The details and my notes are saved together: both or, if one is refused, neither.
        return crew.update_crew_member(
            self.db,
            self.owner_id,
            self.record_id,
            details=self.data() if member is None or member.is_me or member.is_guest else None,
            crew_notes=notes,
            notes_given=member is not None
            and not member.is_me
            and (member.crew_notes or "") != notes,
        )


def _name(record: Record) -> str:
    return str(record["name"]) + (" (you)" if record["is_me"] else "")


class CrewPage(ListPage):
    kinds = (Kind.PERSON,)
    watches = (Kind.PERSON, Kind.CREW_RELATIONSHIP)

    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Name", _name, lambda r: (not r["is_me"], str(r["last_name"]).lower())),
            field_column("Role", "production_role"),
            field_column("Phone", "phone"),
            field_column("Email", "email"),
            Column("Status", lambda r: "" if r["is_active"] else "Inactive"),
        ]
        super().__init__("Crew", columns, ("person", "people"), CrewForm(), parent)
        self.new_button.setText("Add person")
        self.active_button: QPushButton = tool_button(
            "Deactivate", "Keep them, but out of the way (Ctrl+Shift+D)", self.toggle_active
        )
        self.actions_row.insertWidget(2, self.active_button)
        self.members: dict[uuid.UUID, crew.CrewMember] = {}

    def read_records(self, db: Database, owner_id: uuid.UUID) -> Sequence[Record]:
        found = crew.list_crew(db, owner_id)
        self.members = {m.person_id: m for m in found}
        return [
            {
                "id": m.person_id,
                "name": m.full_name,
                "last_name": m.data.last_name,
                "production_role": m.data.production_role,
                "phone": m.data.phone,
                "email": m.data.email,
                "is_me": m.is_me,
                "is_active": m.is_active,
            }
            for m in found
        ]

    def record_chosen(self, record_id: uuid.UUID) -> None:
        member = self.members.get(record_id)
        self.active_button.setEnabled(member is not None and not member.is_me)
        self.delete_button.setEnabled(member is not None and not member.is_me)
        self.active_button.setText(
            "Reactivate" if member is not None and not member.is_active else "Deactivate"
        )

    def toggle_active(self) -> None:
        host, person_id = self.host, self.selected_id()
        member = self.members.get(person_id) if person_id else None
        if host is None or host.db is None or host.owner_id is None or member is None:
            return
        try:
            changes = crew.set_crew_member_active(
                host.db, host.owner_id, member.person_id, not member.is_active
            )
        except CallMasterError as exc:
            host.show_error(str(exc))
            return
        host.apply_changes(changes, source=self)
        word = "back in" if not member.is_active else "inactive in"
        host.show_status(f"{member.full_name} is {word} your crew.")
        self.record_chosen(member.person_id)

    def delete_selected(self) -> None:
        host, person_id = self.host, self.selected_id()
        member = self.members.get(person_id) if person_id else None
        if host is None or host.db is None or host.owner_id is None or member is None:
            return
        if member.is_me:
            host.show_error("You are always in your own crew.")
            return
        db, owner = host.db, host.owner_id
        done = f"Removed {member.full_name} from your crew."

        def remove(also_unassign: bool) -> None:
            try:
                changes = crew.remove_from_crew(
                    db, owner, member.person_id, also_unassign=also_unassign
                )
            except InUseError as exc:
                host.confirm(
                    "Remove from crew",
                    f"{exc}\n\nRemove {member.full_name} and those assignments?",
                    "Remove with assignments",
                    lambda: remove(True),
                )
                return
            except CallMasterError as exc:
                host.show_error(str(exc))
                return
            self.deleted(changes, done)

        host.confirm(
            "Remove from crew",
            f"Remove {member.full_name} from your crew? Your notes about them go too.",
            "Remove",
            lambda: remove(False),
        )

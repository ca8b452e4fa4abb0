"""The show form: name, venue (picked from my venues), dates and notes.

A new show gets an empty "First Draft" script planned over its dates (the
model layer does that in the same transaction).
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services import shows, venues
from callmaster_desktop.services.changes import Changes, Kind
from callmaster_desktop.services.shows import ShowData
from callmaster_desktop.services.validation import required_text
from ui.editors.form import RecordForm
from ui.editors.widgets import OptionalDateTime, add_choice, choose_id, chosen_id
from ui.pages import when_text

SUBJECT = "The show"


class ShowForm(RecordForm):
    noun = "show"
    kind = Kind.SHOW

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.listing: shows.ShowListing | None = None
        self.name = QLineEdit()
        self.add_field("name", "Name", self.name, check=lambda v: required_text(SUBJECT, v, 200))
        self.venue = QComboBox()
        self.venue.setMinimumContentsLength(24)
        self.add_field("venue_id", "Venue", self.venue, lambda: chosen_id(self.venue))
        self.first_performance = OptionalDateTime("Opens")
        self.end = OptionalDateTime("Closes")
        self.deadline = OptionalDateTime("Due")
        self.add_field(
            "first_performance",
            "First performance",
            self.first_performance,
            self.first_performance.value,
        )
        self.add_field("end", "Last performance", self.end, self.end.value, check=self._check_end)
        self.add_field("deadline", "Deadline", self.deadline, self.deadline.value)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(90)
        self.add_field("notes", "Notes", self.notes)

    def _check_end(self, end: object) -> None:
        start = self.first_performance.value()
        if start is not None and end is not None and end < start:  # type: ignore[operator]
            raise ValidationError(f"{SUBJECT}'s end comes before its first performance.")

    def fill_venues(self, selected: uuid.UUID | None) -> None:
        self.venue.clear()
        self.venue.addItem("No venue", None)
        if self.db is not None and self.owner_id is not None:
            for v in venues.list_venues(self.db, self.owner_id):
                city = f" ({v.data.city})" if v.data.city else ""
                add_choice(self.venue, v.name + city, v.id)
        choose_id(self.venue, selected)

    def fill(self, record_id: uuid.UUID | None) -> None:
        self.listing = None
        data = ShowData(name="")
        if record_id is not None and self.db is not None and self.owner_id is not None:
            self.listing = shows.get_show(self.db, self.owner_id, record_id)
            data = self.listing.data
            self.heading.setText(data.name)
            scripts = len(self.listing.scripts)
            venue = self.listing.venue_name or "No venue"
            opens = when_text(data.first_performance)
            self.subheading.setText(
                f"{venue} · {scripts} script{'s' if scripts != 1 else ''}"
                + (f" · opens {opens}" if opens else "")
            )
        else:
            self.heading.setText("New show")
            self.subheading.setText("It starts with an empty First Draft script.")
        self.fill_venues(data.venue_id)
        self.name.setText(data.name)
        self.first_performance.set_value(data.first_performance)
        self.end.set_value(data.end)
        self.deadline.set_value(data.deadline)
        self.notes.setPlainText(data.notes or "")

    def data(self) -> ShowData:
        return ShowData(
            name=self.name.text(),
            venue_id=chosen_id(self.venue),
            first_performance=self.first_performance.value(),
            end=self.end.value(),
            deadline=self.deadline.value(),
            notes=self.notes.toPlainText(),
        )

    def submit(self) -> Changes:
        assert self.db is not None and self.owner_id is not None
        if self.record_id is None:
            return shows.create_show(self.db, self.owner_id, self.data())
        return shows.update_show(self.db, self.owner_id, self.record_id, self.data())

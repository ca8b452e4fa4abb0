"""Venues: the list, and the form for a theatre's technical and contact details.

Deleting a venue first says which shows will lose it; the shows keep
everything else.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import VenueType
from callmaster_desktop.errors import CallMasterError, ValidationError
from callmaster_desktop.services import venues
from callmaster_desktop.services.changes import Changes, Kind
from callmaster_desktop.services.validation import (
    non_negative_decimal,
    non_negative_int,
    optional_email,
    optional_text,
    required_text,
)
from callmaster_desktop.services.venues import VenueData
from ui.editors.form import RecordForm
from ui.editors.widgets import ListEditor
from ui.models.records import Column, field_column
from ui.pages import ListPage, Record

SUBJECT = "The venue"


def _int_or_none(text: str) -> int | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        raise ValidationError(f'{SUBJECT}\'s capacity "{text.strip()}" is not a number.') from None


def _capacity(text: str) -> int | None:
    return non_negative_int(SUBJECT, _int_or_none(text), field="capacity")


def _metres(field: str) -> Any:
    return lambda text: non_negative_decimal(SUBJECT, text, field=field, max_digits=7)


def _money(field: str) -> Any:
    return lambda text: non_negative_decimal(SUBJECT, text, field=field)


def _decimal_text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


class VenueForm(RecordForm):
    noun = "venue"
    kind = Kind.VENUE

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add = self.add_field
        self.add_section("Venue")
        self.name = add("name", "Name", QLineEdit(), check=lambda v: required_text(SUBJECT, v, 200))
        self.venue_type = QComboBox()
        self.venue_type.addItem("—", None)
        for kind in VenueType:
            self.venue_type.addItem(kind.value.replace("_", " ").capitalize(), kind.value)
        add("venue_type", "Type", self.venue_type, self._venue_type)
        add("capacity", "Seats", QLineEdit(), check=_capacity, hint="e.g. 850")
        add(
            "address",
            "Address",
            QLineEdit(),
            check=lambda v: optional_text(SUBJECT, v, 300, field="address"),
        )
        add(
            "city",
            "City",
            QLineEdit(),
            check=lambda v: optional_text(SUBJECT, v, 120, field="city"),
        )
        add(
            "state",
            "State / region",
            QLineEdit(),
            check=lambda v: optional_text(SUBJECT, v, 120, field="state or region"),
        )
        self.add_section("Contact")
        add(
            "contact_name",
            "Contact",
            QLineEdit(),
            check=lambda v: optional_text(SUBJECT, v, 200, field="contact name"),
        )
        add(
            "contact_email",
            "Email",
            QLineEdit(),
            check=lambda v: optional_email(SUBJECT, v, field="contact email"),
            hint="name@example.org",
        )
        add(
            "contact_phone",
            "Phone",
            QLineEdit(),
            check=lambda v: optional_text(SUBJECT, v, 60, field="contact phone"),
        )
        self.add_section("Stage")
        add("stage_width_m", "Width (m)", QLineEdit(), check=_metres("stage width"))
        add("stage_depth_m", "Depth (m)", QLineEdit(), check=_metres("stage depth"))
        add("fly_height_m", "Fly height (m)", QLineEdit(), check=_metres("fly height"))
        self.equipment = ListEditor("New item, then Enter")
        add("equipment", "Equipment", self.equipment, self.equipment.values)
        self.add_section("Rental")
        add("rental_rate", "Rental rate", QLineEdit(), check=_money("rental rate"))
        add("minimum_rental", "Minimum", QLineEdit(), check=_money("minimum rental"))
        notes = QPlainTextEdit()
        notes.setFixedHeight(80)
        add("notes", "Notes", notes)

    def _venue_type(self) -> VenueType | None:
        value = self.venue_type.currentData()
        return VenueType(value) if value else None

    def _line(self, key: str) -> QLineEdit:
        widget = self.field(key)
        assert isinstance(widget, QLineEdit)
        return widget

    def fill(self, record_id: uuid.UUID | None) -> None:
        data = VenueData(name="")
        if record_id is not None and self.db is not None and self.owner_id is not None:
            listing = venues.get_venue(self.db, self.owner_id, record_id)
            data = listing.data
            uses = listing.show_count
            self.heading.setText(data.name)
            self.subheading.setText(
                "Not used by any show yet"
                if not uses
                else f"Used by {uses} show{'s' if uses != 1 else ''}"
            )
        else:
            self.heading.setText("New venue")
            self.subheading.setText("A theatre, its stage and who to call there.")
        for key in ("name", "address", "city", "state", "contact_name", "contact_email"):
            self._line(key).setText(getattr(data, key) or "")
        self._line("contact_phone").setText(data.contact_phone or "")
        self._line("capacity").setText("" if data.capacity is None else str(data.capacity))
        for key in ("stage_width_m", "stage_depth_m", "fly_height_m"):
            self._line(key).setText(_decimal_text(getattr(data, key)))
        for key in ("rental_rate", "minimum_rental"):
            self._line(key).setText(_decimal_text(getattr(data, key)))
        kind = data.venue_type.value if data.venue_type else None
        self.venue_type.setCurrentIndex(max(0, self.venue_type.findData(kind)))
        self.equipment.set_values(data.equipment)
        notes = self.field("notes")
        assert isinstance(notes, QPlainTextEdit)
        notes.setPlainText(data.notes or "")

    def data(self) -> VenueData:
        text = {
            key: self._line(key).text()
            for key in (
                "name",
                "address",
                "city",
                "state",
                "contact_name",
                "contact_email",
                "contact_phone",
            )
        }
        notes = self.field("notes")
        assert isinstance(notes, QPlainTextEdit)
        return VenueData(
            **text,
            capacity=_capacity(self._line("capacity").text()),
            venue_type=self._venue_type(),
            stage_width_m=_metres("stage width")(self._line("stage_width_m").text()),
            stage_depth_m=_metres("stage depth")(self._line("stage_depth_m").text()),
            fly_height_m=_metres("fly height")(self._line("fly_height_m").text()),
            equipment=self.equipment.values(),
            rental_rate=_money("rental rate")(self._line("rental_rate").text()),
            minimum_rental=_money("minimum rental")(self._line("minimum_rental").text()),
            notes=notes.toPlainText(),
        )

    def submit(self) -> Changes:
        assert self.db is not None and self.owner_id is not None
        data = self.data()
        if self.record_id is None:
            return venues.create_venue(self.db, self.owner_id, data)
        return venues.update_venue(self.db, self.owner_id, self.record_id, data)


def _kind_text(record: Record) -> str:
    kind = record.get("venue_type")
    return kind.replace("_", " ").capitalize() if kind else ""


class VenuesPage(ListPage):
    kinds = (Kind.VENUE,)
    watches = (Kind.VENUE, Kind.SHOW)

    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            field_column("Venue", "name"),
            field_column("City", "city"),
            Column("Type", _kind_text),
            field_column("Seats", "capacity", align_right=True),
            field_column("Shows", "show_count", align_right=True),
            field_column("Contact", "contact_name"),
            field_column("Phone", "contact_phone"),
        ]
        super().__init__("Venues", columns, ("venue", "venues"), VenueForm(), parent)

    def read_records(self, db: Database, owner_id: uuid.UUID) -> Sequence[Record]:
        return [
            {
                "id": v.id,
                "name": v.data.name,
                "city": v.data.city,
                "venue_type": v.data.venue_type.value if v.data.venue_type else None,
                "capacity": v.data.capacity,
                "show_count": v.show_count,
                "contact_name": v.data.contact_name,
                "contact_phone": v.data.contact_phone,
                "contact_email": v.data.contact_email,
            }
            for v in venues.list_venues(db, owner_id)
        ]

    def delete_selected(self) -> None:
        host, venue_id = self.host, self.selected_id()
        if host is None or host.db is None or host.owner_id is None or venue_id is None:
            return
        db, owner = host.db, host.owner_id
        try:
            summary = venues.venue_deletion_summary(db, owner, venue_id)
        except CallMasterError as exc:
            host.show_error(str(exc))
            return

        def delete() -> None:
            host.tasks.run(
                f'Deleting "{summary.venue_name}"…',
                lambda: venues.delete_venue(db, owner, venue_id),
                lambda changes: self.deleted(changes, f'Deleted the venue "{summary.venue_name}".'),
            )

        host.confirm(
            "Delete venue",
            f'Delete the venue "{summary.venue_name}"?\n\n{summary.sentence}',
            "Delete venue",
            delete,
        )

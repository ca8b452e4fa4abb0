"""The venue editor in the real window: create, check, refuse, cancel, delete."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from support.faults import dump_tables
from support.window import OFFSCREEN_NOISE, click, dialog, make_window, press, type_into, wait_idle

from callmaster_desktop.domain.enums import VenueType
from callmaster_desktop.services import shows, venues
from callmaster_desktop.services.shows import ShowData
from ui.editors.venue import VenueForm
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, db_url: str) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(db_url, sample_on_create=False)
    w.nav.setCurrentRow(1)
    return w


def _line(form: VenueForm, key: str) -> object:
    return form.field(key)


def fill_venue(qtbot: QtBot, form: VenueForm, **values: str) -> None:
    for key, text in values.items():
        type_into(qtbot, form.field(key), text)


def test_a_new_venue_is_typed_in_and_saved_with_ctrl_s(
    window: MainWindow, qtbot: QtBot, qtmodeltester: object
) -> None:
    page, form = window.venues, window.venues.form
    click(qtbot, page.new_button)
    assert form.heading.text() == "New venue"
    fill_venue(
        qtbot,
        form,
        name="The Old Vic",
        city="London",
        capacity="1,000",
        contact_email="stage.door@oldvic.example",
        stage_width_m="11.5",
        rental_rate="4500",
    )
    form.venue_type.setCurrentIndex(form.venue_type.findData(VenueType.THRUST.value))
    type_into(qtbot, form.equipment.entry, "Eos Ti")
    qtbot.keyClick(form.equipment.entry, Qt.Key.Key_Return)
    type_into(qtbot, form.equipment.entry, "Haze machine")
    qtbot.keyClick(form.equipment.entry, Qt.Key.Key_Return)
    assert form.dirty
    press(qtbot, window, QKeySequence.StandardKey.Save)
    assert not form.dirty and form.error_text == ""
    assert page.model.rowCount() == 1
    assert page.proxy.index(0, 0).data() == "The Old Vic"
    assert window.db is not None and window.owner_id is not None
    stored = venues.list_venues(window.db, window.owner_id)[0]
    assert stored.data.capacity == 1000 and stored.data.city == "London"
    assert stored.data.venue_type is VenueType.THRUST
    assert stored.data.stage_width_m == Decimal("11.50")
    assert stored.data.equipment == ("Eos Ti", "Haze machine")
    assert form.record_id == stored.id and form.heading.text() == "The Old Vic"
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.proxy)  # type: ignore[attr-defined]


def test_a_bad_value_is_marked_under_its_field_and_nothing_is_written(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None
    form = window.venues.form
    click(qtbot, window.venues.new_button)
    fill_venue(qtbot, form, name="Almeida", contact_email="box office", capacity="lots")
    assert "does not look like an email address" in form.field_error("contact_email")
    assert 'capacity "lots" is not a number' in form.field_error("capacity")
    before = dump_tables(window.db)
    click(qtbot, form.save_button)
    assert "correct the marked fields" in form.error_text
    assert dump_tables(window.db) == before
    # Correcting the field clears its message as it is typed.
    type_into(qtbot, form.field("contact_email"), "box@almeida.example")
    assert form.field_error("contact_email") == ""
    type_into(qtbot, form.field("capacity"), "325")
    click(qtbot, form.save_button)
    assert window.venues.model.rowCount() == 1


def test_an_empty_name_is_refused_inline(window: MainWindow, qtbot: QtBot) -> None:
    form = window.venues.form
    click(qtbot, window.venues.new_button)
    type_into(qtbot, form.field("city"), "London")
    click(qtbot, form.save_button)
    assert form.field_error("name") == "The venue needs a name."
    assert window.venues.model.rowCount() == 0


def test_a_taken_name_is_said_and_the_typed_values_stay(window: MainWindow, qtbot: QtBot) -> None:
    assert window.db is not None and window.owner_id is not None
    venues.create_venue(window.db, window.owner_id, venues.VenueData(name="Almeida", city="London"))
    window.venues.refresh()
    form = window.venues.form
    click(qtbot, window.venues.new_button)
    fill_venue(qtbot, form, name="Almeida", city="london", contact_name="Kim")
    before = dump_tables(window.db)
    click(qtbot, form.save_button)
    assert form.error_text == 'You already have a venue called "Almeida" in london.'
    assert dump_tables(window.db) == before
    assert form.field("contact_name").text() == "Kim"  # type: ignore[attr-defined]
    assert form.dirty and form.is_new
    type_into(qtbot, form.field("city"), "Islington")
    click(qtbot, form.save_button)
    assert window.venues.model.rowCount() == 2


def test_cancel_puts_back_what_is_stored_and_escape_does_too(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None and window.owner_id is not None
    venues.create_venue(window.db, window.owner_id, venues.VenueData(name="Donmar", city="London"))
    window.venues.refresh()
    form = window.venues.form
    assert form.heading.text() == "Donmar"
    type_into(qtbot, form.field("city"), "Paris")
    assert form.dirty
    click(qtbot, form.cancel_button)
    assert form.field("city").text() == "London"  # type: ignore[attr-defined]
    type_into(qtbot, form.field("city"), "Rome")
    qtbot.keyClick(form.field("city"), Qt.Key.Key_Escape)
    assert form.field("city").text() == "London" and not form.dirty  # type: ignore[attr-defined]


def test_choosing_another_venue_with_unsaved_changes_keeps_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None and window.owner_id is not None
    for name in ("Almeida", "Donmar"):
        venues.create_venue(window.db, window.owner_id, venues.VenueData(name=name))
    window.venues.refresh()
    page, form = window.venues, window.venues.form
    assert form.heading.text() == "Almeida"
    type_into(qtbot, form.field("city"), "Islington")
    page.table.selectRow(1)
    assert form.heading.text() == "Almeida"
    assert form.field("city").text() == "Islington"  # type: ignore[attr-defined]
    assert "Save or cancel" in form.error_text
    assert page.selected_record()["name"] == "Almeida"  # type: ignore[index]


def test_deleting_a_venue_says_which_shows_lose_it(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    venue_id = venues.create_venue(db, owner, venues.VenueData(name="Almeida")).created_id(
        venues.Kind.VENUE
    )
    for name in ("Hamlet", "Macbeth"):
        shows.create_show(db, owner, ShowData(name=name, venue_id=venue_id))
    window.refresh()
    page = window.venues
    page.table.setFocus()
    press(qtbot, window, QKeySequence.StandardKey.Delete)
    question = dialog(window)
    assert '"Hamlet" and "Macbeth" use "Almeida" and will have no venue.' in question.text
    click(qtbot, question.cancel_button)
    assert page.model.rowCount() == 1
    page.delete_selected()
    click(qtbot, dialog(window).action_button)
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 0
    assert form_is_blank(window)
    assert [s.venue_name for s in shows.list_shows(db, owner)] == [None, None]
    assert window.shows.proxy.index(0, 1).data() == ""
    assert 'Deleted the venue "Almeida"' in window.statusBar().currentMessage()


def form_is_blank(window: MainWindow) -> bool:
    return window.venues.form.is_new and window.venues.form.field("name").text() == ""  # type: ignore[attr-defined]

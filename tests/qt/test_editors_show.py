"""The show editor: create with a venue and dates, its scripts and crew, delete with counts."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from support.faults import dump_tables
from support.window import (
    OFFSCREEN_NOISE,
    click,
    dialog,
    make_window,
    press,
    type_into,
    wait_idle,
)

from callmaster_desktop.services import crew, departments, scripts, shows, venues
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.crew import PersonData
from callmaster_desktop.services.departments import DepartmentData
from callmaster_desktop.services.shows import ShowData
from ui.editors.widgets import choose_id
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, db_url: str) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(db_url, sample_on_create=False)
    return w


def _ids(window: MainWindow) -> tuple[object, uuid.UUID]:
    assert window.db is not None and window.owner_id is not None
    return window.db, window.owner_id


def _when(text: str) -> QDateTime:
    return QDateTime(datetime.fromisoformat(text))


def test_a_new_show_gets_its_venue_dates_and_a_first_draft(
    window: MainWindow, qtbot: QtBot, qtmodeltester: object
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    venue_id = venues.create_venue(db, owner, venues.VenueData(name="Almeida")).created_id(
        Kind.VENUE
    )
    window.refresh()
    page, form = window.shows, window.shows.show_form
    press(qtbot, window, QKeySequence.StandardKey.New)
    assert form.heading.text() == "New show"
    assert not page.tabs.isTabEnabled(1)
    type_into(qtbot, form.name, "Hamlet")
    assert choose_id(form.venue, venue_id)
    click(qtbot, form.first_performance.enabled_box)
    form.first_performance.edit.setDateTime(_when("2027-03-12T19:30"))
    click(qtbot, form.end.enabled_box)
    form.end.edit.setDateTime(_when("2027-04-04T22:00"))
    click(qtbot, form.save_button)
    assert form.error_text == ""
    listed = shows.list_shows(db, owner)
    assert [(s.name, s.venue_name) for s in listed] == [("Hamlet", "Almeida")]
    opening = listed[0].data.first_performance
    assert opening is not None and opening.astimezone().strftime("%d %H:%M") == "12 19:30"
    assert page.proxy.index(0, 1).data() == "Almeida"
    assert page.tabs.isTabEnabled(1)
    panel = page.scripts_panel
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data() == "First Draft"
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.crew_panel.model)  # type: ignore[attr-defined]


def test_an_end_before_the_opening_is_marked_and_nothing_is_written(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None
    form = window.shows.show_form
    click(qtbot, window.shows.new_button)
    type_into(qtbot, form.name, "Hamlet")
    click(qtbot, form.first_performance.enabled_box)
    form.first_performance.edit.setDateTime(_when("2027-03-12T19:30"))
    click(qtbot, form.end.enabled_box)
    form.end.edit.setDateTime(_when("2027-03-01T19:30"))
    assert form.field_error("end") == "The show's end comes before its first performance."
    before = dump_tables(window.db)
    click(qtbot, form.save_button)
    assert dump_tables(window.db) == before
    assert form.name.text() == "Hamlet"


def test_a_taken_show_name_is_refused_in_the_form(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    shows.create_show(db, owner, ShowData(name="Hamlet"))
    window.refresh()
    form = window.shows.show_form
    click(qtbot, window.shows.new_button)
    type_into(qtbot, form.name, "hamlet")
    type_into(qtbot, form.notes, "Second company")
    before = dump_tables(db)
    click(qtbot, form.save_button)
    assert form.error_text == 'You already have a show called "hamlet".'
    assert dump_tables(db) == before
    assert form.notes.toPlainText() == "Second company" and form.dirty


def test_scripts_are_created_renamed_duplicated_and_deleted(
    window: MainWindow, qtbot: QtBot
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    hamlet = shows.create_show(db, owner, ShowData(name="Hamlet")).created_id(Kind.SHOW)
    lear = shows.create_show(db, owner, ShowData(name="King Lear")).created_id(Kind.SHOW)
    window.refresh()
    page = window.shows
    assert page.select_id(hamlet)
    page.tabs.setCurrentWidget(page.scripts_panel)
    panel = page.scripts_panel
    # New script
    click(qtbot, panel.new_button)
    ask = dialog(window)
    type_into(qtbot, ask.name, "Tech Script")
    qtbot.keyClick(ask.name, Qt.Key.Key_Return)
    assert [panel.model.index(r, 0).data() for r in range(2)] == ["First Draft", "Tech Script"]
    assert panel.model.record_at(panel.table.currentIndex().row())["name"] == "Tech Script"  # type: ignore[index]
    # Rename with F2
    panel.table.setFocus()
    press(qtbot, window, "F2")
    ask = dialog(window)
    type_into(qtbot, ask.name, "Tech Script v2")
    qtbot.keyClick(ask.name, Qt.Key.Key_Return)
    names = {s.name for s in shows.get_show(db, owner, hamlet).scripts}
    assert names == {"First Draft", "Tech Script v2"}
    # Duplicate into another show, in the background
    press(qtbot, window, "Ctrl+D")
    ask = dialog(window)
    assert choose_id(ask.target_show, lear)
    ask.try_accept()
    wait_idle(qtbot, window)
    copied = [s.name for s in shows.get_show(db, owner, lear).scripts]
    assert copied == ["First Draft", "Tech Script v2"]
    assert "into the other show" in window.statusBar().currentMessage()
    # Duplicate in the same show: "(copy)"
    press(qtbot, window, "Ctrl+D")
    dialog(window).try_accept()
    wait_idle(qtbot, window)
    assert "Tech Script v2 (copy)" in {s.name for s in shows.get_show(db, owner, hamlet).scripts}
    # Delete, after the question
    chosen = panel.selected_id()
    assert chosen is not None
    click(qtbot, panel.delete_button)
    question = dialog(window)
    assert "Deleting this script also deletes 0 row(s)" in question.text
    click(qtbot, question.action_button)
    wait_idle(qtbot, window)
    assert chosen not in {s.id for s in shows.get_show(db, owner, hamlet).scripts}
    assert panel.model.rowCount() == 2


def test_open_script_is_the_hook_for_the_script_editor(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    shows.create_show(db, owner, ShowData(name="Hamlet"))
    window.refresh()
    panel = window.shows.scripts_panel
    window.shows.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(window.scriptOpenRequested, timeout=2000) as opened:
        click(qtbot, panel.open_button)
    assert opened.args == [panel.selected_id()]
    window.shows.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(window.scriptOpenRequested, timeout=2000) as opened:
        press(qtbot, window, "Ctrl+E")
    assert opened.args == [panel.selected_id()]
    assert window.shows.tabs.currentWidget() is panel  # the script is shown read-only for now


def _crew_setup(db: object, owner: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    sound = departments.create_department(
        db,
        owner,
        DepartmentData("Sound", "SQ", "#3366CC"),  # type: ignore[arg-type]
    ).created_id(Kind.DEPARTMENT)
    departments.create_department(db, owner, DepartmentData("Lighting", "LX", "#FFCC00"))  # type: ignore[arg-type]
    dana = crew.add_crew_member(
        db,
        owner,
        PersonData("Dana", "Whitfield", phone="555-0101"),  # type: ignore[arg-type]
    ).created_id(Kind.PERSON)
    show = shows.create_show(db, owner, ShowData(name="Hamlet")).created_id(Kind.SHOW)  # type: ignore[arg-type]
    return sound, dana, show


def test_crew_are_assigned_changed_and_removed(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    sound, dana, _ = _crew_setup(db, owner)
    window.refresh()
    page = window.shows
    page.tabs.setCurrentWidget(page.crew_panel)
    panel = page.crew_panel
    assert choose_id(panel.person, dana)
    assert choose_id(panel.department, sound)
    type_into(qtbot, panel.role, "Head of Sound")
    qtbot.keyClick(panel.role, Qt.Key.Key_Return)
    assert panel.model.rowCount() == 1
    assert [panel.model.index(0, c).data() for c in range(3)] == [
        "Dana Whitfield",
        "Sound",
        "Head of Sound",
    ]
    # The same person in the same department again is refused where it was typed.
    panel.table.clearSelection()
    click(qtbot, panel.assign_button)
    assert "already in Sound on this show" in panel.message.text()
    # Change the role of the chosen line
    panel.table.selectRow(0)
    type_into(qtbot, panel.role, "Sound Designer")
    click(qtbot, panel.update_button)
    assert panel.model.index(0, 2).data() == "Sound Designer"
    # Remove, after the question
    panel.table.selectRow(0)
    click(qtbot, panel.remove_button)
    assert "They stay in your crew" in dialog(window).text
    click(qtbot, dialog(window).action_button)
    assert panel.model.rowCount() == 0
    assert window.crew.model.rowCount() == 2  # me and Dana


def test_deleting_a_show_counts_what_goes_and_runs_in_the_background(
    window: MainWindow, qtbot: QtBot
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    _crew_setup(db, owner)
    window.refresh()
    page = window.shows
    panel = page.crew_panel
    page.tabs.setCurrentWidget(panel)
    click(qtbot, panel.assign_button)
    page.tabs.setCurrentIndex(0)
    show_id = page.selected_id()
    assert show_id is not None
    scripts.create_script(db, owner, show_id, "Tech")
    page.table.setFocus()
    press(qtbot, window, QKeySequence.StandardKey.Delete)
    question = dialog(window)
    assert question.text == 'Delete "Hamlet" with its 2 scripts and 1 crew assignment?'
    with qtbot.waitSignal(window.tasks.busyChanged, timeout=5000) as started:
        click(qtbot, question.action_button)
    assert started.args == [True]
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 0 and shows.list_shows(db, owner) == []
    assert page.show_form.heading.text() == "New show"
    assert window.busy.isHidden()

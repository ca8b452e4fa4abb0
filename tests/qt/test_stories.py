"""Whole stories through the real window, on SQLite and on PostgreSQL.

A stage manager sets up a production without a command line: a venue, a show
in it, three departments, crew with assignments. Then the venue closes (the
show keeps everything else), and a department in use is deleted after its
cues and assignments are moved to another.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from support.window import OFFSCREEN_NOISE, click, dialog, make_window, press, type_into, wait_idle

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.services import crew_assignments, departments, scripts, shows
from callmaster_desktop.services.script_state import write_script_state
from ui.editors.widgets import choose_id
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

DEPARTMENTS = [("Lighting", "lx", "#FFCC00"), ("Sound", "sq", "#3366CC"), ("Fly", "fly", "#9955CC")]
PEOPLE = [
    ("Priya", "Raman", "Lighting Designer", "Lighting", "Lighting Designer"),
    ("Dana", "Whitfield", "Sound Designer", "Sound", "Head of Sound"),
    ("Hannah", "Kowalczyk", "Fly Operator", "Fly", "Head Flyman"),
]


def _set_up_production(window: MainWindow, qtbot: QtBot) -> uuid.UUID:
    """Everything typed into the window, as a stage manager would; returns the show's id."""
    # A venue
    press(qtbot, window, "Ctrl+2")
    press(qtbot, window, QKeySequence.StandardKey.New)
    venue_form = window.venues.form
    type_into(qtbot, venue_form.field("name"), "Larkspur Repertory Theatre")
    type_into(qtbot, venue_form.field("city"), "Ashford Falls")
    type_into(qtbot, venue_form.field("capacity"), "640")
    press(qtbot, window, QKeySequence.StandardKey.Save)
    assert venue_form.error_text == "" and window.venues.model.rowCount() == 1
    venue_id = venue_form.record_id
    # A show in it
    press(qtbot, window, "Ctrl+1")
    press(qtbot, window, QKeySequence.StandardKey.New)
    show_form = window.shows.show_form
    type_into(qtbot, show_form.name, "Macbeth")
    assert choose_id(show_form.venue, venue_id)
    click(qtbot, show_form.first_performance.enabled_box)
    show_form.first_performance.edit.setDateTime(QDateTime(datetime(2027, 3, 12, 19, 30)))
    press(qtbot, window, QKeySequence.StandardKey.Save)
    assert show_form.error_text == ""
    show_id = show_form.record_id
    assert show_id is not None
    # Three departments
    press(qtbot, window, "Ctrl+3")
    dept_form = window.departments.form
    for name, initials, colour in DEPARTMENTS:
        press(qtbot, window, QKeySequence.StandardKey.New)
        type_into(qtbot, dept_form.name, name)
        type_into(qtbot, dept_form.initials, initials)
        type_into(qtbot, dept_form.colour.code, colour)
        press(qtbot, window, QKeySequence.StandardKey.Save)
        assert dept_form.error_text == ""
    assert window.departments.model.rowCount() == 3
    # Crew
    press(qtbot, window, "Ctrl+4")
    crew_form = window.crew.form
    for first, last, role, _, _ in PEOPLE:
        press(qtbot, window, QKeySequence.StandardKey.New)
        type_into(qtbot, crew_form.first_name, first)
        type_into(qtbot, crew_form.last_name, last)
        type_into(qtbot, crew_form.role, role)
        press(qtbot, window, QKeySequence.StandardKey.Save)
        assert crew_form.error_text == ""
    assert window.crew.model.rowCount() == 4  # me and three
    # Their assignments on the show
    press(qtbot, window, "Ctrl+1")
    page = window.shows
    assert page.select_id(show_id)
    page.tabs.setCurrentWidget(page.crew_panel)
    panel = page.crew_panel
    people = {m.full_name: m.person_id for m in window.crew.members.values()}
    departments_by_name = {d.data.name: d.id for d in window.departments.listings.values()}
    for first, last, _, department, show_role in PEOPLE:
        panel.table.clearSelection()
        assert choose_id(panel.person, people[f"{first} {last}"])
        assert choose_id(panel.department, departments_by_name[department])
        type_into(qtbot, panel.role, show_role)
        qtbot.keyClick(panel.role, Qt.Key.Key_Return)
        assert panel.message.isHidden(), panel.message.text()
    assert panel.model.rowCount() == 3
    return show_id


def _write_cues(window: MainWindow, show_id: uuid.UUID) -> uuid.UUID:
    """Cues in the First Draft (the script editor is another screen)."""
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    script = shows.get_show(db, owner, show_id).scripts[0]
    ids = {d.data.initials: d.id for d in departments.list_departments(db, owner)}
    cues = [
        ElementData(ElementType.CUE, "House to half", 0, department_id=ids["LX"], cue_number="1"),
        ElementData(ElementType.CUE, "Thunder", 5000, department_id=ids["SQ"], cue_number="1"),
        ElementData(
            ElementType.CUE, "Witches' cauldron in", 9000, department_id=ids["FLY"], cue_number="1"
        ),
        ElementData(ElementType.CUE, "Rain", 12000, department_id=ids["SQ"], cue_number="2"),
    ]
    with db.unit_of_work() as session:
        write_script_state(
            session,
            script.id,
            script.version,
            cues,
            author_id=owner,
            steps=["Add the opening cues"],
        )
    window.refresh()
    return script.id


def test_setting_up_a_production_and_closing_its_venue(
    qtbot: QtBot, tmp_path: Path, db_url: str, qtmodeltester: object
) -> None:
    window = make_window(qtbot, tmp_path)
    window.open_database_url(db_url, sample_on_create=False)
    show_id = _set_up_production(window, qtbot)
    _write_cues(window, show_id)
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    before = shows.show_deletion_summary(db, owner, show_id)
    assert (before.scripts, before.cues, before.crew_assignments) == (1, 4, 3)
    for page in (window.shows, window.venues, window.departments, window.crew):
        qtmodeltester.check(page.model)  # type: ignore[attr-defined]

    # The venue closes.
    press(qtbot, window, "Ctrl+2")
    window.venues.table.setFocus()
    press(qtbot, window, QKeySequence.StandardKey.Delete)
    question = dialog(window)
    assert '"Macbeth" uses "Larkspur Repertory Theatre" and will have no venue.' in question.text
    click(qtbot, question.action_button)
    wait_idle(qtbot, window)
    assert window.venues.model.rowCount() == 0

    # The show keeps everything else.
    listed = shows.get_show(db, owner, show_id)
    assert listed.venue_name is None and listed.name == "Macbeth"
    assert shows.show_deletion_summary(db, owner, show_id) == before
    press(qtbot, window, "Ctrl+1")
    assert window.shows.proxy.index(0, 1).data() == ""
    assert window.shows.show_form.venue.currentText() == "No venue"
    assert "No venue" in window.shows.show_form.subheading.text()
    assert window.shows.crew_panel.model.rowCount() == 3
    assert window.shows.scripts_panel.model.rowCount() == 1


def test_a_department_in_use_is_deleted_only_after_its_cues_move(
    qtbot: QtBot, tmp_path: Path, db_url: str
) -> None:
    window = make_window(qtbot, tmp_path)
    window.open_database_url(db_url, sample_on_create=False)
    show_id = _set_up_production(window, qtbot)
    script_id = _write_cues(window, show_id)
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    by_initials = {d.data.initials: d.id for d in departments.list_departments(db, owner)}

    press(qtbot, window, "Ctrl+3")
    page = window.departments
    assert page.select_id(by_initials["SQ"])
    page.table.setFocus()
    press(qtbot, window, QKeySequence.StandardKey.Delete)
    chooser = dialog(window)
    assert "Sound is used by 2 cues in 1 script and 1 crew assignment" in chooser.explanation.text()
    # Lighting already has a cue 1 in this script: the move is refused, nothing changes.
    chooser.choose(by_initials["LX"])
    click(qtbot, chooser.move_button)
    wait_idle(qtbot, window)
    assert "LX 1" in window.message_bar.message
    assert len(departments.list_departments(db, owner)) == 3
    # Cancel leaves everything as it was.
    window.message_bar.hide()
    page.delete_selected()
    click(qtbot, dialog(window).buttons.button(dialog(window).buttons.StandardButton.Cancel))
    assert len(departments.list_departments(db, owner)) == 3
    # A new department, typed into the form, takes Sound's cues.
    press(qtbot, window, QKeySequence.StandardKey.New)
    type_into(qtbot, page.form.name, "Sound Effects")
    type_into(qtbot, page.form.initials, "sfx")
    press(qtbot, window, QKeySequence.StandardKey.Save)
    sfx = page.form.record_id
    assert sfx is not None
    assert page.select_id(by_initials["SQ"])
    page.delete_selected()
    chooser = dialog(window)
    chooser.choose(sfx)
    click(qtbot, chooser.move_button)
    wait_idle(qtbot, window)
    assert window.message_bar.message == ""
    names = sorted(d.data.name for d in departments.list_departments(db, owner))
    assert names == ["Fly", "Lighting", "Sound Effects"]
    loaded = scripts.load_script(db, owner, script_id)
    moved = [e for e in loaded.elements if e.department_id == sfx]
    assert [e.name for e in moved] == ["Thunder", "Rain"]
    assert [e.cue_number for e in moved] == ["1", "2"]
    lines = crew_assignments.list_show_assignments(db, owner, show_id)
    assert {line.department_name for line in lines} == {"Lighting", "Sound Effects", "Fly"}
    assert "Deleted the department" in window.statusBar().currentMessage()
    press(qtbot, window, "Ctrl+1")
    panel = window.shows.crew_panel
    assert {panel.model.index(r, 1).data() for r in range(panel.model.rowCount())} == {
        "Lighting",
        "Sound Effects",
        "Fly",
    }

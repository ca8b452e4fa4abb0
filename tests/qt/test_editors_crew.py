"""The crew editor: add a person in one step, edit, deactivate, remove; the contact sheet."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import uuid
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from support.faults import dump_tables
from support.window import OFFSCREEN_NOISE, click, dialog, make_window, press, type_into

from callmaster_desktop.services import crew, crew_assignments, departments, shows
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.crew import PersonData
from callmaster_desktop.services.crew_assignments import AssignmentData
from callmaster_desktop.services.departments import DepartmentData
from callmaster_desktop.services.shows import ShowData
from ui.main_window import MainWindow
from ui.printing.contact_sheet import read_contact_sheet, save_pdf

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, db_url: str) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(db_url, sample_on_create=False)
    w.nav.setCurrentRow(3)
    return w


def _assigned(window: MainWindow) -> tuple[uuid.UUID, uuid.UUID]:
    """Dana in my crew, working on Hamlet in Sound."""
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    dana = crew.add_crew_member(
        db,
        owner,
        PersonData("Dana", "Whitfield", "dana@sound.example", "555-0101", "Sound Designer"),
    ).created_id(Kind.PERSON)
    sound = departments.create_department(db, owner, DepartmentData("Sound", "SQ", "#3366CC"))
    show = shows.create_show(db, owner, ShowData(name="Hamlet")).created_id(Kind.SHOW)
    crew_assignments.assign_to_show(
        db, owner, show, AssignmentData(dana, sound.created_id(Kind.DEPARTMENT), "Head of Sound")
    )
    window.refresh()
    return dana, show


def test_a_new_person_joins_my_crew_in_one_step(
    window: MainWindow, qtbot: QtBot, qtmodeltester: object
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    page, form = window.crew, window.crew.form
    assert page.proxy.index(0, 0).data().endswith("(you)")
    press(qtbot, window, "Ctrl+N")
    assert form.heading.text() == "New crew member"
    type_into(qtbot, form.first_name, "Priya")
    type_into(qtbot, form.last_name, "Raman")
    type_into(qtbot, form.role, "Lighting Designer")
    type_into(qtbot, form.phone, "555-0199")
    type_into(qtbot, form.crew_notes, "Prefers texts after 10 pm")
    click(qtbot, form.save_button)
    members = crew.list_crew(db, owner)
    priya = next(m for m in members if m.data.first_name == "Priya")
    assert priya.is_guest and priya.is_active
    assert priya.crew_notes == "Prefers texts after 10 pm"
    assert priya.data.email is None  # an email is optional
    assert page.model.rowCount() == 2
    assert form.record_id == priya.person_id
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.proxy)  # type: ignore[attr-defined]


def test_editing_a_person_and_my_notes_about_them(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    dana, _ = _assigned(window)
    page, form = window.crew, window.crew.form
    assert page.select_id(dana)
    type_into(qtbot, form.phone, "555-0202")
    type_into(qtbot, form.crew_notes, "Bring the spare IEM packs")
    click(qtbot, form.save_button)
    member = crew.get_crew_member(db, owner, dana)
    assert member.data.phone == "555-0202"
    assert member.crew_notes == "Bring the spare IEM packs"
    type_into(qtbot, form.email, "not an address")
    assert "does not look like an email address" in form.field_error("email")


def test_deactivate_and_reactivate(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    dana, _ = _assigned(window)
    page = window.crew
    page.select_id(dana)
    click(qtbot, page.active_button)
    assert not crew.get_crew_member(db, owner, dana).is_active
    row = page.proxy.mapFromSource(page.model.index(page.model.row_of(dana), 4))
    assert row.data() == "Inactive"
    assert page.active_button.text() == "Reactivate"
    press(qtbot, window, "Ctrl+Shift+D")
    assert crew.get_crew_member(db, owner, dana).is_active
    # Me: neither deactivated nor removed.
    page.table.selectRow(0)
    assert not page.active_button.isEnabled() and not page.delete_button.isEnabled()


def test_removing_someone_still_assigned_asks_twice(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    dana, show = _assigned(window)
    page = window.crew
    page.select_id(dana)
    click(qtbot, page.delete_button)
    first = dialog(window)
    assert first.text.startswith("Remove Dana Whitfield from your crew?")
    before = dump_tables(db)
    click(qtbot, first.action_button)
    second = dialog(window)
    assert second is not first
    assert "Dana Whitfield is assigned to Hamlet (Sound)" in second.text
    assert dump_tables(db) == before
    click(qtbot, second.action_button)
    assert [m.full_name for m in crew.list_crew(db, owner)] == [window.owner_name]
    assert crew_assignments.list_show_assignments(db, owner, show) == []
    assert page.model.rowCount() == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_contact_sheet_saves_as_a_pdf_with_everyone_on_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    _, show = _assigned(window)
    window.nav.setCurrentRow(0)
    page = window.shows
    page.select_id(show)
    page.tabs.setCurrentWidget(page.crew_panel)
    written = page.crew_panel.save_pdf(tmp_path / "Hamlet contacts.pdf")
    assert written is not None and written.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(written), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)  # the bold font writes "fi" as one ligature
    for words in (
        "Hamlet",
        "Crew contact sheet",
        "Dana Whitfield",
        "Head of Sound",
        "Sound",
        "555-0101",
        "dana@sound.example",
        "1 person",
    ):
        assert words in text, words
    assert "Saved the contact sheet" in window.statusBar().currentMessage()


def test_an_empty_contact_sheet_says_so(window: MainWindow, tmp_path: Path) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    show = shows.create_show(db, owner, ShowData(name="Empty")).created_id(Kind.SHOW)
    sheet = read_contact_sheet(db, owner, show)
    assert sheet.rows == ()
    path = save_pdf(sheet, tmp_path / "empty.pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Nobody is assigned to this show yet." in text

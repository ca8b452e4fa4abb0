"""The department editor: initials in capitals, the colour picker, and deleting one in use."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from support.faults import dump_tables
from support.window import OFFSCREEN_NOISE, click, dialog, make_window, type_into, wait_idle

from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.services import departments, scripts, shows
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.departments import DepartmentData
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.shows import ShowData
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, db_url: str) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(db_url, sample_on_create=False)
    w.nav.setCurrentRow(2)
    return w


def _cues(db: Database, owner: uuid.UUID, department_id: uuid.UUID, *numbers: str) -> uuid.UUID:
    """A show whose First Draft holds cues of one department."""
    show = shows.create_show(db, owner, ShowData(name=f"Show {uuid.uuid4().hex[:6]}"))
    script_id = show.created_id(Kind.SCRIPT)
    elements = [
        ElementData(
            id=uuid.uuid4(),
            element_type=ElementType.CUE,
            department_id=department_id,
            cue_number=number,
            name=f"Cue {number}",
            offset_ms=1000 * position,
        )
        for position, number in enumerate(numbers)
    ]
    with db.unit_of_work() as session:
        write_script_state(session, script_id, 1, elements, author_id=owner, steps=["Add cues"])
    return script_id


def test_a_department_gets_capital_initials_and_a_picked_colour(
    window: MainWindow, qtbot: QtBot, qtmodeltester: object
) -> None:
    assert window.db is not None and window.owner_id is not None
    page, form = window.departments, window.departments.form
    click(qtbot, page.new_button)
    type_into(qtbot, form.name, "Lighting")
    type_into(qtbot, form.initials, "lx")
    assert form.initials.text() == "LX"
    click(qtbot, form.colour.swatch)
    picker = form.colour.dialog
    assert picker is not None and picker.isVisible()
    picker.setCurrentColor(QColor("#ffcc00"))
    picker.accept()
    assert form.colour.value() == "#FFCC00"
    click(qtbot, form.save_button)
    stored = departments.list_departments(window.db, window.owner_id)
    assert [(d.data.name, d.data.initials, d.data.color) for d in stored] == [
        ("Lighting", "LX", "#FFCC00")
    ]
    assert page.proxy.index(0, 0).data() == "Lighting"
    assert page.proxy.index(0, 0).data(1) == QColor("#FFCC00")  # the swatch beside the name
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_bad_initials_and_colour_are_marked_and_taken_initials_refused(
    window: MainWindow, qtbot: QtBot
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    departments.create_department(db, owner, DepartmentData("Lighting", "LX"))
    window.refresh()
    form = window.departments.form
    click(qtbot, window.departments.new_button)
    type_into(qtbot, form.name, "Follow Spot")
    type_into(qtbot, form.initials, "FS12")
    type_into(qtbot, form.colour.code, "orange")
    assert "must be 1 to 5 letters" in form.field_error("initials")
    assert "is not a colour code" in form.field_error("color")
    before = dump_tables(db)
    click(qtbot, form.save_button)
    assert dump_tables(db) == before
    type_into(qtbot, form.initials, "lx")
    type_into(qtbot, form.colour.code, "#ff8800")
    click(qtbot, form.save_button)
    assert form.error_text == "The initials LX are already used by Lighting."
    assert dump_tables(db) == before
    assert form.name.text() == "Follow Spot"


def test_an_unused_department_is_deleted_after_a_question(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    departments.create_department(db, owner, DepartmentData("Video", "VID"))
    window.refresh()
    click(qtbot, window.departments.delete_button)
    question = dialog(window)
    assert question.text == 'Delete the department "Video"? Nothing uses it.'
    click(qtbot, question.action_button)
    wait_idle(qtbot, window)
    assert departments.list_departments(db, owner) == []


def test_a_department_in_use_moves_its_cues_before_it_goes(
    window: MainWindow, qtbot: QtBot
) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    old = departments.create_department(db, owner, DepartmentData("Effects", "FX")).created_id(
        Kind.DEPARTMENT
    )
    new = departments.create_department(db, owner, DepartmentData("Sound", "SQ")).created_id(
        Kind.DEPARTMENT
    )
    script_id = _cues(db, owner, old, "1", "2", "3")
    window.refresh()
    page = window.departments
    page.select_id(old)
    assert "Used by 3 cues in 1 script" in page.form.subheading.text()
    click(qtbot, page.delete_button)
    chooser = dialog(window)
    assert "Effects is used by 3 cues in 1 script" in chooser.explanation.text()
    chooser.choose(new)
    click(qtbot, chooser.move_button)
    wait_idle(qtbot, window)
    loaded = scripts.load_script(db, owner, script_id)
    assert {e.department_id for e in loaded.elements} == {new}
    assert [d.name for d in departments.list_departments(db, owner)] == ["Sound"]
    assert page.model.rowCount() == 1 and page.proxy.index(0, 2).data() == "3"


def test_a_clash_of_cue_numbers_is_said_and_nothing_moves(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    old = departments.create_department(db, owner, DepartmentData("Effects", "FX")).created_id(
        Kind.DEPARTMENT
    )
    new = departments.create_department(db, owner, DepartmentData("Sound", "SQ")).created_id(
        Kind.DEPARTMENT
    )
    script_id = _cues(db, owner, old, "1", "2")
    loaded = scripts.load_script(db, owner, script_id)
    extra = ElementData(
        id=uuid.uuid4(), element_type=ElementType.CUE, department_id=new, cue_number="2"
    )
    with db.unit_of_work() as session:
        write_script_state(
            session,
            script_id,
            loaded.version,
            [*loaded.elements, extra],
            author_id=owner,
            steps=["Add SQ 2"],
        )
    window.refresh()
    window.departments.select_id(old)
    before = dump_tables(db)
    window.departments.delete_selected()
    chooser = dialog(window)
    chooser.choose(new)
    click(qtbot, chooser.move_button)
    wait_idle(qtbot, window)
    assert "2" in window.message_bar.message and "nothing" in window.message_bar.message.lower()
    assert dump_tables(db) == before

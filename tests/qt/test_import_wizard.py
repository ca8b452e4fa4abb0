"""The CSV import wizard, driven with real clicks and key presses on both databases."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.faults import dump_tables

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script
from callmaster_desktop.formats.csv_departments import MatchHow
from callmaster_desktop.sample import load_sample_show
from callmaster_desktop.services.scripts import load_script
from ui.dialogs.import_wizard import ImportWizard, open_import_wizard

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def show_id(db: Database, owner: Person) -> uuid.UUID:
    with db.unit_of_work() as session:
        return load_sample_show(session, owner).id


def wizard_for(qtbot: QtBot, db: Database, owner: Person, path: Path) -> ImportWizard:
    wizard = open_import_wizard(None, db, owner.id)
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.file_page.path_edit, str(path))
    return wizard


def press(qtbot: QtBot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), f"{button.text()} cannot be pressed"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an entry the way a keyboard user does: focus the box and type its start."""
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not a continued one
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText().startswith(text), combo.currentText()


def test_a_european_file_is_corrected_and_imported_and_the_choices_remembered(
    qtbot: QtBot, db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    wizard = wizard_for(qtbot, db, owner, DATA / "semicolon_cp1252.csv")
    assert wizard.file_page.name_edit.text() == "semicolon_cp1252"
    qtbot.keyClicks(wizard.file_page.name_edit, " (French)")
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.format_page
    assert page.encoding.currentText() == "Windows-1252 (Western European)"
    assert page.delimiter.currentText() == "Semicolon"
    assert page.sample.item(0, 3).text() == "Lumière générale"
    assert "3 rows" in page.summary.text()
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    columns = wizard.columns_page
    assert columns.combos[1].currentText() == "Leave out"  # "Département"
    choose(qtbot, columns.combos[1], "Department")
    choose(qtbot, columns.combos[2], "Ti")  # "Temps": Time
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    departments = wizard.departments_page
    texts = [departments.table.item(r, 0).text() for r in range(departments.table.rowCount())]
    assert texts == ["LX", "Son"]
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # "Son" is open
    choose(qtbot, departments.rows[1][1], "Sound")
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    assert preview.headline.text() == 'Ready to import 4 rows as "semicolon_cp1252 (French)".'
    assert preview.sample.item(1, 2).text() == "LX 1"
    with qtbot.waitSignal(wizard.imported, timeout=20000) as imported:
        press(qtbot, wizard, QWizard.WizardButton.CommitButton)
    result = imported.args[0]
    assert result.rows == 4
    qtbot.waitUntil(wizard.import_page.isComplete)
    assert "Imported 4 rows" in wizard.import_page.status.text()
    loaded = load_script(db, owner.id, result.script_id)
    assert [e.name for e in loaded.elements][1] == "Lumière générale"
    assert {d.initials for d in loaded.departments.values()} == {"LX", "SQ"}
    press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == 1
    # The next import of a file like it maps itself.
    again = wizard_for(qtbot, db, owner, DATA / "semicolon_cp1252.csv")
    press(qtbot, again, QWizard.WizardButton.NextButton)
    press(qtbot, again, QWizard.WizardButton.NextButton)
    assert [c.currentText() for c in again.columns_page.combos][1:3] == ["Department", "Time"]
    press(qtbot, again, QWizard.WizardButton.NextButton)
    son = again.state.choices["son"]
    assert son.match.how is MatchHow.REMEMBERED
    assert again.departments_page.rows[1][1].currentText() == "Sound (SQ)"
    again.reject()


def test_problems_are_listed_and_nothing_can_be_written(
    qtbot: QtBot, db: Database, owner: Person, show_id: uuid.UUID, qtmodeltester: object
) -> None:
    before = dump_tables(db)
    wizard = wizard_for(qtbot, db, owner, DATA / "problems.csv")
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    departments = wizard.departments_page
    catering = next(row for row in departments.rows if row[0] == "catering")
    choose(qtbot, catering[1], "New")
    assert catering[2].text() == "Catering" and catering[3].text() == "CAT"
    qtbot.keyClicks(catering[3], "R")  # the stage manager makes the initials CATR
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    qtmodeltester.check(preview.model)  # type: ignore[attr-defined]
    assert preview.headline.text() == "11 problems to put right before importing."
    rows = [
        [preview.model.index(r, c).data() for c in range(3)]
        for r in range(preview.model.rowCount())
    ]
    assert rows[0] == [
        "3",
        "Time",
        'Cannot read "0:75" as a time: expected H:MM:SS, M:SS, 90s or 1.5m '
        "(seconds and minutes below 60)",
    ]
    assert ["9", "Cue", "LX 1 is already used by row 2"] in rows
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert "CATR" in preview.summary.text()
    press(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert wizard.result() == 0
    assert dump_tables(db) == before


def test_a_wrong_encoding_is_said_and_can_be_put_back(
    qtbot: QtBot, db: Database, owner: Person, show_id: uuid.UUID
) -> None:
    wizard = wizard_for(qtbot, db, owner, DATA / "semicolon_cp1252.csv")
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.format_page
    choose(qtbot, page.encoding, "UTF-8")
    assert page.encoding.currentText() == "UTF-8"
    assert "cannot be read as UTF-8" in page.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    choose(qtbot, page.encoding, "Windows")
    assert page.error.text() == ""
    choose(qtbot, page.delimiter, "Comma")
    assert page.sample.columnCount() == 1  # everything in one column: the preview shows it
    choose(qtbot, page.delimiter, "Semicolon")
    assert page.sample.columnCount() == 7
    press(qtbot, wizard, QWizard.WizardButton.BackButton)
    wizard.file_page.path_edit.clear()
    qtbot.keyClicks(wizard.file_page.path_edit, str(DATA / "missing.csv"))
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert "cannot be read" in wizard.file_page.error.text()
    assert wizard.currentPage() is wizard.file_page
    wizard.reject()


def test_a_long_file_imports_with_progress(
    qtbot: QtBot, db: Database, owner: Person, show_id: uuid.UUID, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    lines = ["Time,Dept,Name,Group"]
    lines += [f"{i // 60}:{i % 60:02d},{('LX', 'SQ')[i % 2]},Cue {i},Act {1 + i // 1500}"
              for i in range(3000)]  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")
    wizard = wizard_for(qtbot, db, owner, path)
    for _ in range(4):
        press(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.preview_page.headline.text().startswith("Ready to import 3002 rows")
    with qtbot.waitSignal(wizard.imported, timeout=60000):
        press(qtbot, wizard, QWizard.WizardButton.CommitButton)
    page = wizard.import_page
    whats = [what for _, _, what in page.steps]
    assert whats[0] == "Creating departments" and whats[-1] == "Imported"
    assert "Writing 3002 rows" in whats
    assert page.bar.value() == page.bar.maximum() == 3002
    with db.reading() as session:
        names = session.scalars(select(Script.name).where(Script.show_id == show_id)).all()
    assert "long" in names
    press(qtbot, wizard, QWizard.WizardButton.FinishButton)

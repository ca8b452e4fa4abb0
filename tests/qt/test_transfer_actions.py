"""Import, export, print and show packages reached from the main window's menus."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from tests.support.window import make_window
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(str(tmp_path / "show.sqlite"))
    assert w.shows.scripts_panel.selected_id() is not None
    return w


def _texts(menu: QMenu) -> set[str]:
    texts = set()
    for action in menu.actions():
        texts.add(action.text())
        if action.menu() is not None:
            texts |= _texts(action.menu())
    return texts


def test_the_menus_hold_the_transfer_actions(window: MainWindow) -> None:
    names: set[str] = set()
    for top in window.menuBar().actions():
        if top.menu() is not None:
            names |= _texts(top.menu())
    for text in (
        "&Import CSV…",
        "E&xport Script as CSV…",
        "Save Calling Script as PDF…",
        "Save Cue Sheets as PDF…",
        "Export Show Package…",
        "Import Show Package…",
    ):
        assert text in names, text


def test_export_csv_then_import_it_back_as_a_new_script(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    script_id = window.shows.scripts_panel.selected_id()
    assert script_id is not None
    target = tmp_path / "tech.csv"
    assert window.transfers.save_csv(script_id, str(target))
    text = target.read_text(encoding="utf-8-sig")
    assert "LX" in text and "'-0:30:00" in text
    window.menu_actions["import_csv"].trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    wizard.reject()


def test_pdf_and_cue_sheets(window: MainWindow, tmp_path: Path) -> None:
    script_id = window.shows.scripts_panel.selected_id()
    assert script_id is not None
    pdf = tmp_path / "script.pdf"
    assert window.transfers.save_pdf(script_id, str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Macbeth" in text and "SAFETY" in text
    folder = tmp_path / "sheets"
    assert window.transfers.save_cue_sheets(script_id, str(folder))
    assert len(list(folder.glob("*.pdf"))) >= 6
    assert "cue sheets" in window.statusBar().currentMessage()


def test_a_package_goes_to_another_database_and_back(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    package = tmp_path / "macbeth.cmshow"
    assert window.transfers.save_package("Macbeth", str(package))
    window.open_database_url(str(tmp_path / "laptop.sqlite"), sample_on_create=False)
    assert window.shows.model.rowCount() == 0
    assert window.transfers.open_package(str(package))
    assert window.shows.model.rowCount() == 1
    # The same package again: the window asks whether to update or copy.
    assert not window.transfers.open_package(str(package))
    box = window.transfers.question
    assert box is not None and box.isVisible()
    copy = next(b for b in box.buttons() if b.text() == "Import as a Copy")
    copy.click()
    qtbot.waitUntil(lambda: window.shows.model.rowCount() == 2)
    assert isinstance(box, QMessageBox)


def test_unwritable_target_is_said_in_the_window(window: MainWindow, tmp_path: Path) -> None:
    script_id = window.shows.scripts_panel.selected_id()
    assert script_id is not None
    assert not window.transfers.save_csv(script_id, str(tmp_path / "no such folder" / "x.csv"))
    assert "x.csv" in window.message_bar.message
    assert not (tmp_path / "no such folder").exists()

"""The main window on the sample show, its lists and the File menu's paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from callmaster_desktop.db.migrate import SchemaState, schema_state
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def _walk(model: object, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
    count = 0
    for row in range(model.rowCount(parent)):  # type: ignore[attr-defined]
        count += 1 + _walk(model, model.index(row, 0, parent))  # type: ignore[attr-defined]
    return count


def test_first_run_shows_the_sample_show(
    window: MainWindow, tmp_path: Path, qtmodeltester: object
) -> None:
    window.open_database_url(str(tmp_path / "first.sqlite"))
    assert window.shows.model.rowCount() == 1
    assert window.shows.form.heading.text() == "Macbeth"
    scripts = window.shows.scripts_panel
    assert scripts.model.record_at(0)["name"] == "Tech Script"  # type: ignore[index]
    assert scripts.selected_id() is not None
    tree = window.shows.tree_model
    assert _walk(tree) >= 150
    qtmodeltester.check(tree)  # type: ignore[attr-defined]
    first = tree.index(0, 2)
    assert first.data() == "Pre-show"
    for page, least in ((window.venues, 1), (window.departments, 6), (window.crew, 11)):
        assert page.model.rowCount() >= least
        qtmodeltester.check(page.model)  # type: ignore[attr-defined]
        qtmodeltester.check(page.proxy)  # type: ignore[attr-defined]
    assert "Created a new database" in window.statusBar().currentMessage()


def test_safety_cues_stand_out(window: MainWindow, tmp_path: Path) -> None:
    window.open_database_url(str(tmp_path / "first.sqlite"))
    tree = window.shows.tree_model
    found = []

    def visit(parent: QModelIndex) -> None:
        for row in range(tree.rowCount(parent)):
            index = tree.index(row, 5, parent)
            if index.data() == "⚠ SAFETY":
                found.append(index.data(Qt.ItemDataRole.BackgroundRole))
            visit(tree.index(row, 0, parent))

    visit(QModelIndex())
    assert len(found) >= 4 and all(brush is not None for brush in found)


def test_search_filters_the_crew(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    window.open_database_url(str(tmp_path / "first.sqlite"))
    window.nav.setCurrentRow(3)
    page = window.crew
    total = page.proxy.rowCount()
    qtbot.keyClicks(page.search, "fly operator")
    assert 0 < page.proxy.rowCount() < total
    for row in range(page.proxy.rowCount()):
        assert page.proxy.index(row, 1).data() == "Fly Operator"


def test_new_database_is_empty_and_open_switches(window: MainWindow, tmp_path: Path) -> None:
    window.open_database_url(str(tmp_path / "first.sqlite"))
    window.open_database_url(str(tmp_path / "blank.sqlite"), sample_on_create=False)
    assert window.shows.model.rowCount() == 0
    assert window.shows.form.heading.text() == "New show"
    assert window.db is not None and "blank.sqlite" in window.db.description
    window.open_database_url(str(tmp_path / "first.sqlite"))
    assert window.shows.model.rowCount() == 1


def test_a_file_that_is_not_a_database_is_refused_in_the_window(
    window: MainWindow, tmp_path: Path
) -> None:
    window.open_database_url(str(tmp_path / "first.sqlite"))
    bogus = tmp_path / "cue sheet.sqlite"
    bogus.write_text("LX 1, GO\n")
    window._open_safely(str(bogus), sample_on_create=False)
    assert "not a database file" in window.message_bar.message
    assert bogus.read_text() == "LX 1, GO\n"
    assert window.db is not None and "first.sqlite" in window.db.description
    assert window.shows.model.rowCount() == 1


def test_server_database_opens_in_the_window(window: MainWindow, db_url: str) -> None:
    window.open_database_url(db_url, sample_on_create=False)
    assert schema_state(db_url)[0] is SchemaState.CURRENT
    assert window.shows.model.rowCount() == 0
    assert window.crew.model.rowCount() == 1  # me
    assert "(you)" in window.crew.model.index(0, 0).data()

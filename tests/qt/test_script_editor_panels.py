"""The editor's panels and view: filters, history, bulk edits, script information,
revisions, typed input that is refused, clock times, remembered columns and folds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from support.script_editor import (
    CTRL,
    EDITING,
    OFFSCREEN_NOISE,
    SHIFT,
    answer,
    cell_point,
    click_row,
    labels,
    open_editor,
    row_of,
)

from benchmarks.script_factory import BuiltScript
from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import ElementType, Priority, TimeDisplay
from callmaster_desktop.services.preferences import Preferences
from callmaster_desktop.services.script_state import read_elements
from tests.support.faults import dump_tables
from ui.script_editor.editor import ScriptEditor
from ui.script_editor.rows import Col

pytestmark = [
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE),
    pytest.mark.usefixtures("close_script_editors"),
]
SCRIPT_ROWS = 120


@pytest.fixture
def backend() -> str:
    """These run on SQLite; the tech-week story runs on both databases."""
    return "sqlite"


def cues(editor: ScriptEditor, initials: str) -> list[str]:
    return [label for label in labels(editor) if label.startswith(initials + " ")]


def test_filters_by_department_kind_priority_and_text(
    qtbot: QtBot, editor: ScriptEditor, built: BuiltScript
) -> None:
    total = editor.model.rowCount()
    qtbot.mouseClick(
        editor.filter_bar.department_chip(built.departments["SQ"]), Qt.MouseButton.LeftButton
    )
    shown = editor.model.shown
    assert {e.element_type for e in shown} == {ElementType.CUE, ElementType.GROUP}
    assert all(
        label.startswith("SQ ")
        for label in labels(editor)
        if " " in label and label.split()[0].isupper() and not label.startswith("Scene")
    )
    assert editor.filter_bar.count.text() == f"Showing {len(shown):,} of {total:,} rows"
    editor.filter_bar.clear()
    hazard = next(e for e in editor.model.elements if e.element_type is ElementType.CUE)
    editor.edit_cell(hazard.id, Col.PRIORITY, "safety")
    editor.filter_bar.priority_action(Priority.SAFETY).trigger()
    safety = [e for e in editor.model.shown if e.element_type is ElementType.CUE]
    assert safety and all(e.priority is Priority.SAFETY for e in safety)
    editor.filter_bar.clear()
    qtbot.keyClicks(editor.filter_bar.search, "thunder roll")
    qtbot.waitUntil(lambda: editor.model.rowCount() < total)
    names = [e.name for e in editor.model.shown if e.element_type is not ElementType.GROUP]
    assert names and all("thunder roll" in n.lower() for n in names)
    qtbot.keyClick(editor.view, Qt.Key.Key_F, CTRL | SHIFT)
    assert editor.model.rowCount() == total


def test_the_history_list_reverts_and_redoes_to_a_clicked_step(
    qtbot: QtBot, editor: ScriptEditor
) -> None:
    lx = cues(editor, "LX")[:3]
    for label in lx:
        click_row(qtbot, editor, label)
        qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.history.list.count() == 4
    editor.panels.setCurrentWidget(editor.history)
    editor.history.click_step(1)
    assert len(editor.session.history) == 1 and lx[1] in labels(editor)
    assert editor.history.list.item(3).toolTip().startswith("Undone")
    editor.history.click_step(3)
    assert len(editor.session.history) == 3 and not set(lx) & set(labels(editor))
    editor.history.click_step(0)
    assert not editor.isWindowModified()


def test_the_bulk_panel_changes_the_chosen_rows_in_one_step(
    qtbot: QtBot, editor: ScriptEditor, built: BuiltScript
) -> None:
    taken = {label.split()[1] for label in cues(editor, "FLY")}
    a, b = [label for label in cues(editor, "LX") if label.split()[1] not in taken][:2]
    click_row(qtbot, editor, a)
    click_row(qtbot, editor, b, modifier=CTRL)
    assert editor.bulk.summary.text().startswith("<b>2 rows (2 cues)</b> chosen")
    editor.bulk.choose_department(built.departments["FLY"])
    qtbot.mouseClick(editor.bulk.set_department, Qt.MouseButton.LeftButton)
    assert editor.session.history[-1] == "Set the department of 2 cues to FLY"
    editor.bulk.priority.setCurrentIndex(editor.bulk.priority.findData("critical"))
    qtbot.mouseClick(editor.bulk.set_priority, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.bulk.swatches["#2E9E5B"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.bulk.location, "Fly floor")
    qtbot.keyClick(editor.bulk.location, Qt.Key.Key_Return)
    chosen = [editor.model.element(i) for i in editor.view.selected_ids()]
    assert all(
        e is not None
        and e.priority is Priority.CRITICAL
        and e.color == "#2E9E5B"
        and e.location == "Fly floor"
        for e in chosen
    )
    assert len(editor.session.history) == 4


def test_script_information_and_counts(qtbot: QtBot, editor: ScriptEditor) -> None:
    editor.panels.setCurrentWidget(editor.info)
    qtbot.waitUntil(lambda: bool(editor.info.counts))
    cue_rows = [e for e in editor.model.elements if e.element_type is ElementType.CUE]
    assert sum(editor.info.counts.values()) == len(cue_rows)
    assert "Running time" in editor.info.running.text()
    editor.info.name.selectAll()
    qtbot.keyClicks(editor.info.name, "Tech Script v2")
    editor.info.status.setCurrentIndex(editor.info.status.findData("final"))
    qtbot.mouseClick(editor.info.apply, Qt.MouseButton.LeftButton)
    assert editor.session.history == ["Changed the script's name and status"]
    assert editor.windowTitle().startswith("Tech Script v2")
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL)
    assert editor.info.name.text() == "Tech Script"


def test_restoring_and_comparing_with_a_revision(qtbot: QtBot, editor: ScriptEditor) -> None:
    first = labels(editor)[0]
    click_row(qtbot, editor, first, Col.NAME)
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    editor.panels.setCurrentWidget(editor.revisions)
    assert [r.number for r in editor.revisions.revisions] == [2, 1]
    editor.revisions.choose(1)
    qtbot.mouseClick(editor.revisions.now_button, Qt.MouseButton.LeftButton)
    assert "removed" in editor.revisions.result.toPlainText()
    qtbot.mouseClick(editor.revisions.restore_button, Qt.MouseButton.LeftButton)
    assert labels(editor)[0] == first and editor.session.history[-1].startswith(
        "Restored revision 1"
    )
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, CTRL)
    assert labels(editor)[0] != first


def test_typed_mistakes_are_refused_and_change_nothing(
    qtbot: QtBot, db: Database, editor: ScriptEditor
) -> None:
    stored = dump_tables(db)
    a, b = cues(editor, "LX")[:2]
    click_row(qtbot, editor, a, Col.TIME)
    qtbot.keyClick(editor.view, "1")  # typing opens the cell...
    line = editor.view.indexWidget(editor.view.currentIndex())
    qtbot.keyClicks(line, ":75")  # ...and goes on in it
    assert line.text() == "1:75"  # type: ignore[attr-defined]
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.view.state() == EDITING  # the validator keeps it open
    assert "Cannot read" in editor.statusBar().currentMessage()
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    click_row(qtbot, editor, a, Col.CUE)
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    line = editor.view.indexWidget(editor.view.currentIndex())
    line.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(line, b.split()[1])
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.state() != EDITING)
    assert editor.message_bar.message.startswith(f"{b} is already used by another cue")
    assert editor.session.history == [] and dump_tables(db) == stored


def test_clock_times_read_and_write_from_the_planned_start(
    qtbot: QtBot, db: Database, built: BuiltScript
) -> None:
    editor = open_editor(
        qtbot,
        db,
        built.owner_id,
        built.script_id,
        Preferences(time_display=TimeDisplay.CLOCK, clock_24h=True),
    )
    start = editor.session.info.start_time
    assert start is not None
    label = cues(editor, "LX")[0]
    e = editor.model.element(editor.model.id_at(row_of(editor, label)))  # type: ignore[arg-type]
    assert e is not None
    shown = editor.model.index(row_of(editor, label), Col.TIME).data()
    assert shown.count(":") == 2 and len(shown) == 8  # 19:32:05
    click_row(qtbot, editor, label, Col.TIME)
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    line = editor.view.indexWidget(editor.view.currentIndex())
    line.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(line, "19:45")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.state() != EDITING)
    moved = editor.model.element(e.id)
    assert moved is not None
    local = start.astimezone()
    expected = local.replace(hour=19, minute=45, second=0, microsecond=0) - local
    assert moved.offset_ms == int(expected.total_seconds() * 1000)


def test_columns_and_folds_are_remembered_by_this_computer_not_the_script(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    stored = dump_tables(db)
    header = editor.view.horizontalHeader()
    header.moveSection(header.visualIndex(Col.NOTES), 0)
    header.resizeSection(Col.NAME, 420)
    act = next(label for label in labels(editor) if label.startswith("Act"))
    click_row(qtbot, editor, act, Col.TIME)
    qtbot.keyClick(editor.view, Qt.Key.Key_Left, CTRL)
    folded = editor.model.rowCount()
    editor.close()
    again = open_editor(qtbot, db, built.owner_id, built.script_id)
    header = again.view.horizontalHeader()
    assert header.logicalIndex(0) == Col.NOTES and header.sectionSize(Col.NAME) == 420
    assert again.model.rowCount() == folded
    assert dump_tables(db) == stored  # nothing of the viewer's went into the script


def test_a_drop_out_of_time_order_can_keep_its_time_or_be_cancelled(
    qtbot: QtBot, editor: ScriptEditor
) -> None:
    shown = labels(editor)
    moving = next(label for label in shown[2:] if label.startswith(("LX ", "SQ ")))
    at = shown.index(moving)
    onto = next(
        label
        for label in shown[at + 6 : at + 16]
        if label.split()[0].isupper() and label.split()[-1][0].isdigit()
    )
    before = list(editor.session.elements)

    def drag() -> None:
        click_row(qtbot, editor, moving, Col.NAME)
        viewport = editor.view.viewport()
        start = cell_point(editor, row_of(editor, moving), Col.NAME)
        end = cell_point(editor, row_of(editor, onto), Col.NAME) + QPoint(0, 9)  # lower edge
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        qtbot.mouseMove(viewport, start + QPoint(0, 12))
        qtbot.mouseMove(viewport, end)
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    drag()
    assert editor.question is not None and "out of time order" in editor.question.text()
    answer(qtbot, editor, "cancel")
    assert list(editor.session.elements) == before
    drag()
    answer(qtbot, editor, "keep")
    assert labels(editor)[labels(editor).index(onto) + 1] == moving
    assert len(editor.session.history) == 1
    assert editor.session.history[0].startswith(f"Moved {moving} ")


def test_a_filter_never_hides_an_edit_from_the_save(
    qtbot: QtBot, db: Database, built: BuiltScript, editor: ScriptEditor
) -> None:
    lx = built.departments["LX"]
    qtbot.mouseClick(editor.filter_bar.department_chip(lx), Qt.MouseButton.LeftButton)
    scene = next(
        e
        for e in editor.model.shown
        if e.element_type is ElementType.GROUP and e.parent_id is not None
    )
    hidden = [
        e
        for e in editor.model.elements
        if e.parent_id == scene.id and editor.model.row_of(e.id) < 0
    ]
    assert hidden  # rows of the scene the filter does not show
    click_row(qtbot, editor, editor.model.row_text(scene)[Col.NAME], Col.NAME)
    qtbot.keyClicks(editor.bulk.shift, "+0:05")
    qtbot.keyClick(editor.bulk.shift, Qt.Key.Key_Return)
    qtbot.keyClick(editor.view, Qt.Key.Key_S, CTRL)
    with db.reading() as session:
        stored = {e.id: e for e in read_elements(session, built.script_id)}
    assert all(stored[e.id].offset_ms == e.offset_ms + 5_000 for e in hidden)


def test_new_preferences_show_at_once(editor: ScriptEditor) -> None:
    cue = next(e for e in editor.model.shown if e.element_type is ElementType.CUE)
    row = editor.model.row_of(cue.id)
    offset_text = editor.model.index(row, Col.TIME).data()
    editor.apply_preferences(
        Preferences(
            time_display=TimeDisplay.CLOCK, colorize_departments=False, autosave_interval_s=0
        )
    )
    assert editor.model.index(row, Col.TIME).data() != offset_text
    assert not editor.delegate.colorize and not editor.autosave.isActive()

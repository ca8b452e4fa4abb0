"""The calling screen driven with real key presses, on a fake clock, against a real database.

A whole short show is called (countdown, pre-show cues, curtain up, a group
that fires together, the last cue, End Run), and what the screen did is read
back from the database the run was written to as it happened.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from support.calling_screen import (
    GO_TIMES,
    START,
    ShortShow,
    fake_clock,
    key,
    make_short_show,
    press_go,
)
from support.faults import dump_tables, fail_at_statement
from support.window import OFFSCREEN_NOISE, make_window

from callmaster_desktop.calling import quiet_gc
from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.records import RunLog, find_unfinished_run, read_run
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person
from callmaster_desktop.domain.enums import CallOutcome, RunStatus
from callmaster_desktop.domain.timeoffset import parse_offset
from ui.calling import is_run_active
from ui.calling.calling_screen import CallingScreen
from ui.calling.script_rows import CLOCK, STATUS

# The offscreen platform cannot raise a window; bringing one forward says so.
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "does not support raise")

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def show(db: Database, owner: Person) -> ShortShow:
    return make_short_show(db, owner.id)


@pytest.fixture
def clock() -> FakeClock:
    return fake_clock()


@pytest.fixture
def screen(
    qtbot: QtBot, db: Database, show: ShortShow, clock: FakeClock
) -> Iterator[CallingScreen]:
    opened = open_screen(qtbot, db, show, clock)
    yield opened
    opened.control.release()  # a run left going: its writer stops, the registry forgets it


def open_screen(qtbot: QtBot, db: Database, show: ShortShow, clock: FakeClock) -> CallingScreen:
    s = CallingScreen(db, show.owner_id, show.script_id, clock=clock)
    qtbot.addWidget(s)
    s.show()
    qtbot.waitExposed(s)
    return s


def advance_to(screen: CallingScreen, clock: FakeClock, show_clock: str) -> None:
    """Let the fake clock run until the show clock reads ``show_clock``; the timer's poll."""
    now = screen.control.show_ms()
    assert now is not None
    clock.advance(parse_offset(show_clock) - now)
    screen.control.poll()


def start_countdown(qtbot: QtBot, screen: CallingScreen) -> None:
    key(qtbot, screen, K.Key_T, CTRL)
    assert screen.control.engine.is_counting_down


def _seconds(hh_mm_ss: str) -> int:
    hours, minutes, seconds = (int(p) for p in hh_mm_ss.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def recorded(db: Database, show: ShortShow, run_id: uuid.UUID) -> list[str]:
    """The labels in the run log as it is in the database now (nothing waited for)."""
    return [c.label for c in read_run(db, show.owner_id, run_id).calls]


def written(screen: CallingScreen) -> None:
    """Wait until the run log's writer thread has committed everything queued so far."""
    assert screen.control.flush_log(10.0), screen.control.write_problem


def labels_called(screen: CallingScreen, show: ShortShow) -> list[str]:
    written(screen)
    run_id = screen.control.run_id
    assert run_id is not None
    return recorded(screen.db, show, run_id)


def log_of(screen: CallingScreen, show: ShortShow) -> RunLog:
    written(screen)
    run_id = screen.control.run_id
    assert run_id is not None
    return read_run(screen.db, show.owner_id, run_id)


def start_run(qtbot: QtBot, screen: CallingScreen) -> uuid.UUID:
    """Ctrl+Return: start the run now (the curtain is up); its id."""
    key(qtbot, screen, K.Key_Return, CTRL)
    run_id = screen.control.run_id
    assert run_id is not None
    return run_id


def test_a_whole_short_show_called_with_the_keyboard(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    ui = screen.ui
    frozen = quiet_gc.frozen_runs()
    assert ui.pill.text() == "READY" and ui.start_bar.isVisible()
    assert not screen.is_run_active and screen.control.run_id is None
    start_countdown(qtbot, screen)
    assert ui.clock.show_clock.text() == "T-00:10:00"
    assert ui.pill.text() == "COUNTDOWN" and not ui.start_bar.isVisible()
    assert screen.is_run_active and is_run_active(show.script_id)
    assert quiet_gc.frozen_runs() == frozen + 1  # no long garbage collections in the show
    run_id = screen.control.run_id
    assert run_id is not None
    for at in GO_TIMES:
        advance_to(screen, clock, at)
        if at == "0:00":
            assert ui.pill.text() == "RUNNING"
            assert ui.clock.show_clock.text() == "0:00:00"
        moment = [c.label for c in screen.control.engine.next_moment()]
        assert ui.next.labels.text().replace("⚠ ", "").split() == " ".join(moment).split()
        press_go(qtbot, screen)
        # Written at each call, by the writer thread, without anyone waiting for it.
        qtbot.waitUntil(lambda m=moment: recorded(db, show, run_id)[-len(m) :] == m, timeout=3_000)
    assert ui.next.labels.text() == "No more cues"
    clock.advance(1_000)
    press_go(qtbot, screen)
    assert "last one" in ui.notice.text()
    key(qtbot, screen, K.Key_E, CTRL)
    assert screen.dialog is not None and screen.dialog.isVisible()
    screen.dialog.choose("End the Run")
    assert screen.control.engine.status is RunStatus.COMPLETE
    assert not screen.is_run_active and not is_run_active(show.script_id)
    assert quiet_gc.frozen_runs() == frozen
    log = read_run(db, show.owner_id, run_id)  # the end of the run waited for the writer
    assert log.status is RunStatus.COMPLETE and log.started_at == START
    assert [c.outcome for c in log.calls] == [CallOutcome.CALLED] * 11
    assert all(c.actual_ms == c.planned_ms for c in log.calls if c.label != "SQ 3")
    storm = next(c for c in log.calls if c.label == "SQ 3")
    assert storm.actual_ms == parse_offset("0:40")  # called with LX 3, by one GO
    assert screen.report_view is not None and screen.report_view.isVisible()
    assert "Act 1" in screen.report_view.text()


def test_the_go_key_must_be_released_and_gos_too_close_are_ignored(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    key(qtbot, screen, K.Key_Return, CTRL)  # start now: the curtain is up
    run_id = screen.control.run_id
    assert run_id is not None and screen.control.engine.status is RunStatus.RUNNING
    qtbot.keyPress(screen, K.Key_Space)
    clock.advance(1_000)
    qtbot.keyPress(screen, K.Key_Space)  # a second press, the key never released
    assert "Release the GO key" in screen.ui.notice.text()
    assert labels_called(screen, show) == ["LX 1"]
    qtbot.keyRelease(screen, K.Key_Space)
    press_go(qtbot, screen)
    assert labels_called(screen, show) == ["LX 1", "SQ 1"]
    clock.advance(120)
    press_go(qtbot, screen)  # 120 ms after the last GO
    assert "GO ignored" in screen.ui.notice.text()
    assert labels_called(screen, show) == ["LX 1", "SQ 1"]
    clock.advance(300)
    press_go(qtbot, screen)
    assert labels_called(screen, show) == ["LX 1", "SQ 1", "LX 2", "SQ 2"]


def test_autorepeat_of_a_held_space_bar_is_not_a_go(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    key(qtbot, screen, K.Key_Return, CTRL)
    qtbot.keyPress(screen, K.Key_Space)
    for _ in range(5):
        clock.advance(500)
        for kind in (QEvent.Type.KeyRelease, QEvent.Type.KeyPress):
            event = QKeyEvent(kind, K.Key_Space, Qt.KeyboardModifier.NoModifier, " ", True)
            QApplication.sendEvent(screen, event)
    qtbot.keyRelease(screen, K.Key_Space)
    assert screen.control.run_id is not None
    assert labels_called(screen, show) == ["LX 1"]
    assert screen.ui.notice.text() == ""


def test_hold_and_resume_with_h(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    start_countdown(qtbot, screen)
    advance_to(screen, clock, "0:10")
    model = screen.ui.model
    lx4_row = model.row_of_cue(7)
    clock_before = model.data(model.index(lx4_row, CLOCK))
    key(qtbot, screen, K.Key_H)
    assert screen.control.engine.status is RunStatus.HELD
    assert screen.ui.banner.isVisible() and screen.ui.banner.title.text().startswith("HOLD")
    assert screen.ui.keys["hold"].words() == "Resume"
    clock.advance(30_000)
    screen.control.poll()
    assert screen.ui.clock.show_clock.text() == "0:00:10"  # the show clock stands still
    assert screen.ui.banner.title.text() == "HOLD  0:30"
    key(qtbot, screen, K.Key_H)
    assert screen.control.engine.status is RunStatus.RUNNING
    assert not screen.ui.banner.isVisible()
    clock.advance(5_000)
    screen.control.poll()
    assert screen.ui.clock.show_clock.text() == "0:00:15"
    # Later clock times slipped by the hold; planned offsets did not move.
    clock_after = model.data(model.index(lx4_row, CLOCK))
    assert _seconds(clock_after) - _seconds(clock_before) == 30
    log = log_of(screen, show)
    assert [(h.reason, h.length_ms, h.show_ms) for h in log.holds] == [("Hold", 30_000, 10_000)]
    assert log.total_hold_ms == 30_000


def test_a_hold_with_a_reason_and_a_callers_note(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    key(qtbot, screen, K.Key_Return, CTRL)
    press_go(qtbot, screen)
    key(qtbot, screen, K.Key_H, Qt.KeyboardModifier.ShiftModifier)
    prompt = screen.ui.hold_prompt
    assert prompt.isVisible()
    qtbot.keyClicks(prompt.edit, "Late house")
    key(qtbot, prompt.edit, K.Key_Return)
    assert screen.control.engine.status is RunStatus.HELD and not prompt.isVisible()
    assert "Late house" in screen.ui.banner.detail.text()
    clock.advance(1_000)
    key(qtbot, screen, K.Key_N)
    note = screen.ui.note
    assert note.isVisible() and note.about.currentText() == "about LX 1"
    qtbot.keyClicks(note.edit, "LX 1 a beat late")
    press_go(qtbot, note.edit)  # Space types into the note: no GO
    key(qtbot, note.edit, K.Key_Return)
    assert not note.isVisible() and screen.ui.notice.text() == "Note saved."
    log = log_of(screen, show)
    assert [(n.label, n.text) for n in log.notes] == [("LX 1", "LX 1 a beat late")]
    assert [h.reason for h in log.holds] == ["Late house"]
    assert [c.label for c in log.calls] == ["LX 1"]


def test_escape_stops_for_safety_and_asks_before_leaving_the_run(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    start_run(qtbot, screen)
    press_go(qtbot, screen)
    clock.advance(2_000)
    key(qtbot, screen, K.Key_Escape)
    assert screen.control.engine.status is RunStatus.SAFETY_STOP
    assert screen.ui.banner.title.text().startswith("SAFETY STOP")
    assert not screen.ui.buttons["go"].isEnabled()
    clock.advance(1_000)
    press_go(qtbot, screen)
    assert "Safety stop" in screen.ui.notice.text()
    assert labels_called(screen, show) == ["LX 1"]
    key(qtbot, screen, K.Key_Escape)  # again: asks before leaving the run
    question = screen.dialog
    assert question is not None and question.isVisible()
    assert question.windowTitle() == "End the run?"
    written(screen)
    before = dump_tables(db)
    key(qtbot, question, K.Key_Escape)  # no: the run goes on
    assert not question.isVisible() and dump_tables(db) == before
    assert screen.control.engine.status is RunStatus.SAFETY_STOP
    key(qtbot, screen, K.Key_H)  # resume asks first (a safety stop)
    assert screen.dialog is not None and screen.dialog.windowTitle() == "Resume the show?"
    screen.dialog.choose("Resume the Show")
    assert screen.control.engine.status is RunStatus.RUNNING
    clock.advance(1_000)
    press_go(qtbot, screen)
    assert labels_called(screen, show) == ["LX 1", "SQ 1"]
    log = log_of(screen, show)
    assert [(h.safety, h.length_ms) for h in log.holds] == [(True, 1_000)]


def test_arrows_move_the_pointer_without_calling_and_j_jumps(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    start_run(qtbot, screen)
    engine = screen.control.engine
    key(qtbot, screen, K.Key_Down)
    key(qtbot, screen, K.Key_Down)
    assert [c.label for c in engine.next_moment()] == ["LX 2", "SQ 2"]
    key(qtbot, screen, K.Key_Up)
    assert engine.next_cue is not None and engine.next_cue.label == "SQ 1"
    assert labels_called(screen, show) == []
    key(qtbot, screen, K.Key_J)
    picker = screen.ui.picker
    assert picker.isVisible()
    qtbot.keyClicks(picker.edit, "lx 4")
    key(qtbot, picker.edit, K.Key_Return)
    assert not picker.isVisible()
    assert engine.next_cue is not None and engine.next_cue.label == "LX 4"
    assert labels_called(screen, show) == []  # jumping calls nothing, skips nothing
    row = screen.ui.model.pointer_row()
    assert row is not None
    assert screen.ui.model.data(screen.ui.model.index(row, STATUS)).startswith("NEXT")
    key(qtbot, screen, K.Key_J)
    qtbot.keyClicks(picker.edit, "LX 5")
    key(qtbot, picker.edit, K.Key_Return, CTRL)  # skip to: the cues passed are skipped
    assert engine.next_cue is not None and engine.next_cue.label == "LX 5"
    log = log_of(screen, show)
    assert [(c.label, c.outcome) for c in log.calls] == [("LX 4", CallOutcome.SKIPPED)]
    key(qtbot, screen, K.Key_S)  # skip the next cue
    assert engine.next_cue is not None and engine.next_cue.label == "SQ 4"
    assert labels_called(screen, show) == ["LX 4", "LX 5"]


def test_the_department_filter_and_the_script_models(
    qtbot: QtBot, screen: CallingScreen, show: ShortShow, clock: FakeClock, qtmodeltester: object
) -> None:
    ui = screen.ui
    qtmodeltester.check(ui.model)  # type: ignore[attr-defined]
    qtmodeltester.check(ui.proxy)  # type: ignore[attr-defined]
    assert ui.proxy.rowCount() == ui.model.rowCount() == 16
    ui.department_actions[show.departments["FLY"]].trigger()
    shown = [ui.proxy.index(r, 2).data() for r in range(ui.proxy.rowCount())]
    assert [s for s in shown if s and s != "Note"] == ["FLY 1"]
    assert ui.departments.text().startswith("Departments: FLY")
    ui.department_actions[show.departments["SQ"]].trigger()
    shown = [ui.proxy.index(r, 2).data() for r in range(ui.proxy.rowCount())]
    assert [s for s in shown if s and s != "Note"] == ["SQ 1", "SQ 2", "FLY 1", "SQ 3", "SQ 4"]
    qtmodeltester.check(ui.proxy)  # type: ignore[attr-defined]
    ui.filter_departments(frozenset())
    assert ui.proxy.rowCount() == 16
    key(qtbot, screen, K.Key_J)
    qtmodeltester.check(ui.picker.model)  # type: ignore[attr-defined]
    qtmodeltester.check(ui.picker.proxy)  # type: ignore[attr-defined]


def test_past_rows_are_dimmed_and_overdue_cues_flagged(
    qtbot: QtBot, screen: CallingScreen, clock: FakeClock
) -> None:
    start_countdown(qtbot, screen)
    advance_to(screen, clock, "-5:00")
    press_go(qtbot, screen)
    advance_to(screen, clock, "0:03")  # SQ 1 (-0:30) and LX 2 + SQ 2 (0:00) not called
    model, look = screen.ui.model, screen.look
    lx1 = model.row_of_cue(0)
    assert model.data(model.index(lx1, STATUS)) == "GO +0:00"
    dim = model.data(model.index(lx1, 3), Qt.ItemDataRole.ForegroundRole)
    assert dim.color().name() == look.dim
    assert model.data(model.index(model.row_of_cue(1), STATUS)) == "NEXT · late 0:33"
    assert model.data(model.index(model.row_of_cue(2), STATUS)) == "OVERDUE +0:03"
    assert [c.label for c in screen.control.overdue()] == ["SQ 1", "LX 2", "SQ 2"]
    assert screen.ui.standby.sentence.text().startswith("Standby SQ 1, SQ 2")


def test_the_timer_wakes_at_the_next_change_not_in_a_busy_loop(
    qtbot: QtBot, screen: CallingScreen, clock: FakeClock
) -> None:
    control = screen.control
    assert control.timer.isActive() and control.timer.isSingleShot()
    start_countdown(qtbot, screen)
    advance_to(screen, clock, "-0:01.250")  # the curtain goes up in 1.25 s
    assert control.timer.interval() == 250  # the next whole second of the countdown
    clock.advance(800)
    control.poll()
    assert control.timer.interval() == 450  # the countdown reaches zero then
    clock.advance(450)
    control.poll()
    assert control.engine.status is RunStatus.RUNNING
    key(qtbot, screen, K.Key_H)
    assert 0 < control.timer.interval() <= 1_000  # held: only the clocks on screen tick


def test_the_crew_display_shows_the_chosen_departments(
    qtbot: QtBot, screen: CallingScreen, show: ShortShow, clock: FakeClock
) -> None:
    key(qtbot, screen, K.Key_C)
    crew = screen.crew_window
    assert crew is not None and crew.isVisible()
    qtbot.addWidget(crew)
    assert set(crew.lanes) == {show.departments[d] for d in ("LX", "SQ", "FLY")}
    lx, fly = show.departments["LX"], show.departments["FLY"]
    crew.set_departments([lx, fly])
    assert list(crew.lanes) == [fly, lx]  # by department name: Fly, Lighting
    assert crew.status.text() == "STAND BY FOR THE START"
    start_countdown(qtbot, screen)
    advance_to(screen, clock, "-5:10")
    assert crew.lane_text(lx) == "STANDBY 1 in 0:10"
    assert crew.lane_text(fly) == "—"
    clock.advance(10_000)
    press_go(qtbot, screen)
    assert crew.lane_text(lx) == "GO 1"
    clock.advance(5_000)
    screen.control.poll()
    assert crew.lane_text(lx) == "—"  # SQ 1 is next: not a Lighting cue
    for at in ("-0:30", "0:00"):
        advance_to(screen, clock, at)
        press_go(qtbot, screen)
    advance_to(screen, clock, "0:05")
    assert crew.lane_text(fly) == "STANDBY ⚠ 1 in 0:15"
    key(qtbot, screen, K.Key_H)
    assert crew.status.text() == "HOLD"
    key(qtbot, screen, K.Key_Escape)
    assert crew.status.text() == "SAFETY STOP"


def test_reopening_offers_to_continue_the_run_left_unfinished(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    run_id = start_run(qtbot, screen)
    press_go(qtbot, screen)
    clock.advance(1_000)
    press_go(qtbot, screen)
    clock.advance(2_500)
    noted_at = clock.now()
    key(qtbot, screen, K.Key_N)
    qtbot.keyClicks(screen.ui.note.edit, "Lift slow")
    key(qtbot, screen.ui.note.edit, K.Key_Return)
    screen.close()  # the run is going: asks first
    assert screen.isVisible() and screen.dialog is not None
    screen.dialog.choose("Leave")
    assert not screen.isVisible() and not is_run_active(show.script_id)
    found = find_unfinished_run(db, show.owner_id, show.script_id)
    assert found is not None and found.run_id == run_id
    clock.advance(60_000)
    again = open_screen(qtbot, db, show, clock)
    qtbot.waitUntil(lambda: again.dialog is not None and again.dialog.isVisible())
    assert again.dialog is not None
    assert again.dialog.windowTitle() == "Continue the unfinished run?"
    asked = again.dialog.text.text()
    assert "2 cue(s) recorded and 1 caller's note(s)" in asked
    assert f"[{noted_at.astimezone():%H:%M:%S} · 0:03 SQ 1] Lift slow" in asked
    again.dialog.choose("Continue the Run")
    assert again.control.run_id == run_id and again.is_run_active
    assert again.control.engine.status is RunStatus.RUNNING
    assert again.ui.clock.show_clock.text() == "0:01:03"  # time away counted as running
    assert again.ui.next.labels.text() == "LX 2  SQ 2"
    assert [(n.at, n.text) for n in again.control.engine.notes] == [(noted_at, "Lift slow")]
    press_go(qtbot, again)
    assert labels_called(again, show) == ["LX 1", "SQ 1", "LX 2", "SQ 2"]
    again.control.release()


def test_declining_the_unfinished_run_closes_it_and_a_new_run_starts(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    key(qtbot, screen, K.Key_Return, CTRL)
    first = screen.control.run_id
    press_go(qtbot, screen)
    screen.close()
    assert screen.dialog is not None
    screen.dialog.choose("Leave")
    again = open_screen(qtbot, db, show, clock)
    qtbot.waitUntil(lambda: again.dialog is not None and again.dialog.isVisible())
    assert again.dialog is not None
    before = dump_tables(db)
    key(qtbot, again.dialog, K.Key_Escape)  # neither: nothing changes...
    assert dump_tables(db) == before
    key(qtbot, again, K.Key_Return, CTRL)  # ...and no second run can start beside it
    assert "never ended" in again.ui.notice.text()
    assert dump_tables(db) == before and again.control.run_id is None
    dialog = again.offer_unfinished()
    assert dialog is not None
    dialog.choose("Close It")
    assert read_run(db, show.owner_id, first).status is RunStatus.ABANDONED  # type: ignore[arg-type]
    key(qtbot, again, K.Key_Return, CTRL)
    assert again.control.run_id not in (None, first) and again.is_run_active
    again.control.release()


def test_a_failed_write_is_said_and_written_later(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    run_id = start_run(qtbot, screen)
    written(screen)
    before = dump_tables(db)
    with fail_at_statement(db, 2):  # the writer thread's second statement fails
        press_go(qtbot, screen)
        # The GO was not held up: the show went on at once, the writer fails on its own.
        assert screen.control.engine.next_cue is not None
        assert screen.control.engine.next_cue.label == "SQ 1"
        qtbot.waitUntil(lambda: bool(screen.control.write_problem), timeout=5_000)
        assert dump_tables(db) == before  # nothing half written
    assert "could not be written" in screen.ui.message_bar.message
    assert screen.control.unwritten() >= 1
    clock.advance(1_000)
    press_go(qtbot, screen)  # more calls while behind: they queue after the failed ones
    qtbot.waitUntil(lambda: recorded(db, show, run_id) == ["LX 1", "SQ 1"], timeout=5_000)
    qtbot.waitUntil(lambda: not screen.ui.message_bar.isVisible(), timeout=5_000)
    assert screen.control.write_problem == "" and screen.control.unwritten() == 0


def test_closing_waits_for_the_run_log_and_says_what_it_could_not_write(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    run_id = start_run(qtbot, screen)
    press_go(qtbot, screen)
    clock.advance(1_000)
    key(qtbot, screen, K.Key_E, CTRL)
    assert screen.dialog is not None
    screen.dialog.choose("End the Run")  # the end waits for the writer: the report is whole
    assert screen.control.unwritten() == 0
    assert recorded(db, show, run_id) == ["LX 1"]
    assert read_run(db, show.owner_id, run_id).status is RunStatus.COMPLETE
    assert screen.control.recorder is not None
    screen.close()
    assert not screen.isVisible() and not screen.control.recorder.is_running


def test_call_show_from_the_main_window(
    qtbot: QtBot, tmp_path: Path, db_url: str, show: ShortShow
) -> None:
    window = make_window(qtbot, tmp_path)
    window.open_database_url(db_url)
    window.shows.tabs.setCurrentIndex(1)
    assert window.shows.scripts_panel.selected_id() == show.script_id
    action = window.menu_actions["call_show"]
    assert action.shortcut().toString() == "Ctrl+Shift+G"
    action.trigger()
    screen = window.calling.screen
    assert screen is not None and screen.isVisible()
    qtbot.addWidget(screen)
    assert screen.windowTitle() == "Calling — Macbeth: Tech Script"
    assert screen.ui.model.rowCount() == 16
    screen.close()
    assert not screen.isVisible()


def test_opening_and_closing_without_a_start_leaves_nothing_behind(
    qtbot: QtBot, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    before = dump_tables(db)
    screen = open_screen(qtbot, db, show, clock)
    key(qtbot, screen, K.Key_Down)  # moving the pointer is not a run
    key(qtbot, screen, K.Key_N)  # nor is a note before the start: refused
    assert "start the show first" in screen.ui.notice.text()
    screen.close()
    assert not screen.isVisible() and not is_run_active(show.script_id)
    assert dump_tables(db) == before


def test_a_start_refused_by_the_database_is_said_and_changes_nothing(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow
) -> None:
    from callmaster_desktop.services.scripts import delete_script

    delete_script(db, show.owner_id, show.script_id)  # from another window, meanwhile
    before = dump_tables(db)
    frozen = quiet_gc.frozen_runs()
    key(qtbot, screen, K.Key_Return, CTRL)
    assert "may have been deleted" in screen.ui.notice.text()
    assert screen.control.run_id is None and not screen.is_run_active
    assert not screen.control.engine.has_started and quiet_gc.frozen_runs() == frozen
    assert dump_tables(db) == before


def test_the_screen_follows_the_light_and_dark_theme(qtbot: QtBot, screen: CallingScreen) -> None:
    from PySide6.QtWidgets import QApplication

    from callmaster_desktop.domain.enums import Theme
    from ui.app import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette, dark = app.palette(), app.property("callmaster_dark")
    try:
        apply_theme(Theme.DARK)
        qtbot.waitUntil(lambda: screen.look.dark)
        assert screen.ui.model.look.dark and "#111214" in screen.ui.root.styleSheet()
        apply_theme(Theme.LIGHT)
        qtbot.waitUntil(lambda: not screen.look.dark)
        assert "#ecebe7" in screen.ui.root.styleSheet()
    finally:
        app.setPalette(palette)
        app.setProperty("callmaster_dark", dark)


def test_leaving_with_calls_the_database_has_not_taken_asks_first(
    qtbot: QtBot, screen: CallingScreen, db: Database, show: ShortShow, clock: FakeClock
) -> None:
    from sqlalchemy import event

    run_id = start_run(qtbot, screen)
    written(screen)
    before = dump_tables(db)

    def refuse(*_args: object) -> None:
        raise RuntimeError("disk unplugged")

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        press_go(qtbot, screen)
        qtbot.waitUntil(lambda: bool(screen.control.write_problem), timeout=5_000)
        assert screen.control.unwritten() == 1
        screen.close()  # the run is going: asks first...
        assert screen.dialog is not None and screen.dialog.windowTitle() != ""
        screen.dialog.choose("Leave")
        # ...and then, as the database still refuses, about the calls it has not taken.
        question = screen.dialog
        assert question is not None and question.isVisible() and screen.isVisible()
        assert question.windowTitle() == "Leave without the last calls?"
        assert "last 1 event(s)" in question.text.text()
        question.choose("Leave Anyway")
        assert not screen.isVisible() and not is_run_active(show.script_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert dump_tables(db) == before  # the GO the database never took is not there
    found = find_unfinished_run(db, show.owner_id, show.script_id)
    assert found is not None and found.run_id == run_id and found.calls_recorded == 0

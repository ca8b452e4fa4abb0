"""The run log on SQLite and PostgreSQL: written as it happens, taken up after a crash."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete, func, inspect, select

from callmaster_desktop.calling.clock import FakeClock, ms_between
from callmaster_desktop.calling.engine import CallingEngine, CueState
from callmaster_desktop.calling.records import find_unfinished_run, load_call_plan, read_run
from callmaster_desktop.calling.report import show_report
from callmaster_desktop.calling.runlog import (
    RunLogBehindError,
    RunRecorder,
    begin_run,
    close_run,
    continue_run,
    start_recorded_run,
)
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import CueCall, Person, Run, RunHold
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.profile import find_or_create_profile
from tests.support.calling_runs import kill_child_when, sample_script_id
from tests.support.faults import InjectedFault, dump_tables, fail_at_statement

MINUTE = 60_000


@pytest.fixture
def script_id(db: Database, owner: Person) -> uuid.UUID:
    return sample_script_id(db, owner)


def _plain(row: object) -> Any:
    """A detached copy of a row's columns (the reading session expires what it loaded)."""
    columns = inspect(type(row)).column_attrs
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in columns})


def _fresh_read(db_url: str, run_id: uuid.UUID) -> tuple[Any, list[Any], list[Any]]:
    """Read through a new connection, as another program (or the next start) would."""
    other = open_database(db_url)
    try:
        with other.reading() as s:
            run = s.get(Run, run_id)
            assert run is not None
            calls = s.scalars(
                select(CueCall).where(CueCall.run_id == run_id).order_by(CueCall.called_at)
            )
            holds = s.scalars(select(RunHold).where(RunHold.run_id == run_id))
            return _plain(run), [_plain(c) for c in calls], [_plain(h) for h in holds]
    finally:
        other.dispose()


def test_the_plan_comes_from_the_stored_script(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    plan = load_call_plan(db, owner.id, script_id)
    assert [a.name for a in plan.acts][:3] == ["Pre-show", "Act 1", "Interval"]
    assert len(plan) > 100 and plan.cue_by_label("LX 36.5") is not None
    assert plan.planned_start is not None and plan.script_name
    with db.unit_of_work() as s:
        stranger = find_or_create_profile(s, "someone-else")
    with pytest.raises(NotFoundError):
        load_call_plan(db, stranger.id, script_id)
    with pytest.raises(NotFoundError):
        begin_run(db, stranger.id, script_id)


def test_every_event_is_in_the_database_when_the_action_returns(
    db: Database, db_url: str, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock, kind=RunKind.REHEARSAL)
    run_id = recorder.run_id
    run, calls, _ = _fresh_read(db_url, run_id)
    assert run.status is RunStatus.READY and run.kind is RunKind.REHEARSAL and calls == []
    curtain = clock.now() + timedelta(minutes=50)
    engine.start_at(curtain)
    run, _, _ = _fresh_read(db_url, run_id)
    assert run.scheduled_start == curtain and run.started_at == curtain

    called: list[str] = []
    for _ in range(5):
        clock.advance(1_000)
        called += [c.cue.label for c in engine.go().calls]
        _, calls, _ = _fresh_read(db_url, run_id)
        assert [c.cue_label for c in calls] == called  # written at each call
    first = calls[0]
    assert first.outcome is CallOutcome.CALLED
    assert first.element_id == engine.plan.cues[0].element_id
    assert first.planned_offset_ms == engine.plan.cues[0].offset_ms
    assert (
        first.actual_offset_ms == -50 * MINUTE + 1_000
        and first.called_at == clock.now() - timedelta(seconds=4)
    )

    clock.advance(2_000)
    engine.hold("House is late")
    run, _, holds = _fresh_read(db_url, run_id)
    assert run.status is RunStatus.HELD
    assert [(h.reason, h.length_ms) for h in holds] == [("House is late", None)]
    clock.advance(3 * MINUTE)
    engine.resume()
    run, _, holds = _fresh_read(db_url, run_id)
    assert run.status is RunStatus.READY and holds[0].length_ms == 3 * MINUTE
    assert run.total_hold_ms == 3 * MINUTE and run.started_at == curtain + timedelta(minutes=3)

    skipped = engine.next_cue
    assert skipped is not None
    engine.skip()
    engine.add_note("Front row phone went off", skipped.element_id)
    _, calls, _ = _fresh_read(db_url, run_id)
    assert calls[-1].cue_label == skipped.label and calls[-1].outcome is CallOutcome.SKIPPED
    assert calls[-1].actual_offset_ms is None
    clock.advance(50 * MINUTE)
    engine.tick()
    run, _, _ = _fresh_read(db_url, run_id)
    assert run.status is RunStatus.RUNNING and run.started_at == curtain + timedelta(minutes=3)
    engine.finish()
    log = read_run(db, owner.id, run_id)
    assert log.status is RunStatus.COMPLETE and log.ended_at == clock.now()
    assert [n.label for n in log.notes] == [skipped.label]
    assert log.notes[0].text == "Front row phone went off" and log.notes[0].show_ms is not None
    assert recorder.waiting == 0


def test_a_second_run_waits_until_the_unfinished_one_is_closed(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    engine.start_now()
    clock.advance(MINUTE)
    engine.safety_stop()
    before = dump_tables(db)
    with pytest.raises(ValidationError, match="never ended: continue it or close it first"):
        begin_run(db, owner.id, script_id)
    assert dump_tables(db) == before
    found = find_unfinished_run(db, owner.id, script_id)
    assert found is not None and found.run_id == recorder.run_id
    assert found.status is RunStatus.SAFETY_STOP
    clock.advance(2 * MINUTE)
    close_run(db, owner.id, recorder.run_id, clock)
    log = read_run(db, owner.id, recorder.run_id)
    assert log.status is RunStatus.ABANDONED and log.ended_at == clock.now()
    assert log.holds[0].length_ms == 2 * MINUTE and log.total_hold_ms == 2 * MINUTE
    with pytest.raises(ValidationError, match="already ended"):
        close_run(db, owner.id, recorder.run_id, clock)
    with pytest.raises(ValidationError, match="cannot be continued"):
        continue_run(db, owner.id, recorder.run_id, clock)
    with db.unit_of_work() as s:
        stranger = find_or_create_profile(s, "someone-else").id
    ended = dump_tables(db)
    for refused in (
        lambda: close_run(db, stranger, recorder.run_id, clock),
        lambda: continue_run(db, stranger, recorder.run_id, clock),
        lambda: read_run(db, stranger, recorder.run_id),
    ):
        with pytest.raises(NotFoundError, match="That run is not there"):
            refused()
    assert find_unfinished_run(db, stranger, script_id) is None
    assert dump_tables(db) == ended
    assert find_unfinished_run(db, owner.id, script_id) is None
    assert begin_run(db, owner.id, script_id) != recorder.run_id


def test_a_failed_write_leaves_the_database_as_it_was_and_goes_with_the_next(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    engine.start_now()
    engine.jump_to(load_call_plan(db, owner.id, script_id).cues[10].element_id)
    before = dump_tables(db)
    clock.advance(1_000)
    with fail_at_statement(db, 2), pytest.raises(RunLogBehindError, match="show goes on"):
        engine.go()
    assert dump_tables(db) == before
    assert recorder.waiting >= 1 and engine.state_at(10) is CueState.CALLED
    clock.advance(1_000)
    engine.go()
    assert recorder.waiting == 0
    log = read_run(db, owner.id, recorder.run_id)
    assert [c.label for c in log.calls] == [
        e.cue.label for e in engine.history if e.cue.index >= 10
    ]
    assert len(log.calls) >= 2


def test_the_database_failing_outright_is_a_plain_message(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, _ = start_recorded_run(db, owner.id, script_id, clock)
    with fail_at_statement(db, 1), pytest.raises(RunLogBehindError) as caught:
        engine.start_now()
    assert "could not be written" in str(caught.value)
    assert isinstance(caught.value.__cause__, InjectedFault)


def _crash(engine: CallingEngine, recorder: RunRecorder) -> None:
    """The program dies: nothing is closed, nothing more is written."""
    engine._listeners.clear()
    del engine, recorder


@pytest.mark.parametrize("state", ["running", "held", "safety stop"])
def test_crash_mid_run_and_reopen_continues_where_it_stood(
    db_url: str, owner: Person, script_id: uuid.UUID, db: Database, state: str
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    run_id = recorder.run_id
    engine.start_at(clock.now() + timedelta(minutes=46))
    for _ in range(4):
        clock.advance(20_000)
        engine.go()
    engine.skip()
    clock.advance(46 * MINUTE)
    engine.tick()
    for _ in range(6):
        clock.advance(15_000)
        engine.go()
    clock.advance(2_000)
    if state == "held":
        engine.hold("Actor injured")
    elif state == "safety stop":
        engine.safety_stop("Fly line fouled")
    clock.advance(4_000)
    show_then, pointer_then = engine.show_ms(), engine.pointer
    states_then = [engine.state_at(i) for i in range(len(engine.plan))]
    status_then = engine.status
    _crash(engine, recorder)
    db.dispose()

    clock.advance(5 * MINUTE)  # five minutes to restart the computer
    reopened = open_database(db_url)
    try:
        found = find_unfinished_run(reopened, owner.id, script_id)
        assert found is not None and found.run_id == run_id and found.calls_recorded == 13 + 6 - 4
        again, _ = continue_run(reopened, owner.id, run_id, clock)
        assert again.status is status_then and again.pointer == pointer_then
        assert [again.state_at(i) for i in range(len(again.plan))] == states_then
        assert show_then is not None
        if state == "running":
            assert again.show_ms() == show_then + 5 * MINUTE  # the show went on meanwhile
            assert again.total_hold_ms() == 0
        else:
            assert again.show_ms() == show_then  # still held
            assert again.total_hold_ms() == 4_000 + 5 * MINUTE
            if state == "safety stop":
                assert not again.go().accepted
            again.resume()
        clock.advance(1_000)
        next_labels = [c.label for c in again.next_moment()]
        assert [c.cue.label for c in again.go().calls] == next_labels
        again.finish()
        log = read_run(reopened, owner.id, run_id)
        assert log.status is RunStatus.COMPLETE
        assert [c.label for c in log.calls][-len(next_labels) :] == next_labels
        assert sum(c.outcome is CallOutcome.SKIPPED for c in log.calls) == 1
    finally:
        reopened.dispose()


def test_crash_during_the_countdown_and_reopen_after_it_ran_out(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    curtain = clock.now() + timedelta(minutes=10)
    engine.start_at(curtain)
    clock.advance(MINUTE)
    engine.hold("Box office queue")
    clock.advance(2 * MINUTE)
    engine.resume()
    _crash(engine, recorder)
    clock.advance(12 * MINUTE)
    again, _ = continue_run(db, owner.id, recorder.run_id, clock)
    assert again.status is RunStatus.READY and again.show_ms() == 3 * MINUTE
    events = again.tick()
    assert [type(e).__name__ for e in events] == ["CurtainUp"]
    log = read_run(db, owner.id, recorder.run_id)
    assert log.status is RunStatus.RUNNING and log.started_at == curtain + timedelta(minutes=2)


CHILD = r"""
import sys, time, uuid
from callmaster_desktop.calling.clock import RealClock
from callmaster_desktop.calling.runlog import start_recorded_run
from callmaster_desktop.db.migrate import open_database

db = open_database(sys.argv[1])
engine, recorder = start_recorded_run(
    db, uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3]), RealClock(), min_go_interval_ms=0
)
engine.start_now()
print("run", recorder.run_id, flush=True)
while not engine.at_end:
    outcome = engine.go()
    print("called", "|".join(c.cue.label for c in outcome.calls), flush=True)
    time.sleep(0.01)
print("end", flush=True)
time.sleep(60)
"""


def test_a_killed_program_loses_no_call_and_the_run_continues(
    db: Database, db_url: str, owner: Person, script_id: uuid.UUID
) -> None:
    kill_after = 25
    reported: list[str] = []

    def enough(kind: str, rest: str) -> bool:
        if kind == "called":
            reported.extend(rest.split("|"))
        return len(reported) >= kill_after

    kill_child_when(CHILD, [db_url, str(owner.id), str(script_id)], enough)

    found = find_unfinished_run(db, owner.id, script_id)
    assert found is not None and found.status is RunStatus.RUNNING
    log = read_run(db, owner.id, found.run_id)
    recorded = [c.label for c in log.calls]
    assert recorded[: len(reported)] == reported  # every call reported is there, in order
    plan = load_call_plan(db, owner.id, script_id)
    assert recorded == [c.label for c in plan.cues[: len(recorded)]]  # and nothing half-written
    assert all(c.outcome is CallOutcome.CALLED and c.actual_ms is not None for c in log.calls)

    again, _ = continue_run(db, owner.id, found.run_id, FakeClock())
    assert again.pointer == len(recorded)
    assert [again.state_at(i) for i in range(len(recorded) + 1)] == [CueState.CALLED] * len(
        recorded
    ) + [CueState.PENDING]
    outcome = again.go()
    assert outcome.accepted and outcome.calls[0].cue.label == plan.cues[len(recorded)].label
    with db.reading() as s:
        total = s.scalar(select(func.count()).where(CueCall.run_id == found.run_id))
    assert total == len(recorded) + len(outcome.calls)


def test_the_show_report_of_a_recorded_performance(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    scheduled = clock.now() + timedelta(minutes=40)
    engine.start_at(scheduled)
    plan = engine.plan
    late_at, early_at, skip_at, hold_at = 20, 30, 40, 50  # moment numbers
    expected_late: list[str] = []
    expected_early: list[str] = []
    called_at: dict[str, list[datetime]] = {}
    skipped_label = held_act = ""
    moment = 0
    while not engine.at_end:
        cues = engine.next_moment()
        if moment == skip_at:
            skipped_label = cues[0].label
            engine.skip()
            moment += 1
            continue
        if moment == hold_at:
            held_act = plan.act_name(cues[0].act_id)
            engine.hold("Lift stuck")
            clock.advance(3 * MINUTE)
            engine.resume()
        shift = 8_000 if moment == late_at else -7_000 if moment == early_at else 1_000
        show = engine.show_ms()
        assert show is not None
        clock.advance(max(300, cues[0].offset_ms + shift - show))
        outcome = engine.go()
        assert outcome.accepted, outcome.refused
        for call in outcome.calls:
            difference = call.difference_ms
            if difference > 5_000:
                expected_late.append(call.cue.label)
            elif difference < -5_000:
                expected_early.append(call.cue.label)
            called_at.setdefault(plan.act_name(call.cue.act_id), []).append(call.at)
        moment += 1
    engine.add_note("Lovely house tonight")
    clock.advance(MINUTE)
    engine.finish()

    report = show_report(db, owner.id, recorder.run_id)
    assert report.status is RunStatus.COMPLETE and report.kind is RunKind.PERFORMANCE
    assert [c.label for c in report.late] == expected_late and expected_late
    assert [c.label for c in report.early] == expected_early and expected_early
    assert [c.label for c in report.skipped] == [skipped_label]
    assert report.not_called == ()
    assert report.scheduled_start == scheduled and report.ended_at == clock.now()
    assert report.running_ms == ms_between(report.curtain_up_at, clock.now())  # type: ignore[arg-type]
    assert report.held_after_curtain_ms == report.total_hold_ms == 3 * MINUTE
    assert [(h.reason, h.length_ms) for h in report.holds] == [("Lift stuck", 3 * MINUTE)]
    for act in report.acts:
        times = called_at.get(act.name, [])
        assert (act.up_at, act.down_at) == ((min(times), max(times)) if times else (None, None))
        assert act.called == len(times)
    assert [(a.name, a.held_ms) for a in report.acts if a.held_ms] == [(held_act, 3 * MINUTE)]
    assert report.notes[-1].text == "Lovely house tonight"

    rows = list(csv.DictReader(io.StringIO(report.to_csv(UTC))))
    summary = {r["description"]: r["note"] for r in rows if r["record"] == "summary"}
    assert summary["Status"] == "complete" and summary["All holds"] == "3:00"
    cue_rows = [r for r in rows if r["record"] == "cue"]
    assert len(cue_rows) == len(plan)
    assert {r["outcome"] for r in cue_rows} == {"called", "skipped"}
    late_row = next(r for r in cue_rows if r["cue"] == expected_late[0])
    assert late_row["difference"].startswith("+0:0") and late_row["act"]
    assert [r["act"] for r in rows if r["record"] == "act"] == [a.name for a in report.acts]
    text = report.to_text(UTC)
    assert "Lift stuck" in text and skipped_label in text and "Late by more than 0:05: " in text


def test_notes_are_rows_with_their_times_kept_through_a_crash(
    db: Database, db_url: str, owner: Person, script_id: uuid.UUID
) -> None:
    from callmaster_desktop.db.models import RunNote
    from callmaster_desktop.services.elements import DeleteElement, apply_element_changes
    from callmaster_desktop.services.scripts import load_script

    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    engine.add_note("Understudy on for Banquo")  # before the start
    before_start_at = clock.now()
    clock.advance(30_000)
    engine.start_now()
    clock.advance(4_000)
    called = engine.go().calls[0].cue
    clock.advance(1_250)
    engine.add_note("A beat late", called.element_id)
    about_cue_at = clock.now()
    with db.reading() as s:
        rows = [
            _plain(n) for n in s.scalars(select(RunNote).where(RunNote.run_id == recorder.run_id))
        ]
    by_text = {n.text: n for n in rows}
    assert by_text["Understudy on for Banquo"].show_offset_ms is None
    assert by_text["Understudy on for Banquo"].noted_at == before_start_at
    lx = by_text["A beat late"]
    assert (lx.show_offset_ms, lx.noted_at) == (5_250, about_cue_at)
    assert (lx.element_id, lx.cue_label) == (called.element_id, called.label)
    run, _, _ = _fresh_read(db_url, recorder.run_id)
    assert run.notes is None  # the run's general notes stay apart

    _crash(engine, recorder)
    clock.advance(2 * MINUTE)
    found = find_unfinished_run(db, owner.id, script_id)
    assert found is not None and (found.calls_recorded, found.notes_recorded) == (1, 2)
    again, _ = continue_run(db, owner.id, recorder.run_id, clock)
    assert [(n.at, n.show_ms, n.text) for n in again.notes] == [
        (before_start_at, None, "Understudy on for Banquo"),
        (about_cue_at, 5_250, "A beat late"),
    ]
    assert again.notes[1].cue == called
    again.finish()
    report = show_report(db, owner.id, recorder.run_id)
    assert [(n.noted_at, n.label) for n in report.notes] == [
        (before_start_at, None),
        (about_cue_at, called.label),
    ]
    assert f"[{about_cue_at.astimezone(UTC):%H:%M:%S} · 0:05 {called.label}]" in report.to_text(UTC)

    # The cue deleted from the script later: the note keeps its label, loses the link.
    script = load_script(db, owner.id, script_id)
    apply_element_changes(db, owner.id, script_id, script.version,
                          [DeleteElement(called.element_id)])  # fmt: skip
    log = read_run(db, owner.id, recorder.run_id)
    assert (log.notes[1].element_id, log.notes[1].label) == (None, called.label)
    # Deleting the run takes its notes with it.
    with db.unit_of_work() as s:
        s.execute(delete(Run).where(Run.id == recorder.run_id))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(RunNote)) == 0

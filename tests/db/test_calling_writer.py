"""The run log's writer thread on SQLite and PostgreSQL: GO never waits, order is kept.

``BackgroundRecorder`` queues the engine's events and returns at once; one
thread writes them, in order, one unit of work per batch. A failed write
leaves the database as it was and is tried again (first in, first out); a
program killed mid-show loses only what the thread had not committed yet.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import event

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.records import find_unfinished_run, load_call_plan, read_run
from callmaster_desktop.calling.runlog import RunLogBehindError, begin_run, continue_run
from callmaster_desktop.calling.writer import BackgroundRecorder
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person
from callmaster_desktop.domain.enums import CallOutcome, RunStatus
from tests.support.calling_runs import kill_child_when, sample_script_id
from tests.support.faults import dump_tables, fail_at_statement

WAIT_S = 10.0


@pytest.fixture
def script_id(db: Database, owner: Person) -> uuid.UUID:
    return sample_script_id(db, owner)


class Heard:
    """What the writer thread said, as it said it."""

    def __init__(self) -> None:
        self.behind: list[str] = []
        self.caught_up = threading.Event()
        self.fell_behind = threading.Event()
        self.written: list[int] = []

    def on_behind(self, message: str) -> None:
        self.behind.append(message)
        self.fell_behind.set()

    def on_written(self, count: int) -> None:
        self.written.append(count)


def _recorded_run(
    db: Database, owner: Person, script_id: uuid.UUID, heard: Heard, **options: Any
) -> tuple[CallingEngine, BackgroundRecorder, FakeClock]:
    clock = FakeClock()
    engine = CallingEngine(load_call_plan(db, owner.id, script_id), clock, min_go_interval_ms=0)
    recorder = BackgroundRecorder(
        db,
        begin_run(db, owner.id, script_id),
        on_behind=heard.on_behind,
        on_caught_up=heard.caught_up.set,
        on_written=heard.on_written,
        **options,
    )
    recorder.attach(engine)
    return engine, recorder, clock


def _labels(db: Database, owner: Person, run_id: uuid.UUID) -> list[str]:
    return [c.label for c in read_run(db, owner.id, run_id).calls]


def test_a_go_does_not_wait_for_the_database_and_the_order_is_kept(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    heard = Heard()
    engine, recorder, clock = _recorded_run(db, owner, script_id, heard)
    gate = threading.Event()

    def slow_disk(*_args: object) -> None:
        if threading.current_thread().name.startswith("run log"):
            gate.wait(WAIT_S)  # the writer is stuck until the test lets it go

    event.listen(db.engine, "before_cursor_execute", slow_disk)
    try:
        engine.start_now()
        called: list[str] = []
        for _ in range(12):
            clock.advance(1_000)
            called += [c.cue.label for c in engine.go().calls]  # returns with the disk stuck
        assert recorder.waiting >= len(called)  # all queued, none lost
        assert _labels(db, owner, recorder.run_id) == []
        gate.set()
        recorder.flush(WAIT_S)
    finally:
        gate.set()
        event.remove(db.engine, "before_cursor_execute", slow_disk)
    assert recorder.waiting == 0 and recorder.written == sum(heard.written)
    assert _labels(db, owner, recorder.run_id) == called  # in the order they were called
    assert len(heard.written) <= 2  # what waited went in one batch
    log = read_run(db, owner.id, recorder.run_id)
    assert log.status is RunStatus.RUNNING and log.started_at == engine.curtain_up_at()
    assert heard.behind == []
    recorder.close()
    assert not recorder.is_running


def test_a_failed_write_changes_nothing_and_goes_again_first(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    heard = Heard()
    engine, recorder, clock = _recorded_run(db, owner, script_id, heard, retry_s=30.0)
    engine.start_now()
    recorder.flush(WAIT_S)
    before = dump_tables(db)
    with fail_at_statement(db, 2):  # the insert of the first call
        clock.advance(1_000)
        first = [c.cue.label for c in engine.go().calls]
        assert heard.fell_behind.wait(WAIT_S)
        assert dump_tables(db) == before  # all or nothing
    assert "could not be written" in heard.behind[0] and "nothing called is lost" in heard.behind[0]
    assert recorder.problem is not None and recorder.waiting == len(first)
    clock.advance(1_000)
    engine.add_note("Written after the failed call")
    second = [c.cue.label for c in engine.go().calls]  # new events: the writer tries at once
    assert heard.caught_up.wait(WAIT_S)  # long before the 30 s retry
    recorder.flush(WAIT_S)
    log = read_run(db, owner.id, recorder.run_id)
    assert [c.label for c in log.calls] == first + second
    assert [n.text for n in log.notes] == ["Written after the failed call"]
    assert recorder.problem is None
    recorder.close()


def test_a_database_that_keeps_refusing_is_said_and_counted_at_close(
    db: Database, owner: Person, script_id: uuid.UUID
) -> None:
    heard = Heard()
    engine, recorder, clock = _recorded_run(db, owner, script_id, heard, retry_s=0.05)
    before = dump_tables(db)

    def refuse(*_args: object) -> None:
        raise RuntimeError("the disk is gone")

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        engine.start_now()
        clock.advance(1_000)
        engine.go()
        with pytest.raises(RunLogBehindError, match="could not be written"):
            recorder.flush(WAIT_S)
        assert len(heard.behind) >= 1 and not heard.caught_up.is_set()
        assert recorder.close(0.5) == recorder.waiting > 0
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert not recorder.is_running and dump_tables(db) == before
    with pytest.raises(RunLogBehindError, match="closed"):
        engine.go()


CHILD = r"""
import sys, threading, time, uuid
from callmaster_desktop.calling.clock import RealClock
from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.records import load_call_plan
from callmaster_desktop.calling.runlog import begin_run
from callmaster_desktop.calling.writer import BackgroundRecorder
from callmaster_desktop.db.migrate import open_database

db = open_database(sys.argv[1])
owner, script = uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3])
engine = CallingEngine(load_call_plan(db, owner, script), RealClock(), min_go_interval_ms=0)
total = [0]
lock = threading.Lock()

def say(*words):  # one whole line at a time: two threads print
    with lock:
        sys.stdout.write(" ".join(str(w) for w in words) + "\n")
        sys.stdout.flush()

def written(count):
    total[0] += count
    say("written", total[0])

recorder = BackgroundRecorder(db, begin_run(db, owner, script), on_written=written)
recorder.attach(engine)
engine.start_now()
say("run", recorder.run_id)
while not engine.at_end:
    outcome = engine.go()
    say("called", "|".join(c.cue.label for c in outcome.calls))
    time.sleep(0.002)
say("end")
time.sleep(60)
"""


def test_a_killed_program_loses_only_what_the_writer_had_not_committed(
    db: Database, db_url: str, owner: Person, script_id: uuid.UUID
) -> None:
    called: list[str] = []
    confirmed = 0  # events the writer said were committed (RunStarted is the first)

    def enough(kind: str, rest: str) -> bool:
        nonlocal confirmed
        if kind == "called":
            called.extend(rest.split("|"))
        elif kind == "written":
            confirmed = int(rest)
        return len(called) >= 40 and confirmed > 10

    kill_child_when(CHILD, [db_url, str(owner.id), str(script_id)], enough)

    found = find_unfinished_run(db, owner.id, script_id)
    assert found is not None and found.status is RunStatus.RUNNING
    log = read_run(db, owner.id, found.run_id)
    recorded = [c.label for c in log.calls]
    plan = load_call_plan(db, owner.id, script_id)
    assert recorded == [c.label for c in plan.cues[: len(recorded)]]  # in order, no gaps
    assert len(recorded) >= confirmed - 1  # every batch it confirmed is there (less RunStarted)
    assert all(c.outcome is CallOutcome.CALLED and c.actual_ms is not None for c in log.calls)
    assert recorded == called[: len(recorded)]
    again, _ = continue_run(db, owner.id, found.run_id, FakeClock())
    assert again.pointer == len(recorded)

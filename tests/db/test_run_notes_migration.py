"""Revision 0003 on SQLite and PostgreSQL: the caller's notes move from lines of text to rows.

A run is recorded at the newest schema, the database is taken down to 0002
(the notes become ``runs.notes`` lines, as the first calling engine wrote
them), lines written by hand are added, and the database is brought up
again: every note comes back as a row with its show clock, its cue and the
best time of day the old lines allow; other lines stay the run's own notes.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert, inspect, select, update
from sqlalchemy.engine import Engine

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.records import read_run
from callmaster_desktop.calling.runlog import start_recorded_run
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import downgrade, open_database, upgrade
from callmaster_desktop.db.models import Person, Run
from tests.support.calling_runs import sample_script_id

MINUTE = 60_000


@pytest.fixture
def script_id(db: Database, owner: Person) -> uuid.UUID:
    return sample_script_id(db, owner)


def _raw(url: str) -> Engine:
    return create_engine(url)


def _run_notes_text(url: str, run_id: uuid.UUID) -> str:
    engine = _raw(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(select(Run.notes).where(Run.id == run_id))
            return str(found.scalar() or "")
    finally:
        engine.dispose()


def test_notes_go_down_as_lines_and_come_back_up_as_rows(
    db: Database, db_url: str, owner: Person, script_id: uuid.UUID
) -> None:
    clock = FakeClock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    run_id = recorder.run_id
    taken: list[tuple[str, datetime]] = []

    def note(words: str, element_id: uuid.UUID | None = None) -> None:
        engine.add_note(words, element_id)
        taken.append((words, clock.now()))

    note("Understudy on for Banquo")  # before the start: no show clock
    engine.start_at(clock.now() + timedelta(minutes=10))
    clock.advance(2 * MINUTE)
    note("House opened late")  # counting down, before a hold that moves the curtain
    clock.advance(1_000)
    engine.hold("Box office queue")
    clock.advance(3 * MINUTE)
    engine.resume()
    clock.advance(8 * MINUTE)
    engine.tick()  # curtain up
    clock.advance(4_250)
    cue = engine.go().calls[0].cue
    note("A beat late", cue.element_id)
    clock.advance(2_000)
    engine.hold("Actor injured")
    clock.advance(30_000)
    note("Doctor in the house")  # during the hold
    clock.advance(60_000)
    engine.resume()
    clock.advance(5_000)
    note("Back on track")
    engine.finish()
    before = read_run(db, owner.id, run_id)
    assert [n.text for n in before.notes] == [words for words, _ in taken]
    db.dispose()

    downgrade(db_url, "0002")
    engine_ = _raw(db_url)
    try:
        assert "run_notes" not in inspect(engine_).get_table_names()
    finally:
        engine_.dispose()
    lines = _run_notes_text(db_url, run_id).splitlines()
    assert lines == [
        "[before start] Understudy on for Banquo",
        "[-8:00] House opened late",
        f"[0:05.250 {cue.label}] A beat late",
        "[0:07.250] Doctor in the house",
        "[0:12.250] Back on track",
    ]
    # What the first engine would also have kept: lines a person wrote, a cue since renamed.
    hand = ["Crew call moved to 18:00", *lines, "[1:02:03.250 LX 999] About a cue now gone"]
    engine_ = _raw(db_url)
    try:
        with engine_.begin() as conn:
            conn.execute(update(Run).where(Run.id == run_id).values(notes="\n".join(hand)))
    finally:
        engine_.dispose()

    upgrade(db_url)
    reopened = open_database(db_url)
    try:
        log = read_run(reopened, owner.id, run_id)
    finally:
        reopened.dispose()
    assert log.general_notes == "Crew call moved to 18:00"
    got = [(n.show_ms, n.label, n.text, n.element_id) for n in log.notes]
    assert got == [
        (None, None, "Understudy on for Banquo", None),
        (-8 * MINUTE, None, "House opened late", None),
        (5_250, cue.label, "A beat late", cue.element_id),
        (7_250, None, "Doctor in the house", None),
        (12_250, None, "Back on track", None),
        (3_723_250, "LX 999", "About a cue now gone", None),
    ]
    times = [n.noted_at for n in log.notes]
    assert all(t is not None and t.tzinfo is not None for t in times)
    exact = dict(taken)
    # While the show clock ran, the time of day comes back to the millisecond...
    for words in ("House opened late", "A beat late", "Back on track"):
        assert times[[n.text for n in log.notes].index(words)] == exact[words]
    # ...during a hold it is the hold's start; before the start, when the run was made.
    hold_start = next(h.started_at for h in log.holds if h.reason == "Actor injured")
    assert times[3] == hold_start < exact["Doctor in the house"]
    assert times[0] is not None and times[0] <= exact["Understudy on for Banquo"]
    assert times == sorted(t for t in times if t is not None)  # the order is kept


def test_a_run_without_notes_and_one_with_general_notes_only(
    db: Database, db_url: str, owner: Person, script_id: uuid.UUID
) -> None:
    _, quiet = start_recorded_run(db, owner.id, script_id, FakeClock())
    with db.reading() as s:
        run = s.get(Run, quiet.run_id)
        assert run is not None
        show_id, kind, created = run.show_id, run.kind, run.created_at
    db.dispose()
    downgrade(db_url, "0002")
    other = uuid.uuid4()
    engine = _raw(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(Run).values(
                    id=other, show_id=show_id, script_id=script_id, kind=kind,
                    status="abandoned", total_hold_ms=0, created_at=created,
                    notes="Only a general note.\nAnd another [not a time] line.",
                )
            )  # fmt: skip
    finally:
        engine.dispose()
    upgrade(db_url)
    reopened = open_database(db_url)
    try:
        with reopened.reading() as s:
            notes = {r.id: r.notes for r in s.scalars(select(Run))}
        assert notes == {
            quiet.run_id: None,
            other: "Only a general note.\nAnd another [not a time] line.",
        }
        log = read_run(reopened, owner.id, other)
        assert log.notes == () and log.general_notes == notes[other]
        assert read_run(reopened, owner.id, quiet.run_id).notes == ()
    finally:
        reopened.dispose()

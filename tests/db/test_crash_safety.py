"""A large save killed (SIGKILL) at random moments: the old script or the new one, never half.

A child process opens the database and saves a 5,000-row script (deletes,
changes, moves and new rows in one ``write_script_state``). The parent kills
it at a random moment of the save, 20 times, each time at a moment drawn
from a different twentieth of the save's measured length, so the kills
cover the whole save from its first statement to its commit. After each
kill the database must pass the integrity check and hold exactly one of the
two known element lists, with the version and revisions that go with it.

This is about the SQLite file, which a killed writer could tear. On
PostgreSQL a killed client is a dropped connection, which the server rolls
back: ``test_server_drop`` drops the connection at every statement of a save
and at random moments of a large one.
"""

from __future__ import annotations

import os
import random
import select
import signal
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select
from support.script_builder import make_script

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import Script, ScriptRevision
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state

ROWS = 5_000
KILLS = 20
pytestmark = pytest.mark.slow
STARTED, FINISHED = b"s", b"f"


def edited(rows: list[ElementData]) -> list[ElementData]:
    """A big edit: every 7th cue or note gone, every other row changed, 500 new notes."""
    kept = [
        e.with_changes(name=f"{e.name} (tech)", offset_ms=e.offset_ms + 1_000) if i % 2 else e
        for i, e in enumerate(rows)
        if e.element_type is ElementType.GROUP or i % 7
    ]
    added = [ElementData(ElementType.NOTE, f"Added note {i}", 10**7 + i) for i in range(500)]
    return kept + added


def save_in_child(
    url: str, script_id: uuid.UUID, version: int, rows: list[ElementData]
) -> tuple[int, int]:
    """Fork a process that saves ``rows``; return its pid and the read end of its signals."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test runner
        code = 1
        try:
            os.close(read_end)
            db = Database(url)  # opened (and upgraded) by the parent already
            os.write(write_end, STARTED)
            with db.unit_of_work() as s:
                write_script_state(s, script_id, version, rows, author_id=None, steps=["Tech"])
            os.write(write_end, FINISHED)
            db.dispose()
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def wait_for(read_end: int, timeout: float) -> bytes:
    ready, _, _ = select.select([read_end], [], [], timeout)
    return os.read(read_end, 1) if ready else b""


def stored_state(url: str, script_id: uuid.UUID) -> tuple[list[ElementData], int, int, list[str]]:
    db = Database(url)
    try:
        problems = [str(p) for p in check_database(db)]
        with db.reading() as s:
            rows = read_elements(s, script_id)
            version = s.scalar(sql_select(Script.version).where(Script.id == script_id))
            revisions = s.scalar(
                sql_select(func.count()).where(ScriptRevision.script_id == script_id)
            )
        return rows, int(version or 0), int(revisions or 0), problems
    finally:
        db.dispose()


def test_a_killed_save_leaves_the_old_script_or_the_new_one(tmp_path: Path) -> None:
    db_url = str(tmp_path / "opera.sqlite")
    db = open_database(db_url)
    owner = ensure_profile(db)
    built = make_script(db, owner, ROWS, name="Grand Opera")
    db.dispose()  # no connection crosses a fork
    states = [built.elements, edited(built.elements)]
    stored, version, revisions, problems = stored_state(db_url, built.script_id)
    assert stored == states[0] and problems == []

    # A save to completion each way: how long each takes here (the kills are spread
    # over it), and both states are valid scripts.
    length = {}
    current = 0
    for wanted in (1, 0):
        pid, signals = save_in_child(db_url, built.script_id, version, states[wanted])
        assert wait_for(signals, 120) == STARTED
        began = time.monotonic()
        assert wait_for(signals, 300) == FINISHED
        length[wanted] = time.monotonic() - began
        assert os.waitpid(pid, 0)[1] == 0
        os.close(signals)
        stored, version, revisions, problems = stored_state(db_url, built.script_id)
        assert stored == states[wanted] and problems == []

    rng = random.Random(9)
    kills = KILLS
    outcomes: list[str] = []
    for i in range(kills):
        wanted = 1 - current
        pid, signals = save_in_child(db_url, built.script_id, version, states[wanted])
        assert wait_for(signals, 120) == STARTED
        time.sleep((i + rng.random()) / kills * length[wanted])
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        finished = wait_for(signals, 0) == FINISHED
        os.close(signals)

        stored, now_version, now_revisions, problems = stored_state(db_url, built.script_id)
        assert problems == [], f"kill {i + 1}: {problems}"
        if stored == states[current]:
            assert (now_version, now_revisions) == (version, revisions), f"kill {i + 1}"
            assert not finished, f"kill {i + 1}: the child said it had saved"
            outcomes.append("old")
        else:
            assert stored == states[wanted], f"kill {i + 1} left a mixture of two scripts"
            assert (now_version, now_revisions) == (version + 1, revisions + 1), f"kill {i + 1}"
            current, version, revisions = wanted, now_version, now_revisions
            outcomes.append("new" if finished else "new, killed after its commit")
    took = " and ".join(f"{t:.2f} s" for t in length.values())
    print(f"\nThe saves took {took}; after each kill: {outcomes}")
    assert outcomes.count("old") >= kills // 4, f"the kills missed the saves: {outcomes}"

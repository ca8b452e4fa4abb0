"""Two CallMaster processes saving into one SQLite file never corrupt it.

Each process has its own engine and connections, as two windows of the
application would. A save that meets the other's write waits for it (the busy
timeout) or says the file is busy; one based on a version the other has
replaced is refused (``ConflictError``). Whatever happened, the file passes
the integrity check and each script holds exactly the list of its last save.
"""

from __future__ import annotations

import multiprocessing
import uuid
from pathlib import Path
from typing import Any

import pytest
from support.script_builder import make_departments, make_script, script_rows

from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.errors import ConflictError, DatabaseBusyError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.script_state import read_elements, write_script_state
from callmaster_desktop.services.scripts import load_script

ROWS = 1500
ROUNDS = 8


def save_in_turns(
    url: str,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    states: list[list[ElementData]],
    first: int,
    results: Any,
) -> None:
    """A second application: reload, save the next state, ROUNDS times; report each outcome."""
    db = open_database(url)
    outcomes: list[tuple[str, int, int]] = []  # (what happened, which state, version)
    try:
        for i in range(ROUNDS):
            which = (first + i) % len(states)
            try:
                version = load_script(db, owner_id, script_id).version
                with db.unit_of_work() as s:
                    saved = write_script_state(
                        s, script_id, version, states[which], author_id=owner_id, steps=[str(i)]
                    )
                # A save of the state already stored writes nothing: "unchanged".
                outcomes.append(("saved" if saved.wrote else "unchanged", which, saved.version))
            except ConflictError:
                outcomes.append(("conflict", which, 0))
            except DatabaseBusyError:
                outcomes.append(("busy", which, 0))
    finally:
        db.dispose()
        results.put((script_id, first, outcomes))


def run_two(
    url: str, jobs: list[tuple[uuid.UUID, uuid.UUID, list[list[ElementData]], int]]
) -> list[list[tuple[str, int, int]]]:
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    processes = [
        fork.Process(target=save_in_turns, args=(url, owner, script, states, first, results))
        for owner, script, states, first in jobs
    ]
    for p in processes:
        p.start()
    reported = {
        (script, first): run for script, first, run in (results.get(timeout=300) for _ in processes)
    }
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0
    return [reported[(script, first)] for _, script, _, first in jobs]


@pytest.mark.parametrize("same_script", [False, True], ids=["two-scripts", "one-script"])
def test_two_processes_saving_at_once_never_corrupt_the_file(
    tmp_path: Path, same_script: bool
) -> None:
    path = tmp_path / "shared.sqlite"
    db = open_database(str(path))
    owner_id = ensure_profile(db).id
    departments = make_departments(db, owner_id)
    first = make_script(db, owner_id, ROWS, departments=departments, name="Act One")
    second = (
        first
        if same_script
        else make_script(
            db, owner_id, ROWS, departments=departments, name="Act Two", show_id=first.show_id
        )
    )
    states = {
        built.script_id: [built.elements, script_rows(departments, ROWS)]
        for built in (first, second)
    }
    db.dispose()  # no connection crosses the fork
    jobs = [
        (owner_id, first.script_id, states[first.script_id], 1),
        (owner_id, second.script_id, states[second.script_id], 0),
    ]
    outcomes = run_two(str(path), jobs)

    saves = [o for run in outcomes for o in run if o[0] == "saved"]
    assert saves, "neither process could save"
    kinds = {kind for run in outcomes for kind, _, _ in run}
    assert kinds <= {"saved", "unchanged", "conflict", "busy"}
    if not same_script:
        assert kinds <= {"saved", "unchanged"}, outcomes  # each waited for the other
    db = open_database(str(path))
    try:
        assert check_database(db) == []
        for job, run in zip(jobs, outcomes, strict=True):
            script_id = job[1]
            mine = outcomes[0] + outcomes[1] if same_script else run
            last = max((o for o in mine if o[0] == "saved"), key=lambda o: o[2])
            with db.reading() as s:
                assert read_elements(s, script_id) == states[script_id][last[1]]
            versions = sorted(o[2] for o in mine if o[0] == "saved")
            assert len(versions) == len(set(versions)), f"two saves made one version: {outcomes}"
    finally:
        db.dispose()

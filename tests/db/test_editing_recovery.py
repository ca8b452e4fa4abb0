"""Crash recovery: unsaved edits journaled beside the database, offered after a crash.

The crash is real: a separate process edits the script until it is killed
with SIGKILL, then the script is opened again here. Every test runs on a
SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from support.editing import random_command
from support.faults import dump_tables
from support.script_builder import make_script

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person
from callmaster_desktop.editing import (
    EditFields,
    EditScriptInfo,
    EditSession,
    ShiftTimes,
    UnsavedEditsFound,
    find_unsaved_edits,
)
from callmaster_desktop.editing.recovery import journal_path, recovery_folder
from callmaster_desktop.errors import CallMasterError, ConflictError, ValidationError

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent

CHILD = """
import random, sys, uuid
sys.path[:0] = [{tests!r}, {root!r}]
from support.editing import random_command
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.editing import EditSession
from callmaster_desktop.errors import CallMasterError

db = open_database({url!r})
session = EditSession.open(db, uuid.UUID({owner!r}), uuid.UUID({script!r}))
rng = random.Random({seed})
done = 0
print("open", flush=True)
while True:
    try:
        session.apply(random_command(rng, session))
    except CallMasterError:
        continue
    done += 1
    print(done, flush=True)
"""


def edit_until_killed(
    db: Database, owner: Person, script_id: uuid.UUID, seed: int, steps: int
) -> int:
    """Run a process that edits the script, kill it (SIGKILL) after ``steps`` edits.

    Returns how many edits it reported done.
    """
    code = CHILD.format(
        tests=str(TESTS),
        root=str(ROOT),
        url=db.url,
        owner=str(owner.id),
        script=str(script_id),
        seed=seed,
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    assert child.stdout is not None
    seen = 0
    try:
        for line in child.stdout:
            if line.strip().isdigit():
                seen = int(line)
                if seen >= steps:
                    break
        else:
            raise AssertionError(f"the editing process ended by itself ({child.wait()})")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # It may have done a few more edits before the signal landed.
    later = [int(line) for line in child.stdout.read().split() if line.isdigit()]
    return max([seen, *later])


def replayed(
    db: Database, owner: Person, script_id: uuid.UUID, seed: int, steps: int
) -> EditSession:
    """The same seeded edits done here, without a journal, for ``steps`` done steps."""
    session = EditSession.open(db, owner.id, script_id, journal=False)
    rng = random.Random(seed)
    while len(session.history) < steps:
        with contextlib.suppress(CallMasterError):
            session.apply(random_command(rng, session))
    return session


@pytest.mark.parametrize("seed", [1, 2])
def test_edits_of_a_killed_process_are_recovered_exactly(
    db: Database, owner: Person, seed: int
) -> None:
    built = make_script(db, owner, 80)
    before = dump_tables(db)
    printed = edit_until_killed(db, owner, built.script_id, seed, steps=25)
    assert dump_tables(db) == before  # nothing was saved
    with pytest.raises(UnsavedEditsFound) as found:
        EditSession.open(db, owner.id, built.script_id)
    edits = found.value.edits
    assert not edits.open_elsewhere
    # The journal is written before the step is reported: it holds at least what was printed.
    assert printed <= len(edits.steps) <= printed + 1
    assert "never saved" in str(found.value) and "Recover them, or discard them?" in str(
        found.value
    )
    recovered = EditSession.open(db, owner.id, built.script_id, recover=edits)
    expected = replayed(db, owner, built.script_id, seed, len(edits.steps))
    assert recovered.history == expected.history == list(edits.steps)
    assert list(recovered.elements) == list(expected.elements)
    assert recovered.info == expected.info
    # The recovered steps undo like any others, back to the script as saved.
    recovered.revert_to(0)
    assert list(recovered.elements) == built.elements
    while recovered.redo():
        pass
    recovered.save()
    assert find_unsaved_edits(db, built.script_id) is None
    again = EditSession.open(db, owner.id, built.script_id)
    assert list(again.elements) == list(expected.elements)


def test_the_journal_follows_every_change_and_lives_beside_the_database(
    db: Database, owner: Person, backend: str
) -> None:
    built = make_script(db, owner, 20)
    session = EditSession.open(db, owner.id, built.script_id)
    path = journal_path(db, built.script_id)
    if backend == "sqlite":
        assert db.path is not None
        folder = db.path.with_name(db.path.name + ".recovery") / str(built.script_id)
        assert path == folder / "journal.json"
    else:
        assert path.is_relative_to(Path(os.environ["CALLMASTER_DATA_DIR"]) / "recovery")
    assert not path.exists()
    session.apply(EditScriptInfo({"notes": "one"}))
    first = path.parent / json.loads(path.read_text())["steps"][0]["file"]
    written = first.stat().st_ino
    session.apply(ShiftTimes([built.elements[0].id], "+0:05"))
    assert first.stat().st_ino == written  # a step's file is written once, not per command
    data = json.loads(path.read_text())
    assert (data["base_version"], [s["description"] for s in data["steps"]]) == (
        built.version,
        session.history,
    )
    session.undo()
    assert [s["description"] for s in json.loads(path.read_text())["steps"]] == session.history
    session.undo()
    assert not path.exists()  # nothing unsaved: nothing to recover
    session.redo()
    assert path.exists()
    listed = [s["file"] for s in json.loads(path.read_text())["steps"]]
    assert len(listed) == 1  # one step file each, and no temporary left behind
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(["journal.json", *listed])
    offer = find_unsaved_edits(db, built.script_id)
    assert offer is not None and offer.open_elsewhere  # this process still has it open
    assert "being edited in another CallMaster window" in offer.describe()
    session.close()
    assert path.exists()  # closing with unsaved edits keeps them for next time
    offer.discard()
    session = EditSession.open(db, owner.id, built.script_id)
    session.apply(EditScriptInfo({"notes": "two"}))
    assert path.exists()
    session.close(discard=True)
    assert not path.exists()


def test_discarding_the_edits_opens_the_script_as_saved(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 30)
    edit_until_killed(db, owner, built.script_id, seed=3, steps=5)
    edits = find_unsaved_edits(db, built.script_id)
    assert edits is not None
    edits.discard()
    assert find_unsaved_edits(db, built.script_id) is None
    session = EditSession.open(db, owner.id, built.script_id)
    assert list(session.elements) == built.elements and not session.is_dirty


def test_edits_recovered_after_someone_else_saved_go_to_a_copy(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 40)
    mine = EditSession.open(db, owner.id, built.script_id)
    mine.apply(EditFields(built.elements[2].id, {"name": "Mine"}))
    theirs = EditSession.open(db, owner.id, built.script_id, journal=False)
    theirs.apply(EditFields(built.elements[3].id, {"name": "Theirs"}))
    theirs.save()
    theirs.apply(EditFields(built.elements[4].id, {"name": "Theirs again"}))
    theirs.save()
    del mine  # as if the window had crashed: the journal stays
    edits = find_unsaved_edits(db, built.script_id)
    assert edits is not None and edits.base_version == built.version
    recovered = EditSession.open(db, owner.id, built.script_id, recover=edits)
    assert recovered.base_version == built.version
    assert [e.name for e in recovered.elements[2:5]] == [
        "Mine",
        built.elements[3].name,
        built.elements[4].name,
    ]
    with pytest.raises(ConflictError):
        recovered.save()
    assert recovered.history == [
        "Renamed " + recovered.state.label(built.elements[2]) + ' to "Mine"'
    ]
    copy = recovered.save_as_copy()
    assert find_unsaved_edits(db, built.script_id) is None
    assert find_unsaved_edits(db, copy.script_id) is None
    assert [e.name for e in recovered.elements[2:5]] == [
        "Mine",
        built.elements[3].name,
        built.elements[4].name,
    ]


def test_edits_whose_starting_version_is_gone_cannot_be_recovered(
    db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 10)
    session = EditSession.open(db, owner.id, built.script_id)
    session.apply(EditScriptInfo({"notes": "lost"}))
    path = journal_path(db, built.script_id)
    data = json.loads(path.read_text())
    data["base_version"] = 99  # a version with no revision kept
    path.write_text(json.dumps(data))
    edits = find_unsaved_edits(db, built.script_id)
    assert edits is not None
    with pytest.raises(ValidationError, match="no longer kept, so they cannot be recovered"):
        EditSession.open(db, owner.id, built.script_id, recover=edits)
    data["base_version"] = built.version
    path.write_text(json.dumps(data))
    step_file = path.parent / data["steps"][0]["file"]
    step = json.loads(step_file.read_text())
    step["changes"][0]["info"][0]["name"] = "Another name"
    step_file.write_text(json.dumps(step))
    edits = find_unsaved_edits(db, built.script_id)
    assert edits is not None
    with pytest.raises(ValidationError, match="no longer fit the script"):
        EditSession.open(db, owner.id, built.script_id, recover=edits)
    edits.discard()
    assert not EditSession.open(db, owner.id, built.script_id).is_dirty


def test_an_unreadable_journal_is_set_aside(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 5)
    path = journal_path(db, built.script_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json")
    assert find_unsaved_edits(db, built.script_id) is None
    assert not path.exists()
    assert [p.suffix for p in recovery_folder(db).iterdir()] == [".unreadable"]
    EditSession.open(db, owner.id, built.script_id)


def test_a_temporary_left_by_a_dead_writer_is_removed(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 5)
    path = journal_path(db, built.script_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = path.with_name(f".{path.name}.{int(finished.stdout)}.tmp")
    alive = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    dead.write_text("{")
    alive.write_text("{")
    assert find_unsaved_edits(db, built.script_id) is None
    assert not dead.exists() and alive.exists()

"""Two writers on one database: a save based on an outdated copy is refused.

Each writer has its own ``Database`` (its own engine and connections), as two
windows or two computers would. Also: the layer's metrics after a workload.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from support.faults import dump_tables
from support.script_builder import make_script

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import CrewRelationship, Person
from callmaster_desktop.errors import ConflictError
from callmaster_desktop.services.elements import (
    ShiftTimes,
    UpdateElement,
    apply_element_changes,
)
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import load_script, rename_script


@pytest.fixture
def second(db_url: str, db: Database) -> Iterator[Database]:
    """Another writer on the same database."""
    other = open_database(db_url)
    yield other
    other.dispose()


def _colleague(db: Database, owner: Person) -> Person:
    with db.unit_of_work() as s:
        jane = Person(first_name="Jane", last_name="Smith", production_role="ASM")
        s.add(jane)
        s.flush()
        s.add(CrewRelationship(manager_id=owner.id, member_id=jane.id))
        return jane


def test_second_save_of_the_same_version_is_refused(
    db: Database, second: Database, owner: Person
) -> None:
    built = make_script(db, owner, 20)
    jane = _colleague(db, owner)
    mine = load_script(db, owner.id, built.script_id)
    theirs = load_script(second, owner.id, built.script_id)
    assert mine.version == theirs.version == built.version
    # Jane saves first, through the editing engine's entry point.
    edited = [e.with_changes(notes="Jane's note") for e in theirs.elements]
    with second.unit_of_work() as s:
        saved = write_script_state(
            s, built.script_id, theirs.version, edited, author_id=jane.id, steps=["Notes"]
        )
    before = dump_tables(db)
    with pytest.raises(ConflictError) as refused:
        apply_element_changes(
            db,
            owner.id,
            built.script_id,
            mine.version,
            [UpdateElement(mine.elements[3].id, {"name": "Mine"})],
        )
    assert refused.value.saved_by == "Jane Smith"
    assert refused.value.saved_at is not None
    assert abs((datetime.now(UTC) - refused.value.saved_at).total_seconds()) < 60
    assert str(refused.value).startswith('Jane Smith saved "Tech Script" at ')
    assert "Nothing was saved" in str(refused.value)
    assert dump_tables(db) == before
    # Reloaded, the same edit goes through on top of Jane's.
    result = apply_element_changes(
        db,
        owner.id,
        built.script_id,
        saved.version,
        [UpdateElement(mine.elements[3].id, {"name": "Mine"})],
    )
    reloaded = load_script(second, owner.id, built.script_id)
    assert result.version == reloaded.version == saved.version + 1
    assert reloaded.elements[3].name == "Mine" and reloaded.elements[3].notes == "Jane's note"


def test_a_writer_waits_for_the_other_and_is_then_refused(
    db: Database, second: Database, owner: Person
) -> None:
    """Both start from the same version at the same time: the later one is refused."""
    built = make_script(db, owner, 20)
    ids = tuple(e.id for e in built.elements)
    holding = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def first_writer() -> None:
        with db.unit_of_work() as s:
            rows = [e.with_changes(offset_ms=e.offset_ms + 1000) for e in built.elements]
            write_script_state(
                s, built.script_id, built.version, rows, author_id=owner.id, steps=["Shift"]
            )
            holding.set()
            release.wait(10)
        outcome["first"] = "saved"

    def second_writer() -> None:
        holding.wait(10)
        try:
            apply_element_changes(
                second, owner.id, built.script_id, built.version, [ShiftTimes(ids, -1000)]
            )
            outcome["second"] = "saved"
        except ConflictError as exc:
            outcome["second"] = exc

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for t in threads:
        t.start()
    holding.wait(10)
    time.sleep(0.5)
    assert "second" not in outcome, "the second writer did not wait for the first"
    release.set()
    for t in threads:
        t.join(30)
    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], ConflictError), outcome["second"]
    loaded = load_script(db, owner.id, built.script_id)
    assert loaded.version == built.version + 1
    assert [e.offset_ms for e in loaded.elements] == [e.offset_ms + 1000 for e in built.elements]


def test_renaming_in_two_windows(db: Database, second: Database, owner: Person) -> None:
    built = make_script(db, owner, 3)
    rename_script(second, owner.id, built.script_id, built.version, "Tech (Jane)")
    before = dump_tables(db)
    with pytest.raises(ConflictError, match='saved "Tech \\(Jane\\)"'):
        rename_script(db, owner.id, built.script_id, built.version, "Tech (mine)")
    assert dump_tables(db) == before


def test_metrics_move_with_a_workload(
    db: Database, owner: Person, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    built = make_script(db, owner, 200)
    db.metrics.reset()
    version = built.version
    for n in range(3):
        version = apply_element_changes(
            db,
            owner.id,
            built.script_id,
            version,
            [ShiftTimes((built.elements[n].id,), 1000)],
        ).version
    load_script(db, owner.id, built.script_id)
    commits, rollbacks = db.metrics.commits, db.metrics.rollbacks
    assert commits >= 3 and db.metrics.statements > 10
    with pytest.raises(ConflictError):
        apply_element_changes(
            db,
            owner.id,
            built.script_id,
            built.version,
            [ShiftTimes((built.elements[0].id,), 1000)],
        )
    assert db.metrics.commits == commits, "a refused save committed"
    assert db.metrics.rollbacks == rollbacks + 1
    slowest = db.metrics.slowest()
    assert slowest and all(s.seconds >= 0 and s.statement for s in slowest)
    assert slowest == sorted(slowest, reverse=True)
    assert any("elements" in s.statement for s in slowest)
    assert db.metrics.statement_seconds > 0
    pool = db.pool_status()
    assert pool["pool"] and "status" in pool
    # The command line reports on the same database after the workload.
    assert main(["check", "--stats", "--database", db_url, "--user", "test-sm"]) == 0
    printed = capsys.readouterr().out
    assert "no problems found" in printed and "commits:" in printed
    assert main(["stats", "--database", db_url, "--user", "test-sm"]) == 0
    printed = capsys.readouterr().out
    statements = int(printed.split("statements: ")[1].split()[0])
    assert statements > 0 and " ms  SELECT" in printed

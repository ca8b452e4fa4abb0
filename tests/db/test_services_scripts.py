"""Scripts: create, load, rename / status / times, delete, duplicate."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import dump_tables
from support.script_builder import make_departments, make_script, make_show

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.models import CueCall, Element, Person, Run, Script, ScriptRevision
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import CallOutcome, ScriptStatus
from callmaster_desktop.errors import ConflictError, NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import (
    create_script,
    delete_script,
    duplicate_script,
    load_script,
    rename_script,
    script_deletion_summary,
    set_script_status,
    set_script_times,
    update_script,
)

CURTAIN = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)


def shape(elements: list[ElementData]) -> list[dict[str, Any]]:
    """The rows with ids replaced by positions: equal for a faithful copy."""
    position = {e.id: n for n, e in enumerate(elements)}
    return [
        {**e.as_dict(), "id": n, "parent_id": position.get(e.parent_id) if e.parent_id else None}
        for n, e in enumerate(elements)
    ]


def count(db: Database, model: Any, **where: Any) -> int:
    with db.reading() as s:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return int(s.scalar(q) or 0)


def test_create_script_then_load_it(db: Database, owner: Person) -> None:
    show_id = make_show(db, owner.id)
    changes = create_script(
        db,
        owner.id,
        show_id,
        "  Tech Script ",
        status="working",
        start_time=CURTAIN,
        end_time=CURTAIN + timedelta(hours=3),
        notes="Version for tech",
    )
    script_id = changes.created_id(Kind.SCRIPT)
    loaded = load_script(db, owner.id, script_id)
    assert (loaded.name, loaded.status, loaded.version) == ("Tech Script", ScriptStatus.WORKING, 1)
    assert loaded.start_time == CURTAIN and loaded.end_time == CURTAIN + timedelta(hours=3)
    assert loaded.notes == "Version for tech" and loaded.show_name == "Macbeth"
    assert loaded.elements == [] and loaded.departments == {}
    assert loaded.updated_by_id == owner.id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "   "}, "The script needs a name"),
        ({"name": "Tech Script"}, 'already has a script called "Tech Script"'),
        ({"name": "TECH SCRIPT"}, "already has a script called"),
        ({"name": "X", "status": "lost"}, '"lost" is not a script status'),
        (
            {"name": "X", "start_time": CURTAIN, "end_time": CURTAIN - timedelta(minutes=1)},
            "planned end comes before its planned start",
        ),
        ({"name": "X", "start_time": datetime(2027, 1, 1)}, "no time zone"),
    ],
)
def test_create_script_refuses_bad_input(
    db: Database, owner: Person, kwargs: dict[str, Any], message: str
) -> None:
    show_id = make_show(db, owner.id)
    create_script(db, owner.id, show_id, "Tech Script")
    before = dump_tables(db)
    with pytest.raises(ValidationError, match=message):
        create_script(db, owner.id, show_id, **kwargs)
    assert dump_tables(db) == before


def test_scripts_of_another_owner_are_not_found(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 12)
    other = ensure_profile(db, "other-sm")
    before = dump_tables(db)
    with pytest.raises(NotFoundError):
        load_script(db, other.id, built.script_id)
    with pytest.raises(NotFoundError):
        create_script(db, other.id, built.show_id, "Mine now")
    with pytest.raises(NotFoundError):
        rename_script(db, other.id, built.script_id, built.version, "Mine now")
    with pytest.raises(NotFoundError):
        duplicate_script(db, other.id, built.script_id)
    with pytest.raises(NotFoundError):
        delete_script(db, other.id, built.script_id)
    with pytest.raises(NotFoundError):
        load_script(db, owner.id, uuid.uuid4())
    assert dump_tables(db) == before


def test_load_script_gives_elements_in_order_and_departments_used(
    db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 40)
    loaded = load_script(db, owner.id, built.script_id)
    assert loaded.elements == built.elements
    used = {e.department_id for e in built.elements if e.department_id}
    assert set(loaded.departments) == used
    lx = loaded.departments[built.departments["LX"]]
    assert (lx.initials, lx.name, lx.color) == ("LX", "Lighting", "#FFCC00")
    assert loaded.version == built.version == 2


def test_rename_status_and_times_are_versioned_saves(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 20)
    create_script(db, owner.id, built.show_id, "Final")
    renamed = rename_script(db, owner.id, built.script_id, built.version, " Tech v2 ")
    assert renamed.version == built.version + 1 and renamed.revision_number == 2
    status = set_script_status(db, owner.id, built.script_id, renamed.version, "final")
    times = set_script_times(
        db, owner.id, built.script_id, status.version, CURTAIN, CURTAIN + timedelta(hours=2)
    )
    loaded = load_script(db, owner.id, built.script_id)
    assert (loaded.name, loaded.status, loaded.start_time) == (
        "Tech v2",
        ScriptStatus.FINAL,
        CURTAIN,
    )
    assert loaded.version == times.version == built.version + 3
    with db.reading() as s:
        revisions = s.execute(
            select(ScriptRevision.summary, ScriptRevision.snapshot)
            .where(ScriptRevision.script_id == built.script_id)
            .order_by(ScriptRevision.number)
        ).all()
    assert [r.summary for r in revisions] == [
        "Build",
        'Rename the script to "Tech v2"',
        "Mark the script final",
        "Change the script's planned end, planned start",
    ]
    assert revisions[-1].snapshot["script"]["name"] == "Tech v2"
    assert len(revisions[-1].snapshot["rows"]) == 20
    # Unchanged fields write nothing and keep the version.
    same = update_script(db, owner.id, built.script_id, times.version, {"name": "Tech v2"})
    assert not same.wrote and same.version == times.version


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"name": ""}, ValidationError, "The script needs a name"),
        ({"name": "final"}, ValidationError, 'already has a script called "final"'),
        ({"status": "perfect"}, ValidationError, '"perfect" is not a script status'),
        ({"colour": "red"}, ValidationError, "no field called colour"),
        ({"end_time": CURTAIN - timedelta(days=1)}, ValidationError, "comes before"),
    ],
)
def test_script_field_changes_refuse_bad_input(
    db: Database, owner: Person, fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    built = make_script(db, owner, 5)
    create_script(db, owner.id, built.show_id, "Final")
    set_script_times(db, owner.id, built.script_id, built.version, CURTAIN, None)
    before = dump_tables(db)
    with pytest.raises(error, match=message):
        update_script(db, owner.id, built.script_id, built.version + 1, fields)
    assert dump_tables(db) == before


def test_renaming_an_outdated_copy_is_a_conflict(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 5)
    rename_script(db, owner.id, built.script_id, built.version, "Tech v2")
    before = dump_tables(db)
    with pytest.raises(ConflictError, match='saved "Tech v2" at'):
        rename_script(db, owner.id, built.script_id, built.version, "Tech v3")
    assert dump_tables(db) == before


def test_delete_script_takes_its_rows_revisions_and_runs(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 30)
    keep = make_script(
        db, owner, 10, show_id=built.show_id, departments=built.departments, name="Backup"
    )
    with db.unit_of_work() as s:
        run = Run(show_id=built.show_id, script_id=built.script_id)
        s.add(run)
        s.flush()
        cue = built.elements[2]
        s.add(
            CueCall(
                run_id=run.id,
                element_id=cue.id,
                cue_label="LX 1",
                planned_offset_ms=cue.offset_ms,
                outcome=CallOutcome.CALLED,
            )
        )
    summary = script_deletion_summary(db, owner.id, built.script_id)
    assert (summary.elements, summary.runs, summary.revisions) == (30, 1, 1)
    assert summary.sentence.startswith("Deleting this script also deletes 30 row(s)")
    changes = delete_script(db, owner.id, built.script_id, base_version=built.version)
    assert changes.deleted_ids(Kind.SCRIPT) == (built.script_id,)
    assert count(db, Element, script_id=built.script_id) == 0
    assert count(db, ScriptRevision, script_id=built.script_id) == 0
    assert count(db, Run) == 0 and count(db, CueCall) == 0
    assert load_script(db, owner.id, keep.script_id).elements == keep.elements
    assert check_database(db) == []


def test_deleting_an_outdated_script_is_a_conflict(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 5)
    before = dump_tables(db)
    with pytest.raises(ConflictError):
        delete_script(db, owner.id, built.script_id, base_version=built.version - 1)
    assert dump_tables(db) == before


def test_delete_script_is_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    departments = make_departments(db, owner.id)
    for how in hows(backend):
        built = make_script(db, owner, 25, name=f"Doomed {how}", departments=departments)
        proof = assert_all_or_nothing(
            db, partial(delete_script, db, owner.id, built.script_id), how=how
        )
        assert proof.statements >= 5
        assert count(db, Element, script_id=built.script_id) == 0


def test_duplicate_script_in_the_same_show(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 60)
    first = duplicate_script(db, owner.id, built.script_id).created_id(Kind.SCRIPT)
    second = duplicate_script(db, owner.id, built.script_id).created_id(Kind.SCRIPT)
    original = load_script(db, owner.id, built.script_id)
    for copy_id, name in ((first, "Tech Script (copy)"), (second, "Tech Script (copy 2)")):
        copy = load_script(db, owner.id, copy_id)
        assert (copy.name, copy.status, copy.version, copy.show_id) == (
            name,
            ScriptStatus.COPY,
            1,
            built.show_id,
        )
        assert shape(copy.elements) == shape(original.elements)
        assert not {e.id for e in copy.elements} & {e.id for e in original.elements}
        assert copy.departments == original.departments
        assert all(e.id.version == 4 for e in copy.elements)
    assert original.elements == built.elements
    assert check_database(db) == []


def test_duplicate_script_into_another_show(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 30)
    set_script_status(db, owner.id, built.script_id, built.version, "final")
    tour = make_show(db, owner.id, "Macbeth on tour")
    created = duplicate_script(db, owner.id, built.script_id, to_show_id=tour)
    copy = load_script(db, owner.id, created.created_id(Kind.SCRIPT))
    assert (copy.name, copy.status, copy.show_id) == ("Tech Script", ScriptStatus.FINAL, tour)
    again = duplicate_script(db, owner.id, built.script_id, to_show_id=tour)
    assert load_script(db, owner.id, again.created_id(Kind.SCRIPT)).name == "Tech Script (copy)"
    named = duplicate_script(db, owner.id, built.script_id, name="Understudy run")
    assert load_script(db, owner.id, named.created_id(Kind.SCRIPT)).name == "Understudy run"
    other = ensure_profile(db, "other-sm")
    theirs = make_show(db, other.id, "Their show")
    before = dump_tables(db)
    with pytest.raises(NotFoundError):
        duplicate_script(db, owner.id, built.script_id, to_show_id=theirs)
    with pytest.raises(ValidationError, match="already has a script called"):
        duplicate_script(db, owner.id, built.script_id, name="understudy RUN")
    assert dump_tables(db) == before
    assert check_database(db) == []


def test_duplicate_script_is_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    built = make_script(db, owner, 40)
    for how in hows(backend):
        proof = assert_all_or_nothing(
            db, partial(duplicate_script, db, owner.id, built.script_id), how=how
        )
        copy = load_script(db, owner.id, proof.result.created_id(Kind.SCRIPT))
        assert shape(copy.elements) == shape(built.elements)
    assert check_database(db) == []


def test_write_script_state_keeps_a_compact_snapshot(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 8)
    rows = [e.with_changes(notes="checked") for e in built.elements]
    steps = ["Note every row", "Check", "Check again", "And again"]
    with db.unit_of_work() as s:
        result = write_script_state(
            s,
            built.script_id,
            built.version,
            rows,
            author_id=owner.id,
            steps=steps,
            script_fields={"notes": "Tech week"},
        )
    assert result.updated == tuple(e.id for e in rows) and result.version == built.version + 1
    assert result.changes.updated_ids(Kind.ELEMENT) == result.updated
    with db.reading() as s:
        revision = s.execute(
            select(
                ScriptRevision.steps,
                ScriptRevision.author_id,
                ScriptRevision.summary,
                ScriptRevision.script_version,
                ScriptRevision.snapshot,
            ).where(ScriptRevision.number == result.revision_number)
        ).one()
        script = s.get(Script, built.script_id)
        assert script is not None and script.notes == "Tech week"
        assert script.updated_by_id == owner.id
    assert revision.steps == steps and revision.author_id == owner.id
    assert revision.summary == "Note every row; Check; Check again (and 1 more)"
    assert revision.script_version == result.version
    snapshot = revision.snapshot
    assert snapshot["script"]["notes"] == "Tech week"
    assert [r[0] for r in snapshot["rows"]] == [str(e.id) for e in rows]
    notes_column = snapshot["columns"].index("notes")
    assert {r[notes_column] for r in snapshot["rows"]} == {"checked"}


def test_a_script_with_broken_numbering_is_not_copied(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 5)
    with db.unit_of_work() as s:  # as a damaged file might hold it
        first = s.get(Element, built.elements[0].id)
        assert first is not None
        first.sequence = 0
    before = dump_tables(db)
    with pytest.raises(ValidationError, match="not numbered 1, 2, 3"):
        duplicate_script(db, owner.id, built.script_id)
    assert dump_tables(db) == before

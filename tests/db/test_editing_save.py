"""Saving an edit session: one transaction, the version checked, revisions recorded.

Every test runs on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import rule, run_state_machine_as_test
from support.atomicity import assert_all_or_nothing, hows
from support.editing_machine import EditingMachine
from support.faults import dump_tables
from support.script_builder import make_departments, make_script, make_show

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.models import Person
from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditScriptInfo,
    EditSession,
    GroupElements,
    MoveElements,
    Place,
    RenumberDepartment,
    RestoreRevision,
    ShiftTimes,
    compare_revisions,
    list_revisions,
    load_revision,
)
from callmaster_desktop.editing.recovery import journal_path
from callmaster_desktop.errors import ConflictError, NotFoundError, ValidationError
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.scripts import create_script, load_script


def find(session: EditSession, label: str) -> uuid.UUID:
    return next(e.id for e in session.elements if session.state.label(e) == label)


def some_edits(session: EditSession) -> None:
    """A mix of commands on a script made by ``script_rows``."""
    state = session.state
    lx = next(d for d, i in state.departments.items() if i == "LX")
    session.apply(AddElement("cue", Place.after(find(session, "LX 2")), {"department_id": lx}))
    session.apply(EditFields(find(session, "SQ 1"), {"name": "Thunder", "offset_ms": "1:02:03"}))
    session.apply(MoveElements([find(session, "Scene 11")], Place.first_in(None)))
    session.apply(ShiftTimes([find(session, "Act 1")], "+0:05"))
    session.apply(GroupElements([find(session, "LX 3"), find(session, "SQ 3")], "Storm"))
    session.apply(DeleteElements([find(session, "FLY 2")]))
    session.apply(RenumberDepartment(lx, 101, 1))
    session.apply(EditScriptInfo({"notes": "Tech week", "status": "working"}))


def reloaded(db: Database, owner: Person, script_id: uuid.UUID) -> EditSession:
    return EditSession.open(db, owner.id, script_id, journal=False)


def test_saving_writes_the_queue_and_reloading_gives_the_same_state(
    db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 60)
    session = EditSession.open(db, owner.id, built.script_id)
    some_edits(session)
    steps = session.history
    assert journal_path(db, built.script_id).exists()
    result = session.save()
    assert (result.version, result.revision_number, list(result.steps)) == (
        built.version + 1,
        2,
        steps,
    )
    assert not session.is_dirty and session.history == [] and session.base_version == result.version
    assert not journal_path(db, built.script_id).exists()
    again = reloaded(db, owner, built.script_id)
    assert list(again.elements) == list(session.elements)
    assert again.info == session.info
    assert again.base_version == result.version
    assert check_database(db) == []
    newest = list_revisions(db, owner.id, built.script_id)[0]
    assert (newest.number, newest.script_version, list(newest.steps)) == (2, result.version, steps)
    assert newest.author == owner.full_name
    assert newest.summary.startswith(steps[0])


def test_a_session_with_nothing_done_saves_nothing(db: Database, owner: Person) -> None:
    built = make_script(db, owner, 20)
    session = EditSession.open(db, owner.id, built.script_id)
    before = dump_tables(db)
    assert session.save().revision_number is None
    assert dump_tables(db) == before


def _checked_save(db: Database, session: EditSession) -> Callable[[], object]:
    """``session.save``, checking first that every failed run kept the queue as it was."""
    steps, rows = session.history, list(session.elements)

    def save() -> object:
        assert session.history == steps and list(session.elements) == rows
        assert journal_path(db, session.script_id).exists()
        return session.save()

    return save


def test_a_save_is_all_or_nothing_and_keeps_the_queue(
    db: Database, owner: Person, backend: str
) -> None:
    departments = make_departments(db, owner.id)
    for how in hows(backend):
        built = make_script(db, owner, 60, departments=departments)
        session = EditSession.open(db, owner.id, built.script_id)
        some_edits(session)
        rows = list(session.elements)
        proof = assert_all_or_nothing(db, _checked_save(db, session), how=how)
        assert proof.statements >= 6
        assert list(reloaded(db, owner, built.script_id).elements) == rows
        assert not journal_path(db, built.script_id).exists()


def test_someone_else_saving_first_is_a_conflict_and_the_queue_can_go_to_a_copy(
    db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 40)
    mine = EditSession.open(db, owner.id, built.script_id, journal=False)
    theirs = EditSession.open(db, owner.id, built.script_id, journal=False)
    theirs.apply(DeleteElements([find(theirs, "Act 1")]))
    theirs.save()
    some_edits(mine)
    steps, rows = mine.history, list(mine.elements)
    before = dump_tables(db)
    with pytest.raises(ConflictError, match=r"after you opened it\. Nothing was saved") as caught:
        mine.save()
    assert caught.value.saved_by == owner.full_name
    assert dump_tables(db) == before
    assert (mine.history, list(mine.elements)) == (steps, rows)
    copy = mine.save_as_copy()
    assert copy.script_id != built.script_id and mine.script_id == copy.script_id
    saved_copy = load_script(db, owner.id, copy.script_id)
    assert saved_copy.name == "Tech Script (copy)" and saved_copy.status is ScriptStatus.COPY
    assert [(e.name, e.cue_number, e.offset_ms) for e in saved_copy.elements] == [
        (e.name, e.cue_number, e.offset_ms) for e in rows
    ]
    assert {e.id for e in saved_copy.elements}.isdisjoint({e.id for e in rows})
    assert list(mine.elements) == saved_copy.elements and not mine.is_dirty
    original = load_script(db, owner.id, built.script_id)
    assert original.elements == list(theirs.elements)  # their work is untouched
    assert check_database(db) == []
    with pytest.raises(ValidationError, match='already has a script called "tech script"'):
        mine.save_as_copy("tech script")


def test_a_rename_to_a_name_the_show_uses_is_refused_at_save(db: Database, owner: Person) -> None:
    deps = make_departments(db, owner.id)
    show = make_show(db, owner.id)
    built = make_script(db, owner, 10, show_id=show, departments=deps, name="Tech")
    make_script(db, owner, 0, show_id=show, departments=deps, name="Final")
    session = EditSession.open(db, owner.id, built.script_id)
    session.apply(EditScriptInfo({"name": "FINAL"}))
    before = dump_tables(db)
    with pytest.raises(ValidationError, match='This show already has a script called "FINAL"'):
        session.save()
    assert dump_tables(db) == before and session.history == ['Renamed the script to "FINAL"']
    session.apply(EditScriptInfo({"name": "Tech (dress)"}))
    session.save()
    assert load_script(db, owner.id, built.script_id).name == "Tech (dress)"


def test_a_deleted_script_cannot_be_saved(db: Database, owner: Person) -> None:
    from callmaster_desktop.services.scripts import delete_script

    built = make_script(db, owner, 10)
    session = EditSession.open(db, owner.id, built.script_id)
    session.apply(EditScriptInfo({"notes": "x"}))
    delete_script(db, owner.id, built.script_id)
    with pytest.raises(NotFoundError, match="no longer there"):
        session.save()
    assert session.history == ["Changed the script's notes"]


def test_revisions_compare_and_an_old_one_is_restored_and_saved(
    db: Database, owner: Person
) -> None:
    built = make_script(db, owner, 40)
    session = EditSession.open(db, owner.id, built.script_id)
    session.apply(EditFields(find(session, "LX 1"), {"offset_ms": "0:42"}))
    session.save()  # revision 2
    kept = (list(session.elements), session.info)
    session.apply(DeleteElements([find(session, "Act 1")]))
    session.apply(EditScriptInfo({"name": "Cut version"}))
    session.save()  # revision 3
    assert [r.number for r in list_revisions(db, owner.id, built.script_id)] == [3, 2, 1]
    comparison = compare_revisions(db, owner.id, built.script_id, 2, 3)
    assert len(comparison.removed) == 40 - len(session.elements)
    assert [c.field for c in comparison.info] == ["name"]
    assert not comparison.added and not comparison.changed
    revision = load_revision(db, owner.id, built.script_id, 2)
    assert (revision.elements, revision.info) == kept
    step = session.apply(RestoreRevision(revision))
    assert step.description.startswith("Restored revision 2 (")
    assert (list(session.elements), session.info) == kept
    session.undo()
    session.redo()
    session.save()
    again = reloaded(db, owner, built.script_id)
    assert (list(again.elements), again.info) == kept
    assert list_revisions(db, owner.id, built.script_id)[0].steps == (step.description,)
    with pytest.raises(NotFoundError):
        load_revision(db, owner.id, built.script_id, 99)


def test_another_owner_cannot_open_or_read_revisions(db: Database, owner: Person) -> None:
    from callmaster_desktop.profile import ensure_profile

    built = make_script(db, owner, 5)
    stranger = ensure_profile(db, "someone-else")
    with pytest.raises(NotFoundError):
        EditSession.open(db, stranger.id, built.script_id)
    with pytest.raises(NotFoundError):
        list_revisions(db, stranger.id, built.script_id)


def test_an_empty_script_is_edited_from_nothing(db: Database, owner: Person) -> None:
    deps = make_departments(db, owner.id)
    show = make_show(db, owner.id)
    script_id = create_script(db, owner.id, show, "Blank").created_id(Kind.SCRIPT)
    session = EditSession.open(db, owner.id, script_id)
    session.apply(AddElement("group", Place.last_in(None), {"name": "Act 1"}))
    act = session.elements[0].id
    session.apply(AddElement("cue", Place.last_in(act), {"department_id": deps["LX"]}))
    session.apply(AddElement("cue", Place.last_in(act), {"department_id": deps["LX"]}))
    assert session.history == ["Added the group Act 1", "Added LX 1", "Added LX 2"]
    session.save()
    assert list(reloaded(db, owner, script_id).elements) == list(session.elements)


class SavedEditing(EditingMachine):
    """The editing machine on a real script, saving now and then and reloading to compare."""

    def __init__(self, db: Database, owner: Person, departments: dict[str, uuid.UUID]) -> None:
        self.db, self.owner = db, owner
        built = make_script(db, owner, 30, departments=departments)
        self.script_id = built.script_id
        super().__init__(EditSession.open(db, owner.id, built.script_id, journal=False))

    @rule()
    def save(self) -> None:
        nothing_done = not self.session.history
        self.session.save()
        again = reloaded(self.db, self.owner, self.script_id)
        assert list(again.elements) == list(self.session.elements)
        assert again.info == self.session.info
        assert again.base_version == self.session.base_version
        if not nothing_done:  # a save with nothing done keeps what could be redone
            self.done = [self.now()]
            self.undone = []


def test_random_edits_save_and_reload_exactly(db: Database, owner: Person) -> None:
    departments = make_departments(db, owner.id)
    run_state_machine_as_test(
        lambda: SavedEditing(db, owner, departments),
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert check_database(db) == []

"""Comparing two states of a script and restoring an old one (in memory)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.editing import small_script

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditScriptInfo,
    MoveElements,
    NothingToChange,
    Place,
    RestoreRevision,
    ScriptInfo,
    compare,
)
from callmaster_desktop.editing.codec import decode_snapshot, encode_info, encode_row
from callmaster_desktop.editing.revisions import Revision, RevisionSummary
from callmaster_desktop.services.element_checks import snapshot


def test_compare_finds_added_removed_changed_and_moved_rows() -> None:
    script = small_script()
    session = script.session()
    add = AddElement(
        "cue", Place.after(script.id("LX 12")), {"department_id": script.departments["LX"]}
    )
    session.apply(add)
    session.apply(DeleteElements([script.id("FLY 1")]))
    session.apply(EditFields(script.id("SQ 4"), {"offset_ms": "0:25", "name": "Thunder"}))
    session.apply(MoveElements([script.id("Curtain call")], Place.first_in(None)))
    session.apply(EditScriptInfo({"status": "final"}))
    result = compare(script.rows, session.elements, script.info, session.info)
    assert [e.id for e in result.added] == [add.element_id]
    assert [e.id for e in result.removed] == [script.id("FLY 1")]
    assert [(c.new.id, [f.field for f in c.fields]) for c in result.changed] == [
        (script.id("SQ 4"), ["name", "offset_ms"])
    ]
    assert [e.id for e in result.moved] == [script.id("Curtain call")]
    assert [(f.field, f.old, f.new) for f in result.info] == [
        ("status", ScriptStatus.DRAFT, ScriptStatus.FINAL)
    ]
    lines = result.lines(script.initials.__getitem__)
    assert lines == [
        "Script status: draft -> final",
        "Added LX 12.5",
        "Removed FLY 1",
        'SQ 4: name "SQ cue 4" -> "Thunder"; time 0:20 -> 0:25',
        'Moved the note "Curtain call"',
    ]


def test_a_row_moved_to_another_group_is_changed_not_moved() -> None:
    script = small_script()
    session = script.session()
    session.apply(MoveElements([script.id("LX 13")], Place.first_in(script.id("Act 2"))))
    result = compare(script.rows, session.elements)
    assert [[f.field for f in c.fields] for c in result.changed] == [["parent_id"]]
    assert [e.id for e in result.moved] == [script.id("LX 13")]


def test_identical_states_compare_empty() -> None:
    script = small_script()
    assert not compare(script.rows, list(script.rows), script.info, script.info)


def _revision(rows: list[ElementData], info: ScriptInfo, number: int = 3) -> Revision:
    saved = snapshot(encode_info(info), rows)
    old_info, old_rows = decode_snapshot(saved)
    when = datetime(2026, 5, 12, 19, 4, tzinfo=UTC)
    return Revision(RevisionSummary(number, number + 1, "Ann", when, "", ()), old_info, old_rows)


def test_a_snapshot_reads_back_exactly() -> None:
    script = small_script()
    info = script.info.with_changes(start_time=datetime(2026, 5, 12, 19, 30, tzinfo=UTC), notes="n")
    revision = _revision(script.rows, info)
    assert revision.elements == script.rows
    assert revision.info == info
    assert [encode_row(e) for e in revision.elements] == snapshot({}, script.rows)["rows"]


def test_restoring_a_revision_is_one_undoable_step() -> None:
    script = small_script()
    session = script.session()
    revision = _revision(script.rows, script.info)
    session.apply(DeleteElements([script.id("Act 1")]))
    session.apply(EditScriptInfo({"name": "Final"}))
    edited = (list(session.elements), session.info)
    step = session.apply(RestoreRevision(revision))
    assert step.description.startswith("Restored revision 3 (12 May 2026, ")
    assert (list(session.elements), session.info) == (script.rows, script.info)
    session.undo()
    assert (list(session.elements), session.info) == edited
    session.redo()
    with pytest.raises(NothingToChange, match="already as it was in revision 3"):
        session.apply(RestoreRevision(revision))

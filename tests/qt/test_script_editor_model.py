"""The script editor's item model: rows mirror the engine, exact signals, folds and filters.

Every test runs the model under ``qtmodeltester`` (Qt's own model checker
stays attached and checks every signal the model emits while the engine's
commands change the script).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from benchmarks.script_factory import DEPARTMENTS, build_rows
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditSession,
    GroupElements,
    MoveElements,
    Place,
    ScriptInfo,
    ShiftTimes,
    SortByTime,
    Ungroup,
)
from ui.script_editor.filtering import RowFilter
from ui.script_editor.rows import Col, DepartmentInfo, RowFormatter
from ui.script_editor.script_model import ScriptModel
from ui.script_editor.shown_change import Insert, Move, Remove, Replace, plan_shown_change


class Signals:
    """Counts what the model emits."""

    def __init__(self, model: ScriptModel) -> None:
        self.seen: list[str] = []
        model.dataChanged.connect(lambda *_: self.seen.append("changed"))
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(f"inserted {b - a + 1}"))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(f"removed {b - a + 1}"))
        model.rowsMoved.connect(lambda *_: self.seen.append("moved"))
        model.modelReset.connect(lambda: self.seen.append("reset"))
        model.layoutChanged.connect(lambda *_: self.seen.append("layout"))

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


@pytest.fixture
def departments() -> dict[uuid.UUID, DepartmentInfo]:
    made = {}
    for name, initials, color in DEPARTMENTS:
        i = uuid.uuid4()
        made[i] = DepartmentInfo(i, name, initials, color)
    return made


@pytest.fixture
def session(departments: dict[uuid.UUID, DepartmentInfo]) -> EditSession:
    rows = build_rows(300, [(i, d.initials) for i, d in departments.items()])
    initials = {i: d.initials for i, d in departments.items()}
    return EditSession.in_memory(ScriptInfo("Tech Script"), rows, initials)


@pytest.fixture
def model(
    session: EditSession, departments: dict[uuid.UUID, DepartmentInfo], qtmodeltester: Any
) -> Iterator[ScriptModel]:
    m = ScriptModel(RowFormatter(departments))
    m.load(session.elements)
    qtmodeltester.check(m)
    yield m


def shown_ids(model: ScriptModel) -> list[uuid.UUID]:
    return [e.id for e in model.shown]


def apply(session: EditSession, model: ScriptModel, command: Any, touched: Any = ()) -> None:
    session.apply(command)
    model.sync(session.elements, touched)
    assert [e.id for e in model.elements] == [e.id for e in session.elements]


def first(session: EditSession, kind: ElementType, after: int = 0) -> uuid.UUID:
    return next(e.id for e in session.elements[after:] if e.element_type is kind)


def test_cells_read_like_a_calling_script(model: ScriptModel, session: EditSession) -> None:
    assert model.rowCount() == 300 and model.columnCount() == len(Col)
    assert model.headerData(Col.TIME, Qt.Orientation.Horizontal) == "Time"
    cue = next(e for e in session.elements if e.element_type is ElementType.CUE)
    row = model.row_of(cue.id)
    assert model.index(row, Col.CUE).data() == model.formatter.label(cue)
    assert model.index(row, Col.CUE).data().split()[1] == cue.cue_number
    group = session.elements[0]
    assert model.index(0, Col.NAME).data() == "Pre-show"
    inside = [e for e in session.elements if e.parent_id == group.id]
    first_ms = min(e.offset_ms for e in inside)
    last_ms = max(e.offset_ms + (e.duration_ms or 0) for e in inside)
    assert model.group_span(group.id) == (first_ms, last_ms)
    assert model.index(0, Col.TIME).data() == format_offset(first_ms)  # derived from its rows
    assert model.index(0, Col.DURATION).data() == format_offset(last_ms - first_ms)
    assert model.index(0, Col.NAME).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.index(0, Col.CUE).flags() & Qt.ItemFlag.ItemIsEditable


def test_an_edit_repaints_its_row_and_groups_without_moving_rows(
    model: ScriptModel, session: EditSession
) -> None:
    signals = Signals(model)
    cue = first(session, ElementType.CUE, 20)
    before = shown_ids(model)
    apply(session, model, EditFields(cue, {"name": "Thunder, louder"}))
    assert signals.take() == ["changed"]
    assert shown_ids(model) == before
    assert model.index(model.row_of(cue), Col.NAME).data() == "Thunder, louder"


def test_adding_deleting_and_moving_rows_are_inserts_removes_and_moves(
    model: ScriptModel, session: EditSession
) -> None:
    signals = Signals(model)
    cue = first(session, ElementType.CUE, 40)
    new = AddElement(ElementType.NOTE, Place.after(cue), {"name": "Hold for laugh"})
    apply(session, model, new)
    assert signals.take()[:1] == ["inserted 1"]
    assert model.id_at(model.row_of(cue) + 1) == new.element_id
    apply(session, model, DeleteElements([new.element_id]))
    assert signals.take()[:1] == ["removed 1"]
    scene = next(e for e in session.elements if e.name == "Scene 2")
    held = sum(1 for e in session.elements if e.parent_id == scene.id)
    apply(session, model, MoveElements([scene.id], Place.last_in(None)))
    assert signals.take()[:1] == ["moved"]
    assert model.id_at(model.rowCount() - held - 1) == scene.id
    assert "reset" not in signals.seen


def test_grouping_and_ungrouping_keep_every_row(model: ScriptModel, session: EditSession) -> None:
    cues = [e.id for e in session.elements if e.element_type is ElementType.CUE][10:13]
    same_group = [
        c for c in cues if session.state.get(c).parent_id == session.state.get(cues[0]).parent_id
    ]
    command = GroupElements(same_group, "Storm")
    apply(session, model, command)
    assert model.depth(same_group[0]) == model.depth(command.group_id) + 1
    assert model.holds(command.group_id) == len(same_group)
    apply(session, model, Ungroup(command.group_id))
    assert model.row_of(command.group_id) == -1
    assert len(model.shown) == 300


def test_folding_hides_a_group_rows_and_survives_edits(
    model: ScriptModel, session: EditSession
) -> None:
    signals = Signals(model)
    act = next(e for e in session.elements if e.name == "Act 1")
    inside = {e.id for e in session.elements if session.state.is_inside(e, act.id)}
    model.fold(act.id)
    assert signals.take()[0] == f"removed {len(inside)}"
    assert not inside & set(shown_ids(model))
    assert model.fold_state(act) == "folded"
    hidden_cue = next(i for i in inside if session.state.get(i).element_type is ElementType.CUE)
    apply(session, model, ShiftTimes([hidden_cue], "+0:05"))
    assert model.row_of(hidden_cue) == -1  # still folded
    model.fold(act.id, False)
    assert signals.take()[-2] == f"inserted {len(inside)}"
    assert model.row_of(hidden_cue) > model.row_of(act.id)


def test_a_filter_shows_matches_with_their_groups_and_keeps_edits_in_view(
    model: ScriptModel, session: EditSession, departments: dict[uuid.UUID, DepartmentInfo]
) -> None:
    lx = next(i for i, d in departments.items() if d.initials == "LX")
    model.set_filter(RowFilter(departments=frozenset({lx})))
    shown = model.shown
    cues = [e for e in shown if e.element_type is ElementType.CUE]
    assert cues and all(e.department_id == lx for e in cues)
    assert all(e.element_type is ElementType.GROUP for e in shown if e.department_id != lx)
    # A note added under the filter stays in view until the filter changes...
    note = AddElement(ElementType.NOTE, Place.after(cues[0].id), {"name": "Check the haze"})
    apply(session, model, note, [note.element_id])
    assert model.row_of(note.element_id) == model.row_of(cues[0].id) + 1
    # ...and a hidden row's edit is in the engine's rows all the same (a filter never hides
    # an edit from the save).
    sq_cue = next(
        e for e in session.elements if e.element_type is ElementType.CUE and e.department_id != lx
    )
    apply(session, model, EditFields(sq_cue.id, {"priority": Priority.SAFETY}))
    assert session.state.get(sq_cue.id).priority is Priority.SAFETY
    model.set_filter(RowFilter(text="check haze"))
    assert [e.name for e in model.shown if e.element_type is ElementType.NOTE] == ["Check the haze"]
    model.set_filter(RowFilter())
    assert len(model.shown) == len(session.elements)


def test_sorting_a_large_edit_still_ends_identical(
    model: ScriptModel, session: EditSession
) -> None:
    signals = Signals(model)
    cues = [e.id for e in session.elements if e.element_type is ElementType.CUE]
    apply(session, model, ShiftTimes(cues[::3], "-0:40"))
    apply(session, model, SortByTime())
    assert "reset" not in signals.seen
    assert shown_ids(model) == [e.id for e in session.elements]
    for row in (0, 50, 299):
        index = model.index(row, Col.TIME)
        e = model.element_at(row)
        assert e is not None and index.data() == model.formatter.text(
            e, Col.TIME, model.group_span(e.id) if e.element_type is ElementType.GROUP else None
        )
    assert model.index(0, 0, model.index(0, 0)) == QModelIndex()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([1, 2, 3], [1, 2, 3], None),
        ([1, 4], [1, 2, 3, 4], Insert(1, 2)),
        ([1, 2, 3, 4], [1, 4], Remove(1, 2)),
        ([1, 2, 3, 4, 5], [1, 4, 2, 3, 5], Move(1, 2, 4)),  # 2 and 3 moved below 4
        ([1, 2, 3, 4, 5], [1, 4, 9, 5], Replace(1, 3, 2)),
    ],
)
def test_the_shown_rows_change_as_one_insert_remove_or_move(
    old: list[int], new: list[int], expected: object
) -> None:
    assert plan_shown_change(old, new) == expected

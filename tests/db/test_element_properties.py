"""Random edits through ``apply_element_changes`` keep every rule, and match a model.

The model below applies each change to a flat list with its own (naive)
algorithm and predicts whether the save must be refused (a group put inside
itself, a cue number used twice). After every save: the database passes
``check_database`` and the loaded script equals the model, row for row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.script_builder import make_departments, make_script

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.elements import (
    AddElement,
    DeleteElement,
    ElementChange,
    MoveElements,
    SetField,
    ShiftTimes,
    UpdateElement,
    apply_element_changes,
)
from callmaster_desktop.services.scripts import load_script

NAMES = ("Preset", "Blackout", "Storm", "Hold", "Bows", "Act", "Scene", "Fog", "")


class Invalid(Exception):
    """The model's prediction: this save must be refused."""


class Model:
    def __init__(self, rows: Sequence[ElementData]) -> None:
        self.rows = list(rows)

    def at(self, element_id: uuid.UUID) -> int:
        return next(i for i, r in enumerate(self.rows) if r.id == element_id)

    def block_end(self, i: int) -> int:
        inside = {self.rows[i].id}
        j = i + 1
        while j < len(self.rows) and self.rows[j].parent_id in inside:
            inside.add(self.rows[j].id)
            j += 1
        return j

    def block(self, element_id: uuid.UUID) -> list[ElementData]:
        i = self.at(element_id)
        return self.rows[i : self.block_end(i)]

    def place(self, parent: uuid.UUID | None, after: uuid.UUID | None, pos: int | None) -> int:
        if after is not None and after != parent:
            return self.block_end(self.at(after))
        if after is not None:
            return self.at(after) + 1
        siblings = [i for i, r in enumerate(self.rows) if r.parent_id == parent]
        if pos is not None and siblings and max(pos, 0) < len(siblings):
            return siblings[max(pos, 0)]
        return len(self.rows) if parent is None else self.block_end(self.at(parent))

    def apply(self, change: ElementChange) -> None:
        if isinstance(change, AddElement):
            row = change.data.with_changes(parent_id=change.parent_id)
            at = self.place(change.parent_id, change.after_id, change.position)
            self.rows.insert(at, row)
        elif isinstance(change, DeleteElement):
            i = self.at(change.id)
            row = self.rows[i]
            if change.with_children:
                del self.rows[i : self.block_end(i)]
            else:
                del self.rows[i]
                self.rows = [
                    r.with_changes(parent_id=row.parent_id) if r.parent_id == row.id else r
                    for r in self.rows
                ]
        elif isinstance(change, MoveElements):
            self._move(change)
        elif isinstance(change, ShiftTimes):
            assert isinstance(change.delta_ms, int)
            moved = {r.id for i in change.ids for r in self.block(i)}
            self.rows = [
                r.with_changes(offset_ms=r.offset_ms + change.delta_ms) if r.id in moved else r
                for r in self.rows
            ]
        elif isinstance(change, SetField):
            self.rows = [
                r.with_changes(**{change.field: change.value}) if r.id in change.ids else r
                for r in self.rows
            ]
        elif isinstance(change, UpdateElement):
            i = self.at(change.id)
            self.rows[i] = self.rows[i].with_changes(**change.fields)

    def _move(self, change: MoveElements) -> None:
        blocks = {i: {r.id for r in self.block(i)} for i in change.ids}
        roots = [i for i in change.ids if not any(i in b - {o} for o, b in blocks.items())]
        inside = set().union(*blocks.values())
        if change.parent_id in inside:
            raise Invalid("inside itself")
        if change.after_id not in (None, change.parent_id) and change.after_id in inside:
            raise Invalid("after a moving row")
        roots.sort(key=self.at)
        moving = [
            r.with_changes(parent_id=change.parent_id) if r.id in roots else r
            for root in roots
            for r in self.block(root)
        ]
        self.rows = [r for r in self.rows if r.id not in inside]
        at = self.place(change.parent_id, change.after_id, change.position)
        self.rows[at:at] = moving

    def check(self) -> None:
        seen: set[tuple[uuid.UUID, str]] = set()
        for r in self.rows:
            if r.department_id is not None and r.cue_number:
                key = (r.department_id, r.cue_number)
                if key in seen:
                    raise Invalid("cue number used twice")
                seen.add(key)


def _groups(model: Model) -> list[uuid.UUID | None]:
    return [None, *(r.id for r in model.rows if r.element_type is ElementType.GROUP)]


@st.composite
def a_change(draw: Any, model: Model, departments: list[uuid.UUID]) -> ElementChange:
    rows = model.rows
    ids = [r.id for r in rows]
    kinds = ["add", "add"] + (["update", "delete", "move", "shift", "set"] if ids else [])
    kind = draw(st.sampled_from(kinds))
    if kind in ("add", "move"):
        parent = draw(st.sampled_from(_groups(model)))
        children = [r.id for r in rows if r.parent_id == parent]
        after = draw(st.sampled_from([None, *children, *([parent] if parent else [])]))
        position = draw(st.none() | st.integers(-1, 6)) if after is None else None
    if kind == "add":
        element_type = draw(st.sampled_from(list(ElementType)))
        dept = draw(st.sampled_from(departments)) if element_type is ElementType.CUE else None
        number = None
        if dept is not None:
            used = [int(r.cue_number) for r in rows if r.department_id == dept and r.cue_number]
            number = str(max(used, default=0) + 1)
        data = ElementData(
            element_type,
            draw(st.sampled_from(NAMES)),
            draw(st.integers(-3_600_000, 10_800_000)),
            department_id=dept,
            cue_number=number,
        )
        return AddElement(data, after_id=after, parent_id=parent, position=position)
    if kind == "move":
        moving = tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)))
        return MoveElements(moving, after_id=after, parent_id=parent, position=position)
    if kind == "delete":
        return DeleteElement(draw(st.sampled_from(ids)), with_children=draw(st.booleans()))
    if kind == "shift":
        chosen = tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True)))
        return ShiftTimes(chosen, draw(st.integers(-120_000, 120_000)))
    target = draw(st.sampled_from(rows))
    if kind == "set":
        cues = [r.id for r in rows if r.element_type is ElementType.CUE]
        if cues and draw(st.booleans()):
            chosen = tuple(
                draw(st.lists(st.sampled_from(cues), min_size=1, max_size=2, unique=True))
            )
            return SetField(chosen, "department_id", draw(st.sampled_from(departments)))
        return SetField((target.id,), "priority", draw(st.sampled_from(list(Priority))))
    fields: dict[str, Any] = {
        "name": draw(st.sampled_from(NAMES)),
        "notes": draw(st.none() | st.just("Watch the stairs")),
    }
    if target.element_type is ElementType.CUE:
        fields["cue_number"] = str(draw(st.integers(1, 8)))
    fields["offset_ms"] = draw(st.integers(-60_000, 60_000))
    return UpdateElement(target.id, fields)


def _run(db: Database, data: st.DataObject, steps: int) -> None:
    login = f"sm-{uuid.uuid4().hex[:8]}"
    owner = ensure_profile(db, login)
    departments = make_departments(db, owner.id)
    built = make_script(db, owner.id, data.draw(st.integers(0, 25)), departments=departments)
    model = Model(built.elements)
    version = built.version
    for _ in range(steps):
        batch: list[ElementChange] = []
        trial = Model(model.rows)
        expected_invalid = False
        for _ in range(data.draw(st.integers(1, 3))):
            change = data.draw(a_change(trial, list(departments.values())))
            batch.append(change)
            try:
                trial.apply(change)
                trial.check()
            except Invalid:
                expected_invalid = True
                break
        event("refused" if expected_invalid else "saved")
        if expected_invalid:
            with pytest.raises(ValidationError):
                apply_element_changes(db, owner.id, built.script_id, version, batch)
        else:
            result = apply_element_changes(db, owner.id, built.script_id, version, batch)
            version = result.version
            model = trial
        loaded = load_script(db, owner.id, built.script_id)
        assert loaded.version == version
        assert loaded.elements == model.rows
        assert check_database(db) == []


# The longer run is on SQLite for speed; PostgreSQL gets a shorter one of its own.
@pytest.mark.parametrize("backend", ["sqlite"])
@given(data=st.data())
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_random_edits_keep_the_rules_on_sqlite(db: Database, data: st.DataObject) -> None:
    assert db.is_sqlite
    _run(db, data, steps=5)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
@given(data=st.data())
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_random_edits_keep_the_rules_on_postgres(db: Database, data: st.DataObject) -> None:
    assert not db.is_sqlite
    _run(db, data, steps=4)


def test_model_agrees_on_a_known_case() -> None:
    """The model itself: moving a group moves its rows; deleting promotes them."""
    a, b, c = (uuid.uuid4() for _ in range(3))
    rows = [
        ElementData(ElementType.GROUP, "A", id=a),
        ElementData(ElementType.NOTE, "in A", id=b, parent_id=a),
        ElementData(ElementType.GROUP, "C", id=c),
    ]
    model = Model(rows)
    model.apply(MoveElements((a,), parent_id=c))
    assert [(r.name, r.parent_id) for r in model.rows] == [("C", None), ("A", c), ("in A", a)]
    model.apply(DeleteElement(a))
    assert [(r.name, r.parent_id) for r in model.rows] == [("C", None), ("in A", c)]

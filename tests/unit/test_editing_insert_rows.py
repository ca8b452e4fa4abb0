"""Pasting and duplicating rows as one undoable step (the script editor's InsertRows)."""

from __future__ import annotations

import uuid

import pytest
from support.editing import SmallScript, labels, small_script, tree

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.editing import EditSession, Place
from callmaster_desktop.editing.insert_rows import InsertRows
from callmaster_desktop.errors import ValidationError


@pytest.fixture
def script() -> SmallScript:
    return small_script()


@pytest.fixture
def session(script: SmallScript) -> EditSession:
    return script.session(local=True)


def rows_of(session: EditSession, *ids: uuid.UUID) -> list[ElementData]:
    wanted = set(ids)
    return [e for e in session.elements if e.id in wanted]


def test_duplicating_a_cue_proposes_the_number_in_between(
    session: EditSession, script: SmallScript
) -> None:
    lx12 = script.id("LX 12")
    command = InsertRows(rows_of(session, lx12), Place.after(lx12), verb="Duplicated")
    step = session.apply(command)
    assert step.description == "Duplicated LX 12 as LX 12.5"
    assert labels(session)[2:5] == ["LX 12", "LX 12.5", "SQ 4"]
    copy = session.state.get(command.new_ids[0])
    assert copy.id != lx12 and copy.name == "LX cue 12" and copy.offset_ms == 10_000
    session.undo()
    assert session.elements == script.rows


def test_pasting_a_group_keeps_its_rows_inside_the_copy(
    session: EditSession, script: SmallScript
) -> None:
    act2 = script.id("Act 2")
    block = [e for e in session.elements if e.id == act2 or e.parent_id == act2]
    step = session.apply(InsertRows(block, Place.last_in(None)))
    assert step.description == "Pasted Act 2"
    assert tree(session)[-3:] == ["Act 2", "  LX 15", "  FLY 2"]
    assert element_rule_problems(session.elements) == []


def test_rows_from_another_script_keep_free_numbers_and_take_the_place_group(
    session: EditSession, script: SmallScript
) -> None:
    foreign_group = uuid.uuid4()
    lx = script.departments["LX"]
    rows = [
        ElementData(
            ElementType.CUE,
            "Storm",
            5_000,
            parent_id=foreign_group,
            department_id=lx,
            cue_number="40",
        ),
        ElementData(ElementType.NOTE, "Hold", 6_000, parent_id=foreign_group),
    ]
    command = InsertRows(rows, Place.first_in(script.id("Act 2")))
    assert session.apply(command).description == "Pasted 2 rows"
    assert tree(session)[6:9] == ["Act 2", "  LX 40", '  the note "Hold"']
    pasted = rows_of(session, *command.new_ids)
    assert {e.parent_id for e in pasted} == {script.id("Act 2")}


def test_a_refused_paste_changes_nothing(session: EditSession, script: SmallScript) -> None:
    before = list(session.elements)
    stranger = ElementData(ElementType.CUE, "Pyro", 0, department_id=uuid.uuid4(), cue_number="1")
    with pytest.raises(ValidationError, match="not one of yours"):
        session.apply(InsertRows([stranger], Place.last_in(None)))
    with pytest.raises(ValidationError, match="nothing to paste"):
        session.apply(InsertRows([], Place.last_in(None)))
    assert list(session.elements) == before and session.history == []

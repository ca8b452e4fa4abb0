"""Undo, redo and revert: every command gives back exactly what was there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.editing import SmallScript, small_script

from callmaster_desktop.domain.rules import element_rule_problems
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
    SetForSelection,
    ShiftTimes,
    SortByTime,
    Ungroup,
)
from callmaster_desktop.editing.base import Command
from callmaster_desktop.errors import ValidationError

COMMANDS: dict[str, Callable[[SmallScript], Command]] = {
    "add": lambda s: AddElement(
        "cue", Place.after(s.id("LX 12")), {"department_id": s.departments["LX"]}
    ),
    "edit": lambda s: EditFields(
        s.id("SQ 4"), {"name": "Storm", "offset_ms": "0:21", "notes": "loud"}
    ),
    "clear": lambda s: EditFields(s.id("Act 1"), {"name": None}),
    "delete": lambda s: DeleteElements([s.id("Act 1")]),
    "delete-header": lambda s: DeleteElements([s.id("Act 1")], keep_children=True),
    "move": lambda s: MoveElements([s.id("Scene 1")], Place.last_in(s.id("Act 2"))),
    "move-out": lambda s: MoveElements([s.id("SQ 4"), s.id("FLY 1")], Place.first_in(None)),
    "group": lambda s: GroupElements([s.id("Act 1"), s.id("Act 2")], "Play"),
    "ungroup": lambda s: Ungroup(s.id("Scene 1")),
    "shift": lambda s: ShiftTimes([s.id("Act 1"), s.id("FLY 1")], "-0:05"),
    "set": lambda s: SetForSelection(
        [s.id("LX 12"), s.id("LX 14")], "department_id", s.departments["VID"]
    ),
    "renumber": lambda s: RenumberDepartment(s.departments["LX"], 100, 10),
    "sort": lambda s: SortByTime(),
    "info": lambda s: EditScriptInfo({"name": "Final", "status": "final"}),
}


def _prepare_sort(script: SmallScript, session: EditSession) -> None:
    session.apply(EditFields(script.id("Curtain call"), {"offset_ms": "0:01"}))


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("local", [False, True], ids=["full", "local"])
def test_undo_gives_back_exactly_and_redo_does_it_again(name: str, local: bool) -> None:
    script = small_script()
    session = script.session(local=local)
    if name == "sort":
        _prepare_sort(script, session)
    before = (list(session.elements), session.info)
    step = session.apply(COMMANDS[name](script))
    after = (list(session.elements), session.info)
    assert after != before
    assert element_rule_problems(session.elements) == []
    assert session.undo_description == step.description
    assert session.undo() is step
    assert (list(session.elements), session.info) == before
    assert session.redo_description == step.description
    assert session.redo() is step
    assert (list(session.elements), session.info) == after


def test_revert_to_an_earlier_step_and_forward_again() -> None:
    script = small_script()
    session = script.session()
    states = [list(session.elements)]
    for name in ("add", "move", "shift", "renumber", "delete"):
        session.apply(COMMANDS[name](script))
        states.append(list(session.elements))
    done = session.history
    assert len(done) == 5
    session.revert_to(2)
    assert list(session.elements) == states[2]
    assert session.history == done[:2]
    assert session.redo_history == done[2:]
    assert len(session.redo_history) == 3
    assert session.redo_history[0].startswith("Shifted")
    session.revert_to(0)
    assert list(session.elements) == script.rows and not session.is_dirty
    while session.redo():
        pass
    assert list(session.elements) == states[-1]
    with pytest.raises(ValidationError, match="no step 6"):
        session.revert_to(6)


def test_a_new_command_drops_what_could_be_redone() -> None:
    script = small_script()
    session = script.session()
    session.apply(COMMANDS["shift"](script))
    session.undo()
    assert session.redo_description is not None
    session.apply(COMMANDS["info"](script))
    assert session.redo_description is None and session.redo() is None
    assert session.history == ["Changed the script's name and status"]


def test_nothing_to_undo_or_redo() -> None:
    session = small_script().session()
    assert session.undo() is None and session.redo() is None
    assert session.undo_description is None and session.redo_description is None
    assert not session.is_dirty


def test_a_refused_command_keeps_the_queue_and_what_could_be_redone() -> None:
    script = small_script()
    session = script.session()
    session.apply(COMMANDS["shift"](script))
    session.apply(COMMANDS["info"](script))
    session.undo()
    before = (list(session.elements), session.info, session.history, session.redo_history)
    with pytest.raises(ValidationError):
        session.apply(EditFields(script.id("LX 13"), {"cue_number": "12"}))
    assert (list(session.elements), session.info, session.history, session.redo_history) == before


def test_descriptions_read_as_a_stage_manager_would_say_them() -> None:
    script = small_script()
    session = script.session()
    for name in COMMANDS:
        if name in ("delete", "sort", "delete-header", "group", "move", "ungroup"):
            continue
        session.apply(COMMANDS[name](script))
    assert session.history == [
        "Added LX 12.5",
        "Changed the name, notes and time of SQ 4",
        "Cleared the name of Act 1",
        "Moved 2 cues to the top of the script",
        "Shifted 7 rows by -0:05",  # Act 1 with its 5 rows, and FLY 1
        "Set the department of 2 cues to VID",
        "Renumbered LX from 100 by 10 (2 cues)",  # LX 12.5 and LX 13 are left
        "Changed the script's name and status",
    ]

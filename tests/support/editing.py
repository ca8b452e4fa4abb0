"""A small calling script in memory, for the editing engine's tests.

::

    Act 1                 (group)
      Scene 1             (group)
        LX 12   0:10
        SQ 4    0:20
        LX 13   0:30
      Actor enters SL     (note) 0:40
    Act 2                 (group)
      LX 14   1:00
      FLY 1   1:10
    Curtain call         (note) 2:00
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

import pytest

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.editing import (
    AddElement,
    DeleteElements,
    EditFields,
    EditScriptInfo,
    GroupElements,
    MoveElements,
    Place,
    SetForSelection,
    ShiftTimes,
    Ungroup,
)
from callmaster_desktop.editing.base import Command
from callmaster_desktop.editing.guard import RuleGuard
from callmaster_desktop.editing.session import EditSession
from callmaster_desktop.editing.state import ScriptInfo
from callmaster_desktop.errors import ValidationError

CUE, NOTE, GROUP = ElementType.CUE, ElementType.NOTE, ElementType.GROUP


@dataclass
class SmallScript:
    departments: dict[str, uuid.UUID]
    rows: list[ElementData]
    info: ScriptInfo

    def id(self, label: str) -> uuid.UUID:
        """The id of a row by its label: ``"LX 12"``, ``"Act 1"``, ``"Curtain call"``."""
        initials = {v: k for k, v in self.departments.items()}
        for e in self.rows:
            if e.element_type is CUE and e.department_id is not None:
                if f"{initials[e.department_id]} {e.cue_number}" == label:
                    return e.id
            elif e.name == label:
                return e.id
        raise KeyError(label)

    @property
    def initials(self) -> dict[uuid.UUID, str]:
        return {v: k for k, v in self.departments.items()}

    def session(self, *, local: bool = False) -> EditSession:
        """A session without a database; ``local=True`` forces the local rule check."""
        guard = RuleGuard(full_check_below=0, cross_check=True) if local else RuleGuard()
        return EditSession.in_memory(self.info, self.rows, self.initials, guard=guard)


def small_script() -> SmallScript:
    deps = {"LX": uuid.uuid4(), "SQ": uuid.uuid4(), "FLY": uuid.uuid4(), "VID": uuid.uuid4()}
    act1, scene1, act2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def cue(dept: str, number: str, ms: int, parent: uuid.UUID | None) -> ElementData:
        return ElementData(
            CUE,
            f"{dept} cue {number}",
            ms,
            parent_id=parent,
            department_id=deps[dept],
            cue_number=number,
        )

    rows = [
        ElementData(GROUP, "Act 1", 10_000, id=act1),
        ElementData(GROUP, "Scene 1", 10_000, id=scene1, parent_id=act1),
        cue("LX", "12", 10_000, scene1),
        cue("SQ", "4", 20_000, scene1),
        cue("LX", "13", 30_000, scene1),
        ElementData(NOTE, "Actor enters SL", 40_000, parent_id=act1),
        ElementData(GROUP, "Act 2", 60_000, id=act2),
        cue("LX", "14", 60_000, act2),
        cue("FLY", "1", 70_000, act2),
        ElementData(NOTE, "Curtain call", 120_000),
    ]
    assert element_rule_problems(rows) == []
    return SmallScript(deps, rows, ScriptInfo("Tech Script"))


def labels(session: EditSession) -> list[str]:
    return [session.state.label(e) for e in session.elements]


def tree(session: EditSession) -> list[str]:
    """Each row's label indented by its depth, to compare shapes in a test."""
    out = []
    for e in session.elements:
        depth = len(session.state.ancestors(e))
        out.append("  " * depth + session.state.label(e))
    return out


def assert_refused(session: EditSession, command: Command, match: str) -> None:
    """The command is refused with a message and nothing changes, queue included."""
    before = (list(session.elements), session.info, session.history, session.redo_history)
    with pytest.raises(ValidationError, match=match):
        session.apply(command)
    after = (list(session.elements), session.info, session.history, session.redo_history)
    assert after == before


def random_command(rng: random.Random, session: EditSession) -> Command:
    """A command chosen by ``rng`` from the session's rows: the same seed, the same commands.

    New rows get ids from ``rng`` too, so two sessions fed the same seed end
    up with identical rows. Some commands are refused, as a user's would be.
    """
    rows = session.elements
    e = rows[rng.randrange(len(rows))]
    other = rows[rng.randrange(len(rows))]
    groups = [r.id for r in rows if r.element_type is GROUP]
    departments = sorted(session.state.departments, key=str)
    new_id = uuid.UUID(int=rng.getrandbits(128))
    choice = rng.randrange(10)
    if choice == 0:
        return MoveElements([e.id], Place.after(other.id))
    if choice == 1 and groups:
        return MoveElements([e.id], Place.first_in(rng.choice(groups)))
    if choice == 2:
        return EditFields(e.id, {"name": f"Edit {rng.randrange(1000)}", "offset_ms": "1:00"})
    if choice == 3:
        return ShiftTimes([e.id, other.id], rng.choice(["+0:05", "-0:05", "+90s"]))
    if choice == 4:
        return DeleteElements([e.id], keep_children=rng.random() < 0.5)
    if choice == 5:
        return GroupElements([e.id], f"Group {rng.randrange(100)}", group_id=new_id)
    if choice == 6 and groups:
        return Ungroup(rng.choice(groups))
    if choice == 7:
        return EditScriptInfo({"notes": f"Note {rng.randrange(1000)}"})
    if choice == 8:
        return SetForSelection([e.id], "priority", rng.choice(["safety", "high", "normal"]))
    place = Place.before(other.id)
    return AddElement("cue", place, {"department_id": rng.choice(departments)}, element_id=new_id)

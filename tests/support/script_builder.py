"""Build shows, departments and scripts of any size for the script and element tests.

Scripts are written through the real save (``write_script_state``), so a
test starts from a state the services themselves produced.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Person, Show
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import create_script

DEPARTMENTS = (("Lighting", "LX", "#FFCC00"), ("Sound", "SQ", "#2F7FC1"), ("Fly", "FLY", "#8E5BB5"))


@dataclass
class Built:
    show_id: uuid.UUID
    script_id: uuid.UUID
    version: int
    departments: dict[str, uuid.UUID]
    elements: list[ElementData]
    owner_id: uuid.UUID


def make_departments(db: Database, owner_id: uuid.UUID) -> dict[str, uuid.UUID]:
    with db.unit_of_work() as session:
        made = [
            Department(owner_id=owner_id, name=name, initials=initials, color=color)
            for name, initials, color in DEPARTMENTS
        ]
        session.add_all(made)
        session.flush()
        return {d.initials: d.id for d in made}


def make_show(db: Database, owner_id: uuid.UUID, name: str = "Macbeth") -> uuid.UUID:
    with db.unit_of_work() as session:
        show = Show(owner_id=owner_id, name=name)
        session.add(show)
        session.flush()
        return show.id


def script_rows(departments: dict[str, uuid.UUID], count: int) -> list[ElementData]:
    """``count`` rows: acts (groups) holding scenes (groups) holding cues and notes."""
    rows: list[ElementData] = []
    numbers = dict.fromkeys(departments.values(), 0)
    act: uuid.UUID | None = None
    scene: uuid.UUID | None = None
    initials = list(departments)
    for i in range(count):
        offset = i * 5_000 - 60_000
        if i % 50 == 0:
            act = uuid.uuid4()
            rows.append(ElementData(ElementType.GROUP, f"Act {i // 50 + 1}", offset, id=act))
            scene = None
            continue
        if i % 10 == 1:
            scene = uuid.uuid4()
            rows.append(
                ElementData(ElementType.GROUP, f"Scene {i}", offset, id=scene, parent_id=act)
            )
            continue
        parent = scene if 1 < i % 10 < 8 else act
        if i % 7 == 3:
            rows.append(ElementData(ElementType.NOTE, f"Note {i}", offset, parent_id=parent))
            continue
        dept = departments[initials[i % len(initials)]]
        numbers[dept] += 1
        rows.append(
            ElementData(
                ElementType.CUE,
                f"Cue {i}",
                offset,
                parent_id=parent,
                department_id=dept,
                cue_number=str(numbers[dept]),
                priority=Priority.SAFETY if i % 13 == 0 else Priority.NORMAL,
                duration_ms=3_000 if i % 2 else None,
                location="SL" if i % 3 == 0 else None,
            )
        )
    return rows


def make_script(
    db: Database,
    owner: Person | uuid.UUID,
    count: int = 30,
    *,
    show_id: uuid.UUID | None = None,
    departments: dict[str, uuid.UUID] | None = None,
    name: str = "Tech Script",
) -> Built:
    owner_id = owner if isinstance(owner, uuid.UUID) else owner.id
    departments = departments or make_departments(db, owner_id)
    show_id = show_id or make_show(db, owner_id)
    script_id = create_script(db, owner_id, show_id, name).created_id(Kind.SCRIPT)
    rows = script_rows(departments, count)
    version = 1
    if rows:
        with db.unit_of_work() as session:
            version = write_script_state(
                session, script_id, 1, rows, author_id=owner_id, steps=["Build"]
            ).version
    return Built(show_id, script_id, version, departments, rows, owner_id)

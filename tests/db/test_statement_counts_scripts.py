"""Script work takes a constant number of SQL statements, whatever the script's size."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

from support.faults import count_statements
from support.script_builder import make_departments, make_script

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.services.elements import (
    AddElement,
    ElementChange,
    ShiftTimes,
    UpdateElement,
    apply_element_changes,
    auto_sort_by_time,
)
from callmaster_desktop.services.scripts import delete_script, duplicate_script, load_script

SIZES = (10, 1000)


def _statements(db: Database, operation: Callable[[], object]) -> int:
    with count_statements(db) as counted:
        operation()
    return counted.count


def _scripts(db: Database, owner: Person) -> dict[int, tuple[uuid.UUID, int]]:
    departments = make_departments(db, owner.id)
    made = {}
    for size in SIZES:
        built = make_script(db, owner, size, departments=departments, name=f"Script {size}")
        made[size] = (built.script_id, built.version)
    return made


def test_loading_a_script_takes_three_statements(db: Database, owner: Person) -> None:
    made = _scripts(db, owner)
    counts = {}
    for size, (script_id, _) in made.items():
        with count_statements(db) as counted:
            loaded = load_script(db, owner.id, script_id)
        assert len(loaded.elements) == size and len(loaded.departments) == 3
        counts[size] = counted.count
    assert counts == {10: 3, 1000: 3}


def test_saves_and_copies_take_the_same_statements_at_any_size(db: Database, owner: Person) -> None:
    made = _scripts(db, owner)
    counts: dict[str, dict[int, int]] = {}
    for size, (script_id, version) in made.items():
        rows = load_script(db, owner.id, script_id).elements
        every = tuple(e.id for e in rows)
        add_and_change: list[ElementChange] = [
            AddElement(ElementData(ElementType.NOTE, "Hold"), position=0),
            UpdateElement(rows[5].id, {"name": "Renamed"}),
        ]
        steps: dict[str, Callable[[], object]] = {
            "shift every row": partial(
                apply_element_changes, db, owner.id, script_id, version, [ShiftTimes(every, 1000)]
            ),
            "add and change": partial(
                apply_element_changes, db, owner.id, script_id, version + 1, add_and_change
            ),
            "sort": partial(auto_sort_by_time, db, owner.id, script_id, version + 2),
            "copy": partial(duplicate_script, db, owner.id, script_id),
            "delete": partial(delete_script, db, owner.id, script_id),
        }
        for name, step in steps.items():
            counts.setdefault(name, {})[size] = _statements(db, step)
    for name, by_size in counts.items():
        assert by_size[10] == by_size[1000], f"{name}: {by_size}"
        assert by_size[10] <= 12, f"{name}: {by_size}"

"""Element edits in one save: add, change, delete, move, shift, set; sort; renumber."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import dump_tables
from support.script_builder import make_departments, make_script, make_show

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.models import Person, ScriptRevision
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.errors import ConflictError, NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.elements import (
    AddElement,
    DeleteElement,
    ElementChange,
    MoveElements,
    SetField,
    ShiftTimes,
    UpdateElement,
    apply_element_changes,
    auto_sort_by_time,
    renumber_department,
)
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import create_script, load_script

G, C, N = ElementType.GROUP, ElementType.CUE, ElementType.NOTE


@dataclass
class Small:
    """Act 1 [Scene 1 [LX 1, SQ 1], Hold], Act 2 [LX 2], FLY 1."""

    db: Database
    owner_id: uuid.UUID
    script_id: uuid.UUID
    version: int
    dept: dict[str, uuid.UUID]
    ids: dict[str, uuid.UUID]

    def names(self) -> list[tuple[str, str | None]]:
        """(name, name of its group) for every row, in order."""
        rows = load_script(self.db, self.owner_id, self.script_id).elements
        by_id = {e.id: e.name for e in rows}
        return [(e.name, by_id.get(e.parent_id) if e.parent_id else None) for e in rows]

    def rows(self) -> dict[str, ElementData]:
        return {e.name: e for e in load_script(self.db, self.owner_id, self.script_id).elements}

    def apply(self, *changes: ElementChange) -> Any:
        result = apply_element_changes(
            self.db, self.owner_id, self.script_id, self.version, list(changes)
        )
        self.version = result.version
        return result


def small_script(db: Database, owner_id: uuid.UUID, times: list[int] | None = None) -> Small:
    dept = make_departments(db, owner_id)
    show_id = make_show(db, owner_id)
    script_id = create_script(db, owner_id, show_id, "Tech").created_id(Kind.SCRIPT)
    ids = {name: uuid.uuid4() for name in ("Act 1", "Scene 1", "Act 2")}
    t = times or [0, 5_000, 10_000, 20_000, 30_000, 40_000, 60_000, 120_000]
    rows = [
        ElementData(G, "Act 1", t[0], id=ids["Act 1"]),
        ElementData(G, "Scene 1", t[1], id=ids["Scene 1"], parent_id=ids["Act 1"]),
        ElementData(
            C, "LX 1", t[2], parent_id=ids["Scene 1"], department_id=dept["LX"], cue_number="1"
        ),
        ElementData(
            C, "SQ 1", t[3], parent_id=ids["Scene 1"], department_id=dept["SQ"], cue_number="1"
        ),
        ElementData(N, "Hold", t[4], parent_id=ids["Act 1"]),
        ElementData(G, "Act 2", t[5], id=ids["Act 2"]),
        ElementData(
            C, "LX 2", t[6], parent_id=ids["Act 2"], department_id=dept["LX"], cue_number="2"
        ),
        ElementData(C, "FLY 1", t[7], department_id=dept["FLY"], cue_number="1"),
    ]
    with db.unit_of_work() as s:
        version = write_script_state(s, script_id, 1, rows, author_id=owner_id, steps=[]).version
    ids.update({e.name: e.id for e in rows})
    return Small(db, owner_id, script_id, version, dept, ids)


START = [
    ("Act 1", None),
    ("Scene 1", "Act 1"),
    ("LX 1", "Scene 1"),
    ("SQ 1", "Scene 1"),
    ("Hold", "Act 1"),
    ("Act 2", None),
    ("LX 2", "Act 2"),
    ("FLY 1", None),
]


def test_add_elements_where_asked(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    lx = s.dept["LX"]
    result = s.apply(
        AddElement(
            ElementData(C, "LX 1.5", department_id=lx, cue_number="1.50"),
            after_id=s.ids["LX 1"],
            parent_id=s.ids["Scene 1"],
        ),
        AddElement(ElementData(N, "Preset"), position=0),
        AddElement(ElementData(N, "Places"), after_id=s.ids["Act 2"], parent_id=s.ids["Act 2"]),
        AddElement(ElementData(N, "Bows")),
        AddElement(ElementData(N, "Scene end"), parent_id=s.ids["Scene 1"]),
    )
    assert s.names() == [
        ("Preset", None),
        ("Act 1", None),
        ("Scene 1", "Act 1"),
        ("LX 1", "Scene 1"),
        ("LX 1.5", "Scene 1"),
        ("SQ 1", "Scene 1"),
        ("Scene end", "Scene 1"),
        ("Hold", "Act 1"),
        ("Act 2", None),
        ("Places", "Act 2"),
        ("LX 2", "Act 2"),
        ("FLY 1", None),
        ("Bows", None),
    ]
    assert s.rows()["LX 1.5"].cue_number == "1.5"
    assert len(result.created) == 5 and result.changes.created_ids(Kind.ELEMENT) == result.created
    assert result.revision_number == 2
    assert check_database(db) == []


def test_update_fields_including_clearing_them(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    s.apply(UpdateElement(s.ids["LX 1"], {"notes": "Slow", "location": "SL", "color": "ffcc00"}))
    s.apply(
        UpdateElement(
            s.ids["LX 1"],
            {
                "offset_ms": "1:02:03.5",
                "duration_ms": "0:04",
                "cue_number": "012.50",
                "priority": "safety",
                "notes": None,
                "location": None,
                "name": "LX 12.5",
            },
        )
    )
    lx = s.rows()["LX 12.5"]
    assert (lx.offset_ms, lx.duration_ms, lx.cue_number, lx.priority) == (
        3_723_500,
        4_000,
        "12.5",
        Priority.SAFETY,
    )
    assert (lx.notes, lx.location, lx.color) == (None, None, "#FFCC00")
    s.apply(UpdateElement(s.ids["Hold"], {"parent_id": s.ids["Act 2"]}))
    assert s.names()[-3:] == [("LX 2", "Act 2"), ("Hold", "Act 2"), ("FLY 1", None)]


def test_delete_with_or_without_the_rows_inside(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    result = s.apply(DeleteElement(s.ids["Scene 1"]))
    assert s.names() == [
        ("Act 1", None),
        ("LX 1", "Act 1"),
        ("SQ 1", "Act 1"),
        ("Hold", "Act 1"),
        ("Act 2", None),
        ("LX 2", "Act 2"),
        ("FLY 1", None),
    ]
    assert result.deleted == (s.ids["Scene 1"],)
    result = s.apply(DeleteElement(s.ids["Act 1"], with_children=True))
    assert s.names() == [("Act 2", None), ("LX 2", "Act 2"), ("FLY 1", None)]
    assert set(result.deleted) == {s.ids[n] for n in ("Act 1", "LX 1", "SQ 1", "Hold")}
    assert check_database(db) == []


def test_move_rows_and_groups(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    s.apply(
        MoveElements(
            (s.ids["FLY 1"], s.ids["Hold"]), after_id=s.ids["Scene 1"], parent_id=s.ids["Act 1"]
        )
    )
    assert s.names()[:7] == [
        ("Act 1", None),
        ("Scene 1", "Act 1"),
        ("LX 1", "Scene 1"),
        ("SQ 1", "Scene 1"),
        ("Hold", "Act 1"),
        ("FLY 1", "Act 1"),
        ("Act 2", None),
    ]
    s.apply(MoveElements((s.ids["Act 2"],), after_id=s.ids["Act 1"], parent_id=s.ids["Act 1"]))
    assert s.names()[:3] == [("Act 1", None), ("Act 2", "Act 1"), ("LX 2", "Act 2")]
    s.apply(MoveElements((s.ids["Scene 1"], s.ids["LX 1"]), position=0))
    assert s.names()[:4] == [
        ("Scene 1", None),
        ("LX 1", "Scene 1"),
        ("SQ 1", "Scene 1"),
        ("Act 1", None),
    ]
    assert check_database(db) == []


def test_shift_times_and_set_fields(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    s.apply(
        ShiftTimes((s.ids["Scene 1"], s.ids["LX 1"]), "+0:05"),
        ShiftTimes((s.ids["FLY 1"],), -500),
    )
    rows = s.rows()
    assert [rows[n].offset_ms for n in ("Scene 1", "LX 1", "SQ 1", "Hold", "FLY 1")] == [
        10_000,
        15_000,
        25_000,
        30_000,
        119_500,
    ]
    ids = (s.ids["LX 1"], s.ids["SQ 1"])
    s.apply(
        SetField(ids, "priority", "critical"),
        SetField(ids, "location", " Prompt corner "),
        SetField(ids, "color", "#00ff00"),
        SetField((s.ids["SQ 1"],), "department_id", s.dept["FLY"]),
        UpdateElement(s.ids["SQ 1"], {"cue_number": "2"}),
    )
    rows = s.rows()
    assert {(rows[n].priority, rows[n].location, rows[n].color) for n in ("LX 1", "SQ 1")} == {
        (Priority.CRITICAL, "Prompt corner", "#00FF00")
    }
    assert rows["SQ 1"].department_id == s.dept["FLY"]


def test_several_changes_are_one_save(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    first = s.version
    result = s.apply(
        AddElement(ElementData(N, "Standby all")),
        UpdateElement(s.ids["LX 2"], {"name": "LX 2 (fade)"}),
        DeleteElement(s.ids["Hold"]),
    )
    assert result.version == first + 1 and result.revision_number == 2
    assert len(result.created) == 1 and result.deleted == (s.ids["Hold"],)
    assert s.ids["LX 2"] in result.updated


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"offset_ms": "1:75"})],
            ValidationError,
            'Cannot read "1:75" as a time',
        ),
        (
            lambda s, o: [ShiftTimes((s.ids["LX 1"],), "soon")],
            ValidationError,
            'Cannot read "soon" as a time shift',
        ),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"department_id": o})],
            ValidationError,
            "uses a department that is not yours",
        ),
        (
            lambda s, o: [SetField((s.ids["Hold"],), "department_id", o)],
            ValidationError,
            "department that is not yours",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["SQ 1"], {"department_id": s.dept["LX"]})],
            ValidationError,
            "Cue number LX 1 is used twice",
        ),
        (
            lambda s, o: [
                AddElement(ElementData(C, "Dup", department_id=s.dept["FLY"], cue_number="1.0"))
            ],
            ValidationError,
            "Cue number FLY 1 is used twice",
        ),
        (
            lambda s, o: [MoveElements((s.ids["Act 1"],), parent_id=s.ids["Scene 1"])],
            ValidationError,
            "cannot be put inside itself",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["Act 1"], {"parent_id": s.ids["Act 1"]})],
            ValidationError,
            "cannot be put inside itself",
        ),
        (
            lambda s, o: [MoveElements((s.ids["Hold"],), after_id=s.ids["LX 2"])],
            ValidationError,
            "is not in the group",
        ),
        (
            lambda s, o: [MoveElements((s.ids["Hold"],), parent_id=s.ids["LX 2"])],
            ValidationError,
            "not a group",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"cue_number": None})],
            ValidationError,
            "has no cue number",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"cue_number": "1 2"})],
            ValidationError,
            "contains a space",
        ),
        (
            lambda s, o: [AddElement(ElementData(C, "Loose", cue_number="9"))],
            ValidationError,
            "has no department",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["Act 1"], {"element_type": "cue"})],
            ValidationError,
            "still holds rows",
        ),
        (
            lambda s, o: [SetField((s.ids["LX 1"],), "priority", "urgent")],
            ValidationError,
            '"urgent" is not a priority',
        ),
        (lambda s, o: [SetField((s.ids["LX 1"],), "name", "x")], ValidationError, "not name"),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"color": "red"})],
            ValidationError,
            "is not a colour code",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"size": 3})],
            ValidationError,
            "no field called size",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"name": "x" * 301})],
            ValidationError,
            "at most 300 fit",
        ),
        (
            lambda s, o: [UpdateElement(s.ids["LX 1"], {"duration_ms": -5})],
            ValidationError,
            "cannot be negative",
        ),
        (
            lambda s, o: [AddElement(ElementData(N, "Twin", id=s.ids["Hold"]))],
            ValidationError,
            "already in the script",
        ),
        (
            lambda s, o: [UpdateElement(uuid.uuid4(), {"name": "Ghost"})],
            NotFoundError,
            "no longer in the script",
        ),
        (lambda s, o: [DeleteElement(uuid.uuid4())], NotFoundError, "no longer in the script"),
        # The first change is fine; the second is not: nothing of either is written.
        (
            lambda s, o: [
                UpdateElement(s.ids["LX 1"], {"name": "Fine"}),
                UpdateElement(s.ids["LX 2"], {"offset_ms": "x"}),
            ],
            ValidationError,
            'Cannot read "x" as a time',
        ),
    ],
)
def test_bad_changes_write_nothing(
    db: Database, owner: Person, make: Any, error: type[Exception], message: str
) -> None:
    s = small_script(db, owner.id)
    other = ensure_profile(db, "other-sm")
    theirs = make_departments(db, other.id)["LX"]
    before = dump_tables(db)
    with pytest.raises(error, match=message):
        s.apply(*make(s, theirs))
    assert dump_tables(db) == before


def test_changes_to_an_outdated_copy_are_refused(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    old = s.version
    s.apply(UpdateElement(s.ids["LX 1"], {"name": "Sunrise"}))
    before = dump_tables(db)
    with pytest.raises(ConflictError, match='Test-Sm saved "Tech" at'):
        apply_element_changes(db, owner.id, s.script_id, old, [DeleteElement(s.ids["LX 2"])])
    assert dump_tables(db) == before


def test_auto_sort_by_time_is_stable_and_moves_groups_whole(db: Database, owner: Person) -> None:
    # Act 1 [Scene 1 (5s) [LX 1 50s, SQ 1 20s], Hold 50s], Act 2 [LX 2 1s], FLY 1 50s.
    s = small_script(db, owner.id, [0, 5_000, 50_000, 20_000, 50_000, 40_000, 1_000, 50_000])
    s.apply(AddElement(ElementData(G, "Empty", 10_000)), AddElement(ElementData(N, "Same", 50_000)))
    result = auto_sort_by_time(db, owner.id, s.script_id, s.version)
    s.version = result.version
    assert s.names() == [
        ("Act 2", None),
        ("LX 2", "Act 2"),  # its earliest row is at 1 s
        ("Empty", None),  # an empty group keeps its own time
        ("Act 1", None),
        ("Scene 1", "Act 1"),
        ("SQ 1", "Scene 1"),
        ("LX 1", "Scene 1"),
        ("Hold", "Act 1"),
        ("FLY 1", None),
        ("Same", None),  # equal times keep their order
    ]
    again = auto_sort_by_time(db, owner.id, s.script_id, s.version)
    assert not again.wrote  # already sorted: nothing to write
    assert check_database(db) == []


def test_renumber_one_department(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    s.apply(
        AddElement(ElementData(C, "LX 0", department_id=s.dept["LX"], cue_number="0.5"), position=0)
    )
    result = renumber_department(db, owner.id, s.script_id, s.version, s.dept["LX"], "10", "0.5")
    s.version = result.version
    rows = s.rows()
    assert [rows[n].cue_number for n in ("LX 0", "LX 1", "LX 2", "SQ 1", "FLY 1")] == [
        "10",
        "10.5",
        "11",
        "1",
        "1",
    ]
    theirs = make_departments(db, ensure_profile(db, "other-sm").id)["LX"]
    before = dump_tables(db)
    with pytest.raises(NotFoundError):
        renumber_department(db, owner.id, s.script_id, s.version, theirs)
    for start, step, message in [
        ("1", "0", "more than 0"),
        ("x", "1", "not a number"),
        ("-1", "1", "0 or more"),
        ("999999999999", "1", "stops at 1000000000000"),
    ]:
        with pytest.raises(ValidationError, match=message):
            renumber_department(db, owner.id, s.script_id, s.version, s.dept["LX"], start, step)
    assert dump_tables(db) == before


def test_element_changes_are_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    s = small_script(db, owner.id)
    for n, how in enumerate(hows(backend)):
        # Swap LX 1 and LX 2 (and back on the second round) while adding LX 3 (then LX 4).
        changes: list[ElementChange] = [
            AddElement(
                ElementData(C, f"LX {3 + n}", department_id=s.dept["LX"], cue_number=str(3 + n)),
                parent_id=s.ids["Act 2"],
            ),
            UpdateElement(s.ids["LX 1"], {"cue_number": str(2 - n)}),
            UpdateElement(s.ids["LX 2"], {"cue_number": str(1 + n)}),
            MoveElements((s.ids["FLY 1"],), position=n),
            DeleteElement(s.ids["Hold"]) if n == 0 else ShiftTimes((s.ids["Act 1"],), 5),
        ]
        proof = assert_all_or_nothing(
            db,
            partial(apply_element_changes, db, owner.id, s.script_id, s.version, changes),
            how=how,
        )
        s.version = proof.result.version
        assert proof.result.revision_number is not None
    assert check_database(db) == []


def test_sort_and_renumber_are_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    built = make_script(db, owner, 40)
    version = built.version
    lx = built.departments["LX"]
    for how in hows(backend):
        version = apply_element_changes(
            db,
            owner.id,
            built.script_id,
            version,
            [ShiftTimes((built.elements[-1].id,), -3_600_000)],
        ).version
        proof = assert_all_or_nothing(
            db, partial(auto_sort_by_time, db, owner.id, built.script_id, version), how=how
        )
        version = proof.result.version
        proof = assert_all_or_nothing(
            db,
            partial(renumber_department, db, owner.id, built.script_id, version, lx, "100"),
            how=how,
        )
        version = proof.result.version
    assert check_database(db) == []


def test_a_row_of_another_script_cannot_be_added(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    other = make_script(db, owner, 5, departments=s.dept, show_id=make_show(db, owner.id, "Lear"))
    taken = other.elements[2]
    before = dump_tables(db)
    with pytest.raises(ValidationError, match="already belongs to another script"):
        s.apply(AddElement(taken.with_changes(parent_id=None, cue_number="77")))
    assert dump_tables(db) == before
    nothing = s.apply()
    assert not nothing.wrote and nothing.version == s.version


def _steps_of(s: Small, number: int) -> list[str]:
    with s.db.reading() as session:
        steps = session.execute(
            select(ScriptRevision.steps).where(
                ScriptRevision.script_id == s.script_id, ScriptRevision.number == number
            )
        ).scalar_one()
    return list(steps)


def test_a_bulk_edit_is_one_step_in_the_history(db: Database, owner: Person) -> None:
    s = small_script(db, owner.id)
    names = ["LX 1", "SQ 1", "Hold", "LX 2", "FLY 1"]
    result = s.apply(
        *(UpdateElement(s.ids[n], {"notes": f"Check {n}"}) for n in names),
        UpdateElement(s.ids["LX 1"], {"name": "LX 1 (fade)"}),
        UpdateElement(s.ids["SQ 1"], {"notes": "Louder", "location": "SR"}),
        UpdateElement(s.ids["LX 2"], {"location": "FOH", "notes": "Dim"}),
    )
    assert _steps_of(s, result.revision_number) == [
        "Change notes of 5 rows",
        'Change name of "LX 1"',
        'Change location, notes of "SQ 1"',
        'Change location, notes of "LX 2"',
    ]
    rows = s.rows()
    assert [rows[n].notes for n in ("Hold", "LX 2", "FLY 1")] == [
        "Check Hold",
        "Dim",
        "Check FLY 1",
    ]
    assert rows["SQ 1"].location == "SR" and rows["LX 1 (fade)"].notes == "Check LX 1"

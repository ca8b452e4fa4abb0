"""What a save plans to write, worked out in memory: moves, the diff, snapshots of changes."""

from __future__ import annotations

import random
import uuid

import pytest
from support.script_builder import script_rows

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.editing.state import ScriptInfo, ScriptState
from callmaster_desktop.editing.state_index import PositionCache
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services import revision_snapshots
from callmaster_desktop.services.element_diff import diff_rows
from callmaster_desktop.services.element_io import sequence_moves
from callmaster_desktop.services.element_values import evolve, new_element, snapshot
from callmaster_desktop.services.move_order import move_order
from callmaster_desktop.services.revision_snapshots import (
    RowOrder,
    SnapshotError,
    apply_changes,
    revision_snapshot,
)

DEPARTMENTS = {"LX": uuid.uuid4(), "SQ": uuid.uuid4(), "FLY": uuid.uuid4()}


def _replay(holders: dict[object, object], moves: list[tuple[object, object, object]],
            order: list[tuple[tuple[object, object, object], bool]]) -> None:  # fmt: skip
    """Play the order against places held one row each; fail if two rows ever share one."""
    place = {m[2]: m[0] for m in moves}
    parked = 0
    for (_, new, key), is_parked in order:
        if place[key] is not None:
            del holders[place[key]]
        if is_parked:
            parked += 1
            place[key] = ("parked", parked)
        else:
            place[key] = new
        if place[key] is not None:
            assert place[key] not in holders, f"{key} moved onto a place still held"
            holders[place[key]] = key
    assert all(place[key] == new for _, new, key in moves)


@pytest.mark.parametrize("seed", range(6))
def test_moves_never_share_a_place(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        rows = list(range(rng.randint(0, 40)))
        kept = [r for r in rows if rng.random() > 0.15]
        final: list[object] = [*kept, *(f"new {n}" for n in range(rng.randint(0, 4)))]
        if rng.random() < 0.5:
            rng.shuffle(final)
        elif final:
            final.insert(rng.randrange(len(final)), final.pop(rng.randrange(len(final))))
        moves: list[tuple[object, object, object]] = [
            (r, final.index(r), r) for r in kept if final.index(r) != r
        ]
        holders: dict[object, object] = {r: r for r in kept}
        order = move_order(moves)
        assert sorted((m[2] for m, parked in order if not parked), key=str) == sorted(
            (m[2] for m in moves), key=str
        )
        _replay(holders, moves, order)


def test_an_insert_at_the_top_moves_every_row_without_parking() -> None:
    moves = [(n, n + 1, f"row {n}") for n in range(1, 10_001)]
    params = sequence_moves(moves)
    assert len(params) == len(moves) and params[0] == (10_001, "row 10000")
    assert all(sequence > 0 for sequence, _ in params)


def test_a_swap_parks_one_row_on_a_free_negative_place() -> None:
    params = sequence_moves([(1, 2, "a"), (2, 1, "b")])
    assert len(params) == 3 and params[0][0] < 0 and {p[0] for p in params[1:]} == {1, 2}


def test_places_of_none_are_no_place_at_all() -> None:
    # A cue that gains a number takes it once its holder let it go; one that loses
    # its number goes whenever.
    moves = [(None, ("LX", "1"), "new holder"), (("LX", "1"), None, "old holder")]
    order = move_order(moves)
    assert [m[2] for m, _ in order] == ["old holder", "new holder"]


def test_new_element_builds_the_same_row_as_the_dataclass() -> None:
    values = (ElementType.CUE, "Go", 5, uuid.uuid4(), None, uuid.uuid4(), "12.5", "n", 3,
              Priority.SAFETY, "SL", "#FFCC00", True)  # fmt: skip
    made = new_element(*values)
    assert type(made) is ElementData and made == ElementData(*values)
    assert hash(made) == hash(ElementData(*values))
    assert evolve(made, {"name": "Stop"}) == ElementData(*values).with_changes(name="Stop")


def _rows(count: int = 60) -> list[ElementData]:
    return script_rows(DEPARTMENTS, count)


def test_the_diff_of_identical_rows_writes_nothing() -> None:
    rows = _rows()
    diff = diff_rows(rows, list(rows))
    assert not diff.writes and not diff.structure and diff.final == rows
    assert diff.order.pairs == [0, len(rows)]


def test_an_insert_at_the_top_only_moves_the_rows_below() -> None:
    rows = _rows()
    note = ElementData(ElementType.NOTE, "House open", -60_000)
    diff = diff_rows(rows, [note, *rows])
    assert [e.id for _, e in diff.inserts] == [note.id] and not diff.updates
    assert diff.moves == [(n, n + 1, e.id) for n, e in enumerate(rows, start=1)]
    assert diff.structure and diff.order.pairs == [-1, 1, 0, len(rows)]


def test_a_renamed_row_is_one_update_and_one_changed_entry() -> None:
    rows = _rows()
    wanted = [*rows]
    wanted[20] = wanted[20].with_changes(name="  Thunder  ")
    diff = diff_rows(rows, wanted)
    assert diff.final[20].name == "Thunder"  # tidied by the save's checks
    assert list(diff.updates) == [("name",)] and not diff.moves and not diff.structure
    assert diff.order.pairs == [0, 20, -1, 1, 21, len(rows) - 21]
    assert diff.order.written == [(20, diff.final[20], ("name",))]


def test_a_bad_field_is_refused_naming_the_row() -> None:
    rows = _rows()
    wanted = [*rows]
    wanted[3] = wanted[3].with_changes(color="red")
    with pytest.raises(ValidationError, match="Row 4"):
        diff_rows(rows, wanted)


def test_every_row_moved_by_one_time_is_one_shift() -> None:
    rows = _rows()
    diff = diff_rows(rows, [evolve(e, {"offset_ms": e.offset_ms + 5_000}) for e in rows])
    assert diff.shift_all == 5_000 and not diff.updates and diff.writes
    uneven = [evolve(e, {"offset_ms": e.offset_ms + 5_000 + (n == 7)}) for n, e in enumerate(rows)]
    assert diff_rows(rows, uneven).shift_all is None


def test_swapped_cue_numbers_are_written_as_moves_of_numbers() -> None:
    rows = _rows()
    lx = [
        n
        for n, e in enumerate(rows)
        if e.element_type is ElementType.CUE and e.department_id == DEPARTMENTS["LX"]
    ]
    first, second = lx[:2]
    wanted = [*rows]
    wanted[first] = rows[first].with_changes(cue_number=rows[second].cue_number, name="A")
    wanted[second] = rows[second].with_changes(cue_number=rows[first].cue_number)
    diff = diff_rows(rows, wanted)
    assert {m[2].id for m in diff.renumbered} == {rows[first].id, rows[second].id}
    assert list(diff.updates) == [("name",)]  # the number goes with the move, the name alone
    order = move_order(diff.renumbered)
    assert sum(parked for _, parked in order) == 1  # a loop of two: one parked


def _entries_round_trip(stored: list[ElementData], wanted: list[ElementData]) -> None:
    diff = diff_rows(stored, wanted)
    base = snapshot({}, stored)
    changes = revision_snapshot({}, diff.final, 2, 1, diff.order)
    if changes["format"] == 2:
        assert apply_changes(base["rows"], changes) == snapshot({}, diff.final)["rows"]
    else:
        assert changes["rows"] == snapshot({}, diff.final)["rows"]


def test_a_snapshot_of_changes_reads_back_as_the_whole_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(revision_snapshots, "CHANGES_FROM_ROWS", 0)
    rng = random.Random(3)
    rows = _rows(300)
    for _ in range(40):
        wanted = list(rows)
        for _ in range(rng.randint(1, 6)):
            n = rng.randrange(len(wanted))
            roll = rng.random()
            if roll < 0.3:
                wanted[n] = evolve(wanted[n], {"name": f"Edit {rng.random()}"})
            elif roll < 0.5:
                wanted.insert(n, ElementData(ElementType.NOTE, "Hold", 0))
            elif roll < 0.7 and wanted[n].element_type is not ElementType.GROUP:
                del wanted[n]
            else:
                wanted.insert(rng.randrange(len(wanted)), wanted.pop(n))
        _entries_round_trip(rows, wanted)
        rows = diff_rows(rows, wanted).final


def test_a_big_change_or_a_new_chain_keeps_the_whole_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(revision_snapshots, "CHANGES_FROM_ROWS", 0)
    rows = _rows(300)
    one = [*rows]
    one[5] = evolve(one[5], {"name": "One"})
    diff = diff_rows(rows, one)
    assert revision_snapshot({}, diff.final, 2, 1, diff.order)["format"] == 2
    assert revision_snapshot({}, diff.final, 17, 16, diff.order)["format"] == 1  # 1, 17, 33...
    assert revision_snapshot({}, diff.final, 2, None, diff.order)["format"] == 1  # no base
    renamed = [evolve(e, {"name": f"Row {n}"}) for n, e in enumerate(rows)]
    names = diff_rows(rows, renamed)  # one field of every row: still far smaller
    assert revision_snapshot({}, names.final, 2, 1, names.order)["format"] == 2
    redone = [
        evolve(e, {"name": f"Row {n}", "notes": "x", "location": "SR", "color": "#00FF00"})
        for n, e in enumerate(rows)
    ]
    everything = diff_rows(rows, redone)
    assert revision_snapshot({}, everything.final, 2, 1, everything.order)["format"] == 1


def test_a_damaged_snapshot_of_changes_is_refused() -> None:
    order = RowOrder()
    order.stored(0, 3)
    good = {"format": 2, "count": 3, "order": order.pairs, "rows": []}
    assert apply_changes([[1], [2], [3]], good) == [[1], [2], [3]]
    for bad in (
        {**good, "count": 4},
        {**good, "order": [0, 9]},
        {**good, "order": [-1, 1]},
        {**good, "order": [-1, 1], "rows": [{"base": 9}], "count": 1},
        {**good, "order": None},
    ):
        with pytest.raises(SnapshotError):
            apply_changes([[1], [2], [3]], bad)


def test_the_position_cache_follows_every_splice() -> None:
    rng = random.Random(8)
    keys = list(range(200))
    cache = PositionCache(keys)
    next_key = 200
    for step in range(3000):
        at = rng.randrange(len(keys) + 1)
        removed = min(rng.randint(0, 3), len(keys) - at)
        added = list(range(next_key, next_key + rng.randint(0, 3)))
        next_key += len(added)
        if rng.random() < 0.3 and removed:  # the same rows in another order
            added = keys[at : at + removed][::-1]
        keys[at : at + removed] = added
        cache.spliced(at, removed, added)
        for key in rng.sample(keys, min(3, len(keys))):
            assert cache.find(key) == keys.index(key), step
    assert cache.find(-1) is None


def test_a_state_builds_its_lookups_when_asked() -> None:
    rows = _rows(120)
    state = ScriptState(ScriptInfo("Big"), rows, {v: k for k, v in DEPARTMENTS.items()})
    state.prepare()
    lx = [
        e
        for e in rows
        if e.element_type is ElementType.CUE and e.department_id == DEPARTMENTS["LX"]
    ]
    assert state.cue_holders(DEPARTMENTS["LX"], lx[0].cue_number or "") == [lx[0].id]
    assert [state.position_of(e.id) for e in rows[::17]] == list(range(0, 120, 17))


def test_every_row_later_by_the_same_time_is_kept_as_one_shift() -> None:
    rows = _rows(300)
    later = [evolve(e, {"offset_ms": e.offset_ms + 5_000}) for e in rows]
    diff = diff_rows(rows, later)
    assert diff.shift_all == 5_000
    kept = revision_snapshot({}, diff.final, 2, 1, diff.order, shift=diff.shift_all)
    assert kept["rows"] == [] and kept["shift"] == 5_000
    assert apply_changes(snapshot({}, rows)["rows"], kept) == snapshot({}, later)["rows"]
    assert revision_snapshot({}, diff.final, 17, 16, diff.order, shift=5_000)["format"] == 1
    with pytest.raises(SnapshotError):
        apply_changes(snapshot({}, rows)["rows"], {**kept, "shift": "soon"})

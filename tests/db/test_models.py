"""The schema keeps the rules: types round-trip, constraints and delete rules hold."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import (
    CrewAssignment,
    Department,
    Element,
    Person,
    Script,
    Show,
    Venue,
)
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.errors import CallMasterError, ValidationError


def _show(db: Database, owner: Person) -> tuple[Show, Script, Department]:
    with db.unit_of_work() as s:
        venue = Venue(owner_id=owner.id, name="The Old Vic", equipment=["Eos", "Haze"])
        dept = Department(owner_id=owner.id, name="Lighting", initials="LX", color="#ffcc00")
        show = Show(owner_id=owner.id, name="Hamlet", venue=venue)
        s.add_all([venue, dept, show])
        s.flush()
        script = Script(show_id=show.id, name="Tech")
        s.add(script)
        s.flush()
        s.add(
            Element(
                script_id=script.id,
                element_type=ElementType.CUE,
                sequence=1,
                department_id=dept.id,
                cue_number="12.5",
                name="Sunrise",
                offset_ms=-90_000,
                priority=Priority.SAFETY,
            )
        )
    return show, script, dept


def test_aware_datetimes_round_trip_in_utc(db: Database, owner: Person) -> None:
    eastern = timezone(timedelta(hours=-5))
    opening = datetime(2027, 3, 12, 19, 30, tzinfo=eastern)
    with db.unit_of_work() as s:
        show = Show(owner_id=owner.id, name="Macbeth", first_performance=opening)
        s.add(show)
    with db.reading() as s:
        stored = s.get(Show, show.id)
        assert stored is not None and stored.first_performance is not None
        assert stored.first_performance == opening
        assert stored.first_performance.tzinfo is not None
        assert stored.first_performance.utcoffset() == timedelta(0)
        assert stored.first_performance.hour == 0  # 19:30 EST is 00:30 UTC next day


def test_naive_datetime_is_refused(db: Database, owner: Person) -> None:
    with pytest.raises(Exception, match="time zone"), db.unit_of_work() as s:
        s.add(Show(owner_id=owner.id, name="X", first_performance=datetime(2027, 1, 1)))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Show)) == 0


def test_enums_json_and_negative_offsets_round_trip(db: Database, owner: Person) -> None:
    _show(db, owner)
    with db.reading() as s:
        element = s.scalars(select(Element)).one()
        assert element.priority is Priority.SAFETY
        assert element.element_type is ElementType.CUE
        assert element.offset_ms == -90_000
        venue = s.scalars(select(Venue)).one()
        assert venue.equipment == ["Eos", "Haze"]


def test_cue_number_unique_per_department(db: Database, owner: Person) -> None:
    _, script, dept = _show(db, owner)
    with pytest.raises(ValidationError), db.unit_of_work() as s:
        s.add(
            Element(
                script_id=script.id,
                element_type=ElementType.CUE,
                sequence=2,
                department_id=dept.id,
                cue_number="12.5",
            )
        )
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Element)) == 1


def test_sequence_unique_per_script(db: Database, owner: Person) -> None:
    _, script, _ = _show(db, owner)
    with pytest.raises(ValidationError), db.unit_of_work() as s:
        s.add(Element(script_id=script.id, element_type=ElementType.NOTE, sequence=1))


def test_deleting_show_cascades_and_venue_sets_null(db: Database, owner: Person) -> None:
    show, _, dept = _show(db, owner)
    with db.unit_of_work() as s:
        s.add(CrewAssignment(show_id=show.id, person_id=owner.id, department_id=dept.id))
    with db.unit_of_work() as s:
        s.execute(delete(Venue))
    with db.reading() as s:
        kept = s.get(Show, show.id)
        assert kept is not None and kept.venue_id is None
        assert s.scalar(select(func.count()).select_from(Element)) == 1
    with db.unit_of_work() as s:
        s.execute(delete(Show))
    with db.reading() as s:
        for model in (Script, Element, CrewAssignment):
            assert s.scalar(select(func.count()).select_from(model)) == 0
        assert s.scalar(select(func.count()).select_from(Department)) == 1


def test_department_in_use_cannot_be_deleted_by_the_database(db: Database, owner: Person) -> None:
    _show(db, owner)
    with pytest.raises(ValidationError), db.unit_of_work() as s:
        s.execute(delete(Department))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 1


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "pragmas.sqlite"))
    try:
        with db.reading() as s:
            conn = s.connection()
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        db.dispose()


def test_unit_of_work_rolls_back_everything_on_error(db: Database, owner: Person) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        s.add(Venue(owner_id=owner.id, name="A"))
        s.flush()
        s.add(Venue(owner_id=owner.id, name="B"))
        s.flush()
        raise RuntimeError("part-way")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Venue)) == 0
    assert db.metrics.rollbacks >= 1
    assert db.metrics.failed_writes == 1


def test_a_failed_statement_is_counted_and_leaves_no_timer_behind(db: Database) -> None:
    db.metrics.reset()
    with pytest.raises(CallMasterError), db.unit_of_work() as s:
        s.execute(text("SELECT * FROM no_such_table"))
    assert db.metrics.statement_errors == 1
    assert db.metrics.failed_writes == 1
    with db.reading() as s:
        assert not s.connection().info.get("callmaster_t0")


def test_metrics_count_commits_and_statements(db: Database, owner: Person) -> None:
    db.metrics.reset()
    with db.unit_of_work() as s:
        s.add(Venue(owner_id=owner.id, name="A"))
    assert db.metrics.commits == 1
    assert db.metrics.statements >= 1
    assert db.metrics.slowest()
    assert "status" in db.pool_status()

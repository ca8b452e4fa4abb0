"""Which backups are kept: every one for a week, then one a week for 8 weeks, then one a month."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from support.safety import files_in, immutable

from callmaster_desktop.db.backup import (
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    DAILY,
    KEEP_EVERY_ONE_FOR,
    KEEP_WEEKLY_UNTIL,
    MANUAL,
    BackupInfo,
    backup_on_open,
    backups_folder,
    create_backup,
    list_backups,
    thin_backups,
)
from callmaster_desktop.errors import ReadOnlyDatabaseError
from callmaster_desktop.startup import open_for_user

START = datetime(2025, 1, 1, 9, 30, tzinfo=UTC)


def fake_backup(database: Path, when: datetime, reason: str = DAILY) -> Path:
    """A backup file as the folder names it (thinning looks at names, not contents)."""
    folder = backups_folder(database)
    folder.mkdir(exist_ok=True)
    path = folder / f"{database.stem}-{when:%Y%m%d-%H%M%S}-{reason}.sqlite"
    path.write_bytes(b"")
    return path


def test_a_year_of_daily_backups_thins_to_the_schedule(tmp_path: Path) -> None:
    database = tmp_path / "callmaster.sqlite"
    upgrade_day = START + timedelta(days=10, hours=1)
    restore_day = START + timedelta(days=200, hours=2)
    made: list[datetime] = []
    days = 400
    for day in range(days):
        now = START + timedelta(days=day)
        fake_backup(database, now)
        made.append(now)
        if now.date() == upgrade_day.date():
            fake_backup(database, upgrade_day, BEFORE_UPGRADE)
        if now.date() == restore_day.date():
            fake_backup(database, restore_day, BEFORE_RESTORE)
        thin_backups(database, now=now)
    now = made[-1]
    kept = list_backups(database)
    daily = [b for b in kept if b.reason == DAILY]
    assert {b.reason for b in kept if b.reason != DAILY} == {BEFORE_UPGRADE, BEFORE_RESTORE}

    recent = [m for m in made if now - m < KEEP_EVERY_ONE_FOR]
    assert sorted(b.made_at for b in daily if now - b.made_at < KEEP_EVERY_ONE_FOR) == recent

    def bucketed(key: str) -> tuple[dict[object, list[datetime]], dict[object, list[BackupInfo]]]:
        lo, hi = (
            (KEEP_EVERY_ONE_FOR, KEEP_WEEKLY_UNTIL) if key == "week" else (KEEP_WEEKLY_UNTIL, None)
        )

        def bucket(when: datetime) -> object:
            return when.isocalendar()[:2] if key == "week" else (when.year, when.month)

        def inside(when: datetime) -> bool:
            return now - when >= lo and (hi is None or now - when < hi)

        wanted: dict[object, list[datetime]] = defaultdict(list)
        got: dict[object, list[BackupInfo]] = defaultdict(list)
        for m in made:
            if inside(m):
                wanted[bucket(m)].append(m)
        for b in daily:
            if inside(b.made_at):
                got[bucket(b.made_at)].append(b)
        return wanted, got

    for key in ("week", "month"):
        wanted, got = bucketed(key)
        assert set(got) <= set(wanted)
        missing = set(wanted) - set(got)
        # The month crossing the 63-day line may have kept its one backup of that week
        # among the newer ones; every other week and month keeps exactly one.
        allowed = {max(wanted, key=lambda b: max(wanted[b]))} if key == "month" else set()
        assert missing <= allowed, f"{key}s {missing} lost all their backups"
        for bucket, backups in got.items():
            assert len(backups) == 1, f"{key} {bucket} keeps {len(backups)} backups"
    months = len({(m.year, m.month) for m in made})
    assert len(daily) <= len(recent) + 10 + months
    assert thin_backups(database, now=now) == [], "thinning twice removes nothing more"


def test_safety_copies_are_never_thinned(tmp_path: Path) -> None:
    database = tmp_path / "callmaster.sqlite"
    old = START - timedelta(days=900)
    kept = [
        fake_backup(database, old + timedelta(days=i), reason)
        for i, reason in enumerate((BEFORE_UPGRADE, BEFORE_RESTORE, BEFORE_UPGRADE))
    ]
    thinned = fake_backup(database, old + timedelta(days=5), MANUAL)
    newer = fake_backup(database, old + timedelta(days=6), MANUAL)
    removed = thin_backups(database, now=START)
    assert removed == [thinned]
    assert {b.path for b in list_backups(database)} == {*kept, newer}


def test_only_this_databases_backups_are_listed(tmp_path: Path) -> None:
    database = tmp_path / "macbeth.sqlite"
    mine = fake_backup(database, START)
    folder = backups_folder(database)
    (folder / "hamlet-20250101-093000-daily.sqlite").write_bytes(b"")
    (folder / "macbeth-notes.txt").write_text("not a backup")
    (folder / "macbeth-20250101-093000-weekly.sqlite").write_bytes(b"")
    assert [b.path for b in list_backups(database)] == [mine]
    assert thin_backups(database, now=START + timedelta(days=999)) == []
    assert len(files_in(folder)) == 4


def test_two_backups_in_one_second_both_stay(tmp_path: Path) -> None:
    opened = open_for_user(str(tmp_path / "callmaster.sqlite"))
    try:
        first = create_backup(opened.db, now=START)
        second = create_backup(opened.db, now=START)
    finally:
        opened.db.dispose()
    assert first.path != second.path
    assert [b.path for b in list_backups(tmp_path / "callmaster.sqlite")] == [
        second.path,
        first.path,
    ]


def test_a_daily_backup_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    path = tmp_path / "callmaster.sqlite"
    opened = open_for_user(str(path))
    opened.db.dispose()
    folder = backups_folder(path)
    folder.mkdir()
    with immutable(folder):
        with pytest.raises(ReadOnlyDatabaseError, match="cannot be written"):
            backup_on_open(path, now=START)
        assert files_in(folder) == []
        assert thin_backups(path, now=START) == []
    assert backup_on_open(path, now=START) is not None


def test_the_day_is_the_computers_own(tmp_path: Path) -> None:
    path = tmp_path / "callmaster.sqlite"
    open_for_user(str(path)).db.dispose()
    late = datetime.combine(date(2025, 5, 5), datetime.min.time()).astimezone(UTC)
    late += timedelta(hours=23, minutes=50)
    assert backup_on_open(path, now=late) is not None
    assert backup_on_open(path, now=late + timedelta(minutes=5)) is None
    assert backup_on_open(path, now=late + timedelta(minutes=20)) is not None, "a new day"

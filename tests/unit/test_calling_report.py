"""The show report from a run log: edge cases, and the caller's notes with their times."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from callmaster_desktop.calling.records import RecordedCall, RecordedNote, RunLog
from callmaster_desktop.calling.report import (
    NOT_IN_SCRIPT,
    OUTSIDE_ACTS,
    build_show_report,
    note_stamp,
)
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.errors import ValidationError
from tests.support.calling_plans import LX, SQ, Sketch

UP = datetime(2027, 3, 12, 19, 35, tzinfo=UTC)


def _at(ms: int) -> datetime:
    return UP + timedelta(milliseconds=ms)


def _script() -> tuple[Sketch, dict[str, uuid.UUID]]:
    s = Sketch()
    act1 = s.group("Act 1")
    ids = {
        "LX 1": s.cue(LX, "1", "0:00", parent=act1),
        "SQ 1": s.cue(SQ, "1", "1:00", parent=act1),
        "LX 2": s.cue(LX, "2", "2:00", parent=act1),
    }
    s.group("Act 2")
    ids["LX 3"] = s.cue(LX, "3", "50:00")  # outside any group
    return s, ids


def _call(
    ids: dict[str, uuid.UUID], label: str, planned: int, actual: int | None, *, skip: bool = False
) -> RecordedCall:
    outcome = CallOutcome.SKIPPED if skip else CallOutcome.CALLED
    return RecordedCall(ids.get(label), label, planned, actual, _at(actual or 0), outcome, None)


def _log(calls: list[RecordedCall], **changes: object) -> RunLog:
    fields: dict[str, object] = dict(
        run_id=uuid.uuid4(), show_id=uuid.uuid4(), script_id=uuid.uuid4(),
        show_name="Macbeth", script_name="Final", kind=RunKind.PERFORMANCE,
        status=RunStatus.COMPLETE, scheduled_start=UP - timedelta(minutes=5), started_at=UP,
        ended_at=_at(3_600_000), total_hold_ms=0, holds=(), calls=tuple(calls), notes=(),
    )  # fmt: skip
    fields.update(changes)
    return RunLog(**fields)  # type: ignore[arg-type]


def test_repeats_deleted_cues_and_skips_then_calls() -> None:
    sketch, ids = _script()
    calls = [
        _call(ids, "LX 1", 0, 6_000),  # late by 6 s
        _call(ids, "SQ 1", 60_000, None, skip=True),
        _call(ids, "SQ 1", 60_000, 70_000),  # skipped, then called after Back: not skipped
        _call(ids, "LX 1", 0, 75_000),  # called again: late or early counts the first call
        _call({}, "FLY 9", 90_000, 80_000),  # a cue since deleted from the script
        _call(ids, "LX 3", 3_000_000, 3_000_000),
    ]
    report = build_show_report(_log(calls), sketch.plan())
    assert [c.label for c in report.late] == ["LX 1", "SQ 1"]
    assert [c.label for c in report.early] == ["FLY 9"]
    assert report.skipped == () and report.not_called == ("LX 2",)
    assert [c.again for c in report.cues] == [False, False, False, True, False, False]
    assert [c.act for c in report.cues][-2:] == [NOT_IN_SCRIPT, OUTSIDE_ACTS]
    acts = {a.name: a for a in report.acts}
    assert list(acts) == ["Act 1", "Act 2", NOT_IN_SCRIPT, OUTSIDE_ACTS]
    assert acts["Act 1"].running_ms == 75_000 - 6_000 and acts["Act 1"].called == 3
    assert acts["Act 1"].skipped == 1 and acts["Act 2"].up_at is None
    assert report.curtain_late_ms == 5 * 60_000 and report.running_ms == 3_600_000


def test_the_threshold_is_strictly_beyond() -> None:
    sketch, ids = _script()
    calls = [_call(ids, "LX 1", 0, 5_000), _call(ids, "SQ 1", 60_000, 54_999)]
    report = build_show_report(_log(calls), sketch.plan(), threshold_ms=5_000)
    assert [c.label for c in report.late] == [] and [c.label for c in report.early] == ["SQ 1"]
    assert build_show_report(_log(calls), sketch.plan(), threshold_ms=0).late[0].label == "LX 1"
    with pytest.raises(ValidationError, match="cannot be negative"):
        build_show_report(_log(calls), sketch.plan(), threshold_ms=-1)


def test_an_unfinished_run_and_holds_before_curtain_up() -> None:
    sketch, ids = _script()
    holds = (
        HoldRecord(uuid.uuid4(), UP - timedelta(minutes=8), -180_000, "House late", False, 300_000),
        HoldRecord(uuid.uuid4(), _at(30_000), 30_000, "Safety stop", True, None),
    )
    log = _log(
        [_call(ids, "LX 1", 0, 0)],
        status=RunStatus.SAFETY_STOP,
        ended_at=None,
        holds=holds,
        total_hold_ms=300_000,
    )
    report = build_show_report(log, sketch.plan())
    assert report.running_ms is None and report.show_clock_ms is None
    assert report.held_after_curtain_ms == 0 and report.total_hold_ms == 300_000
    text = report.to_text(UTC)
    assert "Status: safety stop" in text and "not ended  Safety stop" in text
    assert "Scheduled 19:30:00. Curtain up 19:35:00 (+5:00 late)" in text
    assert "Act 2: not reached" in text
    rows = list(csv.DictReader(io.StringIO(report.to_csv(UTC))))
    assert [r["record"] for r in rows if r["record"] in ("hold", "safety stop")] == [
        "hold",
        "safety stop",
    ]
    assert rows[-1]["outcome"] == "not called"


def test_a_report_without_the_script() -> None:
    _, ids = _script()
    report = build_show_report(_log([_call(ids, "LX 1", 0, 1_000)]))
    assert report.not_called == () and [a.name for a in report.acts] == [NOT_IN_SCRIPT]


def test_notes_keep_their_time_of_day_and_show_clock() -> None:
    sketch, ids = _script()
    notes = (
        RecordedNote(None, None, "Understudy on for Banquo", UP - timedelta(minutes=40)),
        RecordedNote(-90_500, None, "House opened late", UP - timedelta(seconds=90.5)),
        RecordedNote(3_723_250, "LX 1", "Missed the standby: [operator]", _at(3_723_250),
                     ids["LX 1"]),
    )  # fmt: skip
    log = _log([], notes=notes, general_notes="Cast notes sent.\nCrew call 18:00")
    report = build_show_report(log, sketch.plan())
    assert report.notes == notes and report.general_notes.startswith("Cast notes")
    assert [note_stamp(n, UTC) for n in notes] == [
        "18:55:00 · before start",
        "19:33:29 · -1:30",
        "20:37:03 · 1:02:03 LX 1",
    ]
    text = report.to_text(UTC)
    assert "  [18:55:00 · before start] Understudy on for Banquo" in text
    assert "  [20:37:03 · 1:02:03 LX 1] Missed the standby: [operator]" in text
    assert text.endswith("Run notes\n  Cast notes sent.\n  Crew call 18:00\n")
    rows = list(csv.DictReader(io.StringIO(report.to_csv(UTC))))
    note_rows = [r for r in rows if r["record"] == "note"]
    assert [(r["time"], r["actual"], r["cue"], r["note"]) for r in note_rows] == [
        ("2027-03-12T18:55:00.000+00:00", "before start", "", "Understudy on for Banquo"),
        ("2027-03-12T19:33:29.500+00:00", "-1:30.500", "", "House opened late"),
        ("2027-03-12T20:37:03.250+00:00", "1:02:03.250", "LX 1", notes[2].text),
    ]
    assert rows[-1]["record"] == "run notes" and "Crew call" in rows[-1]["note"]

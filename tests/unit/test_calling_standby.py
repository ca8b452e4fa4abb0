"""The standby panel and overdue flags, driven by a fake clock."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.standby import CueOverdue, StandbyEntered, StandbyWatch
from callmaster_desktop.errors import ValidationError
from tests.support.calling_plans import FLY, LX, SQ, Sketch, labels

SECOND = 1_000


def _show() -> tuple[CallingEngine, FakeClock, dict[str, uuid.UUID]]:
    s = Sketch()
    ids = {
        "LX 1": s.cue(LX, "1", "0:10"),
        "SQ 1": s.cue(SQ, "1", "0:10"),
        "LX 2": s.cue(LX, "2", "0:20"),
        "FLY 1": s.cue(FLY, "1", "0:25"),
        "SQ 2": s.cue(SQ, "2", "0:30"),
        "LX 3": s.cue(LX, "3", "2:00"),
        "LX 4": s.cue(LX, "4", "5:00"),
    }
    clock = FakeClock()
    return CallingEngine(s.plan(), clock), clock, ids


def _entered(found: list[object]) -> list[str]:
    return [e.cue.label for e in found if isinstance(e, StandbyEntered)]  # type: ignore[attr-defined]


def _overdue(found: list[object]) -> list[str]:
    return [e.cue.label for e in found if isinstance(e, CueOverdue)]  # type: ignore[attr-defined]


def test_the_lookahead_must_be_between_5_and_60_seconds() -> None:
    engine, _, _ = _show()
    for bad in (4_999, 60_001):
        with pytest.raises(ValidationError, match="between 5 and 60 seconds"):
            StandbyWatch(engine, bad)
    watch = StandbyWatch(engine)
    assert watch.lookahead_ms == 30_000
    with pytest.raises(ValidationError):
        watch.set_lookahead(0)
    assert watch.lookahead_ms == 30_000


def test_before_a_start_the_panel_shows_the_first_go_only() -> None:
    engine, _, _ = _show()
    watch = StandbyWatch(engine, 10_000)
    assert watch.standby().text == "Standby LX 1, SQ 1"
    assert watch.poll() == [] and watch.next_change_at() is None


def test_standby_lists_the_window_grouped_by_department() -> None:
    engine, clock, _ = _show()
    watch = StandbyWatch(engine, 20_000)
    engine.start_now()
    clock.advance(6_000)  # the window reaches 0:26
    standby = watch.standby()
    assert standby.text == "Standby LX 1, LX 2, SQ 1, FLY 1"
    assert [g.department for g in standby.groups] == ["LX", "SQ", "FLY"]
    assert [c.in_next_go for c in standby.cues] == [True, False, True, False]
    assert not any(c.overdue for c in standby.cues)


def test_cues_enter_standby_when_their_time_minus_the_lookahead_comes() -> None:
    engine, clock, _ = _show()
    watch = StandbyWatch(engine, 10_000)
    engine.start_now()
    start = clock.monotonic_ms()
    assert _entered(watch.poll()) == ["LX 1", "SQ 1"]  # 0:10 is within 10 s of 0:00
    assert watch.next_change_at() == start + 10_000  # LX 2 at 0:20
    clock.advance(9_999)
    assert _entered(watch.poll()) == []
    clock.advance(1)
    found = watch.poll()
    assert _entered(found) == ["LX 2"]
    assert [e.due_m for e in found if isinstance(e, StandbyEntered)] == [start + 10_000]
    assert _overdue(found) == ["LX 1", "SQ 1"]  # 0:10 came and they were not called
    assert [c.label for c in watch.overdue()] == ["LX 1", "SQ 1"]
    assert all(c.overdue for c in watch.standby().cues if c.in_next_go)


def test_calling_clears_the_overdue_flag_and_jumped_cues_stay_flagged() -> None:
    engine, clock, ids = _show()
    watch = StandbyWatch(engine, 5_000)
    engine.start_now()
    clock.advance(35_000)
    watch.poll()
    assert labels(watch.overdue()) == ["LX 1", "SQ 1", "LX 2", "FLY 1", "SQ 2"]
    engine.go()
    assert labels(watch.overdue()) == ["LX 2", "FLY 1", "SQ 2"]
    engine.jump_to(ids["SQ 2"])
    clock.advance(1_000)
    engine.go()
    assert labels(watch.overdue()) == ["LX 2", "FLY 1"]  # jumped over, never called
    engine.skip(ids["LX 2"])
    assert labels(watch.overdue()) == ["FLY 1"]


def test_the_next_go_is_listed_even_beyond_the_lookahead() -> None:
    engine, _, ids = _show()
    watch = StandbyWatch(engine, 5_000)
    engine.start_now()
    engine.jump_to(ids["LX 3"])
    assert watch.standby().text == "Standby LX 3"  # 2:00 is far off; LX 4 is not listed
    engine.jump_to(ids["LX 4"])
    engine.go()
    assert watch.standby().text == ""  # nothing left


def test_a_hold_during_a_standby_keeps_it_and_delays_what_comes_next() -> None:
    engine, clock, _ = _show()
    watch = StandbyWatch(engine, 10_000)
    engine.start_now()
    start = clock.monotonic_ms()
    clock.advance(5_000)
    assert _entered(watch.poll()) == ["LX 1", "SQ 1"]
    engine.hold("Latecomers")
    assert watch.next_change_at() is None  # the show clock stands still
    clock.advance(60_000)
    assert watch.poll() == []  # nothing enters standby or becomes overdue during a hold
    assert watch.standby().text == "Standby LX 1, SQ 1"
    engine.resume()
    assert watch.next_change_at() == start + 60_000 + 10_000  # LX 2's standby slipped
    clock.advance(5_000)
    found = watch.poll()
    assert _entered(found) == ["LX 2"] and _overdue(found) == ["LX 1", "SQ 1"]


def test_the_countdown_end_comes_through_the_watch() -> None:
    engine, clock, _ = _show()
    watch = StandbyWatch(engine, 5_000)
    armed = clock.monotonic_ms()
    engine.start_at(clock.now() + timedelta(seconds=30))
    assert watch.next_change_at() == armed + 30_000  # curtain up comes before LX 1's standby
    clock.advance(30_000)
    found = watch.poll()
    assert [type(e).__name__ for e in found] == ["CurtainUp"]
    assert watch.next_change_at() == armed + 35_000  # LX 1 enters standby at 0:05

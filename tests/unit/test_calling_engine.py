"""The calling engine with a fake clock: every state change and its edge cases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

import pytest

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.engine import CallingEngine, CueState
from callmaster_desktop.calling.events import (
    CueCalled,
    CueSkipped,
    CurtainUp,
    Event,
    HoldEnded,
    HoldStarted,
    RunEnded,
    RunSnapshot,
    RunStarted,
)
from callmaster_desktop.domain.enums import RunStatus
from callmaster_desktop.domain.timeoffset import format_countdown, parse_offset
from callmaster_desktop.errors import NotFoundError, ValidationError
from tests.support.calling_plans import FLY, LX, SQ, Sketch, labels

MIN = 60_000


class Show:
    """A short show: pre-show, a storm that fires together, a second act."""

    def __init__(self) -> None:
        s = Sketch()
        pre = s.group("Pre-show")
        self.lx1 = s.cue(LX, "1", "-30:00", parent=pre)
        s.cue(SQ, "1", "-30:00", parent=pre)
        s.note("Places", "-2:00", parent=pre)
        self.sq2 = s.cue(SQ, "2", "-0:45", parent=pre)
        self.act1 = s.group("Act 1")
        scene = s.group("Scene 1", parent=self.act1)
        self.lx2 = s.cue(LX, "2", "0:00", parent=scene)
        s.cue(SQ, "3", "0:00", parent=scene)
        s.cue(FLY, "1", "0:00", parent=scene)
        self.lx3 = s.cue(LX, "3", "0:10", parent=scene)
        self.storm = s.group("Storm", parent=self.act1, together=True)
        self.lx4 = s.cue(LX, "4", "1:00", parent=self.storm)
        self.sq4 = s.cue(SQ, "4", "1:02", parent=self.storm)
        self.fly2 = s.cue(FLY, "2", "1:05", parent=self.storm)
        self.lx5 = s.cue(LX, "5", "2:00", parent=self.act1)
        self.act2 = s.group("Act 2")
        self.lx6 = s.cue(LX, "6", "40:00", parent=self.act2)
        s.note("Banquo enters", "40:00", parent=self.act2)
        s.cue(SQ, "5", "40:00", parent=self.act2)
        self.lx7 = s.cue(LX, "7", "45:00", parent=self.act2)
        self.plan = s.plan()
        self.clock = FakeClock()
        self.engine = CallingEngine(self.plan, self.clock)
        self.events: list[Event] = []
        self.engine.subscribe(self.events.extend)

    def go(self, after_ms: int = 1_000) -> list[str]:
        self.clock.advance(after_ms)
        outcome = self.engine.go()
        assert outcome.accepted, outcome.refused
        return labels(outcome.calls)

    def jump_past_preshow(self) -> None:
        self.engine.jump_to(self.act1)


@pytest.fixture
def show() -> Show:
    return Show()


def _kinds(events: Sequence[Event]) -> list[str]:
    return [type(e).__name__ for e in events]


# --- ready, starting, countdown --------------------------------------------------------


def test_before_a_start_go_is_refused_and_nothing_changes(show: Show) -> None:
    engine = show.engine
    assert engine.status is RunStatus.READY and engine.show_ms() is None
    outcome = engine.go()
    assert not outcome.accepted and "Start the show first" in (outcome.refused or "")
    assert engine.pointer == 0 and engine.history == () and show.events == []
    with pytest.raises(ValidationError, match="has not started"):
        engine.hold()
    with pytest.raises(ValidationError, match="has not started"):
        engine.safety_stop()
    with pytest.raises(ValidationError, match="abandon the run instead"):
        engine.finish()


def test_start_now_runs_the_show_clock_from_zero(show: Show) -> None:
    events = show.engine.start_now()
    assert _kinds(events) == ["RunStarted"] and show.events == events
    assert show.engine.status is RunStatus.RUNNING and show.engine.show_ms() == 0
    show.clock.advance(12_345)
    assert show.engine.show_ms() == 12_345
    assert show.engine.countdown_ms() is None
    assert show.engine.curtain_up_at() == show.clock.now() - timedelta(milliseconds=12_345)
    with pytest.raises(ValidationError, match="already started"):
        show.engine.start_now()


def test_countdown_to_a_scheduled_start_calls_preshow_cues_then_raises_the_curtain(
    show: Show,
) -> None:
    engine, clock = show.engine, show.clock
    curtain = clock.now() + timedelta(minutes=31)
    (started,) = engine.start_at(curtain)
    assert isinstance(started, RunStarted) and started.scheduled_start == curtain
    assert engine.status is RunStatus.READY and engine.is_counting_down
    assert engine.show_ms() == -31 * MIN
    assert format_countdown(engine.countdown_ms() or 0) == "T-00:31:00"
    assert engine.next_change_at() == clock.monotonic_ms() + 31 * MIN

    assert show.go(MIN) == ["LX 1", "SQ 1"]  # at -30:00, during the countdown
    first = engine.history[0]
    assert isinstance(first, CueCalled) and first.show_ms == -30 * MIN
    assert first.difference_ms == 0
    clock.advance(30 * MIN - 1)
    assert engine.tick() == [] and engine.status is RunStatus.READY
    assert format_countdown(engine.countdown_ms() or 0) == "T-00:00:01"
    clock.advance(1)
    (up,) = engine.tick()
    assert isinstance(up, CurtainUp) and up.at == curtain and up.due_m == clock.monotonic_ms()
    assert engine.status is RunStatus.RUNNING and engine.show_ms() == 0
    assert engine.countdown_ms() is None and engine.next_change_at() is None


def test_a_go_after_the_countdown_ran_out_raises_the_curtain_first(show: Show) -> None:
    show.engine.start_at(show.clock.now() + timedelta(seconds=5))
    show.jump_past_preshow()
    show.clock.advance(7_000)
    outcome = show.engine.go()
    assert _kinds(outcome.events) == ["CurtainUp", "CueCalled", "CueCalled", "CueCalled"]
    assert outcome.calls[0].show_ms == 2_000


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (timedelta(seconds=-1), "already passed"),
        (timedelta(0), "already passed"),
        (timedelta(hours=25), "more than a day"),
    ],
)
def test_a_scheduled_start_must_be_ahead_and_within_a_day(
    show: Show, shift: timedelta, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        show.engine.start_at(show.clock.now() + shift)
    with pytest.raises(ValidationError, match="time zone"):
        show.engine.start_at((show.clock.now() + timedelta(hours=1)).replace(tzinfo=None))
    assert show.engine.status is RunStatus.READY and not show.engine.has_started


def test_start_now_during_the_countdown_raises_the_curtain_at_once(show: Show) -> None:
    show.engine.start_at(show.clock.now() + timedelta(minutes=10))
    show.clock.advance(MIN)
    show.engine.start_now()
    assert show.engine.show_ms() == 0 and show.engine.status is RunStatus.RUNNING


# --- GO and the pointer ----------------------------------------------------------------


def test_go_calls_every_cue_of_the_moment_and_moves_on(show: Show) -> None:
    show.engine.start_now()
    show.jump_past_preshow()
    assert labels(show.engine.next_moment()) == ["LX 2", "SQ 3", "FLY 1"]
    assert show.go(400) == ["LX 2", "SQ 3", "FLY 1"]
    assert show.engine.next_cue is not None and show.engine.next_cue.label == "LX 3"
    assert show.go(9_600) == ["LX 3"]
    call = show.engine.history[-1]
    assert isinstance(call, CueCalled) and call.show_ms == 10_000 and call.difference_ms == 0
    assert show.go(55_000) == ["LX 4", "SQ 4", "FLY 2"]  # the storm fires together
    assert [c.difference_ms for c in show.engine.history[-3:]] == [5_000, 3_000, 0]  # type: ignore[union-attr]
    assert show.engine.state_of(show.fly2) is CueState.CALLED
    assert show.engine.state_of(show.lx1) is CueState.PENDING  # jumped over, not skipped


def test_go_on_the_last_cue_then_no_more_cues(show: Show) -> None:
    show.engine.start_now()
    show.engine.jump_to(show.lx7)
    assert show.go() == ["LX 7"]
    assert show.engine.at_end and show.engine.pointer is None and show.engine.next_moment() == ()
    show.clock.advance(1_000)
    outcome = show.engine.go()
    assert not outcome.accepted and "No more cues" in (outcome.refused or "")
    assert show.engine.status is RunStatus.RUNNING
    with pytest.raises(ValidationError, match="no next cue"):
        show.engine.skip()
    events = show.engine.finish()
    assert _kinds(events) == ["RunEnded"] and show.engine.status is RunStatus.COMPLETE
    assert show.engine.go().refused == "This run is over."
    for action in (show.engine.hold, show.engine.resume, show.engine.back, show.engine.abandon):
        with pytest.raises(ValidationError):
            action()


def test_double_go_within_the_minimum_interval_is_refused(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_now()
    show.jump_past_preshow()
    assert show.go() == ["LX 2", "SQ 3", "FLY 1"]
    for bounce in (100, 150, 49):  # 100, 250, 299 ms after the accepted GO
        clock.advance(bounce)
        outcome = engine.go()
        assert not outcome.accepted and "ms after the last GO" in (outcome.refused or "")
    assert engine.next_cue is not None and engine.next_cue.label == "LX 3"
    clock.advance(1)  # 300 ms after the accepted one: the refusals did not reset it
    assert labels(engine.go().calls) == ["LX 3"]


def test_the_go_press_time_counts_not_when_it_was_handled(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_now()
    show.jump_past_preshow()
    pressed = clock.advance(1_000)
    clock.advance(30)  # the screen handled the key 30 ms later
    outcome = engine.go(pressed_at=pressed)
    assert outcome.calls[0].show_ms == 1_000
    assert not engine.go(pressed_at=pressed + 299).accepted


def test_a_held_go_key_does_not_repeat(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_now()
    show.jump_past_preshow()
    clock.advance(1_000)
    assert engine.go_key_down().accepted and engine.go_key_is_down
    clock.advance(2_000)  # auto-repeat long after the minimum interval
    outcome = engine.go_key_down()
    assert outcome.refused == "Release the GO key before the next GO."
    assert engine.next_cue is not None and engine.next_cue.label == "LX 3"
    engine.go_key_up()
    assert labels(engine.go_key_down().calls) == ["LX 3"]


def test_the_minimum_interval_is_configurable_within_limits(show: Show) -> None:
    engine = CallingEngine(show.plan, show.clock, min_go_interval_ms=0)
    engine.start_now()
    assert engine.go().accepted and engine.go().accepted
    for bad in (-1, 5_001):
        with pytest.raises(ValidationError, match="between 0 and 5000 ms"):
            CallingEngine(show.plan, show.clock, min_go_interval_ms=bad)


# --- skip, back, jump -----------------------------------------------------------------


def test_skip_inside_a_fires_together_group(show: Show) -> None:
    show.engine.start_now()
    show.engine.jump_to(show.storm)
    events = show.engine.skip(show.sq4)  # a cue further into the group
    assert _kinds(events) == ["CueSkipped"]
    assert labels(show.engine.next_moment()) == ["LX 4", "FLY 2"]
    show.engine.skip()  # the cue at the pointer: LX 4
    assert labels(show.engine.next_moment()) == ["FLY 2"]
    assert show.go() == ["FLY 2"]
    assert show.engine.next_cue is not None and show.engine.next_cue.label == "LX 5"
    assert [show.engine.state_of(c) for c in (show.lx4, show.sq4, show.fly2)] == [
        CueState.SKIPPED,
        CueState.SKIPPED,
        CueState.CALLED,
    ]
    with pytest.raises(ValidationError, match="SQ 4 was already skipped"):
        show.engine.skip(show.sq4)
    with pytest.raises(ValidationError, match="FLY 2 was already called"):
        show.engine.skip(show.fly2)
    with pytest.raises(NotFoundError):
        show.engine.skip(show.storm)


def test_the_pointer_passes_over_cues_skipped_ahead_of_time(show: Show) -> None:
    show.engine.start_now()
    show.engine.jump_to(show.lx5)
    show.engine.skip(show.lx6)
    skipped = show.engine.history[-1]
    assert isinstance(skipped, CueSkipped) and skipped.show_ms == 0
    assert show.go() == ["LX 5"]
    assert show.go() == ["SQ 5"]  # LX 6 was skipped; SQ 5 shares its offset
    assert show.go() == ["LX 7"]


def test_back_moves_to_the_previous_moment_without_uncalling(show: Show) -> None:
    show.engine.start_now()
    show.jump_past_preshow()
    show.go()
    show.go()
    show.engine.back()
    assert labels(show.engine.next_moment()) == ["LX 3"]
    show.engine.back()
    assert labels(show.engine.next_moment()) == ["LX 2", "SQ 3", "FLY 1"]
    assert show.engine.state_of(show.lx2) is CueState.CALLED
    assert show.go() == ["LX 2", "SQ 3", "FLY 1"]  # called again: the record keeps both
    assert labels(show.engine.history).count("LX 2") == 2
    show.engine.jump_to(show.sq4)  # into the middle of a moment
    show.engine.back()
    assert labels(show.engine.next_moment()) == ["LX 4", "SQ 4", "FLY 2"]
    show.engine.jump_to(show.lx1)
    with pytest.raises(ValidationError, match="Already at the first cue"):
        show.engine.back()


def test_jump_leaves_cues_alone_and_skip_to_marks_them(show: Show) -> None:
    show.engine.start_now()
    show.engine.jump_to(show.lx5)
    assert [show.engine.state_at(i) for i in range(len(show.plan))].count(CueState.PENDING) == 14
    show.engine.jump_to(show.lx2)
    events = show.engine.skip_to(show.lx4)
    assert labels(events) == ["LX 2", "SQ 3", "FLY 1", "LX 3"]
    assert all(isinstance(e, CueSkipped) for e in events)
    assert show.engine.next_cue is not None and show.engine.next_cue.label == "LX 4"
    with pytest.raises(ValidationError, match="LX 3 is before the next cue"):
        show.engine.skip_to(show.lx3)
    with pytest.raises(NotFoundError):
        show.engine.jump_to(uuid.uuid4())
    show.engine.jump_to(show.act2)
    assert labels(show.engine.next_moment()) == ["LX 6", "SQ 5"]


# --- holds and safety stops -------------------------------------------------------------


def test_a_hold_stops_the_show_clock_and_later_clock_times_slip(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_now()
    offsets_before = [c.offset_ms for c in show.plan.cues]
    lx7_time = engine.clock_time_of(parse_offset("45:00"))
    clock.advance(90_000)
    (held,) = engine.hold("  Audience member unwell  ")
    assert isinstance(held, HoldStarted) and held.reason == "Audience member unwell"
    assert engine.status is RunStatus.HELD and held.show_ms == 90_000
    clock.advance(4 * MIN)
    assert engine.show_ms() == 90_000 and engine.total_hold_ms() == 4 * MIN
    with pytest.raises(ValidationError, match="already held"):
        engine.hold()
    (ended,) = engine.resume()
    assert isinstance(ended, HoldEnded) and ended.length_ms == 4 * MIN
    assert ended.total_hold_ms == 4 * MIN and ended.curtain_up_at is None
    assert engine.status is RunStatus.RUNNING
    clock.advance(500)
    assert engine.show_ms() == 90_500
    assert lx7_time is not None
    assert engine.clock_time_of(parse_offset("45:00")) == lx7_time + timedelta(minutes=4)
    assert [c.offset_ms for c in show.plan.cues] == offsets_before
    with pytest.raises(ValidationError, match="not held"):
        engine.resume()
    assert engine.holds[0].length_ms == 4 * MIN


def test_go_during_a_hold_ends_the_hold_and_calls(show: Show) -> None:
    show.engine.start_now()
    show.jump_past_preshow()
    show.clock.advance(5_000)
    show.engine.hold()
    show.clock.advance(20_000)
    outcome = show.engine.go()
    assert _kinds(outcome.events) == ["HoldEnded", "CueCalled", "CueCalled", "CueCalled"]
    assert outcome.calls[0].show_ms == 5_000
    assert show.engine.status is RunStatus.RUNNING and show.engine.total_hold_ms() == 20_000


def test_a_safety_stop_locks_go_until_resumed(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_now()
    show.jump_past_preshow()
    show.go()
    clock.advance(3_000)
    (stop,) = engine.safety_stop("flown piece snagged")
    assert isinstance(stop, HoldStarted) and stop.safety
    assert stop.reason == "Safety stop: flown piece snagged"
    assert engine.status is RunStatus.SAFETY_STOP
    clock.advance(MIN)
    outcome = engine.go()
    assert not outcome.accepted and "Safety stop" in (outcome.refused or "")
    assert engine.go_key_down().refused is not None
    engine.go_key_up()
    assert engine.next_cue is not None and engine.next_cue.label == "LX 3"
    with pytest.raises(ValidationError, match="already stopped"):
        engine.safety_stop()
    with pytest.raises(ValidationError, match="resume it first"):
        engine.hold()
    engine.resume()
    assert engine.status is RunStatus.RUNNING and engine.show_ms() == 4_000
    assert show.go() == ["LX 3"]
    assert engine.holds[0].safety and engine.holds[0].length_ms == MIN


def test_a_safety_stop_during_a_hold_ends_the_hold_first(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_now()
    clock.advance(1_000)
    engine.hold("Late latecomers")
    clock.advance(2_000)
    events = engine.safety_stop()
    assert _kinds(events) == ["HoldEnded", "HoldStarted"]
    clock.advance(3_000)
    engine.resume()
    assert [(h.reason, h.length_ms) for h in engine.holds] == [
        ("Late latecomers", 2_000),
        ("Safety stop", 3_000),
    ]
    assert engine.show_ms() == 1_000 and engine.total_hold_ms() == 5_000


def test_a_hold_before_curtain_up_makes_the_curtain_go_up_later(show: Show) -> None:
    engine, clock = show.engine, show.clock
    planned = clock.now() + timedelta(minutes=10)
    engine.start_at(planned)
    clock.advance(2 * MIN)
    engine.hold("House is late")
    clock.advance(5 * MIN)
    assert engine.status is RunStatus.HELD and engine.countdown_ms() == 8 * MIN
    assert engine.next_change_at() is None
    (ended,) = engine.resume()
    assert isinstance(ended, HoldEnded)
    assert ended.curtain_up_at == planned + timedelta(minutes=5)
    assert engine.status is RunStatus.READY and engine.countdown_ms() == 8 * MIN
    clock.advance(8 * MIN)
    (up,) = engine.tick()
    assert isinstance(up, CurtainUp) and up.at == planned + timedelta(minutes=5)
    assert engine.curtain_up_at() == up.at


# --- notes and endings -------------------------------------------------------------------


def test_notes_are_stamped_with_the_show_clock(show: Show) -> None:
    show.engine.add_note("Understudy on for Banquo")
    show.engine.start_now()
    show.clock.advance(75_000)
    show.engine.add_note("LX 2 late:\n operator missed the standby", show.lx2)
    first, second = show.engine.notes
    assert first.show_ms is None and first.cue is None
    assert second.show_ms == 75_000 and second.cue is not None and second.cue.label == "LX 2"
    assert second.text == "LX 2 late: operator missed the standby"
    with pytest.raises(ValidationError, match="needs some text"):
        show.engine.add_note("   ")
    with pytest.raises(ValidationError, match="at most"):
        show.engine.add_note("x" * 2_001)


def test_finish_ends_an_open_hold_and_abandon_works_from_ready(show: Show) -> None:
    show.engine.start_now()
    show.clock.advance(1_000)
    show.engine.safety_stop()
    show.clock.advance(2_000)
    events = show.engine.finish()
    assert _kinds(events) == ["HoldEnded", "RunEnded"]
    ended = events[-1]
    assert isinstance(ended, RunEnded) and ended.status is RunStatus.COMPLETE
    assert ended.show_ms == 1_000
    show.clock.advance(MIN)  # the clocks read as they did when the run ended
    assert show.engine.show_ms() == 1_000 and show.engine.total_hold_ms() == 2_000
    assert show.engine.monotonic_at_show(5_000) is None
    other = CallingEngine(show.plan, show.clock)
    (gone,) = other.abandon()
    assert isinstance(gone, RunEnded) and gone.status is RunStatus.ABANDONED


# --- rebuilding -------------------------------------------------------------------------------


def test_an_engine_rebuilt_from_its_record_carries_on_where_it_stood(show: Show) -> None:
    engine, clock = show.engine, show.clock
    engine.start_at(clock.now() + timedelta(minutes=31))
    show.go(MIN)  # LX 1, SQ 1 at -30:00
    engine.skip()  # SQ 2
    clock.advance(30 * MIN)
    engine.tick()
    show.go(2_000)  # LX 2 moment
    clock.advance(1_000)
    engine.hold("Prop missing")
    clock.advance(45_000)
    snapshot = RunSnapshot(
        engine.status, engine.curtain_up_at(), engine.holds, engine.history, engine.notes
    )
    clock.advance(10_000)  # the program was away for ten seconds
    rebuilt = CallingEngine.restore(show.plan, clock, snapshot)
    assert rebuilt.status is RunStatus.HELD
    assert rebuilt.show_ms() == engine.show_ms() == 3_000
    assert rebuilt.total_hold_ms() == engine.total_hold_ms() == 55_000
    assert rebuilt.pointer == engine.pointer
    assert [rebuilt.state_at(i) for i in range(len(show.plan))] == [
        engine.state_at(i) for i in range(len(show.plan))
    ]
    rebuilt.resume()
    clock.advance(7_000)
    assert labels(rebuilt.go().calls) == ["LX 3"]
    assert rebuilt.history[-1].show_ms == 10_000

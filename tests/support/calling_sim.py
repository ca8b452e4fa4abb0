"""A simulated three-hour show, called with a fake clock, checked at every step.

Used by the unit tests and by ``benchmarks/bench_calling.py``. The simulated
stage manager counts down ten minutes to curtain up, calls every moment near
its planned time (a little early or late), and holds the show twenty times
(two before curtain up, some of them safety stops, some ended by the next
GO). At every step the engine's show clock is compared with the test's own
account: fake-clock time since the planned curtain up minus the holds the
test itself made.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.calling.standby import CueOverdue, StandbyEntered, StandbyWatch
from tests.support.calling_plans import FLY, LX, SQ, Sketch

HOUR = 3_600_000
MINUTE = 60_000
COUNTDOWN = 10 * MINUTE


def three_hour_plan(seed: int = 7) -> CallPlan:
    """Pre-show, Act 1, Interval and Act 2: about a thousand cues over three hours."""
    rng = random.Random(seed)
    s = Sketch()
    numbers = {LX: 0, SQ: 0, FLY: 0}

    def cue(at: int, parent: uuid.UUID) -> None:
        dept = rng.choice((LX, LX, SQ, FLY))
        numbers[dept] += 1
        s.cue(dept, str(numbers[dept]), at, parent=parent)

    pre = s.group("Pre-show")
    for at in range(-30 * MINUTE, 0, 3 * MINUTE):
        cue(at, pre)
    for name, start, end in (
        ("Act 1", 0, 80 * MINUTE),
        ("Interval", 80 * MINUTE, 100 * MINUTE),
        ("Act 2", 100 * MINUTE, 3 * HOUR),
    ):
        act = s.group(name)
        at = start
        while at < end:
            if rng.random() < 0.03:
                storm = s.group("Storm", parent=act, together=True)
                for _ in range(3):
                    cue(at, storm)
                    at += rng.randint(0, 2_000)
            else:
                cue(at, act)
                if rng.random() < 0.25:  # another department on the same offset
                    cue(at, act)
            at += rng.randint(2_000, 25_000)
    return s.plan()


@dataclass
class SimResult:
    checks: int = 0  # show-clock comparisons made
    max_error_ms: int = 0  # largest difference between engine and the test's account
    calls: int = 0
    holds: int = 0
    safety_stops: int = 0
    total_hold_ms: int = 0
    show_ms_at_end: int = 0
    elapsed_since_planned_start_ms: int = 0
    curtain_up_error_ms: int = 0
    clock_time_error_ms: int = 0
    standby_entered: int = 0
    overdue_flagged: int = 0
    problems: list[str] = field(default_factory=list)


class _Sim:
    def __init__(self, plan: CallPlan, seed: int) -> None:
        self.rng = random.Random(seed)
        self.plan = plan
        self.clock = FakeClock()
        self.engine = CallingEngine(plan, self.clock)
        self.watch = StandbyWatch(self.engine)
        self.result = SimResult()
        self.target_m = self.clock.monotonic_ms() + COUNTDOWN
        self.held = 0
        self.pre_show_held = 0
        self.hold_began: int | None = None
        self.hold_before_curtain = False
        self.last_go: int | None = None

    def model_show(self) -> int:
        m = self.clock.monotonic_ms()
        holding = m - self.hold_began if self.hold_began is not None else 0
        return m - self.target_m - self.held - holding

    def check(self) -> None:
        for event in self.watch.poll():
            if isinstance(event, StandbyEntered):
                self.result.standby_entered += 1
            elif isinstance(event, CueOverdue):
                self.result.overdue_flagged += 1
        engine_show = self.engine.show_ms()
        assert engine_show is not None
        error = abs(engine_show - self.model_show())
        self.result.checks += 1
        self.result.max_error_ms = max(self.result.max_error_ms, error)

    def wait(self, ms: int) -> None:
        """Let ``ms`` pass in uneven steps, checking the clock after each."""
        while ms > 0:
            step = min(ms, self.rng.randint(1, 47_000))
            self.clock.advance(step)
            ms -= step
            self.check()

    def go(self) -> None:
        m = self.clock.monotonic_ms()
        if self.last_go is not None and m - self.last_go < 300:
            self.wait(300 - (m - self.last_go))
        expected = self.model_show()
        if self.hold_began is not None:
            self.end_hold_in_model()
        outcome = self.engine.go()
        if not outcome.accepted:
            self.result.problems.append(f"GO refused: {outcome.refused}")
            return
        self.last_go = self.clock.monotonic_ms()
        for call in outcome.calls:
            self.result.calls += 1
            if call.show_ms != expected:
                self.result.problems.append(f"{call.cue.label}: {call.show_ms} != {expected}")
        self.check()

    def end_hold_in_model(self) -> None:
        assert self.hold_began is not None
        length = self.clock.monotonic_ms() - self.hold_began
        self.held += length
        if self.hold_before_curtain:
            self.pre_show_held += length
        self.hold_began = None

    def hold(self, number: int, length: int) -> None:
        safety = number % 4 == 3
        if safety:
            self.engine.safety_stop("simulated")
            self.result.safety_stops += 1
        else:
            self.engine.hold(f"Hold {number}")
        self.result.holds += 1
        self.hold_before_curtain = self.model_show() < 0
        self.hold_began = self.clock.monotonic_ms()
        self.wait(length)
        if safety or number % 3 != 1:
            self.end_hold_in_model()
            self.engine.resume()
            self.check()
        else:
            self.go()  # the next GO ends the hold

    def run(self) -> SimResult:
        engine = self.engine
        engine.start_at(self.clock.now() + timedelta(milliseconds=COUNTDOWN))
        self.check()
        hold_times = sorted(
            [-8 * MINUTE, -3 * MINUTE]
            + [self.rng.randint(MINUTE, 3 * HOUR - 10 * MINUTE) for _ in range(18)]
        )
        number = 0
        while not engine.at_end:
            cue = engine.next_moment()[0]
            press_at = cue.offset_ms + self.rng.randint(-800, 2_500)
            if number < len(hold_times) and hold_times[number] < press_at:
                self.wait(max(0, hold_times[number] - self.model_show()))
                self.hold(number, self.rng.randint(5_000, 8 * MINUTE))
                number += 1
                continue
            self.wait(max(0, press_at - self.model_show()))
            self.go()
        return self.finish()

    def finish(self) -> SimResult:
        engine, result = self.engine, self.result
        result.total_hold_ms = engine.total_hold_ms()
        show = engine.show_ms()
        assert show is not None
        result.show_ms_at_end = show
        result.elapsed_since_planned_start_ms = self.clock.monotonic_ms() - self.target_m
        planned_up = engine.time.wall_at(self.target_m)
        up = engine.curtain_up_at()
        assert up is not None
        expected_up = planned_up + timedelta(milliseconds=self.pre_show_held)
        result.curtain_up_error_ms = abs((up - expected_up) // timedelta(milliseconds=1))
        last = self.plan.cues[-1].offset_ms
        shown = engine.clock_time_of(last)
        assert shown is not None
        expected = planned_up + timedelta(milliseconds=last + self.held)
        result.clock_time_error_ms = abs((shown - expected) // timedelta(milliseconds=1))
        if result.total_hold_ms != self.held:
            result.problems.append(f"total hold {result.total_hold_ms} != {self.held}")
        engine.finish()
        return result


def simulate_three_hour_show(plan: CallPlan | None = None, seed: int = 2027) -> SimResult:
    return _Sim(plan or three_hour_plan(), seed).run()

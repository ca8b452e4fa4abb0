"""The show clock: running time since curtain up, with the holds taken out.

``ShowClock`` keeps the arithmetic of one run in the injected clock's
monotonic milliseconds, so it never drifts and never jumps with the
computer's clock:

    show clock = now - origin - (every hold so far, the current one included)

where *origin* is the instant the show clock would have read 0:00 had
nothing been held. While counting down to a scheduled start the show clock
is negative; a hold before curtain up makes the curtain go up that much
later. Wall-clock times come from one reading of ``clock.now()`` taken when
the show clock is made, moved along by the monotonic count.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from callmaster_desktop.calling.clock import Clock, ms_between
from callmaster_desktop.errors import ValidationError

__all__ = ["HoldRecord", "ShowClock"]

MAX_COUNTDOWN_MS = 24 * 3_600_000


@dataclass(frozen=True, slots=True)
class HoldRecord:
    """One hold of a run: when, where the show clock stood, why, how long."""

    id: uuid.UUID
    started_at: datetime
    show_ms: int
    reason: str
    safety: bool
    length_ms: int | None  # None while the hold lasts


class ShowClock:
    """The time of one run: origin, holds and curtain up, in monotonic ms."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._anchor_m = clock.monotonic_ms()
        self._anchor_wall = clock.now()
        self._latest_m = self._anchor_m
        self.origin_m: int | None = None
        self.curtain_up_m: int | None = None
        self.held_ms = 0  # length of every finished hold
        self.hold: HoldRecord | None = None
        self.hold_started_m = 0
        self.finished_holds: list[HoldRecord] = []
        self.stopped_m: int | None = None  # the run ended here: the clock reads no further

    # --- instants ---------------------------------------------------------------

    def now(self) -> int:
        """The current monotonic ms, never before an instant already used."""
        m = max(self.clock.monotonic_ms(), self._latest_m)
        self._latest_m = m
        return m

    def instant(self, pressed_at: int | None) -> int:
        """The instant of a key press: not in the future, not before the last action."""
        latest = self._latest_m
        now = self.now()
        return now if pressed_at is None else min(max(pressed_at, latest), now)

    def wall_at(self, m: int) -> datetime:
        return self._anchor_wall + timedelta(milliseconds=m - self._anchor_m)

    def monotonic_of(self, wall: datetime) -> int:
        return self._anchor_m + ms_between(self._anchor_wall, wall)

    # --- readings -------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self.origin_m is not None

    @property
    def curtain_is_up(self) -> bool:
        return self.curtain_up_m is not None

    def _reading(self, m: int | None) -> int:
        m = self.clock.monotonic_ms() if m is None else m
        return m if self.stopped_m is None else min(m, self.stopped_m)

    def held_at(self, m: int | None = None) -> int:
        m = self._reading(m)
        return self.held_ms + (m - self.hold_started_m if self.hold is not None else 0)

    def show_ms(self, m: int | None = None) -> int | None:
        if self.origin_m is None:
            return None
        m = self._reading(m)
        return m - self.origin_m - self.held_at(m)

    def monotonic_at_show(self, show_ms: int) -> int | None:
        """When the show clock will read ``show_ms``; None while it stands still."""
        if self.origin_m is None or self.hold is not None or self.stopped_m is not None:
            return None
        return self.origin_m + self.held_ms + show_ms

    def curtain_up_at(self) -> datetime | None:
        """When the show clock reached 0:00, or will if nothing else holds it."""
        if self.curtain_up_m is not None:
            return self.wall_at(self.curtain_up_m)
        if self.origin_m is None:
            return None
        return self.wall_at(self.origin_m + self.held_at())

    def clock_time_of(self, offset_ms: int) -> datetime | None:
        """Start + offset + the holds so far, as a wall-clock time."""
        if self.origin_m is None:
            return None
        return self.wall_at(self.origin_m + self.held_at() + offset_ms)

    @property
    def holds(self) -> tuple[HoldRecord, ...]:
        if self.hold is None:
            return tuple(self.finished_holds)
        return (*self.finished_holds, self.hold)

    # --- changes ------------------------------------------------------------------

    def start_now(self, m: int) -> None:
        self.origin_m = m - self.held_ms
        self.curtain_up_m = m

    def start_at(self, m: int, when: datetime) -> int:
        """Count down to ``when``; return the milliseconds left."""
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValidationError("The start time needs a time zone.")
        left = ms_between(self.wall_at(m), when)
        if left <= 0:
            raise ValidationError("That start time has already passed: start now instead.")
        if left > MAX_COUNTDOWN_MS:
            raise ValidationError("That start time is more than a day away.")
        self.origin_m = m + left - self.held_ms
        return left

    def curtain_due(self, m: int) -> int | None:
        """If the countdown has reached zero by ``m``: raise the curtain, return when."""
        if self.origin_m is None or self.curtain_up_m is not None or self.hold is not None:
            return None
        if m - self.origin_m - self.held_ms < 0:
            return None
        self.curtain_up_m = self.origin_m + self.held_ms
        return self.curtain_up_m

    def stop(self, m: int) -> None:
        """The run is over: from now on the clocks read as they did at ``m``."""
        self.stopped_m = m

    def begin_hold(self, m: int, reason: str, *, safety: bool) -> HoldRecord:
        show = self.show_ms(m)
        assert show is not None and self.hold is None
        self.hold = HoldRecord(uuid.uuid4(), self.wall_at(m), show, reason, safety, None)
        self.hold_started_m = m
        return self.hold

    def end_hold(self, m: int) -> HoldRecord:
        assert self.hold is not None
        length = m - self.hold_started_m
        done = replace(self.hold, length_ms=length)
        self.held_ms += length
        self.hold = None
        self.finished_holds.append(done)
        return done

    def restore(
        self, curtain_up_at: datetime | None, holds: Sequence[HoldRecord], *, curtain_up: bool
    ) -> None:
        """Take up a recorded run: its (projected) curtain-up time and its holds.

        ``curtain_up`` says whether the show clock had reached 0:00. Time that
        passed while the program was not running counts as running time.
        """
        self.finished_holds = [h for h in holds if h.length_ms is not None]
        self.held_ms = sum(h.length_ms or 0 for h in self.finished_holds)
        open_holds = [h for h in holds if h.length_ms is None]
        if curtain_up_at is None:
            return
        if open_holds:
            self.hold = open_holds[-1]
            self.hold_started_m = self.monotonic_of(self.hold.started_at)
            self.origin_m = self.hold_started_m - self.held_ms - self.hold.show_ms
        else:
            after_curtain = sum(h.length_ms or 0 for h in self.finished_holds if h.show_ms >= 0)
            show_now = ms_between(curtain_up_at, self._anchor_wall) - after_curtain
            self.origin_m = self._anchor_m - show_now - self.held_ms
        if curtain_up:
            self.curtain_up_m = self.monotonic_of(curtain_up_at)

"""Where the calling engine gets its time: an injected clock.

The engine reads two things: a monotonic count of milliseconds, which never
jumps when the computer's clock is set, and the wall-clock time, which is
read once to anchor the run to real times of day. ``RealClock`` reads the
machine; ``FakeClock`` only moves when a test says so, so a three-hour show
runs in milliseconds.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "FakeClock", "RealClock", "ms_between"]


class Clock(Protocol):
    """A source of time for the calling engine."""

    def monotonic_ms(self) -> int:
        """Milliseconds from an arbitrary origin; never goes backwards."""
        ...

    def now(self) -> datetime:
        """The current wall-clock time, timezone-aware."""
        ...


class RealClock:
    """The machine's clocks: ``time.monotonic_ns`` and ``datetime.now(UTC)``."""

    def monotonic_ms(self) -> int:
        return time.monotonic_ns() // 1_000_000

    def now(self) -> datetime:
        return datetime.now(UTC)


DEFAULT_FAKE_START = datetime(2027, 3, 12, 23, 0, tzinfo=UTC)


class FakeClock:
    """A clock for tests: time stands still until ``advance`` moves it.

    The wall-clock time moves with the monotonic count, starting at ``start``.
    """

    def __init__(self, start: datetime = DEFAULT_FAKE_START, monotonic_start_ms: int = 0) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("FakeClock needs a timezone-aware start time")
        self._start = start
        self._origin_ms = monotonic_start_ms
        self._ms = monotonic_start_ms

    def monotonic_ms(self) -> int:
        return self._ms

    def now(self) -> datetime:
        return self._start + timedelta(milliseconds=self._ms - self._origin_ms)

    def advance(self, ms: int) -> int:
        """Move time forward by ``ms`` milliseconds; return the new monotonic count."""
        if ms < 0:
            raise ValueError("time never goes backwards")
        self._ms += ms
        return self._ms


def ms_between(earlier: datetime, later: datetime) -> int:
    """Whole milliseconds from ``earlier`` to ``later`` (negative if it is before)."""
    delta = later - earlier
    return (delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds) // 1000

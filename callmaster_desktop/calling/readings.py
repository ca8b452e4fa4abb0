"""What the calling screen reads from the engine: the clocks, the pointer, the record.

``EngineState`` holds the state of one run and answers questions about it;
``CallingEngine`` (``engine``) adds the actions that change it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from callmaster_desktop.calling.clock import Clock
from callmaster_desktop.calling.events import CueCalled, CueSkipped, Event, NoteAdded
from callmaster_desktop.calling.plan import CallableCue, CallPlan
from callmaster_desktop.calling.pointer import CuePointer, CueState
from callmaster_desktop.calling.showclock import HoldRecord, ShowClock
from callmaster_desktop.domain.enums import RunStatus
from callmaster_desktop.errors import ValidationError

__all__ = ["DEFAULT_MIN_GO_INTERVAL_MS", "FINAL_STATES", "EngineState", "Listener"]

DEFAULT_MIN_GO_INTERVAL_MS = 300
MAX_MIN_GO_INTERVAL_MS = 5_000
FINAL_STATES = (RunStatus.COMPLETE, RunStatus.ABANDONED)

Listener = Callable[[Sequence[Event]], None]


class EngineState:
    """The state of one run, and everything the calling screen reads from it."""

    def __init__(
        self, plan: CallPlan, clock: Clock, *, min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS
    ) -> None:
        if not 0 <= min_go_interval_ms <= MAX_MIN_GO_INTERVAL_MS:
            raise ValidationError(
                f"The time between two GOs must be between 0 and {MAX_MIN_GO_INTERVAL_MS} ms."
            )
        self.plan = plan
        self.min_go_interval_ms = min_go_interval_ms
        self.time = ShowClock(clock)
        self.cues = CuePointer(plan)
        self._status = RunStatus.READY
        self._history: list[CueCalled | CueSkipped] = []
        self._notes: list[NoteAdded] = []
        self._last_go_m: int | None = None
        self._key_down = False
        self._listeners: list[Listener] = []

    # --- what the calling screen shows ------------------------------------------------

    @property
    def status(self) -> RunStatus:
        return self._status

    @property
    def is_counting_down(self) -> bool:
        return self._status is RunStatus.READY and self.time.started

    @property
    def has_started(self) -> bool:
        """True once the show clock runs (counting down or after curtain up)."""
        return self.time.started

    @property
    def is_over(self) -> bool:
        return self._status in FINAL_STATES

    def show_ms(self) -> int | None:
        """The show clock now: negative while counting down, None before a start."""
        return self.time.show_ms()

    def countdown_ms(self) -> int | None:
        """Time left to curtain up while counting down (or held before it), else None."""
        show = self.time.show_ms()
        if show is None or self.time.curtain_is_up or self.is_over:
            return None
        return -show

    def curtain_up_at(self) -> datetime | None:
        return self.time.curtain_up_at()

    def clock_time_of(self, offset_ms: int) -> datetime | None:
        """The time of day of an offset: start + offset + the holds so far."""
        when = self.time.clock_time_of(offset_ms)
        if when is None and self.plan.planned_start is not None:
            return self.plan.planned_start + timedelta(milliseconds=offset_ms)
        return when

    def total_hold_ms(self) -> int:
        return self.time.held_at()

    @property
    def pointer(self) -> int | None:
        """The index of the next cue to call; None after the last one."""
        return None if self.cues.at_end else self.cues.index

    @property
    def next_cue(self) -> CallableCue | None:
        return self.cues.next_cue

    @property
    def at_end(self) -> bool:
        return self.cues.at_end

    def next_moment(self) -> tuple[CallableCue, ...]:
        """The cues the next GO will call."""
        return tuple(self.plan.cues[i] for i in self.cues.moment_indexes())

    def state_at(self, index: int) -> CueState:
        return self.cues.states[index]

    def state_of(self, element_id: uuid.UUID) -> CueState:
        return self.cues.states[self.cues.cue(element_id).index]

    @property
    def go_key_is_down(self) -> bool:
        return self._key_down

    @property
    def holds(self) -> tuple[HoldRecord, ...]:
        return self.time.holds

    @property
    def history(self) -> tuple[CueCalled | CueSkipped, ...]:
        return tuple(self._history)

    @property
    def notes(self) -> tuple[NoteAdded, ...]:
        return tuple(self._notes)

    def subscribe(self, listener: Listener) -> None:
        """Hand every batch of events to ``listener`` (e.g. the run recorder)."""
        self._listeners.append(listener)

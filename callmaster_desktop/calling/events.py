"""What happens during a run, as plain values.

The engine returns these from every action and hands them to whoever
subscribed (the run recorder writes them to the database; the calling
screen redraws). ``show_ms`` is the show clock, ``at`` the wall-clock time
and ``due_m`` the engine clock's monotonic milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from callmaster_desktop.calling.plan import CallableCue
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.domain.enums import RunStatus

__all__ = [
    "CueCalled",
    "CueSkipped",
    "CurtainUp",
    "Event",
    "GoOutcome",
    "HoldEnded",
    "HoldStarted",
    "NoteAdded",
    "RunEnded",
    "RunSnapshot",
    "RunStarted",
]


@dataclass(frozen=True, slots=True)
class RunStarted:
    """The show clock runs: from now, or counting down to a scheduled start."""

    at: datetime
    curtain_up_at: datetime  # when the show clock reaches 0:00 (before any hold)
    scheduled_start: datetime | None  # set when counting down
    show_ms: int
    status: RunStatus


@dataclass(frozen=True, slots=True)
class CurtainUp:
    """The countdown reached zero: the show is running."""

    at: datetime
    due_m: int
    status: RunStatus


@dataclass(frozen=True, slots=True)
class CueCalled:
    cue: CallableCue
    show_ms: int  # the show clock when GO was pressed
    at: datetime

    @property
    def difference_ms(self) -> int:
        """Positive when the cue was called late, negative when early."""
        return self.show_ms - self.cue.offset_ms


@dataclass(frozen=True, slots=True)
class CueSkipped:
    cue: CallableCue
    show_ms: int | None  # None before the run started
    at: datetime


@dataclass(frozen=True, slots=True)
class HoldStarted:
    hold_id: uuid.UUID
    at: datetime
    show_ms: int  # the show clock stands here until the hold ends
    reason: str
    safety: bool
    status: RunStatus


@dataclass(frozen=True, slots=True)
class HoldEnded:
    hold_id: uuid.UUID
    at: datetime
    show_ms: int
    length_ms: int
    total_hold_ms: int  # every hold of the run so far
    # When the hold was before curtain up: the new curtain-up time it slipped to.
    curtain_up_at: datetime | None
    status: RunStatus


@dataclass(frozen=True, slots=True)
class NoteAdded:
    at: datetime | None  # None for a note read back from the run log
    show_ms: int | None
    text: str
    cue: CallableCue | None


@dataclass(frozen=True, slots=True)
class RunEnded:
    at: datetime
    show_ms: int | None
    status: RunStatus  # complete or abandoned


Event = (
    RunStarted | CurtainUp | CueCalled | CueSkipped | HoldStarted | HoldEnded | NoteAdded | RunEnded
)


@dataclass(frozen=True, slots=True)
class GoOutcome:
    """What one GO did: the cues it called, or why it was refused."""

    calls: tuple[CueCalled, ...] = ()
    events: tuple[Event, ...] = ()
    refused: str | None = None

    @property
    def accepted(self) -> bool:
        return self.refused is None


@dataclass(frozen=True)
class RunSnapshot:
    """What a run log holds: enough to rebuild the engine after a crash."""

    status: RunStatus
    curtain_up_at: datetime | None  # actual, or projected while counting down
    holds: Sequence[HoldRecord]  # in order; an open hold has no length
    history: Sequence[CueCalled | CueSkipped]  # in order
    notes: Sequence[NoteAdded] = ()

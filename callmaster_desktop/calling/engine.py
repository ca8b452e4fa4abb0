"""The calling engine: the state machine a stage manager drives during a show.

Pure Python over a ``CallPlan`` and an injected ``Clock``; no database, no Qt.

States: *ready* (not started, or counting down to a scheduled start),
*running*, *held*, *safety stop*, then *complete* (or *abandoned*).

The show clock (``showclock``) is the running time since curtain up minus
every hold; it is negative while counting down, so pre-show cues (negative
offsets) are called during the countdown. Planned offsets never change.

GO calls the cue at the calling pointer together with the rest of its moment
(``plan``), never by time, then moves on (``pointer``). GO while *held* ends
the hold first; during a *safety stop* GO is refused until ``resume``.
Double-GO protection: a GO less than ``min_go_interval_ms`` after the last
accepted one is refused, and ``go_key_down`` refuses while the key has not
been released. A refused GO returns its reason and changes nothing.

``back`` moves the pointer to the previous moment without un-calling
anything; ``jump_to`` moves it anywhere, leaving the cues jumped over as
they were; ``skip_to`` jumps forward and marks those cues skipped; ``skip``
marks one cue (the next one, or any cue not called yet) skipped.

Every action returns the events it caused and hands them to the listeners
(the run recorder writes them down as they happen). What the calling screen
reads (clocks, pointer, record) is in ``readings.EngineState``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from callmaster_desktop.calling.clock import Clock
from callmaster_desktop.calling.events import (
    CueCalled,
    CueSkipped,
    CurtainUp,
    Event,
    GoOutcome,
    HoldEnded,
    HoldStarted,
    NoteAdded,
    RunEnded,
    RunSnapshot,
    RunStarted,
)
from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.calling.pointer import CueState
from callmaster_desktop.calling.readings import DEFAULT_MIN_GO_INTERVAL_MS, EngineState
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.domain.enums import RunStatus
from callmaster_desktop.errors import ValidationError

__all__ = [
    "DEFAULT_MIN_GO_INTERVAL_MS",
    "CallingEngine",
    "CueState",
    "GoOutcome",
    "HoldRecord",
    "RunSnapshot",
]

MAX_NOTE_LENGTH = 2_000
SAFETY_STOP = "Safety stop"


class CallingEngine(EngineState):
    """Calls one run of a script."""

    # --- starting and time passing ----------------------------------------------------

    def start_now(self) -> list[Event]:
        """Curtain up now: the show clock reads 0:00."""
        m = self.time.now()
        self._require_ready()
        self.time.start_now(m)
        self._status = RunStatus.RUNNING
        at = self.time.wall_at(m)
        return self._publish([RunStarted(at, at, None, 0, self._status)])

    def start_at(self, when: datetime) -> list[Event]:
        """Count down to ``when`` ("T-00:10:00"); the curtain goes up at zero."""
        m = self.time.now()
        self._require_ready()
        left = self.time.start_at(m, when)
        return self._publish([RunStarted(self.time.wall_at(m), when, when, -left, self._status)])

    def tick(self) -> list[Event]:
        """Let time act: the countdown reaching zero raises the curtain."""
        return self._publish(self._settle(self.time.now()))

    def next_change_at(self) -> int | None:
        """The monotonic ms of the next change ``tick`` will make, if any."""
        if self.is_counting_down:
            return self.time.monotonic_at_show(0)
        return None

    def monotonic_at_show(self, show_ms: int) -> int | None:
        """When the show clock will read ``show_ms``; None while it stands still."""
        return self.time.monotonic_at_show(show_ms)

    def _settle(self, m: int) -> list[Event]:
        if self._status is not RunStatus.READY:
            return []
        up = self.time.curtain_due(m)
        if up is None:
            return []
        self._status = RunStatus.RUNNING
        return [CurtainUp(self.time.wall_at(up), up, self._status)]

    # --- GO -----------------------------------------------------------------------------

    def go(self, pressed_at: int | None = None) -> GoOutcome:
        """Call the cue(s) at the pointer. ``pressed_at``: the clock's ms at the key press."""
        m = self.time.instant(pressed_at)
        events = self._settle(m)
        refused = self._go_refusal(m)
        if refused is not None:
            return GoOutcome(events=tuple(self._publish(events)), refused=refused)
        if self.time.hold is not None:
            events.append(self._end_hold(m))
        show = self.time.show_ms(m)
        assert show is not None
        at = self.time.wall_at(m)
        calls = tuple(CueCalled(self.plan.cues[i], show, at) for i in self.cues.call_moment())
        self._history.extend(calls)
        self._last_go_m = m
        events.extend(calls)
        return GoOutcome(calls=calls, events=tuple(self._publish(events)))

    def go_key_down(self, pressed_at: int | None = None) -> GoOutcome:
        """The GO key went down: GO, unless it was not released since the last press."""
        if self._key_down:
            return GoOutcome(refused="Release the GO key before the next GO.")
        self._key_down = True
        return self.go(pressed_at)

    def go_key_up(self) -> None:
        self._key_down = False

    def _go_refusal(self, m: int) -> str | None:
        if self.is_over:
            return "This run is over."
        if not self.time.started:
            return "Start the show first: now, or counting down to the scheduled start."
        if self._status is RunStatus.SAFETY_STOP:
            return "Safety stop: GO is locked until you resume the show."
        if self.cues.at_end:
            return "No more cues: that was the last one. End the run when the show is over."
        if self._last_go_m is not None and m - self._last_go_m < self.min_go_interval_ms:
            return (
                f"GO ignored: only {m - self._last_go_m} ms after the last GO "
                f"(at least {self.min_go_interval_ms} ms apart)."
            )
        return None

    # --- holds ----------------------------------------------------------------------------

    def hold(self, reason: str = "Hold") -> list[Event]:
        """Stop the show clock; later clock times slip by the length of the hold."""
        m = self.time.now()
        events = self._settle(m)
        self._require_holdable("held")
        if self._status is RunStatus.HELD:
            raise ValidationError("The show is already held.")
        events.append(self._start_hold(m, " ".join(reason.split()) or "Hold", safety=False))
        return self._publish(events)

    def safety_stop(self, detail: str = "") -> list[Event]:
        """Stop everything. GO stays locked until ``resume``."""
        m = self.time.now()
        events = self._settle(m)
        if self._status is RunStatus.SAFETY_STOP:
            raise ValidationError("The show is already stopped for safety.")
        self._require_holdable("stopped")
        if self.time.hold is not None:
            events.append(self._end_hold(m))
        detail = " ".join(detail.split())
        events.append(
            self._start_hold(m, f"{SAFETY_STOP}: {detail}" if detail else SAFETY_STOP, safety=True)
        )
        return self._publish(events)

    def resume(self) -> list[Event]:
        """End a hold or a safety stop: the show clock runs on from where it stood."""
        m = self.time.now()
        if self.time.hold is None or self.is_over:
            raise ValidationError("The show is not held.")
        events: list[Event] = [self._end_hold(m)]
        events.extend(self._settle(m))
        return self._publish(events)

    def _require_holdable(self, verb: str) -> None:
        self._require_not_over()
        if not self.time.started:
            raise ValidationError(f"The show has not started: it cannot be {verb}.")
        if self._status is RunStatus.SAFETY_STOP:
            raise ValidationError("The show is stopped for safety: resume it first.")

    def _start_hold(self, m: int, reason: str, *, safety: bool) -> HoldStarted:
        hold = self.time.begin_hold(m, reason, safety=safety)
        self._status = RunStatus.SAFETY_STOP if safety else RunStatus.HELD
        return HoldStarted(hold.id, hold.started_at, hold.show_ms, reason, safety, self._status)

    def _end_hold(self, m: int) -> HoldEnded:
        hold = self.time.end_hold(m)
        before_curtain = not self.time.curtain_is_up
        self._status = RunStatus.READY if before_curtain else RunStatus.RUNNING
        return HoldEnded(
            hold.id,
            self.time.wall_at(m),
            hold.show_ms,
            hold.length_ms or 0,
            self.time.held_ms,
            self.time.curtain_up_at() if before_curtain else None,
            self._status,
        )

    # --- moving the pointer ---------------------------------------------------------------

    def back(self) -> None:
        """Move the pointer to the previous moment. Nothing is un-called."""
        self._require_not_over()
        self.cues.back()

    def jump_to(self, element_id: uuid.UUID) -> None:
        """Move the pointer to a cue (or a group's first cue); cues passed stay as they are."""
        self._require_not_over()
        self.cues.jump(element_id)

    def skip_to(self, element_id: uuid.UUID) -> list[Event]:
        """Move forward to a cue, marking the cues passed that were not called skipped."""
        self._require_not_over()
        target, passed = self.cues.skippable_before(element_id)
        m = self.time.now()
        events = self._settle(m)
        events.extend(self._skip(i, m) for i in passed)
        self.cues.index = target
        return self._publish(events)

    def skip(self, element_id: uuid.UUID | None = None) -> list[Event]:
        """Mark a cue not called yet skipped: the next cue, or any other one."""
        self._require_not_over()
        index = self.cues.skippable(element_id)
        m = self.time.now()
        events = self._settle(m)
        events.append(self._skip(index, m))
        return self._publish(events)

    def _skip(self, index: int, m: int) -> CueSkipped:
        self.cues.mark_skipped(index)
        event = CueSkipped(self.plan.cues[index], self.time.show_ms(m), self.time.wall_at(m))
        self._history.append(event)
        return event

    # --- notes and the end -------------------------------------------------------------

    def add_note(self, text: str, element_id: uuid.UUID | None = None) -> list[Event]:
        """A caller's note, stamped with the show clock, about the show or one cue."""
        clean = " ".join(text.split())
        if not clean:
            raise ValidationError("A note needs some text.")
        if len(clean) > MAX_NOTE_LENGTH:
            raise ValidationError(f"A note can hold at most {MAX_NOTE_LENGTH} characters.")
        cue = self.cues.cue(element_id) if element_id is not None else None
        m = self.time.now()
        events = self._settle(m)
        note = NoteAdded(self.time.wall_at(m), self.time.show_ms(m), clean, cue)
        self._notes.append(note)
        events.append(note)
        return self._publish(events)

    def finish(self) -> list[Event]:
        """The show is over: the run is complete (a hold still open ends now)."""
        self._require_not_over()
        self._settle(self.time.now())
        if not self.time.curtain_is_up:
            raise ValidationError(
                "The show has not started, so it cannot be finished: abandon the run instead."
            )
        return self._end(RunStatus.COMPLETE)

    def abandon(self) -> list[Event]:
        """Give the run up; what was recorded stays."""
        self._require_not_over()
        return self._end(RunStatus.ABANDONED)

    def _end(self, status: RunStatus) -> list[Event]:
        m = self.time.now()
        events = self._settle(m)
        if self.time.hold is not None:
            events.append(self._end_hold(m))
        self._status = status
        self.time.stop(m)
        events.append(RunEnded(self.time.wall_at(m), self.time.show_ms(m), status))
        return self._publish(events)

    def _require_ready(self) -> None:
        self._require_not_over()
        if self._status is not RunStatus.READY or self.time.curtain_is_up:
            raise ValidationError("The show has already started.")

    def _require_not_over(self) -> None:
        if self.is_over:
            raise ValidationError("This run is over.")

    def _publish(self, events: list[Event]) -> list[Event]:
        if events:
            for listener in self._listeners:
                listener(events)
        return events

    # --- rebuilding after a crash ------------------------------------------------------

    @classmethod
    def restore(
        cls,
        plan: CallPlan,
        clock: Clock,
        snapshot: RunSnapshot,
        *,
        min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS,
    ) -> CallingEngine:
        """An engine in the state a run log describes, its show clock still running.

        The pointer stands after the last cue called (moving the pointer is
        not recorded); time the program was away counts as running time.
        """
        engine = cls(plan, clock, min_go_interval_ms=min_go_interval_ms)
        open_hold = next((h for h in snapshot.holds if h.length_ms is None), None)
        if open_hold is not None:
            curtain_up = open_hold.show_ms >= 0
        else:
            curtain_up = snapshot.status is not RunStatus.READY
        engine.time.restore(snapshot.curtain_up_at, snapshot.holds, curtain_up=curtain_up)
        engine._status = snapshot.status
        engine.cues.restore(snapshot.history)
        engine._history = list(snapshot.history)
        engine._notes = list(snapshot.notes)
        return engine

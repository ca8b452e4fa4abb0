"""The run behind the calling screen: engine, standby watch, run log and timer.

``RunControl`` is the one place the Qt layer touches a run. It owns the
``CallingEngine`` (all the calling logic), the ``StandbyWatch`` and, once the
show starts, the run log's writer thread (``RunLogLink``): a GO never waits
for the disk; a failed write is said (``write_problem``, ``failed``) and
retried by the writer; the log is flushed when the run ends and on
``release``. No full garbage collection pauses the show (``quiet_gc``). A
single-shot precise ``QTimer`` wakes it when something is due (``schedule``),
never a busy loop. Actions say the model layer's typed errors in words
(``failed``); the screens redraw on ``changed``.

The run is only created in the database when the show starts (Start now, or
the countdown), so opening the screen and closing it again leaves nothing
behind. An unfinished run of the script (after a crash) is offered first:
``continue_unfinished`` or ``close_unfinished``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from callmaster_desktop.calling import quiet_gc
from callmaster_desktop.calling.clock import Clock, RealClock, ms_between
from callmaster_desktop.calling.engine import DEFAULT_MIN_GO_INTERVAL_MS, CallingEngine
from callmaster_desktop.calling.events import CueCalled, CueSkipped
from callmaster_desktop.calling.plan import CallableCue, CallPlan
from callmaster_desktop.calling.records import UnfinishedRun, find_unfinished_run
from callmaster_desktop.calling.runlog import (
    RunLogBehindError,
    begin_run,
    close_run,
    restore_engine,
)
from callmaster_desktop.calling.standby import (
    DEFAULT_LOOKAHEAD_MS,
    CueOverdue,
    Standby,
    StandbyEntered,
    StandbyWatch,
)
from callmaster_desktop.calling.writer import DEFAULT_RETRY_S, BackgroundRecorder
from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import RunKind, RunStatus
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.services.scripts import LoadedScript, load_script
from ui.calling.registry import active_runs
from ui.calling.run_log_link import RunLogLink

__all__ = ["RunControl", "plan_of"]

MAX_WAKE_MS = 1_000
END_FLUSH_S = 5.0  # how long the end of a run (or closing) waits for the run log


def plan_of(script: LoadedScript) -> CallPlan:
    """The calling plan of a loaded script (the same one the run log builds)."""
    initials = {d.id: d.initials for d in script.departments.values()}
    return CallPlan.from_elements(
        script.elements, initials, script_name=script.name, planned_start=script.start_time
    )


class RunControl(QObject):
    """One run of one script, as the calling screen and the crew display see it."""

    changed = Signal()  # anything shown may have changed: redraw
    failed = Signal(str)  # a refused GO or an error, in plain words
    called = Signal(object)  # tuple[CueCalled, ...]: the cues a GO just called
    entered = Signal(object)  # tuple[CallableCue, ...]: cues that just entered standby
    activeChanged = Signal(bool)  # a run started or ended (editing locks while True)
    ended = Signal(object)  # the run's id, once it is complete or abandoned
    engineReplaced = Signal()  # after continuing a run: a new engine and plan

    def __init__(
        self,
        db: Database,
        owner_id: uuid.UUID,
        script_id: uuid.UUID,
        *,
        clock: Clock | None = None,
        lookahead_ms: int = DEFAULT_LOOKAHEAD_MS,
        min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS,
        retry_s: float = DEFAULT_RETRY_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.owner_id = owner_id
        self.script_id = script_id
        self.clock: Clock = clock or RealClock()
        self.lookahead_ms = lookahead_ms
        self.min_go_interval_ms = min_go_interval_ms
        self.script = load_script(db, owner_id, script_id)
        self.engine = CallingEngine(
            plan_of(self.script), self.clock, min_go_interval_ms=min_go_interval_ms
        )
        self.watch = StandbyWatch(self.engine, lookahead_ms)
        self.log = RunLogLink(db, retry_s=retry_s, parent=self)
        self.log.behind.connect(self.failed)
        self.log.caughtUp.connect(self.changed)
        self.run_id: uuid.UUID | None = None
        self.unfinished: UnfinishedRun | None = find_unfinished_run(db, owner_id, script_id)
        self.outcomes: dict[int, CueCalled | CueSkipped] = {}  # per cue index: the latest
        self.last_call: CueCalled | None = None
        self._seen = 0
        self._active = False
        self._gc_held = False
        self._ended_sent = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.poll)
        self.schedule()

    # --- what the screens read ------------------------------------------------------------

    @property
    def plan(self) -> CallPlan:
        return self.engine.plan

    @property
    def is_run_active(self) -> bool:
        """True from the start of a run until it is complete or abandoned."""
        return self._active

    @property
    def recorder(self) -> BackgroundRecorder | None:
        return self.log.recorder

    @property
    def write_problem(self) -> str:
        """Why the run log is behind, while it is ("" when everything is written)."""
        return self.log.problem

    def unwritten(self) -> int:
        """Events of this run not in the database yet (queued, or waiting after a failure)."""
        return self.log.unwritten()

    def flush_log(self, timeout_s: float = END_FLUSH_S) -> bool:
        """Wait (up to ``timeout_s``) until the run log is written; False if it is behind."""
        return self.log.flush(timeout_s)

    def standby(self) -> Standby:
        return self.watch.standby()

    def overdue(self) -> tuple[CallableCue, ...]:
        return self.watch.overdue()

    def show_ms(self) -> int | None:
        return self.engine.show_ms()

    def now(self) -> datetime:
        return self.clock.now()

    def open_hold_ms(self) -> int | None:
        """How long the current hold or safety stop has lasted, if there is one."""
        holds = self.engine.holds
        if not holds or holds[-1].length_ms is not None or self.engine.is_over:
            return None
        return max(0, ms_between(holds[-1].started_at, self.clock.now()))

    def hold_reason(self) -> str:
        holds = self.engine.holds
        return holds[-1].reason if holds and holds[-1].length_ms is None else ""

    # --- before the show: continue a run left unfinished, or start ------------------------

    def continue_unfinished(self) -> bool:
        """Take up the run a crash left unfinished: its engine, recording where it stopped."""
        found = self.unfinished
        if found is None:
            return False
        try:
            self.script = load_script(self.db, self.owner_id, self.script_id)
            engine = restore_engine(
                self.db,
                self.owner_id,
                found.run_id,
                self.clock,
                min_go_interval_ms=self.min_go_interval_ms,
            )
        except CallMasterError as exc:
            self.failed.emit(str(exc))
            return False
        self.unfinished = None
        self.engine, self.run_id = engine, found.run_id
        self.log.start(found.run_id, engine)
        self.watch = StandbyWatch(engine, self.lookahead_ms)
        self.outcomes.clear()
        self.last_call = None
        self._seen = 0
        self.engineReplaced.emit()
        self._after()
        return True

    def close_unfinished(self) -> bool:
        """Decline the unfinished run: it is closed as abandoned; a new run can start."""
        found = self.unfinished
        if found is None:
            return False
        try:
            close_run(self.db, self.owner_id, found.run_id, self.clock)
        except CallMasterError as exc:
            self.failed.emit(str(exc))
            return False
        self.unfinished = None
        self.changed.emit()
        return True

    def start_now(self, kind: RunKind = RunKind.PERFORMANCE) -> bool:
        """Curtain up now; the run is created in the database first."""
        return self._start(kind, self.engine.start_now)

    def start_at(self, when: datetime, kind: RunKind = RunKind.PERFORMANCE) -> bool:
        """Count down to ``when``; the curtain goes up at zero."""
        return self._start(kind, lambda: self.engine.start_at(when))

    def _start(self, kind: RunKind, start: Callable[[], object]) -> bool:
        if self.unfinished is not None:
            self.failed.emit(
                "This script has a run that was never ended: continue it or close it first."
            )
            return False
        if self.recorder is None and not self.engine.has_started:
            if self.engine.is_over:
                self.failed.emit("This run is over.")
                return False
            try:
                run_id = begin_run(self.db, self.owner_id, self.script_id, kind=kind)
            except CallMasterError as exc:
                self.failed.emit(str(exc))
                return False
            self.run_id = run_id
            self.log.start(run_id, self.engine)
        self._quiet_gc(True)  # the one collection comes before the show clock runs
        done = self._act(start)
        self._quiet_gc(self._active)
        return done

    def _quiet_gc(self, hold: bool) -> None:
        """No full garbage collection (a pause of every thread) while a run is going."""
        if hold != self._gc_held:
            self._gc_held = hold
            (quiet_gc.hold_still if hold else quiet_gc.let_go)()

    # --- during the show ------------------------------------------------------------------

    def go_key_down(self) -> bool:
        """The GO key went down: GO, unless it was not released since the last GO."""
        pressed = self.clock.monotonic_ms()
        return self._go(lambda: self.engine.go_key_down(pressed))

    def go_key_up(self) -> None:
        self.engine.go_key_up()

    def go(self) -> bool:
        """GO from the mouse: the minimum time between GOs still applies."""
        pressed = self.clock.monotonic_ms()
        return self._go(lambda: self.engine.go(pressed))

    def _go(self, press: Callable[[], object]) -> bool:
        refused: list[str] = []

        def work() -> None:
            outcome = press()
            reason = getattr(outcome, "refused", None)
            if reason:
                refused.append(reason)

        done = self._act(work)
        if refused:
            self.failed.emit(refused[0])
            return False
        return done

    def hold(self, reason: str = "Hold") -> bool:
        return self._act(lambda: self.engine.hold(reason))

    def resume(self) -> bool:
        return self._act(self.engine.resume)

    def safety_stop(self, detail: str = "") -> bool:
        return self._act(lambda: self.engine.safety_stop(detail))

    def back(self) -> bool:
        """Move the pointer to the previous moment without calling anything."""
        return self._act(self.engine.back)

    def forward(self) -> bool:
        """Move the pointer past the next moment without calling it."""
        pointer = self.engine.pointer
        if pointer is None:
            self.failed.emit("Already past the last cue.")
            return False
        after = self.plan.moment_span(pointer)[1] + 1
        if after >= len(self.plan.cues):
            self.failed.emit("That is the last cue: there is nothing after it to move to.")
            return False
        return self.jump_to(self.plan.cues[after].element_id)

    def jump_to(self, element_id: uuid.UUID) -> bool:
        return self._act(lambda: self.engine.jump_to(element_id))

    def skip_to(self, element_id: uuid.UUID) -> bool:
        return self._act(lambda: self.engine.skip_to(element_id))

    def skip(self, element_id: uuid.UUID | None = None) -> bool:
        return self._act(lambda: self.engine.skip(element_id))

    def add_note(self, text: str, element_id: uuid.UUID | None = None) -> bool:
        return self._act(lambda: self.engine.add_note(text, element_id))

    def finish(self) -> bool:
        return self._act(self.engine.finish)

    def abandon(self) -> bool:
        return self._act(self.engine.abandon)

    # --- time passing -----------------------------------------------------------------------

    def poll(self) -> None:
        """Let time act (the timer calls this): curtain up, standbys, overdue cues."""
        found: list[object] = []
        try:
            found = list(self.watch.poll())
        except RunLogBehindError as exc:
            self.log.fell_behind(str(exc))
        except CallMasterError as exc:
            self.failed.emit(str(exc))
        entered = tuple(e.cue for e in found if isinstance(e, StandbyEntered))
        if entered:
            self.entered.emit(entered)
        self._sync(overdue=any(isinstance(e, CueOverdue) for e in found))

    def schedule(self) -> None:
        """Wake at the next change, or the next second of the clocks shown; never sooner."""
        if self.engine.is_over:
            self.timer.stop()
            return
        now = self.clock.monotonic_ms()
        wake = now + MAX_WAKE_MS
        due = self.watch.next_change_at()
        if due is not None:
            wake = min(wake, due)
        show = self.engine.show_ms()
        if show is not None and self.engine.status not in (RunStatus.HELD, RunStatus.SAFETY_STOP):
            wake = min(wake, now + 1000 - show % 1000)
        else:
            wake = min(wake, now + 1000 - self.clock.now().microsecond // 1000)
        self.timer.start(max(1, wake - now))

    # --- doing and redrawing ----------------------------------------------------------------

    def _act(self, work: Callable[[], object]) -> bool:
        done = True
        try:
            work()
        except RunLogBehindError as exc:  # it happened; only the writing is behind
            self.log.fell_behind(str(exc))
        except CallMasterError as exc:
            self.failed.emit(str(exc))
            done = False
        self._after()
        return done

    def _after(self) -> None:
        try:
            self.watch.poll()
        except RunLogBehindError as exc:
            self.log.fell_behind(str(exc))
        except CallMasterError as exc:
            self.failed.emit(str(exc))
        self._sync(overdue=False)

    def _sync(self, *, overdue: bool) -> None:
        history = self.engine.history
        new = history[self._seen :]
        self._seen = len(history)
        calls = tuple(e for e in new if isinstance(e, CueCalled))
        for event in new:
            self.outcomes[event.cue.index] = event
        if calls:
            self.last_call = calls[-1]
        active = self.engine.has_started and not self.engine.is_over
        if active != self._active:
            self._active = active
            self._quiet_gc(active)
            active_runs().set_active(self.script_id, active)
            self.activeChanged.emit(active)
        self.schedule()
        if calls:
            self.called.emit(calls)
        self.changed.emit()
        if self.engine.is_over and self.run_id is not None and not self._ended_sent:
            self._ended_sent = True
            self.flush_log()  # the report reads the run log: all of it
            self.ended.emit(self.run_id)

    def release(self) -> None:
        """The screen closes: stop the timers, write what is queued; the run stays as recorded."""
        self.timer.stop()
        self._quiet_gc(False)
        if self._active:
            active_runs().set_active(self.script_id, False)
            self._active = False
        left = self.log.close(END_FLUSH_S)
        if left:
            self.failed.emit(
                f"{left} event(s) of the run could not be written to the database before closing."
            )

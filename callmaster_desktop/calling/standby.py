"""The standby panel and the overdue flags.

The lookahead (30 s by default, 5 to 60 s) decides when a cue enters
standby: the standby panel lists the cues from the calling pointer on whose
planned time falls within it, grouped by department ("Standby LX 14, LX 15,
SQ 6, FLY 3"). The cues of the next GO are always listed, however far off.
A cue whose planned time has come without being called is flagged overdue.

``StandbyWatch.poll`` is what the calling screen's timer calls: it lets the
engine act (curtain up at the end of a countdown) and reports the cues that
entered standby or became overdue since the last poll, each with the
monotonic time it was due, so the screen can flash them and a benchmark can
measure how late it noticed. ``next_change_at`` says when to poll next.
Both keep a cursor over the cues sorted by offset: a poll costs only the
cues it reports, even in a script of 100,000 elements.
"""

from __future__ import annotations

from dataclasses import dataclass

from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.events import Event
from callmaster_desktop.calling.plan import CallableCue
from callmaster_desktop.calling.pointer import CueState
from callmaster_desktop.errors import ValidationError

__all__ = [
    "DEFAULT_LOOKAHEAD_MS",
    "CueOverdue",
    "Standby",
    "StandbyCue",
    "StandbyEntered",
    "StandbyGroup",
    "StandbyWatch",
]

DEFAULT_LOOKAHEAD_MS = 30_000
MIN_LOOKAHEAD_MS = 5_000
MAX_LOOKAHEAD_MS = 60_000


@dataclass(frozen=True, slots=True)
class StandbyEntered:
    cue: CallableCue
    due_m: int | None  # when its planned time minus the lookahead came


@dataclass(frozen=True, slots=True)
class CueOverdue:
    cue: CallableCue
    due_m: int | None  # when its planned time came


@dataclass(frozen=True, slots=True)
class StandbyCue:
    cue: CallableCue
    in_next_go: bool
    overdue: bool


@dataclass(frozen=True, slots=True)
class StandbyGroup:
    """One department's cues in standby."""

    department: str
    cues: tuple[StandbyCue, ...]

    @property
    def text(self) -> str:
        return ", ".join(c.cue.label for c in self.cues)


@dataclass(frozen=True, slots=True)
class Standby:
    groups: tuple[StandbyGroup, ...]

    @property
    def cues(self) -> tuple[StandbyCue, ...]:
        return tuple(c for g in self.groups for c in g.cues)

    @property
    def text(self) -> str:
        """What the caller says: ``Standby LX 14, SQ 6, FLY 3`` (empty when nothing is)."""
        if not self.groups:
            return ""
        return "Standby " + ", ".join(g.text for g in self.groups)


def check_lookahead(lookahead_ms: int) -> int:
    if not MIN_LOOKAHEAD_MS <= lookahead_ms <= MAX_LOOKAHEAD_MS:
        raise ValidationError(
            f"The standby lookahead must be between {MIN_LOOKAHEAD_MS // 1000} and "
            f"{MAX_LOOKAHEAD_MS // 1000} seconds."
        )
    return lookahead_ms


class StandbyWatch:
    """Watches one engine for cues entering standby and cues becoming overdue."""

    def __init__(self, engine: CallingEngine, lookahead_ms: int = DEFAULT_LOOKAHEAD_MS) -> None:
        self.engine = engine
        self.lookahead_ms = check_lookahead(lookahead_ms)
        cues = engine.plan.cues
        self._by_offset = sorted(range(len(cues)), key=lambda i: cues[i].offset_ms)
        self._standby_next = 0  # cursor: first cue (by offset) not yet in standby
        self._overdue_next = 0  # cursor: first cue (by offset) not yet due
        self._overdue: dict[int, None] = {}  # cue indexes flagged, in flagging order

    def set_lookahead(self, lookahead_ms: int) -> None:
        self.lookahead_ms = check_lookahead(lookahead_ms)

    def poll(self) -> list[Event | StandbyEntered | CueOverdue]:
        """Let time act; report what changed since the last poll."""
        found: list[Event | StandbyEntered | CueOverdue] = list(self.engine.tick())
        show = self.engine.show_ms()
        if show is None:
            return found
        cues = self.engine.plan.cues
        states = self.engine.cues.states
        pointer = self.engine.cues.index
        order = self._by_offset
        while self._standby_next < len(order):
            i = order[self._standby_next]
            enters = cues[i].offset_ms - self.lookahead_ms
            if enters > show:
                break
            self._standby_next += 1
            if i >= pointer and states[i] is CueState.PENDING:
                found.append(StandbyEntered(cues[i], self.engine.monotonic_at_show(enters)))
        while self._overdue_next < len(order):
            i = order[self._overdue_next]
            if cues[i].offset_ms > show:
                break
            self._overdue_next += 1
            if states[i] is CueState.PENDING:
                self._overdue[i] = None
                found.append(CueOverdue(cues[i], self.engine.monotonic_at_show(cues[i].offset_ms)))
        return found

    def next_change_at(self) -> int | None:
        """The monotonic ms at which the next poll has something to report, if known."""
        cues = self.engine.plan.cues
        times: list[int | None] = [self.engine.next_change_at()]
        if self._standby_next < len(self._by_offset):
            offset = cues[self._by_offset[self._standby_next]].offset_ms
            times.append(self.engine.monotonic_at_show(offset - self.lookahead_ms))
        if self._overdue_next < len(self._by_offset):
            offset = cues[self._by_offset[self._overdue_next]].offset_ms
            times.append(self.engine.monotonic_at_show(offset))
        known = [t for t in times if t is not None]
        return min(known) if known else None

    def overdue(self) -> tuple[CallableCue, ...]:
        """Cues whose planned time has come (as of the last poll) and not called or skipped."""
        states = self.engine.cues.states
        for i in [i for i in self._overdue if states[i] is not CueState.PENDING]:
            del self._overdue[i]
        return tuple(self.engine.plan.cues[i] for i in sorted(self._overdue))

    def standby(self) -> Standby:
        """The standby panel now: the next GO's cues, then the cues within the lookahead."""
        engine = self.engine
        moment = engine.cues.moment_indexes()
        if not moment:
            return Standby(())
        show = engine.show_ms()
        cues = engine.plan.cues
        states = engine.cues.states
        picked = list(moment)
        i = engine.plan.moment_span(moment[0])[1] + 1
        while show is not None and i < len(cues):
            if states[i] is not CueState.SKIPPED:
                if cues[i].offset_ms > show + self.lookahead_ms:
                    break
                picked.append(i)
            i += 1
        in_next = set(moment)
        groups: dict[str, list[StandbyCue]] = {}
        for i in picked:
            cue = cues[i]
            overdue = show is not None and states[i] is CueState.PENDING and cue.offset_ms <= show
            groups.setdefault(cue.department, []).append(StandbyCue(cue, i in in_next, overdue))
        return Standby(tuple(StandbyGroup(d, tuple(c)) for d, c in groups.items()))

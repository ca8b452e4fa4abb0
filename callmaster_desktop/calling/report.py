"""The show report after a run: running times, holds, late and early cues, skips, notes.

``build_show_report`` turns a run log (and the script's current cues, for
the acts and the cues never reached) into a ``ShowReport``: plain data the
application shows and prints (the PDF is drawn by the Qt layer), with a
plain-text and a CSV rendering here.

Running time per act (top-level group) runs from the first to the last call
in it, holds included; the report also gives the holds inside it. A cue
called twice (after Back) counts by its first call for late and early.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime, tzinfo

from callmaster_desktop.calling.clock import ms_between
from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.calling.records import RecordedNote, RunLog, load_call_plan, read_run
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.domain.timeoffset import format_delta, format_offset
from callmaster_desktop.errors import ValidationError

__all__ = [
    "DEFAULT_THRESHOLD_MS",
    "ActTiming",
    "CueLine",
    "ShowReport",
    "build_show_report",
    "note_stamp",
    "show_report",
]

DEFAULT_THRESHOLD_MS = 5_000
OUTSIDE_ACTS = "(outside any act)"
NOT_IN_SCRIPT = "(no longer in the script)"
CSV_COLUMNS = (
    "record", "act", "cue", "description", "planned", "actual", "difference",
    "time", "length", "outcome", "note",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ActTiming:
    name: str
    up_at: datetime | None  # the first call in the act
    down_at: datetime | None  # the last call in the act
    running_ms: int | None  # down - up, holds included
    held_ms: int  # holds that began between up and down
    called: int
    skipped: int


@dataclass(frozen=True, slots=True)
class CueLine:
    label: str
    description: str
    act: str
    planned_ms: int
    actual_ms: int | None
    called_at: datetime | None
    outcome: CallOutcome
    again: bool  # a second (or later) call of the same cue
    note: str | None

    @property
    def difference_ms(self) -> int | None:
        return None if self.actual_ms is None else self.actual_ms - self.planned_ms


@dataclass(frozen=True)
class ShowReport:
    show_name: str
    script_name: str
    kind: RunKind
    status: RunStatus
    scheduled_start: datetime | None
    curtain_up_at: datetime | None
    ended_at: datetime | None
    running_ms: int | None  # curtain up to the end, holds included
    held_after_curtain_ms: int
    total_hold_ms: int
    holds: tuple[HoldRecord, ...]
    acts: tuple[ActTiming, ...]
    cues: tuple[CueLine, ...]  # every call and skip, in order
    late: tuple[CueLine, ...]
    early: tuple[CueLine, ...]
    skipped: tuple[CueLine, ...]
    not_called: tuple[str, ...]  # labels of cues with no record at all
    notes: tuple[RecordedNote, ...]  # the caller's notes, in the order they were taken
    threshold_ms: int
    general_notes: str = ""  # the run's own notes

    @property
    def curtain_late_ms(self) -> int | None:
        """How much later than scheduled the curtain went up (negative: earlier)."""
        if self.scheduled_start is None or self.curtain_up_at is None:
            return None
        return ms_between(self.scheduled_start, self.curtain_up_at)

    @property
    def show_clock_ms(self) -> int | None:
        """The running time with the holds after curtain up taken out."""
        return None if self.running_ms is None else self.running_ms - self.held_after_curtain_ms

    def to_csv(self, tz: tzinfo | None = None) -> str:
        """One table: summary, act, hold, cue and note rows (times in ``tz``, default local)."""
        return _csv(self, tz)

    def to_text(self, tz: tzinfo | None = None) -> str:
        """The report as plain text, for the screen, a mail or a printer."""
        return _text(self, tz)


def show_report(
    db: Database,
    owner_id: uuid.UUID,
    run_id: uuid.UUID,
    *,
    threshold_ms: int = DEFAULT_THRESHOLD_MS,
) -> ShowReport:
    """The report of a stored run, against its script's current cues."""
    log = read_run(db, owner_id, run_id)
    return build_show_report(log, load_call_plan(db, owner_id, log.script_id), threshold_ms)


def build_show_report(
    log: RunLog, plan: CallPlan | None = None, threshold_ms: int = DEFAULT_THRESHOLD_MS
) -> ShowReport:
    if threshold_ms < 0:
        raise ValidationError("The late/early threshold cannot be negative.")
    cue_of = {c.element_id: c for c in plan.cues} if plan else {}
    act_names = [a.name for a in plan.acts] if plan else []
    lines: list[CueLine] = []
    seen: set[str] = set()
    for call in log.calls:
        cue = cue_of.get(call.element_id) if call.element_id else None
        if cue is None:
            act, description = NOT_IN_SCRIPT, ""
        else:
            act = (plan.act_name(cue.act_id) if plan else "") or OUTSIDE_ACTS
            description = cue.name
        again = call.outcome is CallOutcome.CALLED and call.label in seen
        if call.outcome is CallOutcome.CALLED:
            seen.add(call.label)
        lines.append(
            CueLine(
                call.label, description, act, call.planned_ms, call.actual_ms,
                call.called_at, call.outcome, again, call.note,
            )
        )  # fmt: skip
    firsts = [line for line in lines if line.outcome is CallOutcome.CALLED and not line.again]
    skipped = tuple(
        line for line in lines if line.outcome is CallOutcome.SKIPPED and line.label not in seen
    )
    recorded = {c.element_id for c in log.calls}
    not_called = tuple(c.label for c in (plan.cues if plan else ()) if c.element_id not in recorded)
    after_curtain = sum(h.length_ms or 0 for h in log.holds if h.show_ms >= 0)
    running = None
    if log.started_at is not None and log.ended_at is not None:
        running = ms_between(log.started_at, log.ended_at)
        running = running if running >= 0 else None
    return ShowReport(
        show_name=log.show_name,
        script_name=log.script_name,
        kind=log.kind,
        status=log.status,
        scheduled_start=log.scheduled_start,
        curtain_up_at=log.started_at,
        ended_at=log.ended_at,
        running_ms=running,
        held_after_curtain_ms=after_curtain,
        total_hold_ms=log.total_hold_ms,
        holds=log.holds,
        acts=_acts(act_names, lines, log.holds),
        cues=tuple(lines),
        late=tuple(x for x in firsts if (x.difference_ms or 0) > threshold_ms),
        early=tuple(x for x in firsts if (x.difference_ms or 0) < -threshold_ms),
        skipped=skipped,
        not_called=not_called,
        notes=log.notes,
        threshold_ms=threshold_ms,
        general_notes=log.general_notes,
    )


def _acts(
    names: list[str], lines: list[CueLine], holds: tuple[HoldRecord, ...]
) -> tuple[ActTiming, ...]:
    order = list(dict.fromkeys([*names, *(line.act for line in lines)]))
    acts: list[ActTiming] = []
    for name in order:
        mine = [line for line in lines if line.act == name]
        calls = [x for x in mine if x.outcome is CallOutcome.CALLED and x.called_at is not None]
        skipped = sum(x.outcome is CallOutcome.SKIPPED for x in mine)
        if not calls:
            acts.append(ActTiming(name, None, None, None, 0, 0, skipped))
            continue
        up = min(x.called_at for x in calls if x.called_at is not None)
        down = max(x.called_at for x in calls if x.called_at is not None)
        held = sum(h.length_ms or 0 for h in holds if up <= h.started_at < down)
        acts.append(ActTiming(name, up, down, ms_between(up, down), held, len(calls), skipped))
    return tuple(acts)


def clock_text(when: datetime | None, tz: tzinfo | None) -> str:
    return "" if when is None else when.astimezone(tz).strftime("%H:%M:%S")


def offset_text(ms: int | None) -> str:
    return "" if ms is None else format_offset(ms, show_ms=True)


def delta_text(ms: int | None) -> str:
    return "" if ms is None else format_delta(ms, show_ms=True)


def _iso(when: datetime | None, tz: tzinfo | None) -> str:
    return "" if when is None else when.astimezone(tz).isoformat(timespec="milliseconds")


def _csv(report: ShowReport, tz: tzinfo | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(**cells: str) -> None:
        writer.writerow([cells.get(column, "") for column in CSV_COLUMNS])

    for name, value in (
        ("Show", report.show_name),
        ("Script", report.script_name),
        ("Kind", report.kind.value),
        ("Status", report.status.value),
        ("Scheduled start", _iso(report.scheduled_start, tz)),
        ("Curtain up", _iso(report.curtain_up_at, tz)),
        ("Curtain up later than scheduled by", delta_text(report.curtain_late_ms)),
        ("Ended", _iso(report.ended_at, tz)),
        ("Running time", offset_text(report.running_ms)),
        ("Holds after curtain up", offset_text(report.held_after_curtain_ms)),
        ("Show clock at the end", offset_text(report.show_clock_ms)),
        ("All holds", offset_text(report.total_hold_ms)),
        ("Late or early beyond", offset_text(report.threshold_ms)),
    ):
        row(record="summary", description=name, note=value)
    for act in report.acts:
        row(
            record="act",
            act=act.name,
            time=_iso(act.up_at, tz),
            length=offset_text(act.running_ms),
            outcome=f"{act.called} called, {act.skipped} skipped",
            note=f"down {_iso(act.down_at, tz)}; held {offset_text(act.held_ms)}"
            if act.up_at
            else "not reached",
        )
    for hold in report.holds:
        row(
            record="safety stop" if hold.safety else "hold",
            time=_iso(hold.started_at, tz),
            actual=offset_text(hold.show_ms),
            length=offset_text(hold.length_ms),
            note=hold.reason,
        )
    for line in report.cues:
        row(
            record="cue",
            act=line.act,
            cue=line.label,
            description=line.description,
            planned=offset_text(line.planned_ms),
            actual=offset_text(line.actual_ms),
            difference=delta_text(line.difference_ms),
            time=_iso(line.called_at, tz),
            outcome=line.outcome.value + (" again" if line.again else ""),
            note=line.note or "",
        )
    for label in report.not_called:
        row(record="cue", cue=label, outcome="not called")
    for note in report.notes:
        row(
            record="note",
            cue=note.label or "",
            actual=offset_text(note.show_ms) if note.show_ms is not None else "before start",
            time=_iso(note.noted_at, tz),
            note=note.text,
        )
    if report.general_notes:
        row(record="run notes", note=report.general_notes)
    return out.getvalue()


def note_stamp(note: RecordedNote, tz: tzinfo | None) -> str:
    """``19:42:10 · 0:12:03 LX 14``: the time of day, the show clock and the cue."""
    parts = [clock_text(note.noted_at, tz)]
    parts.append(short(note.show_ms) if note.show_ms is not None else "before start")
    stamp = " · ".join(p for p in parts if p)
    return stamp + (f" {note.label}" if note.label else "")


def short(ms: int | None) -> str:
    return "" if ms is None else format_offset(ms)


def _text(report: ShowReport, tz: tzinfo | None) -> str:
    title = f"Show report: {report.show_name}, {report.script_name} ({report.kind.value})"
    out = [title, "=" * len(title), f"Status: {report.status.value.replace('_', ' ')}"]
    late = report.curtain_late_ms
    curtain = f"Curtain up {clock_text(report.curtain_up_at, tz) or '-'}"
    if report.scheduled_start is not None:
        curtain = f"Scheduled {clock_text(report.scheduled_start, tz)}. " + curtain
        if late:
            curtain += f" ({format_delta(late)} {'late' if late > 0 else 'early'})"
    out.append(curtain + f". Down {clock_text(report.ended_at, tz) or '-'}.")
    if report.running_ms is not None:
        out.append(
            f"Running time {short(report.running_ms)}, of which held "
            f"{short(report.held_after_curtain_ms)}; show clock {short(report.show_clock_ms)}."
        )
    out += ["", "Acts"]
    for act in report.acts:
        if act.up_at is None:
            out.append(f"  {act.name}: not reached ({act.skipped} skipped)")
            continue
        span = f"{clock_text(act.up_at, tz)}-{clock_text(act.down_at, tz)}"
        held = f", held {short(act.held_ms)}" if act.held_ms else ""
        out.append(
            f"  {act.name}: {span}, {short(act.running_ms)}{held}; "
            f"{act.called} called, {act.skipped} skipped"
        )
    out += ["", f"Holds: {len(report.holds)}, {short(report.total_hold_ms)} in all"]
    for hold in report.holds:
        length = short(hold.length_ms) if hold.length_ms is not None else "not ended"
        out.append(
            f"  {clock_text(hold.started_at, tz)} at {short(hold.show_ms)}: {length}  {hold.reason}"
        )
    threshold = short(report.threshold_ms)
    for heading, lines in ((f"Late by more than {threshold}", report.late),
                           (f"Early by more than {threshold}", report.early),
                           ("Skipped", report.skipped)):  # fmt: skip
        out += ["", f"{heading}: {len(lines)}"]
        for line in lines:
            when = f"called at {short(line.actual_ms)} ({delta_text(line.difference_ms)})"
            if line.actual_ms is None:
                when = "skipped"
            out.append(
                f"  {line.label} (planned {short(line.planned_ms)}) {when}  {line.description}"
            )
    out += ["", f"Not called: {len(report.not_called)}"]
    if report.not_called:
        out.append("  " + ", ".join(report.not_called))
    out += ["", f"Notes: {len(report.notes)}"]
    for note in report.notes:
        out.append(f"  [{note_stamp(note, tz)}] {note.text}")
    if report.general_notes:
        out += ["", "Run notes", *(f"  {line}" for line in report.general_notes.splitlines())]
    return "\n".join(out) + "\n"

"""Calling accuracy: how late state changes land with the real clock, and a 3-hour check.

    .venv/bin/python benchmarks/bench_calling.py [--cues 60] [--database URL]

1. Real clock. A compressed show (cues 40-200 ms apart, a 1 s countdown,
   three short holds) is called by a simulated stage manager who presses GO
   30 ms after each planned time. A loop polls the engine the way the calling
   screen's QTimer would, in two ways: every 10 ms ("poll"), or a single-shot
   timer set to ``next_change_at`` ("timer"). Every state change with a
   planned time (countdown reaching zero, a cue entering standby, a cue
   becoming overdue) is measured: noticed minus planned, in ms.
   Target: within 20 ms.
2. A simulated three-hour show with twenty holds on the fake clock: the show
   clock is compared with the injected clock at every step. Target: 0 ms.
3. Recording: one GO written to the database (SQLite file by default), from
   the key press to the committed transaction, written where the GO is
   given (``RunRecorder``); and with the writer thread the calling screen
   uses (``BackgroundRecorder``): the time the GO takes on its own thread,
   and the lag from the GO to its commit (what a crash could lose).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import now_ms, percentile  # noqa: E402
from callmaster_desktop.calling.clock import FakeClock, RealClock  # noqa: E402
from callmaster_desktop.calling.engine import CallingEngine  # noqa: E402
from callmaster_desktop.calling.events import CurtainUp  # noqa: E402
from callmaster_desktop.calling.plan import CallPlan  # noqa: E402
from callmaster_desktop.calling.runlog import begin_run, start_recorded_run  # noqa: E402
from callmaster_desktop.calling.standby import CueOverdue, StandbyEntered, StandbyWatch  # noqa: E402
from callmaster_desktop.calling.writer import BackgroundRecorder  # noqa: E402
from callmaster_desktop.db.migrate import open_database  # noqa: E402
from callmaster_desktop.db.models import Script  # noqa: E402
from callmaster_desktop.profile import find_or_create_profile  # noqa: E402
from callmaster_desktop.sample import load_sample_show  # noqa: E402
from tests.support.calling_plans import FLY, LX, SQ, Sketch  # noqa: E402
from tests.support.calling_sim import simulate_three_hour_show, three_hour_plan  # noqa: E402

TARGET_MS = 20.0
REACTION_MS = 30
POLL_MS = 10


def compressed_plan(cues: int) -> CallPlan:
    import random

    rng = random.Random(5)
    s = Sketch()
    act = s.group("Act 1")
    at = 5_100  # the first cue enters standby (5 s lookahead) 0.1 s after curtain up
    for n in range(1, cues + 1):
        s.cue(rng.choice((LX, SQ, FLY)), str(n), at, parent=act)
        at += rng.randint(40, 200)
    return s.plan()


def run_real_clock(plan: CallPlan, mode: str) -> dict[str, list[float]]:
    """Call the compressed show live; return lateness (ms) per kind of state change."""
    # Cues here are 40-200 ms apart, closer than the 300 ms double-GO guard allows.
    engine = CallingEngine(plan, RealClock(), min_go_interval_ms=0)
    watch = StandbyWatch(engine, 5_000)
    lateness: dict[str, list[float]] = {"curtain up": [], "standby": [], "overdue": []}
    start_m = engine.time.now()
    engine.start_at(engine.time.clock.now() + timedelta(seconds=1))
    holds_at = {len(plan) // 4, len(plan) // 2, 3 * len(plan) // 4}
    calls = 0
    while not engine.at_end:
        nxt = engine.next_moment()[0]
        go_at = engine.monotonic_at_show(nxt.offset_ms + REACTION_MS)
        wake = [t for t in (watch.next_change_at(), go_at) if t is not None]
        target = min(wake) if wake else now_ms() + POLL_MS
        if mode == "poll":
            time.sleep(POLL_MS / 1000)
        else:
            time.sleep(max(0.0, min(target - now_ms(), 50) / 1000))
        found = watch.poll()
        noticed = now_ms()
        for event in found:
            due = getattr(event, "due_m", None)
            if due is None or due <= start_m:
                continue
            kind = (
                "curtain up" if isinstance(event, CurtainUp)
                else "standby" if isinstance(event, StandbyEntered)
                else "overdue" if isinstance(event, CueOverdue) else None
            )  # fmt: skip
            if kind:
                lateness[kind].append(noticed - due)
        if go_at is not None and noticed >= go_at:
            if calls in holds_at:
                holds_at.discard(calls)
                engine.hold("bench")
                time.sleep(0.2)
                engine.resume()
                watch.poll()
                continue
            outcome = engine.go()
            if not outcome.accepted:
                raise RuntimeError(outcome.refused)
            calls += 1
    return lateness


def recording_cost(url: str | None) -> tuple[str, dict[str, list[float]]]:
    """Call the sample show with GOs 20 ms apart (twice: written in place, then on the writer
    thread), timing each GO on its own thread and, on the writer thread, the lag to commit."""
    folder = Path(tempfile.mkdtemp(prefix="cm-bench-"))
    db = open_database(url or str(folder / "bench.sqlite"))
    costs: dict[str, list[float]] = {}
    try:
        with db.unit_of_work() as s:
            owner = find_or_create_profile(s, f"bench-{time.time_ns()}")
            show = load_sample_show(s, owner)
            s.flush()
            script_id = s.scalars(select(Script.id).where(Script.show_id == show.id)).one()
        clock = FakeClock()
        engine, _ = start_recorded_run(db, owner.id, script_id, clock, min_go_interval_ms=0)
        engine.start_now()
        in_place = costs.setdefault("GO with its write, in place", [])
        while not engine.at_end:
            clock.advance(1_000)
            time.sleep(0.02)
            began = now_ms()
            engine.go()
            in_place.append(now_ms() - began)
        engine.finish()
        engine = CallingEngine(engine.plan, clock, min_go_interval_ms=0)
        writer = BackgroundRecorder(db, begin_run(db, owner.id, script_id))
        writer.attach(engine)
        engine.start_now()
        queued = costs.setdefault("GO, writer thread", [])
        while not engine.at_end:
            clock.advance(1_000)
            time.sleep(0.02)
            began = now_ms()
            engine.go()
            queued.append(now_ms() - began)
        engine.finish()
        writer.close()
        costs["lag GO to commit"] = list(writer.lags_ms)
        return ("a SQLite file" if url is None else db.description), costs
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=60, help="cues in the live show (default 60)")
    parser.add_argument("--database", help="database for the recording cost (default: temp file)")
    args = parser.parse_args()

    rows: list[tuple[str, int, float, float, float, str]] = []
    plan = compressed_plan(args.cues)
    for mode in ("poll", "timer"):
        for kind, values in run_real_clock(plan, mode).items():
            if values:
                p50, p95, worst = (percentile(values, 50), percentile(values, 95), max(values))
                verdict = f"{worst / TARGET_MS:.2f}x of 20 ms"
                rows.append((f"{mode:5} {kind}", len(values), p50, p95, worst, verdict))

    sim_plan = three_hour_plan()
    began = time.perf_counter()
    sim = simulate_three_hour_show(sim_plan)
    sim_s = time.perf_counter() - began
    where, costs = recording_cost(args.database)

    print("State changes with the real clock: noticed minus planned (ms)")
    print(f"{'measure':22} {'count':>6} {'p50':>8} {'p95':>8} {'max':>8}  max vs target")
    for name, count, p50, p95, worst, verdict in rows:
        print(f"{name:22} {count:6d} {p50:8.2f} {p95:8.2f} {worst:8.2f}  {verdict}")
    print()
    shown = sim.show_ms_at_end + sim.total_hold_ms
    print("Three-hour show on the injected clock")
    held_min = sim.total_hold_ms / 60_000
    injected = sim.elapsed_since_planned_start_ms
    print(f"  cues called            {sim.calls} (of {len(sim_plan)}), holds {sim.holds} "
          f"({sim.safety_stops} safety stops), {held_min:.1f} min held")  # fmt: skip
    print(f"  clock comparisons      {sim.checks}, largest difference {sim.max_error_ms} ms")
    print(f"  show clock + holds     {shown} ms; injected clock {injected} ms"
          f" (difference {injected - shown} ms)")  # fmt: skip
    print(
        f"  curtain-up / clock-time errors {sim.curtain_up_error_ms} / {sim.clock_time_error_ms} ms"
    )
    real_s = (sim.show_ms_at_end + sim.total_hold_ms) / 1000
    print(f"  simulated in           {sim_s * 1000:.0f} ms ({real_s / sim_s:,.0f}x real time)")
    print()
    print(f"Recording one GO ({where}, ms)")
    print(f"  {'measure':28} {'count':>6} {'p50':>8} {'p95':>8} {'max':>8}")
    for name, values in costs.items():
        print(f"  {name:28} {len(values):6d} {percentile(values, 50):8.2f} "
              f"{percentile(values, 95):8.2f} {max(values):8.2f}")  # fmt: skip
    late = [r for r in rows if r[4] > TARGET_MS]
    ok = not late and sim.max_error_ms == 0 and not sim.problems
    print()
    print("RESULT:", "within targets" if ok else f"OUTSIDE TARGETS: {[r[0] for r in late]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Calling the show: the show clock, the calling engine, standbys, the run log, the report.

Plain Python (no Qt). Time comes from an injected ``Clock``, so tests run a
three-hour show in milliseconds. The engine knows nothing of the database;
the run recorder writes its events as they happen.
"""

from __future__ import annotations

from callmaster_desktop.calling.clock import Clock, FakeClock, RealClock
from callmaster_desktop.calling.engine import CallingEngine, CueState
from callmaster_desktop.calling.events import GoOutcome, RunSnapshot
from callmaster_desktop.calling.plan import Act, CallableCue, CallPlan
from callmaster_desktop.calling.showclock import HoldRecord
from callmaster_desktop.calling.standby import Standby, StandbyWatch

__all__ = [
    "Act",
    "CallPlan",
    "CallableCue",
    "CallingEngine",
    "Clock",
    "CueState",
    "FakeClock",
    "GoOutcome",
    "HoldRecord",
    "RealClock",
    "RunSnapshot",
    "Standby",
    "StandbyWatch",
]

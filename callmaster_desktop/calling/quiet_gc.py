"""Keeping Python's full garbage collections out of a show.

A full (generation 2) collection walks every object the program holds and
stops every thread while it does: measured at 40-90 ms with a large script
open, long enough to make a GO or a standby change visibly late. When a run
starts, ``hold_still()`` collects once (before the show clock runs) and
freezes what is alive then (``gc.freeze``): the script, the plan, the
windows. Later collections only look at what was made since, which takes a
millisecond or two. When the last run ends, ``let_go()`` unfreezes, so what
became garbage meanwhile is collected as usual. Runs are counted: two
calling screens share one freeze.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["frozen_runs", "hold_still", "let_go"]

_lock = threading.Lock()
_runs = 0


def hold_still() -> None:
    """A run starts: collect now, then freeze what is alive (the first run only)."""
    global _runs
    with _lock:
        _runs += 1
        if _runs == 1:
            gc.collect()
            gc.freeze()


def let_go() -> None:
    """A run ended: the last one unfreezes, so later collections see everything again."""
    global _runs
    with _lock:
        if _runs == 0:
            return
        _runs -= 1
        if _runs == 0:
            gc.unfreeze()


def frozen_runs() -> int:
    """How many runs hold the freeze now."""
    return _runs

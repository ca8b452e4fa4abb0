"""Full garbage collections kept out of a show: one collection and a freeze at the start."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from callmaster_desktop.calling import quiet_gc


@pytest.fixture(autouse=True)
def _no_runs_left() -> Iterator[None]:
    while quiet_gc.frozen_runs():  # a run another test left going
        quiet_gc.let_go()
    yield
    while quiet_gc.frozen_runs():
        quiet_gc.let_go()
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_a_run_freezes_what_is_alive_and_the_last_run_unfreezes() -> None:
    keep = [Node() for _ in range(100)]
    gc.collect()
    quiet_gc.hold_still()
    frozen = gc.get_freeze_count()
    assert frozen >= len(keep) and quiet_gc.frozen_runs() == 1
    quiet_gc.hold_still()  # a second calling screen: no second collection, same freeze
    assert gc.get_freeze_count() == frozen and quiet_gc.frozen_runs() == 2
    quiet_gc.let_go()
    assert gc.get_freeze_count() == frozen  # one run still going
    quiet_gc.let_go()
    assert gc.get_freeze_count() == 0 and quiet_gc.frozen_runs() == 0
    quiet_gc.let_go()  # more ends than starts change nothing
    assert quiet_gc.frozen_runs() == 0


def test_garbage_made_during_the_run_is_still_collected() -> None:
    quiet_gc.hold_still()
    for _ in range(50):
        Node()  # garbage cycles made during the show
    assert gc.collect() >= 50  # only the new objects are looked at, and they go
    quiet_gc.let_go()

"""Recorded runs in the database tests: the sample script, a calling program killed mid-show."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script
from callmaster_desktop.sample import load_sample_show

ROOT = Path(__file__).resolve().parents[2]


def sample_script_id(db: Database, owner: Person) -> uuid.UUID:
    """Load the sample show for ``owner`` and return the id of its (first) script."""
    with db.unit_of_work() as s:
        show = load_sample_show(s, owner)
        s.flush()
        found = s.scalar(select(Script.id).where(Script.show_id == show.id))
        assert found is not None
        return found


def kill_child_when(code: str, args: list[str], enough: Callable[[str, str], bool]) -> None:
    """Run ``python -c code *args`` from the checkout and kill it with SIGKILL, as a crash would.

    Each line the child prints is handed to ``enough`` as (its first word, the
    rest); the child is killed as soon as ``enough`` returns True. A child that
    prints ``end`` finished before it could be killed, and the test fails.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            kind, _, rest = line.strip().partition(" ")
            assert kind != "end", "the child finished before it could be killed"
            if enough(kind, rest):
                break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

"""Random commands, undos, redos and reverts on a script in memory (hypothesis).

The machine is ``support.editing_machine.EditingMachine``: after every step
the rules hold, a refused command changes nothing, undo/redo/revert give back
exactly the recorded state; undoing everything gives back the original.
"""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, settings
from support.editing_machine import EditingMachine
from support.script_builder import script_rows

from callmaster_desktop.editing import EditSession, ScriptInfo

DEPARTMENTS = {"LX": uuid.uuid4(), "SQ": uuid.uuid4(), "FLY": uuid.uuid4()}


class InMemoryEditing(EditingMachine):
    def __init__(self) -> None:
        rows = script_rows(DEPARTMENTS, 45)
        initials = {v: k for k, v in DEPARTMENTS.items()}
        super().__init__(EditSession.in_memory(ScriptInfo("Tech"), rows, initials))

    def teardown(self) -> None:
        super().teardown()
        assert self.now() == self.original


InMemoryEditing.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_editing_machine = InMemoryEditing.TestCase

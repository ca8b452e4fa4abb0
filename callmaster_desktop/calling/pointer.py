"""The calling pointer: which cue is next, and what became of every cue.

Each cue of the plan is *pending*, *called* or *skipped*. The pointer stands
on the next cue to call (or past the last one). GO calls the cue at the
pointer and the cues of its moment that are not skipped, then moves to the
next cue that is not skipped. Calling is never undone: moving the pointer
back only means the next GO calls those cues again.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import datetime

from callmaster_desktop.calling.events import CueCalled, CueSkipped
from callmaster_desktop.calling.plan import CallableCue, CallPlan
from callmaster_desktop.errors import NotFoundError, ValidationError

__all__ = ["CuePointer", "CueState"]


class CueState(enum.StrEnum):
    PENDING = "pending"
    CALLED = "called"
    SKIPPED = "skipped"


class CuePointer:
    def __init__(self, plan: CallPlan) -> None:
        self.plan = plan
        self.states = [CueState.PENDING] * len(plan.cues)
        self.index = 0

    @property
    def at_end(self) -> bool:
        return self.index >= len(self.states)

    @property
    def next_cue(self) -> CallableCue | None:
        return None if self.at_end else self.plan.cues[self.index]

    def moment_indexes(self) -> list[int]:
        """The cues the next GO calls: the pointer's, and its moment's not skipped."""
        p = self.index
        if p >= len(self.states):
            return []
        last = self.plan.moment_span(p)[1]
        rest = (i for i in range(p + 1, last + 1) if self.states[i] is not CueState.SKIPPED)
        return [p, *rest]

    def call_moment(self) -> list[int]:
        """Mark the next moment called and move past it; return the cues called."""
        indexes = self.moment_indexes()
        for i in indexes:
            self.states[i] = CueState.CALLED
        if indexes:
            self.index = self._after(self.plan.moment_span(self.index)[1])
        return indexes

    def _after(self, index: int) -> int:
        i = index + 1
        while i < len(self.states) and self.states[i] is CueState.SKIPPED:
            i += 1
        return i

    def cue(self, element_id: uuid.UUID) -> CallableCue:
        """The cue with this element id; NotFoundError for any other row."""
        if not self.plan.is_cue(element_id):
            raise NotFoundError("That row is not a cue of the script being called.")
        index = self.plan.cue_index_for(element_id)
        assert index is not None
        return self.plan.cues[index]

    def target(self, element_id: uuid.UUID) -> int:
        """Where a jump to this row lands: the cue itself, or the first cue after it."""
        index = self.plan.cue_index_for(element_id)
        if index is None:
            raise NotFoundError("There is no cue there to move to.")
        return index

    def back(self) -> None:
        if self.index == 0:
            raise ValidationError("Already at the first cue.")
        self.index = self.plan.moment_span(self.index - 1)[0]

    def jump(self, element_id: uuid.UUID) -> None:
        self.index = self.target(element_id)

    def skippable_before(self, element_id: uuid.UUID) -> tuple[int, list[int]]:
        """For ``skip_to``: the target and the pending cues between pointer and target."""
        target = self.target(element_id)
        if target < self.index:
            raise ValidationError(
                f"{self.plan.cues[target].label} is before the next cue: use Jump to go back."
            )
        pending = [i for i in range(self.index, target) if self.states[i] is CueState.PENDING]
        return target, pending

    def skippable(self, element_id: uuid.UUID | None) -> int:
        """For ``skip``: the cue to skip (the next one by default), if it may be."""
        if element_id is None:
            if self.at_end:
                raise ValidationError("There is no next cue to skip.")
            index = self.index
        else:
            index = self.cue(element_id).index
        if self.states[index] is not CueState.PENDING:
            label = self.plan.cues[index].label
            raise ValidationError(f"{label} was already {self.states[index].value}.")
        return index

    def mark_skipped(self, index: int) -> None:
        self.states[index] = CueState.SKIPPED
        if index == self.index:
            self.index = self._after(index)

    def restore(self, history: Iterable[CueCalled | CueSkipped]) -> None:
        """Take up recorded outcomes; the pointer stands after the last cue called.

        The last cue called is the latest call, the one furthest down the
        script among calls made by the same GO.
        """
        index_of = {c.element_id: c.index for c in self.plan.cues}
        last: tuple[datetime, int] | None = None
        for event in history:
            i = index_of.get(event.cue.element_id)
            if i is None:  # a cue deleted from the script since
                continue
            if isinstance(event, CueCalled):
                self.states[i] = CueState.CALLED
                last = max(last, (event.at, i)) if last else (event.at, i)
            elif self.states[i] is CueState.PENDING:
                self.states[i] = CueState.SKIPPED
        self.index = self._after(-1 if last is None else last[1])

"""The cues of a script as the caller meets them: labels, acts and moments.

A ``CallPlan`` is built once from a script's elements (in sequence order)
and never changes during a run: design data is immutable while a show is
being called. Notes and group headers are not called; every cue gets

- its label (``LX 14``) and department initials, for the standby panel;
- its act: the top-level group it sits in (``Act 1``), for the show report;
- its moment: the cues that one GO calls together. A moment is either every
  cue of a group marked *fires together* (the outermost such group, nested
  groups included), or a run of consecutive cues sharing one offset that
  are not in such a group. Notes and group headers between cues do not
  separate them; a cue with another offset does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from callmaster_desktop.domain.cuenumber import cue_label
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority

__all__ = ["Act", "CallPlan", "CallableCue"]


@dataclass(frozen=True, slots=True)
class Act:
    """A top-level group of the script (``Pre-show``, ``Act 1``, ``Interval``)."""

    id: uuid.UUID
    name: str


@dataclass(frozen=True, slots=True)
class CallableCue:
    """One cue of the plan, with everything the calling screen shows about it."""

    index: int  # position among the plan's cues
    element_id: uuid.UUID
    label: str  # "LX 14"
    department: str  # the department's initials, "" when it has none
    department_id: uuid.UUID | None
    name: str
    offset_ms: int
    priority: Priority
    act_id: uuid.UUID | None
    together_id: uuid.UUID | None  # the fires-together group it belongs to
    moment: int  # cues with the same moment number are called by one GO

    @property
    def is_safety(self) -> bool:
        return self.priority is Priority.SAFETY


@dataclass(frozen=True)
class CallPlan:
    """The cues of one script in calling order, with acts and moments."""

    cues: tuple[CallableCue, ...]
    acts: tuple[Act, ...]
    # For each element id of the script: the index of the first cue at or after it.
    _first_cue_at: Mapping[uuid.UUID, int]
    # For each moment number: (first index, last index) of its cues.
    _moment_span: tuple[tuple[int, int], ...]
    script_name: str = ""
    planned_start: datetime | None = None

    @classmethod
    def from_elements(
        cls,
        elements: Sequence[ElementData],
        department_initials: Mapping[uuid.UUID, str],
        *,
        script_name: str = "",
        planned_start: datetime | None = None,
    ) -> CallPlan:
        """Build the plan from a script's elements given in sequence order."""
        by_id = {e.id: e for e in elements}
        top: dict[uuid.UUID, uuid.UUID | None] = {}
        together_root: dict[uuid.UUID, uuid.UUID | None] = {}
        acts: list[Act] = []
        first_cue_at: dict[uuid.UUID, int] = {}
        waiting: list[uuid.UUID] = []  # elements met since the last cue
        raw: list[tuple[ElementData, uuid.UUID | None, uuid.UUID | None]] = []
        for e in elements:
            parent = by_id.get(e.parent_id) if e.parent_id is not None else None
            if parent is None:
                top[e.id] = e.id if e.element_type is ElementType.GROUP else None
                inherited = None
            else:
                top[e.id] = top.get(parent.id)
                inherited = together_root.get(parent.id)
            if e.element_type is ElementType.GROUP:
                if parent is None:
                    acts.append(Act(e.id, e.name))
                together_root[e.id] = inherited or (e.id if e.fires_together else None)
            waiting.append(e.id)
            if e.element_type is not ElementType.CUE:
                continue
            for element_id in waiting:
                first_cue_at[element_id] = len(raw)
            waiting.clear()
            raw.append((e, top[e.id], inherited))
        for element_id in waiting:
            first_cue_at[element_id] = len(raw)
        cues: list[CallableCue] = []
        spans: list[tuple[int, int]] = []
        for index, (e, act_id, together_id) in enumerate(raw):
            if not cues or not _same_moment(cues[-1], e.offset_ms, together_id):
                spans.append((index, index))
            else:
                spans[-1] = (spans[-1][0], index)
            initials = department_initials.get(e.department_id, "") if e.department_id else ""
            cues.append(
                CallableCue(
                    index=index,
                    element_id=e.id,
                    label=cue_label(initials, e.cue_number) or e.name or "cue",
                    department=initials,
                    department_id=e.department_id,
                    name=e.name,
                    offset_ms=e.offset_ms,
                    priority=e.priority,
                    act_id=act_id,
                    together_id=together_id,
                    moment=len(spans) - 1,
                )
            )
        return cls(
            cues=tuple(cues),
            acts=tuple(acts),
            _first_cue_at=first_cue_at,
            _moment_span=tuple(spans),
            script_name=script_name,
            planned_start=planned_start,
        )

    def __len__(self) -> int:
        return len(self.cues)

    def cue_index_for(self, element_id: uuid.UUID) -> int | None:
        """The first cue at or after an element (a cue itself, a group's first cue...)."""
        index = self._first_cue_at.get(element_id)
        if index is None or index >= len(self.cues):
            return None
        return index

    def is_cue(self, element_id: uuid.UUID) -> bool:
        index = self._first_cue_at.get(element_id)
        return (
            index is not None
            and index < len(self.cues)
            and (self.cues[index].element_id == element_id)
        )

    def moment_span(self, index: int) -> tuple[int, int]:
        """First and last index of the moment the cue at ``index`` belongs to."""
        return self._moment_span[self.cues[index].moment]

    def act_name(self, act_id: uuid.UUID | None) -> str:
        for act in self.acts:
            if act.id == act_id:
                return act.name
        return ""

    def cue_by_label(self, label: str) -> CallableCue | None:
        for cue in self.cues:
            if cue.label == label:
                return cue
        return None


def _same_moment(previous: CallableCue, offset_ms: int, together_id: uuid.UUID | None) -> bool:
    if previous.together_id is not None or together_id is not None:
        return previous.together_id == together_id
    return previous.offset_ms == offset_ms

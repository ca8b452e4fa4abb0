"""Which rows a filter shows: by departments, kind of row, priority and text (no Qt).

A filter only changes what the editor shows, never the script: hidden rows
are still edited, saved and counted. A row that matches is shown with the
groups that hold it, so it is never seen out of its place; rows the stage
manager adds or edits while a filter is on stay in view until the filter
changes (``pinned``), so an edit never disappears under the cursor.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority


@dataclass(frozen=True)
class RowFilter:
    """What to show; empty sets and empty text mean "everything"."""

    text: str = ""
    departments: frozenset[uuid.UUID] = field(default_factory=frozenset)
    kinds: frozenset[ElementType] = field(default_factory=frozenset)
    priorities: frozenset[Priority] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.departments or self.kinds or self.priorities)

    def describe(self) -> str:
        """``3 departments, cues, safety, "storm"`` for the status line."""
        parts: list[str] = []
        if self.departments:
            n = len(self.departments)
            parts.append(f"{n} department" + ("" if n == 1 else "s"))
        parts.extend(sorted(k.value + "s" for k in self.kinds))
        parts.extend(sorted(p.value for p in self.priorities))
        if self.text.strip():
            parts.append(f'"{self.text.strip()}"')
        return ", ".join(parts)


def matcher(
    spec: RowFilter, haystack: Callable[[ElementData], str]
) -> Callable[[ElementData], bool]:
    """A test for one row. A department filter keeps only cues of those departments."""
    words = spec.text.casefold().split()
    departments, kinds, priorities = spec.departments, spec.kinds, spec.priorities

    def matches(e: ElementData) -> bool:
        if kinds and e.element_type not in kinds:
            return False
        if departments and e.department_id not in departments:
            return False
        if priorities and e.priority not in priorities:
            return False
        if words:
            text = haystack(e)
            return all(w in text for w in words)
        return True

    return matches


def shown_rows(
    rows: Sequence[ElementData],
    matches: Callable[[ElementData], bool] | None,
    folded: set[int],
    pinned: Iterable[int] = (),
) -> list[ElementData]:
    """The rows the editor shows, in script order (``folded``, ``pinned``: ids as ``id.int``).

    Without a filter: every row not inside a folded group. With one: every
    matching or pinned row and the groups holding it (folds are not applied
    while filtering, so every match is seen).
    """
    if matches is None:
        if not folded:
            return list(rows)
        shown: list[ElementData] = []
        hidden_under: set[int] = set()
        group = ElementType.GROUP
        for e in rows:
            parent = e.parent_id
            if parent is not None and parent.int in hidden_under:
                if e.element_type is group:
                    hidden_under.add(e.id.int)
                continue
            shown.append(e)
            if e.element_type is group and e.id.int in folded:
                hidden_under.add(e.id.int)
        return shown
    keep: set[int] = set(pinned)
    parent_of = {e.id.int: e.parent_id for e in rows}
    for e in rows:
        key = e.id.int
        if key in keep or matches(e):
            keep.add(key)
            parent = e.parent_id
            while parent is not None and parent.int not in keep:
                keep.add(parent.int)
                parent = parent_of.get(parent.int)
    return [e for e in rows if e.id.int in keep]

"""The script being edited, in memory: its information and its rows in order.

``ScriptState`` is the one thing edit commands change. Its rows are a list
of ``ElementData`` (list order is the sequence); every change goes through
``splice`` (replace a run of rows) or ``set_info`` (the script's own
fields), and each is recorded as a ``Splice`` or ``InfoChange`` that knows
its inverse. Undo, redo, the rule check after a command and the crash
journal all work from these records.

Lookups a command needs are kept cheap at 100,000 rows: rows by id, the
position of a row and which cues hold each department's cue number
(``editing.state_index``). The last two are built on first use, so opening
a script builds only the rows and the lookup by id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from callmaster_desktop.domain.cuenumber import cue_label
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, ScriptStatus
from callmaster_desktop.domain.rules import written_cue_number
from callmaster_desktop.editing.state_index import CueIndex, PositionCache
from callmaster_desktop.errors import NotFoundError

INFO_FIELDS = ("name", "status", "start_time", "end_time", "notes")
CueKey = tuple[uuid.UUID, str]


@dataclass(frozen=True)
class ScriptInfo:
    """The script's own information: name, status label, planned start and end, notes."""

    name: str
    status: ScriptStatus = ScriptStatus.DRAFT
    start_time: datetime | None = None
    end_time: datetime | None = None
    notes: str | None = None

    def as_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_changes(self, **changes: Any) -> ScriptInfo:
        return replace(self, **changes)


@dataclass(frozen=True)
class Splice:
    """Rows ``removed`` at position ``at`` (0-based) were replaced by ``inserted``."""

    at: int
    removed: tuple[ElementData, ...]
    inserted: tuple[ElementData, ...]

    def inverse(self) -> Splice:
        return Splice(self.at, self.inserted, self.removed)


@dataclass(frozen=True)
class InfoChange:
    """The script's information changed from ``old`` to ``new``."""

    old: ScriptInfo
    new: ScriptInfo

    def inverse(self) -> InfoChange:
        return InfoChange(self.new, self.old)


Change = Splice | InfoChange


@dataclass
class Step:
    """One done edit: what it was, in words, and the changes that undo or redo it."""

    description: str
    changes: tuple[Change, ...]
    # The step's file in the crash journal, written once, and its entry in the
    # journal's list, encoded once (``editing.journal``).
    journal_file: str | None = field(default=None, compare=False, repr=False)
    journal_entry: str | None = field(default=None, compare=False, repr=False)


@dataclass
class Recording:
    """The changes one command made, in order."""

    changes: list[Change] = field(default_factory=list)


def _written(number: str) -> str | None:
    """The written form of a cue number; None when it is not one (cached)."""
    return written_cue_number(number)[0]


def cue_key(e: ElementData) -> CueKey | None:
    """(department, written cue number) of a cue that has both and a valid number."""
    if e.element_type is not ElementType.CUE or e.department_id is None or not e.cue_number:
        return None
    number = _written(e.cue_number)
    return None if number is None else (e.department_id, number)


def _same(a: ElementData, b: ElementData) -> bool:
    return a is b or a == b


def _same_row(old: ElementData, new: ElementData) -> bool:
    return old.id.int == new.id.int


def _same_cue_fields(old: ElementData, new: ElementData) -> bool:
    return (
        old.element_type is new.element_type
        and old.department_id == new.department_id
        and old.cue_number == new.cue_number
    )


def _same_objects(a: Sequence[ElementData], b: Sequence[ElementData]) -> bool:
    return {id(e) for e in a} == {id(e) for e in b}


class ScriptState:
    """A script's information and rows in memory, with the indexes edits need."""

    def __init__(
        self,
        info: ScriptInfo,
        elements: Sequence[ElementData],
        departments: Mapping[uuid.UUID, str],
    ) -> None:
        self.info = info
        # Initials of every department the owner may use, by id.
        self.departments: dict[uuid.UUID, str] = dict(departments)
        self._elements: list[ElementData] = list(elements)
        # Rows are found by ``id.int``: an int hashes in C, a UUID in Python.
        self._keys: list[int] = [e.id.int for e in self._elements]
        self._by_id: dict[int, ElementData] = dict(zip(self._keys, self._elements, strict=True))
        self._positions = PositionCache(self._keys)
        self._cues: CueIndex | None = None  # built on first use
        self._recording: Recording | None = None

    # --- reading ----------------------------------------------------------------------

    @property
    def elements(self) -> Sequence[ElementData]:
        """The rows in sequence order (do not change the list: use ``splice``)."""
        return self._elements

    def __len__(self) -> int:
        return len(self._elements)

    def __contains__(self, element_id: object) -> bool:
        return isinstance(element_id, uuid.UUID) and element_id.int in self._by_id

    def at(self, position: int) -> ElementData:
        return self._elements[position]

    def get(self, element_id: uuid.UUID) -> ElementData:
        try:
            return self._by_id[element_id.int]
        except KeyError:
            raise NotFoundError(
                "A row you chose is no longer in the script: it may have been deleted."
            ) from None

    def find(self, element_id: uuid.UUID | None) -> ElementData | None:
        return None if element_id is None else self._by_id.get(element_id.int)

    def position_of(self, element_id: uuid.UUID) -> int:
        """The row's 0-based position; ``NotFoundError`` when it is not in the script."""
        position = self._positions.find(element_id.int)
        if position is None:
            self.get(element_id)  # not in the script: NotFoundError
            raise AssertionError(f"row {element_id} is in the script but has no place")
        return position

    def block_end(self, position: int) -> int:
        """The position just after a row and everything inside it (for a group)."""
        e = self._elements[position]
        end = position + 1
        if e.element_type is not ElementType.GROUP:
            return end
        inside = {e.id.int}
        rows = self._elements
        while end < len(rows):
            row = rows[end]
            parent = row.parent_id
            if parent is None or parent.int not in inside:
                break
            if row.element_type is ElementType.GROUP:
                inside.add(row.id.int)
            end += 1
        return end

    def ancestors(self, e: ElementData) -> list[ElementData]:
        """The groups holding ``e``, nearest first (stops at a missing group or a loop)."""
        found: list[ElementData] = []
        seen = {e.id.int}
        by_id = self._by_id
        parent = by_id.get(e.parent_id.int) if e.parent_id is not None else None
        while parent is not None and parent.id.int not in seen:
            found.append(parent)
            seen.add(parent.id.int)
            parent = by_id.get(parent.parent_id.int) if parent.parent_id is not None else None
        return found

    def is_inside(self, e: ElementData, group_id: uuid.UUID) -> bool:
        return any(a.id == group_id for a in self.ancestors(e))

    def children_count(self, group_position: int) -> int:
        """How many rows a group holds at any depth."""
        return self.block_end(group_position) - group_position - 1

    def cue_holders(self, department_id: uuid.UUID, number: str) -> list[uuid.UUID]:
        """The cues of a department that use a (written) cue number."""
        return self._cue_index().holders(department_id.int, number)

    def department_numbers(self, department_id: uuid.UUID) -> list[str]:
        """Every written cue number the department uses in this script."""
        return self._cue_index().numbers(department_id.int)

    def _cue_index(self) -> CueIndex:
        if self._cues is None:
            self._cues = CueIndex(self._elements)
        return self._cues

    def prepare(self) -> None:
        """Build the lookups now rather than at the first edit (for a window that is idle).

        At 100,000 rows they take about a tenth of a second; a window can
        call this once the first rows are painted, so the first edit does
        not wait for them.
        """
        self._cue_index()
        if self._keys:
            self._positions.find(self._keys[-1])

    def initials(self, department_id: uuid.UUID | None) -> str:
        if department_id is None:
            return ""
        return self.departments.get(department_id, "?")

    def label(self, e: ElementData) -> str:
        """How a stage manager names a row: ``LX 12``, ``Act 2``, ``the note "Hold"``."""
        name = e.name.strip()
        shown = name if len(name) <= 40 else name[:39] + "\u2026"
        if e.element_type is ElementType.CUE:
            label = cue_label(self.initials(e.department_id), e.cue_number)
            return label or (f'the cue "{shown}"' if shown else "a cue without a number")
        if e.element_type is ElementType.GROUP:
            return shown or "an unnamed group"
        return f'the note "{shown}"' if shown else "an empty note"

    # --- changing ---------------------------------------------------------------------

    def splice(self, at: int, remove: int, inserted: Sequence[ElementData] = ()) -> Splice:
        """Replace ``remove`` rows from ``at`` with ``inserted``; record and return the change."""
        change = Splice(at, tuple(self._elements[at : at + remove]), tuple(inserted))
        self.apply(change)
        return change

    def replace_element(self, new: ElementData) -> Splice:
        """Put a changed version of a row in its place."""
        return self.splice(self.position_of(new.id), 1, (new,))

    def replace_all(self, rows: Sequence[ElementData]) -> Splice | None:
        """Make the rows exactly ``rows``: one splice over the part that differs."""
        old = self._elements
        start = 0
        limit = min(len(old), len(rows))
        while start < limit and _same(old[start], rows[start]):
            start += 1
        end_old, end_new = len(old), len(rows)
        while end_old > start and end_new > start and _same(old[end_old - 1], rows[end_new - 1]):
            end_old -= 1
            end_new -= 1
        if start == end_old and start == end_new:
            return None
        return self.splice(start, end_old - start, rows[start:end_new])

    def set_info(self, new: ScriptInfo) -> InfoChange:
        change = InfoChange(self.info, new)
        self.apply(change)
        return change

    def apply(self, change: Change) -> None:
        """Apply a recorded change (also how undo and redo replay them)."""
        if isinstance(change, InfoChange):
            self.info = change.new
        else:
            self._apply_splice(change)
        if self._recording is not None:
            self._recording.changes.append(change)

    def _apply_splice(self, change: Splice) -> None:
        at, removed, inserted = change.at, change.removed, change.inserted
        cues = self._cues
        same_length = len(removed) == len(inserted)
        if same_length and all(map(_same_row, removed, inserted)):
            # The same rows in new versions (an edit): only changed cues re-indexed; every
            # row keeps its place, so the keys and positions stay as they are.
            by_id = self._by_id
            for old, new in zip(removed, inserted, strict=True):
                by_id[new.id.int] = new
                if cues is not None and not _same_cue_fields(old, new):
                    cues.remove(old)
                    cues.add(new)
            if len(inserted) == 1:
                self._elements[at] = inserted[0]
            else:
                self._elements[at : at + len(removed)] = inserted
            return
        if same_length and _same_objects(removed, inserted):
            pass  # the same rows in another order (a sort): nothing to re-index
        else:
            self._reindex(removed, inserted)
        self._elements[at : at + len(removed)] = inserted
        keys = [e.id.int for e in inserted]
        self._keys[at : at + len(removed)] = keys
        self._positions.spliced(at, len(removed), keys)

    def _reindex(self, removed: Sequence[ElementData], inserted: Sequence[ElementData]) -> None:
        by_id = self._by_id
        cues = self._cues
        for e in removed:
            del by_id[e.id.int]
            if cues is not None:
                cues.remove(e)
        for n, e in enumerate(inserted):
            if e.id.int in by_id:  # undo what was done so far, then refuse
                for done in inserted[:n]:
                    del by_id[done.id.int]
                    if cues is not None:
                        cues.remove(done)
                for back in removed:
                    by_id[back.id.int] = back
                    if cues is not None:
                        cues.add(back)
                raise ValueError(f"row {e.id} would appear twice in the script")
            by_id[e.id.int] = e
            if cues is not None:
                cues.add(e)

    @contextmanager
    def recording(self) -> Iterator[Recording]:
        """Collect every change made inside the block; on an error undo them all."""
        if self._recording is not None:
            raise RuntimeError("a command is already being applied")
        recording = Recording()
        self._recording = recording
        try:
            yield recording
        except BaseException:
            self._recording = None
            for change in reversed(recording.changes):
                self.apply(change.inverse())
            raise
        finally:
            self._recording = None

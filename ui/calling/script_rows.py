"""The script around the calling pointer: a read-only table model and its department filter.

Rows are the script's elements in sequence order (groups, cues, notes);
what a row looks like comes from the run: the rows already passed are
dimmed, the next GO's cues are lit, cues in standby count down, overdue cues
are flagged in red, safety cues are tinted. The model keeps only the
elements and small index arrays; it reads the state from ``RunControl`` on
demand and, after each change, signals ``dataChanged`` only for the rows
whose look changed (the rows between the old and the new pointer, the cues
called, the standby and overdue cues), so a script of 10,000 rows costs no
more to call than one of 100.
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from callmaster_desktop.calling.engine import CueState
from callmaster_desktop.calling.events import CueCalled
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import format_delta, format_offset
from ui.calling.look import Look, current_look
from ui.calling.run_control import RunControl

__all__ = [
    "COLUMNS",
    "DEPARTMENT_ROLE",
    "ELEMENT_ROLE",
    "CallingScriptModel",
    "DepartmentFilter",
    "RowLook",
]

COLUMNS = ("Time", "Clock", "Cue", "Description", "Status")
TIME, CLOCK, CUE, DESCRIPTION, STATUS = range(len(COLUMNS))
DEPARTMENT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ELEMENT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
INDENT = "    "
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

Index = QModelIndex | QPersistentModelIndex


def countdown_text(ms: int) -> str:
    """``in 0:12`` before a planned time, ``late 0:03`` after it."""
    return f"in {format_offset(ms)}" if ms > 0 else f"late {format_offset(-ms)}"


class CallingScriptModel(QAbstractTableModel):
    """The whole script, row by row, lit by the state of the run."""

    def __init__(
        self, control: RunControl, *, hours24: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.control = control
        self.hours24 = hours24
        self.look: Look = current_look()
        self.bold = QFont()
        self.bold.setBold(True)
        self.italic = QFont()
        self.italic.setItalic(True)
        self._rows: list[ElementData] = []
        self._depth: list[int] = []
        self._cue_of_row: list[int | None] = []
        self._next_cue: list[int] = []  # per row: the first cue at or after it
        self._row_of_cue: list[int] = []
        self._colours: dict[uuid.UUID, str] = {}
        self._hot: set[int] = set()
        self._looks: dict[int, RowLook] = {}  # per row, until it changes
        self._brushes: dict[str, QBrush] = {}
        self._times: tuple[object, int, bool] = (None, 0, False)  # curtain up, holds, end
        self._seen = 0
        self._moment_set: set[int] = set()
        self._standby_set: set[int] = set()
        self._pointer = 0
        self.rebuild()

    # --- structure ------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Take the rows from the control's script and plan (on open, or a continued run)."""
        self.beginResetModel()
        script, plan = self.control.script, self.control.plan
        self._rows = list(script.elements)
        self._colours = {d.id: d.color for d in script.departments.values()}
        depth_of: dict[uuid.UUID, int] = {}
        self._depth = []
        for e in self._rows:
            depth = depth_of.get(e.parent_id, -1) + 1 if e.parent_id is not None else 0
            depth_of[e.id] = depth
            self._depth.append(depth)
        total = len(plan.cues)
        self._cue_of_row = []
        self._next_cue = []
        self._row_of_cue = [0] * total
        for row, e in enumerate(self._rows):
            first = plan.cue_index_for(e.id)
            cue = first if first is not None and plan.is_cue(e.id) else None
            self._cue_of_row.append(cue)
            self._next_cue.append(total if first is None else first)
            if cue is not None:
                self._row_of_cue[cue] = row
        self._hot = set()
        self._looks.clear()
        self._times = self._times_now()
        self._seen = len(self.control.engine.history)
        self._take_state()
        self._pointer = self._pointer_now()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:  # over the cells' text
            return _CENTER if section in (TIME, CLOCK) else _LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled

    def row_of_cue(self, cue_index: int) -> int:
        return self._row_of_cue[cue_index] if cue_index < len(self._row_of_cue) else len(self._rows)

    def pointer_row(self) -> int | None:
        """The row of the next cue to call; None after the last one."""
        pointer = self.control.engine.pointer
        return None if pointer is None else self.row_of_cue(pointer)

    # --- cells ----------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        if int(role) in _LOOK_ROLES:
            look = self.row_look(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return look.texts[column]
            if role == Qt.ItemDataRole.ForegroundRole:
                return look.foregrounds[column]
            if role == Qt.ItemDataRole.BackgroundRole:
                return look.background
            return look.font
        e = self._rows[row]
        if role == ELEMENT_ROLE:
            return e.id
        if role == DEPARTMENT_ROLE:
            return e.department_id if e.element_type is ElementType.CUE else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column in (TIME, CLOCK) else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole and column == DESCRIPTION and e.notes:
            return e.notes
        return None

    def row_look(self, row: int) -> RowLook:
        """Everything a row shows, worked out once until it changes (painting asks often)."""
        look = self._looks.get(row)
        if look is None:
            look = self._looks[row] = self._row_look(row)
        return look

    def _row_look(self, row: int) -> RowLook:
        e = self._rows[row]
        columns = range(len(COLUMNS))
        return RowLook(
            tuple(self._text(row, c, e) for c in columns),
            tuple(self._brush(self._foreground(row, c, e)) for c in columns),
            self._brush(self._background(row, e)),
            self._font(row, e),
        )

    def _brush(self, colour: str | None) -> QBrush | None:
        if colour is None:
            return None
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush

    def _text(self, row: int, column: int, e: ElementData) -> str:
        kind = e.element_type
        if column == TIME:
            return "" if kind is ElementType.GROUP else format_offset(e.offset_ms)
        if column == CLOCK:
            if kind is ElementType.GROUP:
                return ""
            when = self.control.engine.clock_time_of(e.offset_ms)
            return "" if when is None else when.astimezone().strftime(self._clock_format())
        cue = self._cue_of_row[row]
        if column == CUE:
            if cue is not None:
                return self.control.plan.cues[cue].label
            return "Note" if kind is ElementType.NOTE else ""
        if column == DESCRIPTION:
            name = e.name.upper() if kind is ElementType.GROUP else e.name
            if cue is not None and e.priority is Priority.SAFETY:
                name = f"⚠ SAFETY · {name}"
            return INDENT * self._depth[row] + name
        return "" if cue is None else self._status(cue, e)

    def _clock_format(self) -> str:
        return "%H:%M:%S" if self.hours24 else "%I:%M:%S %p"

    def _status(self, cue: int, e: ElementData) -> str:
        engine = self.control.engine
        state = engine.state_at(cue)
        show = engine.show_ms()
        if state is CueState.CALLED:
            outcome = self.control.outcomes.get(cue)
            if isinstance(outcome, CueCalled):
                return f"GO {format_delta(outcome.difference_ms)}"
            return "called"
        if state is CueState.SKIPPED:
            return "skipped"
        if engine.is_over:
            return "not called"
        if cue in self._moment_set:
            return "NEXT" if show is None else f"NEXT · {countdown_text(e.offset_ms - show)}"
        if show is not None and e.offset_ms <= show and cue >= self._pointer:
            return f"OVERDUE {format_delta(show - e.offset_ms)}"
        if cue in self._standby_set:
            return "standby" if show is None else f"standby · {countdown_text(e.offset_ms - show)}"
        return ""

    def _past(self, row: int) -> bool:
        cue = self._cue_of_row[row]
        if cue is not None:
            return cue < self._pointer or self.control.engine.state_at(cue) is not CueState.PENDING
        return self._next_cue[row] < self._pointer

    def _foreground(self, row: int, column: int, e: ElementData) -> str:
        look = self.look
        if self._past(row):
            return look.dim
        cue = self._cue_of_row[row]
        if cue is not None and column == STATUS and self._is_overdue(cue, e):
            return look.stop
        if column == CUE and e.department_id is not None:
            colour = QColor(self._colours.get(e.department_id, look.text))
            return (colour.lighter(135) if look.dark else colour.darker(115)).name()
        if e.element_type is ElementType.NOTE:
            return look.accent
        return look.text

    def _background(self, row: int, e: ElementData) -> str | None:
        cue = self._cue_of_row[row]
        if cue is None:
            return look_group(self.look) if e.element_type is ElementType.GROUP else None
        if self.control.engine.state_at(cue) is not CueState.PENDING or cue < self._pointer:
            return None
        if cue in self._moment_set:
            return self.look.next_row
        if self._is_overdue(cue, e):
            return self.look.overdue_row
        if e.priority is Priority.SAFETY:
            return self.look.safety_row
        return None

    def _font(self, row: int, e: ElementData) -> QFont | None:
        cue = self._cue_of_row[row]
        if e.element_type is ElementType.GROUP or (cue is not None and cue in self._moment_set):
            return self.bold
        if e.element_type is ElementType.NOTE:
            return self.italic
        return None

    def _is_overdue(self, cue: int, e: ElementData) -> bool:
        show = self.control.engine.show_ms()
        return (
            show is not None
            and not self.control.engine.is_over
            and e.offset_ms <= show
            and self.control.engine.state_at(cue) is CueState.PENDING
            and cue >= self._pointer
        )

    def _take_state(self) -> None:
        if self.control.engine.is_over:  # nothing is next once the run has ended
            self._moment_set, self._standby_set = set(), set()
            return
        self._moment_set = {c.index for c in self.control.engine.next_moment()}
        self._standby_set = {c.cue.index for c in self.control.standby().cues}

    def _pointer_now(self) -> int:
        pointer = self.control.engine.pointer
        return len(self.control.plan.cues) if pointer is None else pointer

    # --- what changed -----------------------------------------------------------------------

    def set_look(self, look: Look) -> None:
        self.look = look
        self._looks.clear()
        self._brushes.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, STATUS))

    def refresh(self) -> None:
        """Signal the rows whose look changed since the last refresh (and only those)."""
        if not self._rows:
            return
        old_pointer, new_pointer = self._pointer, self._pointer_now()
        self._pointer = new_pointer
        self._take_state()
        overdue = () if self.control.engine.is_over else self.control.overdue()
        hot = self._moment_set | self._standby_set | {c.index for c in overdue}
        history = self.control.engine.history
        changed = hot | self._hot | {e.cue.index for e in history[self._seen :]}
        self._seen = len(history)
        self._hot = hot
        spans: list[tuple[int, int]] = [(self.row_of_cue(c), self.row_of_cue(c)) for c in changed]
        low, high = sorted((old_pointer, new_pointer))
        if low != high:
            first = bisect.bisect_left(self._next_cue, low)
            last = bisect.bisect_left(self._next_cue, high + 1) - 1
            spans.append((first, min(last, len(self._rows) - 1)))
        times = self._times_now()
        if times != self._times:  # curtain up, a hold, the end: every row may change
            self._times = times
            self._looks.clear()
            self.dataChanged.emit(self.index(0, TIME), self.index(len(self._rows) - 1, STATUS))
        for first, last in _merge(spans, len(self._rows)):
            for row in [r for r in self._looks if first <= r <= last]:
                del self._looks[row]
            self.dataChanged.emit(self.index(first, TIME), self.index(last, STATUS))

    def _times_now(self) -> tuple[object, int, bool]:
        engine = self.control.engine
        return engine.curtain_up_at(), engine.total_hold_ms(), engine.is_over


_LOOK_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.FontRole,
    )
)


@dataclass(frozen=True, slots=True)
class RowLook:
    texts: tuple[str, ...]
    foregrounds: tuple[QBrush | None, ...]
    background: QBrush | None
    font: QFont | None


def look_group(look: Look) -> str:
    return "#222429" if look.dark else "#e4e6ea"


def _merge(spans: list[tuple[int, int]], rows: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(s for s in spans if 0 <= s[0] < rows and s[1] >= s[0]):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, min(last, rows - 1)))
    return merged


class DepartmentFilter(QSortFilterProxyModel):
    """Shows the cues of the chosen departments (all when none is chosen), notes and groups."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.departments: frozenset[uuid.UUID] = frozenset()
        self.setDynamicSortFilter(False)

    def set_departments(self, departments: frozenset[uuid.UUID]) -> None:
        self.beginFilterChange()
        self.departments = departments
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.departments:
            return True
        model = self.sourceModel()
        department = model.data(model.index(source_row, 0, source_parent), DEPARTMENT_ROLE)
        return department is None or department in self.departments

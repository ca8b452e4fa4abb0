"""The script as a Qt table model with folding groups: ids, a row cache, exact signals.

The model mirrors the editing engine's rows (a list of ``ElementData`` in
sequence order) and never changes the script itself. It shows the rows a
stage manager can see: not those inside a folded group (the fold state is
the viewer's, not the script's), and only the matches of a filter. It is a
flat table whose name column draws the tree (indent and fold arrow), so a
100,000-row script costs one ``rowCount`` and only the visible cells, never
a walk of the whole tree.

``sync`` takes the engine's rows after an edit and emits exactly what
changed: ``dataChanged`` for edited rows (and the groups whose derived time
moved), ``rowsInserted``/``rowsRemoved``/``rowsMoved`` for the rows that
came, went or moved; never a reset. A cell is answered from a cache of the
row's rendered text, filled on first use and dropped when the row changes.
Typed edits and dropped rows go to the ``EditHandler`` (the editor), which
turns them into engine commands.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from ui.script_editor import style
from ui.script_editor.filtering import RowFilter, matcher, shown_rows
from ui.script_editor.rows import TITLES, Col, RowFormatter, Span, editable, group_span
from ui.script_editor.shown_change import Insert, Move, Remove, Replace, plan_shown_change

Index = QModelIndex | QPersistentModelIndex

ELEMENT_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole + 11
DEPTH_ROLE = Qt.ItemDataRole.UserRole + 12
FOLD_ROLE = Qt.ItemDataRole.UserRole + 13  # None (not a group), "open", "folded" or "empty"
DEPARTMENT_COLOR_ROLE = Qt.ItemDataRole.UserRole + 14
_COLUMNS = len(Col)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_BASE_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
# The flags of every cell, by kind of row and column (looked up, never worked out per cell).
_FLAGS = {
    kind: tuple(
        _BASE_FLAGS | Qt.ItemFlag.ItemIsEditable if editable(column, kind) else _BASE_FLAGS
        for column in Col
    )
    for kind in ElementType
}


class EditHandler(Protocol):
    def edit_cell(self, element_id: uuid.UUID, column: Col, value: Any) -> bool: ...

    def drop_rows(self, data: QMimeData, row: int, on_row: bool) -> bool: ...

    def rows_mime(self, ids: Sequence[uuid.UUID]) -> QMimeData: ...


class ScriptModel(QAbstractTableModel):
    """The rows on screen. Internally every row is keyed by ``id.int`` (hashing an int is
    done in C, hashing a ``uuid.UUID`` calls Python: it matters at 100,000 rows)."""

    def __init__(self, formatter: RowFormatter | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.formatter = formatter or RowFormatter({})
        self.handler: EditHandler | None = None
        self._rows: list[ElementData] = []  # every row of the script, in order
        self._by_key: dict[int, ElementData] = {}
        self._depth: dict[int, int] = {}
        self._held: dict[int, int] = {}  # direct children per group
        self._position_of: dict[int, int] = {}  # a group's place in the script (0-based)
        self._shown: list[ElementData] = []  # the rows on screen
        self._shown_row: dict[int, int] = {}
        self._folded: set[int] = set()
        self._filter = RowFilter()
        self._pinned: set[int] = set()
        self._text: dict[int, tuple[str, ...]] = {}
        self._spans: dict[int, Span] = {}
        self._haystacks: dict[int, str] = {}

    # --- filling ----------------------------------------------------------------------

    def load(self, elements: Sequence[ElementData], formatter: RowFormatter | None = None) -> None:
        """Show a whole script (a reset: used when a script is opened or reloaded)."""
        self.beginResetModel()
        if formatter is not None:
            self.formatter = formatter
        self._rows = list(elements)
        self._by_key = {e.id.int: e for e in self._rows}
        self._folded &= self._by_key.keys()
        self._pinned.clear()
        self._clear_caches()
        self._structure()
        self._shown = self._compute_shown()
        self._index_shown()
        self.endResetModel()

    def _clear_caches(self) -> None:
        self._text.clear()
        self._spans.clear()
        self._haystacks.clear()

    def _structure(self) -> None:
        depth: dict[int, int] = {}
        held: dict[int, int] = {}
        positions: dict[int, int] = {}
        group = ElementType.GROUP
        for position, e in enumerate(self._rows):
            key = e.id.int
            parent = e.parent_id
            if parent is None:
                depth[key] = 0
            else:
                pkey = parent.int
                depth[key] = depth.get(pkey, -1) + 1
                held[pkey] = held.get(pkey, 0) + 1
            if e.element_type is group:
                positions[key] = position
        self._depth, self._held, self._position_of = depth, held, positions

    def _compute_shown(self) -> list[ElementData]:
        test = matcher(self._filter, self._haystack) if self._filter.active else None
        return shown_rows(self._rows, test, self._folded, self._pinned)

    def _index_shown(self) -> None:
        self._shown_row = {e.id.int: row for row, e in enumerate(self._shown)}

    def set_formatter(self, formatter: RowFormatter) -> None:
        """New departments or time preference: every row reads again."""
        self.formatter = formatter
        self._clear_caches()
        if self._shown:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._shown) - 1, _COLUMNS - 1))

    def sync(self, elements: Sequence[ElementData], touched: Iterable[uuid.UUID] = ()) -> None:
        """Show ``elements`` (the engine's rows after an edit), emitting only what changed.

        ``touched`` rows stay in view under a filter (the rows the edit added or changed).
        """
        old, new = self._rows, elements
        start, limit = 0, min(len(old), len(new))
        while start < limit and old[start] is new[start]:
            start += 1
        end_old, end_new = len(old), len(new)
        while end_old > start and end_new > start and old[end_old - 1] is new[end_new - 1]:
            end_old -= 1
            end_new -= 1
        if start == end_old == end_new:
            return
        old_window, new_window = old[start:end_old], list(new[start:end_new])
        stale = self._ancestors(old_window) | self._ancestors(new_window)
        stale.update(e.id.int for e in new_window)
        for key in stale:
            self._text.pop(key, None)
            self._spans.pop(key, None)
            self._haystacks.pop(key, None)
        if self._filter.active:
            self._pinned.update(i.int for i in touched)
            self._pinned.update(e.id.int for e in new_window if self._by_key.get(e.id.int) is not e)
        same_shape = len(old_window) == len(new_window) and all(
            a.id == b.id and a.parent_id == b.parent_id
            for a, b in zip(old_window, new_window, strict=True)
        )
        for e in old_window:
            self._by_key.pop(e.id.int, None)
        self._by_key.update((e.id.int, e) for e in new_window)
        self._rows = list(new)
        if same_shape and not self._filter.active:
            self._replace_shown(new_window)
        else:
            self._folded &= self._by_key.keys()
            self._pinned &= self._by_key.keys()
            self._structure()
            self._show(self._compute_shown())
        self._emit_changed(stale)

    def _replace_shown(self, rows: Sequence[ElementData]) -> None:
        for e in rows:
            row = self._shown_row.get(e.id.int)
            if row is not None:
                self._shown[row] = e

    def _show(self, new: list[ElementData]) -> None:
        """Move from the rows shown now to ``new`` with the fewest row signals."""
        old = self._shown
        change = plan_shown_change([e.id.int for e in old], [e.id.int for e in new])
        root = QModelIndex()
        if isinstance(change, Insert):
            self.beginInsertRows(root, change.first, change.last)
            self._shown = new
            self.endInsertRows()
        elif isinstance(change, Remove):
            self.beginRemoveRows(root, change.first, change.last)
            self._shown = new
            self.endRemoveRows()
        elif isinstance(change, Move):
            self.beginMoveRows(root, change.first, change.last, root, change.to)
            self._shown = new
            self.endMoveRows()
        elif isinstance(change, Replace):
            self.beginRemoveRows(root, change.first, change.last_old)
            self._shown = old[: change.first] + old[change.last_old + 1 :]
            self.endRemoveRows()
            self.beginInsertRows(root, change.first, change.last_new)
            self._shown = new
            self.endInsertRows()
        else:
            self._shown = new
        self._index_shown()

    def _ancestors(self, rows: Sequence[ElementData]) -> set[int]:
        found: set[int] = set()
        for e in rows:
            parent = e.parent_id
            while parent is not None and parent.int not in found:
                found.add(parent.int)
                holder = self._by_key.get(parent.int)
                parent = holder.parent_id if holder is not None else None
        return found

    def _emit_changed(self, keys: Iterable[int]) -> None:
        shown_row = self._shown_row
        rows = [shown_row[k] for k in keys if k in shown_row]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), _COLUMNS - 1))

    # --- what the viewer chooses to see -----------------------------------------------

    @property
    def row_filter(self) -> RowFilter:
        return self._filter

    def set_filter(self, spec: RowFilter) -> None:
        """Show only what ``spec`` matches (and the groups holding it)."""
        if spec == self._filter:
            return
        self._filter = spec
        self._pinned.clear()
        self._show(self._compute_shown())

    @property
    def folded(self) -> frozenset[uuid.UUID]:
        return frozenset(self._by_key[k].id for k in self._folded if k in self._by_key)

    def set_folded(self, group_ids: Iterable[uuid.UUID]) -> None:
        wanted = set()
        for i in group_ids:
            e = self._by_key.get(i.int)
            if e is not None and e.element_type is ElementType.GROUP:
                wanted.add(i.int)
        if wanted == self._folded:
            return
        changed = wanted ^ self._folded
        self._folded = wanted
        self._show(self._compute_shown())
        self._emit_changed(changed)

    def fold(self, group_id: uuid.UUID, folded: bool = True) -> None:
        now = self.folded
        self.set_folded(now | {group_id} if folded else now - {group_id})

    def is_folded(self, group_id: uuid.UUID) -> bool:
        return group_id.int in self._folded

    def fold_state(self, e: ElementData) -> str | None:
        """None for a cue or note; "empty", "folded" or "open" for a group."""
        if e.element_type is not ElementType.GROUP:
            return None
        key = e.id.int
        if not self._held.get(key):
            return "empty"
        return "folded" if key in self._folded and not self._filter.active else "open"

    # --- reading ----------------------------------------------------------------------

    @property
    def elements(self) -> Sequence[ElementData]:
        """Every row of the script (shown or not), in order."""
        return self._rows

    @property
    def shown(self) -> Sequence[ElementData]:
        return self._shown

    def element(self, element_id: uuid.UUID | None) -> ElementData | None:
        return None if element_id is None else self._by_key.get(element_id.int)

    def element_at(self, row: int) -> ElementData | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def id_at(self, row: int) -> uuid.UUID | None:
        return self._shown[row].id if 0 <= row < len(self._shown) else None

    def row_of(self, element_id: uuid.UUID) -> int:
        """The row showing the element, or -1 when it is hidden."""
        return self._shown_row.get(element_id.int, -1)

    def depth(self, element_id: uuid.UUID) -> int:
        return self._depth.get(element_id.int, 0)

    def holds(self, group_id: uuid.UUID) -> int:
        """How many rows the group holds directly."""
        return self._held.get(group_id.int, 0)

    def group_span(self, group_id: uuid.UUID) -> Span:
        """First and last time inside a group (derived from its rows), cached."""
        key = group_id.int
        if key in self._spans:
            return self._spans[key]
        first = self._position_of.get(key)
        span = None if first is None else group_span(self._rows, first)
        self._spans[key] = span
        return span

    def row_text(self, e: ElementData) -> tuple[str, ...]:
        key = e.id.int
        text = self._text.get(key)
        if text is None:
            span = self.group_span(e.id) if e.element_type is ElementType.GROUP else None
            text = self.formatter.row(e, span)
            self._text[key] = text
        return text

    def _haystack(self, e: ElementData) -> str:
        key = e.id.int
        text = self._haystacks.get(key)
        if text is None:
            f = self.formatter
            text = " ".join(
                (e.name, e.notes or "", e.location or "", f.label(e), f.initials(e.department_id))
            ).casefold()
            self._haystacks[key] = text
        return text

    # --- the Qt interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < _COLUMNS:
            if role == _DISPLAY:
                return TITLES[Col(section)]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return style.cell_alignment(Col(section))
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if not index.isValid() or row >= len(self._shown):
            return None
        e = self._shown[row]
        if role == _DISPLAY:
            return self.row_text(e)[index.column()]
        column = Col(index.column())
        if role == _EDIT:
            if column is Col.DEPARTMENT:
                return "" if e.department_id is None else str(e.department_id)
            if column is Col.PRIORITY:
                return e.priority.value
            return self.formatter.edit_text(e, column)
        if role == ELEMENT_ROLE:
            return e
        if role == ID_ROLE:
            return str(e.id)
        if role == DEPTH_ROLE:
            return self._depth.get(e.id.int, 0)
        if role == FOLD_ROLE:
            return self.fold_state(e)
        if role == DEPARTMENT_COLOR_ROLE:
            return self.formatter.color(e.department_id)
        return style.cell_role(e, column, role, self.row_text(e))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        row = index.row()
        if row >= len(self._shown):
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS[self._shown[row].element_type][index.column()]

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if role != _EDIT or not index.isValid() or self.handler is None:
            return False
        e = self._shown[index.row()]
        return self.handler.edit_cell(e.id, Col(index.column()), value)

    # --- drag and drop ----------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        from ui.script_editor.clipboard import ROWS_MIME

        return [ROWS_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(self._shown[i.row()].id for i in indexes if i.isValid()))
        if self.handler is None:
            return QMimeData()
        return self.handler.rows_mime(ids)

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        from ui.script_editor.clipboard import ROWS_MIME

        return self.handler is not None and (data.hasFormat(ROWS_MIME) or data.hasText())

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if self.handler is None or action == Qt.DropAction.IgnoreAction:
            return False
        if parent.isValid():
            return self.handler.drop_rows(data, parent.row(), True)
        return self.handler.drop_rows(data, len(self._shown) if row < 0 else row, False)

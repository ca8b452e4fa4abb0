"""A table model over records: the ids of the rows and a cache of their values.

Each column is a small declaration (title, how to read the cell, how to sort
it); the model answers each cell with one lookup through that column's
function, the calibre pattern. Replacing one record emits ``dataChanged`` for
its row only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

Record = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Record], str]
    sort: Callable[[Record], Any] | None = None
    color: Callable[[Record], str | None] | None = None
    align_right: bool = False


def field_column(title: str, key: str, *, align_right: bool = False) -> Column:
    def text(record: Record) -> str:
        value = record.get(key)
        return "" if value is None else str(value)

    def sort(record: Record) -> Any:
        value = record.get(key)
        return value if isinstance(value, int | float) else str(value or "").lower()

    return Column(title, text, sort, align_right=align_right)


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._ids: list[uuid.UUID] = []
        self._cache: dict[uuid.UUID, Record] = {}

    # -- filling ---------------------------------------------------------
    def set_records(self, records: Sequence[Record]) -> None:
        self.beginResetModel()
        self._ids = [uuid.UUID(str(r["id"])) for r in records]
        self._cache = {uuid.UUID(str(r["id"])): r for r in records}
        self.endResetModel()

    def update_record(self, record: Record) -> None:
        record_id = uuid.UUID(str(record["id"]))
        if record_id not in self._cache:
            return
        self._cache[record_id] = record
        row = self._ids.index(record_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def record_at(self, row: int) -> Record | None:
        if 0 <= row < len(self._ids):
            return self._cache[self._ids[row]]
        return None

    def row_of(self, record_id: uuid.UUID) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    # -- Qt interface ----------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        record = self._cache[self._ids[index.row()]]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.text(record)
            return text if len(text) > 30 else None
        if role == ID_ROLE:
            return str(self._ids[index.row()])
        if role == SORT_ROLE:
            return column.sort(record) if column.sort else column.text(record).lower()
        if role == Qt.ItemDataRole.DecorationRole and column.color is not None:
            value = column.color(record)
            return QColor(value) if value else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None


class SearchProxy(QSortFilterProxyModel):
    """Sorts by each column's sort key and filters on any column's text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)

"""A read-only tree of a script's elements: groups fold, cues and notes are leaves.

Built from the listing's element records (sequence order, with parent ids).
The fold state belongs to the view, never to the script.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from callmaster_desktop.domain.timeoffset import format_offset

Index = QModelIndex | QPersistentModelIndex
Record = dict[str, Any]

COLUMNS = ("Time", "Cue", "Name", "Duration", "Location", "Priority", "Notes")
SAFETY_BACKGROUND = QColor(150, 30, 30)
CRITICAL_TEXT = QColor(230, 120, 40)


class _Node:
    __slots__ = ("children", "parent", "record", "row")

    def __init__(self, record: Record | None, parent: _Node | None, row: int) -> None:
        self.record = record
        self.parent = parent
        self.row = row
        self.children: list[_Node] = []


class ScriptTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None, 0)
        self._departments: dict[str, str] = {}

    def set_elements(self, records: list[Record], department_colors: dict[str, str]) -> None:
        self.beginResetModel()
        self._departments = department_colors
        self._root = _Node(None, None, 0)
        nodes: dict[uuid.UUID, _Node] = {}
        for record in records:
            parent_id = record.get("parent_id")
            parent = nodes.get(uuid.UUID(parent_id)) if parent_id else None
            holder = parent or self._root
            node = _Node(record, holder, len(holder.children))
            holder.children.append(node)
            nodes[uuid.UUID(str(record["id"]))] = node
        self.endResetModel()

    def _node(self, index: Index) -> _Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, _Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        holder = self._node(parent)
        if not (0 <= row < len(holder.children)) or not (0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, holder.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        holder = node.parent
        if holder is None or holder is self._root:
            return QModelIndex()
        return self.createIndex(holder.row, 0, holder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._node(index).record
        if record is None:
            return None
        kind = record["element_type"]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.FontRole and kind == "group":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == "Cue" and record["department"]:
            color = self._departments.get(record["department"])
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if record["priority"] == "safety" and kind == "cue":
                return QBrush(SAFETY_BACKGROUND)
            if kind in ("group", "note") and record.get("color"):
                tint = QColor(record["color"])
                tint.setAlpha(70)
                return QBrush(tint)
        if role == Qt.ItemDataRole.ForegroundRole:
            if record["priority"] == "safety" and kind == "cue":
                return QBrush(QColor(255, 255, 255))
            if column == "Priority" and record["priority"] == "critical":
                return QBrush(CRITICAL_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and record.get("notes"):
            return str(record["notes"])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Time", "Duration"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(record: Record, column: str) -> str:
        kind = record["element_type"]
        if column == "Time":
            return "" if kind == "group" else format_offset(int(record["offset_ms"]))
        if column == "Cue":
            return str(record["label"] or ("Note" if kind == "note" else ""))
        if column == "Name":
            return str(record["name"] or "")
        if column == "Duration":
            duration = record.get("duration_ms")
            return format_offset(int(duration)) if duration is not None else ""
        if column == "Location":
            return str(record.get("location") or "")
        if column == "Priority":
            priority = str(record["priority"])
            if kind != "cue" and priority == "normal":
                return ""
            return "⚠ SAFETY" if priority == "safety" else priority.capitalize()
        if column == "Notes":
            return str(record.get("notes") or "").replace("\n", " ")
        return ""

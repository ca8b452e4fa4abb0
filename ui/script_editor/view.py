"""The script's table: spreadsheet keys, folding, drag and drop, remembered columns.

Rows have one fixed height and columns are never sized to their contents,
so a 100,000-row script opens and scrolls like a 100-row one. Keys work as
in a spreadsheet: typing starts editing the current cell, Tab and Shift+Tab
commit and go to the next or previous editable cell, Enter commits and goes
down a row, F2 edits, Escape cancels. Ctrl+Left and Ctrl+Right fold and
unfold the current group. Column order and widths are kept in ``QSettings``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from ui.script_editor.row_drag import RowDrag
from ui.script_editor.rows import DEFAULT_WIDTHS, Col
from ui.script_editor.script_model import ScriptModel

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 28
HEADER_KEY = "script_editor/columns"
_Hint = QAbstractItemDelegate.EndEditHint
_Move = QAbstractItemView.CursorAction


class ScriptView(QTableView):
    def __init__(self, model: ScriptModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptTable")
        self.setModel(model)
        self.script_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(False)
        self.setTabKeyNavigation(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        vertical.setMinimumSectionSize(ROW_HEIGHT)
        vertical.hide()
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(40)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropOverwriteMode(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.row_drag = RowDrag(self)

    # --- dragging rows ----------------------------------------------------------------------

    def _on_fold_arrow(self, event: QMouseEvent) -> bool:
        index = self.indexAt(event.position().toPoint())
        e = self.script_model.element_at(index.row()) if index.isValid() else None
        delegate = self.itemDelegate()
        hit = getattr(delegate, "fold_arrow_hit", None)
        return (
            e is not None
            and index.column() == Col.NAME
            and callable(hit)
            and bool(hit(self.visualRect(index), e, int(event.position().x())))
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._on_fold_arrow(event) or not self.row_drag.pressed(event):
            super().mousePressEvent(event)
        else:
            self.setFocus(Qt.FocusReason.MouseFocusReason)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self.row_drag.moved(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.row_drag.press is None:
            super().mouseReleaseEvent(event)
            return
        target, click = self.row_drag.released()
        if click is not None:  # only a click on a chosen row: choose just that row
            super().mousePressEvent(click)
            super().mouseReleaseEvent(event)
            return
        handler = self.script_model.handler
        if target is not None and handler is not None:
            indexes = self.selectionModel().selectedRows()
            handler.drop_rows(self.script_model.mimeData(indexes), target.row, target.on_row)

    def paintEvent(self, event: QPaintEvent) -> None:
        begin = getattr(self.itemDelegate(), "begin", None)
        if callable(begin):
            begin()
        super().paintEvent(event)
        if not self.script_model.rowCount():
            self._paint_empty()
        if self.row_drag.active:
            painter = QPainter(self.viewport())
            self.row_drag.paint(painter)
            painter.end()

    # --- columns ------------------------------------------------------------------------

    def save_columns(self, settings: QSettings | None = None) -> None:
        (settings or QSettings()).setValue(HEADER_KEY, self.horizontalHeader().saveState())

    def restore_columns(self, settings: QSettings | None = None) -> bool:
        state: Any = (settings or QSettings()).value(HEADER_KEY)
        if isinstance(state, QByteArray | bytes) and state:
            return bool(self.horizontalHeader().restoreState(state))
        return False

    # --- selection ------------------------------------------------------------------------

    def selected_ids(self) -> list[uuid.UUID]:
        """The chosen rows, in script order (hidden rows are never chosen)."""
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        model = self.script_model
        return [i for i in (model.id_at(r) for r in rows) if i is not None]

    def current_id(self) -> uuid.UUID | None:
        current = self.currentIndex()
        return self.script_model.id_at(current.row()) if current.isValid() else None

    def select_ids(self, ids: Iterable[uuid.UUID], current: uuid.UUID | None = None) -> None:
        """Choose these rows (those shown) and put the cursor on ``current`` (or the first)."""
        model = self.script_model
        rows = sorted(r for r in (model.row_of(i) for i in ids) if r >= 0)
        selection = QItemSelection()
        last = model.columnCount() - 1
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, last))
        column = max(self.currentIndex().column(), 0)
        target = model.row_of(current) if current is not None else (rows[0] if rows else -1)
        flags = QItemSelectionModel.SelectionFlag
        if target >= 0:
            self.selectionModel().setCurrentIndex(model.index(target, column), flags.NoUpdate)
            self.scrollTo(model.index(target, column))
        self.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)

    def _paint_empty(self) -> None:
        """Say why the table is empty, and what to do about it."""
        if self.script_model.row_filter.active:
            text = "No rows match the filter.\nShow All (Ctrl+Shift+F) brings every row back."
        else:
            text = (
                "This script has no rows yet.\n"
                "Ctrl+Return adds a cue, Ctrl+Shift+Return a note, Ctrl+Alt+Return a group;\n"
                "or paste rows copied from another script or a spreadsheet (Ctrl+V)."
            )
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() + 1)
        painter.setFont(font)
        area = self.viewport().rect().adjusted(24, 40, -24, -24)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), text)
        painter.end()

    # --- keys -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        editing = self.state() == QAbstractItemView.State.EditingState
        ctrl = mods & Qt.KeyboardModifier.ControlModifier
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods:
            self._step_row(1)
            return
        if self.row_drag.active and key == Qt.Key.Key_Escape:
            self.row_drag.cancel()
            return
        if not editing and ctrl and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._fold_current(key == Qt.Key.Key_Left)
            return
        super().keyPressEvent(event)

    def _step_row(self, step: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + step, 0), self.script_model.rowCount() - 1)
        self.setCurrentIndex(self.script_model.index(row, current.column()))

    def _fold_current(self, fold: bool) -> None:
        model = self.script_model
        current = self.currentIndex()
        e = model.element_at(current.row()) if current.isValid() else None
        if e is None:
            return
        group = e.id if model.holds(e.id) else e.parent_id
        if group is None:
            return
        column = current.column()
        model.fold(group, fold)
        row = model.row_of(group) if fold else model.row_of(e.id)
        if row >= 0:
            self.setCurrentIndex(model.index(row, column))

    def next_editable(self, index: Index, step: int) -> QModelIndex:
        """The next (or previous) editable cell in visual column order, wrapping to rows."""
        model = self.script_model
        header = self.horizontalHeader()
        columns = [header.logicalIndex(v) for v in range(header.count())]
        columns = [c for c in columns if not header.isSectionHidden(c)]
        row, place = index.row(), columns.index(index.column())
        for _ in range(len(columns) * 2 + 1):
            place += step
            if place >= len(columns):
                place, row = 0, row + 1
            elif place < 0:
                place, row = len(columns) - 1, row - 1
            if not 0 <= row < model.rowCount():
                return QModelIndex()
            candidate = model.index(row, columns[place])
            if candidate.flags() & Qt.ItemFlag.ItemIsEditable:
                return candidate
        return QModelIndex()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        index = QPersistentModelIndex(self.currentIndex())
        if hint in (_Hint.EditNextItem, _Hint.EditPreviousItem):
            super().closeEditor(editor, _Hint.NoHint)
            target = self.next_editable(index, 1 if hint == _Hint.EditNextItem else -1)
            if target.isValid():
                self.setCurrentIndex(target)
                self.edit(target)
            return
        super().closeEditor(editor, _Hint.NoHint)
        if hint == _Hint.SubmitModelCache and index.isValid():
            self._step_row(1)

    def moveCursor(self, action: _Move, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (_Move.MoveNext, _Move.MovePrevious):
            current = self.currentIndex()
            if current.isValid():
                target = self.next_editable(current, 1 if action == _Move.MoveNext else -1)
                if target.isValid():
                    return target
        return super().moveCursor(action, modifiers)

    def name_column_visible(self) -> bool:
        return not self.isColumnHidden(Col.NAME)

"""Painting and inline editing of the script's cells.

One delegate paints every cell in Python with one call per cell (no
per-row widgets, no role-by-role round trips): the row's tint, the tree
(indent and fold arrow) in the name column, department chips, the hazard
band and badge of safety cues, the focus frame. Editors check what is typed
as it is typed: times with ``parse_time_input`` (offsets, or clock times
when the preference says so), cue numbers with ``normalize_cue_number``;
departments and priorities are chosen from lists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPalette, QPolygonF, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import TimeFormatError
from ui.script_editor import style
from ui.script_editor.rows import PRIORITY_WORDS, Col, DepartmentInfo, TimeOptions
from ui.script_editor.rows import parse_time_input as read_time
from ui.script_editor.script_model import ScriptModel

Index = QModelIndex | QPersistentModelIndex
INDENT = 18
ARROW = 14
PAD = 6
_TIME_CHARS = set("0123456789:.+- smhSMHapAPmM")
_CUE_CHARS = set("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ")
_V_CENTER = Qt.AlignmentFlag.AlignVCenter
_SELECTED = QStyle.StateFlag.State_Selected
_FOCUS = QStyle.StateFlag.State_HasFocus
_ACTIVE = QStyle.StateFlag.State_Active


class TimeValidator(QValidator):
    """Accepts what ``parse_time_input`` reads; half-typed times are Intermediate."""

    def __init__(self, times: Callable[[], TimeOptions], *, optional: bool = False) -> None:
        super().__init__()
        self._times = times
        self._optional = optional
        self.problem = ""

    def validate(self, text: str, pos: int) -> QValidator.State:
        if not text.strip():
            self.problem = "" if self._optional else "Type a time such as 1:02:03, 2:03 or -5:00."
            return QValidator.State.Acceptable if self._optional else QValidator.State.Intermediate
        if any(c not in _TIME_CHARS for c in text):
            return QValidator.State.Invalid
        try:
            read_time(text, self._times())
        except TimeFormatError as exc:
            self.problem = str(exc)
            return QValidator.State.Intermediate
        self.problem = ""
        return QValidator.State.Acceptable


class CueNumberValidator(QValidator):
    """Accepts cue numbers such as 12, 12.5, 12A; letters are shown in capitals."""

    def __init__(self) -> None:
        super().__init__()
        self.problem = ""

    def validate(self, text: str, pos: int) -> QValidator.State:
        if any(c not in _CUE_CHARS for c in text):
            return QValidator.State.Invalid
        try:
            normalize_cue_number(text)
        except CueNumberError as exc:
            self.problem = str(exc)
            return QValidator.State.Intermediate
        self.problem = ""
        return QValidator.State.Acceptable

    def fixup(self, text: str) -> str:
        return text.strip().upper()


class ScriptDelegate(QStyledItemDelegate):
    """Paints every cell of the script and opens the right editor for each column."""

    def __init__(
        self,
        model: ScriptModel,
        header: QHeaderView,
        departments: Callable[[], Sequence[DepartmentInfo]],
        times: Callable[[], TimeOptions],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._header = header
        self._departments = departments
        self._times = times
        self.colorize = True
        self.problem: Callable[[str], None] = lambda _text: None

    # --- painting -----------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = self._model
        e = model.element_at(index.row())
        if e is None:
            return
        column = Col(index.column())
        text = model.row_text(e)[column]
        rect = QRect(option.rect)
        state = option.state
        palette: QPalette = option.palette
        selected = bool(state & _SELECTED)
        group = QPalette.ColorGroup.Active if state & _ACTIVE else QPalette.ColorGroup.Inactive
        if selected:
            painter.fillRect(rect, palette.brush(group, QPalette.ColorRole.Highlight))
        else:
            background = style.cell_role(e, column, Qt.ItemDataRole.BackgroundRole, ())
            if background is not None:
                painter.fillRect(rect, background)
        safety = style.is_safety(e)
        if safety and self._header.visualIndex(column) == 0:
            style.paint_hazard_stripes(
                painter, QRect(rect.left(), rect.top(), style.STRIPE_WIDTH, rect.height())
            )
            rect.setLeft(rect.left() + style.STRIPE_WIDTH)
        if column is Col.NAME:
            rect = self._paint_tree(painter, rect, e, palette, group, selected)
        if column is Col.DEPARTMENT and self.colorize and e.department_id is not None:
            color = model.formatter.color(e.department_id)
            if color:
                style.paint_chip(painter, rect, text, QColor(color))
                text = ""
        elif column is Col.PRIORITY and safety:
            style.paint_safety_badge(painter, rect, text)
            text = ""
        if text:
            self._paint_text(painter, rect, e, column, text, palette, group, selected)
        if state & _FOCUS:
            painter.save()
            pen_color = palette.color(group, QPalette.ColorRole.Highlight)
            painter.setPen(pen_color.lighter(140) if selected else pen_color)
            painter.drawRect(QRect(option.rect).adjusted(0, 0, -1, -1))
            painter.restore()

    def _paint_tree(
        self,
        painter: QPainter,
        rect: QRect,
        e: ElementData,
        palette: QPalette,
        group: QPalette.ColorGroup,
        selected: bool,
    ) -> QRect:
        depth = self._model.depth(e.id)
        left = rect.left() + PAD + depth * INDENT
        if e.element_type is ElementType.GROUP:
            fold = self._model.fold_state(e)
            arrow = QRect(left, rect.center().y() - ARROW // 2, ARROW, ARROW)
            if fold != "empty":
                role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
                painter.save()
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.brush(group, role))
                c = QPointF(arrow.center())
                if fold == "folded":
                    points = [c + QPointF(-3, -5), c + QPointF(4, 0), c + QPointF(-3, 5)]
                else:
                    points = [c + QPointF(-5, -3), c + QPointF(5, -3), c + QPointF(0, 4)]
                painter.drawPolygon(QPolygonF(points))
                painter.restore()
            left += ARROW + 4
        elif depth:
            left += ARROW + 4
        return QRect(left - PAD, rect.top(), max(0, rect.right() - left + PAD), rect.height())

    def _paint_text(
        self,
        painter: QPainter,
        rect: QRect,
        e: ElementData,
        column: Col,
        text: str,
        palette: QPalette,
        group: QPalette.ColorGroup,
        selected: bool,
    ) -> None:
        painter.save()
        font = style.cell_role(e, column, Qt.ItemDataRole.FontRole, ())
        if font is not None:
            painter.setFont(font)
        if selected:
            painter.setPen(palette.color(group, QPalette.ColorRole.HighlightedText))
        else:
            brush = style.cell_role(e, column, Qt.ItemDataRole.ForegroundRole, ())
            color = (
                brush.color()
                if isinstance(brush, QBrush)
                else palette.color(group, QPalette.ColorRole.Text)
            )
            painter.setPen(color)
        inner = rect.adjusted(PAD, 0, -PAD, 0)
        shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(inner, style.cell_alignment(column), shown)
        painter.restore()

    def fold_arrow_hit(self, rect: QRect, e: ElementData, x: int) -> bool:
        """Whether a click at ``x`` in the name cell ``rect`` is on the group's fold arrow."""
        if e.element_type is not ElementType.GROUP:
            return False
        left = rect.left() + PAD + self._model.depth(e.id) * INDENT
        return left - 3 <= x <= left + ARROW + 3

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and index.column() == Col.NAME
        ):
            e = self._model.element_at(index.row())
            rect = QRect(option.rect)
            if e is not None and self.fold_arrow_hit(rect, e, int(event.position().x())):
                if self._model.holds(e.id):
                    self._model.fold(e.id, not self._model.is_folded(e.id))
                return True
        return super().editorEvent(event, model, option, index)

    # --- editing ------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = Col(index.column())
        if column is Col.DEPARTMENT:
            combo = QComboBox(parent)
            for info in sorted(self._departments(), key=lambda d: d.initials):
                combo.addItem(f"{info.initials}  {info.name}", str(info.id))
                combo.setItemData(
                    combo.count() - 1, QColor(info.color), Qt.ItemDataRole.DecorationRole
                )
            combo.activated.connect(lambda _=0, c=combo: self._commit(c))
            return combo
        if column is Col.PRIORITY:
            combo = QComboBox(parent)
            for priority in Priority:
                combo.addItem(PRIORITY_WORDS[priority].capitalize(), priority.value)
            combo.activated.connect(lambda _=0, c=combo: self._commit(c))
            return combo
        line = QLineEdit(parent)
        line.setFrame(False)
        if column in (Col.TIME, Col.DURATION):
            validator: QValidator = TimeValidator(self._times, optional=column is Col.DURATION)
            line.setValidator(validator)
            line.setAlignment(Qt.AlignmentFlag.AlignRight | _V_CENTER)
            line.setPlaceholderText("1:02:03")
            line.textEdited.connect(lambda _t, v=validator: self.problem(v.problem))
        elif column is Col.CUE:
            cue_validator = CueNumberValidator()
            line.setValidator(cue_validator)
            line.setPlaceholderText("12.5")
            line.textEdited.connect(lambda _t, v=cue_validator: self.problem(v.problem))
        else:
            line.setMaxLength({Col.NAME: 300, Col.LOCATION: 120}.get(column, 32767))
        return line

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            editor.setCurrentIndex(max(found, 0))
            if Col(index.column()) is Col.DEPARTMENT and found < 0:
                editor.setCurrentIndex(-1)
            return
        if isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            if value is None or value == index.data(Qt.ItemDataRole.EditRole):
                return
            model.setData(index, value, Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QLineEdit):
            text = editor.text()
            if text == (index.data(Qt.ItemDataRole.EditRole) or ""):
                return  # nothing typed: no edit, no undo step
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = QRect(option.rect)
        if Col(index.column()) is Col.NAME:
            e = self._model.element_at(index.row())
            if e is not None:
                indent = self._model.depth(e.id) * INDENT + (
                    ARROW + 4 if e.element_type is ElementType.GROUP else 0
                )
                rect.setLeft(rect.left() + indent)
        editor.setGeometry(rect)


def element_ids(view: QAbstractItemView, model: ScriptModel) -> list[uuid.UUID]:
    """The ids of the selected rows, in script order."""
    rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()})
    return [i for i in (model.id_at(r) for r in rows) if i is not None]

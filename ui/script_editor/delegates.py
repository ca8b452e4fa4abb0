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

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QValidator
from PySide6.QtWidgets import (
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
from callmaster_desktop.domain.enums import Priority
from callmaster_desktop.domain.timeoffset import TimeFormatError
from ui.script_editor.cell_painter import CellPainter
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


# The cell being typed in stands out, and says so in red while what is typed cannot be read.
EDITOR_STYLE = (
    "QLineEdit { border: 2px solid palette(highlight); padding: 0 3px;"
    " background: palette(base); color: palette(text); }"
    'QLineEdit[invalid="true"] { border-color: #D64534; }'
)


def _mark_validity(line: QLineEdit) -> None:
    invalid = line.validator() is not None and not line.hasAcceptableInput()
    if bool(line.property("invalid")) != invalid:
        line.setProperty("invalid", invalid)
        line.style().unpolish(line)
        line.style().polish(line)


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
        self.cells = CellPainter(model, header)
        self.problem: Callable[[str], None] = lambda _text: None

    # --- painting -----------------------------------------------------------------------

    @property
    def colorize(self) -> bool:
        return self.cells.colorize

    @colorize.setter
    def colorize(self, value: bool) -> None:
        self.cells.colorize = value

    def begin(self) -> None:
        self.cells.begin()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.cells.paint(painter, option, index.row(), index.column())

    def fold_arrow_hit(self, rect: QRect, e: ElementData, x: int) -> bool:
        return self.cells.fold_arrow_hit(rect, e, x)

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
        line.setStyleSheet(EDITOR_STYLE)
        line.textChanged.connect(lambda _t, widget=line: _mark_validity(widget))
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
                rect.setLeft(rect.left() + self.cells.name_indent(e))
        editor.setGeometry(rect)

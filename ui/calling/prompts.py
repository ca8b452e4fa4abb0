"""Quick inline prompts of the calling screen: a caller's note, a hold reason, jump to a cue.

They open inside the screen (never a blocking dialog) so the show clock and
the standbys stay in view: type, Enter to confirm. Esc is not theirs: on the
calling screen Esc is always the safety stop, which also closes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.calling.plan import CallableCue
from callmaster_desktop.domain.timeoffset import format_offset
from ui.calling.look import digits_font

__all__ = ["CueListModel", "CuePicker", "LinePrompt"]

Index = QModelIndex | QPersistentModelIndex
CUE_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(lambda _checked=False: slot())
    return button


class LinePrompt(QFrame):
    """One line of text with an optional "about" choice: Enter confirms."""

    submitted = Signal(str, object)  # text, the chosen "about" value
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prompt")
        self.title = QLabel()
        self.title.setObjectName("promptTitle")
        self.edit = QLineEdit()
        self.edit.setMaxLength(2000)
        self.edit.returnPressed.connect(self.submit)
        self.about = QComboBox()
        self.about.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.ok = _button("Save", self.submit)
        self.cancel = _button("Cancel", self.close_prompt)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.about)
        layout.addWidget(self.ok)
        layout.addWidget(self.cancel)
        self.hide()

    def ask(
        self,
        title: str,
        *,
        action: str = "Save",
        choices: Sequence[tuple[str, Any]] = (),
        text: str = "",
    ) -> None:
        self.title.setText(title)
        self.ok.setText(action)
        self.about.clear()
        for label, value in choices:
            self.about.addItem(label, value)
        self.about.setVisible(bool(choices))
        self.edit.setText(text)
        self.show()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit.selectAll()

    def submit(self) -> None:
        value = self.about.currentData() if self.about.isVisible() else None
        self.submitted.emit(self.edit.text(), value)

    def close_prompt(self) -> None:
        self.hide()
        self.closed.emit()


class CueListModel(QAbstractListModel):
    """The cues of the plan as ``LX 14  0:12:00  Description``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cues: tuple[CallableCue, ...] = ()

    def set_cues(self, cues: Sequence[CallableCue]) -> None:
        self.beginResetModel()
        self.cues = tuple(cues)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cues)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.cues):
            return None
        cue = self.cues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{cue.label:<9} {format_offset(cue.offset_ms):>8}   {cue.name}"
        if role == CUE_ROLE:
            return cue.element_id
        return None


class _PickerEdit(QLineEdit):
    """The picker's filter line: Up and Down move through the list below it."""

    moved = Signal(int)
    entered = Signal(bool)  # Enter pressed; True with Ctrl held

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moved.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            self.entered.emit(bool(ctrl))
            return
        super().keyPressEvent(event)


class CuePicker(QFrame):
    """Jump to a cue: type part of a label or description, Enter to jump.

    Ctrl+Enter jumps and marks the cues passed as skipped.
    """

    picked = Signal(object, bool)  # element id, skip the cues passed
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prompt")
        self.model = CueListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        title = QLabel("Jump to cue")
        title.setObjectName("promptTitle")
        self.edit = _PickerEdit()
        self.edit.setPlaceholderText("LX 14, or words of the description")
        self.edit.textChanged.connect(self._filter)
        self.edit.entered.connect(lambda ctrl: self.pick(skip=ctrl))
        self.edit.moved.connect(self._move)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(True)
        self.list.setFont(digits_font(15, bold=False))
        self.list.setMaximumHeight(220)
        self.list.doubleClicked.connect(lambda *_: self.pick(skip=False))
        self.jump = _button("Jump (Enter)", lambda: self.pick(skip=False))
        self.skip = _button("Skip to (Ctrl+Enter)", lambda: self.pick(skip=True))
        cancel = _button("Cancel", self.close_prompt)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.edit, 1)
        top.addWidget(self.jump)
        top.addWidget(self.skip)
        top.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.hide()

    def ask(self, cues: Sequence[CallableCue], current: int | None) -> None:
        self.model.set_cues(cues)
        self.edit.clear()
        self.show()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._select(current if current is not None else 0)

    def _filter(self, text: str) -> None:
        words = text.strip()
        self.proxy.setFilterFixedString(words)
        self._select(0)

    def _select(self, row: int) -> None:
        count = self.proxy.rowCount()
        if count == 0:
            self.list.clearSelection()
            return
        index = self.proxy.index(max(0, min(row, count - 1)), 0)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index, QListView.ScrollHint.PositionAtCenter)

    def _move(self, step: int) -> None:
        current = self.list.currentIndex()
        self._select((current.row() if current.isValid() else 0) + step)

    def chosen(self) -> uuid.UUID | None:
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        value = self.proxy.data(index, CUE_ROLE)
        return value if isinstance(value, uuid.UUID) else None

    def pick(self, *, skip: bool) -> None:
        element_id = self.chosen()
        if element_id is not None:
            self.picked.emit(element_id, skip)

    def close_prompt(self) -> None:
        self.hide()
        self.closed.emit()

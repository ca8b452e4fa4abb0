"""The filter bar above the script: text, department chips, kinds of rows and priorities.

Typing filters after a short pause (so a 100,000-row script is filtered
once, not at every key); a department chip, a kind or a priority filters at
once. A filter only changes what is shown: every edit is still saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from callmaster_desktop.domain.enums import ElementType, Priority
from ui.script_editor.filtering import RowFilter
from ui.script_editor.rows import PRIORITY_WORDS, DepartmentInfo

TYPING_PAUSE_MS = 180
Key = TypeVar("Key")


def dot_icon(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QColor(color).darker(140))
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class FilterBar(QWidget):
    filterChanged = Signal(object)  # RowFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.search = QLineEdit()
        self.search.setObjectName("filterText")
        self.search.setPlaceholderText("Filter by name, notes, location or cue (Ctrl+F)…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.apply_now)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.apply_now)
        self.chips = QHBoxLayout()
        self.chips.setSpacing(4)
        self._chips: dict[uuid.UUID, QToolButton] = {}
        self.kinds_button, self._kind_actions = self._menu_button(
            "Rows", [(k, k.value.capitalize() + "s") for k in ElementType]
        )
        self.priority_button, self._priority_actions = self._menu_button(
            "Priority", [(p, PRIORITY_WORDS[p].capitalize()) for p in Priority]
        )
        self.clear_button = QToolButton()
        self.clear_button.setText("Show All")
        self.clear_button.setToolTip("Clear every filter (Ctrl+Shift+F)")
        self.clear_button.clicked.connect(self.clear)
        self.count = QLabel()
        self.count.setObjectName("filterCount")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search, 2)
        layout.addLayout(self.chips)
        layout.addWidget(self.kinds_button)
        layout.addWidget(self.priority_button)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        layout.addWidget(self.count)
        self._last = RowFilter()
        self.setStyleSheet(
            "QToolButton#departmentChip { padding: 2px 6px; }"
            "QToolButton#departmentChip:checked { border: 2px solid palette(highlight);"
            " border-radius: 4px; font-weight: bold; }"
        )

    def _menu_button(
        self, text: str, items: Sequence[tuple[Key, str]]
    ) -> tuple[QToolButton, dict[Key, QAction]]:
        button = QToolButton()
        button.setText(text)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        actions: dict[Key, QAction] = {}
        for key, label in items:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.toggled.connect(lambda _c: self.apply_now())
            actions[key] = action
        button.setMenu(menu)
        return button, actions

    def set_departments(self, departments: Sequence[DepartmentInfo]) -> None:
        """One chip per department, in initials order; chosen chips are kept."""
        chosen = {i for i, chip in self._chips.items() if chip.isChecked()}
        for chip in self._chips.values():
            self.chips.removeWidget(chip)
            chip.deleteLater()
        self._chips.clear()
        for info in sorted(departments, key=lambda d: d.initials):
            chip = QToolButton()
            chip.setObjectName("departmentChip")
            chip.setText(info.initials)
            chip.setToolTip(f"Show only {info.name} cues")
            chip.setCheckable(True)
            chip.setChecked(info.id in chosen)
            chip.setIcon(dot_icon(info.color))
            chip.setIconSize(QSize(10, 10))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.toggled.connect(lambda _c: self.apply_now())
            self.chips.addWidget(chip)
            self._chips[info.id] = chip

    def department_chip(self, department_id: uuid.UUID) -> QToolButton:
        return self._chips[department_id]

    def kind_action(self, kind: ElementType) -> QAction:
        return self._kind_actions[kind]

    def priority_action(self, priority: Priority) -> QAction:
        return self._priority_actions[priority]

    def current(self) -> RowFilter:
        return RowFilter(
            text=self.search.text(),
            departments=frozenset(i for i, c in self._chips.items() if c.isChecked()),
            kinds=frozenset(k for k, a in self._kind_actions.items() if a.isChecked()),
            priorities=frozenset(p for p, a in self._priority_actions.items() if a.isChecked()),
        )

    def apply_now(self) -> None:
        self._timer.stop()
        spec = self.current()
        self.kinds_button.setText(_menu_title("Rows", len(spec.kinds)))
        self.priority_button.setText(_menu_title("Priority", len(spec.priorities)))
        self.clear_button.setEnabled(spec.active)
        if spec != self._last:
            self._last = spec
            self.filterChanged.emit(spec)

    def clear(self) -> None:
        widgets = [self.search, *self._chips.values()]
        actions = [*self._kind_actions.values(), *self._priority_actions.values()]
        for item in (*widgets, *actions):
            item.blockSignals(True)
        self.search.clear()
        for chip in self._chips.values():
            chip.setChecked(False)
        for action in actions:
            action.setChecked(False)
        for item in (*widgets, *actions):
            item.blockSignals(False)
        self.apply_now()

    def show_count(self, shown: int, total: int, active: bool) -> None:
        if active:
            self.count.setText(f"Showing {shown:,} of {total:,} rows")
        else:
            self.count.setText(f"{total:,} rows")


def _menu_title(text: str, chosen: int) -> str:
    return f"{text} ({chosen})" if chosen else text

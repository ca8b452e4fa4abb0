"""Side panels: the edit history (click a step to go back to it) and the bulk edit of a selection.

Neither panel changes the script: the history panel asks the editor to
revert or redo to a step (the engine's ``revert_to``/``redo``), the bulk
panel asks for one engine command over the chosen rows (set a department,
priority, colour or location; shift times).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.domain.enums import Priority
from ui.script_editor.delegates import TimeValidator
from ui.script_editor.filter_bar import dot_icon
from ui.script_editor.rows import PRIORITY_WORDS, DepartmentInfo, TimeOptions

SWATCHES = ("#C0392B", "#D9822B", "#D4B02A", "#2E9E5B", "#2F80C1", "#5D7285", "#8E5BB5", "#9A6B4F")


class HistoryPanel(QWidget):
    """What was done since the script was opened or saved; undone steps in grey below."""

    stepChosen = Signal(int)  # how many steps should be done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("historyList")
        self.list.setUniformItemSizes(True)
        self.list.itemClicked.connect(self._clicked)
        self.hint = QLabel("Click a step to go back to it; Ctrl+Z undoes, Ctrl+Shift+Z redoes.")
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(self.hint.foregroundRole())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self._done = 0

    def refresh(self, done: Sequence[str], redo: Sequence[str], start: str) -> None:
        self.list.clear()
        self._done = len(done)
        first = QListWidgetItem(start)
        first.setData(Qt.ItemDataRole.UserRole, 0)
        self.list.addItem(first)
        for number, text in enumerate(done, start=1):
            item = QListWidgetItem(f"{number}. {text}")
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.list.addItem(item)
        for offset, text in enumerate(redo, start=1):
            item = QListWidgetItem(f"{len(done) + offset}. {text}")
            item.setData(Qt.ItemDataRole.UserRole, len(done) + offset)
            item.setForeground(self.palette().placeholderText())
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
            item.setToolTip("Undone: click to redo up to here")
            self.list.addItem(item)
        current = self.list.item(self._done)
        font = QFont(current.font())
        font.setBold(True)
        current.setFont(font)
        current.setText("▶ " + current.text())
        self.list.setCurrentRow(self._done)

    def _clicked(self, item: QListWidgetItem) -> None:
        target = int(item.data(Qt.ItemDataRole.UserRole))
        if target != self._done:
            self.stepChosen.emit(target)

    def click_step(self, steps: int) -> None:
        """Click the history line for ``steps`` done steps (as a stage manager would)."""
        item = self.list.item(steps)
        self.list.setCurrentItem(item)
        self._clicked(item)


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(18, 18)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class BulkEditPanel(QWidget):
    """Change every chosen row at once: department, priority, colour, location, times."""

    fieldSet = Signal(str, object)  # field name, value (None clears)
    shiftRequested = Signal(str)

    def __init__(self, times: TimeOptions | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.department = QComboBox()
        self.department.setObjectName("bulkDepartment")
        self.set_department = QPushButton("Set")
        self.set_department.clicked.connect(self._department)
        self.priority = QComboBox()
        self.priority.setObjectName("bulkPriority")
        for p in Priority:
            icon = dot_icon("#F6C400") if p is Priority.SAFETY else QIcon()
            self.priority.addItem(icon, PRIORITY_WORDS[p].capitalize(), p.value)
        self.priority.setCurrentIndex(list(Priority).index(Priority.NORMAL))
        self.set_priority = QPushButton("Set")
        self.set_priority.clicked.connect(
            lambda: self.fieldSet.emit("priority", self.priority.currentData())
        )
        self.location = QLineEdit()
        self.location.setObjectName("bulkLocation")
        self.location.setPlaceholderText("SL, fly floor, FOH…")
        self.set_location = QPushButton("Set")
        self.set_location.clicked.connect(self._location)
        self.location.returnPressed.connect(self._location)
        self.shift = QLineEdit()
        self.shift.setObjectName("bulkShift")
        self.shift.setPlaceholderText("+0:05 or -1:30")
        self.shift.setValidator(TimeValidator(lambda: TimeOptions()))
        self.shift_button = QPushButton("Shift")
        self.shift_button.clicked.connect(self._shift)
        self.shift.returnPressed.connect(self._shift)
        swatches = QGridLayout()
        swatches.setSpacing(4)
        self.swatches: dict[str, QToolButton] = {}
        for n, color in enumerate(SWATCHES):
            button = QToolButton()
            button.setIcon(_swatch(color))
            button.setToolTip(f"Colour the rows {color}")
            button.clicked.connect(lambda _=False, c=color: self.fieldSet.emit("color", c))
            swatches.addWidget(button, 0, n)
            self.swatches[color] = button
        self.clear_color = QToolButton()
        self.clear_color.setText("None")
        self.clear_color.setToolTip("Take the colour off the rows")
        self.clear_color.clicked.connect(lambda: self.fieldSet.emit("color", None))
        swatches.addWidget(self.clear_color, 0, len(SWATCHES))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("Department", _pair(self.department, self.set_department))
        form.addRow("Priority", _pair(self.priority, self.set_priority))
        form.addRow("Colour", swatches)
        form.addRow("Location", _pair(self.location, self.set_location))
        form.addRow("Shift times", _pair(self.shift, self.shift_button))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addStretch(1)
        self.set_chosen(0)

    def _department(self) -> None:
        data = self.department.currentData()
        if data:
            self.fieldSet.emit("department_id", uuid.UUID(str(data)))

    def _location(self) -> None:
        self.fieldSet.emit("location", self.location.text().strip() or None)

    def _shift(self) -> None:
        text = self.shift.text().strip()
        if text:
            self.shiftRequested.emit(text if text[0] in "+-" else "+" + text)

    def set_departments(self, departments: Sequence[DepartmentInfo]) -> None:
        chosen = self.department.currentData()
        self.department.clear()
        for info in sorted(departments, key=lambda d: d.initials):
            self.department.addItem(
                dot_icon(info.color), f"{info.initials}  {info.name}", str(info.id)
            )
        if chosen is not None:
            self.department.setCurrentIndex(max(self.department.findData(chosen), 0))

    def choose_department(self, department_id: uuid.UUID) -> None:
        self.department.setCurrentIndex(self.department.findData(str(department_id)))

    def set_chosen(self, count: int, words: str = "") -> None:
        if count:
            self.summary.setText(
                f"<b>{words or count}</b> chosen: changes apply to all of them as one step."
            )
        else:
            self.summary.setText(
                "Choose rows in the script (Shift or Ctrl + click) to change them together."
            )
        for widget in (
            self.set_department,
            self.set_priority,
            self.set_location,
            self.shift_button,
            self.clear_color,
            *self.swatches.values(),
        ):
            widget.setEnabled(bool(count))


def _pair(field: QWidget, button: QWidget) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(button)
    return holder

"""Small field widgets the editors share: an optional date and time, a colour
button, and a list editor (a venue's equipment)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.services.validation import colour

DATE_FORMAT = "ddd d MMM yyyy  HH:mm"


class OptionalDateTime(QWidget):
    """A date and time in this computer's zone, or none (the box unticked)."""

    changed = Signal()

    def __init__(self, label: str = "Set", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_box = QCheckBox(label)
        self.edit = QDateTimeEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.edit.setEnabled(False)
        self.edit.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled_box)
        layout.addWidget(self.edit, 1)
        self.enabled_box.toggled.connect(self.edit.setEnabled)
        self.enabled_box.toggled.connect(lambda *_: self.changed.emit())
        self.edit.dateTimeChanged.connect(lambda *_: self.changed.emit())
        self.setFocusProxy(self.enabled_box)

    def value(self) -> datetime | None:
        if not self.enabled_box.isChecked():
            return None
        moment = cast(datetime, self.edit.dateTime().toPython())
        return moment.astimezone()  # local wall time, with this computer's zone

    def set_value(self, value: datetime | None) -> None:
        self.enabled_box.setChecked(value is not None)
        if value is not None:
            local = value.astimezone()
            self.edit.setDateTime(
                QDateTime(
                    QDate(local.year, local.month, local.day),
                    QTime(local.hour, local.minute, local.second),
                )
            )


class ColourButton(QWidget):
    """A colour: a swatch button that opens the colour picker, and its code."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.swatch = QPushButton()
        self.swatch.setFixedSize(44, 26)
        self.swatch.setToolTip("Choose a colour")
        self.code = QLineEdit()
        self.code.setMaxLength(7)
        self.code.setPlaceholderText("#RRGGBB")
        self.code.setFixedWidth(110)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.swatch)
        layout.addWidget(self.code)
        layout.addStretch(1)
        self.swatch.clicked.connect(self.choose)
        self.code.textChanged.connect(self._code_changed)
        self.dialog: QColorDialog | None = None
        self.setFocusProxy(self.code)

    def value(self) -> str:
        return self.code.text()

    def set_value(self, value: str) -> None:
        self.code.setText(value)

    def _code_changed(self, text: str) -> None:
        try:
            checked = colour("The department", text)
        except Exception:
            checked = None
        fill = checked or "transparent"
        self.swatch.setStyleSheet(
            f"QPushButton {{ background: {fill}; border: 1px solid #808080; border-radius: 4px; }}"
        )
        self.changed.emit()

    def choose(self) -> None:
        """Open the colour picker (not blocking: the choice arrives when accepted)."""
        start = QColor(self.code.text()) if QColor.isValidColorName(self.code.text()) else None
        self.dialog = QColorDialog(start or QColor("#808080"), self)
        self.dialog.setWindowTitle("Department colour")
        self.dialog.colorSelected.connect(lambda c: self.set_value(c.name().upper()))
        self.dialog.open()


class _ItemList(QListWidget):
    """A list that keeps the Delete key for itself (the window's Delete is for records)."""

    deletePressed = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Delete)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete):
            self.deletePressed.emit()
            return
        super().keyPressEvent(event)


class ListEditor(QWidget):
    """An editable list of short lines: type, Enter to add; Delete removes the chosen one."""

    changed = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(placeholder)
        self.entry.setClearButtonEnabled(True)
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.items = _ItemList()
        self.items.setMinimumHeight(90)
        self.items.setMaximumHeight(150)
        self.items.setWordWrap(True)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QHBoxLayout()
        top.addWidget(self.entry, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.items)
        self.entry.returnPressed.connect(self.add_entry)
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.items.deletePressed.connect(self.remove_selected)
        self.items.itemChanged.connect(lambda *_: self.changed.emit())
        self.setFocusProxy(self.entry)

    def values(self) -> tuple[str, ...]:
        return tuple(self.items.item(row).text() for row in range(self.items.count()))

    def set_values(self, values: tuple[str, ...] | list[str]) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        for value in values:
            self._append(value)
        self.items.blockSignals(False)

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.items.addItem(item)

    def add_entry(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        self._append(text)
        self.entry.clear()
        self.changed.emit()

    def remove_selected(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.takeItem(row)
            self.changed.emit()


# Combo boxes hold ids as text: Qt compares item data as variants, and a
# Python UUID object would never be found again by ``findData``.
def add_choice(
    combo: QComboBox, text: str, item_id: uuid.UUID | None, icon: QIcon | None = None
) -> None:
    data = str(item_id) if item_id is not None else None
    if icon is not None:
        combo.addItem(icon, text, data)
    else:
        combo.addItem(text, data)


def chosen_id(combo: QComboBox) -> uuid.UUID | None:
    value = combo.currentData()
    return uuid.UUID(str(value)) if value else None


def choose_id(combo: QComboBox, item_id: uuid.UUID | None) -> bool:
    """Choose the item of ``item_id`` (the first item when it is not there)."""
    index = combo.findData(str(item_id)) if item_id is not None else -1
    combo.setCurrentIndex(max(0, index))
    return index >= 0

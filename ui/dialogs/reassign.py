"""Deleting a department in use: choose where its cues and crew assignments go.

Says what uses the department (with counts) and offers the other
departments; nothing is deleted until one is chosen and confirmed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.services.departments import DepartmentListing
from ui.app import heading_font
from ui.editors.widgets import add_choice, choose_id, chosen_id


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ReassignDialog(QDialog):
    """Emits ``reassignChosen(department_id)`` when the user moves the uses and deletes."""

    reassignChosen = Signal(uuid.UUID)

    def __init__(
        self,
        parent: QWidget | None,
        department: DepartmentListing,
        others: Sequence[DepartmentListing],
    ) -> None:
        super().__init__(parent)
        self.department = department
        name = department.data.name
        self.setWindowTitle("Delete department")
        self.setMinimumWidth(480)
        heading = QLabel(f"{name} is in use")
        heading.setFont(heading_font(3))
        self.explanation = QLabel(
            f"{name} is used by {department.use.describe()}. Before it is deleted, "
            "choose the department they move to. Cue numbers keep their numbers."
        )
        self.explanation.setWordWrap(True)
        self.target = QComboBox()
        for other in others:
            add_choice(
                self.target,
                f"{other.data.name} ({other.data.initials})",
                other.id,
                swatch(other.data.color),
            )
        form = QFormLayout()
        form.addRow("Move them to", self.target)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button = QPushButton(f"Move and delete {name}")
        self.move_button.setObjectName("destructive")
        self.move_button.setStyleSheet(
            "#destructive { background: #a8321e; color: #ffffff; border: 1px solid #7a2414;"
            " border-radius: 3px; padding: 4px 12px; font-weight: 600; }"
            "#destructive:disabled { background: #8a8a8a; }"
        )
        self.buttons.addButton(self.move_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self._chosen)
        self.buttons.rejected.connect(self.reject)
        if not others:
            self.target.setEnabled(False)
            self.move_button.setEnabled(False)
            self.explanation.setText(
                self.explanation.text() + "\n\nThere is no other department yet: add one first."
            )
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def choose(self, department_id: uuid.UUID) -> None:
        choose_id(self.target, department_id)

    def _chosen(self) -> None:
        target = chosen_id(self.target)
        if target is None:
            return
        self.accept()
        self.reassignChosen.emit(target)

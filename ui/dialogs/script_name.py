"""Name a script: a new one, a renamed one, or a copy (into this or another show)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.validation import required_text
from ui.app import heading_font
from ui.editors.widgets import add_choice, choose_id, chosen_id


class ScriptNameDialog(QDialog):
    """Emits ``chosen(name, show_id)``; ``show_id`` is None unless a show list was offered."""

    chosen = Signal(str, object)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        action: str,
        name: str = "",
        *,
        shows: Sequence[tuple[uuid.UUID, str]] = (),
        show_id: uuid.UUID | None = None,
        name_optional: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.name_optional = name_optional
        heading = QLabel(title)
        heading.setFont(heading_font(3))
        self.name = QLineEdit(name)
        self.name.selectAll()
        if name_optional:
            self.name.setPlaceholderText("Leave empty for “… (copy)”")
        self.target_show = QComboBox()
        for sid, sname in shows:
            add_choice(self.target_show, sname, sid)
        choose_id(self.target_show, show_id)
        self.error = QLabel()
        self.error.setStyleSheet("color: #e0533d; font-weight: 600;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Name", self.name)
        if shows:
            form.addRow("Into show", self.target_show)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.offers_shows = bool(shows)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_accept(self) -> None:
        text = self.name.text()
        if not (self.name_optional and not text.strip()):
            try:
                text = required_text("The script", text, 200)
            except ValidationError as exc:
                self.error.setText(str(exc))
                self.error.show()
                return
        self.accept()
        self.chosen.emit(text.strip(), chosen_id(self.target_show) if self.offers_shows else None)

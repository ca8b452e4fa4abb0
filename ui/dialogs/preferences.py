"""Edit > Preferences: theme, colours, times, standby lookahead, auto-save, questions.

Stored per person in the database (``services.preferences``); a value out of
range is refused in the dialog with the model layer's own sentence, and the
dialog stays open with what was typed.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import Theme, TimeDisplay
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.services.preferences import (
    AUTOSAVE_RANGE,
    LOOKAHEAD_RANGE,
    Preferences,
    get_preferences,
    save_preferences,
)
from ui.app import heading_font


class PreferencesDialog(QDialog):
    """Emits ``preferencesSaved(Preferences)`` once they are stored."""

    preferencesSaved = Signal(object)

    def __init__(self, db: Database, person_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.person_id = db, person_id
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(480)
        heading = QLabel("Preferences")
        heading.setFont(heading_font(3))
        note = QLabel("Kept with your profile in this database, so they follow you.")
        note.setWordWrap(True)
        self.theme = QComboBox()
        for theme, text in (
            (Theme.SYSTEM, "Follow the system"),
            (Theme.LIGHT, "Light"),
            (Theme.DARK, "Dark"),
        ):
            self.theme.addItem(text, theme.value)
        self.colorize = QCheckBox("Show department names in their colours")
        self.time_display = QComboBox()
        self.time_display.addItem("Offsets from the start (0:12:30)", TimeDisplay.OFFSET.value)
        self.time_display.addItem("Clock times (19:42:30)", TimeDisplay.CLOCK.value)
        self.clock = QComboBox()
        self.clock.addItem("24 hour (19:30)", "24")
        self.clock.addItem("12 hour (7:30 PM)", "12")
        self.lookahead = QSpinBox()
        self.lookahead.setRange(1, 120)  # the check below says why 1-4 and 61+ are refused
        self.lookahead.setSuffix(" s")
        self.lookahead.setToolTip(
            f"How early a cue goes into standby: {LOOKAHEAD_RANGE[0]} to {LOOKAHEAD_RANGE[1]} s"
        )
        self.autosave = QSpinBox()
        self.autosave.setRange(0, AUTOSAVE_RANGE[1])
        self.autosave.setSingleStep(30)
        self.autosave.setSuffix(" s")
        self.autosave.setSpecialValueText("Never")
        self.confirm_deletes = QCheckBox("Ask before deleting anything")
        self.confirm_safety = QCheckBox("Ask before ending a safety stop")
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Departments", self.colorize)
        form.addRow("Show times as", self.time_display)
        form.addRow("Clock", self.clock)
        form.addRow("Standby lookahead", self.lookahead)
        form.addRow("Auto-save every", self.autosave)
        form.addRow("Confirmations", self.confirm_deletes)
        form.addRow("", self.confirm_safety)
        self.error = QLabel()
        self.error.setObjectName("preferencesError")
        self.error.setStyleSheet("color: #e0533d; font-weight: 600;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        try:
            self.set_preferences(get_preferences(db, person_id))
        except CallMasterError as exc:
            self.show_error(str(exc))

    def set_preferences(self, prefs: Preferences) -> None:
        self.theme.setCurrentIndex(self.theme.findData(Theme(prefs.theme).value))
        self.colorize.setChecked(prefs.colorize_departments)
        self.time_display.setCurrentIndex(
            self.time_display.findData(TimeDisplay(prefs.time_display).value)
        )
        self.clock.setCurrentIndex(0 if prefs.clock_24h else 1)
        self.lookahead.setValue(prefs.standby_lookahead_s)
        self.autosave.setValue(prefs.autosave_interval_s)
        self.confirm_deletes.setChecked(prefs.confirm_deletes)
        self.confirm_safety.setChecked(prefs.confirm_safety_stop)

    def preferences(self) -> Preferences:
        return Preferences(
            theme=Theme(self.theme.currentData()),
            colorize_departments=self.colorize.isChecked(),
            time_display=TimeDisplay(self.time_display.currentData()),
            clock_24h=self.clock.currentData() == "24",
            standby_lookahead_s=self.lookahead.value(),
            autosave_interval_s=self.autosave.value(),
            confirm_deletes=self.confirm_deletes.isChecked(),
            confirm_safety_stop=self.confirm_safety.isChecked(),
        )

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def save(self) -> None:
        prefs = self.preferences()
        try:
            save_preferences(self.db, self.person_id, prefs)
        except CallMasterError as exc:
            self.show_error(str(exc))
            return
        self.show_error(None)
        self.preferencesSaved.emit(prefs)
        self.accept()

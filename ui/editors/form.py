"""The shape every editor shares: a form, inline messages, Save and Cancel.

A form lays out its fields with ``add_field``; each field may carry a check
(usually one of the model layer's own validation functions, so the window
and the model layer speak the same sentences). A check runs as the field is
edited and again on Save; its message appears right under the field. Save
collects the values, calls the model layer (one transaction), and on any
error shows the sentence in the form, keeps everything typed, and tells the
window (``failed``). Cancel brings back what is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut  # Esc puts back what is stored
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError, ValidationError
from callmaster_desktop.services.changes import Changes, Kind
from ui.app import heading_font

ERROR_STYLE = "color: #e0533d; font-weight: 600;"
Check = Callable[[Any], object]


class FieldError(ValidationError):
    """A value refused by the form itself, naming the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Field:
    key: str
    widget: QWidget
    value: Callable[[], Any]
    check: Check | None
    message: QLabel
    holder: QWidget


def text_of(widget: QWidget) -> str:
    """The text a line or text box holds."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    raise TypeError(widget)


def changed_signal(widget: QWidget) -> Any:
    """The signal a widget sends when the user changes its value."""
    for name in ("textChanged", "currentIndexChanged", "toggled", "valueChanged", "changed"):
        signal = getattr(widget, name, None)
        if signal is not None:
            return signal
    raise TypeError(f"no change signal on {type(widget).__name__}")


class RecordForm(QWidget):
    """Base of the show, venue, department and crew editors."""

    saved = Signal(object)  # the Changes record
    failed = Signal(str)  # a sentence for the window's message bar
    dirtyChanged = Signal(bool)

    noun = "record"
    kind: Kind | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.owner_id: uuid.UUID | None = None
        self.record_id: uuid.UUID | None = None
        self._fields: dict[str, Field] = {}
        self._loading = False
        self._dirty = False
        self.heading = QLabel()
        self.heading.setFont(heading_font(4))
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        self.subheading.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "#formError { color: #ffffff; background: #9c3422; border-radius: 4px; padding: 6px; }"
        )
        self.error.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setVerticalSpacing(4)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Put back what is stored (Esc)")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.error)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        cancel_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        cancel_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel_key.activated.connect(self.cancel)
        self._update_buttons()

    # -- building ------------------------------------------------------------
    def add_field(
        self,
        key: str,
        label: str,
        widget: QWidget,
        value: Callable[[], Any] | None = None,
        *,
        check: Check | None = None,
        hint: str | None = None,
    ) -> QWidget:
        """Add a labelled field; ``check(value)`` raises ``ValidationError`` to refuse it."""
        widget.setObjectName(key)
        if hint:
            widget.setToolTip(hint)
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(hint)
        if isinstance(widget, QAbstractSpinBox | QComboBox):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        message = QLabel()
        message.setObjectName(f"{key}_message")
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(message)
        self.form.addRow(label, holder)
        read = value or (lambda: text_of(widget))
        self._fields[key] = Field(key, widget, read, check, message, holder)
        changed_signal(widget).connect(lambda *_: self._edited(key))
        return widget

    def add_section(self, title: str) -> None:
        label = QLabel(title)
        label.setFont(heading_font(1))
        label.setContentsMargins(0, 10, 0, 2)
        self.form.addRow(label)

    def field(self, key: str) -> QWidget:
        return self._fields[key].widget

    def set_field_visible(self, key: str, visible: bool) -> None:
        self.form.setRowVisible(self._fields[key].holder, visible)

    def focus_first(self) -> None:
        for field in self._fields.values():
            if field.widget.isEnabled():
                field.widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return

    # -- state ---------------------------------------------------------------
    def bind(self, db: Database | None, owner_id: uuid.UUID | None) -> None:
        self.db, self.owner_id = db, owner_id

    @property
    def is_new(self) -> bool:
        return self.record_id is None

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty or self.is_new)
        self.cancel_button.setEnabled(self._dirty)

    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self._check_field(self._fields[key])
        self._set_dirty(True)

    def _check_field(self, field: Field) -> bool:
        if field.check is None:
            return True
        try:
            field.check(field.value())
        except ValidationError as exc:
            self.set_field_error(field.key, str(exc))
            return False
        self.set_field_error(field.key, None)
        return True

    def set_field_error(self, key: str, message: str | None) -> None:
        label = self._fields[key].message
        label.setText(message or "")
        label.setVisible(bool(message))

    def field_error(self, key: str) -> str:
        label = self._fields[key].message
        return "" if label.isHidden() else label.text()

    def show_error(self, message: str | None) -> None:
        """The sentence at the top of the form (empty hides it)."""
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    @property
    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def clear_messages(self) -> None:
        self.show_error(None)
        for key in self._fields:
            self.set_field_error(key, None)

    # -- loading, saving -----------------------------------------------------
    def load(self, record_id: uuid.UUID | None) -> None:
        """Show a stored record (``None``: a blank form for a new one)."""
        self._loading = True
        try:
            self.record_id = record_id
            self.fill(record_id)
        finally:
            self._loading = False
        self.clear_messages()
        self._set_dirty(False)

    def fill(self, record_id: uuid.UUID | None) -> None:
        raise NotImplementedError

    def submit(self) -> Changes:
        """Write the form's values through the model layer; returns what changed."""
        raise NotImplementedError

    def save(self) -> bool:
        """Check every field, then save; on error keep the values and say why."""
        if self.db is None or self.owner_id is None:
            self.show_error("Open a database first.")
            return False
        self.show_error(None)
        first_bad: QWidget | None = None
        for field in self._fields.values():
            if not self._check_field(field) and first_bad is None:
                first_bad = field.widget
        if first_bad is not None:
            self.show_error(f"Please correct the marked fields before saving this {self.noun}.")
            first_bad.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        try:
            changes = self.submit()
        except FieldError as exc:
            self.set_field_error(exc.field, str(exc))
            self.show_error(str(exc))
            return False
        except ValidationError as exc:
            self.show_error(str(exc))
            return False
        except CallMasterError as exc:
            self.show_error(str(exc))
            self.failed.emit(str(exc))
            return False
        self.after_save(changes)
        self.saved.emit(changes)
        return True

    def after_save(self, changes: Changes) -> None:
        """Mark the form clean (a new record's id comes from ``changes``)."""
        if self.record_id is None and self.kind is not None:
            created = changes.created_ids(self.kind)
            if created:
                self.record_id = created[0]
        self.clear_messages()
        self._set_dirty(False)

    def cancel(self) -> None:
        self.load(self.record_id)

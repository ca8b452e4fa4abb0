"""The question before something is removed: what goes, with counts.

Opened window-modal with ``open()`` (never a blocking ``exec()``): the
action runs when the user presses the named button, and nothing happens on
Cancel or Esc.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui.app import heading_font


class ConfirmDialog(QDialog):
    """ "Delete X?" with what it takes along, a named action button and Cancel."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        question: str,
        action: str,
        on_yes: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        heading = QLabel(title)
        heading.setFont(heading_font(3))
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setObjectName("question")
        self.buttons = QDialogButtonBox()
        self.action_button = QPushButton(action)
        self.action_button.setObjectName("destructive")
        # Removing is red in both themes, so it is never the button pressed by habit.
        self.action_button.setStyleSheet(
            "#destructive { background: #a8321e; color: #ffffff; border: 1px solid #7a2414;"
            " border-radius: 3px; padding: 4px 12px; font-weight: 600; }"
            "#destructive:focus { border: 2px solid #f0b450; }"
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Enter must not delete by accident: Cancel is the default button.
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(self.question)
        row = QHBoxLayout()
        row.addWidget(icon, 0)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        if on_yes is not None:
            self.accepted.connect(on_yes)

    @property
    def text(self) -> str:
        return self.question.text()

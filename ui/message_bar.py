"""A bar across the top of the window that says what went wrong, in plain words."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


class MessageBar(QFrame):
    """Hidden until there is something to say; the user closes it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setStyleSheet(
            "#messageBar { background: #7a2a1a; border-radius: 4px; }"
            "#messageBar QLabel { color: #ffffff; font-weight: 600; }"
            "#messageBar QToolButton { color: #ffffff; border: none; font-size: 14pt; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()

    @property
    def message(self) -> str:
        return "" if self.isHidden() else self.label.text()

"""Questions the calling screen asks: named choices, opened window-modal with ``open()``.

Never a blocking ``exec()``: the choice runs when its button is pressed, and
Cancel (the default button, also Esc) does nothing, so a stray Enter never
ends a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.app import heading_font

__all__ = ["WORDS", "Question"]

# What the calling screen asks, by name: (title, sentence).
WORDS = {
    "resume": (
        "Resume the show?",
        "Resume only when every department has reported it is safe. "
        "The show clock runs again and GO unlocks.",
    ),
    "end": (
        "End the run?",
        "The run is recorded as complete and the show report opens. "
        "No more GOs can be given in this run.",
    ),
    "abandon": (
        "Abandon the run?",
        "The curtain has not gone up, so the run cannot be complete. "
        "It is kept as abandoned, with everything recorded so far.",
    ),
    "leave": (
        "Leave the calling screen?",
        "The run is still going. It stays recorded as it is: open the calling screen "
        "again to continue it.",
    ),
    "continue": (
        "Continue the unfinished run?",
        "This script has a run that was never ended{started}, with {calls} cue(s) recorded "
        "and {notes} caller's note(s). Continue it from where it stopped, or close it (kept "
        "as abandoned) and start a new run.{last_notes}",
    ),
    "unwritten": (
        "Leave without the last calls?",
        "The database has not taken the last {count} event(s) of this run yet ({problem}). "
        "If you leave now they are lost; everything before them is kept. The run log tries "
        "again by itself: Cancel and wait, or leave anyway.",
    ),
}


class Question(QDialog):
    """A title, a sentence, one button per choice and Cancel."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        choices: Sequence[tuple[str, Callable[[], object]]],
        *,
        cancel: str = "Cancel",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        heading = QLabel(title)
        heading.setFont(heading_font(4))
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.box = QDialogButtonBox()
        self.choices: dict[str, QPushButton] = {}
        for label, action in choices:
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, act=action: self._choose(act))
            self.box.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.choices[label] = button
        self.cancel_button = self.box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(self.box)

    def _choose(self, action: Callable[[], object]) -> None:
        self.accept()
        action()

    def choose(self, label: str) -> None:
        """Press the button of a choice (what a click does)."""
        self.choices[label].click()

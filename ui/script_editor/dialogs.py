"""The script editor's questions: unsaved edits, a conflict on save, a drop out of time order.

Each question is a ``Question``: a message box opened window-modal with
``open()`` (it never blocks in ``exec()``), whose answer is handed to a
callback as a plain word ("save", "discard", "cancel", ...). Tests answer
it by clicking its real buttons (``Question.button(word)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QPushButton, QWidget

from callmaster_desktop.domain.timeoffset import format_offset
from ui.script_editor.drop_rules import TimeConflict

Role = QMessageBox.ButtonRole


class Question(QMessageBox):
    """A question with named answers; ``on_answer(word)`` is called once it is answered."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        text: str,
        details: str,
        answers: Sequence[tuple[str, str, Role]],
        on_answer: Callable[[str], None],
        *,
        default: str,
        icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scriptEditorQuestion")
        self.setWindowTitle(title)
        self.setIcon(icon)
        self.setText(text)
        self.setInformativeText(details)
        self._words: dict[QAbstractButton, str] = {}
        self._buttons: dict[str, QPushButton] = {}
        for word, label, role in answers:
            button = self.addButton(label, role)
            self._words[button] = word
            self._buttons[word] = button
        self.setDefaultButton(self._buttons[default])
        if "cancel" in self._buttons:
            self.setEscapeButton(self._buttons["cancel"])
        self._on_answer = on_answer
        self.answer: str | None = None
        self.finished.connect(self._finished)

    def button(self, word: str) -> QPushButton:  # type: ignore[override]
        return self._buttons[word]

    @property
    def words(self) -> list[str]:
        return list(self._buttons)

    def _finished(self, _result: int) -> None:
        clicked = self.clickedButton()
        self.answer = self._words.get(clicked, "cancel") if clicked else "cancel"
        self.deleteLater()
        self._on_answer(self.answer)


def ask_unsaved(
    parent: QWidget, script_name: str, steps: Sequence[str], on_answer: Callable[[str], None]
) -> Question:
    """Save, discard or cancel, before closing or switching scripts."""
    shown = "\n".join(f"• {s}" for s in steps[-5:])
    more = f"\n… and {len(steps) - 5} earlier edit(s)" if len(steps) > 5 else ""
    n = len(steps)
    edits, them = ("edit", "it") if n == 1 else (f"{n} edits", "them")
    question = Question(
        parent,
        "Unsaved edits",
        f'Save your {edits} to "{script_name}" first?',
        f"{shown}{more}\n\nDiscarding {them} cannot be undone.",
        [
            ("save", "Save", Role.AcceptRole),
            ("discard", "Discard Edits", Role.DestructiveRole),
            ("cancel", "Cancel", Role.RejectRole),
        ],
        on_answer,
        default="save",
        icon=QMessageBox.Icon.Warning,
    )
    question.open()
    return question


def ask_conflict(parent: QWidget, message: str, on_answer: Callable[[str], None]) -> Question:
    """Someone else saved first: reload and reapply my edits, save as a copy, or cancel."""
    question = Question(
        parent,
        "Someone else saved this script",
        message,
        "Reload: their version is opened and your edits are made again on it (any that no "
        "longer fit are listed). Save as a copy: your version becomes a new script of the "
        "show and theirs stays as it is. Cancel: nothing is saved yet; your edits are kept.",
        [
            ("reload", "Reload and Reapply My Edits", Role.AcceptRole),
            ("copy", "Save as a Copy", Role.ActionRole),
            ("cancel", "Cancel", Role.RejectRole),
        ],
        on_answer,
        default="reload",
        icon=QMessageBox.Icon.Warning,
    )
    question.open()
    return question


def ask_drop_time(
    parent: QWidget, conflict: TimeConflict, on_answer: Callable[[str], None]
) -> Question:
    """Dropped out of time order: keep its time, take the neighbour's time, or cancel."""
    neighbour = f"{conflict.neighbour_label}, {format_offset(conflict.neighbour_ms)}"
    question = Question(
        parent,
        "Out of time order",
        conflict.sentence(),
        "Keep its time to call it out of order on purpose, or take the time of the row "
        f"it now follows ({neighbour}).",
        [
            ("keep", "Keep Its Time", Role.AcceptRole),
            (
                "take",
                f"Take the Neighbour's Time ({format_offset(conflict.neighbour_ms)})",
                Role.ActionRole,
            ),
            ("cancel", "Cancel", Role.RejectRole),
        ],
        on_answer,
        default="keep",
    )
    question.open()
    return question


def ask_recover(
    parent: QWidget | None, description: str, on_answer: Callable[[str], None]
) -> Question:
    """Edits left unsaved by a crash: recover them or discard them."""
    question = Question(
        parent,  # type: ignore[arg-type]
        "Unsaved edits found",
        "This script has edits that were never saved (CallMaster closed unexpectedly).",
        description,
        [
            ("recover", "Recover My Edits", Role.AcceptRole),
            ("discard", "Discard Them", Role.DestructiveRole),
        ],
        on_answer,
        default="recover",
        icon=QMessageBox.Icon.Warning,
    )
    question.open()
    return question

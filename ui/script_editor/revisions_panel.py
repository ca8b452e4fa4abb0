"""Saved revisions of the script: list them, compare two (or one with now), restore one.

Every save records a revision (who, when, what was done). Choose two and
press Compare to see what was added, removed, changed (field by field) and
moved between them; choose one and compare it with the script as it is on
screen, unsaved edits included. Restore puts an old revision back as one
undoable edit, saved like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.editing import Comparison, compare, compare_revisions, list_revisions
from callmaster_desktop.editing.revisions import Revision, RevisionSummary, load_revision
from callmaster_desktop.editing.state import ScriptInfo
from callmaster_desktop.errors import CallMasterError

Now = Callable[[], tuple[ScriptInfo, list]]  # type: ignore[type-arg]


def comparison_text(
    comparison: Comparison, initials: Callable[[uuid.UUID], str], heading: str
) -> str:
    if not comparison:
        return f"{heading}\n\nNo differences."
    counts = (
        f"{len(comparison.added)} added, {len(comparison.removed)} removed, "
        f"{len(comparison.changed)} changed, {len(comparison.moved)} moved"
    )
    return f"{heading}\n{counts}\n\n" + "\n".join(comparison.lines(initials))


class RevisionsPanel(QWidget):
    restoreRequested = Signal(object)  # Revision
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("revisionList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        self.list.itemSelectionChanged.connect(self._chosen)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Compare the two chosen revisions")
        self.compare_button.clicked.connect(self.compare_chosen)
        self.now_button = QPushButton("Compare with Now")
        self.now_button.setToolTip("Compare the chosen revision with the script on screen")
        self.now_button.clicked.connect(self.compare_with_now)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setToolTip("Put the chosen revision back (one undoable edit)")
        self.restore_button.clicked.connect(self.restore_chosen)
        self.result = QPlainTextEdit()
        self.result.setObjectName("comparison")
        self.result.setReadOnly(True)
        self.result.setPlaceholderText("Choose two revisions and press Compare.")
        buttons = QHBoxLayout()
        for button in (self.compare_button, self.now_button, self.restore_button):
            buttons.addWidget(button)
        self.hint = QLabel("Each save is a revision. Ctrl + click to choose two.")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.result, 3)
        self._db: Database | None = None
        self._owner: uuid.UUID | None = None
        self._script: uuid.UUID | None = None
        self._now: Now | None = None
        self._initials: Callable[[uuid.UUID], str] = lambda _i: ""
        self.revisions: list[RevisionSummary] = []
        self._chosen()

    def attach(
        self,
        db: Database,
        owner_id: uuid.UUID,
        script_id: uuid.UUID,
        now: Now,
        initials: Callable[[uuid.UUID], str],
    ) -> None:
        self._db, self._owner, self._script, self._now = db, owner_id, script_id, now
        self._initials = initials

    def refresh(self) -> None:
        if self._db is None or self._owner is None or self._script is None:
            return
        try:
            self.revisions = list_revisions(self._db, self._owner, self._script)
        except CallMasterError as exc:
            self.failed.emit(str(exc))
            return
        self.list.clear()
        for summary in self.revisions:
            when = summary.saved_at.astimezone().strftime("%d %b, %H:%M")
            what = summary.summary if len(summary.summary) <= 90 else summary.summary[:89] + "…"
            item = QListWidgetItem(f"Revision {summary.number} · {when} · {summary.author}\n{what}")
            item.setData(Qt.ItemDataRole.UserRole, summary.number)
            item.setToolTip("\n".join(summary.steps) or summary.summary)
            self.list.addItem(item)
        self._chosen()

    def chosen_numbers(self) -> list[int]:
        return sorted(int(i.data(Qt.ItemDataRole.UserRole)) for i in self.list.selectedItems())

    def choose(self, *numbers: int) -> None:
        self.list.clearSelection()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if int(item.data(Qt.ItemDataRole.UserRole)) in numbers:
                item.setSelected(True)

    def _chosen(self) -> None:
        n = len(self.list.selectedItems())
        self.compare_button.setEnabled(n == 2)
        self.now_button.setEnabled(n == 1)
        self.restore_button.setEnabled(n == 1)

    def _revision(self, number: int) -> Revision | None:
        assert self._db is not None and self._owner is not None and self._script is not None
        try:
            return load_revision(self._db, self._owner, self._script, number)
        except CallMasterError as exc:
            self.failed.emit(str(exc))
            return None

    def compare_chosen(self) -> None:
        numbers = self.chosen_numbers()
        if len(numbers) != 2 or self._db is None or self._owner is None or self._script is None:
            return
        older, newer = numbers
        try:
            result = compare_revisions(self._db, self._owner, self._script, older, newer)
        except CallMasterError as exc:
            self.failed.emit(str(exc))
            return
        self.result.setPlainText(
            comparison_text(result, self._initials, f"From revision {older} to {newer}")
        )

    def compare_with_now(self) -> None:
        numbers = self.chosen_numbers()
        if len(numbers) != 1 or self._now is None:
            return
        revision = self._revision(numbers[0])
        if revision is None:
            return
        info, rows = self._now()
        result = compare(revision.elements, rows, revision.info, info)
        heading = f"From revision {numbers[0]} to the script on screen"
        self.result.setPlainText(comparison_text(result, self._initials, heading))

    def restore_chosen(self) -> None:
        numbers = self.chosen_numbers()
        if len(numbers) == 1:
            revision = self._revision(numbers[0])
            if revision is not None:
                self.restoreRequested.emit(revision)

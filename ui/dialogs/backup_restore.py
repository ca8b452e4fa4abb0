"""File > Restore from Backup…, and Back Up Now.

``RestoreDialog`` lists the backups of the open database file, newest first,
with what each holds ("1 show, 2 scripts, 412 rows"); the one selected is
described in full (its shows, scripts, rows and cues). Restoring asks first,
then lets go of the database (``release``: the window closes its
``Database``, since a restore refuses while anything has the file open),
swaps the files (``db.restore``), and opens it again (``reopen``) whether
the restore worked or not. A backup file from elsewhere (a copy on a USB
stick) can be chosen too.

``back_up_now(database)`` makes a backup into the database's backups folder
and returns the sentence for the status bar; it uses no Qt, so the window
can run it in its ``TaskRunner``.

A database on a PostgreSQL server is backed up on the server: the dialog
says so and offers nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.backup import (
    BackupInfo,
    backups_folder,
    create_backup,
    database_file,
    list_backups,
    thin_backups,
)
from callmaster_desktop.db.backup_contents import BackupContents, describe_backup
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.restore import RestoreResult, restore
from callmaster_desktop.errors import CallMasterError
from ui.app import heading_font

BACKUP_FILTER = "CallMaster databases and backups (*.sqlite *.db);;All files (*)"


def back_up_now(database: Database | Path) -> str:
    """Back the database file up now (then thin old backups); the sentence saying so.

    Raises ``CallMasterError`` (a server database, a folder that cannot be
    written, a full disk) with the message to show.
    """
    path = database_file(database)
    made = create_backup(path)
    thin_backups(path)
    return f"Backed up to {made.path.name}: {describe_backup(made.path).summary()}."


def _ask(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Restore from a backup",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class RestoreDialog(QDialog):
    """The backups of one database file, what each holds, and Restore."""

    restored = Signal(object)  # the RestoreResult, after a restore went through

    def __init__(
        self,
        database: Database | Path,
        *,
        release: Callable[[], None],
        reopen: Callable[[], None],
        confirm: Callable[[str], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.release = release
        self.reopen = reopen
        self.confirm = confirm or (lambda question: _ask(self, question))
        self.setWindowTitle("Restore from a Backup")
        self.resize(820, 560)
        self.path: Path | None = None
        self.backups: list[BackupInfo] = []
        self.contents: dict[Path, BackupContents | str] = {}
        heading = QLabel("Restore from a backup")
        heading.setFont(heading_font(3))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("restoreMessage")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Made", "Why", "What it holds"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Choose a backup to see what it holds.")
        self.backup_button = QPushButton("Back Up Now")
        self.file_button = QPushButton("Choose a File…")
        self.restore_button = QPushButton("Restore…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.backup_button, self.file_button, self.restore_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.backup_button.clicked.connect(self.back_up)
        self.file_button.clicked.connect(self.choose_file)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(self._show_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.details, 2)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        try:
            self.path = database_file(database)
        except CallMasterError as exc:
            self.intro.setText(str(exc))
            for button in (self.backup_button, self.file_button, self.restore_button):
                button.setEnabled(False)
            self.table.setEnabled(False)
            return
        self.intro.setText(
            f"The backups of {self.path.name}, newest first, in {backups_folder(self.path)}. "
            "Restoring replaces the database with the backup you choose; the database as "
            "it is now is kept as a backup first."
        )
        self.refresh()

    # --- the list ----------------------------------------------------------------------

    def refresh(self) -> None:
        assert self.path is not None
        try:
            self.backups = list_backups(self.path)
        except CallMasterError as exc:
            self.say(str(exc), error=True)
            self.backups = []
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            holds = self._contents(b.path)
            summary = holds.summary() if isinstance(holds, BackupContents) else holds
            for column, value in enumerate((b.when_text, b.reason_text, summary)):
                item = QTableWidgetItem(value)
                item.setToolTip(str(b.path))
                self.table.setItem(row, column, item)
        if not self.backups:
            self.details.setPlainText(
                "There are no backups of this database yet: Back Up Now makes one."
            )
        self._show_selected()

    def _contents(self, path: Path) -> BackupContents | str:
        if path not in self.contents:
            try:
                self.contents[path] = describe_backup(path)
            except CallMasterError as exc:
                self.contents[path] = f"Cannot be read: {exc}"
        return self.contents[path]

    def selected(self) -> BackupInfo | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.backups[rows.pop()] if len(rows) == 1 else None

    def _show_selected(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None)
        if chosen is None:
            return
        holds = self._contents(chosen.path)
        lines = holds.lines() if isinstance(holds, BackupContents) else [holds]
        self.details.setPlainText("\n".join([f"{chosen.reason_text}, {chosen.when_text}.", *lines]))

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b; font-weight: 600;" if error else "")
        self.message.setText(text)

    # --- actions -----------------------------------------------------------------------

    def back_up(self) -> None:
        assert self.path is not None
        try:
            self.say(back_up_now(self.path))
        except CallMasterError as exc:
            self.say(str(exc), error=True)
        self.refresh()
        if self.backups:
            self.table.selectRow(0)

    def choose_file(self) -> None:
        assert self.path is not None
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from a backup file", str(self.path.parent), BACKUP_FILTER
        )
        if name:
            self.restore_from(Path(name))

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.restore_from(chosen.path, made=f"{chosen.reason_text.lower()}, {chosen.when_text}")

    def restore_from(self, backup: Path, *, made: str | None = None) -> RestoreResult | None:
        """Ask, let go of the database, restore, open it again; say what happened."""
        assert self.path is not None
        holds = self._contents(backup)
        if not isinstance(holds, BackupContents):
            self.say(holds, error=True)
            return None
        question = (
            f"Replace {self.path.name} with the backup {backup.name}"
            + (f" ({made})" if made else "")
            + f"?\n\nIt holds {holds.summary()}.\n\nThe database as it is now is kept "
            "as a backup, so this can be undone."
        )
        if not self.confirm(question):
            return None
        self.release()
        try:
            result = restore(backup, self.path)
        except CallMasterError as exc:
            self.say(str(exc), error=True)
            return None
        finally:
            self.reopen()
        self.contents.clear()
        self.say(f"Restored {self.path.name} from {backup.name}: {result.contents.summary()}.")
        self.refresh()
        self.restored.emit(result)
        return result

"""The main window's database side: open, create, connect, back up, restore.

Databases open in the background (``start_open``): creating, upgrading,
checking and connecting run in a worker of the window's ``TaskRunner`` while
the window keeps working; only the result is applied on the window's thread.
The open database stays open and usable until the new one has opened, and
while an open is under way the actions that open or change databases are off,
so a second open is refused.

``MainWindow`` builds the widgets this class uses (declared below) and
provides ``refresh``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QStackedWidget, QWidget

from callmaster_desktop.db.backup import backup_on_open, backups_folder
from callmaster_desktop.db.engine import Database, default_database_path, describe_url
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.services.preferences import Preferences, get_preferences
from callmaster_desktop.startup import OpenedDatabase, open_for_user
from ui.app import APPLICATION, apply_theme
from ui.background import TaskRunner
from ui.dialogs.backup_restore import RestoreDialog, back_up_now
from ui.dialogs.connect import ConnectDialog, ServerAddress, load_password
from ui.message_bar import MessageBar
from ui.settings import AppSettings

FILE_FILTER = "CallMaster databases (*.sqlite *.db);;All files (*)"
# Menu actions that stay on while a database is being opened: they neither
# open nor change a database.
STAYS_ON_WHILE_OPENING = {"quit", "find", "shortcuts", "diagnostics", "about"}


@dataclass
class _Opening:
    """What the worker hands back: the opened database and the user's preferences."""

    opened: OpenedDatabase
    preferences: Preferences


def _describe(url: str) -> str:
    try:
        return describe_url(url)
    except Exception:  # an address SQLAlchemy cannot read: the worker says what is wrong
        return "the database"


class DatabaseWindow(QMainWindow):
    """The database side of the main window (see the module's docstring)."""

    # Built by MainWindow.__init__.
    login: str | None
    settings: AppSettings
    db: Database | None
    owner_id: uuid.UUID | None
    owner_name: str
    preferences: Preferences
    opening: str | None  # the description of the database being opened
    _paused: dict[QWidget | QAction, bool]  # what was enabled before the open began
    _closed: bool
    tasks: TaskRunner
    dialog: Any
    pages: QStackedWidget
    recent_menu: QMenu | None
    menu_actions: dict[str, QAction]
    database_label: QLabel
    message_bar: MessageBar

    def refresh(self) -> None:
        raise NotImplementedError  # MainWindow's: every page read again

    def show_error(self, message: str) -> None:
        """Say what went wrong in the window itself, without blocking the work."""
        self.message_bar.show_message(message)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # -- database ----------------------------------------------------------
    def start_open(
        self,
        url: str,
        *,
        sample_on_create: bool = False,
        finished: Callable[[str | None], None] | None = None,
    ) -> bool:
        """Open (create or upgrade) a database in the background, then show what it holds.

        The work (``open_for_user`` and reading the preferences) runs in a
        worker; the result is applied on the window's thread, and only then is
        the database that was open closed. When the open fails, that database
        stays open and the error is shown in the message bar. ``finished`` is
        called afterwards with None or the error.

        One open at a time: while one is under way another is refused (False,
        and the status bar says so), not queued.
        """
        if self.opening is not None:
            self.show_status(f"Still opening {self.opening}; wait for it to finish.")
            return False
        description = _describe(url)
        login = self.login

        def work() -> _Opening:
            opened = open_for_user(url, login=login, sample_on_create=sample_on_create)
            try:
                preferences = get_preferences(opened.db, opened.profile.id)
            except CallMasterError:
                preferences = Preferences()
            return _Opening(opened, preferences)

        def done(result: _Opening) -> None:
            self._end_opening()
            self._apply_opened(url, result)
            if finished is not None:
                finished(None)

        def failed(message: str) -> None:
            self._end_opening()
            self.show_error(message)
            if finished is not None:
                finished(message)

        self._begin_opening(description)
        self.tasks.run(f"Opening {description}…", work, done, failed)
        return True

    def open_database_url(self, url: str, *, sample_on_create: bool = True) -> None:
        """Open a database like ``start_open`` and wait until it is open (tests, scripts).

        The window's events keep running while it waits. Raises
        ``CallMasterError`` when the open fails (the message bar says so too).
        """
        outcome: list[str | None] = []
        loop = QEventLoop()

        def finished(error: str | None) -> None:
            outcome.append(error)
            loop.quit()

        if not self.start_open(url, sample_on_create=sample_on_create, finished=finished):
            raise CallMasterError(f"{self.opening} is still being opened; try again after it.")
        if not outcome:
            loop.exec()
        if outcome[0] is not None:
            raise CallMasterError(outcome[0])

    def _apply_opened(self, url: str, result: _Opening) -> None:
        """On the window's thread: swap in the database that just opened."""
        opened = result.opened
        if self._closed and not self.isVisible():  # closed while the database was opening
            opened.db.dispose()
            return
        if self.db is not None:
            self.db.dispose()
        self.db = opened.db
        self.owner_id = opened.profile.id
        self.owner_name = opened.profile.full_name
        self.database_label.setText(f"{self.db.description}  ·  {self.owner_name}")
        self.setWindowTitle(f"{APPLICATION} — {self.db.description}")
        self.message_bar.hide()
        self.settings.remember_database(url)
        self.preferences = result.preferences
        apply_theme(self.preferences.theme)
        self.refresh()
        if opened.created:
            note = " with the sample show" if opened.sample_loaded else ""
            self.statusBar().showMessage(f"Created a new database{note}.", 8000)
        self._daily_backup()

    def _begin_opening(self, description: str) -> None:
        """Turn off what opens or changes a database, and the pages' editing."""
        self.opening = description
        self.statusBar().clearMessage()  # "Created a new database" was about the last one
        widgets: list[QWidget | QAction] = [self.pages]
        if self.recent_menu is not None:
            widgets.append(self.recent_menu.menuAction())
        widgets += [
            action
            for name, action in self.menu_actions.items()
            if name not in STAYS_ON_WHILE_OPENING and not name.startswith("page_")
        ]
        self._paused = {widget: widget.isEnabled() for widget in widgets}
        for widget in widgets:
            widget.setEnabled(False)

    def _end_opening(self) -> None:
        self.opening = None
        for widget, enabled in self._paused.items():
            widget.setEnabled(enabled)
        self._paused = {}

    def _open_safely(self, url: str, *, sample_on_create: bool) -> bool:
        """Open and wait; False (the message bar says why) when it fails."""
        try:
            self.open_database_url(url, sample_on_create=sample_on_create)
        except CallMasterError:
            return False
        return True

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New CallMaster database", str(self._folder() / "New show.sqlite"), FILE_FILTER
        )
        if path:
            if Path(path).exists():
                self.show_error(f"{path} already exists; choose Open to use it.")
                return
            self.start_open(path)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a CallMaster database", str(self._folder()), FILE_FILTER
        )
        if path:
            self.start_open(path)

    def connect_server(self, address: ServerAddress | None = None) -> ConnectDialog:
        if address is None and self.db is not None and not self.db.is_sqlite:
            address = ServerAddress.from_url(self.db.url)
        dialog = ConnectDialog(self, address)
        dialog.connectRequested.connect(lambda url: self.start_open(url))
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_recent(self, url: str) -> None:
        """Open a database from the recent list; a server's password comes from the keyring."""
        address = ServerAddress.from_url(url)
        if address is not None:
            password = load_password(address)
            if password is None:
                self.connect_server(address)
                return
            url = address.url(password)
        self.start_open(url)

    def back_up_now(self) -> Path | None:
        """Back the open SQLite database up into its backups folder, in the background.

        Returns the backups folder (None for a server database, which its
        administrator backs up).
        """
        db = self.db
        if db is None:
            self.show_error("Open a database first.")
            return None
        if db.path is None:
            self.show_error(
                f"{db.description} lives on a PostgreSQL server: its administrator backs it up "
                "(for example with pg_dump). To take your own copy of a show, use File › Show "
                "Packages › Export Show Package. Nothing was copied."
            )
            return None
        path = db.path
        self.tasks.run("Backing up…", lambda: back_up_now(path), self.show_status)
        return backups_folder(path)

    def restore_from_backup(self) -> RestoreDialog | None:
        """List the backups with what each holds; restore one (the file is swapped safely)."""
        db = self.db
        if db is None or db.path is None:
            self.show_error(
                "Restoring works on a local database file; a server database is restored "
                "by its administrator."
            )
            return None
        url = db.url

        def release() -> None:
            if self.db is not None:
                self.db.dispose()
                self.db = None

        def reopen() -> None:
            self.start_open(url)

        dialog = RestoreDialog(db, release=release, reopen=reopen, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _daily_backup(self) -> None:
        """At most one backup a day when a local database is opened (in the background)."""
        db = self.db
        if db is None or db.path is None:
            return
        self.tasks.run(
            "Backing up…",
            lambda: backup_on_open(db),
            None,
            lambda message: self.show_error(f"Today's backup could not be made: {message}"),
        )

    def _folder(self) -> Path:
        if self.db is not None and self.db.path is not None:
            return self.db.path.parent
        return default_database_path().parent

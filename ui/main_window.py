"""The main window: Shows, Venues, Departments and Crew, with their editors.

It holds the open database and the profile of the person at the keyboard,
and is the ``PageHost`` of every page: long operations run in its
``TaskRunner`` (a busy indicator in the status bar), questions before
deleting are its confirmation dialogs, and errors appear in its message bar
in plain words. The menus (``ui/menus.py``) reach every action by keyboard.

Opening, creating, backing up and restoring databases are its base class's
(``ui/window_database.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop import __version__
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.services.changes import Changes
from callmaster_desktop.services.preferences import Preferences
from ui.app import APPLICATION, apply_theme
from ui.background import TaskRunner
from ui.calling.launcher import attach_calling
from ui.dialogs.confirm import ConfirmDialog
from ui.dialogs.diagnostics import DiagnosticsDialog
from ui.dialogs.preferences import PreferencesDialog
from ui.dialogs.shortcuts import ShortcutsDialog
from ui.editors.crew import CrewPage
from ui.editors.department import DepartmentsPage
from ui.editors.show_page import ShowsPage
from ui.editors.venue import VenuesPage
from ui.menus import build_menus
from ui.message_bar import MessageBar
from ui.pages import ListPage
from ui.script_editor.launcher import attach_script_editor
from ui.settings import AppSettings
from ui.transfer_actions import attach_transfers
from ui.window_database import DatabaseWindow


class MainWindow(DatabaseWindow):
    """Emits ``scriptOpenRequested(script_id)`` when a script is to be opened for editing."""

    scriptOpenRequested = Signal(uuid.UUID)

    def __init__(
        self,
        *,
        login: str | None = None,
        settings: AppSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.login = login
        self.settings = settings or AppSettings()
        self.db = None
        self.owner_id = None
        self.owner_name = ""
        self.preferences = Preferences()
        self.opening = None
        self._paused = {}
        self._closed = False
        self.tasks = TaskRunner(self)
        self.dialog: Any = None  # the dialog opened last (window-modal, never blocking)
        self.setWindowTitle(APPLICATION)
        self.setMinimumSize(QSize(980, 600))
        self.resize(1400, 860)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setSpacing(2)
        self.pages = QStackedWidget()
        self.shows = ShowsPage()
        self.venues = VenuesPage()
        self.departments = DepartmentsPage()
        self.crew = CrewPage()
        self._page_list: list[ListPage] = [self.shows, self.venues, self.departments, self.crew]
        for number, page in enumerate(self._page_list, start=1):
            page.attach(self)
            item = QListWidgetItem(page.title)
            item.setToolTip(f"{page.title} (Ctrl+{number})")
            item.setSizeHint(QSize(150, 40))
            self.nav.addItem(item)
            self.pages.addWidget(page)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        self.nav.setFont(font)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.shows.scriptOpenRequested.connect(self.open_script)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 4)
        self.message_bar = MessageBar()
        outer.addWidget(self.message_bar)
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        outer.addLayout(row, 1)
        self.setCentralWidget(central)
        self.busy_label = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # moving: "working on it"
        self.busy.setFixedWidth(140)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.database_label = QLabel("No database open")
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.database_label)
        self.tasks.busyChanged.connect(self._busy_changed)
        self.tasks.failed.connect(self.show_error)
        self.recent_menu: QMenu | None = None
        self.menu_actions = build_menus(self)
        self.calling = attach_calling(self)  # Show > Call Show… (the live calling screen)
        self.script_editors = attach_script_editor(self)  # Open Script: the script editor
        self.transfers = attach_transfers(self)  # import, export, print, show packages
        self._restore_layout()

    # -- the PageHost side -------------------------------------------------
    def confirm(self, title: str, question: str, action: str, on_yes: Callable[[], object]) -> None:
        """Ask first (when the preferences say so), then ``on_yes``."""
        if not self.preferences.confirm_deletes:
            on_yes()
            return
        self.dialog = ConfirmDialog(self, title, question, action, on_yes)
        self.dialog.open()

    def apply_changes(self, changes: Changes, *, source: object = None) -> None:
        """Refresh every page that shows something the change touched."""
        if not changes:
            return
        try:
            for page in self._page_list:
                if changes.touches(*page.watches):
                    page.refresh()
        except CallMasterError as exc:
            self.show_error(str(exc))

    def _busy_changed(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setText(self.tasks.label if busy else "")

    # -- pages -------------------------------------------------------------
    def refresh(self) -> None:
        if self.db is None or self.owner_id is None:
            return
        try:
            for page in self._page_list:
                page.refresh()
        except CallMasterError as exc:
            self.show_error(str(exc))

    # -- scripts -----------------------------------------------------------
    def open_script(self, script_id: uuid.UUID) -> None:
        """Open a script: the script editor listens to ``scriptOpenRequested``.

        Until it is built, the Shows page shows the script read-only.
        """
        self.nav.setCurrentRow(0)
        self.shows.preview_script(script_id)
        self.scriptOpenRequested.emit(script_id)

    # -- pages, dialogs ----------------------------------------------------
    def current_page(self) -> ListPage:
        page = self.pages.currentWidget()
        assert isinstance(page, ListPage)
        return page

    def focus_search(self) -> None:
        page = self.current_page()
        page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        page.search.selectAll()

    def open_preferences(self) -> PreferencesDialog | None:
        if self.db is None or self.owner_id is None:
            self.show_error("Open a database first: preferences are kept in it.")
            return None
        dialog = PreferencesDialog(self.db, self.owner_id, self)
        dialog.preferencesSaved.connect(self._preferences_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _preferences_saved(self, prefs: Preferences) -> None:
        self.preferences = prefs
        apply_theme(prefs.theme)
        self.show_status("Preferences saved.")

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.menuBar(), self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_diagnostics(self) -> DiagnosticsDialog:
        dialog = DiagnosticsDialog(self.db, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About CallMaster Desktop")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>CallMaster Desktop {__version__}</h3>"
            "<p>Calling scripts for stage managers: cues, standbys, GO.</p>"
            f"<p>Database: {self.db.description if self.db else 'none'}</p>"
        )
        self.dialog = box
        box.open()

    # -- layout ------------------------------------------------------------
    def _restore_layout(self) -> None:
        self.settings.restore_window(self)
        for page in self._page_list:
            self.settings.restore_splitter(page.splitter, page.title)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True  # a database still opening is closed again when it arrives
        self.tasks.wait()
        self.settings.save_window(self)
        for page in self._page_list:
            self.settings.save_splitter(page.splitter, page.title)
        if self.db is not None:
            self.db.dispose()
            self.db = None
        super().closeEvent(event)

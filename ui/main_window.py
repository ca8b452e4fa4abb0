"""The main window: navigation for Shows, Venues, Departments and Crew."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop import __version__
from callmaster_desktop.db.engine import Database, default_database_path
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.startup import open_for_user
from ui.app import APPLICATION
from ui.message_bar import MessageBar
from ui.pages import CrewPage, DepartmentsPage, ListPage, ShowsPage, VenuesPage

FILE_FILTER = "CallMaster databases (*.sqlite *.db);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, *, login: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.login = login
        self.db: Database | None = None
        self.owner_id: uuid.UUID | None = None
        self.owner_name = ""
        self.setWindowTitle(APPLICATION)
        self.setMinimumSize(QSize(900, 560))
        self.resize(1360, 820)

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
        for page, shortcut in zip(self._page_list, ("1", "2", "3", "4"), strict=True):
            title = page.title
            item = QListWidgetItem(title)
            item.setToolTip(f"{title} (Ctrl+{shortcut})")
            item.setSizeHint(QSize(150, 38))
            self.nav.addItem(item)
            self.pages.addWidget(page)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        self.nav.setFont(font)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 8)
        self.message_bar = MessageBar()
        outer.addWidget(self.message_bar)
        layout = QHBoxLayout()
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.database_label = QLabel()
        self.statusBar().addPermanentWidget(self.database_label)
        self._build_menus()
        self._restore_layout()

    # -- menus -------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action(
            "&New Database…", self.new_database, QKeySequence.StandardKey.New
        )
        self.open_action = self._action(
            "&Open Database…", self.choose_database, QKeySequence.StandardKey.Open
        )
        self.connect_action = self._action(
            "&Connect to PostgreSQL…", self.connect_server, "Ctrl+Shift+O"
        )
        self.refresh_action = self._action(
            "&Refresh", self.refresh, QKeySequence.StandardKey.Refresh
        )
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        for action in (self.new_action, self.open_action, self.connect_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for row, _page in enumerate(self._page_list):
            title = self.nav.item(row).text()
            view_menu.addAction(
                self._action(
                    title, lambda _=False, r=row: self.nav.setCurrentRow(r), f"Ctrl+{row + 1}"
                )
            )
        view_menu.addSeparator()
        view_menu.addAction(self._action("Find", self.focus_search, QKeySequence.StandardKey.Find))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About CallMaster Desktop", self.about))

    # -- database ----------------------------------------------------------
    def open_database_url(self, url: str, *, sample_on_create: bool = True) -> None:
        """Open (create or upgrade) a database and show what it holds."""
        opened = open_for_user(url, login=self.login, sample_on_create=sample_on_create)
        if self.db is not None:
            self.db.dispose()
        self.db = opened.db
        self.owner_id = opened.profile.id
        self.owner_name = opened.profile.full_name
        self.database_label.setText(f"{self.db.description}  ·  {self.owner_name}")
        self.setWindowTitle(f"{APPLICATION} — {self.db.description}")
        self.refresh()
        if opened.created:
            note = " with the sample show" if opened.sample_loaded else ""
            self.statusBar().showMessage(f"Created a new database{note}.", 8000)

    def refresh(self) -> None:
        if self.db is None or self.owner_id is None:
            return
        try:
            for page in self._page_list:
                page.refresh(self.db, self.owner_id)
        except CallMasterError as exc:
            self.show_error(str(exc))

    def _open_safely(self, url: str, *, sample_on_create: bool) -> None:
        try:
            self.open_database_url(url, sample_on_create=sample_on_create)
        except CallMasterError as exc:
            self.show_error(str(exc))

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New CallMaster database", str(self._folder() / "New show.sqlite"), FILE_FILTER
        )
        if path:
            if Path(path).exists():
                self.show_error(f"{path} already exists; choose Open to use it.")
                return
            self._open_safely(path, sample_on_create=False)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a CallMaster database", str(self._folder()), FILE_FILTER
        )
        if path:
            self._open_safely(path, sample_on_create=False)

    def connect_server(self) -> None:
        url, ok = QInputDialog.getText(
            self,
            "Connect to PostgreSQL",
            "Server URL (postgresql://user@host:5432/database):",
            QLineEdit.EchoMode.Normal,
            "postgresql://postgres@127.0.0.1:5432/callmaster",
        )
        if ok and url.strip():
            self._open_safely(url.strip(), sample_on_create=False)

    def _folder(self) -> Path:
        if self.db is not None and self.db.path is not None:
            return self.db.path.parent
        return default_database_path().parent

    # -- misc --------------------------------------------------------------
    def focus_search(self) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, ListPage):
            page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.search.selectAll()

    def show_error(self, message: str) -> None:
        """Say what went wrong in the window itself, without blocking the work."""
        self.message_bar.show_message(message)

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About CallMaster Desktop",
            f"<h3>CallMaster Desktop {__version__}</h3>"
            "<p>Calling scripts for stage managers: cues, standbys, GO.</p>"
            f"<p>Database: {self.db.description if self.db else 'none'}</p>",
        )

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        if self.db is not None:
            self.db.dispose()
            self.db = None
        super().closeEvent(event)

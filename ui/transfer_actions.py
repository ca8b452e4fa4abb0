"""Getting scripts and shows in and out, from the main window's menus.

Show menu: Import CSV (the wizard), Export CSV, Print the calling script,
save it or every department's cue sheet as PDF. File menu: export and
import a show package. Each action asks for a file with a non-blocking
dialog, then calls one ``save_*``/``import_*`` method that tests call
directly with a path.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.formats.csv_export import export_script_csv, write_csv_file
from callmaster_desktop.formats.package import ImportMode, ShowAlreadyHereError
from callmaster_desktop.formats.package_file import export_show_file
from callmaster_desktop.formats.package_import import import_show_file
from callmaster_desktop.formats.report_data import load_script_report
from ui.dialogs.import_wizard import open_import_wizard
from ui.printing.script_pdf import ask_and_print, export_cue_sheets, write_script_pdf


class Transfers(QObject):
    """The window's import, export and print actions."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QFileDialog | None = None
        self.question: QMessageBox | None = None

    # -- what is chosen ------------------------------------------------------
    def _context(self) -> tuple[Any, uuid.UUID] | None:
        window = self.window
        if window.db is None or window.owner_id is None:
            window.show_error("Open a database first.")
            return None
        return window.db, window.owner_id

    def _script(self) -> uuid.UUID | None:
        script_id: uuid.UUID | None = self.window.shows.scripts_panel.selected_id()
        if script_id is None:
            self.window.show_error("Choose a script on a show's Scripts tab first.")
        return script_id

    def _show_name(self) -> str | None:
        record = self.window.shows.selected_record()
        if record is None:
            self.window.show_error("Choose a show first.")
            return None
        return str(record["name"])

    def _ask_file(
        self,
        title: str,
        name: str,
        pattern: str,
        then: Callable[[str], Any],
        *,
        save: bool = True,
        folder: bool = False,
    ) -> None:
        start = str(self.window._folder() / name)
        dialog = QFileDialog(self.window, title, start, pattern)
        if folder:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
        elif save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(then)
        self.dialog = dialog
        dialog.open()

    def _run(self, work: Callable[[], str]) -> bool:
        try:
            message = work()
        except CallMasterError as exc:
            self.window.show_error(str(exc))
            return False
        self.window.show_status(message)
        return True

    # -- CSV -------------------------------------------------------------------
    def import_csv(self) -> Any:
        context = self._context()
        if context is None:
            return None
        db, owner = context
        record = self.window.shows.selected_record()
        show_id = uuid.UUID(str(record["id"])) if record else None
        wizard = open_import_wizard(self.window, db, owner, show_id=show_id)
        wizard.imported.connect(lambda _result: self.window.refresh())
        return wizard

    def export_csv(self) -> None:
        if self._context() is None or (script_id := self._script()) is None:
            return
        self._ask_file(
            "Export the script as CSV",
            "script.csv",
            "CSV files (*.csv)",
            lambda path: self.save_csv(script_id, path),
        )

    def save_csv(self, script_id: uuid.UUID, path: str) -> bool:
        context = self._context()
        if context is None:
            return False
        db, owner = context

        def work() -> str:
            write_csv_file(path, export_script_csv(db, owner, script_id))
            return f"Exported the script to {path}."

        return self._run(work)

    # -- PDF and printing ------------------------------------------------------
    def print_script(self) -> None:
        context = self._context()
        if context is None or (script_id := self._script()) is None:
            return
        try:
            ask_and_print(load_script_report(*context, script_id), self.window)
        except CallMasterError as exc:
            self.window.show_error(str(exc))

    def pdf_script(self) -> None:
        if self._context() is None or (script_id := self._script()) is None:
            return
        self._ask_file(
            "Save the calling script as PDF",
            "calling script.pdf",
            "PDF files (*.pdf)",
            lambda path: self.save_pdf(script_id, path),
        )

    def save_pdf(self, script_id: uuid.UUID, path: str) -> bool:
        context = self._context()
        if context is None:
            return False

        def work() -> str:
            pages = write_script_pdf(load_script_report(*context, script_id), path)
            return f"Saved the calling script ({pages} pages) to {path}."

        return self._run(work)

    def pdf_cue_sheets(self) -> None:
        if self._context() is None or (script_id := self._script()) is None:
            return
        self._ask_file(
            "Save every department's cue sheet in a folder",
            "",
            "",
            lambda path: self.save_cue_sheets(script_id, path),
            folder=True,
        )

    def save_cue_sheets(self, script_id: uuid.UUID, folder: str) -> bool:
        context = self._context()
        if context is None:
            return False

        def work() -> str:
            written = export_cue_sheets(*context, script_id, folder)
            return f"Saved {len(written)} cue sheets in {folder}."

        return self._run(work)

    # -- show packages ---------------------------------------------------------
    def export_package(self) -> None:
        if self._context() is None or (show := self._show_name()) is None:
            return
        self._ask_file(
            "Export the show as a package",
            f"{show}.cmshow",
            "Show packages (*.cmshow *.zip)",
            lambda path: self.save_package(show, path),
        )

    def save_package(self, show_name: str, path: str) -> bool:
        context = self._context()
        if context is None:
            return False
        return self._run(
            lambda: f"Exported to {path}: {export_show_file(*context, show_name, path)}"
        )

    def import_package(self) -> None:
        if self._context() is None:
            return
        self._ask_file(
            "Import a show package",
            "",
            "Show packages (*.cmshow *.zip);;All files (*)",
            self.open_package,
            save=False,
        )

    def open_package(self, path: str, mode: ImportMode = ImportMode.NEW) -> bool:
        context = self._context()
        if context is None:
            return False
        try:
            result = import_show_file(*context, Path(path), mode)
        except ShowAlreadyHereError:
            self.ask_update_or_copy(path)
            return False
        except CallMasterError as exc:
            self.window.show_error(str(exc))
            return False
        self.window.apply_changes(result.changes)
        self.window.show_status(result.sentence)
        return True

    def ask_update_or_copy(self, path: str) -> QMessageBox:
        """The package's show is already here: update it, import a copy, or cancel."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "This show is already here",
            f"{Path(path).name} holds a show this database already has.\n\n"
            "Update it from the package (refused, with the conflicts listed, if it was "
            "changed here too), or import the package as a separate copy?",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        update = box.addButton("Update", QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton("Import as a Copy", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def chosen(button: Any) -> None:
            if button is update:
                self.open_package(path, ImportMode.UPDATE)
            elif button is copy:
                self.open_package(path, ImportMode.COPY)

        box.buttonClicked.connect(chosen)
        self.question = box
        box.open()
        return box


def _menu(window: Any, title: str) -> QMenu | None:
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == title:
            menu: QMenu | None = menu_action.menu()
            return menu
    return None


def attach_transfers(window: Any) -> Transfers:
    """Add the import, export and print actions to the window's Show and File menus."""
    transfers = Transfers(window)
    actions: dict[str, QAction] = getattr(window, "menu_actions", {})

    def add(
        menu: QMenu | None, name: str, text: str, slot: Callable[[], Any], keys: str | None = None
    ) -> None:
        action = QAction(text, window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        window.addAction(action)
        if menu is not None:
            menu.addAction(action)
        actions[name] = action

    show_menu = _menu(window, "Show")
    if show_menu is not None:
        show_menu.addSeparator()
    add(show_menu, "import_csv", "&Import CSV…", transfers.import_csv, "Ctrl+I")
    add(show_menu, "export_csv", "E&xport Script as CSV…", transfers.export_csv, "Ctrl+Shift+E")
    add(show_menu, "print_script", "Print Calling Script…", transfers.print_script, "Ctrl+Alt+P")
    add(show_menu, "pdf_script", "Save Calling Script as PDF…", transfers.pdf_script)
    add(show_menu, "pdf_cue_sheets", "Save Cue Sheets as PDF…", transfers.pdf_cue_sheets)
    file_menu = _menu(window, "File")
    package_menu = QMenu("Show &Packages", window)
    add(package_menu, "export_package", "Export Show Package…", transfers.export_package)
    add(package_menu, "import_package", "Import Show Package…", transfers.import_package)
    if file_menu is not None:
        quit_action = actions.get("quit")
        if quit_action is not None:
            file_menu.insertMenu(quit_action, package_menu)
            file_menu.insertSeparator(quit_action)
        else:
            file_menu.addMenu(package_menu)
    window.transfers = transfers
    return transfers

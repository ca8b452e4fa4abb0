"""The CSV import wizard: file, format, columns, departments, preview, import.

Each page is one step of ``callmaster_desktop.formats.csv_import``; nothing is
written until the last page, which runs ``apply_import`` (one transaction)
in a worker thread with a progress bar. The wizard opens without blocking
(``open_import_wizard``) and says ``imported(result)`` when the new script
is in the database, so the window can refresh.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QWidget, QWizard

from callmaster_desktop.db.engine import Database
from callmaster_desktop.formats.csv_departments import owner_departments
from callmaster_desktop.formats.csv_mapping import read_remembered
from ui.dialogs.import_wizard_departments import DepartmentsPage
from ui.dialogs.import_wizard_pages import ColumnsPage, FilePage, FormatPage, ImportState
from ui.dialogs.import_wizard_run import ImportPage, PreviewPage


class ImportWizard(QWizard):
    """Import a spreadsheet as a new script of one of the stage manager's shows."""

    imported = Signal(object)  # ImportResult

    def __init__(
        self,
        db: Database,
        owner_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        show_id: uuid.UUID | None = None,
        path: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        with db.reading() as session:
            departments = owner_departments(session, owner_id)
            remembered = read_remembered(session, owner_id)
        self.state = ImportState(db, owner_id, departments, remembered, show_id=show_id)
        self.setWindowTitle("Import a cue list from a spreadsheet")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(QSize(860, 600))
        self.resize(980, 680)
        self.file_page = FilePage(self.state)
        self.format_page = FormatPage(self.state)
        self.columns_page = ColumnsPage(self.state)
        self.departments_page = DepartmentsPage(self.state)
        self.preview_page = PreviewPage(self.state)
        self.import_page = ImportPage(self.state)
        for page in (
            self.file_page,
            self.format_page,
            self.columns_page,
            self.departments_page,
            self.preview_page,
            self.import_page,
        ):
            self.addPage(page)
        self.import_page.done.connect(self.imported.emit)
        if path is not None:
            self.file_page.path_edit.setText(str(path))

    def reject(self) -> None:
        if self.import_page.running:
            return  # the import finishes (or fails) as one transaction; it cannot stop half way
        super().reject()


def open_import_wizard(
    parent: QWidget | None, db: Database, owner_id: uuid.UUID, *, show_id: uuid.UUID | None = None
) -> ImportWizard:
    """Open the wizard without blocking the window; connect to ``imported`` to refresh."""
    wizard = ImportWizard(db, owner_id, parent, show_id=show_id)
    wizard.open()
    return wizard

"""The last two pages of the CSV import wizard: the preview, and the import itself.

The preview lists every problem (row, column, reason) and lets the import go
ahead only when there is none. The import runs ``apply_import`` (one
transaction) on a worker thread with its own session, and shows its progress.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QProgressBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from callmaster_desktop.domain.cuenumber import cue_label
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.formats.csv_import import (
    ImportPreview,
    ImportResult,
    apply_import,
    build_preview,
)
from callmaster_desktop.formats.csv_preview import Problem
from ui.dialogs.import_wizard_pages import ImportState, error_label, explained

Index = QModelIndex | QPersistentModelIndex
SAMPLE_ROWS = 40
SAMPLE_COLUMNS = ["Time", "Type", "Cue", "Name"]


# --- 5. preview ------------------------------------------------------------------------------


class ProblemsModel(QAbstractTableModel):
    """Every problem the preview found: row, column, reason."""

    HEADERS = ("Row", "Column", "Problem")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self.problems = list(problems)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.problems):
            return None
        problem = self.problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            reason = problem.reason[:1].upper() + problem.reason[1:]
            values = (str(problem.row) if problem.row else "file", problem.column, reason)
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PreviewPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Check before importing")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.headline = QLabel()
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.summary = explained(QLabel())
        self.notes = explained(QLabel())
        self.model = ProblemsModel(self)
        self.problems = QTableView()
        self.problems.setModel(self.model)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setAlternatingRowColors(True)
        self.problems.setWordWrap(False)
        self.problems.verticalHeader().setDefaultSectionSize(26)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.problems.setColumnWidth(0, 60)
        self.problems.setColumnWidth(1, 140)
        self.sample = QTableWidget(0, len(SAMPLE_COLUMNS))
        self.sample.setHorizontalHeaderLabels(SAMPLE_COLUMNS)
        self.sample.verticalHeader().setVisible(False)
        self.sample.setAlternatingRowColors(True)
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.sample.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((90, 90, 90, 340)):
            self.sample.setColumnWidth(column, width)
        self.sample_title = QLabel("<b>The first rows, as they will be imported</b>")
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.summary, self.notes):
            layout.addWidget(widget)
        layout.addWidget(self.problems, 10)
        layout.addWidget(self.sample_title)
        layout.addWidget(self.sample, 10)

    def initializePage(self) -> None:
        state = self.state
        assert state.table is not None
        preview = build_preview(state.table, state.columns, state.choices)
        state.preview = preview
        self.model.set_problems(preview.problems)
        self.problems.setVisible(bool(preview.problems))
        self.sample.setVisible(preview.ok)
        self.sample_title.setVisible(preview.ok)
        if preview.ok:
            self._show_sample(preview)
        self.summary.setText(preview.summary if preview.ok else f"Read so far: {preview.summary}")
        shown = preview.notes[:6]
        more = f"<br>… and {len(preview.notes) - 6} more." if len(preview.notes) > 6 else ""
        self.notes.setText("<br>".join(f"• {n}" for n in shown) + more)
        if preview.ok:
            self.headline.setText(f'Ready to import {len(preview.elements)} rows as "'
                                  f'{state.script_name}".')  # fmt: skip
            self.setSubTitle("Nothing has been written yet. Import writes every row, or none.")
        else:
            count = len(preview.problems)
            self.headline.setText(
                f"{count} problem{'s' if count != 1 else ''} to put right before importing."
            )
            self.setSubTitle(
                "Correct them in the spreadsheet (or go back and change the choices), then "
                "try again. Nothing has been written."
            )
        self.completeChanged.emit()

    def _show_sample(self, preview: ImportPreview) -> None:
        labels = {c.department.id: c.department.initials
                  for c in preview.department_choices.values() if c.department}  # fmt: skip
        depth: dict[uuid.UUID, int] = {}
        shown = preview.elements[:SAMPLE_ROWS]
        self.sample.setRowCount(len(shown))
        for r, e in enumerate(shown):
            depth[e.id] = depth[e.parent_id] + 1 if e.parent_id in depth else 0
            label = cue_label(labels.get(e.department_id) if e.department_id else None,
                              e.cue_number)  # fmt: skip
            time = "" if e.element_type is ElementType.GROUP else format_offset(e.offset_ms)
            cells = (time, e.element_type.value.capitalize(), label,
                     "    " * depth[e.id] + e.name)  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if e.element_type is ElementType.GROUP:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if c == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.sample.setItem(r, c, item)

    def isComplete(self) -> bool:
        return self.state.preview is not None and self.state.preview.ok


# --- 6. import -------------------------------------------------------------------------------


class ImportWorker(QObject):
    """Runs the import on its own thread (its own session); reports progress."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state

    def run(self) -> None:
        state = self.state
        assert state.preview is not None and state.show_id is not None
        try:
            result = apply_import(
                state.db,
                state.owner_id,
                state.show_id,
                state.script_name,
                state.preview,
                source_name=state.path.name if state.path else "a CSV file",
                progress=lambda done, total, what: self.progress.emit(done, total, what),
            )
        except CallMasterError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # said in words; the transaction has rolled back
            self.failed.emit(
                f"Something went wrong inside CallMaster; nothing was written. ({exc})"
            )
        else:
            self.finished.emit(result)


class ImportPage(QWizardPage):
    done = Signal(object)  # ImportResult

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Importing")
        self.bar = QProgressBar()
        self.bar.setMinimumHeight(26)
        self.status = explained(QLabel())
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.running = False
        self.worker_thread: QThread | None = None
        self.worker: ImportWorker | None = None
        self.steps: list[tuple[int, int, str]] = []

    def initializePage(self) -> None:
        self.error.clear()
        self.state.result = None
        total = len(self.state.preview.elements) if self.state.preview else 0
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)
        self.status.setText(f"Importing {total} rows…")
        self.setSubTitle("One transaction: every row is written, or none.")
        self.running = True
        self.worker_thread = QThread(self)
        self.worker = ImportWorker(self.state)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker_thread.start()

    def _progress(self, done: int, total: int, what: str) -> None:
        self.steps.append((done, total, what))
        if what.startswith("Writing"):
            self.bar.setRange(0, 0)  # one statement batch: busy until it is written
        else:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)
        self.status.setText(f"{what}…")

    def _stop(self) -> None:
        self.running = False
        if self.worker_thread is not None:
            self.worker_thread.quit()
            self.worker_thread.wait()
            self.worker_thread = None
        self.worker = None

    def _finished(self, result: ImportResult) -> None:
        self._stop()
        self.state.result = result
        self.bar.setRange(0, max(result.rows, 1))
        self.bar.setValue(max(result.rows, 1))
        made = "".join(
            f"<br>Created the department {d.name} ({d.initials})."
            for d in result.created_departments
        )
        self.status.setText(
            f'<b>Imported {result.rows} rows into "{result.script_name}".</b>{made}'
        )
        self.setSubTitle("Done. The new script is in the show's list of scripts.")
        self.completeChanged.emit()
        self.done.emit(result)

    def _failed(self, message: str) -> None:
        self._stop()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText("The import did not happen.")
        self.error.setText(f"{message} Close the wizard to start again.")
        self.setSubTitle("Nothing was written.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.state.result is not None

    def cleanupPage(self) -> None:
        if self.running:
            return
        super().cleanupPage()

"""The first pages of the CSV import wizard: file, format, columns, departments.

Pages share an ``ImportState``; a page fills in what its step finds when the
stage manager moves on, and a later page reads it. Nothing touches the
database until ``ImportPage`` (``import_wizard_run``), which runs the import
in a worker thread.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.formats.csv_departments import (
    DepartmentChoice,
)
from callmaster_desktop.formats.csv_detect import (
    DELIMITER_NAMES,
    ENCODING_NAMES,
    CsvTable,
    read_table,
)
from callmaster_desktop.formats.csv_import import (
    ImportPreview,
    ImportResult,
)
from callmaster_desktop.formats.csv_mapping import (
    FIELD_LABELS,
    DepartmentRef,
    Field,
    RememberedChoices,
    guess_columns,
)
from callmaster_desktop.services.shows import list_shows

Index = QModelIndex | QPersistentModelIndex
SAMPLE_ROWS = 12
SAMPLE_SCAN = 500
LEAVE_OUT = "Leave out"
CHOOSE = "Choose a department…"
FILE_FILTER = "Spreadsheets (*.csv *.tsv *.txt);;All files (*)"
HINT = (
    "<p><b>What the file should look like</b></p>"
    "<p>The first row names the columns; each row after it is a cue, a note or a group "
    "(an act or scene). CallMaster recognises the usual column names: <i>Time, Type, Cue #, "
    "Department, Name, Description, Group, Priority, Location, Duration, Colour</i> "
    "(and many others, such as <i>Offset, Q, Dept, Title, Notes, Section, Importance, "
    "Where</i>); the next steps let you correct it.</p>"
    "<p>Times as you type them in the editor: <i>1:02:03</i>, <i>2:03</i>, <i>-5:00</i> "
    "before the show, <i>90s</i>. A group path such as <i>Act 1/Scene 2</i> puts rows in "
    "nested groups. Cues without numbers are numbered per department in time order.</p>"
    "<p>In Excel: <i>File › Save As › CSV UTF-8</i>. Semicolons and tabs work too.</p>"
)


@dataclass
class ImportState:
    """What the steps have found and chosen so far."""

    db: Database
    owner_id: uuid.UUID
    departments: list[DepartmentRef]
    remembered: RememberedChoices
    path: Path | None = None
    data: bytes = b""
    show_id: uuid.UUID | None = None
    script_name: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    table: CsvTable | None = None
    columns: list[Field | None] = field(default_factory=list)
    choices: dict[str, DepartmentChoice] = field(default_factory=dict)
    preview: ImportPreview | None = None
    result: ImportResult | None = None


def explained(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #d9534f; font-weight: 600;")
    return label


def new_table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(30)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the combo boxes in it take the focus
    return table


# --- 1. the file and where it goes ---------------------------------------------------------


class FilePage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle(
            "A cue list saved as CSV (comma, semicolon or tab separated). It becomes a new "
            "script of the show you choose; nothing is written until the last step."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("The .csv file")
        self.path_edit.setClearButtonEnabled(True)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.show_choice = QComboBox()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("The new script's name")
        self.error = error_label()
        hint = explained(QLabel(HINT))
        hint.setObjectName("importHint")
        hint.setTextFormat(Qt.TextFormat.RichText)
        form = QFormLayout()
        form.addRow("File:", row)
        form.addRow("Into the show:", self.show_choice)
        form.addRow("New script:", self.name_edit)
        form.addRow(self.error)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self._path_changed)
        self.name_edit.textChanged.connect(self.completeChanged)
        self.show_choice.currentIndexChanged.connect(self.completeChanged)
        self._suggested = ""
        for show in list_shows(state.db, state.owner_id):
            self.show_choice.addItem(show.name, show.id)
            if show.id == state.show_id:
                self.show_choice.setCurrentIndex(self.show_choice.count() - 1)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a spreadsheet", "", FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def _path_changed(self, text: str) -> None:
        stem = Path(text.strip()).stem
        if not self.name_edit.text() or self.name_edit.text() == self._suggested:
            self.name_edit.setText(stem)
        self._suggested = stem
        self.error.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(
            self.path_edit.text().strip()
            and self.name_edit.text().strip()
            and self.show_choice.currentData() is not None
        )

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip()).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.error.setText(f"{path} cannot be read: {exc.strerror or exc}.")
            return False
        try:
            read_table(data)
        except CallMasterError as exc:
            self.error.setText(str(exc))
            return False
        self.state.path, self.state.data = path, data
        self.state.encoding = self.state.delimiter = None
        self.state.show_id = self.show_choice.currentData()
        self.state.script_name = self.name_edit.text().strip()
        return True


# --- 2. how the file is written --------------------------------------------------------------


class FormatPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("How the file is written")
        self.setSubTitle(
            "CallMaster has read the file's encoding and separator. If the preview below "
            "looks wrong (odd letters, everything in one column), choose another."
        )
        self.encoding = QComboBox()
        for code, name in ENCODING_NAMES.items():
            self.encoding.addItem(name, code)
        self.delimiter = QComboBox()
        for code, name in DELIMITER_NAMES.items():
            self.delimiter.addItem(name, code)
        self.summary = explained(QLabel())
        self.error = error_label()
        self.sample = new_table([])
        form = QFormLayout()
        form.addRow("Encoding:", self.encoding)
        form.addRow("Separator:", self.delimiter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.sample, 1)
        self.encoding.currentIndexChanged.connect(self._reread)
        self.delimiter.currentIndexChanged.connect(self._reread)

    def initializePage(self) -> None:
        table = read_table(self.state.data)
        for combo, value in ((self.encoding, table.encoding), (self.delimiter, table.delimiter)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(value))
            combo.blockSignals(False)
        self._show(table)

    def _reread(self) -> None:
        try:
            table = read_table(
                self.state.data,
                encoding=self.encoding.currentData(),
                delimiter=self.delimiter.currentData(),
            )
        except CallMasterError as exc:
            self.state.table = None
            self.error.setText(str(exc))
            self.sample.setRowCount(0)
            self.completeChanged.emit()
            return
        self._show(table)

    def _show(self, table: CsvTable) -> None:
        self.error.clear()
        self.state.table = table
        self.state.encoding, self.state.delimiter = table.encoding, table.delimiter
        skipped = []
        if table.blank_rows:
            skipped.append(f"{table.blank_rows} blank")
        if table.repeated_headers:
            skipped.append(f"{len(table.repeated_headers)} repeated header")
        more = f"; {' and '.join(skipped)} row(s) left out" if skipped else ""
        self.summary.setText(
            f"<b>{len(table.rows)} rows</b> under {len(table.headers)} columns; the header "
            f"is row {table.header_row}{more}."
        )
        self.sample.clear()
        self.sample.setColumnCount(len(table.headers))
        self.sample.setHorizontalHeaderLabels(table.headers)
        shown = table.rows[:SAMPLE_ROWS]
        self.sample.setRowCount(len(shown))
        for r, (_, cells) in enumerate(shown):
            for c in range(len(table.headers)):
                text = cells[c] if c < len(cells) else ""
                self.sample.setItem(r, c, QTableWidgetItem(text.replace("\n", " ⏎ ")))
        self.sample.setVerticalHeaderLabels([str(n) for n, _ in shown])
        self.sample.resizeColumnsToContents()
        for c in range(self.sample.columnCount()):
            self.sample.setColumnWidth(c, min(self.sample.columnWidth(c) + 16, 260))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.state.table is not None


# --- 3. which column is which ----------------------------------------------------------------


class ColumnsPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Which column is which")
        self.setSubTitle(
            "Each column of the file, with its first values, and what it will be imported "
            "as. Correct any that CallMaster guessed wrong; your choices are remembered."
        )
        self.table = new_table(["Column in the file", "First values", "Import as"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(2, 210)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.warning = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        table = self.state.table
        assert table is not None
        guessed = guess_columns(table.headers, self.state.remembered.columns)
        self.table.setRowCount(len(table.headers))
        self.combos = []
        for row, header in enumerate(table.headers):
            self.table.setItem(row, 0, QTableWidgetItem(header or f"(column {row + 1})"))
            values = [
                cells[row].replace("\n", " ")
                for _, cells in table.rows[:SAMPLE_SCAN]
                if row < len(cells) and cells[row].strip()
            ][:6]
            sample = " · ".join(values)
            self.table.setItem(row, 1, QTableWidgetItem(sample))
            combo = QComboBox()
            combo.addItem(LEAVE_OUT, None)
            for f, label in FIELD_LABELS.items():
                combo.addItem(label, f)
            combo.setCurrentIndex(max(0, combo.findData(guessed[row])))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        self._changed()

    def columns(self) -> list[Field | None]:
        # Qt hands the item data back as plain text: make it a Field again.
        return [None if c.currentData() is None else Field(c.currentData()) for c in self.combos]

    def _changed(self) -> None:
        dim = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        text = self.palette().color(QPalette.ColorRole.Text)
        for row, chosen_field in enumerate(self.columns()):  # left out reads as left out
            for column in (0, 1):
                item = self.table.item(row, column)
                if item is not None:
                    item.setForeground(dim if chosen_field is None else text)
        chosen = [c for c in self.columns() if c is not None]
        twice = sorted({FIELD_LABELS[c] for c in chosen if chosen.count(c) > 1})
        if twice:
            self.warning.setText(
                f"{', '.join(twice)} is chosen for more than one column: choose it once."
            )
        elif not {Field.NAME, Field.NOTES, Field.CUE_NUMBER} & set(chosen):
            self.warning.setText("Choose the column that holds the names or descriptions.")
        else:
            self.warning.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.warning.text()

    def validatePage(self) -> bool:
        self.state.columns = self.columns()
        return True

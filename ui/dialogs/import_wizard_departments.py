"""The departments step of the CSV import wizard.

Each department name the file uses gets a row: what it was matched to (by
name, initials, a usual name, a near spelling, or what was chosen last time),
a choice among the stage manager's departments, or a new department to
create (its name and initials editable). The choices are remembered after
the import.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from callmaster_desktop.formats.csv_departments import (
    NEW_DEPARTMENT_COLOURS,
    MatchHow,
    suggest_departments,
    suggest_new_department,
)
from callmaster_desktop.formats.csv_mapping import DepartmentRef
from ui.dialogs.import_wizard_pages import ImportState, error_label, explained, new_table

CHOOSE = "Choose a department…"


# --- 4. departments --------------------------------------------------------------------------


class DepartmentsPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Departments")
        self.setSubTitle(
            "The departments the file names, and which of yours each one is. A name that "
            "is not one of yours can be created as a new department."
        )
        self.table = new_table(["In the file", "Rows", "Use", "Name", "Initials", "Matched"])
        for column, width in enumerate((150, 56, 240, 170, 80)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.empty = explained(QLabel("The file names no departments."))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        self.rows: list[tuple[str, QComboBox, QLineEdit, QLineEdit]] = []
        self.suggested: dict[str, tuple[str, str]] = {}

    def initializePage(self) -> None:
        state = self.state
        assert state.table is not None
        choices = suggest_departments(
            state.table, state.columns, state.departments, state.remembered.departments
        )
        self.table.setRowCount(len(choices))
        self.empty.setVisible(not choices)
        self.table.setVisible(bool(choices))
        self.rows = []
        for row, (k, choice) in enumerate(choices.items()):
            self.table.setItem(row, 0, QTableWidgetItem(choice.text))
            count = QTableWidgetItem(str(choice.rows))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, count)
            new = suggest_new_department(choice.text, state.departments, row)
            combo = QComboBox()
            combo.addItem(CHOOSE, None)
            for d in state.departments:
                combo.addItem(f"{d.name} ({d.initials})", d.id)
            combo.addItem(f"New department: {new.name} ({new.initials})", "new")
            name, initials = QLineEdit(), QLineEdit()
            self.suggested[k] = (new.name, new.initials)
            initials.setMaxLength(5)
            found = choice.department.id if choice.department else None
            combo.setCurrentIndex(max(0, combo.findData(found)))
            self.table.setCellWidget(row, 2, combo)
            self.table.setCellWidget(row, 3, name)
            self.table.setCellWidget(row, 4, initials)
            how = QTableWidgetItem(choice.match.explanation)
            if choice.match.how in (MatchHow.NEAR, MatchHow.NONE):
                bold = QFont()
                bold.setBold(True)
                how.setFont(bold)
            self.table.setItem(row, 5, how)
            self.rows.append((k, combo, name, initials))
            combo.currentIndexChanged.connect(self._changed)
            name.textChanged.connect(self.completeChanged)
            initials.textChanged.connect(self.completeChanged)
        state.choices = dict(choices)
        self._changed()

    def _changed(self) -> None:
        self.error.clear()
        for k, combo, name, initials in self.rows:
            creating = combo.currentData() == "new"
            for edit, suggested in zip((name, initials), self.suggested[k], strict=True):
                edit.setEnabled(creating)
                if creating and not edit.text():
                    edit.setText(suggested)
                elif not creating:
                    edit.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        for _, combo, name, initials in self.rows:
            if combo.currentData() is None:
                return False
            if combo.currentData() == "new" and not (
                name.text().strip() and initials.text().strip()
            ):
                return False
        return True

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        by_id = {d.id: d for d in self.state.departments}
        names = {d.name.casefold(): d for d in self.state.departments}
        short = {d.initials.casefold(): d for d in self.state.departments}
        made: dict[tuple[str, str], DepartmentRef] = {}
        for k, combo, name, initials in self.rows:
            choice = self.state.choices[k]
            if combo.currentData() == "new":
                wanted = (name.text().strip(), initials.text().strip().upper())
                clash = names.get(wanted[0].casefold()) or short.get(wanted[1].casefold())
                if clash is not None:
                    self.error.setText(
                        f"You already have {clash.name} ({clash.initials}): choose it for "
                        f'"{choice.text}", or give the new department another name and initials.'
                    )
                    return False
                if not wanted[1].isalnum():
                    self.error.setText("Initials are 1 to 5 letters or digits, such as LX.")
                    return False
                if wanted not in made:
                    made[wanted] = DepartmentRef(uuid.uuid4(), *wanted, _colour(len(made)))
                self.state.choices[k] = choice.creating(made[wanted])
            else:
                self.state.choices[k] = choice.using(by_id[combo.currentData()])
        return True


def _colour(index: int) -> str:
    return NEW_DEPARTMENT_COLOURS[index % len(NEW_DEPARTMENT_COLOURS)]

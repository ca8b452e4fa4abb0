"""The navigation pages: Shows, Venues, Departments and Crew.

Each page is a searchable, sortable list over a ``RecordTableModel``. The
Shows page also shows the selected show's details and its calling script.
Pages read through ``callmaster_desktop.listing``; they never hold a
session: each refresh opens one, reads, and closes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.listing import list_elements_of, list_items
from ui.app import heading_font
from ui.models.records import Column, RecordTableModel, SearchProxy, field_column
from ui.models.script_tree import ScriptTreeModel

Record = dict[str, Any]


def _date(key: str) -> Callable[[Record], str]:
    """A stored UTC time shown in this computer's time zone: "Fri 12 Mar 2027, 19:30"."""

    def text(record: Record) -> str:
        value = record.get(key)
        if not value:
            return ""
        when = datetime.fromisoformat(str(value)).astimezone()
        return when.strftime("%a %d %b %Y, %H:%M")

    return text


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _name(record: Record) -> str:
    name = f"{record.get('first_name', '')} {record.get('last_name', '')}".strip()
    return name if record.get("is_guest", True) else f"{name} (you)"


class ListPage(QWidget):
    """A heading, a search box and a sortable table of one kind of record."""

    def __init__(
        self,
        title: str,
        kind: str,
        columns: list[Column],
        nouns: tuple[str, str],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.title = title
        self.nouns = nouns
        self.model = RecordTableModel(columns, self)
        self.proxy = SearchProxy(self)
        self.proxy.setSourceModel(self.model)
        heading = QLabel(title)
        heading.setFont(heading_font())
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.count = QLabel()
        self.count.setForegroundRole(self.count.foregroundRole())
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.search)
        self.body = QHBoxLayout()
        self.body.addWidget(self.table, 3)
        layout.addLayout(self.body, 1)

    def refresh(self, db: Database, owner_id: uuid.UUID) -> None:
        with db.reading() as session:
            records = list_items(session, owner_id, self.kind)
        self.model.set_records(records)
        self.count.setText(_plural(len(records), *self.nouns))
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column) + 24, 360))

    def selected_record(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record_at(self.proxy.mapToSource(rows[0]).row())


class VenuesPage(ListPage):
    def __init__(self, parent: Any = None) -> None:
        columns = [
            field_column("Venue", "name"),
            field_column("City", "city"),
            field_column("Type", "venue_type"),
            field_column("Seats", "capacity", align_right=True),
            field_column("Contact", "contact_name"),
            field_column("Phone", "contact_phone"),
            field_column("Email", "contact_email"),
        ]
        super().__init__("Venues", "venues", columns, ("venue", "venues"), parent)


class DepartmentsPage(ListPage):
    def __init__(self, parent: Any = None) -> None:
        columns = [
            Column("Department", lambda r: str(r["name"]), color=lambda r: r.get("color")),
            field_column("Initials", "initials"),
            field_column("Colour", "color"),
            field_column("Description", "description"),
        ]
        super().__init__(
            "Departments", "departments", columns, ("department", "departments"), parent
        )


class CrewPage(ListPage):
    def __init__(self, parent: Any = None) -> None:
        columns = [
            Column("Name", _name, lambda r: (r.get("last_name") or "").lower()),
            field_column("Role", "production_role"),
            field_column("Phone", "phone"),
            field_column("Email", "email"),
            field_column("Notes", "notes"),
        ]
        super().__init__("Crew", "people", columns, ("person", "people"), parent)


class ShowsPage(ListPage):
    """Shows, and the selected show's details and calling script (read-only)."""

    def __init__(self, parent: Any = None) -> None:
        columns = [
            field_column("Show", "name"),
            field_column("Venue", "venue"),
            Column("Opens", _date("first_performance"), lambda r: r.get("first_performance") or ""),
        ]
        super().__init__("Shows", "shows", columns, ("show", "shows"), parent)
        self._db: Database | None = None
        self._owner: uuid.UUID | None = None
        self._scripts: list[Record] = []
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(12, 0, 0, 0)
        self.show_title = QLabel("Choose a show")
        self.show_title.setFont(heading_font(6))
        form = QFormLayout()
        self.venue = QLabel()
        self.dates = QLabel()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        form.addRow("Venue:", self.venue)
        form.addRow("Performances:", self.dates)
        form.addRow("Notes:", self.notes)
        self.script_choice = QComboBox()
        self.script_choice.currentIndexChanged.connect(self._show_script)
        self.script_summary = QLabel()
        form.addRow("Script:", self.script_choice)
        self.tree_model = ScriptTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((130, 80, 240, 70, 80, 90)):
            header.resizeSection(column, width)
        details.addWidget(self.show_title)
        details.addLayout(form)
        details.addWidget(self.script_summary)
        details.addWidget(self.tree, 1)
        self.body.removeWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 900])
        self.body.addWidget(splitter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def refresh(self, db: Database, owner_id: uuid.UUID) -> None:
        self._db, self._owner = db, owner_id
        super().refresh(db, owner_id)
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        elif not self.proxy.rowCount():
            self._show_record(None)

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_record(self.selected_record())

    def _show_record(self, record: Record | None) -> None:
        self.script_choice.blockSignals(True)
        self.script_choice.clear()
        self.script_choice.blockSignals(False)
        self.tree_model.set_elements([], {})
        if record is None or self._db is None or self._owner is None:
            self.show_title.setText("No show yet" if record is None else "")
            for label in (self.venue, self.dates, self.notes, self.script_summary):
                label.clear()
            return
        self.show_title.setText(str(record["name"]))
        self.venue.setText(str(record.get("venue") or "No venue"))
        opens, closes = _date("first_performance")(record), _date("end")(record)
        self.dates.setText(f"{opens} – {closes}" if opens or closes else "Not scheduled")
        self.notes.setText(str(record.get("notes") or ""))
        with self._db.reading() as session:
            self._scripts = list_items(session, self._owner, "scripts", show=str(record["name"]))
        for script in self._scripts:
            self.script_choice.addItem(f"{script['name']} ({script['status']})")
        if self._scripts:
            self.script_choice.setCurrentIndex(0)
            self._show_script(0)

    def _show_script(self, position: int) -> None:
        if self._db is None or not (0 <= position < len(self._scripts)):
            return
        script_id = uuid.UUID(str(self._scripts[position]["id"]))
        with self._db.reading() as session:
            elements, colors = list_elements_of(session, script_id)
        self.tree_model.set_elements(elements, colors)
        self.tree.expandAll()
        cues = sum(1 for e in elements if e["element_type"] == "cue")
        self.script_summary.setText(f"{len(elements)} rows · {cues} cues")

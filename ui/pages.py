"""The shape of a navigation page: a searchable, sortable list beside its editor.

Each page (Shows, Venues, Departments, Crew; see ``ui/editors``) shows one
kind of record in a ``RecordTableModel`` (ids and a row cache) behind a
``SearchProxy``, with New and Delete, and the chosen record in its form on
the right. Pages read through the model layer's services; they never hold a
session. They act through their ``PageHost`` (the main window): it knows the
open database, runs long operations in the background, asks before deleting
and shows errors in words.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.services.changes import Changes, Kind
from callmaster_desktop.services.preferences import Preferences
from ui.app import heading_font
from ui.background import TaskRunner
from ui.editors.form import RecordForm
from ui.models.records import Column, RecordTableModel, SearchProxy

Record = dict[str, Any]


class PageHost(Protocol):
    """What a page needs from the window around it."""

    db: Database | None
    owner_id: uuid.UUID | None
    tasks: TaskRunner
    preferences: Preferences

    dialog: Any

    def show_error(self, message: str) -> None: ...

    def show_status(self, message: str) -> None: ...

    def confirm(
        self, title: str, question: str, action: str, on_yes: Callable[[], object]
    ) -> None: ...

    def apply_changes(self, changes: Changes, *, source: object = None) -> None: ...


def when_text(value: datetime | None) -> str:
    """A stored time in this computer's zone: "Fri 12 Mar 2027, 19:30"."""
    if value is None:
        return ""
    return value.astimezone().strftime("%a %d %b %Y, %H:%M")


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def tool_button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


class ListPage(QWidget):
    """A heading, a search box, a sortable table, New / Delete, and the editor."""

    kinds: tuple[Kind, ...] = ()  # the page's own records
    watches: tuple[Kind, ...] = ()  # what, when changed anywhere, makes it read again

    def __init__(
        self,
        title: str,
        columns: list[Column],
        nouns: tuple[str, str],
        form: RecordForm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.nouns = nouns
        self.host: PageHost | None = None
        self.form = form
        self.model = RecordTableModel(columns, self)
        self.proxy = SearchProxy(self)
        self.proxy.setSourceModel(self.model)
        heading = QLabel(title)
        heading.setFont(heading_font())
        self.count = QLabel()
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.new_button = tool_button(
            f"New {nouns[0]}", f"Add a {nouns[0]} (Ctrl+N)", self.new_record
        )
        self.delete_button = tool_button(
            "Delete…", f"Delete the chosen {nouns[0]} (Delete)", self.delete_selected
        )
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        # The stretched last column is never narrower than this: the fit below counts on it.
        self.table.horizontalHeader().setDefaultSectionSize(70)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.count)
        self.actions_row = actions = QHBoxLayout()
        actions.addWidget(self.search, 1)
        actions.addWidget(self.new_button)
        actions.addWidget(self.delete_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.table, 1)
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail_widget())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 560])
        self.table.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self._selecting = False
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.form.saved.connect(self._on_saved)
        self.form.failed.connect(self._report)

    def detail_widget(self) -> QWidget:
        """What stands right of the list (the form; the Shows page adds tabs)."""
        return self.form

    # -- reading -------------------------------------------------------------
    def attach(self, host: PageHost) -> None:
        self.host = host

    def read_records(self, db: Database, owner_id: uuid.UUID) -> Sequence[Record]:
        raise NotImplementedError

    def refresh(self) -> None:
        """Read the list again and keep the chosen record chosen."""
        host = self.host
        if host is None or host.db is None or host.owner_id is None:
            return
        self.form.bind(host.db, host.owner_id)
        chosen = self.selected_id() or self.form.record_id
        records = list(self.read_records(host.db, host.owner_id))
        self._selecting = True
        try:
            self.model.set_records(records)
        finally:
            self._selecting = False
        self.count.setText(plural(len(records), *self.nouns))
        self._fit_columns()
        if chosen is not None and self.model.row_of(chosen) >= 0:
            self.select_id(chosen)
        elif self.form.dirty and self.form.is_new:
            pass  # a new record being typed stays in the form
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        else:
            self.form.load(None)

    def _fit_columns(self) -> None:
        """Size the columns to what is on screen, then fit them in the width there is.

        ``sizeHintForColumn`` looks at the visible rows only, so this stays cheap
        for long lists; columns that would not fit give up room (their text is
        elided with "…") instead of pushing the table into a sideways scroll.
        """
        header = self.table.horizontalHeader()
        count = self.model.columnCount()
        wanted = []
        for column in range(count):
            hint = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            wanted.append(min(hint + 16, 280))
        room = self.table.viewport().width() - 2
        if not self.table.isVisible():
            return  # sized when it is shown
        if sum(wanted) > room > 0:
            spare = max(room - sum(min(w, 70) for w in wanted), 0)
            extra = [max(w - 70, 0) for w in wanted]
            scale = spare / sum(extra) if sum(extra) else 0.0
            wanted = [min(w, 70) + int(e * scale) for w, e in zip(wanted, extra, strict=True)]
        for column, width in enumerate(wanted):  # the last one then stretches to fill
            header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Fit the columns whenever the list's visible width changes (first show included).
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_columns()
        return super().eventFilter(watched, event)

    # -- choosing ------------------------------------------------------------
    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(Qt.ItemDataRole.UserRole + 1)
        return uuid.UUID(str(value)) if value else None

    def selected_record(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record_at(self.proxy.mapToSource(rows[0]).row())

    def select_id(self, record_id: uuid.UUID) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden by the search: show everything again
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self._selecting:
            return
        chosen = self.selected_id()
        if self.form.dirty and chosen != self.form.record_id:
            # Nothing typed is lost: go back to the record being edited.
            self._selecting = True
            try:
                if self.form.record_id is not None:
                    self.select_id(self.form.record_id)
                else:
                    self.table.selectionModel().clearSelection()
            finally:
                self._selecting = False
            self.form.show_error(f"Save or cancel your changes to this {self.nouns[0]} first.")
            return
        if chosen is not None:
            self.form.load(chosen)
            self.record_chosen(chosen)

    def record_chosen(self, record_id: uuid.UUID) -> None:
        """Hook for pages that show more than the form."""

    # -- acting --------------------------------------------------------------
    def new_record(self) -> None:
        if self.form.dirty:
            self.form.show_error(f"Save or cancel your changes to this {self.nouns[0]} first.")
            return
        self._selecting = True
        try:
            self.table.selectionModel().clearSelection()
        finally:
            self._selecting = False
        self.form.load(None)
        self.form.focus_first()

    def delete_selected(self) -> None:
        raise NotImplementedError

    def deleted(self, changes: Changes, status: str) -> None:
        """After a delete: empty the form if its record went, refresh, say so."""
        if any(self.form.record_id in changes.deleted_ids(kind) for kind in self.kinds):
            self.form.record_id = None
            self.form.load(None)
        if self.host is not None:
            self.host.apply_changes(changes, source=self)
            self.host.show_status(status)

    def _on_saved(self, changes: Changes) -> None:
        if self.host is not None:
            self.host.apply_changes(changes, source=self)
        created = [ref.id for ref in changes.created if ref.kind in self.kinds]
        if created:
            self.select_id(created[0])

    def _report(self, message: str) -> None:
        if self.host is not None:
            self.host.show_error(message)

    def index_of(self, record_id: uuid.UUID) -> QModelIndex:
        row = self.model.row_of(record_id)
        return self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()

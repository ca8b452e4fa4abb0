"""An opened show's scripts: create, duplicate (into this or another show),
rename, delete, and open in the script editor; the chosen one previewed
read-only below the list."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.listing import list_elements_of
from callmaster_desktop.services import scripts, shows
from callmaster_desktop.services.changes import Changes, Kind, Ref
from callmaster_desktop.services.shows import ShowScript
from ui.dialogs.script_name import ScriptNameDialog
from ui.models.records import ID_ROLE, Column, RecordTableModel, field_column
from ui.models.script_tree import ScriptTreeModel
from ui.pages import PageHost, Record, tool_button, when_text


class ScriptsPanel(QWidget):
    openRequested = Signal(uuid.UUID)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host: PageHost | None = None
        self.show_id: uuid.UUID | None = None
        self.scripts: dict[uuid.UUID, ShowScript] = {}
        columns = [
            field_column("Script", "name"),
            field_column("Status", "status"),
            Column(
                "Planned start",
                lambda r: when_text(r["start_time"]),
                lambda r: r["start_time"].isoformat() if r["start_time"] else "",
            ),
            field_column("Version", "version", align_right=True),
        ]
        self.model = RecordTableModel(columns, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows only
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(lambda *_: self.open_selected())
        self.new_button = tool_button("New script…", "Add an empty script", self.new_script)
        self.duplicate_button = tool_button(
            "Duplicate…", "Copy the script into this or another show (Ctrl+D)", self.duplicate
        )
        self.rename_button = tool_button("Rename…", "Rename the script (F2)", self.rename)
        self.delete_button = tool_button("Delete…", "Delete the script", self.delete)
        self.open_button = tool_button(
            "Open", "Open in the script editor (Ctrl+E)", self.open_selected
        )
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.duplicate_button,
            self.rename_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        self.summary = QLabel()
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
        for column, width in enumerate((110, 80, 240, 70, 80, 90)):
            header.resizeSection(column, width)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.addWidget(self.summary)
        bottom_layout.addWidget(self.tree, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([180, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._update_buttons()

    # -- reading -------------------------------------------------------------
    def load(self, show_id: uuid.UUID | None, *, select: uuid.UUID | None = None) -> None:
        host = self.host
        self.show_id = show_id
        records: list[Record] = []
        self.scripts = {}
        if show_id is not None and host is not None and host.db and host.owner_id:
            listing = shows.get_show(host.db, host.owner_id, show_id)
            self.scripts = {s.id: s for s in listing.scripts}
            records = [
                {
                    "id": s.id,
                    "name": s.name,
                    "status": s.status.value.capitalize(),
                    "start_time": s.start_time,
                    "version": s.version,
                }
                for s in listing.scripts
            ]
        before = self.selected_id()
        self.model.set_records(records)
        row = self.model.row_of(select) if select else -1
        if row < 0 and before is not None:
            row = self.model.row_of(before)
        if records:
            self.table.selectRow(max(row, 0))
        else:
            self.preview(None)
        self._update_buttons()

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return uuid.UUID(str(rows[0].data(ID_ROLE))) if rows else None

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.preview(self.selected_id())
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.new_button.setEnabled(self.show_id is not None)
        for button in (
            self.duplicate_button,
            self.rename_button,
            self.delete_button,
            self.open_button,
        ):
            button.setEnabled(chosen)

    def preview(self, script_id: uuid.UUID | None) -> None:
        host = self.host
        if script_id is None or host is None or host.db is None:
            self.tree_model.set_elements([], {})
            self.summary.setText("")
            return
        with host.db.reading() as session:
            elements, colors = list_elements_of(session, script_id)
        self.tree_model.set_elements(elements, colors)
        self.tree.expandAll()
        cues = sum(1 for e in elements if e["element_type"] == "cue")
        self.summary.setText(f"{len(elements)} rows · {cues} cues")

    # -- acting --------------------------------------------------------------
    def _act(self, work: Callable[[], Changes], done: str) -> None:
        host = self.host
        if host is None:
            return
        try:
            changes = work()
        except CallMasterError as exc:
            host.show_error(str(exc))
            return
        self._changed(changes, done)

    def _changed(self, changes: Changes, done: str) -> None:
        if self.host is None:
            return
        created = changes.created_ids(Kind.SCRIPT)
        self.host.apply_changes(changes, source=self)
        self.load(self.show_id, select=created[0] if created else None)
        self.host.show_status(done)

    def _open(self, dialog: Any) -> None:
        if self.host is not None:
            self.host.dialog = dialog
        dialog.open()

    def new_script(self) -> None:
        host, show_id = self.host, self.show_id
        if host is None or host.db is None or host.owner_id is None or show_id is None:
            return
        db, owner = host.db, host.owner_id
        dialog = ScriptNameDialog(self, "New script", "Create", "Working Script")
        dialog.chosen.connect(
            lambda name, _: self._act(
                lambda: scripts.create_script(db, owner, show_id, name),
                f'Created the script "{name}".',
            )
        )
        self._open(dialog)

    def duplicate(self) -> None:
        host, script_id = self.host, self.selected_id()
        if host is None or host.db is None or host.owner_id is None or script_id is None:
            return
        db, owner = host.db, host.owner_id
        try:
            all_shows = [(s.id, s.name) for s in shows.list_shows(db, owner)]
        except CallMasterError as exc:
            host.show_error(str(exc))
            return
        source = self.scripts[script_id]

        def copy(name: str, show_id: uuid.UUID | None) -> None:
            host.tasks.run(
                f'Copying "{source.name}"…',
                lambda: scripts.duplicate_script(
                    db, owner, script_id, to_show_id=show_id, name=name or None
                ),
                lambda changes: self._copied(changes, source.name, show_id),
            )

        dialog = ScriptNameDialog(
            self,
            "Duplicate script",
            "Duplicate",
            "",
            shows=all_shows,
            show_id=self.show_id,
            name_optional=True,
        )
        dialog.chosen.connect(copy)
        self._open(dialog)

    def _copied(self, changes: Changes, name: str, show_id: uuid.UUID | None) -> None:
        where = "" if show_id in (None, self.show_id) else " into the other show"
        self._changed(changes, f'Copied "{name}"{where}.')

    def rename(self) -> None:
        host, script_id = self.host, self.selected_id()
        if host is None or host.db is None or host.owner_id is None or script_id is None:
            return
        db, owner, script = host.db, host.owner_id, self.scripts[script_id]

        def rename_to(name: str) -> Changes:
            scripts.rename_script(db, owner, script_id, script.version, name)
            return Changes(updated=(Ref(Kind.SCRIPT, script_id),))

        dialog = ScriptNameDialog(self, "Rename script", "Rename", script.name)
        dialog.chosen.connect(
            lambda name, _: self._act(lambda: rename_to(name), f'Renamed to "{name}".')
        )
        self._open(dialog)

    def delete(self) -> None:
        host, script_id = self.host, self.selected_id()
        if host is None or host.db is None or host.owner_id is None or script_id is None:
            return
        db, owner, script = host.db, host.owner_id, self.scripts[script_id]
        try:
            summary = scripts.script_deletion_summary(db, owner, script_id)
        except CallMasterError as exc:
            host.show_error(str(exc))
            return
        host.confirm(
            "Delete script",
            f'Delete the script "{script.name}"? {summary.sentence}',
            "Delete script",
            lambda: host.tasks.run(
                f'Deleting "{script.name}"…',
                lambda: scripts.delete_script(db, owner, script_id),
                lambda changes: self._changed(changes, f'Deleted the script "{script.name}".'),
            ),
        )

    def open_selected(self) -> None:
        script_id = self.selected_id()
        if script_id is not None:
            self.openRequested.emit(script_id)

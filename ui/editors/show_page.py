"""The Shows page: my shows, and the chosen one's details, scripts and crew.

Deleting a show first counts what it takes along (scripts, cues, crew
assignments, performance records) and runs in the background, so even a
large show leaves the window responsive.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.services import shows
from callmaster_desktop.services.changes import Changes, Kind
from ui.editors.assignments import AssignmentsPanel
from ui.editors.scripts_panel import ScriptsPanel
from ui.editors.show import ShowForm
from ui.models.records import Column, field_column
from ui.pages import ListPage, PageHost, Record, when_text


def _opens_sort(record: Record) -> str:
    when = record.get("first_performance")
    return when.isoformat() if when else "~"


class ShowsPage(ListPage):
    kinds = (Kind.SHOW,)
    watches = (
        Kind.SHOW,
        Kind.VENUE,
        Kind.SCRIPT,
        Kind.CREW_ASSIGNMENT,
        Kind.DEPARTMENT,
        Kind.PERSON,
        Kind.CREW_RELATIONSHIP,
    )
    scriptOpenRequested = Signal(uuid.UUID)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.tabs = QTabWidget()
        self.scripts_panel = ScriptsPanel()
        self.crew_panel = AssignmentsPanel()
        columns = [
            field_column("Show", "name"),
            field_column("Venue", "venue"),
            Column("Opens", lambda r: when_text(r.get("first_performance")), _opens_sort),
            field_column("Scripts", "scripts", align_right=True),
        ]
        self.show_form = ShowForm()
        super().__init__("Shows", columns, ("show", "shows"), self.show_form, parent)
        self.tabs.addTab(self.form, "Details")
        self.tabs.addTab(self.scripts_panel, "Scripts")
        self.tabs.addTab(self.crew_panel, "Crew")
        self.splitter.setSizes([520, 760])
        self.scripts_panel.openRequested.connect(self.scriptOpenRequested)

    def detail_widget(self) -> QWidget:
        return self.tabs

    # Keep the old names working for the script hook and tests.
    @property
    def tree_model(self):  # type: ignore[no-untyped-def]
        return self.scripts_panel.tree_model

    def attach(self, host: PageHost) -> None:
        super().attach(host)
        self.scripts_panel.host = host
        self.crew_panel.host = host

    def read_records(self, db: Database, owner_id: uuid.UUID) -> Sequence[Record]:
        return [
            {
                "id": s.id,
                "name": s.name,
                "venue": s.venue_name or "",
                "first_performance": s.data.first_performance,
                "scripts": len(s.scripts),
            }
            for s in shows.list_shows(db, owner_id)
        ]

    def refresh(self) -> None:
        super().refresh()
        show_id = self.form.record_id
        self._load_panels(show_id)

    def record_chosen(self, record_id: uuid.UUID) -> None:
        self._load_panels(record_id)

    def _load_panels(self, show_id: uuid.UUID | None) -> None:
        name = self.show_form.listing.name if self.show_form.listing is not None else ""
        try:
            if show_id != self.scripts_panel.show_id or show_id is None:
                self.scripts_panel.load(show_id)
            self.crew_panel.load(show_id, name)
        except CallMasterError as exc:
            if self.host is not None:
                self.host.show_error(str(exc))
        for index in (1, 2):
            self.tabs.setTabEnabled(index, show_id is not None)

    def new_record(self) -> None:
        super().new_record()
        self.tabs.setCurrentIndex(0)
        self._load_panels(None)
        self.form.focus_first()

    def preview_script(self, script_id: uuid.UUID) -> None:
        """Show a script read-only (until the script editor takes over)."""
        self.tabs.setCurrentWidget(self.scripts_panel)
        self.scripts_panel.preview(script_id)

    def delete_selected(self) -> None:
        host, show_id = self.host, self.selected_id()
        if host is None or host.db is None or host.owner_id is None or show_id is None:
            return
        db, owner = host.db, host.owner_id
        try:
            summary = shows.show_deletion_summary(db, owner, show_id)
        except CallMasterError as exc:
            host.show_error(str(exc))
            return

        def delete() -> None:
            host.tasks.run(
                f'Deleting "{summary.show_name}"…',
                lambda: shows.delete_show(db, owner, show_id),
                lambda changes: self._deleted(changes, summary.show_name),
            )

        host.confirm("Delete show", summary.question, "Delete show", delete)

    def _deleted(self, changes: Changes, name: str) -> None:
        self.deleted(changes, f'Deleted "{name}" and everything in it.')

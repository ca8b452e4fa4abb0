"""The script editor window: the screen a stage manager lives in during tech week.

One window per script. The table shows the script as the engine holds it
(``callmaster_desktop.editing.EditSession``); every change is an engine
command run through ``run``, so undo, redo, the history list and the
one-transaction save are the engine's. The window adds what a person at a
keyboard needs: fast entry, spreadsheet keys, clipboard, drag and drop,
filters, a dirty marker in the title, auto-save at the preference's
interval, and questions (unsaved edits, a conflict on save, a drop out of
time order) that never block.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing import EditSession
from callmaster_desktop.editing.base import Command
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.listing import list_items
from callmaster_desktop.services.preferences import Preferences
from callmaster_desktop.services.shows import get_show
from ui.calling.editing_lock import EDITING_LOCKED, LOCK_MESSAGES, active_runs
from ui.calling.registry import is_run_active
from ui.message_bar import MessageBar
from ui.script_editor import actions, saving
from ui.script_editor.commands import Commands
from ui.script_editor.delegates import ScriptDelegate
from ui.script_editor.dialogs import Question
from ui.script_editor.filter_bar import FilterBar
from ui.script_editor.filtering import RowFilter
from ui.script_editor.info_panel import ScriptInfoPanel
from ui.script_editor.panels import BulkEditPanel, HistoryPanel
from ui.script_editor.revisions_panel import RevisionsPanel
from ui.script_editor.row_editing import RowEditing
from ui.script_editor.rows import DepartmentInfo, RowFormatter, TimeOptions
from ui.script_editor.script_model import ScriptModel
from ui.script_editor.view import ScriptView

FOLDED_KEY = "script_editor/folded/{}"
GEOMETRY_KEY = "script_editor/geometry"
SPLITTER_KEY = "script_editor/splitter"
COUNTS_PAUSE_MS = 250


def owner_departments(db: Database, owner_id: uuid.UUID) -> dict[uuid.UUID, DepartmentInfo]:
    """The stage manager's departments: names, initials and colours (no use counts needed)."""
    with db.reading() as session:
        records = list_items(session, owner_id, "departments")
    found = {}
    for r in records:
        department_id = uuid.UUID(str(r["id"]))
        found[department_id] = DepartmentInfo(
            department_id, str(r["name"]), str(r["initials"]), str(r["color"] or "#808080")
        )
    return found


class ScriptEditor(saving.Saving, Commands, RowEditing, QMainWindow):
    """Edit one script; ``closed`` is emitted with the script's id when the window goes."""

    closed = Signal(object)
    scriptSwitchRequested = Signal(object)

    def __init__(
        self,
        db: Database,
        session: EditSession,
        *,
        preferences: Preferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setObjectName("scriptEditor")
        self.db = db
        self.owner_id = session.owner_id
        self.session = session
        self.preferences = preferences or Preferences()
        self.preferences_source: Callable[[], Any] | None = None
        self.departments = owner_departments(db, session.owner_id)
        self.last_department: uuid.UUID | None = None
        self.question: Question | None = None
        self.show_name = ""
        self._done_commands: list[Command | None] = []
        self._undone_commands: list[Command | None] = []
        self.model = ScriptModel(self._formatter(), self)
        self.model.handler = self
        self.view = ScriptView(self.model)
        self.delegate = ScriptDelegate(
            self.model,
            self.view.horizontalHeader(),
            lambda: list(self.departments.values()),
            self.times,
            self.view,
        )
        self.delegate.colorize = self.preferences.colorize_departments
        self.delegate.problem = self._typing_problem
        self.view.setItemDelegate(self.delegate)
        self.filter_bar = FilterBar()
        self.filter_bar.set_departments(list(self.departments.values()))
        self.filter_bar.filterChanged.connect(self.set_filter)
        self.message_bar = MessageBar()
        self.script_choice = QComboBox()
        self.script_choice.setObjectName("scriptChoice")
        self.script_choice.setMinimumWidth(220)
        self.script_choice.activated.connect(self._script_chosen)
        self.history = HistoryPanel()
        self.history.stepChosen.connect(self.go_to_step)
        self.bulk = BulkEditPanel()
        self.bulk.set_departments(list(self.departments.values()))
        self.bulk.fieldSet.connect(self.set_for_selection)
        self.bulk.shiftRequested.connect(self.shift_selection)
        self.revisions = RevisionsPanel()
        self.revisions.attach(
            db, self.owner_id, session.script_id, self._now, lambda i: self._initials(i)
        )
        self.revisions.restoreRequested.connect(self.restore_revision)
        self.revisions.failed.connect(self.show_error)
        self.info = ScriptInfoPanel()
        self.info.infoEdited.connect(self.edit_info)
        self.panels = QTabWidget()
        self.panels.setObjectName("editorPanels")
        self.panels.addTab(self.bulk, "Selection")
        self.panels.addTab(self.history, "History")
        self.panels.addTab(self.revisions, "Revisions")
        self.panels.addTab(self.info, "Script")
        self.panels.currentChanged.connect(lambda _i: self._refresh_counts())
        self._layout()
        self.menu_actions = actions.build(self)
        self.dirty_label = QLabel()
        self.dirty_label.setObjectName("dirtyMarker")
        self.position_label = QLabel()
        self.statusBar().addPermanentWidget(self.position_label)
        self.statusBar().addPermanentWidget(self.dirty_label)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_PAUSE_MS)
        self._counts_timer.timeout.connect(self._refresh_counts)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._chosen_changed())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._chosen_changed())
        self.model.rowsInserted.connect(lambda *_: self._shown_changed())
        self.model.rowsRemoved.connect(lambda *_: self._shown_changed())
        self.model.modelReset.connect(self._shown_changed)
        self.view.horizontalHeader().sectionMoved.connect(lambda *_: self.view.save_columns())
        self.view.horizontalHeader().sectionResized.connect(lambda *_: self._columns_changed())
        self.autosave = QTimer(self)
        self.autosave.timeout.connect(self.auto_save)
        self.set_autosave_interval(self.preferences.autosave_interval_s)
        self.setMinimumSize(900, 560)  # fixed, so the layout never resizes a shown window
        self.resize(1500, 900)
        self._restore_layout()
        self.load()
        active_runs().changed.connect(self._run_changed)  # locked while the script is called
        self._run_changed(session.script_id, is_run_active(session.script_id))

    # --- building -----------------------------------------------------------------------

    def _layout(self) -> None:
        table_side = QWidget()
        column = QVBoxLayout(table_side)
        column.setContentsMargins(8, 8, 4, 8)
        column.setSpacing(6)
        column.addWidget(self.message_bar)
        column.addWidget(self.filter_bar)
        column.addWidget(self.view, 1)
        self.splitter = QSplitter()
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(table_side)
        self.splitter.addWidget(self.panels)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1120, 360])
        self.setCentralWidget(self.splitter)

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if geometry:
            self.restoreGeometry(geometry)
        state = settings.value(SPLITTER_KEY)
        if state:
            self.splitter.restoreState(state)
        self.view.restore_columns(settings)

    def _columns_changed(self) -> None:
        if self.isVisible():
            self.view.save_columns()

    def times(self) -> TimeOptions:
        prefs = self.preferences
        return TimeOptions(prefs.time_display, prefs.clock_24h, self.session.info.start_time)

    def _formatter(self) -> RowFormatter:
        return RowFormatter(self.departments, self.times())

    def _initials(self, department_id: uuid.UUID) -> str:
        info = self.departments.get(department_id)
        return info.initials if info else "?"

    def _now(self) -> tuple[Any, list[Any]]:
        return self.session.info, list(self.session.elements)

    # --- showing the script ---------------------------------------------------------------

    def load(self) -> None:
        """Show the session's script from scratch (opening, reloading, switching)."""
        self.model.load(self.session.elements, self._formatter())
        folded: Any = QSettings().value(FOLDED_KEY.format(self.session.script_id), [])
        if isinstance(folded, str):
            folded = [folded]
        ids = []
        for text in folded or []:
            try:
                ids.append(uuid.UUID(str(text)))
            except ValueError:
                continue
        self.model.set_folded(ids)
        try:
            show = get_show(self.db, self.owner_id, self.session.show_id)
        except CallMasterError:
            show = None
        self.show_name = show.name if show else ""
        self.script_choice.blockSignals(True)
        self.script_choice.clear()
        for script in show.scripts if show else ():
            self.script_choice.addItem(f"{script.name} ({script.status.value})", str(script.id))
        self.script_choice.setCurrentIndex(self.script_choice.findData(str(self.session.script_id)))
        self.script_choice.blockSignals(False)
        self.info.refresh(self.session.info)
        self.revisions.attach(
            self.db, self.owner_id, self.session.script_id, self._now, self._initials
        )
        self.revisions.refresh()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._changed()

    def _changed(self) -> None:
        """The dirty marker, title, history list and undo/redo texts after any change."""
        session = self.session
        dirty = session.is_dirty
        self.setWindowModified(dirty)
        title = session.info.name + (f" — {self.show_name}" if self.show_name else "")
        self.setWindowTitle(f"{title}[*] — CallMaster")
        n = len(session.history)
        if dirty:
            self.dirty_label.setText(f"●  {n} unsaved edit{'' if n == 1 else 's'}")
            self.dirty_label.setToolTip("Ctrl+S saves them all in one go")
            self.dirty_label.setStyleSheet("color: #E8A33C; font-weight: bold; padding: 0 8px;")
        else:
            self.dirty_label.setText("✓  All saved")
            self.dirty_label.setToolTip("")
            self.dirty_label.setStyleSheet("padding: 0 8px;")
        self.history.refresh(session.history, session.redo_history, "Opened or last saved")
        actions.update(self)
        self._counts_timer.start()
        self._shown_changed()

    def _shown_changed(self) -> None:
        spec = self.model.row_filter
        self.filter_bar.show_count(self.model.rowCount(), len(self.model.elements), spec.active)

    def _refresh_counts(self) -> None:
        if self.panels.currentWidget() is self.info:
            self.info.refresh_counts(self.session.info, self.session.elements, self.departments)

    def _chosen_changed(self) -> None:
        ids = self.view.selected_ids()
        rows = [self.model.element(i) for i in ids]
        cues = sum(1 for e in rows if e is not None and e.element_type is ElementType.CUE)
        words = f"{len(ids)} row{'' if len(ids) == 1 else 's'}" + (
            f" ({cues} cue{'' if cues == 1 else 's'})" if cues else ""
        )
        self.bulk.set_chosen(len(ids), words)
        current = self.view.currentIndex()
        self.position_label.setText(
            f"Row {current.row() + 1:,} of {self.model.rowCount():,}" if current.isValid() else ""
        )

    def _typing_problem(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 6000)
        else:
            self.statusBar().clearMessage()

    def set_filter(self, spec: RowFilter) -> None:
        keep = self.view.selected_ids()
        current = self.view.current_id()
        self.model.set_filter(spec)
        self.view.select_ids(keep, current if current and self.model.row_of(current) >= 0 else None)
        self._shown_changed()

    def fold_all(self, fold: bool) -> None:
        groups = [e.id for e in self.model.elements if e.element_type is ElementType.GROUP]
        self.model.set_folded(groups if fold else [])
        self._save_folds()

    def _save_folds(self) -> None:
        QSettings().setValue(
            FOLDED_KEY.format(self.session.script_id), [str(i) for i in self.model.folded]
        )

    def show_error(self, message: str) -> None:
        self.message_bar.show_message(message)

    def _run_changed(self, script_id: object, active: bool) -> None:
        """A run of this script started (edits are refused, and it is said) or ended."""
        if script_id != self.session.script_id:
            return
        if active:
            self.show_error(EDITING_LOCKED)
        elif self.message_bar.message in LOCK_MESSAGES:
            self.message_bar.hide()

    def _script_chosen(self, position: int) -> None:
        data = self.script_choice.itemData(position)
        if data and data != str(self.session.script_id):
            self.switch_script(uuid.UUID(str(data)))

    def apply_preferences(self, preferences: Preferences) -> None:
        """New preferences (times, colours, auto-save) take effect at once."""
        if preferences == self.preferences:
            return
        self.preferences = preferences
        self.delegate.colorize = preferences.colorize_departments
        self.set_autosave_interval(preferences.autosave_interval_s)
        self.model.set_formatter(self._formatter())
        self.view.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        # Preferences changed in the main window show when the editor is next used.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            latest = self.preferences_source() if self.preferences_source else None
            if isinstance(latest, Preferences):
                self.apply_preferences(latest)
        super().changeEvent(event)

    def set_autosave_interval(self, seconds: int) -> None:
        self.autosave.stop()
        if seconds > 0:
            self.autosave.start(seconds * 1000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.is_dirty and not self._closing_confirmed:
            event.ignore()
            self.ask_before_leaving(self._close_now)
            return
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        self.view.save_columns(settings)
        self._save_folds()
        self.autosave.stop()
        self.session.close()
        self.closed.emit(self.session.script_id)
        super().closeEvent(event)

"""Running engine commands from the editor: do, undo, redo, go back to a step.

A mixin of the script editor. Every change goes through ``run``: the
engine does the command (or refuses it with a sentence, shown in the
window), then the table shows the engine's rows again (``ScriptModel.sync``
emits only what changed) and the history, dirty marker and undo texts
follow. The commands themselves are kept beside the engine's history only
so that, after a conflict on save, they can be made again on the other
person's version (``Saving.reload_and_reapply``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QStatusBar

from callmaster_desktop.editing import EditScriptInfo, EditSession, RestoreRevision
from callmaster_desktop.editing.base import Command, NothingToChange
from callmaster_desktop.editing.revisions import Revision
from callmaster_desktop.errors import CallMasterError
from ui.calling.editing_lock import editing_refusal
from ui.message_bar import MessageBar
from ui.script_editor.info_panel import ScriptInfoPanel
from ui.script_editor.rows import RowFormatter
from ui.script_editor.script_model import ScriptModel
from ui.script_editor.view import ScriptView

# The most rows a step selects after undo or redo (a huge shift selects the first ones).
MAX_SELECTED = 2000


class Commands:
    session: EditSession
    model: ScriptModel
    view: ScriptView
    info: ScriptInfoPanel
    message_bar: MessageBar
    _done_commands: list[Command | None]
    _undone_commands: list[Command | None]

    if TYPE_CHECKING:

        def statusBar(self) -> QStatusBar: ...

        def show_error(self, message: str) -> None: ...

        def _formatter(self) -> RowFormatter: ...

        def _changed(self) -> None: ...

    def run(self, command: Command, *, select: Sequence[uuid.UUID] = ()) -> bool:
        """Do one engine command; show it, or say in words why it was refused."""
        if self._locked_by_run():
            return False
        start_time = self.session.info.start_time
        try:
            step = self.session.apply(command)
        except NothingToChange as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return False
        except CallMasterError as exc:
            self.show_error(str(exc))
            return False
        self._done_commands.append(command)
        self._undone_commands.clear()
        self.message_bar.hide()
        self._show_state(select, start_time)
        self.statusBar().showMessage(step.description, 6000)
        return True

    def _show_state(self, select: Sequence[uuid.UUID], start_time: Any) -> None:
        if self.session.info.start_time != start_time:
            self.model.set_formatter(self._formatter())
        self.model.sync(self.session.elements, select)
        if select:
            self.view.select_ids(select)
        self._changed()
        self.info.refresh(self.session.info)

    def _locked_by_run(self) -> bool:
        """True (and said) while the script is being called: design data stays as it is."""
        refusal = editing_refusal(self.session.script_id)
        if refusal is not None:
            self.show_error(refusal)
        return refusal is not None

    def undo(self) -> None:
        if self._locked_by_run():
            return
        start_time = self.session.info.start_time
        step = self.session.undo()
        if step is None:
            return
        if self._done_commands:
            self._undone_commands.append(self._done_commands.pop())
        self._show_state(self._touched(step), start_time)
        self.statusBar().showMessage(f"Undid: {step.description}", 6000)

    def redo(self) -> None:
        if self._locked_by_run():
            return
        start_time = self.session.info.start_time
        step = self.session.redo()
        if step is None:
            return
        if self._undone_commands:
            self._done_commands.append(self._undone_commands.pop())
        self._show_state(self._touched(step), start_time)
        self.statusBar().showMessage(f"Redid: {step.description}", 6000)

    def _touched(self, step: Any) -> list[uuid.UUID]:
        ids: dict[uuid.UUID, None] = {}
        for change in step.changes:
            for e in getattr(change, "inserted", ()):
                if e.id in self.session.state:
                    ids[e.id] = None
        return list(ids)[:MAX_SELECTED]

    def go_to_step(self, steps: int) -> None:
        """The history list was clicked: undo or redo until ``steps`` steps are done."""
        if self._locked_by_run():
            return
        start_time = self.session.info.start_time
        done = len(self.session.history)
        if steps < done:
            self.session.revert_to(steps)
            while len(self._done_commands) > steps:
                self._undone_commands.append(self._done_commands.pop())
        else:
            for _ in range(steps - done):
                if self.session.redo() is None:
                    break
                if self._undone_commands:
                    self._done_commands.append(self._undone_commands.pop())
        self._show_state((), start_time)

    def edit_info(self, changes: dict[str, Any]) -> None:
        if changes:
            self.run(EditScriptInfo(changes))

    def restore_revision(self, revision: Revision) -> None:
        self.run(RestoreRevision(revision))

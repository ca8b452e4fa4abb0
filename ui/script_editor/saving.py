"""Saving, and leaving a script: Ctrl+S, auto-save, conflicts, unsaved edits, switching.

A mixin of the script editor. A save is the engine's: the whole queue in
one transaction, the version checked. When someone else saved first the
conflict question offers to reload their version and make my edits again
on it (the engine commands are replayed; those that no longer fit are
listed), to save my version as a copy, or to cancel. When the save fails for
any other reason nothing is written and every edit is still there.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QStatusBar

from callmaster_desktop.db.engine import Database
from callmaster_desktop.editing import EditSession, NothingToChange, UnsavedEditsFound
from callmaster_desktop.editing.base import Command
from callmaster_desktop.errors import CallMasterError, ConflictError
from ui.calling.editing_lock import saving_refusal
from ui.script_editor.dialogs import Question, ask_conflict, ask_recover, ask_unsaved
from ui.script_editor.view import ScriptView

log = logging.getLogger(__name__)


class Saving:
    db: Database
    owner_id: uuid.UUID
    session: EditSession
    view: ScriptView
    question: Question | None
    revisions: Any
    script_choice: Any
    _done_commands: list[Command | None]
    _undone_commands: list[Command | None]
    _closing_confirmed = False
    last_save_failed = ""

    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...

        def load(self) -> None: ...

        def _changed(self) -> None: ...

        def statusBar(self) -> QStatusBar: ...

        def close(self) -> bool: ...

    def _window(self) -> Any:
        return self

    # --- saving ---------------------------------------------------------------------------

    def commit_open_editor(self) -> None:
        """A cell being typed in counts: commit it before saving or leaving."""
        if self.view.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.view.indexWidget(self.view.currentIndex())
        if editor is not None:
            self.view.commitData(editor)
            self.view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def save(self) -> bool:
        """Ctrl+S: every edit in one transaction. False when nothing could be saved."""
        refusal = saving_refusal(self.session.script_id)  # the script is being called
        if refusal is not None:
            self.show_error(refusal)
            return False
        self.commit_open_editor()
        if not self.session.is_dirty:
            self.statusBar().showMessage("Nothing to save: every edit is saved.", 4000)
            return True
        count = len(self.session.history)
        try:
            result = self.session.save()
        except ConflictError as exc:
            self.last_save_failed = str(exc)
            self.conflict(exc)
            return False
        except CallMasterError as exc:
            self.last_save_failed = str(exc)
            self.show_error(f"{exc} Nothing was saved: your edits are all still here.")
            return False
        except Exception as exc:  # a bug or a driver error nobody translated: still say so
            log.exception("Saving the script failed")
            self.last_save_failed = str(exc)
            self.show_error(
                "Saving failed unexpectedly (the details are in the log). Nothing was saved: "
                "your edits are all still here."
            )
            return False
        self.last_save_failed = ""
        self._done_commands.clear()
        self._undone_commands.clear()
        self._changed()
        self.revisions.refresh()
        edits = f"{count} edit{'' if count == 1 else 's'}"
        self.statusBar().showMessage(f"Saved {edits} as revision {result.revision_number}.", 8000)
        return True

    def auto_save(self) -> None:
        """The auto-save timer: save when there is something to save and nobody is typing."""
        editing = self.view.state() == QAbstractItemView.State.EditingState
        called = saving_refusal(self.session.script_id) is not None  # waits for the run's end
        if self.session.is_dirty and not editing and self.question is None and not called:
            self.save()

    def conflict(self, error: ConflictError) -> None:
        def answered(word: str) -> None:
            self.question = None
            if word == "reload":
                self.reload_and_reapply()
            elif word == "copy":
                self.save_as_copy()

        self.question = ask_conflict(self._window(), str(error), answered)

    def reload_and_reapply(self) -> list[str]:
        """Open the script as saved now and make my edits again; return those that failed."""
        commands = list(self._done_commands)
        old = self.session
        old.close(discard=True)
        try:
            fresh = EditSession.open(self.db, self.owner_id, old.script_id)
        except CallMasterError as exc:
            self.show_error(f"The script could not be reloaded: {exc} Your edits are still here.")
            return []
        failed: list[str] = []
        done: list[Command | None] = []
        lost = len(old.history) - sum(1 for c in commands if c is not None)
        for command, description in zip(commands, old.history, strict=False):
            if command is None:
                continue
            try:
                fresh.apply(command)
            except NothingToChange:
                continue
            except CallMasterError as exc:
                failed.append(f"{description}: {exc}")
                continue
            done.append(command)
        self.session = fresh
        self._done_commands = done
        self._undone_commands = []
        self.load()
        if failed or lost > 0:
            lines = failed + ([f"{lost} recovered edit(s) could not be made again"] if lost else [])
            self.show_error(
                "Reloaded their version. These edits of yours no longer fit and were not made "
                "again: " + "; ".join(lines)
            )
        else:
            self.statusBar().showMessage(
                f"Reloaded their version and made your {len(done)} edit(s) again: "
                "check them, then save.",
                10000,
            )
        return failed

    def save_as_copy(self) -> bool:
        self.commit_open_editor()
        try:
            result = self.session.save_as_copy()
        except CallMasterError as exc:
            self.show_error(f"{exc} Nothing was saved: your edits are all still here.")
            return False
        self._done_commands.clear()
        self._undone_commands.clear()
        self.load()
        self.statusBar().showMessage(
            f'Saved as a copy: "{self.session.info.name}" (revision {result.revision_number}).',
            10000,
        )
        return True

    # --- leaving ----------------------------------------------------------------------------

    def ask_before_leaving(self, then: Callable[[], None]) -> None:
        """Unsaved edits: save, discard or cancel; ``then`` runs unless cancelled or failed."""
        self.commit_open_editor()

        def answered(word: str) -> None:
            self.question = None
            if word == "save" and self.save():
                then()
            elif word == "discard":
                self.session.close(discard=True)
                self._discarded = True
                then()

        self.question = ask_unsaved(
            self._window(), self.session.info.name, self.session.history, answered
        )

    def _close_now(self) -> None:
        self._closing_confirmed = True
        self.close()

    def switch_script(self, script_id: uuid.UUID) -> None:
        """Edit another script of the show in this window (asking first about unsaved edits)."""
        self.script_choice.setCurrentIndex(self.script_choice.findData(str(self.session.script_id)))
        if self.session.is_dirty:
            self.ask_before_leaving(lambda: self.open_other(script_id))
        else:
            self.open_other(script_id)

    def open_other(self, script_id: uuid.UUID) -> None:
        def opened(session: EditSession) -> None:
            if not getattr(self, "_discarded", False):
                self.session.close()
            self._discarded = False
            self.session = session
            self._done_commands = [None] * len(session.history)
            self._undone_commands = []
            self.load()

        open_session(
            self.db, self.owner_id, script_id, self._window(), opened, self.show_error, self._asked
        )

    def _asked(self, question: Question) -> None:
        self.question = question


def open_session(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    parent: Any,
    opened: Callable[[EditSession], None],
    failed: Callable[[str], None],
    asked: Callable[[Question], None] = lambda _q: None,
) -> None:
    """Open an edit session; when a crash left unsaved edits, ask to recover or discard them."""
    try:
        opened(EditSession.open(db, owner_id, script_id))
        return
    except UnsavedEditsFound as found:
        edits = found.edits
    except CallMasterError as exc:
        failed(str(exc))
        return

    def answered(word: str) -> None:
        try:
            if word == "recover":
                opened(EditSession.open(db, owner_id, script_id, recover=edits))
            else:
                edits.discard()
                opened(EditSession.open(db, owner_id, script_id))
        except CallMasterError as exc:
            failed(str(exc))

    asked(ask_recover(parent, edits.describe(), answered))

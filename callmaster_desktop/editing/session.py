"""An edit session on one script: the queue of edits, undo and redo, save.

::

    session = EditSession.open(db, me.id, script_id)
    session.apply(MoveElements([lx12], Place.after(sq4)))   # "Moved LX 12 after SQ 4"
    session.undo(); session.redo()
    session.save()                                          # one transaction

Every command is checked against the rules of domain.md before it joins the
queue; a refused command raises ``ValidationError`` and leaves the script and
the queue as they were. ``save`` writes the whole queue in one transaction
(``services.script_state.write_script_state``), which checks the version the
session started from. When it fails (someone else saved, the server went
away) nothing is written and the queue stays, to retry or ``save_as_copy``.
While there are unsaved edits, they are journaled beside the database so
they can be recovered after a crash (``editing.recovery``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Script
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ScriptStatus
from callmaster_desktop.editing.base import Command
from callmaster_desktop.editing.guard import RuleGuard
from callmaster_desktop.editing.numbering import propose_cue_number
from callmaster_desktop.editing.recovery import (
    Journal,
    UnsavedEdits,
    base_state,
    find_unsaved_edits,
    replay,
)
from callmaster_desktop.editing.state import INFO_FIELDS, ScriptInfo, ScriptState, Step
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.element_checks import evolve
from callmaster_desktop.services.script_state import SavedRows, WriteResult, write_script_state
from callmaster_desktop.services.scripts import load_script
from callmaster_desktop.services.validation import required_text


class UnsavedEditsFound(ValidationError):
    """The script has unsaved edits from an earlier session: recover or discard them first."""

    def __init__(self, edits: UnsavedEdits) -> None:
        super().__init__(edits.describe())
        self.edits = edits


@dataclass(frozen=True)
class SaveResult:
    script_id: uuid.UUID
    version: int
    revision_number: int | None
    steps: tuple[str, ...]
    write: WriteResult | None = None


class EditSession:
    """The edits to one script since it was opened or last saved."""

    def __init__(
        self,
        db: Database | None,
        owner_id: uuid.UUID,
        script_id: uuid.UUID,
        show_id: uuid.UUID,
        base_version: int,
        state: ScriptState,
        *,
        guard: RuleGuard | None = None,
        journal: bool = True,
        saved: SavedRows | None = None,
    ) -> None:
        self.db = db
        self.owner_id = owner_id
        self.script_id = script_id
        self.show_id = show_id
        self.base_version = base_version
        self.state = state
        self.guard = guard or RuleGuard()
        self._saved_info = state.info
        self._done: list[Step] = []
        self._undone: list[Step] = []
        self._journal = Journal.for_script(db, script_id) if journal and db else None
        # The rows as saved at ``base_version``: the save compares with them instead
        # of reading them again (used only while the script is still that save).
        self._saved_rows = saved
        # True while every change since the rows as saved went through the guard
        # (commands, undo, redo), so that the save may take the guard's word.
        self._all_checked = True

    @classmethod
    def in_memory(
        cls,
        info: ScriptInfo,
        elements: Sequence[ElementData],
        departments: dict[uuid.UUID, str],
        *,
        guard: RuleGuard | None = None,
    ) -> EditSession:
        """A session on rows that are not in a database (it cannot save): for previews, tests."""
        state = ScriptState(info, elements, departments)
        nowhere = uuid.UUID(int=0)
        return cls(None, nowhere, nowhere, nowhere, 0, state, guard=guard, journal=False)

    def _database(self) -> Database:
        if self.db is None:
            raise ValidationError("This script is not in a database, so it cannot be saved.")
        return self.db

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        db: Database,
        owner_id: uuid.UUID,
        script_id: uuid.UUID,
        *,
        recover: UnsavedEdits | None = None,
        journal: bool = True,
        guard: RuleGuard | None = None,
    ) -> EditSession:
        """Open the script for editing.

        When unsaved edits from an earlier session are waiting (a crash),
        raises ``UnsavedEditsFound`` carrying them: open again with
        ``recover=`` those edits, or after ``edits.discard()``.
        """
        if recover is None and journal:
            waiting = find_unsaved_edits(db, script_id)
            if waiting is not None:
                raise UnsavedEditsFound(waiting)
        loaded = load_script(db, owner_id, script_id)
        info = ScriptInfo(
            loaded.name, loaded.status, loaded.start_time, loaded.end_time, loaded.notes
        )
        departments = owner_departments(db, owner_id)
        saved = SavedRows(loaded.version, loaded.updated_at, loaded.elements)
        if recover is None:
            state = ScriptState(info, loaded.elements, departments)
            return cls(
                db,
                owner_id,
                script_id,
                loaded.show_id,
                loaded.version,
                state,
                guard=guard,
                journal=journal,
                saved=saved,
            )
        base_info, base_rows = base_state(db, recover, loaded)
        state = ScriptState(base_info, base_rows, departments)
        session = cls(
            db,
            owner_id,
            script_id,
            loaded.show_id,
            recover.base_version,
            state,
            guard=guard,
            journal=journal,
            saved=saved if loaded.version == recover.base_version else None,
        )
        session._saved_info = base_info
        session._all_checked = False  # the replayed steps are the journal's, not checked
        session._done = replay(state, recover)
        session._journal_now()
        return session

    # --- reading ----------------------------------------------------------------------

    @property
    def elements(self) -> Sequence[ElementData]:
        return self.state.elements

    @property
    def info(self) -> ScriptInfo:
        return self.state.info

    @property
    def history(self) -> list[str]:
        """What has been done since opening or the last save, oldest first."""
        return [s.description for s in self._done]

    @property
    def redo_history(self) -> list[str]:
        """What ``redo`` would do again, next first."""
        return [s.description for s in reversed(self._undone)]

    @property
    def is_dirty(self) -> bool:
        return bool(self._done)

    @property
    def undo_description(self) -> str | None:
        return self._done[-1].description if self._done else None

    @property
    def redo_description(self) -> str | None:
        return self._undone[-1].description if self._undone else None

    def next_cue_number_for(self, department_id: uuid.UUID, position: int) -> str | None:
        """The number proposed for a new cue of the department at ``position`` (0-based)."""
        return propose_cue_number(self.state, department_id, position)

    # --- editing ----------------------------------------------------------------------

    def apply(self, command: Command) -> Step:
        """Do the command, or refuse it (``ValidationError``) leaving everything as it was."""
        with self.state.recording() as recording:
            description = command.perform(self.state)
            problems = self.guard.problems(self.state, recording)
            if problems:
                message = problems[0][1]
                raise ValidationError(
                    f"{description} would break a rule, so it was not done: "
                    f"{message[:1].upper()}{message[1:]}."
                )
        step = Step(description, tuple(recording.changes))
        self._done.append(step)
        self._undone.clear()
        self._journal_now()
        return step

    def undo(self) -> Step | None:
        """Undo the last step; None when there is nothing to undo."""
        if not self._done:
            return None
        step = self._done.pop()
        for change in reversed(step.changes):
            self.state.apply(change.inverse())
        self._undone.append(step)
        self._journal_now()
        return step

    def redo(self) -> Step | None:
        """Do the last undone step again; None when there is nothing to redo."""
        if not self._undone:
            return None
        step = self._undone.pop()
        for change in step.changes:
            self.state.apply(change)
        self._done.append(step)
        self._journal_now()
        return step

    def revert_to(self, steps: int) -> None:
        """Undo until only the first ``steps`` steps are done (0: as opened or saved)."""
        if not 0 <= steps <= len(self._done):
            raise ValidationError(f"There is no step {steps} to go back to.")
        while len(self._done) > steps:
            step = self._done.pop()
            for change in reversed(step.changes):
                self.state.apply(change.inverse())
            self._undone.append(step)
        self._journal_now()

    # --- saving -----------------------------------------------------------------------

    def _changed_info(self) -> dict[str, Any]:
        saved, now = self._saved_info, self.state.info
        return {n: getattr(now, n) for n in INFO_FIELDS if getattr(now, n) != getattr(saved, n)}

    def save(self) -> SaveResult:
        """Write every queued edit in one transaction and start a new queue.

        Raises ``ConflictError`` when someone saved the script since this
        session's version, or any other ``CallMasterError``; then nothing is
        written and the queue is kept.
        """
        steps = tuple(self.history)
        if not steps:
            return SaveResult(self.script_id, self.base_version, None, ())
        fields = self._changed_info()
        rows = self.state.elements
        kept = self.guard.vouch(rows) if self._all_checked else None
        with self._database().unit_of_work() as session:
            if "name" in fields:
                _check_name_free(session, self.show_id, fields["name"], self.script_id)
            result = write_script_state(
                session,
                self.script_id,
                self.base_version,
                rows,
                author_id=self.owner_id,
                steps=list(steps),
                script_fields=fields or None,
                base=self._saved_rows,
                kept=kept,
            )
        self.base_version = result.version
        self._saved_rows = result.saved
        self._all_checked = True  # the save checked what the journal's steps did
        self._saved_info = self.state.info
        self._done.clear()
        self._undone.clear()
        self._journal_now()
        return SaveResult(self.script_id, result.version, result.revision_number, steps, result)

    def save_as_copy(self, name: str | None = None) -> SaveResult:
        """Save the edited script as a new script of the same show, and go on editing the copy.

        The copy is marked "copy" and named ``name`` or "<name> (copy)".
        The original script is left as it is in the database.
        """
        steps = [*self.history, f'Saved as a copy of "{self._saved_info.name}"']
        new_id = uuid.uuid4()
        new_ids = {e.id: uuid.uuid4() for e in self.state.elements}
        rows = [
            evolve(e, {"id": new_ids[e.id], "parent_id": new_ids.get(e.parent_id)})
            if e.parent_id
            else evolve(e, {"id": new_ids[e.id]})
            for e in self.state.elements
        ]
        info = self.state.info.with_changes(status=ScriptStatus.COPY)
        db = self._database()
        with db.unit_of_work() as session:
            if name is None:
                copy_name = _copy_name(session, self.show_id, info.name)
            else:
                copy_name = required_text("The copy", name, 200)
                _check_name_free(session, self.show_id, copy_name, None)
            info = info.with_changes(name=copy_name)
            session.execute(
                insert(Script).values(
                    id=new_id,
                    show_id=self.show_id,
                    version=1,
                    updated_by_id=self.owner_id,
                    **info.as_fields(),
                )
            )
            result = write_script_state(
                session, new_id, 1, rows, author_id=self.owner_id, steps=steps
            )
        old_journal = self._journal
        self.script_id = new_id
        self.base_version = result.version
        self.state = ScriptState(info, rows, self.state.departments)
        self._saved_rows = result.saved
        self._all_checked = True
        self._saved_info = info
        self._done.clear()
        self._undone.clear()
        if old_journal is not None:
            old_journal.discard()
            self._journal = Journal.for_script(db, new_id)
        return SaveResult(new_id, result.version, result.revision_number, tuple(steps), result)

    def close(self, *, discard: bool = False) -> None:
        """End the session. Unsaved edits stay journaled (offered next time) unless discarded."""
        if self._journal is not None:
            if discard or not self._done:
                self._journal.discard()
            else:
                self._journal.flush()
        self._journal = None

    def _journal_now(self) -> None:
        if self._journal is None:
            return
        if self._done:
            self._journal.write(self._saved_info.name, self.base_version, self._done, self._undone)
        else:
            self._journal.discard()


def owner_departments(db: Database, owner_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """The initials of every department the owner has, by id."""
    with db.reading() as session:
        rows = session.execute(
            select(Department.id, Department.initials).where(Department.owner_id == owner_id)
        )
        return {row.id: row.initials for row in rows}


def _names_in_show(session: Any, show_id: uuid.UUID, except_id: uuid.UUID | None) -> set[str]:
    query = select(Script.name).where(Script.show_id == show_id)
    if except_id is not None:
        query = query.where(Script.id != except_id)
    return {n.casefold() for n in session.scalars(query)}


def _check_name_free(
    session: Any, show_id: uuid.UUID, name: str, except_id: uuid.UUID | None
) -> None:
    if name.casefold() in _names_in_show(session, show_id, except_id):
        raise ValidationError(f'This show already has a script called "{name}".')


def _copy_name(session: Any, show_id: uuid.UUID, name: str) -> str:
    taken = _names_in_show(session, show_id, None)
    base = name[:188]
    candidates = [f"{base} (copy)", *(f"{base} (copy {n})" for n in range(2, len(taken) + 3))]
    return next(c for c in candidates if c.casefold() not in taken)

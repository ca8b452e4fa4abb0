"""Opening script editors from the main window: one editor window per script.

``attach_script_editor(window)`` listens to the main window's
``scriptOpenRequested(script_id)`` (the Shows page's "Open Script"). A
script already open is brought to the front instead of being opened twice;
a script with edits left unsaved by a crash asks to recover or discard them
first.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject

from callmaster_desktop.db.engine import Database
from callmaster_desktop.editing import EditSession
from callmaster_desktop.services.preferences import Preferences
from ui.script_editor.dialogs import Question
from ui.script_editor.editor import ScriptEditor
from ui.script_editor.saving import open_session


class ScriptEditors(QObject):
    """The script editor windows opened from one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.open_editors: dict[uuid.UUID, ScriptEditor] = {}
        self.question: Question | None = None

    def open(self, script_id: uuid.UUID) -> ScriptEditor | None:
        """Open (or bring forward) the editor of a script; None while a question is asked."""
        existing = self.open_editors.get(script_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        db: Database | None = self.window.db
        owner: uuid.UUID | None = self.window.owner_id
        if db is None or owner is None:
            return None
        made: list[ScriptEditor] = []

        def opened(session: EditSession) -> None:
            self.question = None
            preferences = getattr(self.window, "preferences", None)
            editor = ScriptEditor(
                db,
                session,
                preferences=preferences if isinstance(preferences, Preferences) else None,
            )
            editor.preferences_source = lambda: getattr(self.window, "preferences", None)
            editor.closed.connect(self._closed)
            self.open_editors[session.script_id] = editor
            editor.show()
            made.append(editor)

        open_session(db, owner, script_id, self.window, opened, self._failed, self._asked)
        return made[0] if made else None

    def _asked(self, question: Question) -> None:
        self.question = question

    def _failed(self, message: str) -> None:
        show = getattr(self.window, "show_error", None)
        if callable(show):
            show(message)

    def _closed(self, script_id: object) -> None:
        for key, editor in list(self.open_editors.items()):
            if key == script_id or editor.session.script_id == script_id:
                del self.open_editors[key]


def attach_script_editor(window: Any) -> ScriptEditors:
    """Open script editors when ``window`` asks for a script (``scriptOpenRequested``)."""
    editors = ScriptEditors(window)
    window.scriptOpenRequested.connect(editors.open)
    window.script_editors = editors
    return editors

"""Driving the script editor in pytest-qt tests: open it, find rows, type, answer questions."""

from __future__ import annotations

import uuid

import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from callmaster_desktop.db.engine import Database
from callmaster_desktop.editing import EditSession
from callmaster_desktop.services.preferences import Preferences
from ui.script_editor.dialogs import Question
from ui.script_editor.editor import ScriptEditor
from ui.script_editor.rows import Col

# Noise of the offscreen platform when a shown window's size limits change (message boxes).
OFFSCREEN_NOISE = "propagateSizeHints"
OPEN: list[ScriptEditor] = []
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
EDITING = QAbstractItemView.State.EditingState


def close_editors() -> None:
    """Close every editor a test opened and left open (without asking about unsaved edits)."""
    while OPEN:
        editor = OPEN.pop()
        if shiboken6.isValid(editor):
            editor._closing_confirmed = True
            editor.close()


def open_editor(
    qtbot: QtBot,
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    preferences: Preferences | None = None,
) -> ScriptEditor:
    session = EditSession.open(db, owner_id, script_id)
    editor = ScriptEditor(db, session, preferences=preferences)
    OPEN.append(editor)
    editor.resize(1400, 860)
    editor.show()
    qtbot.waitExposed(editor)
    activate(qtbot, editor)
    return editor


def activate(qtbot: QtBot, editor: ScriptEditor) -> None:
    """Make the editor the active window with the table focused (shortcuts need both)."""
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)


def labels(editor: ScriptEditor) -> list[str]:
    """Each shown row as the stage manager reads it: the cue label, else the name."""
    out = []
    for e in editor.model.shown:
        text = editor.model.row_text(e)
        out.append(text[Col.CUE] or text[Col.NAME])
    return out


def tree(editor: ScriptEditor) -> list[str]:
    """Every row of the script (shown or not), indented by depth."""
    out = []
    for e in editor.model.elements:
        text = editor.model.row_text(e)
        out.append("  " * editor.model.depth(e.id) + (text[Col.CUE] or text[Col.NAME]))
    return out


def row_of(editor: ScriptEditor, label: str) -> int:
    return labels(editor).index(label)


def id_of(editor: ScriptEditor, label: str) -> uuid.UUID:
    found = editor.model.id_at(row_of(editor, label))
    assert found is not None
    return found


def cell_point(editor: ScriptEditor, row: int, column: Col) -> QPoint:
    rect = editor.view.visualRect(editor.model.index(row, column))
    return rect.center()


def click_row(
    qtbot: QtBot,
    editor: ScriptEditor,
    label: str,
    column: Col = Col.CUE,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    row = row_of(editor, label)
    editor.view.scrollTo(editor.model.index(row, column))
    qtbot.mouseClick(
        editor.view.viewport(),
        Qt.MouseButton.LeftButton,
        modifier,
        cell_point(editor, row, column),
    )


def open_cell_editor(editor: ScriptEditor) -> QLineEdit:
    editor_widget = QApplication.focusWidget()
    assert editor.view.state() == QAbstractItemView.State.EditingState
    assert isinstance(editor_widget, QLineEdit), editor_widget
    return editor_widget


def type_in_cell(
    qtbot: QtBot, editor: ScriptEditor, text: str, key: Qt.Key = Qt.Key.Key_Tab
) -> None:
    """Type into the open cell editor and leave it with ``key`` (Tab, Enter...)."""
    line = open_cell_editor(editor)
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, key)
    qtbot.waitUntil(
        lambda: (
            editor.view.state() != QAbstractItemView.State.EditingState
            or QApplication.focusWidget() is not line
        )
    )


def rename(qtbot: QtBot, editor: ScriptEditor, label: str, name: str) -> None:
    """Give the row ``label`` a new name: click its name cell, F2, type, Return."""
    click_row(qtbot, editor, label, Col.NAME)
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    line = editor.view.indexWidget(editor.view.currentIndex())
    assert line is not None
    line.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(line, name)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: not editor.view.indexWidget(editor.model.index(row_of(editor, label), Col.NAME))
    )


def answer(qtbot: QtBot, holder: object, word: str) -> None:
    """Click the answer ``word`` of the question ``holder`` (an editor) has open."""
    qtbot.waitUntil(lambda: getattr(holder, "question", None) is not None)
    question = holder.question
    assert isinstance(question, Question)
    qtbot.waitUntil(question.isVisible)
    window = question.parentWidget().window() if question.parentWidget() else None
    qtbot.mouseClick(question.button(word), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not shiboken6.isValid(holder) or getattr(holder, "question", None) is not question
    )
    # The answered question deletes itself; the offscreen platform then forgets which
    # window is active, so give the activation back as a desktop would.
    qtbot.waitUntil(lambda: not shiboken6.isValid(question))
    if isinstance(window, ScriptEditor) and shiboken6.isValid(window) and window.isVisible():
        activate(qtbot, window)

"""The script editor's menus, toolbar and keyboard shortcuts.

Every action is a ``QAction`` of the editor window with its shortcut, so
the keys work wherever the focus is in the window and the menus show them.
Undo and Redo read the engine's next step ("Undo Added LX 12.5").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar

from callmaster_desktop.domain.enums import ElementType

if TYPE_CHECKING:
    from ui.script_editor.editor import ScriptEditor

_WINDOW = Qt.ShortcutContext.WindowShortcut
_TABLE = Qt.ShortcutContext.WidgetWithChildrenShortcut
MAX_STEP_TEXT = 48


def _action(
    editor: ScriptEditor,
    text: str,
    slot: Callable[[], Any],
    shortcuts: tuple[Any, ...] = (),
    *,
    tip: str = "",
    context: Qt.ShortcutContext = _WINDOW,
) -> QAction:
    action = QAction(text, editor)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(context)
    keys = ", ".join(
        QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts
    )
    action.setToolTip(
        f"{tip or text.replace('&', '').rstrip('…')}" + (f"  ({keys})" if keys else "")
    )
    action.triggered.connect(lambda _checked=False: slot())
    editor.addAction(action)
    return action


def build(editor: ScriptEditor) -> dict[str, QAction]:
    """Create the actions, the menus and the toolbar of ``editor``."""
    a: dict[str, QAction] = {}
    table_actions = {
        "copy": ("&Copy Rows", editor.copy_rows, (QKeySequence.StandardKey.Copy,)),
        "cut": ("Cu&t Rows", editor.cut_rows, (QKeySequence.StandardKey.Cut,)),
        "paste": ("&Paste Rows", editor.paste_rows, (QKeySequence.StandardKey.Paste,)),
        "delete": ("&Delete Rows", editor.delete_rows, (QKeySequence.StandardKey.Delete,)),
        "select_all": ("Select &All", editor.view.selectAll, (QKeySequence.StandardKey.SelectAll,)),
    }
    a["save"] = _action(
        editor,
        "&Save",
        editor.save,
        (QKeySequence.StandardKey.Save,),
        tip="Save every edit in one go",
    )
    a["save_copy"] = _action(editor, "Save as a &Copy", editor.save_as_copy, ("Ctrl+Shift+S",))
    a["close"] = _action(editor, "&Close Script", editor.close, (QKeySequence.StandardKey.Close,))
    a["undo"] = _action(editor, "&Undo", editor.undo, (QKeySequence.StandardKey.Undo,))
    a["redo"] = _action(editor, "&Redo", editor.redo, ("Ctrl+Shift+Z", "Ctrl+Y"))
    for key, (text, slot, keys) in table_actions.items():
        a[key] = _action(editor, text, slot, keys, context=_TABLE)
        editor.view.addAction(a[key])
        editor.removeAction(a[key])
    a["duplicate"] = _action(editor, "D&uplicate Rows", editor.duplicate_rows, ("Ctrl+D",))
    a["add_cue"] = _action(
        editor,
        "New &Cue",
        lambda: editor.add_row(ElementType.CUE),
        ("Ctrl+Return", "Ins"),
        tip="New cue after the current row",
    )
    a["add_note"] = _action(
        editor,
        "New &Note",
        lambda: editor.add_row(ElementType.NOTE),
        ("Ctrl+Shift+Return",),
        tip="New note after the current row",
    )
    a["add_group"] = _action(
        editor,
        "New &Group",
        lambda: editor.add_row(ElementType.GROUP),
        ("Ctrl+Alt+Return",),
        tip="New empty group after the current row",
    )
    a["group"] = _action(
        editor,
        "&Group Rows",
        editor.group_rows,
        ("Ctrl+G",),
        tip="Put the chosen rows in a new group",
    )
    a["ungroup"] = _action(
        editor,
        "U&ngroup",
        editor.ungroup,
        ("Ctrl+Shift+G",),
        tip="Take the group header away, keeping its rows",
    )
    a["shift"] = _action(editor, "S&hift Times…", lambda: _focus_shift(editor), ("Ctrl+T",))
    a["find"] = _action(
        editor, "&Filter…", lambda: _focus_filter(editor), (QKeySequence.StandardKey.Find,)
    )
    a["clear_filter"] = _action(
        editor, "Show &All Rows", editor.filter_bar.clear, ("Ctrl+Shift+F",)
    )
    a["fold_all"] = _action(editor, "F&old All Groups", lambda: editor.fold_all(True))
    a["unfold_all"] = _action(editor, "&Unfold All Groups", lambda: editor.fold_all(False))
    menu = editor.menuBar()
    script_menu = menu.addMenu("&Script")
    _fill(script_menu, a, ("save", "save_copy", None, "close"))
    edit_menu = menu.addMenu("&Edit")
    _fill(
        edit_menu,
        a,
        (
            "undo",
            "redo",
            None,
            "cut",
            "copy",
            "paste",
            "duplicate",
            "delete",
            None,
            "select_all",
        ),
    )
    rows_menu = menu.addMenu("&Rows")
    _fill(
        rows_menu, a, ("add_cue", "add_note", "add_group", None, "group", "ungroup", None, "shift")
    )
    view_menu = menu.addMenu("&View")
    _fill(view_menu, a, ("find", "clear_filter", None, "fold_all", "unfold_all"))
    bar = QToolBar("Script")
    bar.setObjectName("scriptToolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(16, 16))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    label = QLabel("Script ")
    bar.addWidget(label)
    bar.addWidget(editor.script_choice)
    bar.addSeparator()
    _fill(
        bar,
        a,
        (
            "add_cue",
            "add_note",
            "add_group",
            None,
            "group",
            "ungroup",
            "duplicate",
            "delete",
            None,
            "undo",
            "redo",
            None,
            "save",
        ),
    )
    editor.addToolBar(bar)
    return a


def _fill(menu: Any, a: dict[str, QAction], keys: tuple[str | None, ...]) -> None:
    for key in keys:
        if key is None:
            menu.addSeparator()
        else:
            menu.addAction(a[key])


def _focus_filter(editor: ScriptEditor) -> None:
    editor.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
    editor.filter_bar.search.selectAll()


def _focus_shift(editor: ScriptEditor) -> None:
    editor.panels.setCurrentWidget(editor.bulk)
    editor.bulk.shift.setFocus(Qt.FocusReason.ShortcutFocusReason)
    editor.bulk.shift.selectAll()


def _short(text: str) -> str:
    return text if len(text) <= MAX_STEP_TEXT else text[: MAX_STEP_TEXT - 1] + "…"


def update(editor: ScriptEditor) -> None:
    """Undo/Redo texts and what can be done now."""
    a = editor.menu_actions
    undo, redo = editor.session.undo_description, editor.session.redo_description
    a["undo"].setEnabled(undo is not None)
    a["undo"].setText(f"&Undo {_short(undo)}" if undo else "&Undo")
    a["redo"].setEnabled(redo is not None)
    a["redo"].setText(f"&Redo {_short(redo)}" if redo else "&Redo")
    a["undo"].setIconText("Undo")
    a["redo"].setIconText("Redo")
    a["undo"].setToolTip(f"Undo {undo} (Ctrl+Z)" if undo else "Nothing to undo")
    a["redo"].setToolTip(f"Redo {redo} (Ctrl+Shift+Z)" if redo else "Nothing to redo")
    a["save"].setEnabled(editor.session.is_dirty)

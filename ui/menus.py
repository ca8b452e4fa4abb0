"""The main window's menus: every action, with standard keys where there are some.

File: databases (new, open, connect, recent, back up) and the contact sheet.
Edit: new, save, cancel, delete, find, preferences. View: the pages.
Show: the opened show's scripts. Help: shortcuts, diagnostics, about.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.dialogs.connect import ServerAddress

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Keys = QKeySequence | QKeySequence.StandardKey | str | None
FALLBACK = {
    QKeySequence.StandardKey.New: "Ctrl+N",
    QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.Save: "Ctrl+S",
    QKeySequence.StandardKey.Find: "Ctrl+F",
    QKeySequence.StandardKey.Print: "Ctrl+P",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Refresh: "F5",
    QKeySequence.StandardKey.Delete: "Del",
}


def _action(window: MainWindow, text: str, slot: Callable[[], Any], keys: Keys = None) -> QAction:
    action = QAction(text, window)
    if isinstance(keys, QKeySequence.StandardKey):
        # Some platforms leave a standard key empty (Quit on Linux): use the usual one.
        sequence = QKeySequence(keys)
        action.setShortcut(sequence if not sequence.isEmpty() else QKeySequence(FALLBACK[keys]))
    elif keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # keys work even while the menu bar is hidden
    return action


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    recent = window.settings.recent_databases()
    for number, url in enumerate(recent, start=1):
        address = ServerAddress.from_url(url)
        label = address.account if address else url.split("///", 1)[-1]
        action = menu.addAction(f"&{number} {label}")
        action.triggered.connect(lambda _=False, u=url: window.open_recent(u))
    if not recent:
        menu.addAction("No recent databases").setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction("Clear the list").triggered.connect(lambda: window.settings.clear_recent())


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Fill the window's menu bar; returns the actions by name (for tests and shortcuts)."""
    a: dict[str, QAction] = {}
    page = window.current_page
    bar = window.menuBar()

    file_menu = bar.addMenu("&File")
    a["new_database"] = _action(window, "&New Database…", window.new_database, "Ctrl+Shift+N")
    a["open_database"] = _action(
        window, "&Open Database…", window.choose_database, QKeySequence.StandardKey.Open
    )
    a["connect"] = _action(
        window, "&Connect to PostgreSQL…", lambda: window.connect_server(), "Ctrl+Shift+O"
    )
    for name in ("new_database", "open_database", "connect"):
        file_menu.addAction(a[name])
    recent = file_menu.addMenu("Open &Recent")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    _fill_recent(window, recent)
    window.recent_menu = recent
    file_menu.addSeparator()
    a["backup"] = _action(window, "&Back Up Now", window.back_up_now, "Ctrl+Shift+B")
    a["restore"] = _action(window, "Restore from Bac&kup…", window.restore_from_backup)
    file_menu.addAction(a["backup"])
    file_menu.addAction(a["restore"])
    file_menu.addSeparator()
    a["print_sheet"] = _action(
        window,
        "&Print Contact Sheet…",
        lambda: window.shows.crew_panel.print_sheet(),
        QKeySequence.StandardKey.Print,
    )
    a["pdf_sheet"] = _action(
        window,
        "Save Contact Sheet as P&DF…",
        lambda: window.shows.crew_panel.choose_pdf(),
        "Ctrl+Shift+P",
    )
    file_menu.addAction(a["print_sheet"])
    file_menu.addAction(a["pdf_sheet"])
    file_menu.addSeparator()
    a["quit"] = _action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    file_menu.addAction(a["quit"])

    edit_menu = bar.addMenu("&Edit")
    a["new"] = _action(window, "&New", lambda: page().new_record(), QKeySequence.StandardKey.New)
    a["save"] = _action(window, "&Save", lambda: page().form.save(), QKeySequence.StandardKey.Save)
    a["cancel"] = _action(window, "&Cancel Changes", lambda: page().form.cancel())
    a["delete"] = _action(
        window, "&Delete…", lambda: page().delete_selected(), QKeySequence.StandardKey.Delete
    )
    a["find"] = _action(window, "&Find", window.focus_search, QKeySequence.StandardKey.Find)
    a["preferences"] = _action(window, "&Preferences…", window.open_preferences, "Ctrl+,")
    for name in ("new", "save", "cancel", "delete"):
        edit_menu.addAction(a[name])
    edit_menu.addSeparator()
    edit_menu.addAction(a["find"])
    edit_menu.addSeparator()
    edit_menu.addAction(a["preferences"])

    view_menu = bar.addMenu("&View")
    for row in range(window.nav.count()):
        title = window.nav.item(row).text()
        a[f"page_{row + 1}"] = _action(
            window, title, partial(window.nav.setCurrentRow, row), f"Ctrl+{row + 1}"
        )
        view_menu.addAction(a[f"page_{row + 1}"])
    view_menu.addSeparator()
    a["refresh"] = _action(window, "&Refresh", window.refresh, QKeySequence.StandardKey.Refresh)
    view_menu.addAction(a["refresh"])

    show_menu = bar.addMenu("&Show")
    scripts = window.shows.scripts_panel
    a["new_script"] = _action(window, "New &Script…", scripts.new_script, "Ctrl+Alt+N")
    a["duplicate_script"] = _action(window, "&Duplicate Script…", scripts.duplicate, "Ctrl+D")
    a["rename_script"] = _action(window, "&Rename Script…", scripts.rename, "F2")
    a["delete_script"] = _action(window, "De&lete Script…", scripts.delete)
    a["open_script"] = _action(window, "&Open Script", scripts.open_selected, "Ctrl+E")
    for name in ("new_script", "duplicate_script", "rename_script", "delete_script"):
        show_menu.addAction(a[name])
    show_menu.addSeparator()
    show_menu.addAction(a["open_script"])
    a["toggle_active"] = _action(
        window, "Deactivate / Reactivate Crew Member", window.crew.toggle_active, "Ctrl+Shift+D"
    )
    show_menu.addSeparator()
    show_menu.addAction(a["toggle_active"])

    help_menu = bar.addMenu("&Help")
    a["shortcuts"] = _action(window, "&Keyboard Shortcuts", window.show_shortcuts, "Ctrl+/")
    a["diagnostics"] = _action(window, "&Diagnostics", window.show_diagnostics, "Ctrl+Shift+I")
    a["about"] = _action(window, "&About CallMaster Desktop", window.about)
    for name in ("shortcuts", "diagnostics", "about"):
        help_menu.addAction(a[name])
    return a

"""Opening the calling screen from the main window.

``open_calling_screen(parent, db, owner_id, script_id)`` opens (or brings
forward) the calling screen of a script. ``attach_calling(window)`` adds
"Call Show…" (Ctrl+Shift+G) to the main window's Show menu: it calls the
script chosen on the Shows page.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from callmaster_desktop.calling.clock import Clock
from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.services.preferences import Preferences
from ui.calling.calling_screen import CallingScreen

__all__ = ["CALL_SHOW_KEYS", "CallingScreens", "attach_calling", "open_calling_screen"]

CALL_SHOW_KEYS = "Ctrl+Shift+G"
_open: dict[uuid.UUID, CallingScreen] = {}


def open_calling_screen(
    parent: QWidget | None,
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    *,
    clock: Clock | None = None,
    preferences: Preferences | None = None,
) -> CallingScreen:
    """The calling screen of a script, shown; one per script (an open one comes forward)."""
    screen = _open.get(script_id)
    if screen is None or screen.db is not db:
        screen = CallingScreen(
            db, owner_id, script_id, clock=clock, preferences=preferences, parent=parent
        )
        _open[script_id] = screen
        screen.closed.connect(lambda sid: _open.pop(sid, None))
    screen.show()
    screen.raise_()
    screen.activateWindow()
    return screen


class CallingScreens(QObject):
    """The main window's way to the calling screen."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.screen: CallingScreen | None = None

    def call_selected(self) -> CallingScreen | None:
        """Call the script chosen on the Shows page."""
        window = self.window
        db, owner = window.db, window.owner_id
        if db is None or owner is None:
            window.show_error("Open a database first.")
            return None
        script_id = window.shows.scripts_panel.selected_id()
        if script_id is None:
            window.show_error("Choose a script on a show's Scripts tab, then Call Show.")
            return None
        preferences = getattr(window, "preferences", None)
        try:
            self.screen = open_calling_screen(
                window,
                db,
                owner,
                script_id,
                preferences=preferences if isinstance(preferences, Preferences) else None,
            )
        except CallMasterError as exc:
            window.show_error(str(exc))
            return None
        return self.screen


def attach_calling(window: Any) -> CallingScreens:
    """Add "Call Show…" to the window's Show menu (and its key to the window)."""
    screens = CallingScreens(window)
    action = QAction("&Call Show…", window)
    action.setShortcut(QKeySequence(CALL_SHOW_KEYS))
    action.setToolTip("Open the live calling screen for the chosen script")
    action.triggered.connect(lambda _checked=False: screens.call_selected())
    window.addAction(action)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is not None and menu_action.text().replace("&", "") == "Show":
            menu.addSeparator()
            menu.addAction(action)
            break
    actions = getattr(window, "menu_actions", None)
    if isinstance(actions, dict):
        actions["call_show"] = action
    window.calling = screens
    return screens

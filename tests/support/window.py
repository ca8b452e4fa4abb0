"""Driving the real main window in tests: open it, type, click, answer its dialogs.

Every helper works through real widgets and real key presses or clicks
(``qtbot``); dialogs are opened window-modal with ``open()`` and found as
``window.dialog``, so no test blocks on ``exec()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.settings import AppSettings

# The offscreen platform says this whenever a dialog is shown; it is not our warning.
OFFSCREEN_NOISE = "propagateSizeHints"


def make_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """A main window with its own settings file in ``tmp_path``."""
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace what a line or text box holds by typing ``text`` into it."""
    widget.setFocus()
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.selectAll()
        qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    assert button.isVisible(), f"{button.text()!r} is not visible"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def press(qtbot: QtBot, window: MainWindow, keys: QKeySequence.StandardKey | str) -> None:
    """Press a key combination in the window (as a user would, to trigger a menu action).

    The offscreen platform has no window manager to give the focus back to the
    window after a dialog closes, so the window is activated first.
    """
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    sequence = QKeySequence(keys)
    combo = sequence[0]
    target = window.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def dialog(window: MainWindow) -> Any:
    """The dialog the window opened last; it must be on screen."""
    found = window.dialog
    assert found is not None and found.isVisible(), "no dialog is open"
    return found


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 20000) -> None:
    """Wait until the window's background work is done (its busy indicator is gone)."""
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=timeout)


def wait_opened(qtbot: QtBot, window: MainWindow, timeout: int = 20000) -> None:
    """Wait until the database the window is opening in the background has opened (or not)."""
    qtbot.waitUntil(lambda: window.opening is None, timeout=timeout)


def messages(window: MainWindow) -> str:
    return window.message_bar.message

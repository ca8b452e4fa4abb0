"""What the window remembers on this computer, in ``QSettings``.

The window's size and place, its splitters and table columns, and the list
of recent databases. Preferences that follow the person (theme, clock...)
live in the database instead (``callmaster_desktop.services.preferences``).
A password is never written here: server addresses are kept without it, and
the password itself goes to the operating system's keyring.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter
from sqlalchemy.engine import URL, make_url

from callmaster_desktop.db.engine import normalize_url

MAX_RECENT = 8
RECENT_KEY = "recent/databases"


def without_password(url: str) -> str:
    """The database address as it may be written down: no password in it."""
    full = normalize_url(url)
    parsed = make_url(full)
    if parsed.password is None:
        return full
    # URL.set(password=None) would mean "unchanged": build the address without it.
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False)


class AppSettings:
    """Typed access to the window's ``QSettings`` (default: the application's own)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings()

    # -- recent databases ----------------------------------------------------
    def recent_databases(self) -> list[str]:
        value: Any = self.qsettings.value(RECENT_KEY, [])
        if isinstance(value, str):  # one item comes back as a plain string
            value = [value]
        return [str(v) for v in (value or []) if v]

    def remember_database(self, url: str) -> list[str]:
        """Put ``url`` (without any password) first in the recent list."""
        clean = without_password(url)
        recent = [clean] + [u for u in self.recent_databases() if u != clean]
        self.qsettings.setValue(RECENT_KEY, recent[:MAX_RECENT])
        self.qsettings.sync()
        return recent[:MAX_RECENT]

    def forget_database(self, url: str) -> list[str]:
        clean = without_password(url)
        recent = [u for u in self.recent_databases() if u != clean]
        self.qsettings.setValue(RECENT_KEY, recent)
        return recent

    def clear_recent(self) -> None:
        self.qsettings.remove(RECENT_KEY)

    # -- window layout -------------------------------------------------------
    def save_window(self, window: QMainWindow, name: str = "main_window") -> None:
        self.qsettings.setValue(f"{name}/geometry", window.saveGeometry())
        self.qsettings.setValue(f"{name}/state", window.saveState())

    def restore_window(self, window: QMainWindow, name: str = "main_window") -> bool:
        geometry = self.qsettings.value(f"{name}/geometry")
        state = self.qsettings.value(f"{name}/state")
        restored = False
        if isinstance(geometry, QByteArray | bytes) and geometry:
            restored = window.restoreGeometry(geometry)
        if isinstance(state, QByteArray | bytes) and state:
            window.restoreState(state)
        return restored

    def save_splitter(self, splitter: QSplitter, name: str) -> None:
        self.qsettings.setValue(f"layout/{name}/splitter", splitter.saveState())

    def restore_splitter(self, splitter: QSplitter, name: str) -> None:
        state = self.qsettings.value(f"layout/{name}/splitter")
        if isinstance(state, QByteArray | bytes) and state:
            splitter.restoreState(state)

    def save_header(self, header: QHeaderView, name: str) -> None:
        self.qsettings.setValue(f"layout/{name}/header", header.saveState())

    def restore_header(self, header: QHeaderView, name: str) -> bool:
        state = self.qsettings.value(f"layout/{name}/header")
        if isinstance(state, QByteArray | bytes) and state:
            return bool(header.restoreState(state))
        return False

    def value(self, key: str, default: Any = None) -> Any:
        return self.qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)

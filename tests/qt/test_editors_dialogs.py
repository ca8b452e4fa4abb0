"""Preferences, connecting with the keyring, recent databases, back up, diagnostics, shortcuts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from support.faults import dump_tables
from support.window import (
    OFFSCREEN_NOISE,
    click,
    dialog,
    make_window,
    press,
    type_into,
    wait_idle,
    wait_opened,
)

from callmaster_desktop.domain.enums import Theme
from callmaster_desktop.services import venues
from callmaster_desktop.services.preferences import get_preferences
from callmaster_desktop.services.venues import VenueData
from ui.app import is_dark
from ui.dialogs.connect import KEYRING_SERVICE, NO_KEYRING, ServerAddress, keyring_available
from ui.dialogs.shortcuts import menu_shortcuts
from ui.main_window import MainWindow
from ui.settings import AppSettings, without_password

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, db_url: str) -> MainWindow:
    w = make_window(qtbot, tmp_path)
    w.open_database_url(db_url, sample_on_create=False)
    return w


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps passwords in this process (a desktop's stand-in)."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _settings_text(window: MainWindow) -> str:
    window.settings.qsettings.sync()
    return Path(window.settings.qsettings.fileName()).read_text()


# -- preferences ------------------------------------------------------------
def test_preferences_are_stored_in_the_database_and_the_theme_applies(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None and window.owner_id is not None
    press(qtbot, window, "Ctrl+,")
    prefs = dialog(window)
    prefs.theme.setCurrentIndex(prefs.theme.findData(Theme.DARK.value))
    prefs.lookahead.setValue(45)
    prefs.clock.setCurrentIndex(1)
    click(qtbot, prefs.save_button)
    stored = get_preferences(window.db, window.owner_id)
    assert stored.theme is Theme.DARK and stored.standby_lookahead_s == 45
    assert not stored.clock_24h
    assert is_dark() and window.preferences == stored
    assert not prefs.isVisible()


def test_a_lookahead_out_of_range_is_refused_in_the_dialog(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.db is not None
    prefs = window.open_preferences()
    assert prefs is not None
    prefs.lookahead.setValue(90)
    before = dump_tables(window.db)
    click(qtbot, prefs.save_button)
    assert prefs.error.text() == "The standby lookahead must be between 5 and 60 seconds, not 90."
    assert prefs.isVisible() and prefs.lookahead.value() == 90
    assert dump_tables(window.db) == before


def test_with_confirmations_off_deleting_does_not_ask(window: MainWindow, qtbot: QtBot) -> None:
    db, owner = window.db, window.owner_id
    assert db is not None and owner is not None
    prefs = window.open_preferences()
    assert prefs is not None
    click(qtbot, prefs.confirm_deletes)
    click(qtbot, prefs.save_button)
    venues.create_venue(db, owner, VenueData(name="Almeida"))
    window.nav.setCurrentRow(1)
    window.venues.refresh()
    window.dialog = None
    click(qtbot, window.venues.delete_button)
    wait_idle(qtbot, window)
    assert window.dialog is None
    assert venues.list_venues(db, owner) == []


# -- connecting, the keyring, recent databases -------------------------------
def test_without_a_keyring_the_dialog_says_so_and_no_password_is_written(
    window: MainWindow, qtbot: QtBot, no_keyring: None, db_url: str, backend: str
) -> None:
    assert not keyring_available()
    connect = window.connect_server()
    assert connect.keyring_note.text() == NO_KEYRING and connect.keyring_note.isVisible()
    assert not connect.remember.isEnabled()
    if backend == "postgres":
        address = ServerAddress.from_url(db_url)
        assert address is not None
        type_into(qtbot, connect.database, address.database)
        type_into(qtbot, connect.user, address.user)
        type_into(qtbot, connect.password, "s3cret-booth")
        click(qtbot, connect.ok_button)
        wait_opened(qtbot, window)
        assert window.db is not None and address.database in window.db.description
    else:
        connect.reject()
        window.settings.remember_database("postgresql://sm:s3cret-booth@db.example:5432/shows")
    text = _settings_text(window)
    assert "s3cret-booth" not in text


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_password_goes_to_the_keyring_and_reconnecting_uses_it(
    window: MainWindow, qtbot: QtBot, memory_keyring: MemoryKeyring, db_url: str, backend: str
) -> None:
    address = ServerAddress.from_url(db_url)
    assert address is not None
    connect = window.connect_server()
    assert connect.remember.isChecked() and connect.keyring_note.isHidden()
    type_into(qtbot, connect.host, address.host)
    connect.port.setValue(address.port)
    type_into(qtbot, connect.database, address.database)
    type_into(qtbot, connect.user, address.user)
    type_into(qtbot, connect.password, "booth-pass")
    click(qtbot, connect.ok_button)
    wait_opened(qtbot, window)
    assert memory_keyring.passwords == {(KEYRING_SERVICE, address.account): "booth-pass"}
    recent = window.settings.recent_databases()
    assert recent[0] == address.url() and "booth-pass" not in _settings_text(window)
    # Reopening from the recent list asks the keyring, not the user.
    window.open_database_url(str(window._folder() / "local.sqlite"), sample_on_create=False)
    window.open_recent(recent[0])
    wait_opened(qtbot, window)
    assert (
        window.db is not None and window.db.description == f"{address.database} on {address.host}"
    )
    assert "booth-pass" in window.db.url  # used for the connection, never written down


def test_recent_databases_are_listed_and_reopen(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    first = str(tmp_path / "first.sqlite")
    second = str(tmp_path / "second.sqlite")
    window.open_database_url(first, sample_on_create=False)
    window.open_database_url(second, sample_on_create=False)
    recent = window.settings.recent_databases()
    assert recent[:2] == [without_password(second), without_password(first)]
    menu = window.recent_menu
    assert menu is not None
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels[0] == f"&1 {tmp_path / 'second.sqlite'}"
    next(a for a in menu.actions() if a.text().startswith("&2")).trigger()
    wait_opened(qtbot, window)
    assert window.db is not None and window.db.description.endswith("first.sqlite")


def test_settings_survive_and_hold_the_window_layout(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window.venues.splitter.setSizes([300, 700])
    splitter = window.venues.splitter.saveState()
    window.close()
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert settings.value("main_window/geometry") is not None
    assert settings.value("layout/Venues/splitter") == splitter
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    assert again.venues.splitter.saveState() == splitter
    assert settings.recent_databases()


# -- back up, diagnostics, shortcuts, about -----------------------------------
def test_back_up_now_copies_the_open_file(window: MainWindow, qtbot: QtBot, backend: str) -> None:
    folder = window.back_up_now()
    if backend == "postgres":
        assert folder is None and "administrator backs it up" in window.message_bar.message
        return
    assert folder is not None
    wait_idle(qtbot, window)
    assert "Backed up to" in window.statusBar().currentMessage()
    manual = [p for p in folder.glob("*-manual*.sqlite")]
    assert len(manual) == 1
    with sqlite3.connect(manual[0]) as copy:
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"shows", "venues", "people", "user_preferences"} <= tables


def test_diagnostics_show_the_model_layers_counts(window: MainWindow, qtbot: QtBot) -> None:
    assert window.db is not None and window.owner_id is not None
    venues.create_venue(window.db, window.owner_id, VenueData(name="Almeida"))
    press(qtbot, window, "Ctrl+Shift+I")
    shown = dialog(window)
    metrics = window.db.metrics
    assert shown.commits.text() == str(metrics.commits) and metrics.commits >= 1
    assert shown.rollbacks.text().startswith(f"{metrics.failed_writes} failed or refused saves")
    assert f"({metrics.rollbacks} in all" in shown.rollbacks.text()
    assert shown.slowest.rowCount() == len(metrics.slowest()) > 0
    assert "size" in shown.pool.text() or "pool" in shown.pool.text().lower()
    click(qtbot, shown.reset_button)
    assert shown.commits.text() == "0"


def test_every_action_has_its_own_keys_and_the_list_shows_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    found = menu_shortcuts(window.menuBar())
    keys = [k.toString() for _, _, k in found]
    assert len(keys) == len(set(keys)), "two actions share keys"
    assert {"Ctrl+N", "Ctrl+S", "Ctrl+O", "Ctrl+F", "Ctrl+Q", "Ctrl+P", "Del", "F5"} <= set(keys)
    press(qtbot, window, "Ctrl+/")
    listed = dialog(window).rows()
    assert (
        "Edit",
        "Save",
        QKeySequence("Ctrl+S").toString(QKeySequence.SequenceFormat.NativeText),
    ) in listed
    assert len(listed) >= len(found)


def test_pages_are_reached_with_ctrl_and_a_number(window: MainWindow, qtbot: QtBot) -> None:
    for number, page in (
        (2, window.venues),
        (3, window.departments),
        (4, window.crew),
        (1, window.shows),
    ):
        press(qtbot, window, f"Ctrl+{number}")
        assert window.pages.currentWidget() is page
    press(qtbot, window, QKeySequence.StandardKey.Find)
    assert window.shows.search.hasFocus()

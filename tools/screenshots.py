"""Grab screenshots of the main window's pages and dialogs (light and dark) for review.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py OUTDIR

Creates a scratch database with the sample show in OUTDIR and saves one PNG
per screen and theme there: every page, the show's Scripts and Crew tabs,
a form with inline messages, and the dialogs (preferences, connect,
diagnostics, keyboard shortcuts, delete confirmation, department reassign).
Screenshots are for looking at, never committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CALLMASTER_USER", "stage.manager")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from callmaster_desktop.domain.enums import Theme
    from ui.app import apply_theme, ensure_application
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    app = ensure_application()
    db_path = out / "screens.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = AppSettings(QSettings(str(out / "screens.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings)
    window.resize(1400, 860)
    window.show()
    window.open_database_url(str(db_path))

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    def save(widget: QWidget, name: str, theme: Theme) -> None:
        settle()
        widget.grab().save(str(out / f"{name}-{theme.value}.png"))

    for theme in (Theme.LIGHT, Theme.DARK):
        apply_theme(theme)
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            save(window, window.nav.item(row).text().lower(), theme)
        window.nav.setCurrentRow(0)
        for tab, name in ((1, "show-scripts"), (2, "show-crew")):
            window.shows.tabs.setCurrentIndex(tab)
            save(window, name, theme)
        window.shows.tabs.setCurrentIndex(0)
        # A venue form with a message under a field and the sentence at the top.
        window.nav.setCurrentRow(1)
        form = window.venues.form
        form.field("contact_email").setText("box office")  # type: ignore[attr-defined]
        form.save()
        save(window, "venue-invalid", theme)
        form.cancel()
        window.nav.setCurrentRow(0)
        window.message_bar.show_message(
            "The database file is read-only: check that the file and its folder can be written."
        )
        save(window, "error-bar", theme)
        window.message_bar.hide()
        dialogs = {
            "preferences": window.open_preferences,
            "connect": window.connect_server,
            "diagnostics": window.show_diagnostics,
            "shortcuts": window.show_shortcuts,
        }
        for name, open_dialog in dialogs.items():
            dialog = open_dialog()
            if dialog is not None:
                save(dialog, f"dialog-{name}", theme)
                dialog.close()
        window.nav.setCurrentRow(0)
        window.shows.delete_selected()
        save(window.dialog, "dialog-delete-show", theme)
        window.dialog.reject()
        window.nav.setCurrentRow(2)
        window.departments.table.selectRow(0)
        window.departments.delete_selected()
        save(window.dialog, "dialog-reassign", theme)
        window.dialog.reject()
        window.nav.setCurrentRow(0)
    window.close()
    app.quit()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Grab screenshots of the main window's pages (light and dark) for review.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py OUTDIR

Creates a scratch database with the sample show in OUTDIR and saves one PNG
per page and theme there. Screenshots are for looking at, never committed.
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
    from PySide6.QtWidgets import QApplication

    from callmaster_desktop.domain.enums import Theme
    from ui.app import apply_theme, ensure_application
    from ui.main_window import MainWindow

    app = ensure_application()
    db_path = out / "screens.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    window.open_database_url(str(db_path))
    for theme in (Theme.LIGHT, Theme.DARK):
        apply_theme(theme)
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            QApplication.processEvents()
            name = window.nav.item(row).text().lower()
            window.grab().save(str(out / f"{name}-{theme.value}.png"))
    window.close()
    app.quit()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

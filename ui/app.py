"""QApplication setup: style, light/dark palette, error hook, and ``run``."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from callmaster_desktop.domain.enums import Theme
from callmaster_desktop.errors import CallMasterError

log = logging.getLogger(__name__)

ORGANIZATION = "CallMaster"
APPLICATION = "CallMaster Desktop"


def ensure_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setStyle("Fusion")
    if app.platformName() in ("offscreen", "minimal"):
        # Without a real clipboard, rows left on it crash Qt's teardown at exit.
        app.aboutToQuit.connect(lambda: QApplication.clipboard().clear())
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return app


def dark_palette() -> QPalette:
    """A dark palette for the booth: low glare, readable, amber highlight."""
    p = QPalette()
    window, base, alt = QColor(32, 33, 36), QColor(24, 25, 27), QColor(38, 40, 44)
    text, dim = QColor(226, 226, 222), QColor(130, 132, 136)
    highlight = QColor(200, 140, 40)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, alt)
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, QColor(45, 47, 51))
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, alt)
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, dim)
        p.setColor(group, QPalette.ColorRole.Highlight, highlight)
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(20, 20, 20))
        p.setColor(group, QPalette.ColorRole.Link, QColor(240, 180, 80))
        p.setColor(group, QPalette.ColorRole.Mid, QColor(60, 62, 66))
        p.setColor(group, QPalette.ColorRole.Light, QColor(70, 72, 76))
        p.setColor(group, QPalette.ColorRole.Dark, QColor(18, 18, 20))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(disabled, role, dim)
    p.setColor(disabled, QPalette.ColorRole.Window, window)
    p.setColor(disabled, QPalette.ColorRole.Base, base)
    p.setColor(disabled, QPalette.ColorRole.Button, QColor(45, 47, 51))
    return p


def light_palette() -> QPalette:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    p = app.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor(38, 110, 190))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    return p


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: Theme) -> bool:
    """Apply a theme to the running application; True when it is dark."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark = theme is Theme.DARK or (theme is Theme.SYSTEM and system_prefers_dark())
    app.setPalette(dark_palette() if dark else light_palette())
    app.setProperty("callmaster_dark", dark)
    return dark


def is_dark() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property("callmaster_dark"))


def heading_font(size_delta: float = 4, bold: bool = True) -> QFont:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = QFont(app.font())
    font.setPointSizeF(font.pointSizeF() + size_delta)
    font.setBold(bold)
    return font


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Show unexpected errors in plain words; the details go to the log."""
    log.error("Unhandled error", exc_info=(kind, exc, tb))
    app = QApplication.instance()
    if app is None:
        sys.__excepthook__(kind, exc, tb)
        return
    if isinstance(exc, CallMasterError):
        message = str(exc)
    else:
        message = (
            "Something went wrong inside CallMaster. Your saved work is safe.\n\n"
            f"{kind.__name__}: {exc}"
        )
    box = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, message)
    box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
    box.exec()


def run(url: str, *, login: str | None = None) -> int:
    """Open the application on ``url`` (created with the sample show if new)."""
    from ui.main_window import MainWindow

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = ensure_application()
    sys.excepthook = _excepthook
    apply_theme(Theme.SYSTEM)
    window = MainWindow(login=login)
    window.show()
    # In the background: the window is up at once and says "Opening …"; an error
    # (a newer file, a server that cannot be reached) appears in its message bar.
    window.start_open(url, sample_on_create=True)
    return app.exec()

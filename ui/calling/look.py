"""How the calling screen and the crew display look: booth colours and big type.

Read from a metre away in a dark booth: warm light text on near-black, no
large bright areas, one strong colour per state (green running, amber held,
red safety stop), and the same meaning in the light theme for a rehearsal
room. ``current_look()`` follows the application's theme (``ui.app``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from callmaster_desktop.domain.enums import RunStatus
from ui.app import is_dark

__all__ = [
    "THEME_EVENTS",
    "ElidedLabel",
    "Look",
    "StateLook",
    "current_look",
    "digits_font",
    "fit_pixels",
    "restyle",
    "screen_style",
    "text_font",
]


# What a window hears when the application switches between the light and the dark theme.
THEME_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


@dataclass(frozen=True)
class StateLook:
    """The status pill: its words and colours."""

    text: str
    background: str
    foreground: str


@dataclass(frozen=True)
class Look:
    dark: bool
    background: str  # the window
    panel: str  # a raised area (clock, standby, script)
    border: str
    text: str
    dim: str  # past rows, captions
    accent: str  # amber: standby, the next GO
    go: str  # green: a GO given, running
    go_text: str  # words on the green
    stop: str  # red: safety stop, overdue
    next_row: str  # the rows of the next GO
    overdue_row: str
    safety_row: str
    hold_banner: str
    stop_banner: str
    banner_text: str

    def state(self, status: RunStatus, *, counting_down: bool, started: bool) -> StateLook:
        """The pill for a run's status."""
        if status is RunStatus.RUNNING:
            return StateLook("RUNNING", self.go, self.go_text)
        if status is RunStatus.HELD:
            return StateLook("HOLD", "#e8a317", "#1d1400")
        if status is RunStatus.SAFETY_STOP:
            return StateLook("SAFETY STOP", "#d92626", "#ffffff")
        if status is RunStatus.COMPLETE:
            return StateLook("COMPLETE", self.border, self.text)
        if status is RunStatus.ABANDONED:
            return StateLook("ENDED", self.border, self.text)
        if counting_down and started:
            return StateLook("COUNTDOWN", "#3d7fd6" if self.dark else "#1f5fb4", "#ffffff")
        return StateLook("READY", self.border, self.text)

    def with_alpha(self, colour: str, alpha: int) -> QColor:
        c = QColor(colour)
        c.setAlpha(alpha)
        return c


DARK = Look(
    dark=True,
    background="#111214",
    panel="#1b1c1f",
    border="#34363b",
    text="#ece6da",
    dim="#7b7d82",
    accent="#f2b03d",
    go="#46c972",
    go_text="#06140a",
    stop="#ff5c5c",
    next_row="#4a3a12",
    overdue_row="#5a1c1c",
    safety_row="#3a1717",
    hold_banner="#6e4a00",
    stop_banner="#8e1212",
    banner_text="#fff6e6",
)

LIGHT = Look(
    dark=False,
    background="#ecebe7",
    panel="#ffffff",
    border="#c9c8c3",
    text="#161616",
    dim="#8f8f8f",
    accent="#a55f00",
    go="#1f8a3f",
    go_text="#ffffff",
    stop="#c21f1f",
    next_row="#ffe7a8",
    overdue_row="#ffd0cc",
    safety_row="#fbe3e3",
    hold_banner="#f3c14a",
    stop_banner="#c21f1f",
    banner_text="#1d1400",
)


def current_look() -> Look:
    return DARK if is_dark() else LIGHT


def digits_font(pixels: int, *, bold: bool = True) -> QFont:
    """Fixed-width digits, so a running clock does not jitter."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPixelSize(max(8, pixels))
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def text_font(pixels: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, pixels))
    font.setBold(bold)
    return font


def restyle(widget: QWidget, css: str) -> None:
    """Set a style sheet only when it changes: a new one re-polishes the widget."""
    if widget.styleSheet() != css:
        widget.setStyleSheet(css)


def fit_pixels(text: str, font: QFont, width: int, *, smallest: int) -> int:
    """The largest pixel size (at most the font's) at which ``text`` fits in ``width``."""
    pixels = font.pixelSize()
    if width <= 0 or pixels <= smallest:
        return pixels
    trial = QFont(font)
    while pixels > smallest:
        trial.setPixelSize(pixels)
        if QFontMetrics(trial).horizontalAdvance(text) <= width:
            break
        pixels = max(smallest, int(pixels * 0.9))
    return pixels


class ElidedLabel(QLabel):
    """One line that ends in "…" when the window is too narrow, never widening it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(20)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()


def screen_style(look: Look) -> str:
    """The calling screen's style sheet in this look."""
    return f"""
        #callingRoot {{ background: {look.background}; }}
        #callingRoot QLabel {{ color: {look.text}; }}
        #panel, #startBar, #prompt {{ background: {look.panel};
            border: 1px solid {look.border}; border-radius: 8px; }}
        #panel QLabel, #startBar QLabel, #prompt QLabel {{ border: none; }}
        #caption {{ color: {look.dim}; font-weight: 600; letter-spacing: 1px; }}
        #callingRoot #detail, #callingRoot #lastGo {{ color: {look.dim}; }}
        #callingRoot #notice {{ color: {look.accent}; }}
        #callingRoot #nextName {{ color: {look.text}; }}
        #callingRoot #promptTitle {{ color: {look.accent}; font-weight: 600; }}
        #callingScript {{ background: {look.panel}; alternate-background-color: {look.panel};
            color: {look.text}; border: none; }}
        #callingScript QHeaderView::section {{ background: {look.panel}; color: {look.dim};
            border: none; border-bottom: 1px solid {look.border}; padding: 4px 8px;
            font-weight: 600; }}
        #callingRoot QPushButton, #callingRoot QToolButton {{ background: {look.panel};
            color: {look.text}; border: 1px solid {look.border}; border-radius: 8px;
            padding: 6px 10px; }}
        #callingRoot QPushButton:disabled {{ color: {look.dim}; }}
        #callingRoot QLabel#buttonKey {{ color: {look.dim}; }}
        #callingRoot QLabel:disabled {{ color: {look.dim}; }}
        #departmentFilter::menu-indicator {{ image: none; width: 0; }}
        #callingRoot QPushButton:pressed {{ background: {look.border}; }}
        #callingRoot #button_go {{ background: {look.go}; border: none; }}
        #callingRoot #button_go QLabel {{ color: {look.go_text}; }}
        #callingRoot #button_go:disabled {{ background: {look.border}; }}
        #callingRoot #button_go QLabel:disabled {{ color: {look.dim}; }}
        #callingRoot #button_stop {{ border-color: {look.stop}; }}
        #callingRoot #button_stop QLabel#buttonWord {{ color: {look.stop}; }}
        #callingRoot #button_stop:disabled {{ border-color: {look.border}; }}
        #callingRoot #button_report, #callingRoot QPushButton[urgent="true"] {{
            border: 2px solid {look.accent}; }}
        #callingRoot QPushButton[urgent="true"] QLabel#buttonWord {{ color: {look.accent}; }}
        #callingRoot #button_stop QLabel#buttonWord:disabled {{ color: {look.dim}; }}
        #callingRoot #button_start_now, #callingRoot #button_count_down {{
            font-weight: 700; border-color: {look.go}; }}
        #callingRoot QLineEdit, #callingRoot QComboBox, #callingRoot QTimeEdit {{
            background: {look.background}; color: {look.text};
            border: 1px solid {look.border}; border-radius: 4px; padding: 3px 6px; }}
        #callingRoot QListView {{ background: {look.background}; color: {look.text};
            border: 1px solid {look.border}; selection-background-color: {look.next_row};
            selection-color: {look.text}; }}
        """

"""How the calling screen and the crew display look: booth colours and big type.

Read from a metre away in a dark booth: warm light text on near-black, no
large bright areas, one strong colour per state (green running, amber held,
red safety stop), and the same meaning in the light theme for a rehearsal
room. ``current_look()`` follows the application's theme (``ui.app``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontDatabase

from callmaster_desktop.domain.enums import RunStatus
from ui.app import is_dark

__all__ = ["Look", "StateLook", "current_look", "digits_font", "text_font"]


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
            return StateLook("RUNNING", self.go, "#08110b")
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

"""A big button that says what it does and, smaller beneath, the key that does it.

The word ("GO", "Hold") is large and never wraps; the key ("Space", "H") is
a small hint under it, so the GO button reads from a metre away without its
two lines crowding the button. Both are labels inside the button that let
the mouse through to it; the button itself never takes the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.calling.look import fit_pixels

__all__ = ["KeyButton", "badge_text"]

MARGIN = 6  # pixels between the button's edge and its word


class KeyButton(QPushButton):
    """A push button showing a word and, beneath it, its key."""

    def __init__(self, word: str, key: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.word = QLabel(word)
        self.word.setObjectName("buttonWord")
        self.key = QLabel(key)
        self.key.setObjectName("buttonKey")
        for label in (self.word, self.key):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._word_font = self.word.font()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, 4, MARGIN, 4)
        layout.setSpacing(0)
        layout.addStretch(1)
        layout.addWidget(self.word)
        layout.addWidget(self.key)
        layout.addStretch(1)
        self.key.setVisible(bool(key))
        self.setToolTip(f"{word} ({key})" if key else word)
        self.setAccessibleName(word)

    def words(self) -> str:
        """What the button says (its word)."""
        return self.word.text()

    def set_words(self, word: str) -> None:
        if word != self.word.text():
            self.word.setText(word)
            self.setAccessibleName(word)
            key = self.key.text()
            self.setToolTip(f"{word} ({key})" if key else word)
            self._fit()

    def _fit(self) -> None:
        """The word's type, as large as asked but never wider than the button."""
        room = self.width() - 2 * MARGIN
        pixels = fit_pixels(self.word.text(), self._word_font, room, smallest=10)
        if pixels != self.word.font().pixelSize():
            font = QFont(self._word_font)
            font.setPixelSize(pixels)
            self.word.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def set_urgent(self, urgent: bool) -> None:
        """Stand out (the style's ``[urgent="true"]``): what to press next."""
        if bool(self.property("urgent")) != urgent:
            self.setProperty("urgent", urgent)
            for widget in (self, self.word, self.key):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def set_fonts(self, word: QFont, key: QFont) -> None:
        self._word_font = QFont(word)
        self.word.setFont(word)
        self.key.setFont(key)
        self._fit()
        self.setMinimumHeight(self.word.sizeHint().height() + self.key.sizeHint().height() + 16)


def badge_text(background: str) -> str:
    """White on a department's colour, unless it is too light for white to read."""
    colour = QColor(background)

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )
    return "#ffffff" if 1.05 / (luminance + 0.05) >= 3.0 else "#141414"

"""Painting the calling script's cells with a few painter calls each.

The stock delegate lays every cell out through the style (a text layout per
cell, the style sheet's rules): about 0.15 ms a cell, so a GO that scrolls
the script by a row cost some 8 ms of painting. The row's look (texts,
colours, background, bold or italic) is already worked out once per row by
``CallingScriptModel.row_look``; this delegate reads it directly (no model
round trip per role) and draws the background, then the elided text. Fonts
are derived once per view font (``set_font``); elided texts and their
widths are cached per cell width, and drawn at a point (no text layout).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from ui.calling.script_rows import CLOCK, TIME, CallingScriptModel, DepartmentFilter

__all__ = ["RowPainter"]

PAD = 8  # pixels of air on each side of a cell's text
_ELIDE = Qt.TextElideMode.ElideRight
_ELIDED_CACHE = 5_000


class RowPainter(QStyledItemDelegate):
    """Paints a cell of the calling script from its row's cached look."""

    def __init__(
        self, model: CallingScriptModel, proxy: DepartmentFilter, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = proxy
        self.text_colour = QColor("#000000")
        self._fonts: list[tuple[QFont, QFontMetrics]] = []  # plain, bold, italic, both
        self._elided: dict[tuple[int, str, int], tuple[str, int]] = {}
        self.set_font(QFont())

    def set_text_colour(self, colour: str) -> None:
        """The colour of text that has none of its own (the theme's text)."""
        self.text_colour = QColor(colour)

    def set_font(self, base: QFont) -> None:
        """The view's font (it grows with the window): plain, bold and italic from it."""
        self._fonts = []
        for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
            font = QFont(base)
            font.setBold(bold)
            font.setItalic(italic)
            self._fonts.append((font, QFontMetrics(font)))
        self._elided.clear()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        source = self.proxy.mapToSource(index)
        row, column = source.row(), source.column()
        if row < 0:
            return
        look = self.model.row_look(row)
        rect: QRect = option.rect
        if look.background is not None:
            painter.fillRect(rect, look.background)
        text = look.texts[column]
        if not text:
            return
        special = look.font
        variant = 0 if special is None else int(special.bold()) + 2 * int(special.italic())
        font, metrics = self._fonts[variant]
        width = rect.width() - 2 * PAD
        if width <= 0:
            return
        key = (variant, text, width)
        found = self._elided.get(key)
        if found is None:
            if len(self._elided) > _ELIDED_CACHE:
                self._elided.clear()
            shown = metrics.elidedText(text, _ELIDE, width)
            found = self._elided[key] = (shown, metrics.horizontalAdvance(shown))
        shown, advance = found
        foreground = look.foregrounds[column]
        painter.setPen(foreground.color() if foreground is not None else self.text_colour)
        painter.setFont(font)
        x = rect.x() + PAD
        if column in (TIME, CLOCK):
            x += (width - advance) // 2
        y = rect.y() + (rect.height() - metrics.height()) // 2 + metrics.ascent()
        painter.drawText(QPoint(x, y), shown)

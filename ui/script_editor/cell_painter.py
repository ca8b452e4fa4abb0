"""Painting one cell of the script fast: a few painter calls, everything else cached.

The look of a cell (its background, font, text colour and alignment)
depends only on the row's kind, priority and colour and on the column, so
it is worked out once per combination and theme (``style.cell_role``) and
then looked up. Department chips are drawn once per department and size
and then copied as pixmaps. Text is elided only when it might not fit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from ui.script_editor import style
from ui.script_editor.rows import Col
from ui.script_editor.script_model import ScriptModel

INDENT = 18
ARROW = 14
PAD = 6
ELISION_CACHE = 20_000
_SELECTED = QStyle.StateFlag.State_Selected.value
_FOCUS = QStyle.StateFlag.State_HasFocus.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_GROUP, _CUE = ElementType.GROUP, ElementType.CUE
_NAME, _DEPARTMENT, _PRIORITY = int(Col.NAME), int(Col.DEPARTMENT), int(Col.PRIORITY)
_ELIDE = Qt.TextElideMode.ElideRight
_ROLES = (
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ForegroundRole,
)
Look = tuple[QBrush | None, QFont, QColor, int, int]  # background, font, pen, align, char width


class CellPainter:
    def __init__(self, model: ScriptModel, header: QHeaderView) -> None:
        self.model = model
        self.header = header
        self.colorize = True
        self._looks: dict[tuple[Any, ...], Look] = {}
        self._chips: dict[tuple[str, str, int, float], QPixmap] = {}
        self._theme: tuple[int, bool] | None = None
        self._colors: dict[str, QColor] = {}
        self._brushes: dict[str, QBrush] = {}
        self._elisions: dict[tuple[str, str, int], str] = {}

    def begin(self) -> None:
        """Called by the view before it paints: pick up a change of theme."""
        self._check_theme()

    def _check_theme(self) -> None:
        palette = QApplication.palette()
        key = (palette.cacheKey(), style.dark())
        if key == self._theme:
            return
        self._theme = key
        self._looks.clear()
        active, inactive = QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive
        role = QPalette.ColorRole
        self._brushes = {
            "highlight": palette.brush(active, role.Highlight),
            "highlight-inactive": palette.brush(inactive, role.Highlight),
        }
        self._colors = {
            "text": palette.color(active, role.Text),
            "selected-text": palette.color(active, role.HighlightedText),
            "focus": palette.color(active, role.Highlight).lighter(150),
        }

    def look(self, e: ElementData, column: int) -> Look:
        key = (e.element_type, e.priority, e.color, column)
        found = self._looks.get(key)
        if found is None:
            col = Col(column)
            background, font, foreground = (style.cell_role(e, col, r, ()) for r in _ROLES)
            pen = foreground.color() if isinstance(foreground, QBrush) else self._colors["text"]
            font = font if isinstance(font, QFont) else QApplication.font()
            # Wider than most letters: text shorter than this surely fits without eliding.
            width = int(QFontMetrics(font).averageCharWidth() * 1.6) or 12
            found = (background, font, pen, style.cell_alignment(col), width)
            self._looks[key] = found
        return found

    def paint(self, painter: QPainter, option: Any, row: int, column: int) -> None:
        model = self.model
        e = model.element_at(row)
        if e is None:
            return
        if self._theme is None:
            self._check_theme()
        text = model.row_text(e)[column]
        rect: QRect = option.rect
        state = option.state.value
        selected = bool(state & _SELECTED)
        background, font, pen, align, char_width = self.look(e, column)
        if selected:
            key = "highlight" if state & _ACTIVE else "highlight-inactive"
            painter.fillRect(rect, self._brushes[key])
            pen = self._colors["selected-text"]
        elif background is not None:
            painter.fillRect(rect, background)
        left, top, width, height = rect.x(), rect.y(), rect.width(), rect.height()
        safety = e.priority is Priority.SAFETY and e.element_type is not _GROUP
        if safety and self.header.visualIndex(column) == 0:
            style.paint_hazard_stripes(painter, QRect(left, top, style.STRIPE_WIDTH, height))
            left += style.STRIPE_WIDTH
            width -= style.STRIPE_WIDTH
        if column == _NAME:
            indent = self._paint_tree(painter, e, left, top, height, pen)
            left += indent
            width -= indent
        if column == _DEPARTMENT and self.colorize and e.department_id is not None and text:
            color = model.formatter.color(e.department_id)
            if color:
                self._paint_chip(painter, QRect(left, top, width, height), text, color)
                text = ""
        elif column == _PRIORITY and safety:
            style.paint_safety_badge(painter, QRect(left, top, width, height), text)
            text = ""
        if text:
            inner = width - 2 * PAD
            if len(text) * char_width > inner:
                text = self._elided(text, font, inner)
            painter.setFont(font)
            painter.setPen(pen)
            painter.drawText(QRect(left + PAD, top, inner, height), align, text)
        if state & _FOCUS:
            painter.setPen(
                self._colors["focus"] if selected else self._brushes["highlight"].color()
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))

    def _elided(self, text: str, font: QFont, width: int) -> str:
        key = (text, font.key(), width)
        found = self._elisions.get(key)
        if found is None:
            if len(self._elisions) > ELISION_CACHE:
                self._elisions.clear()
            found = QFontMetrics(font).elidedText(text, _ELIDE, width)
            self._elisions[key] = found
        return found

    def _paint_tree(
        self, painter: QPainter, e: ElementData, left: int, top: int, height: int, pen: QColor
    ) -> int:
        """The indent and fold arrow; returns how much of the cell they took."""
        depth = self.model.depth(e.id)
        indent = depth * INDENT
        if e.element_type is _GROUP:
            fold = self.model.fold_state(e)
            if fold != "empty":
                x = left + PAD + indent + ARROW / 2
                y = top + height / 2
                if fold == "folded":
                    points = [QPointF(x - 3, y - 5), QPointF(x + 4, y), QPointF(x - 3, y + 5)]
                else:
                    points = [QPointF(x - 5, y - 3), QPointF(x + 5, y - 3), QPointF(x, y + 4)]
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(pen)
                painter.drawPolygon(QPolygonF(points))
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            return indent + ARROW + 4
        return indent + (ARROW + 4 if depth else 0)

    def _paint_chip(self, painter: QPainter, rect: QRect, text: str, color: str) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (text, color, rect.height(), ratio)
        pixmap = self._chips.get(key)
        if pixmap is None:
            width = QFontMetrics(_bold()).horizontalAdvance(text) + 18
            pixmap = QPixmap(int(width * ratio), int(rect.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            chip_painter = QPainter(pixmap)
            style.paint_chip(chip_painter, QRect(0, 0, width, rect.height()), text, QColor(color))
            chip_painter.end()
            self._chips[key] = pixmap
        shown = pixmap.width() / ratio
        x = rect.x() + max(0.0, (rect.width() - shown) / 2)
        painter.drawPixmap(int(x), rect.y(), pixmap)

    def fold_arrow_hit(self, rect: QRect, e: ElementData, x: int) -> bool:
        """Whether a click at ``x`` in the name cell ``rect`` is on the group's fold arrow."""
        if e.element_type is not _GROUP:
            return False
        left = rect.left() + PAD + self.model.depth(e.id) * INDENT
        if style.is_safety(e) and self.header.visualIndex(_NAME) == 0:
            left += style.STRIPE_WIDTH
        return left - 3 <= x <= left + ARROW + 3

    def name_indent(self, e: ElementData) -> int:
        depth = self.model.depth(e.id)
        return depth * INDENT + (ARROW + 4 if e.element_type is _GROUP or depth else 0)


_BOLD: list[QFont] = []


def _bold() -> QFont:
    if not _BOLD:
        font = QFont(QApplication.font())
        font.setBold(True)
        _BOLD.append(font)
    return _BOLD[0]

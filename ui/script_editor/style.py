"""How rows look: fonts, colours, safety hazard stripes and department chips.

``cell_role`` answers the look roles of one cell (the model calls it);
``paint_hazard_stripes`` and ``paint_chip`` are used by the view and the
delegates. Safety cues are unmistakable in both themes: a red row, a
yellow-and-black striped band at the row's left edge and a striped
"SAFETY" badge in the priority column.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from ui.script_editor.rows import Col

HAZARD_YELLOW = QColor(246, 196, 0)
HAZARD_BLACK = QColor(22, 22, 22)
SAFETY_TINT_LIGHT = QColor(214, 40, 40, 58)
SAFETY_TINT_DARK = QColor(200, 40, 40, 92)
CRITICAL_LIGHT = QColor(190, 80, 0)
CRITICAL_DARK = QColor(255, 160, 70)
TINT_ALPHA = 64
STRIPE_WIDTH = 7

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_FONTS: dict[str, QFont] = {}


def dark() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property("callmaster_dark"))


def _font(kind: str) -> QFont:
    font = _FONTS.get(kind)
    if font is None:
        font = QFont()
        font.setBold(kind in ("bold", "bold-italic"))
        font.setItalic(kind in ("italic", "bold-italic"))
        _FONTS[kind] = font
    return font


def tint(color: str | None, alpha: int = TINT_ALPHA) -> QColor | None:
    if not color:
        return None
    c = QColor(color)
    if not c.isValid():
        return None
    c.setAlpha(alpha)
    return c


def _group_tint() -> QColor:
    return QColor(255, 255, 255, 22) if dark() else QColor(0, 40, 90, 20)


def is_safety(e: ElementData) -> bool:
    return e.priority is Priority.SAFETY and e.element_type is not ElementType.GROUP


def cell_alignment(column: Col) -> int:
    if column in (Col.TIME, Col.DURATION):
        return _RIGHT
    if column is Col.DEPARTMENT:
        return _CENTER
    return _LEFT


def cell_role(e: ElementData, column: Col, role: int, text: tuple[str, ...]) -> Any:
    """The value of a look role (font, colours, alignment, tooltip) for one cell."""
    kind = e.element_type
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return cell_alignment(column)
    if role == Qt.ItemDataRole.BackgroundRole:
        if is_safety(e):
            return QBrush(SAFETY_TINT_DARK if dark() else SAFETY_TINT_LIGHT)
        if kind is not ElementType.CUE:
            color = tint(e.color)
            if color is not None:
                return QBrush(color)
            if kind is ElementType.GROUP:
                return QBrush(_group_tint())
        return None
    if role == Qt.ItemDataRole.FontRole:
        if kind is ElementType.GROUP:
            derived = column in (Col.TIME, Col.DURATION)
            return _font("bold-italic" if derived else "bold")
        if column is Col.CUE or (column is Col.PRIORITY and e.priority is Priority.CRITICAL):
            return _font("bold")
        if kind is ElementType.NOTE and column is Col.NAME:
            return _font("italic")
        return None
    if role == Qt.ItemDataRole.ForegroundRole:
        if kind is ElementType.GROUP and column in (Col.TIME, Col.DURATION):
            return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if column is Col.PRIORITY and e.priority is Priority.CRITICAL:
            return QBrush(CRITICAL_DARK if dark() else CRITICAL_LIGHT)
        return None
    if role == Qt.ItemDataRole.ToolTipRole:
        if is_safety(e) and column in (Col.PRIORITY, Col.CUE):
            return "Safety cue: get a visual clear from the department before GO."
        if column is Col.NOTES and e.notes:
            return e.notes
        if kind is ElementType.GROUP and column in (Col.TIME, Col.DURATION):
            return "Worked out from the rows in this group."
        shown = text[column]
        return shown if len(shown) > 28 else None
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return text[column]
    return None


def paint_hazard_stripes(painter: QPainter, rect: QRect, *, stripe: int = 8) -> None:
    """Yellow and black diagonal stripes filling ``rect``."""
    painter.save()
    painter.setClipRect(rect)
    painter.fillRect(rect, HAZARD_YELLOW)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(HAZARD_BLACK)
    height = rect.height()
    x = rect.left() - height
    while x < rect.right() + height:
        path = QPainterPath()
        path.moveTo(QPointF(x, rect.bottom() + 1))
        path.lineTo(QPointF(x + stripe, rect.bottom() + 1))
        path.lineTo(QPointF(x + stripe + height, rect.top()))
        path.lineTo(QPointF(x + height, rect.top()))
        path.closeSubpath()
        painter.drawPath(path)
        x += 2 * stripe
    painter.restore()


def paint_safety_badge(painter: QPainter, rect: QRect, text: str) -> None:
    """The priority cell of a safety cue: a striped badge with the word on a solid plate."""
    badge = rect.adjusted(4, 4, -4, -4)
    paint_hazard_stripes(painter, badge, stripe=6)
    painter.save()
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    plate_width = metrics.horizontalAdvance(text) + 10
    plate = QRectF(
        badge.center().x() - plate_width / 2, badge.top() + 1, plate_width, badge.height() - 2
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(HAZARD_BLACK)
    painter.drawRoundedRect(plate, 3, 3)
    painter.setPen(QPen(HAZARD_YELLOW))
    painter.drawText(plate, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()


def readable_on(color: QColor) -> QColor:
    """Black or white, whichever reads better on ``color``."""
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return QColor(20, 20, 20) if luminance > 150 else QColor(255, 255, 255)


def paint_chip(painter: QPainter, rect: QRect, text: str, color: QColor) -> None:
    """A department as a small rounded chip in its colour with its initials."""
    if not text:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    width = min(rect.width() - 6, painter.fontMetrics().horizontalAdvance(text) + 16)
    height = min(rect.height() - 8, painter.fontMetrics().height() + 4)
    chip = QRectF(
        rect.center().x() - width / 2 + 0.5, rect.center().y() - height / 2 + 0.5, width, height
    )
    painter.setPen(QPen(color.darker(130), 1))
    painter.setBrush(color)
    painter.drawRoundedRect(chip, height / 2, height / 2)
    painter.setPen(readable_on(color))
    painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()

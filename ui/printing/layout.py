"""Printed pages with a running header and page numbers, for any ``QTextDocument``.

``print_paged`` lays a document out on the pages of a ``QPdfWriter`` or a
``QPrinter`` and draws, on every page, a header (show, venue, script, what
the paper is, the date it was printed, and an accent bar in a department's
colour) and a footer ("Page 2 of 7"). The calling script, the cue sheets
and the show report use it; any other printout can.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from callmaster_desktop.errors import ValidationError

FONT_FAMILY = "DejaVu Sans"
MARGIN_MM = 12
HEADER_MM = 17
FOOTER_MM = 9
INK = QColor(20, 20, 20)
MUTED = QColor(95, 95, 95)
RULE = QColor(150, 150, 150)


@dataclass(frozen=True)
class PageHeader:
    """What every page says at its top."""

    title: str  # what the paper is: "Calling Script", "Cue Sheet: Lighting (LX)"
    show: str
    venue: str | None
    script: str
    printed_at: datetime
    accent: str | None = None  # a department's colour, as a bar down the header
    summary: str = ""  # a short line under the title: "212 rows · 148 cues · 6 safety"

    @property
    def document_title(self) -> str:
        return f"{self.show}: {self.script} ({self.title})"


def page_layout(landscape: bool = False, size: QPageSize.PageSizeId | None = None) -> QPageLayout:
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(
        QPageSize(size or QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def _mm(device: QPagedPaintDevice, mm: float) -> float:
    return mm / 25.4 * device.logicalDpiY()


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def print_paged(document: QTextDocument, device: QPagedPaintDevice, header: PageHeader) -> int:
    """Lay ``document`` out on the device's pages with header and footer; return the pages."""
    paint = device.pageLayout().paintRectPixels(device.logicalDpiY())
    head, foot = _mm(device, HEADER_MM), _mm(device, FOOTER_MM)
    body = QRectF(0, head, paint.width(), paint.height() - head - foot)
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(QSizeF(body.width(), body.height()))
    pages = max(1, document.pageCount())
    painter = QPainter()
    if not painter.begin(device):
        raise ValidationError("The PDF or printer cannot be written to.")
    try:
        for page in range(pages):
            if page:
                device.newPage()
            _draw_header(painter, device, header, paint.width(), head)
            painter.save()
            painter.translate(body.left(), body.top() - page * body.height())
            visible = QRectF(0, page * body.height(), body.width(), body.height())
            painter.setClipRect(visible)
            document.drawContents(painter, visible)
            painter.restore()
            _draw_footer(painter, device, page + 1, pages, paint.width(), paint.height(), foot)
    finally:
        painter.end()
        # The layout must not keep a device that is about to go (a QPdfWriter is closed by
        # deleting it).
        document.documentLayout().setPaintDevice(None)  # type: ignore[arg-type]
    return pages


def _draw_header(
    painter: QPainter, device: QPagedPaintDevice, header: PageHeader, width: float, height: float
) -> None:
    left = 0.0
    if header.accent:
        bar = _mm(device, 2.2)
        painter.fillRect(QRectF(0, 0, bar, height - _mm(device, 4)), QColor(header.accent))
        left = bar + _mm(device, 2.5)
    painter.setPen(INK)
    show_font = _font(14, bold=True)
    painter.setFont(show_font)
    line = QFontMetricsF(show_font, device).height()
    venue = f"  ·  {header.venue}" if header.venue else ""
    painter.drawText(
        QRectF(left, 0, width * 0.68 - left, line),
        Qt.AlignmentFlag.AlignLeft,
        _elide(f"{header.show}{venue}", show_font, device, width * 0.68 - left),
    )
    small = _font(9)
    painter.setFont(small)
    painter.setPen(MUTED)
    printed = header.printed_at.astimezone().strftime("Printed %a %d %b %Y, %H:%M")
    painter.drawText(
        QRectF(width * 0.6, 0, width * 0.4, line),
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        printed,
    )
    title_font = _font(11, bold=True)
    painter.setFont(title_font)
    painter.setPen(INK)
    second = QFontMetricsF(title_font, device).height()
    text = f"{header.title}  —  {header.script}"
    painter.drawText(
        QRectF(left, line, width * 0.7 - left, second),
        Qt.AlignmentFlag.AlignLeft,
        _elide(text, title_font, device, width * 0.7 - left),
    )
    if header.summary:
        painter.setFont(small)
        painter.setPen(MUTED)
        painter.drawText(
            QRectF(width * 0.5, line, width * 0.5, second),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            header.summary,
        )
    pen = QPen(RULE)
    pen.setWidthF(_mm(device, 0.3))
    painter.setPen(pen)
    y = height - _mm(device, 3)
    painter.drawLine(QPointF(0, y), QPointF(width, y))


def _draw_footer(
    painter: QPainter, device: QPagedPaintDevice, page: int, pages: int,
    width: float, height: float, foot: float,
) -> None:  # fmt: skip
    pen = QPen(RULE)
    pen.setWidthF(_mm(device, 0.3))
    painter.setPen(pen)
    top = height - foot + _mm(device, 2)
    painter.drawLine(QPointF(0, top), QPointF(width, top))
    painter.setFont(_font(8.5))
    painter.setPen(MUTED)
    box = QRectF(0, top + _mm(device, 1), width, foot - _mm(device, 3))
    painter.drawText(
        box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "CallMaster Desktop"
    )
    painter.setPen(INK)
    painter.setFont(_font(9, bold=True))
    painter.drawText(
        box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"Page {page} of {pages}"
    )


def _elide(text: str, font: QFont, device: QPagedPaintDevice, width: float) -> str:
    return QFontMetricsF(font, device).elidedText(text, Qt.TextElideMode.ElideRight, width)


def new_document(body_html: str, *, font_points: float = 9) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(font_points)
    document.setDefaultFont(font)
    document.setHtml(body_html)
    return document


def write_pdf(
    path: str | Path,
    document: QTextDocument,
    header: PageHeader,
    *,
    landscape: bool = False,
) -> int:
    """Write ``document`` to a PDF file with header and page numbers; return the pages."""
    target = Path(path)
    if not target.parent.is_dir():
        raise ValidationError(
            f"The PDF cannot be written: the folder {target.parent} is not there."
        )
    try:
        target.touch()
    except OSError as exc:
        raise ValidationError(f"{target} cannot be written: {exc.strerror or exc}.") from None
    writer = QPdfWriter(str(target))
    writer.setTitle(header.document_title)
    writer.setCreator("CallMaster Desktop")
    writer.setResolution(300)
    writer.setPageLayout(page_layout(landscape))
    try:
        pages = print_paged(document, writer, header)
    finally:
        del writer  # closes the file
    if not target.exists() or target.stat().st_size == 0:
        raise ValidationError(f"The PDF could not be written to {target}: check the folder.")
    return pages


def text_block(text: str) -> str:
    """Plain text as HTML that keeps its lines and columns (for text reports)."""
    return (
        "<pre style='font-family: \"DejaVu Sans Mono\", monospace; font-size: 8.5pt;'>"
        f"{html.escape(text)}</pre>"
    )

"""The show report as a document: HTML for the screen and paper, and a paged PDF.

The report's data comes from the engine (``callmaster_desktop.calling.report``);
this module only lays it out. On paper every page has a header (show,
script, run) and a footer (printed when, page n of m); safety stops are
marked in red and the late cues stand out, in black on white.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from callmaster_desktop.calling.report import (
    ShowReport,
    clock_text,
    short,
)
from callmaster_desktop.domain.timeoffset import format_delta
from callmaster_desktop.errors import DatabaseError

__all__ = ["report_html", "report_title", "save_report_pdf"]

PAPER = {
    "text": "#000000",
    "dim": "#555555",
    "head": "#e6e6e6",
    "rule": "#000000",
    "stop": "#b00000",
    "late": "#8a4b00",
    "alt": "#f5f5f5",
}


def _delta(ms: int | None) -> str:
    return "" if ms is None else format_delta(ms)


def report_title(report: ShowReport) -> str:
    return f"Show report: {report.show_name}"


def _row(cells: list[str], *, head: bool = False, style: str = "") -> str:
    tag = "th" if head else "td"
    align = " align='left'" if head else ""
    inner = "".join(f"<{tag}{align}>{c}</{tag}>" for c in cells)
    return f"<tr{style}>{inner}</tr>"


def _table(
    headings: list[str],
    rows: list[list[str]],
    colours: dict[str, str],
    empty: str,
    styles: list[str] | None = None,
) -> str:
    if not rows:
        return f"<p style='color:{colours['dim']}'><i>{html.escape(empty)}</i></p>"
    out = [
        "<table width='100%' cellspacing='0' cellpadding='4' "
        "style='border-collapse: collapse; margin-bottom: 6px;'>",
        "<thead>",  # repeated at the top of every page the table runs onto
        _row(headings, head=True, style=f" style='background:{colours['head']}'"),
        "</thead>",
    ]
    for number, cells in enumerate(rows):
        style = styles[number] if styles else ""
        if not style and number % 2 and colours.get("alt"):
            style = f" style='background:{colours['alt']}'"
        out.append(_row(cells, style=style))
    out.append("</table>")
    return "".join(out)


def report_html(report: ShowReport, *, colours: dict[str, str] | None = None) -> str:
    """The whole report as HTML (black on white by default, for paper)."""
    c = colours or PAPER
    e = html.escape
    status = report.status.value.replace("_", " ")
    late = report.curtain_late_ms
    curtain = clock_text(report.curtain_up_at, None) or "—"
    if late:
        curtain += f" ({short(abs(late))} {'late' if late > 0 else 'early'})"
    summary = [
        ("Scheduled start", clock_text(report.scheduled_start, None) or "—"),
        ("Curtain up", curtain),
        ("Down", clock_text(report.ended_at, None) or "—"),
        ("Running time", short(report.running_ms) or "—"),
        ("Held after curtain up", short(report.held_after_curtain_ms)),
        ("Show clock at the end", short(report.show_clock_ms) or "—"),
        ("All holds", f"{len(report.holds)}, {short(report.total_hold_ms)} in all"),
    ]
    parts = [
        f"<html><body style='font-family: sans-serif; color: {c['text']}; font-size: 10pt;'>",
        f"<h1 style='font-size: 18pt; margin: 0;'>{e(report_title(report))}</h1>",
        f"<p style='font-size: 11pt; margin-top: 2pt; color: {c['dim']};'>"
        f"{e(report.script_name)} · {e(report.kind.value)} · {e(status)}</p>",
        "<table cellspacing='0' cellpadding='3'>",
        *(
            f"<tr><td style='color:{c['dim']}; padding-right: 18px;'>{e(k)}</td>"
            f"<td><b>{e(v)}</b></td></tr>"
            for k, v in summary
        ),
        "</table>",
        "<h2 style='font-size: 13pt;'>Running time by act</h2>",
        _table(
            ["Act", "Up", "Down", "Running", "Held", "Called", "Skipped"],
            [
                [
                    e(a.name),
                    clock_text(a.up_at, None),
                    clock_text(a.down_at, None),
                    short(a.running_ms) if a.up_at else "not reached",
                    short(a.held_ms) if a.held_ms else "",
                    str(a.called),
                    str(a.skipped),
                ]
                for a in report.acts
            ],
            c,
            "The script has no acts (top-level groups).",
        ),
        f"<h2 style='font-size: 13pt;'>Holds ({len(report.holds)})</h2>",
        _table(
            ["Time", "Show clock", "Length", "Reason"],
            [
                [
                    clock_text(h.started_at, None),
                    short(h.show_ms),
                    short(h.length_ms) if h.length_ms is not None else "not ended",
                    ("<b>SAFETY STOP</b> · " if h.safety else "") + e(h.reason),
                ]
                for h in report.holds
            ],
            c,
            "No holds.",
            [f" style='color:{c['stop']}'" if h.safety else "" for h in report.holds],
        ),
    ]
    threshold = short(report.threshold_ms)
    for heading, lines in (
        (f"Called late by more than {threshold}", report.late),
        (f"Called early by more than {threshold}", report.early),
    ):
        parts.append(f"<h2 style='font-size: 13pt;'>{e(heading)} ({len(lines)})</h2>")
        parts.append(
            _table(
                ["Cue", "Description", "Act", "Planned", "Called", "Difference"],
                [
                    [
                        f"<b>{e(x.label)}</b>",
                        e(x.description),
                        e(x.act),
                        short(x.planned_ms),
                        short(x.actual_ms),
                        f"<b>{_delta(x.difference_ms)}</b>",
                    ]
                    for x in lines
                ],
                c,
                "None.",
            )
        )
    parts.append(f"<h2 style='font-size: 13pt;'>Skipped ({len(report.skipped)})</h2>")
    parts.append(
        _table(
            ["Cue", "Description", "Act", "Planned"],
            [
                [f"<b>{e(x.label)}</b>", e(x.description), e(x.act), short(x.planned_ms)]
                for x in report.skipped
            ],
            c,
            "No cue was skipped.",
        )
    )
    if report.not_called:
        parts.append(
            f"<h2 style='font-size: 13pt;'>Never reached ({len(report.not_called)})</h2>"
            f"<p>{e(', '.join(report.not_called))}</p>"
        )
    parts.append(f"<h2 style='font-size: 13pt;'>Caller's notes ({len(report.notes)})</h2>")
    parts.append(
        _table(
            ["Time", "Show clock", "Cue", "Note"],
            [
                [
                    clock_text(n.noted_at, None),
                    short(n.show_ms) if n.show_ms is not None else "before start",
                    f"<b>{e(n.label)}</b>" if n.label else "",
                    e(n.text),
                ]
                for n in report.notes
            ],
            c,
            "No notes.",
        )
    )
    if report.general_notes:
        parts.append("<h2 style='font-size: 13pt;'>Run notes</h2>")
        general = report.general_notes.splitlines()
        parts.append("".join(f"<p style='margin: 0 0 4px 0;'>{e(x)}</p>" for x in general))
    parts.append("</body></html>")
    return "\n".join(parts)


def save_report_pdf(report: ShowReport, path: Path) -> Path:
    """Write the report as an A4 PDF with a header and "page n of m" on every page."""
    try:
        path.open("wb").close()  # a plain reason (no folder, no permission) before drawing
    except OSError as exc:
        raise DatabaseError(
            f"The PDF could not be written to {path}: {exc.strerror or exc}."
        ) from exc
    writer = QPdfWriter(str(path))
    writer.setTitle(report_title(report))
    writer.setCreator("CallMaster Desktop")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise DatabaseError(f"The PDF could not be written to {path}: check the folder.")
    try:
        _paint_pages(report, writer, painter)
    finally:
        painter.end()
    del writer
    if not path.exists() or path.stat().st_size == 0:
        raise DatabaseError(f"The PDF could not be written to {path}.")
    return path


def _paint_pages(report: ShowReport, writer: QPdfWriter, painter: QPainter) -> None:
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    width, height = float(page.width()), float(page.height())
    band = writer.resolution() * 0.3  # header and footer: 0.3 inch each
    body_height = height - 2 * band
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # the printer's own font metrics
    document.setDocumentMargin(0)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setHtml(report_html(report))
    document.setPageSize(QSizeF(width, body_height))
    pages = max(1, document.pageCount())
    printed = datetime.now().strftime("%d %b %Y, %H:%M")
    small = QFont("DejaVu Sans")
    small.setPointSizeF(8)
    for number in range(pages):
        if number:
            writer.newPage()
        painter.save()
        painter.setFont(small)
        painter.setPen(Qt.GlobalColor.black)
        header = f"{report.show_name} · {report.script_name} · {report.kind.value} run"
        painter.drawText(QRectF(0, 0, width, band * 0.7), Qt.AlignmentFlag.AlignLeft, header)
        painter.drawText(
            QRectF(0, 0, width, band * 0.7), Qt.AlignmentFlag.AlignRight, "Show report"
        )
        painter.drawLine(QPointF(0, band * 0.75), QPointF(width, band * 0.75))
        footer = QRectF(0, height - band * 0.7, width, band * 0.7)
        painter.drawText(
            footer,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
            f"Printed {printed} · CallMaster Desktop",
        )
        painter.drawText(
            footer,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            f"Page {number + 1} of {pages}",
        )
        painter.restore()
        painter.save()
        top = number * body_height
        painter.translate(0, band - top)
        document.drawContents(painter, QRectF(0, top, width, body_height))
        painter.restore()

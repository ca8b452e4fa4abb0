"""The calling script and the department cue sheets on paper (QPdfWriter / QPrinter).

The rows come from ``callmaster_desktop.formats.report_data`` (read once,
nothing held open); this module lays them out as a table in a
``QTextDocument`` and prints it through ``layout.print_paged``, so every page
carries the show, venue, script and date at the top and "Page n of N" at the
bottom. Groups are bold bands in their colour, notes are italic, each cue
carries its department's colour, and safety cues are boxed in red with a
SAFETY mark that survives a black-and-white photocopy.

``write_show_report_pdf`` is the hook for the show report after a run: it
prints any report that can write itself as text, in the same frame.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QColor, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.types import utcnow
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.report_data import (
    ReportRow,
    ScriptReport,
    find_script,
    load_script_report,
)
from ui.printing.layout import PageHeader, new_document, print_paged, text_block, write_pdf

SAFETY_RED = "#B00020"
SAFETY_TINT = "#FDE7E9"
PRIORITY_WORDS = {
    Priority.CRITICAL: "Critical",
    Priority.HIGH: "High",
    Priority.LOW: "Low",
    Priority.OPTIONAL: "Optional",
}
COLUMNS = (("Time", 10), ("Cue", 12), ("What happens", 48), ("Dur.", 8), ("Where", 11), ("", 11))
NOWRAP = " style='white-space: nowrap;'"


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _tint(color: str | None, alpha: float = 0.18) -> str:
    """A pale version of a colour for a band behind black text (white when none)."""
    if not color:
        return "#EFEFEF"
    c = QColor(color)
    if not c.isValid():
        return "#EFEFEF"
    mix = [round(255 - (255 - v) * alpha) for v in (c.red(), c.green(), c.blue())]
    return "#{:02X}{:02X}{:02X}".format(*mix)


def _indented(depth: int, content: str) -> str:
    """Cell content moved right by its depth in the group tree."""
    return f"<p style='margin: 0; margin-left: {depth * 9}pt;'>{content}</p>"


def _group_row(row: ReportRow) -> str:
    size = 11 if row.depth == 0 else 10
    notes = f"<br><span style='font-weight: normal; font-size: 8.5pt;'>{_e(row.notes)}</span>"
    return (
        f"<tr><td colspan='{len(COLUMNS)}' bgcolor='{_tint(row.color, 0.28)}' "
        f"style='border-top: 1px solid #555; font-size: {size}pt; font-weight: bold;'>"
        f"{_indented(row.depth, _e(row.name or 'Group') + (notes if row.notes else ''))}"
        "</td></tr>"
    )


def _note_row(row: ReportRow) -> str:
    label = "<span style='color: #555;'>NOTE</span>"
    text = f"<i>{_e(row.name)}</i>"
    if row.notes:
        text += f"<br><span style='font-size: 8pt; color: #333;'>{_e(row.notes)}</span>"
    background = f" bgcolor='{_tint(row.color, 0.15)}'" if row.color else ""
    return (
        f"<tr{background}><td align='right' style='color: #333; white-space: nowrap;'>"
        f"{row.time}</td>"
        f"<td style='font-size: 7.5pt;'>{label}</td>"
        f"<td>{_indented(row.depth, text)}</td><td></td><td>{_e(row.location)}</td><td></td></tr>"
    )


def _cue_row(row: ReportRow) -> str:
    color = row.department.color if row.department else "#808080"
    label = f"<span style='color: {color};'>&#9632;</span>&nbsp;<b>{_e(row.label or '?')}</b>"
    text = _e(row.name)
    if row.notes:
        text += f"<br><span style='font-size: 8pt; color: #333;'>{_e(row.notes)}</span>"
    mark = ""
    background = ""
    if row.safety:
        mark = f"<span style='color: {SAFETY_RED}; font-weight: bold;'>&#9888;&nbsp;SAFETY</span>"
        background = f" bgcolor='{SAFETY_TINT}'"
        text = f"<b>{text}</b>"
    elif row.priority in PRIORITY_WORDS:
        weight = "bold" if row.priority is Priority.CRITICAL else "normal"
        mark = f"<span style='font-weight: {weight};'>{PRIORITY_WORDS[row.priority]}</span>"
    return (
        f"<tr{background}><td align='right'{NOWRAP}><b>{row.time}</b></td>"
        f"<td{NOWRAP}>{label}</td><td>{_indented(row.depth, text)}</td>"
        f"<td align='right'{NOWRAP}>{row.duration}</td>"
        f"<td>{_e(row.location)}</td><td{NOWRAP}>{mark}</td></tr>"
    )


def _legend(report: ScriptReport) -> str:
    if not report.departments:
        return ""
    items = "&nbsp;&nbsp;&nbsp;".join(
        f"<span style='color: {d.color};'>&#9632;</span>&nbsp;<b>{_e(d.initials)}</b>&nbsp;"
        + _e(d.name).replace(" ", "&nbsp;")
        for d in report.departments
    )
    return f"<p style='font-size: 8.5pt; margin-bottom: 6px;'>{items}</p>"


def script_html(report: ScriptReport) -> str:
    """The report as HTML for ``QTextDocument``: black on white, for paper."""
    head = "".join(
        f"<th width='{width}%' align='{'right' if name in ('Time', 'Dur.') else 'left'}' "
        f"bgcolor='#E4E4E4' style='border-bottom: 1px solid #000;'>{name}</th>"
        for name, width in COLUMNS
    )
    rows: list[str] = []
    for row in report.rows:
        if row.kind is ElementType.GROUP:
            rows.append(_group_row(row))
        elif row.kind is ElementType.NOTE:
            rows.append(_note_row(row))
        else:
            rows.append(_cue_row(row))
    if not rows:
        rows.append(
            f"<tr><td colspan='{len(COLUMNS)}'><i>Nothing to call in this script yet.</i></td></tr>"
        )
    return (
        "<html><body style='color: #000;'>"
        f"{_legend(report)}"
        "<table width='100%' cellspacing='0' cellpadding='3' style='border-collapse: collapse;'>"
        f"<thead><tr>{head}</tr></thead>{''.join(rows)}</table></body></html>"
    )


def ensure_gui() -> QGuiApplication:
    """The application object Qt needs to lay out text (made when there is none)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    return QGuiApplication([])


def page_header(report: ScriptReport) -> PageHeader:
    parts = [f"{report.cue_count} cue{'s' if report.cue_count != 1 else ''}"]
    if report.safety_count:
        parts.append(f"{report.safety_count} safety")
    if report.start_time is not None:
        parts.append(report.start_time.astimezone().strftime("starts %d %b %Y %H:%M"))
    return PageHeader(
        title=report.title,
        show=report.show_name,
        venue=report.venue_name,
        script=report.script_name,
        printed_at=report.printed_at,
        accent=report.department.color if report.department else None,
        summary="  ·  ".join(parts),
    )


def script_document(report: ScriptReport) -> QTextDocument:
    return new_document(script_html(report))


def write_script_pdf(report: ScriptReport, path: str | Path) -> int:
    """Write the calling script or cue sheet to a PDF file; return its pages."""
    return write_pdf(path, script_document(report), page_header(report))


def print_script(report: ScriptReport, printer: QPrinter) -> int:
    printer.setDocName(page_header(report).document_title)
    return print_paged(script_document(report), printer, page_header(report))


def ask_and_print(report: ScriptReport, parent: QWidget | None) -> QPrintDialog:
    """Open the print dialog (not blocking); prints when the user accepts."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print the {report.title.lower()}")
    dialog.accepted.connect(lambda: print_script(report, printer))
    QDialog.open(dialog)
    return dialog


def export_script_pdf(
    db: Database,
    owner_id: uuid.UUID,
    show_name: str,
    script_name: str,
    path: str | Path,
    *,
    department: str | None = None,
) -> int:
    """The calling script (or one department's cue sheet) of a named script, as a PDF."""
    with db.reading() as session:
        script_id = find_script(session, owner_id, show_name, script_name)
    report = load_script_report(db, owner_id, script_id, department=department)
    return write_script_pdf(report, path)


def export_cue_sheets(
    db: Database, owner_id: uuid.UUID, script_id: uuid.UUID, folder: str | Path
) -> list[Path]:
    """One cue sheet PDF per department the script uses, in ``folder``."""
    whole = load_script_report(db, owner_id, script_id)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"{folder} cannot be made: {exc.strerror or exc}.") from None
    written = []
    for department in whole.departments:
        report = load_script_report(db, owner_id, script_id, department=department.initials)
        name = f"{whole.show_name} - {whole.script_name} - {department.initials}.pdf"
        path = Path(folder) / name.replace("/", "-")
        write_script_pdf(report, path)
        written.append(path)
    return written


class TextReport(Protocol):
    """Anything that can write itself as text for a show: the show report after a run."""

    @property
    def show_name(self) -> str: ...
    @property
    def script_name(self) -> str: ...
    def to_text(self) -> str: ...


def write_show_report_pdf(
    report: TextReport, path: str | Path, *, venue: str | None = None,
    sections: Sequence[str] = (),
) -> int:  # fmt: skip
    """The show report hook: the report's text in the printed frame (header, page numbers).

    ``sections`` are extra HTML blocks (a table of holds, a chart) printed
    after the text, for when the show report grows a layout of its own.
    """
    header = PageHeader(
        title="Show Report", show=report.show_name, venue=venue, script=report.script_name,
        printed_at=utcnow(),
    )  # fmt: skip
    body = text_block(report.to_text()) + "".join(sections)
    return write_pdf(path, new_document(f"<html><body>{body}</body></html>"), header)

"""The crew contact sheet of a show: name, role, department, phone, email.

Laid out as a ``QTextDocument`` (an HTML table) and sent to a ``QPdfWriter``
(Save as PDF) or a ``QPrinter`` chosen in the print dialog. Rows are read
through the model layer's services in two reads; nothing is held open.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import DatabaseError
from callmaster_desktop.services import crew, shows
from callmaster_desktop.services.crew_assignments import list_show_assignments
from ui.pages import plural, when_text


@dataclass(frozen=True)
class ContactRow:
    name: str
    role: str
    department: str
    department_color: str
    phone: str
    email: str


@dataclass(frozen=True)
class ContactSheet:
    show_name: str
    venue_name: str | None
    opens: datetime | None
    rows: tuple[ContactRow, ...]

    @property
    def title(self) -> str:
        return f"{self.show_name}: crew contact sheet"


def read_contact_sheet(db: Database, owner_id: uuid.UUID, show_id: uuid.UUID) -> ContactSheet:
    """The show's crew by department, with each person's phone and email."""
    show = shows.get_show(db, owner_id, show_id)
    people = {m.person_id: m for m in crew.list_crew(db, owner_id)}
    rows = []
    for a in list_show_assignments(db, owner_id, show_id):
        member = people.get(a.data.person_id)
        details = member.data if member is not None else None
        rows.append(
            ContactRow(
                name=a.person_name,
                role=a.data.role or (details.production_role if details else None) or "",
                department=a.department_name,
                department_color=a.department_color,
                phone=(details.phone if details else None) or "",
                email=(details.email if details else None) or "",
            )
        )
    return ContactSheet(show.name, show.venue_name, show.data.first_performance, tuple(rows))


def contact_sheet_html(sheet: ContactSheet) -> str:
    """The sheet as simple HTML for ``QTextDocument`` (black on white, for paper)."""
    e = html.escape
    details = [sheet.venue_name or "", when_text(sheet.opens)]
    subtitle = " · ".join(d for d in details if d)
    printed = datetime.now().strftime("%d %b %Y, %H:%M")
    lines = [
        "<html><body style='font-family: sans-serif; color: #000;'>",
        f"<h1 style='font-size: 18pt; margin-bottom: 0;'>{e(sheet.show_name)}</h1>",
        f"<p style='font-size: 11pt; margin-top: 2pt;'>Crew contact sheet"
        f"{' · ' + e(subtitle) if subtitle else ''}</p>",
        "<table width='100%' cellspacing='0' cellpadding='5' "
        "style='border-collapse: collapse; font-size: 10pt;'>",
        "<tr style='background: #e8e8e8;'>"
        + "".join(
            f"<th align='left' style='border-bottom: 1px solid #000;'>{h}</th>"
            for h in ("Name", "Role", "Department", "Phone", "Email")
        )
        + "</tr>",
    ]
    for number, row in enumerate(sheet.rows):
        shade = " style='background: #f6f6f6;'" if number % 2 else ""
        lines.append(
            f"<tr{shade}><td><b>{e(row.name)}</b></td><td>{e(row.role)}</td>"
            f"<td><span style='color: {e(row.department_color)};'>&#9632;</span> "
            f"{e(row.department)}</td><td>{e(row.phone)}</td><td>{e(row.email)}</td></tr>"
        )
    if not sheet.rows:
        lines.append("<tr><td colspan='5'><i>Nobody is assigned to this show yet.</i></td></tr>")
    lines.append("</table>")
    lines.append(
        f"<p style='font-size: 8pt; color: #555;'>{plural(len(sheet.rows), 'person', 'people')}"
        f" · printed {printed}"
        " · CallMaster Desktop</p>"
    )
    lines.append("</body></html>")
    return "\n".join(lines)


def _render(sheet: ContactSheet, device: QPagedPaintDevice) -> None:
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        QMarginsF(15, 15, 15, 15),
        QPageLayout.Unit.Millimeter,
    )
    device.setPageLayout(layout)
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(contact_sheet_html(sheet))
    # No page size of its own: print_() lays the document out on the device's page,
    # scaling points to the device's resolution.
    document.print_(device)


def save_pdf(sheet: ContactSheet, path: Path) -> Path:
    """Write the sheet as a PDF file; ``DatabaseError``-style sentence when it cannot."""
    writer = QPdfWriter(str(path))
    writer.setTitle(sheet.title)
    writer.setCreator("CallMaster Desktop")
    writer.setResolution(300)
    _render(sheet, writer)
    del writer  # closes the file
    if not path.exists() or path.stat().st_size == 0:
        raise DatabaseError(f"The PDF could not be written to {path}.")
    return path


def print_sheet(sheet: ContactSheet, printer: QPrinter) -> None:
    _render(sheet, printer)


def ask_and_print(sheet: ContactSheet, parent: QWidget | None) -> QPrintDialog:
    """Open the print dialog (not blocking); prints when the user accepts."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(sheet.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the contact sheet")
    dialog.accepted.connect(lambda: print_sheet(sheet, printer))
    QDialog.open(dialog)  # window-modal, never blocking
    return dialog

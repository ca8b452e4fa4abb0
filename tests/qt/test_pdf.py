"""Printed calling scripts and cue sheets, read back with pdftotext and rendered with pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script, Show
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.report_data import find_script, load_script_report
from callmaster_desktop.sample import load_sample_show
from ui.printing.script_pdf import (
    export_cue_sheets,
    print_script,
    write_script_pdf,
    write_show_report_pdf,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs poppler-utils (pdftotext, pdftoppm)",
)


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    # Undo the typographic ligatures the PDF's font makes of "ff", "fi" and "fl".
    return done.stdout.replace("\ufb00", "ff").replace("\ufb01", "fi").replace("\ufb02", "fl")


def render(path: Path, page: int, out: Path) -> QImage:
    """Page ``page`` as a PNG next to ``out`` (in the test's folder under /tmp), loaded."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), str(path), str(out)],
        check=True,
    )
    found = sorted(out.parent.glob(f"{out.name}*.png"))
    assert found, "pdftoppm wrote no page"
    image = QImage(str(found[-1]))
    assert not image.isNull()
    return image


def colours(image: QImage) -> set[tuple[int, int, int]]:
    seen = set()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = QColor(image.pixel(x, y))
            seen.add((c.red() // 16, c.green() // 16, c.blue() // 16))
    return seen


@pytest.fixture
def tech_script(db: Database, owner: Person) -> uuid.UUID:
    with db.unit_of_work() as session:
        load_sample_show(session, owner)
    with db.reading() as session:
        return find_script(session, owner.id, "Macbeth", "Tech Script")


def test_the_calling_script_pdf(
    qapp: QApplication, db: Database, owner: Person, tech_script: uuid.UUID, tmp_path: Path
) -> None:
    report = load_script_report(db, owner.id, tech_script)
    path = tmp_path / "calling script.pdf"
    pages = write_script_pdf(report, path)
    text = pdf_text(path)
    sheets = text.split("\f")[:pages]
    assert pages >= 4 and len(sheets) == pages
    for number, sheet in enumerate(sheets, start=1):
        assert "Macbeth · Larkspur Repertory Theatre" in sheet
        assert "Calling Script — Tech Script" in sheet
        assert "Printed " in sheet
        assert f"Page {number} of {pages}" in sheet
        assert "Time Cue" in sheet  # the table's header repeats on every page
    cues = [r for r in report.rows if r.kind is ElementType.CUE]
    for row in cues:
        assert row.label in text, row.label
    safety = sum(1 for r in cues if r.priority is Priority.SAFETY)
    assert safety >= 10
    assert text.count("SAFETY") == safety
    assert f"{safety} safety" in sheets[0]
    for group in ("Pre-show", "Act 1", "I.1 A desert place"):
        assert group in text
    assert "-35:00" in text and "Fire marshal walk-through" in text
    image = render(path, 1, tmp_path / "calling-page")
    seen = colours(image)
    assert (15, 14, 14) in seen or (15, 13, 14) in seen  # the pale red behind safety cues
    assert len(seen) > 40  # department colours, group bands, text


def test_a_cue_sheet_has_only_its_department_with_groups_and_notes(
    qapp: QApplication, db: Database, owner: Person, tech_script: uuid.UUID, tmp_path: Path
) -> None:
    report = load_script_report(db, owner.id, tech_script, department="lx")
    assert report.title == "Cue Sheet: Lighting (LX)"
    path = tmp_path / "lx.pdf"
    write_script_pdf(report, path)
    text = pdf_text(path)
    assert "Cue Sheet: Lighting (LX) — Tech Script" in text
    assert "LX 1" in text and "LX 39" in text
    for other in ("SQ 1", "FLY 1", "VID 1", "DECK 1", "SFX 1"):
        assert other not in text
    assert "Act 1" in text and "I.1 A desert place" in text
    assert "Fifteen minutes call" in text  # a note at the top of the script
    render(path, 1, tmp_path / "lx-page")
    written = export_cue_sheets(db, owner.id, tech_script, tmp_path / "sheets")
    assert sorted(p.name for p in written)[0] == "Macbeth - Tech Script - AUTO.pdf"
    assert len(written) == 8
    assert "Cue Sheet: Sound (SQ)" in pdf_text(
        tmp_path / "sheets" / "Macbeth - Tech Script - SQ.pdf"
    )


def test_printing_to_a_printer_and_an_empty_script(
    qapp: QApplication, db: Database, owner: Person, tmp_path: Path
) -> None:
    show_id, script_id = uuid.uuid4(), uuid.uuid4()
    with db.unit_of_work() as session:
        session.execute(insert(Show).values(id=show_id, owner_id=owner.id, name="Empty Show"))
        session.execute(insert(Script).values(id=script_id, show_id=show_id, name="Blank"))
    report = load_script_report(db, owner.id, script_id)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert print_script(report, printer) == 1
    del printer
    text = pdf_text(out)
    assert "Empty Show" in text and "Nothing to call in this script yet." in text
    assert "Page 1 of 1" in text
    with pytest.raises(ValidationError, match=r"folder .* is not there"):
        write_script_pdf(report, tmp_path / "missing" / "x.pdf")


@dataclass(frozen=True)
class FakeShowReport:
    show_name: str
    script_name: str

    def to_text(self) -> str:
        return "Curtain up   19:34\nHolds        1 (1:05)\nLate cues    LX 12 (+0:07)"


def test_the_show_report_hook(qapp: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    pages = write_show_report_pdf(
        FakeShowReport("Macbeth", "Tech Script"),
        path,
        venue="Larkspur",
        sections=["<p><b>Signed off by the PSM</b></p>"],
    )
    text = pdf_text(path)
    assert pages == 1
    assert "Show Report — Tech Script" in text and "Macbeth · Larkspur" in text
    assert "Late cues LX 12 (+0:07)" in " ".join(text.split())
    assert "Signed off by the PSM" in text


def test_command_line_pdf(
    qapp: QApplication,
    db_url: str,
    db: Database,
    owner: Person,
    tech_script: uuid.UUID,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "tech.pdf"
    base = ["export-pdf", "--show", "Macbeth", "--script", "Tech Script", "--database", db_url]
    assert main([*base, "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Wrote {out} (") and "pages)" in said
    assert "Calling Script — Tech Script" in pdf_text(out)
    assert main([*base, "--department", "FLY", "-o", str(out)]) == 0
    capsys.readouterr()
    assert "Cue Sheet: Fly (FLY)" in pdf_text(out)
    assert main([*base, "--every-department", "-o", str(tmp_path / "all")]) == 0
    assert capsys.readouterr().out.count("Wrote ") == 8
    assert main([*base, "--department", "ZZ"]) == 2
    assert "no department with the initials ZZ" in capsys.readouterr().err

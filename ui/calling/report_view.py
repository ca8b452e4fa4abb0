"""The show report of a run, in a window: read it, then export it as PDF or CSV.

Running time per act and overall, holds, cues called late or early beyond a
threshold (changeable here), skipped cues, the caller's notes. The data is
the engine's ``show_report``; the PDF is ``report_document``'s; the CSV is
the engine's own. File choosers open without blocking; ``save_pdf`` and
``save_csv`` do the writing (and are what tests call).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.calling.report import DEFAULT_THRESHOLD_MS, ShowReport, show_report
from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import CallMasterError, DatabaseError
from ui.calling.look import THEME_EVENTS, current_look
from ui.calling.report_document import report_html, report_title, save_report_pdf
from ui.message_bar import MessageBar

__all__ = ["ReportView"]


class ReportView(QWidget):
    """One run's show report, with Export PDF and Export CSV."""

    def __init__(
        self,
        db: Database,
        owner_id: uuid.UUID,
        run_id: uuid.UUID,
        *,
        hours24: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.db = db
        self.owner_id = owner_id
        self.run_id = run_id
        self.hours24 = hours24
        self.dialog: QFileDialog | None = None
        self.message_bar = MessageBar()
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 600)
        self.threshold.setSuffix(" s")
        self.threshold.setValue(DEFAULT_THRESHOLD_MS // 1000)
        self.threshold.setToolTip("Cues called later or earlier than this are listed")
        self.threshold.valueChanged.connect(lambda _v: self.reload())
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pdf_button = QPushButton("Export PDF…")
        self.pdf_button.clicked.connect(lambda _c=False: self.choose_pdf())
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.clicked.connect(lambda _c=False: self.choose_csv())
        self.status = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Late or early beyond"))
        bar.addWidget(self.threshold)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(self.message_bar)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.resize(980, 860)
        self.report: ShowReport = show_report(db, owner_id, run_id)
        self.setWindowTitle(report_title(self.report))
        self._show()

    def reload(self) -> None:
        """Read the run again (with the threshold chosen) and redraw."""
        try:
            self.report = show_report(
                self.db, self.owner_id, self.run_id, threshold_ms=self.threshold.value() * 1000
            )
        except CallMasterError as exc:
            self.message_bar.show_message(str(exc))
            return
        self._show()

    def _show(self) -> None:
        look = current_look()
        colours = {"text": look.text, "dim": look.dim, "head": look.border, "rule": look.border,
                   "stop": look.stop, "late": look.accent, "alt": ""}  # fmt: skip
        self.browser.setStyleSheet(f"background: {look.panel}; color: {look.text};")
        position = self.browser.verticalScrollBar().value()
        self.browser.setHtml(report_html(self.report, colours=colours))
        self.browser.verticalScrollBar().setValue(position)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in THEME_EVENTS:  # light or dark theme
            QTimer.singleShot(0, self._show)  # after the theme's own settings

    def text(self) -> str:
        """What the report says, as plain text (as shown)."""
        return self.browser.toPlainText()

    # --- exporting ------------------------------------------------------------------------------

    def _default_name(self, suffix: str) -> str:
        stem = f"{self.report.show_name} {self.report.script_name} report"
        stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_.")
        return str(Path.home() / f"{stem}{suffix}")

    def choose_pdf(self) -> QFileDialog:
        return self._choose("Export the show report as PDF", "PDF files (*.pdf)", ".pdf",
                            self.save_pdf)  # fmt: skip

    def choose_csv(self) -> QFileDialog:
        return self._choose("Export the show report as CSV", "CSV files (*.csv)", ".csv",
                            self.save_csv)  # fmt: skip

    def _choose(self, title: str, kinds: str, suffix: str, save: object) -> QFileDialog:
        dialog = QFileDialog(self, title, self._default_name(suffix), kinds)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        assert callable(save)
        dialog.fileSelected.connect(lambda path: self._save(save, Path(path)))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _save(self, save: object, path: Path) -> None:
        assert callable(save)
        try:
            written = save(path)
        except CallMasterError as exc:
            self.message_bar.show_message(str(exc))
            return
        self.status.setText(f"Saved {written}")

    def save_pdf(self, path: Path) -> Path:
        """Write the report as a PDF (header and page numbers on every page)."""
        return save_report_pdf(self.report, path)

    def save_csv(self, path: Path) -> Path:
        """Write the engine's CSV of the report (UTF-8, one table)."""
        try:
            path.write_text(self.report.to_csv(), encoding="utf-8", newline="")
        except OSError as exc:
            raise DatabaseError(
                f"The CSV could not be written to {path}: {exc.strerror or exc}."
            ) from exc
        return path

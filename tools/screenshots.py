"""Grab screenshots of the main window's pages and dialogs (light and dark) for review.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py OUTDIR

Creates a scratch database with the sample show in OUTDIR and saves one PNG
per screen and theme there: every page, the show's Scripts and Crew tabs,
a form with inline messages, and the dialogs (preferences, connect,
diagnostics, keyboard shortcuts, delete confirmation, department reassign);
the CSV import wizard's pages; the calling script and a cue sheet as PDFs
with their first pages as PNGs.
Screenshots are for looking at, never committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CALLMASTER_USER", "stage.manager")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from callmaster_desktop.domain.enums import Theme
    from ui.app import apply_theme, ensure_application
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    app = ensure_application()
    db_path = out / "screens.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = AppSettings(QSettings(str(out / "screens.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings)
    window.resize(1400, 860)
    window.show()
    window.open_database_url(str(db_path))

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    def save(widget: QWidget, name: str, theme: Theme) -> None:
        settle()
        widget.grab().save(str(out / f"{name}-{theme.value}.png"))

    for theme in (Theme.LIGHT, Theme.DARK):
        apply_theme(theme)
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            save(window, window.nav.item(row).text().lower(), theme)
        window.nav.setCurrentRow(0)
        for tab, name in ((1, "show-scripts"), (2, "show-crew")):
            window.shows.tabs.setCurrentIndex(tab)
            save(window, name, theme)
        window.shows.tabs.setCurrentIndex(0)
        # A venue form with a message under a field and the sentence at the top.
        window.nav.setCurrentRow(1)
        form = window.venues.form
        form.field("contact_email").setText("box office")  # type: ignore[attr-defined]
        form.save()
        save(window, "venue-invalid", theme)
        form.cancel()
        window.nav.setCurrentRow(0)
        window.message_bar.show_message(
            "The database file is read-only: check that the file and its folder can be written."
        )
        save(window, "error-bar", theme)
        window.message_bar.hide()
        dialogs = {
            "preferences": window.open_preferences,
            "connect": window.connect_server,
            "diagnostics": window.show_diagnostics,
            "shortcuts": window.show_shortcuts,
        }
        for name, open_dialog in dialogs.items():
            dialog = open_dialog()
            if dialog is not None:
                save(dialog, f"dialog-{name}", theme)
                dialog.close()
        window.nav.setCurrentRow(0)
        window.shows.delete_selected()
        save(window.dialog, "dialog-delete-show", theme)
        window.dialog.reject()
        window.nav.setCurrentRow(2)
        window.departments.table.selectRow(0)
        window.departments.delete_selected()
        save(window.dialog, "dialog-reassign", theme)
        window.dialog.reject()
        window.nav.setCurrentRow(0)
    script_editor_screens(window, out, save)  # the script editor (issue 6)
    transfer_screens(window, out, save)  # the import wizard and printed pages (issue 8)
    window.close()
    from screenshots_calling import shoot_calling  # the calling screen, crew display, report

    shoot_calling(out)
    app.quit()
    print(f"saved to {out}")
    return 0


def script_editor_screens(window: Any, out: Path, save: Any) -> None:
    """The script editor at 150, ~200 (the sample show) and 10,000 rows, light and dark.

    Also its panels (history, revisions, script), a filter, a cell being typed
    in, and its three questions (drop out of time order, unsaved edits, a
    conflict on save).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from PySide6.QtCore import QSettings, Qt

    # The editor remembers columns and folds in QSettings: keep this run's apart.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(out))

    from benchmarks.script_factory import make_script
    from callmaster_desktop.domain.enums import Theme
    from callmaster_desktop.editing import EditFields, EditSession, MoveElements, Place
    from callmaster_desktop.services.scripts import load_script
    from callmaster_desktop.services.shows import list_shows
    from ui.app import apply_theme
    from ui.script_editor.dialogs import ask_conflict, ask_drop_time, ask_unsaved
    from ui.script_editor.drop_rules import time_conflict
    from ui.script_editor.editor import ScriptEditor
    from ui.script_editor.filtering import RowFilter
    from ui.script_editor.rows import Col

    db, owner = window.db, window.owner_id
    sample = next(s for show in list_shows(db, owner) for s in show.scripts)
    small = make_script(db, 150, login=os.environ["CALLMASTER_USER"], show_name="Small tour")
    large = make_script(db, 10_000, login=os.environ["CALLMASTER_USER"], show_name="Grand opera")

    def editor_for(script_id: Any) -> ScriptEditor:
        editor = ScriptEditor(db, EditSession.open(db, owner, script_id, journal=False))
        editor.resize(1500, 900)
        editor.show()
        return editor

    for theme in (Theme.LIGHT, Theme.DARK):
        apply_theme(theme)
        editor = editor_for(sample.id)
        safety = next(e for e in editor.model.shown if e.priority.value == "safety")
        editor.view.select_ids([safety.id])
        save(editor, "script-editor-sample", theme)
        editor.panels.setCurrentWidget(editor.info)
        editor._refresh_counts()
        save(editor, "script-editor-info", theme)
        rows = [e for e in editor.model.elements if e.cue_number][:3]
        editor.run(EditFields(rows[0].id, {"name": "Thunder, louder"}))
        editor.run(MoveElements([rows[1].id], Place.after(rows[2].id)))
        editor.undo()
        editor.panels.setCurrentWidget(editor.history)
        save(editor, "script-editor-history", theme)
        question = ask_unsaved(
            editor, editor.session.info.name, editor.session.history, lambda _w: None
        )
        save(question, "script-editor-unsaved", theme)
        question.close()
        question = ask_conflict(
            editor,
            'Alex Rivera saved "Tech Script" at 21:14 on 12 Mar 2027, after you opened it. '
            "Nothing was saved: reload the script to see their changes, then make yours again.",
            lambda _w: None,
        )
        save(question, "script-editor-conflict", theme)
        question.close()
        cues = [e for e in editor.model.elements if e.cue_number]
        conflict = time_conflict(editor.session.state, [cues[40].id], Place.after(cues[2].id))
        if conflict is not None:
            question = ask_drop_time(editor, conflict, lambda _w: None)
            save(question, "script-editor-drop-question", theme)
            question.close()
        editor.save()
        editor.run(EditFields(rows[2].id, {"name": "Cyc to deep blue", "location": "Booth"}))
        editor.run(MoveElements([rows[1].id], Place.after(rows[2].id)))
        editor.save()
        editor.run(EditFields(rows[0].id, {"duration_ms": 8000, "priority": "critical"}))
        editor.panels.setCurrentWidget(editor.revisions)
        editor.revisions.refresh()
        editor.revisions.choose(1)
        editor.revisions.compare_with_now()
        save(editor, "script-editor-revisions", theme)
        row = editor.model.row_of(cues[5].id)
        editor.view.setCurrentIndex(editor.model.index(row, Col.TIME))
        editor.view.edit(editor.model.index(row, Col.TIME))
        line = editor.view.indexWidget(editor.model.index(row, Col.TIME))
        if line is not None:
            line.setText("1:7")  # type: ignore[attr-defined]
            editor.statusBar().showMessage(
                'Cannot read "1:7" as a time: expected H:MM:SS, M:SS, 90s or 1.5m', 0
            )
        save(editor, "script-editor-typing", theme)
        editor._closing_confirmed = True
        editor.close()
        for script_id, name in ((small.script_id, "150"), (large.script_id, "10000")):
            editor = editor_for(script_id)
            if name == "10000":
                middle = editor.model.shown[5000]
                editor.view.scrollTo(editor.model.index(5000, 0))
                editor.view.select_ids([middle.id])
            save(editor, f"script-editor-{name}", theme)
            if name == "10000":
                lx = large.departments["LX"]
                editor.filter_bar.department_chip(lx).setChecked(True)
                editor.filter_bar.search.setText("moonlight")
                editor.filter_bar.apply_now()
                editor.set_filter(RowFilter("moonlight", frozenset({lx})))
                save(editor, "script-editor-filter", theme)
            editor._closing_confirmed = True
            editor.close()
    assert load_script(db, owner, sample.id).name == sample.name
    _ = Qt


def transfer_screens(window: Any, out: Path, save: Any) -> None:
    """The CSV import wizard, every page, light and dark (the messy test files); and
    the calling script and a cue sheet as PDFs, their first pages as PNGs (pdftoppm)."""
    import shutil
    import subprocess

    from PySide6.QtWidgets import QApplication

    from callmaster_desktop.domain.enums import Theme
    from callmaster_desktop.formats.report_data import find_script, load_script_report
    from ui.app import apply_theme
    from ui.dialogs.import_wizard import ImportWizard
    from ui.printing.script_pdf import write_script_pdf

    data = Path(__file__).resolve().parent.parent / "tests" / "data"
    db, owner = window.db, window.owner_id
    for theme in (Theme.LIGHT, Theme.DARK):
        apply_theme(theme)
        for name in ("good_bom_crlf.csv", "problems.csv"):
            wizard = ImportWizard(db, owner, window, path=data / name)
            wizard.show()
            stem = f"import-{Path(name).stem}"
            save(wizard, f"{stem}-1-file", theme)
            for page in ("2-format", "3-columns", "4-departments", "5-preview"):
                wizard.next()
                if page == "4-departments":  # create what the file names and you do not have
                    for _, combo, _, _ in wizard.departments_page.rows:
                        if combo.currentData() is None:
                            combo.setCurrentIndex(combo.count() - 1)
                save(wizard, f"{stem}-{page}", theme)
            wizard.reject()
            wizard.deleteLater()
            QApplication.processEvents()
    with db.reading() as session:
        script_id = find_script(session, owner, "Macbeth", "Tech Script")
    for department in (None, "LX"):
        report = load_script_report(db, owner, script_id, department=department)
        pdf = out / f"print-{(department or 'calling-script').lower()}.pdf"
        write_script_pdf(report, pdf)
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "2", str(pdf), str(pdf)[:-4]],
                check=True,
            )


if __name__ == "__main__":
    sys.exit(main())

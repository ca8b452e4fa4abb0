"""The show report after a run: on screen, as PDF (read back with pdftotext) and as CSV."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.calling_screen import ShortShow, fake_clock, make_short_show
from support.window import OFFSCREEN_NOISE

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.engine import CallingEngine
from callmaster_desktop.calling.report import show_report
from callmaster_desktop.calling.runlog import start_recorded_run
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script
from callmaster_desktop.domain.enums import RunKind
from callmaster_desktop.domain.timeoffset import parse_offset
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.sample import load_sample_show
from ui.calling.report_view import ReportView

pytestmark = [
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext"),
]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times of day in the report are local: make local time UTC for the comparisons."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _until(engine: CallingEngine, clock: FakeClock, show_clock: str) -> None:
    now = engine.show_ms()
    assert now is not None
    clock.advance(parse_offset(show_clock) - now)


def call_short_show(db: Database, show: ShortShow) -> uuid.UUID:
    """A rehearsal with a hold, a safety stop, a late cue, an early one, a skip and notes."""
    clock = fake_clock()
    engine, recorder = start_recorded_run(
        db, show.owner_id, show.script_id, clock, kind=RunKind.REHEARSAL
    )
    engine.start_now()
    engine.go()  # LX 1 at 0:00, planned -5:00: late
    _until(engine, clock, "0:10")
    engine.hold("Latecomers in the stalls")
    clock.advance(90_000)
    engine.resume()
    engine.go()  # SQ 1
    engine.add_note("House was slow to settle", None)
    _until(engine, clock, "0:30")
    engine.go()  # LX 2 + SQ 2
    engine.skip()  # FLY 1
    _until(engine, clock, "0:41")
    engine.go()  # LX 3 + SQ 3
    engine.safety_stop("Actor fell DSL")
    clock.advance(45_000)
    engine.resume()
    _until(engine, clock, "1:31")
    engine.go()  # LX 4
    engine.add_note("LX 4 fade looked steppy", show.ids["LX 4"])
    _until(engine, clock, "4:00")
    engine.go()  # LX 5, planned 5:00: a minute early
    _until(engine, clock, "6:30")
    engine.finish()
    return recorder.run_id


def pdf_text(path: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_report_on_screen_and_as_pdf(
    qtbot: QtBot, db: Database, owner: Person, tmp_path: Path
) -> None:
    show = make_short_show(db, owner.id)
    run_id = call_short_show(db, show)
    view = ReportView(db, owner.id, run_id)
    qtbot.addWidget(view)
    view.show()
    shown = view.text()
    for words in ("Show report: Macbeth", "Tech Script · rehearsal · complete",
                  "Latecomers in the stalls", "SAFETY STOP · Safety stop: Actor fell DSL",
                  "House was slow to settle", "FLY 1", "Pre-show", "Act 1", "Act 2"):  # fmt: skip
        assert words in shown, words
    path = view.save_pdf(tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert "Show report: Macbeth" in text
    assert "Macbeth · Tech Script · rehearsal run" in text  # the page header
    assert "Page 1 of" in text
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert "Curtain up 23:00:00 (10:00 early)" in lines
    assert "Running time 8:45" in lines  # holds included
    assert "Show clock at the end 6:30" in lines
    assert "All holds 2, 2:15 in all" in lines
    assert any(line.startswith("LX 1 LX 1 description Pre-show -5:00 0:00 +5:00") for line in lines)
    assert any(line.startswith("LX 5 LX 5 description Act 2 5:00 4:00 -1:00") for line in lines)
    assert any("FLY 1 FLY 1 description Act 1 0:20" in line for line in lines)
    assert any("LX 4 LX 4 fade looked steppy" in line for line in lines)
    assert any("Latecomers in the stalls" in line and "1:30" in line for line in lines)


def test_a_long_report_runs_over_pages_with_header_and_page_numbers(
    qtbot: QtBot, db: Database, owner: Person, tmp_path: Path
) -> None:
    with db.unit_of_work() as s:
        sample = load_sample_show(s, owner)
        s.flush()
        script_id = s.scalar(select(Script.id).where(Script.show_id == sample.id))
    assert script_id is not None
    clock = fake_clock()
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock)
    engine.start_now()
    while engine.next_cue is not None:  # every cue 20 s late: a long "late" list
        cue = engine.next_cue
        now = engine.show_ms()
        assert now is not None
        clock.advance(max(300, cue.offset_ms + 20_000 - now))
        engine.go()
    engine.finish()
    view = ReportView(db, owner.id, recorder.run_id)
    qtbot.addWidget(view)
    path = view.save_pdf(tmp_path / "long.pdf")
    text = pdf_text(path)
    pages = text.count("\f")
    assert pages >= 3
    for page in range(1, pages + 1):
        one = pdf_text(path, page)
        assert "Macbeth · Tech Script · performance run" in one
        assert f"Page {page} of {pages}" in one
    assert text.count("+0:20") >= 150  # every late cue listed, none lost between pages


def test_csv_export_is_the_engines_csv(
    qtbot: QtBot, db: Database, owner: Person, tmp_path: Path
) -> None:
    show = make_short_show(db, owner.id)
    run_id = call_short_show(db, show)
    view = ReportView(db, owner.id, run_id)
    qtbot.addWidget(view)
    path = view.save_csv(tmp_path / "report.csv")
    assert path.read_text(encoding="utf-8") == show_report(db, owner.id, run_id).to_csv()
    view.threshold.setValue(70)  # only the 5 minute late LX 1 stays "late"
    assert [line.label for line in view.report.late] == ["LX 1"]
    assert view.report.early == ()


def test_an_export_that_cannot_be_written_is_said_in_words(
    qtbot: QtBot, db: Database, owner: Person, tmp_path: Path
) -> None:
    show = make_short_show(db, owner.id)
    view = ReportView(db, owner.id, call_short_show(db, show))
    qtbot.addWidget(view)
    missing = tmp_path / "no such folder"
    with pytest.raises(CallMasterError, match="could not be written"):
        view.save_csv(missing / "report.csv")
    with pytest.raises(CallMasterError, match="could not be written"):
        view.save_pdf(missing / "report.pdf")
    view._save(view.save_csv, missing / "report.csv")  # what the file chooser does
    assert "could not be written" in view.message_bar.message
    assert not missing.exists()

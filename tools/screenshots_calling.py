"""Grab screenshots of the calling screen, the crew display and the show report.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_calling.py OUTDIR

Calls the sample show (Macbeth) on a fake clock in a scratch database in
OUTDIR, in the light and the dark theme: ready, countdown, running with
standbys, a note being typed, the jump picker, held, safety stop, the crew
display, the show report (top and the caller's notes at its end; also
written as PDF), and, after a run left unfinished, the question that offers
to continue it with its latest notes. Times are shown in New York time, as
the sample show's venue would. ``tools/screenshots.py`` calls
``shoot_calling`` too. Screenshots are for looking at, never committed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TZ"] = os.environ.get("CALLMASTER_SCREENSHOT_TZ", "America/New_York")
time.tzset()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    from ui.app import ensure_application

    app = ensure_application()
    shoot_calling(out)
    app.quit()
    print(f"saved to {out}")
    return 0


def shoot_calling(out: Path) -> None:
    """Every screen of a run, in the dark and the light theme, as PNGs in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication, QWidget
    from sqlalchemy import select

    from callmaster_desktop.calling.clock import FakeClock
    from callmaster_desktop.db.migrate import open_database, upgrade
    from callmaster_desktop.db.models import Script
    from callmaster_desktop.domain.enums import Theme
    from callmaster_desktop.profile import find_or_create_profile
    from callmaster_desktop.sample import load_sample_show
    from ui.app import apply_theme
    from ui.calling.calling_screen import CallingScreen

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    def save(widget: QWidget, name: str, theme: Theme) -> None:
        settle()
        widget.grab().save(str(out / f"calling-{name}-{theme.value}.png"))

    def shoot(theme: Theme) -> None:
        apply_theme(theme)
        db_path = out / f"calling-{theme.value}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        upgrade(f"sqlite:///{db_path}")
        db = open_database(f"sqlite:///{db_path}")
        with db.unit_of_work() as s:
            owner = find_or_create_profile(s, "stage.manager")
            show = load_sample_show(s, owner)
            s.flush()
            script_id = s.scalar(select(Script.id).where(Script.show_id == show.id))
            owner_id = owner.id
        assert script_id is not None
        clock = FakeClock()  # 18:00 in New York, 90 minutes before the 19:30 start
        screen = CallingScreen(db, owner_id, script_id, clock=clock)
        screen.resize(1400, 880)
        screen.show()
        control = screen.control
        save(screen, "ready", theme)

        def until(show_clock_ms: int) -> None:
            now = control.show_ms()
            assert now is not None
            clock.advance(max(0, show_clock_ms - now))
            control.poll()

        def call_until(limit_ms: int, late_every: int = 0) -> None:
            """GO every moment whose planned time has come, 0.4 s after it (some later)."""
            count = 0
            while (cue := control.engine.next_cue) is not None and cue.offset_ms <= limit_ms:
                count += 1
                late = 9_000 if late_every and count % late_every == 0 else 400
                now = control.show_ms() or 0
                until(max(cue.offset_ms + late, now + 400))
                control.go()

        screen.count_down()  # 18:00: the curtain is at 19:30
        clock.advance(50 * 60_000)
        control.poll()
        call_until(-12 * 60_000)
        until(-11 * 60_000 - 48_000)
        save(screen, "countdown", theme)
        call_until(-1)
        until(400)
        control.go()  # house out, scrim out, thunder
        until(4_000)
        save(screen, "running", theme)
        screen.ask_note()
        screen.ui.note.edit.setText("Witches' lift a beat slow")
        save(screen, "note", theme)
        screen.ui.close_prompts()
        screen.ask_jump()
        screen.ui.picker.edit.setText("LX 1")
        save(screen, "jump", theme)
        screen.ui.close_prompts()
        crew = screen.open_crew_window()
        departments = {d.initials: d.id for d in control.script.departments.values()}
        crew.set_departments([departments[i] for i in ("LX", "DECK", "SFX")])
        until(5_000)
        save(crew, "crew-standby", theme)
        until(8_300)
        control.go()
        save(crew, "crew-go", theme)
        until(12_500)
        control.hold("Latecomers held at the door")
        clock.advance(42_000)
        control.poll()
        save(screen, "held", theme)
        save(crew, "crew-held", theme)
        control.resume()
        call_until(60_000)
        until(70_000)
        control.safety_stop("Actor down DSL")
        clock.advance(12_000)
        control.poll()
        save(screen, "safety-stop", theme)
        save(crew, "crew-safety-stop", theme)
        control.resume()
        control.add_note("Trap DSC slow to close after the witches", None)
        call_until(78 * 60_000, late_every=9)
        until(78 * 60_000 + 20_000)
        control.finish()
        report = screen.report_view
        assert report is not None
        report.resize(1000, 900)
        save(report, "report", theme)
        bar = report.browser.verticalScrollBar()
        bar.setValue(bar.maximum())  # the caller's notes, at the end
        save(report, "report-notes", theme)
        report.save_pdf(out / f"calling-report-{theme.value}.pdf")
        screen.ui.notice.setText("")
        save(screen, "complete", theme)
        for window in (report, crew):
            window.close()
        control.release()
        screen.hide()
        screen.deleteLater()
        settle()

        # A second run, left unfinished (the program closed mid-show): reopening offers it.
        second = CallingScreen(db, owner_id, script_id, clock=clock)
        second.control.start_now()
        for _ in range(3):
            clock.advance(2_000)
            second.control.go()
        second.control.add_note("Sound desk rebooted: SQ 4 late", None)
        clock.advance(4_000)
        second.control.add_note("House lights flickered", None)
        second.control.release()
        second.deleteLater()
        clock.advance(3 * 60_000)
        third = CallingScreen(db, owner_id, script_id, clock=clock)
        third.resize(1400, 880)
        third.show()
        settle()  # showing the screen asks at once
        question = third.dialog
        assert question is not None and question.isVisible()
        save(question, "continue-question", theme)
        question.reject()
        third.control.release()
        third.hide()
        third.deleteLater()
        settle()
        db.dispose()

    for theme in (Theme.DARK, Theme.LIGHT):
        shoot(theme)


if __name__ == "__main__":
    sys.exit(main())

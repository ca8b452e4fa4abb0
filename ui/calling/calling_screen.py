"""The live calling screen: what the stage manager looks at and presses on show night.

Readable from a metre away in a dark booth: a large show clock (or the
countdown "T-00:10:00" to a scheduled start) and the time of day, the next
GO, the standby panel grouped by department with countdowns, the script
around the calling pointer (past rows dimmed, overdue cues flagged), a
department filter, and HOLD / SAFETY STOP banners.

Keyboard first, every key handled by the window itself (no button ever
takes the focus, so Space can never press a button by accident):

    Space         GO (key press = GO; the key must be released before the next)
    H             hold / resume (resuming a safety stop asks first)
    Shift+H       hold with a reason
    Esc           safety stop; Esc again asks before leaving the run
    Up / Down     move the calling pointer a moment back / on, without calling
    J             jump to a cue (Ctrl+Enter in the picker: skip to it)
    S             skip the next cue
    N             a caller's note
    C             the crew display (for a second monitor)
    Ctrl+Enter    start now;  Ctrl+T: count down to the start time
    Ctrl+E        end the run (asks first); the show report opens

All the calling logic is the engine's (``RunControl`` holds it); the run is
written to the database at each call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from callmaster_desktop.calling.clock import Clock
from callmaster_desktop.calling.engine import DEFAULT_MIN_GO_INTERVAL_MS
from callmaster_desktop.calling.report import note_stamp
from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.enums import RunStatus, TimeDisplay
from callmaster_desktop.services.preferences import Preferences
from ui.calling.crew_window import CrewWindow
from ui.calling.layout import ScreenLayout
from ui.calling.look import THEME_EVENTS, current_look
from ui.calling.questions import WORDS, Question
from ui.calling.report_view import ReportView
from ui.calling.run_control import RunControl
from ui.calling.screen_prompts import ScreenPrompts

__all__ = ["CallingScreen"]

NOTICE_MS = 6_000


class CallingScreen(ScreenPrompts, QMainWindow):
    """One script called live; ``closed(script_id)`` when the window goes."""

    closed = Signal(object)

    def __init__(
        self,
        db: Database,
        owner_id: uuid.UUID,
        script_id: uuid.UUID,
        *,
        clock: Clock | None = None,
        preferences: Preferences | None = None,
        min_go_interval_ms: int = DEFAULT_MIN_GO_INTERVAL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.db = db
        self.owner_id = owner_id
        self.preferences = preferences or Preferences()
        self.hours24 = self.preferences.clock_24h
        self.control = RunControl(
            db,
            owner_id,
            script_id,
            clock=clock,
            lookahead_ms=self.preferences.standby_lookahead_s * 1000,
            min_go_interval_ms=min_go_interval_ms,
            parent=self,
        )
        self.dialog: Question | None = None  # the question asked last (never blocking)
        self.crew_window: CrewWindow | None = None
        self.report_view: ReportView | None = None
        self._offered = False
        self._leaving = False  # the stage manager said to leave the run
        self._losing = False  # ...even with calls the database has not taken
        self._last_pointer: int | None = -1
        self.look = current_look()
        self.ui = ScreenLayout(
            self,
            self.control,
            self.hours24,
            clock_times=self.preferences.time_display is TimeDisplay.CLOCK,
        )
        self.setCentralWidget(self.ui.root)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(1400, 880)
        script = self.control.script
        self.setWindowTitle(f"Calling — {script.show_name}: {script.name}")
        self.notice_timer = QTimer(self)
        self.notice_timer.setSingleShot(True)
        self.notice_timer.timeout.connect(lambda: self.ui.notice.setText(""))
        self._connect()
        self.apply_look()
        self.refresh()

    def _connect(self) -> None:
        c, ui = self.control, self.ui
        c.changed.connect(self.refresh)
        c.failed.connect(self.say)
        c.ended.connect(self._run_ended)
        c.engineReplaced.connect(ui.model.rebuild)
        c.engineReplaced.connect(ui.refill_departments)
        ui.note.submitted.connect(self._note_given)
        ui.note.closed.connect(self._prompt_closed)
        ui.hold_prompt.submitted.connect(self._hold_given)
        ui.hold_prompt.closed.connect(self._prompt_closed)
        ui.picker.picked.connect(self._picked)
        ui.picker.closed.connect(self._prompt_closed)
        for name, slot in {
            "go": self.go_clicked,
            "hold": self.hold_or_resume,
            "stop": self.escape,
            "back": self.control.back,
            "next": self.control.forward,
            "jump": self.ask_jump,
            "skip": lambda: self.control.skip(),
            "note": self.ask_note,
            "crew": self.open_crew_window,
            "end": self.ask_end_run,
            "report": self.open_report,
            "start_now": self.start_now,
            "count_down": self.count_down,
        }.items():
            ui.buttons[name].clicked.connect(lambda _c=False, s=slot: self._button(s))

    # --- what others ask -------------------------------------------------------------------

    @property
    def is_run_active(self) -> bool:
        """True while a run of this script is being called here (editing is locked)."""
        return self.control.is_run_active

    @property
    def script_id(self) -> uuid.UUID:
        return self.control.script_id

    # --- keys --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Escape:
            self.escape()
            return
        if self.ui.prompt_open():
            event.ignore()  # the prompt's own keys; nothing else while typing
            return
        if key == Qt.Key.Key_Space and not ctrl:
            if not event.isAutoRepeat():  # holding the key down is not another GO
                self.control.go_key_down()
            return
        actions: dict[Qt.Key, Callable[[], object]]
        if ctrl:
            actions = {
                Qt.Key.Key_Return: self.start_now,
                Qt.Key.Key_Enter: self.start_now,
                Qt.Key.Key_T: self.count_down,
                Qt.Key.Key_E: self.ask_end_run,
            }
        elif mods & Qt.KeyboardModifier.ShiftModifier:
            actions = {Qt.Key.Key_H: self.ask_hold_reason}
        else:
            actions = {
                Qt.Key.Key_H: self.hold_or_resume,
                Qt.Key.Key_Up: self.control.back,
                Qt.Key.Key_Down: self.control.forward,
                Qt.Key.Key_J: self.ask_jump,
                Qt.Key.Key_S: lambda: self.control.skip(),
                Qt.Key.Key_N: self.ask_note,
                Qt.Key.Key_C: self.open_crew_window,
            }
        action = actions.get(Qt.Key(key))
        if action is None:
            super().keyPressEvent(event)
            return
        if not event.isAutoRepeat():
            action()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.control.go_key_up()
            return
        super().keyReleaseEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.control.go_key_up()  # a release the window will never see
        if kind in THEME_EVENTS:  # light or dark theme
            QTimer.singleShot(0, self.apply_look)  # after the theme's own settings
        super().changeEvent(event)

    def _button(self, slot: object) -> None:
        assert callable(slot)
        slot()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions ----------------------------------------------------------------------------

    def go_clicked(self) -> None:
        self.control.go()

    def start_now(self) -> None:
        if self.control.engine.has_started:
            return
        self.control.start_now(self.ui.run_kind())

    def count_down(self) -> None:
        """Count down to the start time chosen (the next time that time of day comes)."""
        if self.control.engine.has_started:
            return
        self.control.start_at(self.countdown_target(), self.ui.run_kind())

    def countdown_target(self) -> datetime:
        now = self.control.now().astimezone()
        chosen = self.ui.start_time.time()
        target = now.replace(
            hour=chosen.hour(), minute=chosen.minute(), second=chosen.second(), microsecond=0
        )
        return target if target > now else target + timedelta(days=1)

    def hold_or_resume(self) -> None:
        status = self.control.engine.status
        if status is RunStatus.SAFETY_STOP:
            self.ask_resume_after_stop()
        elif status is RunStatus.HELD:
            self.control.resume()
        else:
            self.control.hold()

    def escape(self) -> None:
        """Esc: the safety stop (it closes any prompt); during one, ask about leaving the run."""
        self.ui.close_prompts()
        engine = self.control.engine
        if engine.status is RunStatus.SAFETY_STOP:
            self.ask_end_run()
        elif engine.has_started and not engine.is_over:
            self.control.safety_stop()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def ask_resume_after_stop(self) -> None:
        if not self.preferences.confirm_safety_stop:
            self.control.resume()
            return
        self._ask("resume", [("Resume the Show", self.control.resume)])

    def ask_end_run(self) -> None:
        engine = self.control.engine
        if engine.is_over:
            return
        if not engine.has_started:
            self.say("The show has not started: there is no run to end.")
        elif engine.show_ms() is not None and engine.countdown_ms() is None:  # curtain up
            self._ask("end", [("End the Run", self.control.finish)])
        else:
            self._ask("abandon", [("Abandon the Run", self.control.abandon)])

    def _prompt_closed(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_crew_window(self) -> CrewWindow:
        """The crew display, for another monitor: chosen departments in very large type."""
        if self.crew_window is None:
            self.crew_window = CrewWindow(self.control, hours24=self.hours24)
        self.crew_window.show()
        self.crew_window.raise_()
        return self.crew_window

    def open_report(self) -> ReportView | None:
        run_id = self.control.run_id
        if run_id is None:
            self.say("There is no run yet: the show report comes after a run.")
            return None
        if self.report_view is None or self.report_view.run_id != run_id:
            self.report_view = ReportView(self.db, self.owner_id, run_id, hours24=self.hours24)
        self.report_view.show()
        self.report_view.raise_()
        return self.report_view

    def _run_ended(self, _run_id: object) -> None:
        self.open_report()

    def _ask(
        self, words: str, choices: Sequence[tuple[str, Callable[[], object]]], **values: object
    ) -> Question:
        self.control.go_key_up()
        title, text = WORDS[words]
        self.dialog = Question(self, title, text.format(**values), choices)
        self.dialog.finished.connect(lambda _r: self._prompt_closed())
        self.dialog.open()
        return self.dialog

    def say(self, message: str) -> None:
        """A short notice under the buttons (a refused GO, a saved note)."""
        self.ui.notice.setText(message)
        self.notice_timer.start(NOTICE_MS)
        problem = self.control.write_problem
        if problem:
            self.ui.message_bar.show_message(problem)

    # --- drawing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ui.show_state(self.look)
        if not self.control.write_problem and self.ui.message_bar.isVisible():
            self.ui.message_bar.hide()
        pointer = self.control.engine.pointer
        if pointer != self._last_pointer:
            self._last_pointer = pointer
            self.ui.follow_pointer()

    def apply_look(self) -> None:
        self.look = current_look()
        self.ui.apply_look(self.look)
        self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.ui.scale(self.height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self._offered:
            self._offered = True
            QTimer.singleShot(0, self.offer_unfinished)

    def offer_unfinished(self) -> Question | None:
        """After a crash: offer to continue the run left unfinished, or to close it."""
        found = self.control.unfinished
        if found is None or (self.dialog is not None and self.dialog.isVisible()):
            return None
        started = ""
        if found.started_at is not None:
            started = f" (curtain up {found.started_at.astimezone().strftime('%H:%M:%S')})"
        last_notes = "".join(f"\n    [{note_stamp(n, None)}] {n.text}" for n in found.last_notes)
        if last_notes:
            last_notes = "\n\nThe latest notes (time of day · show clock):" + last_notes
        choices = [
            ("Continue the Run", self.control.continue_unfinished),
            ("Close It", self.control.close_unfinished),
        ]
        return self._ask(
            "continue",
            choices,
            started=started,
            calls=found.calls_recorded,
            notes=found.notes_recorded,
            last_notes=last_notes,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.control.is_run_active and not self._leaving:
            event.ignore()
            self._ask("leave", [("Leave", self._leave)])
            return
        if not self._losing and self.control.unwritten() and not self.control.flush_log(2.0):
            event.ignore()  # the database has not taken the last calls: ask first
            self._leaving = False
            problem = self.control.write_problem.rstrip(".") or "the database is busy"
            self._ask(
                "unwritten",
                [("Leave Anyway", self._leave_anyway)],
                count=self.control.unwritten(),
                problem=problem[:1].lower() + problem[1:],
            )
            return
        self.control.release()
        if self.crew_window is not None:
            self.crew_window.close()
        self.closed.emit(self.control.script_id)
        super().closeEvent(event)

    def _leave(self) -> None:
        self._leaving = True
        self.close()

    def _leave_anyway(self) -> None:
        self._leaving = self._losing = True
        self.close()

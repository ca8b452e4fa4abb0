"""The big panels of the calling screen: clocks, the next GO, the standby panel, banners.

Each panel redraws itself from a ``RunControl`` when told (``show_state``);
the type grows with the window (``scale``) so it reads from a metre away.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.calling.standby import Standby, StandbyGroup
from callmaster_desktop.domain.enums import RunStatus
from callmaster_desktop.domain.timeoffset import format_countdown, format_delta, format_offset
from ui.calling.key_button import badge_text
from ui.calling.look import ElidedLabel, Look, digits_font, fit_pixels, restyle, text_font
from ui.calling.run_control import RunControl
from ui.calling.script_rows import countdown_text

__all__ = [
    "Banner",
    "ClockPanel",
    "NextCuePanel",
    "StandbyPanel",
    "clock_text",
    "standby_cues_html",
    "time_of_day",
]


BADGE_PAD = 10  # pixels of colour either side of a department's initials


def clock_text(control: RunControl, hours24: bool) -> str:
    """The time of day now, from the run's clock."""
    return time_of_day(control.now(), hours24)


def time_of_day(when: datetime, hours24: bool) -> str:
    local = when.astimezone()
    return local.strftime("%H:%M:%S") if hours24 else local.strftime("%I:%M:%S %p").lstrip("0")


def _caption(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("caption")
    return label


class ClockPanel(QFrame):
    """The show clock (or the countdown to curtain up) and the wall clock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.caption = _caption("SHOW CLOCK")
        self.show_clock = QLabel("--:--:--")
        self.show_clock.setObjectName("showClock")
        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.wall_caption = _caption("TIME OF DAY")
        self.wall = QLabel()
        self.wall.setObjectName("wallClock")
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 10, 18, 12)
        grid.setHorizontalSpacing(28)
        grid.addWidget(self.caption, 0, 0)
        grid.addWidget(self.wall_caption, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.show_clock, 1, 0)
        grid.addWidget(self.wall, 1, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(self.detail, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)

    def scale(self, unit: int) -> None:
        clock = digits_font(unit * 4)
        self.show_clock.setFont(clock)
        # As wide counting down ("T-00:10:00") as running: the panels never jump.
        self.show_clock.setMinimumWidth(QFontMetrics(clock).horizontalAdvance("T-00:00:00") + 4)
        self.wall.setFont(digits_font(int(unit * 1.9)))
        self.detail.setFont(text_font(int(unit * 0.8)))

    def show_state(self, control: RunControl, hours24: bool) -> None:
        engine = control.engine
        self.wall.setText(clock_text(control, hours24))
        countdown = engine.countdown_ms()
        show = engine.show_ms()
        details: list[str] = []
        if countdown is not None:
            self.caption.setText("COUNTDOWN TO CURTAIN UP")
            self.show_clock.setText(format_countdown(countdown))
            up = engine.curtain_up_at()
            if up is not None:
                details.append(f"Curtain up at {time_of_day(up, hours24)}")
        elif show is None:
            self.caption.setText("SHOW CLOCK")
            self.show_clock.setText(format_offset(0, always_hours=True))
            start = control.plan.planned_start
            if start is not None:
                details.append(f"Planned start {time_of_day(start, hours24)}")
        else:
            self.caption.setText("SHOW CLOCK")
            self.show_clock.setText(format_offset(show, always_hours=True))
            up = engine.curtain_up_at()
            if up is not None:
                details.append(f"Curtain up {time_of_day(up, hours24)}")
        held = engine.total_hold_ms()
        if held:
            details.append(f"held {format_offset(held)} in all")
        self.detail.setText("  ·  ".join(details))


class NextCuePanel(QFrame):
    """The current cue: what the next GO calls, when it is due, and the last GO."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.caption = _caption("NEXT GO")
        self.labels = QLabel("—")
        self.labels.setObjectName("nextLabels")
        self.labels.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.labels_pixels = 40
        self.name = ElidedLabel()
        self.name.setObjectName("nextName")
        self.due = QLabel()
        self.due.setObjectName("nextDue")
        self.last = QLabel()
        self.last.setObjectName("lastGo")
        self.last.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(self.labels)
        layout.addWidget(self.name)
        layout.addWidget(self.due)
        layout.addStretch(1)
        layout.addWidget(self.last)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def scale(self, unit: int) -> None:
        self.labels_pixels = int(unit * 2.6)
        self.labels.setFont(text_font(self.labels_pixels, bold=True))
        self.name.setFont(text_font(int(unit * 1.15)))
        self.due.setFont(digits_font(int(unit * 1.15)))
        self.last.setFont(text_font(int(unit * 0.85)))

    def show_state(self, control: RunControl, look: Look) -> None:
        engine = control.engine
        moment = engine.next_moment()
        show = engine.show_ms()
        self.caption.setText("THE RUN" if engine.is_over else "NEXT GO")
        if engine.is_over:
            moment = ()
            complete = engine.status is RunStatus.COMPLETE
            self.labels.setText("Run complete" if complete else "Run ended")
            self.name.set_full_text("See the Show Report.")
            self.due.setText("")
        elif not moment:
            self.labels.setText("No more cues")
            self.name.set_full_text("End the run when the show is over (Ctrl+E).")
            self.due.setText("")
        else:
            first = moment[0]
            self.labels.setText("  ".join(("⚠ " if c.is_safety else "") + c.label for c in moment))
            self.name.set_full_text(first.name)
            planned = f"planned {format_offset(first.offset_ms)}"
            if show is not None:
                left = first.offset_ms - show
                colour = look.stop if left <= 0 else look.text
                planned += f"  ·  <span style='color:{colour}'>{countdown_text(left)}</span>"
            self.due.setText(planned)
        # Every cue of the next GO stays in view: the type shrinks to fit the panel.
        font = text_font(self.labels_pixels, bold=True)
        fitted = fit_pixels(self.labels.text(), font, self.labels.width(), smallest=14)
        if fitted != self.labels.font().pixelSize():
            self.labels.setFont(text_font(fitted, bold=True))
        safety = any(c.is_safety for c in moment)
        restyle(self.labels, f"color: {look.stop if safety else look.accent};")
        last = control.last_call
        if last is None:
            self.last.setText("Last GO: none yet")
        else:
            self.last.setText(
                f"Last GO: {last.cue.label} at {format_offset(last.show_ms)} "
                f"({format_delta(last.difference_ms)})"
            )


def standby_cues_html(group: StandbyGroup, look: Look) -> str:
    """One department's cue numbers; the next GO's underlined, overdue ones in red."""
    parts = []
    for item in group.cues:
        cue = item.cue
        number = cue.label
        if group.department:
            number = number.removeprefix(f"{group.department} ")
        text = html.escape(("⚠ " if cue.is_safety else "") + number)
        if item.overdue:
            text = f"<span style='color:{look.stop}'>{text}</span>"
        elif item.in_next_go:
            text = f"<span style='color:{look.accent}'><u>{text}</u></span>"
        parts.append(text)
    return ", ".join(parts)


class StandbyRow(QWidget):
    """One department in standby: its badge, its cue numbers, the time to the first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cues = QLabel()
        self.cues.setTextFormat(Qt.TextFormat.RichText)
        self.cues.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.due = QLabel()
        self.due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(self.badge)
        layout.addWidget(self.cues, 1)
        layout.addWidget(self.due)
        self.pixels: tuple[int, str] = (0, "")

    def scale(self, pixels: int, widest: str) -> None:
        """Type of ``pixels``; the badge as wide as the widest initials (up to five letters)."""
        if (pixels, widest) == self.pixels:
            return
        self.pixels = (pixels, widest)
        badge = text_font(pixels, bold=True)
        self.badge.setFont(badge)
        width = QFontMetrics(badge).horizontalAdvance(widest or "MM")
        self.badge.setFixedWidth(max(int(pixels * 2.4), width + 2 * BADGE_PAD + 6))
        self.cues.setFont(text_font(pixels, bold=True))
        self.due.setFont(digits_font(pixels, bold=False))

    def show_group(self, group: StandbyGroup, colour: str, show_ms: int | None, look: Look) -> None:
        self.badge.setText(group.department or "—")
        restyle(
            self.badge,
            f"background: {colour}; color: {badge_text(colour)}; padding: 2px {BADGE_PAD}px;"
            " border-radius: 4px;",
        )
        self.cues.setText(standby_cues_html(group, look))
        first = group.cues[0].cue.offset_ms
        self.due.setText("" if show_ms is None else countdown_text(first - show_ms))
        late = show_ms is not None and first <= show_ms
        restyle(self.due, f"color: {look.stop if late else look.text};")


class StandbyPanel(QFrame):
    """What the caller says next: "Standby LX 14, SQ 6, FLY 3", by department."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.caption = _caption("STANDBY")
        self.sentence = QLabel()
        self.sentence.setObjectName("standbySentence")
        self.sentence.setWordWrap(True)
        self.sentence.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.empty = QLabel("Nothing in standby.")
        self.empty.setObjectName("detail")
        self.rows: list[StandbyRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(10)
        self.pixels = 24
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.setSpacing(8)
        layout.addWidget(self.caption)
        layout.addWidget(self.sentence)
        layout.addWidget(self.empty)
        layout.addLayout(self.rows_box)
        layout.addStretch(1)

    def scale(self, unit: int) -> None:
        self.pixels = int(unit * 1.25)
        self.sentence.setFont(text_font(int(unit * 0.9)))
        self.empty.setFont(text_font(self.pixels))

    def show_state(self, control: RunControl, look: Look) -> None:
        standby = Standby(()) if control.engine.is_over else control.standby()
        departments = control.script.departments.values()
        colours = {d.initials: d.color for d in departments}
        font = text_font(self.pixels, bold=True)
        widest = max(
            (d.initials for d in departments), default="", key=QFontMetrics(font).horizontalAdvance
        )
        self.sentence.setText(standby.text or " ")
        groups = standby.groups
        while len(self.rows) < len(groups):
            row = StandbyRow()
            self.rows.append(row)
            self.rows_box.addWidget(row)
        # Every department stays in view: the rows get smaller when there are many.
        room = self.height() - self.sentence.height() - self.caption.height() - 40
        fit = int(room / (max(1, len(groups)) * 1.75)) if room > 0 else self.pixels
        pixels = max(12, min(self.pixels, fit))
        show = control.show_ms()
        for number, row in enumerate(self.rows):
            if number < len(groups):
                group = groups[number]
                row.scale(pixels, widest)
                row.show_group(group, colours.get(group.department, look.dim), show, look)
            row.setVisible(number < len(groups))
        self.empty.setVisible(not groups)


class Banner(QFrame):
    """HOLD or SAFETY STOP across the screen, with how long and what to press."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.title = QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 8, 18, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        self.hide()

    def scale(self, unit: int) -> None:
        self.title.setFont(text_font(int(unit * 1.9), bold=True))
        self.detail.setFont(text_font(int(unit * 0.9)))

    def show_state(self, control: RunControl, look: Look) -> None:
        status = control.engine.status
        length = control.open_hold_ms()
        if status not in (RunStatus.HELD, RunStatus.SAFETY_STOP) or length is None:
            self.hide()
            return
        safety = status is RunStatus.SAFETY_STOP
        background = look.stop_banner if safety else look.hold_banner
        colour = "#ffffff" if safety else look.banner_text
        restyle(
            self,
            f"#banner {{ background: {background}; border-radius: 6px; }}"
            f"#banner QLabel {{ color: {colour}; }}",
        )
        reason = control.hold_reason()
        if safety:
            self.title.setText(f"SAFETY STOP  {format_offset(length)}")
            self.detail.setText(
                "GO is locked. H: resume the show when it is safe (asks first).  "
                "Esc again: end the run."
            )
        else:
            self.title.setText(f"HOLD  {format_offset(length)}")
            about = f"{reason}.  " if reason and reason != "Hold" else ""
            self.detail.setText(
                f"{about}The show clock stands still.  H: resume.  Space: GO ends the hold."
            )
        self.show()

"""The crew display: a second window, for another monitor, in very large type.

Shows the chosen departments only, one lane each: "STANDBY 14, 15" with
the time left, then a green "GO 14" for a few seconds when the caller
calls it; above them the show clock, and HOLD or SAFETY STOP across the
whole window. It reads the same ``RunControl`` as the calling screen and
changes nothing: no keys of its own but the department choice.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.calling.events import CueCalled
from callmaster_desktop.domain.enums import RunStatus
from callmaster_desktop.domain.timeoffset import format_countdown, format_offset
from callmaster_desktop.services.scripts import DepartmentInfo
from ui.calling.key_button import badge_text
from ui.calling.look import (
    THEME_EVENTS,
    ElidedLabel,
    Look,
    current_look,
    digits_font,
    restyle,
    text_font,
)
from ui.calling.run_control import RunControl
from ui.calling.script_rows import countdown_text

__all__ = ["GO_SHOWN_MS", "CrewWindow", "Lane"]

GO_SHOWN_MS = 4_000  # how long a GO stays on the crew display


class Lane(QFrame):
    """One department: its badge, what it stands by for (or its GO), the time left."""

    def __init__(self, department: DepartmentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.department = department
        self.setObjectName("lane")
        self.badge = QLabel(department.initials)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        restyle(
            self.badge,
            f"background: {department.color}; color: {badge_text(department.color)};"
            " border-radius: 10px;",
        )
        self.word = QLabel()
        self.cues = ElidedLabel()
        self.due = QLabel()
        self.due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 18, 6)
        layout.setSpacing(24)
        layout.addWidget(self.badge)
        layout.addWidget(self.word)
        layout.addWidget(self.cues, 1)
        layout.addWidget(self.due)

    def scale(self, pixels: int) -> None:
        """The cue numbers at ``pixels``; the words around them smaller."""
        badge = text_font(int(pixels * 0.6), bold=True)
        self.badge.setFont(badge)
        initials = QFontMetrics(badge).horizontalAdvance(self.department.initials)
        self.badge.setFixedWidth(max(int(pixels * 2.8), initials + int(pixels * 0.6)))
        self.word.setFont(text_font(int(pixels * 0.55), bold=True))
        self.cues.setFont(text_font(pixels, bold=True))
        self.due.setFont(digits_font(int(pixels * 0.6)))

    def show_go(self, labels: str, look: Look) -> None:
        self._paint("GO", labels, "", look.go, look)

    def show_standby(self, labels: str, due: str, late: bool, look: Look) -> None:
        self._paint("STANDBY", labels, due, look.stop if late else look.accent, look)

    def show_nothing(self, look: Look) -> None:
        self._paint("", "—", "", look.dim, look)

    def _paint(self, word: str, cues: str, due: str, colour: str, look: Look) -> None:
        self.word.setText(word)
        self.cues.set_full_text(cues)
        self.due.setText(due)
        restyle(self.word, f"color: {colour};")
        restyle(self.cues, f"color: {colour if word == 'GO' else look.text};")
        restyle(self.due, f"color: {look.stop if colour == look.stop else look.dim};")
        go = QColor(look.go)
        fill = f"rgba({go.red()}, {go.green()}, {go.blue()}, 0.28)"
        background = fill if word == "GO" else look.panel
        restyle(
            self,
            f"#lane {{ background: {background}; border: 1px solid {look.border};"
            " border-radius: 10px; }",
        )


class CrewWindow(QWidget):
    """The crew-facing display of one run."""

    def __init__(
        self, control: RunControl, *, hours24: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.control = control
        self.hours24 = hours24
        self.look = current_look()
        self.setObjectName("crewRoot")
        script = control.script
        self.setWindowTitle(f"Crew Display — {script.show_name}: {script.name}")
        used = {c.department_id for c in control.plan.cues if c.department_id}
        self.all_departments = [
            d for d in sorted(script.departments.values(), key=lambda d: d.name.lower())
            if d.id in used
        ]  # fmt: skip
        self.chosen: list[uuid.UUID] = [d.id for d in self.all_departments]
        self.last_go: dict[uuid.UUID, tuple[str, int]] = {}  # department: (labels, when)
        self.toggles: dict[uuid.UUID, QPushButton] = {}
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Show:"))
        for department in self.all_departments:
            button = QPushButton(department.initials)
            button.setCheckable(True)
            button.setChecked(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(department.name)
            button.toggled.connect(lambda _on: self._chosen_from_buttons())
            self.toggles[department.id] = button
            chooser.addWidget(button)
        chooser.addStretch(1)
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setObjectName("crewStatus")
        self.clock = QLabel()
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.clock)
        self.lanes_box = QGridLayout()
        self.lanes_box.setSpacing(10)
        self.lanes: dict[uuid.UUID, Lane] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 16)
        outer.setSpacing(10)
        outer.addLayout(chooser)
        outer.addLayout(top)
        outer.addLayout(self.lanes_box, 1)
        self.resize(1280, 720)
        control.changed.connect(self.refresh)
        control.called.connect(self._called)
        self._build_lanes()
        self.apply_look()

    # --- choosing departments -----------------------------------------------------------------

    def set_departments(self, department_ids: list[uuid.UUID]) -> None:
        """Show these departments (in the order of the department list)."""
        wanted = set(department_ids)
        for department_id, button in self.toggles.items():
            button.blockSignals(True)
            button.setChecked(department_id in wanted)
            button.blockSignals(False)
        self._chosen_from_buttons()

    def _chosen_from_buttons(self) -> None:
        self.chosen = [d.id for d in self.all_departments if self.toggles[d.id].isChecked()]
        self._build_lanes()

    def _build_lanes(self) -> None:
        for lane in self.lanes.values():
            self.lanes_box.removeWidget(lane)
            lane.hide()
            lane.setParent(None)
            lane.deleteLater()
        self.lanes = {}
        by_id = {d.id: d for d in self.all_departments}
        for row, department_id in enumerate(self.chosen):
            lane = Lane(by_id[department_id])
            self.lanes[department_id] = lane
            self.lanes_box.addWidget(lane, row, 0)
        self._scale()
        self.refresh()

    # --- drawing ------------------------------------------------------------------------------

    def _called(self, calls: object) -> None:
        now = self.control.clock.monotonic_ms()
        by_department: dict[uuid.UUID, list[str]] = {}
        for call in calls if isinstance(calls, tuple) else ():
            if isinstance(call, CueCalled) and call.cue.department_id is not None:
                by_department.setdefault(call.cue.department_id, []).append(_number(call))
        for department_id, labels in by_department.items():
            self.last_go[department_id] = (", ".join(labels), now)
        self.refresh()

    def lane_text(self, department_id: uuid.UUID) -> str:
        """What a lane says, as one line (for tests and screen readers)."""
        lane = self.lanes[department_id]
        parts = (lane.word.text(), lane.cues.full_text(), lane.due.text())
        return " ".join(p for p in parts if p)

    def refresh(self) -> None:
        look, control = self.look, self.control
        engine = control.engine
        show = engine.show_ms()
        countdown = engine.countdown_ms()
        if countdown is not None:
            self.clock.setText(format_countdown(countdown))
        else:
            self.clock.setText(format_offset(show or 0, always_hours=True))
        status = engine.status
        words, background, colour = "", look.panel, look.text
        if status is RunStatus.SAFETY_STOP:
            words, background, colour = "SAFETY STOP", look.stop_banner, "#ffffff"
        elif status is RunStatus.HELD:
            words, background, colour = "HOLD", look.hold_banner, look.banner_text
        elif engine.is_over:
            words = "END OF SHOW"
        elif not engine.has_started:
            words = "STAND BY FOR THE START"
        else:
            words, colour = f"{control.script.show_name}  ·  {control.script.name}", look.dim
        self.status.setText(words)
        restyle(
            self.status,
            f"background: {background}; color: {colour}; border-radius: 10px; padding: 4px;",
        )
        groups = {g.department: g for g in control.standby().groups}
        now = control.clock.monotonic_ms()
        for department_id, lane in self.lanes.items():
            go = self.last_go.get(department_id)
            group = groups.get(lane.department.initials)
            if go is not None and now - go[1] < GO_SHOWN_MS and not engine.is_over:
                lane.show_go(go[0], look)
            elif group is not None and not engine.is_over:
                labels = ", ".join(
                    ("⚠ " if c.cue.is_safety else "") + _strip(c.cue.label, group.department)
                    for c in group.cues
                )
                first = group.cues[0].cue.offset_ms
                due = "" if show is None else countdown_text(first - show)
                lane.show_standby(labels, due, show is not None and first <= show, look)
            else:
                lane.show_nothing(look)

    def apply_look(self) -> None:
        self.look = current_look()
        look = self.look
        restyle(
            self,
            f"#crewRoot {{ background: {look.background}; }}"
            f"#crewRoot QLabel {{ color: {look.text}; }}"
            f"#crewRoot QPushButton {{ background: {look.panel}; color: {look.dim};"
            f" border: 1px solid {look.border}; border-radius: 6px; padding: 4px 10px; }}"
            f"#crewRoot QPushButton:checked {{ color: {look.text}; border-color: {look.accent}; }}",
        )
        self.refresh()

    def _scale(self) -> None:
        lanes = max(1, len(self.lanes))
        height = max(200, self.height() - 140)
        by_height = int(height / lanes * 0.55)
        by_width = self.width() // 14  # badge, word, a few cue numbers and the time left
        pixels = max(18, min(180, by_height, by_width))
        for lane in self.lanes.values():
            lane.scale(pixels)
        top = max(20, min(90, self.height() // 12))
        self.status.setFont(text_font(top, bold=True))
        self.clock.setFont(digits_font(top))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in THEME_EVENTS:  # light or dark theme
            QTimer.singleShot(0, self.apply_look)  # after the theme's own settings


def _strip(label: str, department: str) -> str:
    return label.removeprefix(f"{department} ") if department else label


def _number(call: CueCalled) -> str:
    return ("⚠ " if call.cue.is_safety else "") + _strip(call.cue.label, call.cue.department)

"""The widgets of the calling screen, laid out, styled and scaled (no calling logic here).

Top: the status, the script's name, the HOLD / SAFETY STOP banner. Then the
show clock beside the next GO, the start bar (before the show) or a prompt
(a note, a hold reason, jump to a cue), the standby panel beside the script
around the pointer, and a row of big buttons that never take the keyboard
focus. The type grows with the window.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.calling.events import CueCalled
from callmaster_desktop.domain.enums import RunKind, RunStatus
from ui.calling.key_button import KeyButton
from ui.calling.look import Look, digits_font, restyle, screen_style, text_font
from ui.calling.panels import Banner, ClockPanel, NextCuePanel, StandbyPanel
from ui.calling.prompts import CuePicker, LinePrompt
from ui.calling.row_painter import RowPainter
from ui.calling.run_control import RunControl
from ui.calling.script_rows import (
    CLOCK,
    CUE,
    DESCRIPTION,
    STATUS,
    TIME,
    CallingScriptModel,
    DepartmentFilter,
)
from ui.message_bar import MessageBar

__all__ = ["ScreenLayout"]

# (name, word, key): the big buttons along the bottom, GO first.
BUTTONS = (
    ("go", "GO", "Space"),
    ("hold", "Hold", "H"),
    ("stop", "Safety Stop", "Esc"),
    ("back", "Back", "↑"),
    ("next", "Next", "↓"),
    ("jump", "Jump…", "J"),
    ("skip", "Skip", "S"),
    ("note", "Note…", "N"),
    ("crew", "Crew Display", "C"),
    ("end", "End Run…", "Ctrl+E"),
    ("report", "Show Report", ""),
)


def _no_focus(widget: QWidget) -> QWidget:
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return widget


class ScreenLayout:
    """Builds the screen inside ``root`` and redraws it from the control."""

    def __init__(
        self, owner: QWidget, control: RunControl, hours24: bool, *, clock_times: bool = False
    ) -> None:
        self.control = control
        self.hours24 = hours24
        self.clock_times = clock_times
        self.root = QWidget(owner)
        self.root.setObjectName("callingRoot")
        self.message_bar = MessageBar()
        self.pill = QLabel()
        self.pill.setObjectName("pill")
        self.pill.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.run_line = QLabel()
        self.run_line.setObjectName("caption")
        self.banner = Banner()
        self.clock = ClockPanel()
        self.next = NextCuePanel()
        self.standby = StandbyPanel()
        self.note = LinePrompt()
        self.hold_prompt = LinePrompt()
        self.picker = CuePicker()
        self.prompts: tuple[QWidget, ...] = (self.note, self.hold_prompt, self.picker)
        self.model = CallingScriptModel(control, hours24=hours24, parent=self.root)
        self.proxy = DepartmentFilter(self.root)
        self.proxy.setSourceModel(self.model)
        self.view = self._make_view()
        self.buttons: dict[str, QPushButton] = {}
        self.keys: dict[str, KeyButton] = {}
        for name, word, key in BUTTONS:
            button = KeyButton(word, key)
            button.setObjectName(f"button_{name}")
            self.buttons[name] = self.keys[name] = button
        self.departments = QToolButton()
        self.departments.setObjectName("departmentFilter")
        _no_focus(self.departments)
        self.departments.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.department_menu = QMenu(self.departments)
        self.departments.setMenu(self.department_menu)
        self.department_actions: dict[uuid.UUID, QAction] = {}
        self.refill_departments()
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.start_bar = self._make_start_bar()
        self._lay_out()

    # --- building -----------------------------------------------------------------------------

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("callingScript")
        view.setModel(self.proxy)
        self.painter = RowPainter(self.model, self.proxy, view)
        view.setItemDelegate(self.painter)
        _no_focus(view)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        # Offsets or times of day, as the preferences say (the other is one key away: the
        # clock panel shows both clocks).
        view.setColumnHidden(TIME if self.clock_times else CLOCK, True)
        return view

    def _make_start_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("startBar")
        self.kind = QComboBox()
        self.kind.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.kind.addItem("Performance", RunKind.PERFORMANCE)
        self.kind.addItem("Rehearsal", RunKind.REHEARSAL)
        self.start_time = QTimeEdit()
        self.start_time.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.start_time.setDisplayFormat("HH:mm" if self.hours24 else "h:mm AP")
        planned = self.control.plan.planned_start
        if planned is not None:
            local = planned.astimezone()
            self.start_time.setTime(QTime(local.hour, local.minute, local.second))
        else:
            self.start_time.setTime(QTime.currentTime().addSecs(600))
        self.start_label = QLabel("Ready to call.")
        self.start_label.setObjectName("startLabel")
        for name, text in (("start_now", "Start Now  (Ctrl+Enter)"),
                           ("count_down", "Count Down  (Ctrl+T)")):  # fmt: skip
            button = QPushButton(text)
            button.setObjectName(f"button_{name}")
            _no_focus(button)
            self.buttons[name] = button
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(18, 8, 18, 8)
        layout.addWidget(self.start_label)
        layout.addStretch(1)
        layout.addWidget(QLabel("Run:"))
        layout.addWidget(self.kind)
        layout.addSpacing(16)
        layout.addWidget(self.buttons["start_now"])
        layout.addSpacing(16)
        layout.addWidget(QLabel("or count down to"))
        layout.addWidget(self.start_time)
        layout.addWidget(self.buttons["count_down"])
        return bar

    def _lay_out(self) -> None:
        outer = QVBoxLayout(self.root)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(8)
        outer.addWidget(self.message_bar)
        header = QHBoxLayout()
        header.addWidget(self.pill)
        header.addSpacing(12)
        header.addWidget(self.title, 1)
        header.addWidget(self.run_line)
        outer.addLayout(header)
        outer.addWidget(self.banner)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.clock, 5)
        top.addWidget(self.next, 6)
        outer.addLayout(top)
        outer.addWidget(self.start_bar)
        for prompt in self.prompts:
            outer.addWidget(prompt)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.standby)
        script = QFrame()
        script.setObjectName("panel")
        inner = QVBoxLayout(script)
        inner.setContentsMargins(10, 8, 10, 10)
        row = QHBoxLayout()
        caption = QLabel("SCRIPT")
        caption.setObjectName("caption")
        row.addWidget(caption)
        row.addStretch(1)
        row.addWidget(self.departments)
        inner.addLayout(row)
        inner.addWidget(self.view, 1)
        self.splitter.addWidget(script)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 7)
        self.splitter.setSizes([500, 900])
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for name, _word, _key in BUTTONS:
            buttons.addWidget(self.buttons[name], 2 if name == "go" else 1)
        outer.addLayout(buttons)
        outer.addWidget(self.notice)

    def refill_departments(self) -> None:
        """The department filter's menu: every department the script's cues use."""
        menu = self.department_menu
        menu.clear()
        self.department_actions.clear()
        everyone = menu.addAction("All departments")
        everyone.triggered.connect(lambda: self.filter_departments(frozenset()))
        menu.addSeparator()
        used = {c.department_id for c in self.control.plan.cues if c.department_id}
        departments = sorted(
            (d for d in self.control.script.departments.values() if d.id in used),
            key=lambda d: d.name.lower(),
        )
        for department in departments:
            action = menu.addAction(f"{department.initials}  {department.name}")
            action.setCheckable(True)
            action.toggled.connect(lambda _on: self._filter_from_menu())
            self.department_actions[department.id] = action
        self._filter_label()

    def _filter_from_menu(self) -> None:
        chosen = frozenset(i for i, a in self.department_actions.items() if a.isChecked())
        if chosen != self.proxy.departments:
            self.proxy.set_departments(chosen)
            self._filter_label()
            self.follow_pointer()

    def filter_departments(self, chosen: frozenset[uuid.UUID]) -> None:
        """Show only the cues of these departments (all when empty)."""
        for department_id, action in self.department_actions.items():
            action.blockSignals(True)
            action.setChecked(department_id in chosen)
            action.blockSignals(False)
        self._filter_from_menu()

    def _filter_label(self) -> None:
        chosen = self.proxy.departments
        if not chosen:
            self.departments.setText("Departments: all  ▾")
            return
        names = [d.initials for d in self.control.script.departments.values() if d.id in chosen]
        self.departments.setText("Departments: " + ", ".join(sorted(names)) + "  ▾")

    # --- prompts ------------------------------------------------------------------------------

    def prompt_open(self) -> bool:
        return any(p.isVisible() for p in self.prompts)

    def show_prompt(self, prompt: QWidget) -> None:
        for other in self.prompts:
            if other is not prompt:
                other.hide()

    def close_prompts(self) -> None:
        for prompt in self.prompts:
            prompt.hide()

    def run_kind(self) -> RunKind:
        kind = self.kind.currentData()
        return kind if isinstance(kind, RunKind) else RunKind.PERFORMANCE

    # --- drawing ------------------------------------------------------------------------------

    def show_state(self, look: Look) -> None:
        control, engine = self.control, self.control.engine
        state = look.state(
            engine.status, counting_down=engine.is_counting_down, started=engine.has_started
        )
        self.pill.setText(state.text)
        restyle(
            self.pill,
            f"background: {state.background}; color: {state.foreground}; border-radius: 6px;"
            " padding: 4px 16px;",
        )
        script = control.script
        self.title.setText(f"{script.show_name}  ·  {script.name}")
        self.run_line.setText(self._run_text())
        self.banner.show_state(control, look)
        self.clock.show_state(control, self.hours24)
        self.next.show_state(control, look)
        self.standby.show_state(control, look)
        ready = not engine.has_started and not engine.is_over
        self.start_bar.setVisible(ready)
        live = engine.has_started and not engine.is_over
        held = engine.status in (RunStatus.HELD, RunStatus.SAFETY_STOP)
        self.keys["hold"].set_words("Resume" if held else "Hold")
        self.keys["hold"].set_urgent(held)  # the way out of a hold stands out
        for name in ("go", "hold", "stop", "note", "end"):
            self.buttons[name].setEnabled(live)
        self.buttons["go"].setEnabled(live and engine.status is not RunStatus.SAFETY_STOP)
        for name in ("back", "next", "jump", "skip"):
            self.buttons[name].setEnabled(not engine.is_over)
        self.buttons["report"].setVisible(engine.is_over and control.run_id is not None)
        self.buttons["end"].setVisible(not engine.is_over)
        self.model.refresh()

    def _run_text(self) -> str:
        engine = self.control.engine
        if self.control.run_id is None:
            return "no run yet"
        called = sum(1 for e in engine.history if isinstance(e, CueCalled))
        total = len(self.control.plan.cues)
        return f"{called} of {total} cues called"

    def follow_pointer(self) -> None:
        """Keep the next cue a few rows below the top of the script view."""
        row = self.model.pointer_row()
        if row is None:
            row = self.model.rowCount() - 1
        index = self.proxy.mapFromSource(self.model.index(max(row, 0), 0))
        probe = row
        while not index.isValid() and probe > 0:
            probe -= 1
            index = self.proxy.mapFromSource(self.model.index(probe, 0))
        if not index.isValid():
            return
        above = max(0, index.row() - 3)
        self.view.scrollTo(self.proxy.index(above, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def apply_look(self, look: Look) -> None:
        self.painter.set_text_colour(look.text)
        self.model.set_look(look)
        restyle(self.root, screen_style(look))

    def scale(self, height: int) -> None:
        """Type sized to the window: the show clock is about a tenth of its height."""
        unit = max(13, min(40, height // 40))
        self.clock.scale(unit)
        self.next.scale(unit)
        self.standby.scale(unit)
        self.banner.scale(unit)
        self.pill.setFont(text_font(int(unit * 1.05), bold=True))
        self.title.setFont(text_font(int(unit * 1.05), bold=True))
        self.run_line.setFont(text_font(int(unit * 0.8)))
        self.notice.setFont(text_font(int(unit * 0.85), bold=True))
        hint = text_font(int(unit * 0.6))
        for name, button in self.keys.items():
            big = name == "go"
            button.set_fonts(text_font(int(unit * (1.6 if big else 0.8)), bold=big), hint)
            button.setMinimumHeight(max(button.minimumHeight(), int(unit * 3.2)))
        self.departments.setFont(text_font(int(unit * 0.75)))
        table = text_font(int(unit * 0.95))
        self.view.setFont(table)
        self.painter.set_font(table)
        self.view.verticalHeader().setDefaultSectionSize(int(unit * 1.75))
        widths = {TIME: 5.0, CLOCK: 5.6 if self.hours24 else 7.4, CUE: 5.4, STATUS: 10.0}
        for column, factor in widths.items():
            self.view.setColumnWidth(column, int(unit * factor))
        caption = text_font(int(unit * 0.7), bold=True)
        for label in self.root.findChildren(QLabel, "caption"):
            label.setFont(caption)
        for widget in self.start_bar.findChildren(QWidget):
            widget.setFont(text_font(int(unit * 0.85), bold=widget is self.start_label))
        for prompt in self.prompts:
            for widget in prompt.findChildren(QWidget):
                widget.setFont(text_font(int(unit * 0.85)))
        self.picker.list.setFont(digits_font(int(unit * 0.8), bold=False))
        self.picker.list.setMaximumHeight(int(unit * 6.5))

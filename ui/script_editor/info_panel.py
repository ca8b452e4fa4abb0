"""The script's information: name, status, planned start and end, notes, and its numbers.

Editing the fields and pressing Apply is one engine step (``EditScriptInfo``),
undone and saved like any other edit. Below them: how many cues each
department has, how many notes and groups, and the running time from the
first row to the last (and the planned length from start to end).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, ScriptStatus
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.editing import ScriptInfo
from ui.app import heading_font
from ui.editors.widgets import OptionalDateTime
from ui.script_editor.rows import DepartmentInfo


class ScriptInfoPanel(QWidget):
    infoEdited = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setObjectName("scriptName")
        self.status = QComboBox()
        for status in ScriptStatus:
            self.status.addItem(status.value.capitalize(), status.value)
        self.start = OptionalDateTime()
        self.end = OptionalDateTime()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Notes about this script")
        self.notes.setMaximumHeight(90)
        self.apply = QPushButton("Apply Changes")
        self.apply.setObjectName("applyInfo")
        self.apply.clicked.connect(self._apply)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("Name", self.name)
        form.addRow("Status", self.status)
        form.addRow("Planned start", self.start)
        form.addRow("Planned end", self.end)
        form.addRow("Notes", self.notes)
        self.totals = QLabel()
        self.totals.setObjectName("scriptTotals")
        self.totals.setWordWrap(True)
        self.running = QLabel()
        self.running.setObjectName("runningTime")
        self.running.setWordWrap(True)
        self.per_department = QLabel()
        self.per_department.setObjectName("departmentCounts")
        self.per_department.setTextFormat(Qt.TextFormat.RichText)
        counts_title = QLabel("Cues per department")
        counts_title.setFont(heading_font(1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(form)
        layout.addWidget(self.apply, 0, Qt.AlignmentFlag.AlignRight)
        layout.addSpacing(8)
        layout.addWidget(self.totals)
        layout.addWidget(self.running)
        layout.addSpacing(4)
        layout.addWidget(counts_title)
        layout.addWidget(self.per_department)
        layout.addStretch(1)
        self._info: ScriptInfo | None = None
        self.counts: dict[str, int] = {}

    def _apply(self) -> None:
        if self._info is None:
            return
        wanted: dict[str, Any] = {
            "name": self.name.text(),
            "status": self.status.currentData(),
            "start_time": self.start.value(),
            "end_time": self.end.value(),
            "notes": self.notes.toPlainText(),
        }
        current = self._info.as_fields()

        def same(key: str, value: Any) -> bool:
            old = current[key]
            if key in ("start_time", "end_time") and old is not None and value is not None:
                return bool(abs((old - value).total_seconds()) < 60)
            if key == "status":
                return bool(old.value == value)
            if key == "notes":
                return bool((old or "") == (value or "").strip())
            return bool(old == value)

        changes = {k: v for k, v in wanted.items() if not same(k, v)}
        self.infoEdited.emit(changes)

    def refresh(self, info: ScriptInfo) -> None:
        """The script's fields (the counts are worked out only when shown: refresh_counts)."""
        if info == self._info:
            return
        self._info = info
        self.name.setText(info.name)
        self.status.setCurrentIndex(self.status.findData(info.status.value))
        self.start.set_value(info.start_time)
        self.end.set_value(info.end_time)
        self.notes.setPlainText(info.notes or "")

    def refresh_counts(
        self,
        info: ScriptInfo,
        elements: Sequence[ElementData],
        departments: Mapping[uuid.UUID, DepartmentInfo],
    ) -> None:
        kinds: Counter[ElementType] = Counter()
        per: Counter[uuid.UUID | None] = Counter()
        first = last = None
        for e in elements:
            kinds[e.element_type] += 1
            if e.element_type is ElementType.CUE:
                per[e.department_id] += 1
            if e.element_type is not ElementType.GROUP:
                end = e.offset_ms + (e.duration_ms or 0)
                first = e.offset_ms if first is None else min(first, e.offset_ms)
                last = end if last is None else max(last, end)
        self.totals.setText(
            f"<b>{len(elements):,}</b> rows: {kinds[ElementType.CUE]:,} cues, "
            f"{kinds[ElementType.NOTE]:,} notes, {kinds[ElementType.GROUP]:,} groups"
        )
        running = "No timed rows yet."
        if first is not None and last is not None:
            running = (
                f"Running time <b>{format_offset(last - first)}</b> "
                f"(from {format_offset(first)} to {format_offset(last)})"
            )
        if info.start_time and info.end_time:
            planned = int((info.end_time - info.start_time).total_seconds() * 1000)
            running += f"<br>Planned length {format_offset(planned)}"
        self.running.setText(running)
        self.counts = {}
        lines = []

        def order(item: tuple[uuid.UUID | None, int]) -> str:
            found = departments.get(item[0]) if item[0] is not None else None
            return found.initials if found else "~"

        for department_id, count in sorted(per.items(), key=order):
            dept = departments.get(department_id) if department_id else None
            color = dept.color if dept else "#808080"
            name = (
                f"<b>{escape(dept.initials)}</b>&nbsp; {escape(dept.name)}"
                if dept
                else ("No department")
            )
            lines.append(
                f'<tr><td><span style="color:{color}; font-size:14pt">●</span></td>'
                f'<td style="padding: 0 10px">{name}</td>'
                f'<td align="right">{count:,}</td></tr>'
            )
            self.counts[dept.initials if dept else ""] = count
        self.per_department.setText(
            "<table cellspacing=2>" + "".join(lines) + "</table>" if lines else "No cues yet."
        )

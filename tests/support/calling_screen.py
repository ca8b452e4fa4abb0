"""A short show for the calling-screen tests, and the keys a stage manager presses.

The script, stored through the real save, starts at 23:10 UTC; the fake
clock starts at 23:00, ten minutes before it:

    Pre-show          LX 1  -5:00    SQ 1  -0:30
    Act 1             LX 2 + SQ 2  0:00 (one GO)    FLY 1  0:20 (safety)
      Storm (fires together)  LX 3  0:40, SQ 3  0:42
      note "Macbeth enters" 1:00                    LX 4  1:30
    Act 2             LX 5  5:00    SQ 4  5:30    LX 6  6:00

Nine GOs call the eleven cues.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import parse_offset
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import create_script
from support.script_builder import make_departments, make_show

START = datetime(2027, 3, 12, 23, 10, tzinfo=UTC)
CLOCK_START = datetime(2027, 3, 12, 23, 0, tzinfo=UTC)
MINUTE = 60_000
# (label, planned offset) of every cue, in calling order.
CUES = [
    ("LX 1", "-5:00"), ("SQ 1", "-0:30"), ("LX 2", "0:00"), ("SQ 2", "0:00"),
    ("FLY 1", "0:20"), ("LX 3", "0:40"), ("SQ 3", "0:42"), ("LX 4", "1:30"),
    ("LX 5", "5:00"), ("SQ 4", "5:30"), ("LX 6", "6:00"),
]  # fmt: skip
# The show clock of each GO (one per moment).
GO_TIMES = ["-5:00", "-0:30", "0:00", "0:20", "0:40", "1:30", "5:00", "5:30", "6:00"]


@dataclass
class ShortShow:
    script_id: uuid.UUID
    owner_id: uuid.UUID
    departments: dict[str, uuid.UUID]
    ids: dict[str, uuid.UUID]  # cue label (or "Act 1", "Storm"...): element id


def make_short_show(db: Database, owner_id: uuid.UUID) -> ShortShow:
    departments = make_departments(db, owner_id)
    show_id = make_show(db, owner_id, "Macbeth")
    script_id = create_script(db, owner_id, show_id, "Tech Script", start_time=START).created_id(
        Kind.SCRIPT
    )
    rows: list[ElementData] = []
    ids: dict[str, uuid.UUID] = {}

    def group(name: str, parent: str | None = None, together: bool = False) -> None:
        row = ElementData(
            ElementType.GROUP,
            name,
            parent_id=ids[parent] if parent else None,
            fires_together=together,
        )
        rows.append(row)
        ids[name] = row.id

    def cue(label: str, at: str, parent: str, priority: Priority = Priority.NORMAL) -> None:
        initials, number = label.split()
        row = ElementData(
            ElementType.CUE,
            f"{label} description",
            parse_offset(at),
            parent_id=ids[parent],
            department_id=departments[initials],
            cue_number=number,
            priority=priority,
        )
        rows.append(row)
        ids[label] = row.id

    group("Pre-show")
    cue("LX 1", "-5:00", "Pre-show")
    cue("SQ 1", "-0:30", "Pre-show")
    group("Act 1")
    cue("LX 2", "0:00", "Act 1")
    cue("SQ 2", "0:00", "Act 1")
    cue("FLY 1", "0:20", "Act 1", Priority.SAFETY)
    group("Storm", "Act 1", together=True)
    cue("LX 3", "0:40", "Storm")
    cue("SQ 3", "0:42", "Storm")
    note = ElementData(ElementType.NOTE, "Macbeth enters", parse_offset("1:00"))
    rows.append(note.with_changes(parent_id=ids["Act 1"]))
    cue("LX 4", "1:30", "Act 1")
    group("Act 2")
    cue("LX 5", "5:00", "Act 2")
    cue("SQ 4", "5:30", "Act 2")
    cue("LX 6", "6:00", "Act 2")
    with db.unit_of_work() as session:
        write_script_state(session, script_id, 1, rows, author_id=owner_id, steps=["Build"])
    return ShortShow(script_id, owner_id, departments, ids)


def fake_clock() -> FakeClock:
    return FakeClock(CLOCK_START)


def press_go(qtbot: QtBot, widget: object) -> None:
    """Space down and up, as a stage manager presses GO."""
    qtbot.keyPress(widget, Qt.Key.Key_Space)  # type: ignore[arg-type]
    qtbot.keyRelease(widget, Qt.Key.Key_Space)  # type: ignore[arg-type]


def key(
    qtbot: QtBot,
    widget: object,
    which: Qt.Key,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(widget, which, modifiers)  # type: ignore[arg-type]

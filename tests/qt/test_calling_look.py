"""What the calling screen looks like, checked on the real widgets (after looking at them).

Badges hold five-letter initials whole, the GO button's word sits on one
line with its key beneath, the panels keep their size from the countdown
to the show, a disabled Safety Stop is dimmed, the status column has room
for "NEXT · late 0:00", and the script's cells are painted from the row's
look (the next GO's row in its colour) while a GO signals only the rows that
changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from support.calling_screen import fake_clock, key, press_go
from support.script_builder import make_show
from support.window import OFFSCREEN_NOISE

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Person
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.domain.timeoffset import parse_offset
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import create_script
from ui.calling.calling_screen import CallingScreen
from ui.calling.key_button import badge_text
from ui.calling.panels import BADGE_PAD
from ui.calling.row_painter import PAD
from ui.calling.script_rows import STATUS

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "does not support raise")

START = datetime(2027, 3, 12, 23, 10, tzinfo=UTC)
CTRL = Qt.KeyboardModifier.ControlModifier
# Initials up to five letters, some wide; one department in a colour too light for white.
DEPARTMENTS = [
    ("Deck", "DECK", "#3F9B4F"),
    ("Follow Spot", "FSPOT", "#C0653A"),
    ("Wardrobe", "WWWWW", "#8E5BB5"),
    ("Pyro", "PYRO", "#FFD400"),
]


@pytest.fixture
def screen(qtbot: QtBot, db: Database, owner: Person) -> Iterator[CallingScreen]:
    with db.unit_of_work() as s:
        made = [
            Department(owner_id=owner.id, name=n, initials=i, color=c) for n, i, c in DEPARTMENTS
        ]
        s.add_all(made)
        s.flush()
        departments = {d.initials: d.id for d in made}
    show_id = make_show(db, owner.id, "Macbeth")
    script_id = create_script(db, owner.id, show_id, "Look", start_time=START).created_id(
        Kind.SCRIPT
    )
    act = ElementData(ElementType.GROUP, "Act 1")
    rows = [act]
    for number, (initials, at) in enumerate(
        [("DECK", "0:05"), ("FSPOT", "0:10"), ("WWWWW", "0:12"), ("PYRO", "0:15")] * 20, 1
    ):
        rows.append(
            ElementData(
                ElementType.CUE,
                f"{initials} cue {number}: a description long enough to be cut short",
                parse_offset(at) + number * 5_000,
                parent_id=act.id,
                department_id=departments[initials],
                cue_number=str(number),
            )
        )
    with db.unit_of_work() as s:
        write_script_state(s, script_id, 1, rows, author_id=owner.id, steps=["Build"])
    opened = CallingScreen(db, owner.id, script_id, clock=fake_clock())
    qtbot.addWidget(opened)
    opened.resize(1400, 880)
    opened.show()
    qtbot.waitExposed(opened)
    yield opened
    opened.control.release()


def _clock(screen: CallingScreen) -> FakeClock:
    clock = screen.control.clock
    assert isinstance(clock, FakeClock)
    return clock


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_badges_hold_five_letter_initials_whole(qtbot: QtBot, screen: CallingScreen) -> None:
    key(qtbot, screen, Qt.Key.Key_Return, CTRL)  # start now
    _clock(screen).advance(8_000)
    screen.control.poll()
    _settle()
    rows = [r for r in screen.ui.standby.rows if r.isVisible()]
    shown = {r.badge.text() for r in rows}
    assert {"DECK", "FSPOT", "WWWWW", "PYRO"} <= shown
    for row in rows:
        badge = row.badge
        text = QFontMetrics(badge.font()).horizontalAdvance(badge.text())
        assert text + 2 * BADGE_PAD <= badge.width(), badge.text()
    assert len({r.badge.width() for r in rows}) == 1  # one column of badges
    crew = screen.open_crew_window()
    qtbot.addWidget(crew)
    _settle()
    for lane in crew.lanes.values():
        text = QFontMetrics(lane.badge.font()).horizontalAdvance(lane.badge.text())
        assert text < lane.badge.width(), lane.badge.text()
    assert badge_text("#3F9B4F") == "#ffffff" and badge_text("#FFD400") != "#ffffff"


def test_go_reads_on_one_line_with_its_key_beneath(qtbot: QtBot, screen: CallingScreen) -> None:
    _settle()
    go = screen.ui.keys["go"]
    assert go.words() == "GO" and go.key.text() == "Space"
    word, hint = go.word, go.key
    assert "\n" not in word.text() and word.height() >= QFontMetrics(word.font()).height()
    assert word.font().pixelSize() > 2 * hint.font().pixelSize()  # big word, small key
    inside = go.rect()
    for label in (word, hint):
        assert inside.contains(label.geometry()), label.text()  # nothing clipped
    assert word.geometry().bottom() <= hint.geometry().top()
    for name, button in screen.ui.keys.items():
        metrics = QFontMetrics(button.word.font())
        assert metrics.horizontalAdvance(button.words()) <= button.word.width(), name


def test_the_panels_keep_their_size_from_countdown_to_curtain_up(
    qtbot: QtBot, screen: CallingScreen
) -> None:
    _settle()
    ready = (screen.ui.clock.width(), screen.ui.next.width())
    key(qtbot, screen, Qt.Key.Key_T, CTRL)  # count down: "T-00:10:00"
    _settle()
    assert screen.ui.clock.show_clock.text().startswith("T-")
    assert (screen.ui.clock.width(), screen.ui.next.width()) == ready
    _clock(screen).advance(10 * 60_000 + 3_000)
    screen.control.poll()
    _settle()
    assert screen.ui.clock.show_clock.text() == "0:00:03"
    assert (screen.ui.clock.width(), screen.ui.next.width()) == ready
    label = screen.ui.clock.show_clock
    metrics = QFontMetrics(label.font())
    assert metrics.horizontalAdvance("T-00:00:00") <= label.width()


def test_a_disabled_safety_stop_is_dimmed_and_resume_stands_out(
    qtbot: QtBot, screen: CallingScreen
) -> None:
    look = screen.look
    stop = screen.ui.keys["stop"].word
    _settle()

    def colour() -> str:
        return stop.palette().color(QPalette.ColorRole.WindowText).name()

    assert not stop.isEnabled() and colour() == QColor(look.dim).name()
    key(qtbot, screen, Qt.Key.Key_Return, CTRL)
    _settle()
    assert stop.isEnabled() and colour() == QColor(look.stop).name()
    key(qtbot, screen, Qt.Key.Key_H)
    hold = screen.ui.keys["hold"]
    assert hold.words() == "Resume" and hold.property("urgent") is True
    key(qtbot, screen, Qt.Key.Key_H)
    assert hold.words() == "Hold" and hold.property("urgent") is False


def test_the_status_column_has_room_for_a_late_next_go(screen: CallingScreen) -> None:
    _settle()
    view = screen.ui.view
    bold = QFontMetrics(screen.ui.painter._fonts[1][0])
    assert bold.horizontalAdvance("NEXT · late 0:00") <= view.columnWidth(STATUS) - 2 * PAD


def test_cells_are_painted_from_the_rows_look_and_a_go_signals_only_what_changed(
    qtbot: QtBot, screen: CallingScreen, qtmodeltester: object
) -> None:
    key(qtbot, screen, Qt.Key.Key_Return, CTRL)
    model, proxy, view = screen.ui.model, screen.ui.proxy, screen.ui.view
    _clock(screen).advance(12_000)
    press_go(qtbot, screen)
    _settle()

    def looks() -> list[tuple[object, ...]]:
        """What every row shows: its texts and its background."""
        background = Qt.ItemDataRole.BackgroundRole
        shown = []
        for r in range(model.rowCount()):
            texts = [model.data(model.index(r, c)) for c in range(model.columnCount())]
            brush = model.data(model.index(r, 0), background)
            shown.append((*texts, None if brush is None else brush.color().name()))
        return shown

    resets: list[int] = []
    signalled: set[int] = set()
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(
        lambda first, last, _roles=(): signalled.update(range(first.row(), last.row() + 1))
    )
    before = looks()
    _clock(screen).advance(1_000)
    press_go(qtbot, screen)
    _settle()
    after = looks()
    really = {r for r, (old, new) in enumerate(zip(before, after, strict=True)) if old != new}
    assert resets == [] and really
    assert really <= signalled  # every row that changed was told...
    assert len(signalled) <= len(really) + 2 < model.rowCount() // 4  # ...and hardly any other
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    row = model.pointer_row()
    assert row is not None
    index = proxy.mapFromSource(model.index(row, 0))
    rect = view.visualRect(index)
    assert rect.isValid() and view.viewport().rect().contains(rect.center())
    image = view.viewport().grab().toImage()
    pixel = image.pixelColor(rect.left() + 2, rect.top() + 2)
    assert pixel.name() == QColor(screen.look.next_row).name()  # the next GO's row, lit

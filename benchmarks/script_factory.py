"""Calling scripts of any size that look like real ones, for benchmarks, tests and screenshots.

A script starts with a pre-show group, then acts holding scenes holding cues
(lighting, sound, fly, video, automation, deck, follow spot) and notes, in
time order, with cue numbers counting up per department (now and then a
point cue such as ``LX 12.5``), a few safety and critical cues, durations on
fades and moves. Rows are written through the real save
(``write_script_state``), one transaction.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Department, Person, Show
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority, ScriptStatus
from callmaster_desktop.profile import find_or_create_profile
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.scripts import create_script

DEPARTMENTS = (
    ("Lighting", "LX", "#F2C14E"),
    ("Sound", "SQ", "#3A86C8"),
    ("Fly", "FLY", "#8E5BB5"),
    ("Video", "VID", "#2BA59B"),
    ("Automation", "AUTO", "#D9633B"),
    ("Deck", "DECK", "#7A8B55"),
    ("Follow Spot", "FS", "#C94F7C"),
)
WORDS = {
    "LX": ("Warm state, slow build", "Snap to blackout", "Cross-fade to moonlight", "Cyc wash up"),
    "SQ": ("Thunder roll, low", "Birdsong loop in", "Banquet music fades", "Knocking, SR"),
    "FLY": ("Fly out the castle wall", "Fly in the gauze", "Chandelier in to trim"),
    "VID": ("Projection: storm clouds", "Witches' faces on gauze", "Video fades out"),
    "AUTO": ("Revolve turns 90°", "Truck the banquet table on", "Lift rises"),
    "DECK": ("Strike the throne", "Preset daggers DS", "Set the cauldron"),
    "FS": ("Pick up Macbeth DSC", "Fade both spots", "Spot 2 on Lady M."),
}
NOTES = (
    "Actor enters SL",
    "Hold for applause",
    "Watch for the sword fight to finish",
    "Banquet table clear before GO",
    "Wait for the witches to exit",
)


def build_rows(
    count: int, departments: Sequence[tuple[uuid.UUID, str]], *, seed: int = 12
) -> list[ElementData]:
    """``count`` rows in sequence order; ``departments`` are (id, initials) pairs."""
    rng = random.Random(seed)
    rows: list[ElementData] = []
    if count <= 0:
        return rows
    numbers = {d: 0 for d, _ in departments}
    offset = -30 * 60_000
    # Steps of 2 to 20 seconds; a huge script is squeezed into about three and a half hours.
    scale = min(1.0, 3.5 * 3_600_000 / (count * 9_400))
    pre = ElementData(ElementType.GROUP, "Pre-show", offset, color="#5D7285")
    rows.append(pre)
    parent: uuid.UUID | None = pre.id
    act: uuid.UUID | None = None
    act_number = scene_number = 0
    scene_size = max(8, min(60, count // 40 or 8))
    while len(rows) < count:
        left = count - len(rows)
        if len(rows) > 6 and (act is None or (scene_number >= 6 and left > 2)):
            act_number += 1
            scene_number = 0
            group = ElementData(ElementType.GROUP, f"Act {act_number}", offset, color="#3F6E9E")
            rows.append(group)
            act = parent = group.id
            continue
        new_scene = parent in (act, pre.id) or rng.random() < 1 / scene_size
        if act is not None and new_scene and left > 1:
            scene_number += 1
            scene = ElementData(ElementType.GROUP, f"Scene {scene_number}", offset, parent_id=act)
            rows.append(scene)
            parent = scene.id
            continue
        offset += int(rng.choice((2_000, 5_000, 8_000, 12_000, 20_000)) * scale)
        if rng.random() < 0.12:
            name = rng.choice(NOTES)
            color = "#2E9E5B" if rng.random() < 0.3 else None
            rows.append(ElementData(ElementType.NOTE, name, offset, parent_id=parent, color=color))
            continue
        department, initials = departments[rng.randrange(len(departments))]
        numbers[department] += 1
        number = str(numbers[department])
        if rng.random() < 0.05:
            number += ".5"
        roll = rng.random()
        priority = (
            Priority.SAFETY
            if roll < 0.02
            else Priority.CRITICAL
            if roll < 0.06
            else Priority.NORMAL
        )
        rows.append(
            ElementData(
                ElementType.CUE,
                rng.choice(WORDS.get(initials, ("Go",))),
                offset,
                parent_id=parent,
                department_id=department,
                cue_number=number,
                duration_ms=rng.choice((None, 3_000, 5_000, 10_000)),
                priority=priority,
                location=rng.choice((None, None, "SL", "SR", "DSC", "Fly floor", "FOH")),
                notes="Visual clear from the deck before GO"
                if priority is Priority.SAFETY
                else None,
            )
        )
    return rows


@dataclass(frozen=True)
class BuiltScript:
    owner_id: uuid.UUID
    show_id: uuid.UUID
    script_id: uuid.UUID
    departments: dict[str, uuid.UUID]


def make_departments(db: Database, owner_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The owner's departments by initials (created when missing)."""
    from sqlalchemy import select

    with db.unit_of_work() as session:
        have = {
            d.initials: d.id
            for d in session.scalars(select(Department).where(Department.owner_id == owner_id))
        }
        for name, initials, color in DEPARTMENTS:
            if initials not in have:
                made = Department(owner_id=owner_id, name=name, initials=initials, color=color)
                session.add(made)
                session.flush()
                have[initials] = made.id
    return have


def make_script(
    db: Database,
    count: int,
    *,
    login: str = "stage.manager",
    show_name: str = "Macbeth",
    script_name: str = "Tech Script",
    seed: int = 12,
) -> BuiltScript:
    """A show with one script of ``count`` rows, owned by ``login``."""
    with db.unit_of_work() as session:
        owner: Person = find_or_create_profile(session, login)
        show = Show(owner_id=owner.id, name=show_name)
        session.add(show)
        session.flush()
        owner_id, show_id = owner.id, show.id
    departments = make_departments(db, owner_id)
    start = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)
    changes = create_script(
        db, owner_id, show_id, script_name, status=ScriptStatus.WORKING, start_time=start
    )
    script_id = changes.created_id(Kind.SCRIPT)
    assert script_id is not None
    rows = build_rows(count, [(i, k) for k, i in departments.items()], seed=seed)
    with db.unit_of_work() as session:
        write_script_state(session, script_id, 1, rows, author_id=owner_id, steps=["Build"])
    return BuiltScript(owner_id, show_id, script_id, departments)

"""caller's notes as rows: run_notes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

The caller's notes of a run used to be lines of ``runs.notes``
(``[0:12:03.250 LX 14] text``, ``[before start] text``), which kept the show
clock but lost the time of day. Each note is now a row of ``run_notes``: the
show clock, the time of day, the cue it is about (its element and its label
as it was) and the text.

Upgrading moves every line in that form out of ``runs.notes`` into
``run_notes``; any other line stays in ``runs.notes`` (the run's general
notes). The old lines had no time of day, so it is worked out as well as it
can be: curtain up + the show clock + the holds after curtain up that began
before the note (for a note before curtain up, curtain up + the show clock
less the holds still to come before curtain up; for a note "before start",
when the run was created). Notes that come out at the same moment keep their
order a microsecond apart. The cue is found by its label among the script's
cues. Downgrading writes the rows back as lines, in the same form.

This file is self-contained: it does not import the application's code, so
it stays right whatever that code becomes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOTE_LINE = re.compile(
    r"^\[(?P<when>before start|-?[0-9]+:[0-9]{2}(?::[0-9]{2})?(?:\.[0-9]{1,3})?)"
    r"(?: (?P<label>[^\]]+))?\] (?P<text>.*)$"
)
_LABEL_LENGTH = 40

_runs = sa.table(
    "runs",
    sa.column("id", sa.Uuid()),
    sa.column("script_id", sa.Uuid()),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("notes", sa.Text()),
)
_holds = sa.table(
    "run_holds",
    sa.column("run_id", sa.Uuid()),
    sa.column("show_offset_ms", sa.BigInteger()),
    sa.column("length_ms", sa.BigInteger()),
)
_elements = sa.table(
    "elements",
    sa.column("id", sa.Uuid()),
    sa.column("script_id", sa.Uuid()),
    sa.column("element_type", sa.String()),
    sa.column("department_id", sa.Uuid()),
    sa.column("cue_number", sa.String()),
    sa.column("sequence", sa.Integer()),
)
_departments = sa.table(
    "departments", sa.column("id", sa.Uuid()), sa.column("initials", sa.String())
)
_notes = sa.table(
    "run_notes",
    sa.column("id", sa.Uuid()),
    sa.column("run_id", sa.Uuid()),
    sa.column("element_id", sa.Uuid()),
    sa.column("cue_label", sa.String()),
    sa.column("show_offset_ms", sa.BigInteger()),
    sa.column("noted_at", sa.DateTime(timezone=True)),
    sa.column("text", sa.Text()),
)


def upgrade() -> None:
    op.create_table(
        "run_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("element_id", sa.Uuid(), nullable=True),
        sa.Column("cue_label", sa.String(length=40), nullable=True),
        sa.Column("show_offset_ms", sa.BigInteger(), nullable=True),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["elements.id"],
            name=op.f("fk_run_notes_element_id_elements"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["runs.id"],
            name=op.f("fk_run_notes_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_notes")),
    )
    with op.batch_alter_table("run_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_notes_run_id"), ["run_id"], unique=False)
    _move_lines_into_rows(op.get_bind())


def downgrade() -> None:
    _move_rows_into_lines(op.get_bind())
    with op.batch_alter_table("run_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_notes_run_id"))
    op.drop_table("run_notes")


# --- times as text, as the old lines wrote them ---------------------------------------------


def _parse_show_clock(text: str) -> int:
    """``-1:30.500`` / ``1:02:03.250`` / ``0:00`` as milliseconds."""
    sign = -1 if text.startswith("-") else 1
    body, _, fraction = text.lstrip("-").partition(".")
    total = 0
    for part in body.split(":"):
        total = total * 60 + int(part)
    millis = int((fraction + "000")[:3]) if fraction else 0
    return sign * (total * 1000 + millis)


def _format_show_clock(ms: int) -> str:
    sign = "-" if ms < 0 else ""
    magnitude = abs(ms)
    seconds, millis = divmod(magnitude, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return sign + text + (f".{millis:03d}" if millis else "")


def _aware(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _stored(bind: Any, when: datetime) -> datetime:
    """As the application stores times: UTC, without a zone on SQLite."""
    return when.replace(tzinfo=None) if bind.dialect.name == "sqlite" else when


# --- upgrade: lines into rows -----------------------------------------------------------------


def _noted_at(
    show_ms: int | None,
    curtain: datetime | None,
    created: datetime,
    holds: list[tuple[int, int]],
) -> datetime:
    if show_ms is None or curtain is None:
        return created
    if show_ms >= 0:
        held = sum(length for at, length in holds if 0 <= at < show_ms)
        return curtain + timedelta(milliseconds=show_ms + held)
    still_to_come = sum(length for at, length in holds if show_ms <= at < 0)
    return curtain + timedelta(milliseconds=show_ms - still_to_come)


def _cue_labels(bind: Any, script_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The script's cues by label (``LX 14``); the first cue wins a repeated label."""
    rows = bind.execute(
        sa.select(_elements.c.id, _departments.c.initials, _elements.c.cue_number)
        .select_from(
            _elements.outerjoin(_departments, _departments.c.id == _elements.c.department_id)
        )
        .where(_elements.c.script_id == script_id, _elements.c.element_type == "cue")
        .order_by(_elements.c.sequence)
    ).all()
    labels: dict[str, uuid.UUID] = {}
    for element_id, initials, number in rows:
        label = " ".join(p for p in ((initials or "").strip(), (number or "").strip()) if p)
        if label:
            labels.setdefault(label, element_id)
    return labels


def _move_lines_into_rows(bind: Any) -> None:
    runs = bind.execute(
        sa.select(
            _runs.c.id, _runs.c.script_id, _runs.c.started_at, _runs.c.created_at, _runs.c.notes
        ).where(_runs.c.notes.is_not(None), _runs.c.notes != "")
    ).all()
    for run_id, script_id, started_at, created_at, text in runs:
        lines = str(text).splitlines()
        parsed = [(line, _NOTE_LINE.match(line)) for line in lines]
        if not any(match for _, match in parsed):
            continue
        holds = [
            (int(at), int(length or 0))
            for at, length in bind.execute(
                sa.select(_holds.c.show_offset_ms, _holds.c.length_ms).where(
                    _holds.c.run_id == run_id
                )
            )
        ]
        labels = _cue_labels(bind, script_id)
        curtain = _aware(started_at)
        created = _aware(created_at) or datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        kept: list[str] = []
        last: datetime | None = None
        for line, match in parsed:
            if match is None:
                kept.append(line)
                continue
            when = match["when"]
            show_ms = None if when == "before start" else _parse_show_clock(when)
            label = (match["label"] or "").strip() or None
            noted = _noted_at(show_ms, curtain, created, holds)
            if last is not None and noted <= last:
                noted = last + timedelta(microseconds=1)  # keep the notes' order
            last = noted
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "run_id": run_id,
                    "element_id": labels.get(label) if label else None,
                    "cue_label": label[:_LABEL_LENGTH] if label else None,
                    "show_offset_ms": show_ms,
                    "noted_at": _stored(bind, noted),
                    "text": match["text"],
                }
            )
        bind.execute(sa.insert(_notes), rows)
        general = "\n".join(kept).strip("\n")
        bind.execute(sa.update(_runs).where(_runs.c.id == run_id).values(notes=general or None))


# --- downgrade: rows back into lines ---------------------------------------------------------


def _move_rows_into_lines(bind: Any) -> None:
    rows = bind.execute(
        sa.select(
            _notes.c.run_id, _notes.c.cue_label, _notes.c.show_offset_ms, _notes.c.text
        ).order_by(_notes.c.run_id, _notes.c.noted_at, _notes.c.id)
    ).all()
    lines: dict[uuid.UUID, list[str]] = {}
    for run_id, label, show_ms, text in rows:
        when = "before start" if show_ms is None else _format_show_clock(int(show_ms))
        about = f" {label}" if label else ""
        lines.setdefault(run_id, []).append(f"[{when}{about}] {' '.join(str(text).split())}")
    for run_id, notes in lines.items():
        general = bind.execute(sa.select(_runs.c.notes).where(_runs.c.id == run_id)).scalar()
        text = "\n".join([*([general] if general else []), *notes])
        bind.execute(sa.update(_runs).where(_runs.c.id == run_id).values(notes=text))

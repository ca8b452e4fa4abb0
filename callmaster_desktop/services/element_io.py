"""Reading and writing a script's element rows in bulk, close to the driver.

A script can hold 10,000 rows and more, so the hot paths skip the per-value
type processing of the ORM: rows are read with one ``SELECT`` and turned into
``ElementData`` with memoised conversions (a script uses a few departments
and groups many times over), and updates go out as one driver
``executemany`` per set of changed columns. ``ElementCodec`` knows how the
backend stores a UUID (32 hex digits on SQLite, ``uuid`` on PostgreSQL).
"""

from __future__ import annotations

import enum
import gc
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, delete, insert
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Element
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.services.element_checks import ELEMENT_FIELDS

# The hot paths below build ElementData positionally in this order.
POSITIONAL_FIELDS = (
    "element_type", "name", "offset_ms", "id", "parent_id", "department_id", "cue_number",
    "notes", "duration_ms", "priority", "location", "color", "fires_together",
)
if ELEMENT_FIELDS != POSITIONAL_FIELDS:  # pragma: no cover - a guard for future edits
    raise RuntimeError("ElementData's fields changed: update element_io and ElementDraft.shift")
ELEMENTS = cast(Table, Element.__table__)
# Ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 5000
_TYPES = {m.value: m for m in ElementType}
_PRIORITIES = {m.value: m for m in Priority}
_UUID_COLUMNS = ("id", "parent_id", "department_id")
_SELECT_ROWS = "SELECT {} FROM elements WHERE script_id = {{mark}} ORDER BY sequence".format(
    ", ".join(ELEMENT_FIELDS)
)


def _uuid_from_hex_fast(text: str) -> uuid.UUID:
    """``uuid.UUID(hex=text)`` for the 32 hex digits the database holds, 3x quicker.

    ``UUID.__init__`` re-checks what the database already guarantees; this
    sets the two slots it would set. Used only when it gives equal UUIDs on
    this Python (checked at import), else ``uuid.UUID`` itself is used.
    """
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", int(text, 16))
    object.__setattr__(made, "is_safe", uuid.SafeUUID.unknown)
    return made


def _pick_uuid_from_hex() -> Callable[[str], uuid.UUID]:
    sample = uuid.uuid4()
    try:
        fast = _uuid_from_hex_fast(sample.hex)
        if fast == sample and hash(fast) == hash(sample) and str(fast) == str(sample):
            return _uuid_from_hex_fast
    except (AttributeError, TypeError):  # pragma: no cover - another Python's UUID
        pass
    return lambda text: uuid.UUID(hex=text)  # pragma: no cover


uuid_from_hex = _pick_uuid_from_hex()


class ElementCodec:
    """Values between ``ElementData`` and the database driver of one session."""

    def __init__(self, session: Session) -> None:
        dialect = session.get_bind().dialect
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.text_uuids = dialect.name != "postgresql"
        self._uuids: dict[Any, uuid.UUID | None] = {None: None}

    def to_db(self, value: uuid.UUID | None) -> Any:
        if value is None or not self.text_uuids:
            return value
        return value.hex

    def from_db(self, value: Any) -> uuid.UUID | None:
        """A UUID read back, memoised (parents and departments repeat)."""
        try:
            return self._uuids[value]
        except KeyError:
            made = value if isinstance(value, uuid.UUID) else uuid.UUID(hex=value)
            self._uuids[value] = made
            return made

    def param(self, column: str, value: Any) -> Any:
        if column in _UUID_COLUMNS:
            return self.to_db(value)
        if isinstance(value, enum.Enum):
            return value.value
        return value


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection during a bulk step.

    A step that makes tens of thousands of small objects otherwise triggers
    full collections over all of them again and again; none of them form
    cycles, so nothing is lost by collecting afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_elements(session: Session, script_id: uuid.UUID) -> list[ElementData]:
    """The script's elements in sequence order."""
    codec = ElementCodec(session)
    rows = session.connection().exec_driver_sql(
        _SELECT_ROWS.format(mark=codec.mark), (codec.to_db(script_id),)
    ).all()
    with paused_gc():
        return _build(codec, rows)


def _build(codec: ElementCodec, rows: Sequence[Any]) -> list[ElementData]:
    # On SQLite each id is text: one UUID object per text, so a row's parent is the
    # very object of its group's id (lookups take the identity shortcut).
    memo: dict[Any, uuid.UUID] = {}
    known = memo.get
    text_uuids = codec.text_uuids

    def as_uuid(value: Any) -> Any:
        if value is None or not text_uuids:
            return value
        made = known(value)
        if made is None:
            made = memo[value] = uuid_from_hex(value)
        return made

    return [
        ElementData(
            _TYPES[kind],
            name,
            offset,
            as_uuid(element_id),
            as_uuid(parent),
            as_uuid(department),
            number,
            notes,
            duration,
            _PRIORITIES[priority],
            location,
            color,
            bool(together),
        )
        for (kind, name, offset, element_id, parent, department, number, notes, duration,
             priority, location, color, together) in rows
    ]


def _chunks(ids: Sequence[uuid.UUID]) -> list[Sequence[uuid.UUID]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def delete_rows(session: Session, ids: Sequence[uuid.UUID]) -> None:
    for chunk in _chunks(ids):
        session.execute(delete(ELEMENTS).where(ELEMENTS.c.id.in_(chunk)))


def park_rows(session: Session, script_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> None:
    """Move rows off their places and cue numbers before other rows take them.

    ``(script_id, sequence)`` and ``(script_id, department_id, cue_number)``
    are unique row by row, so a row whose sequence or cue number changes
    first goes to a negative sequence (the stored ones are positive) and no
    number; its final values are written afterwards.
    """
    for chunk in _chunks(ids):
        session.execute(
            ELEMENTS.update()
            .where(ELEMENTS.c.script_id == script_id, ELEMENTS.c.id.in_(chunk))
            .values(sequence=-ELEMENTS.c.sequence, cue_number=None)
        )


def insert_rows(
    session: Session, script_id: uuid.UUID, rows: Sequence[tuple[int, ElementData]]
) -> None:
    """Insert (sequence, element) pairs; list order puts each group before its rows."""
    if rows:
        session.execute(
            insert(ELEMENTS),
            [
                {**{n: getattr(e, n) for n in ELEMENT_FIELDS}, "script_id": script_id,
                 "sequence": position}
                for position, e in rows
            ],
        )


def update_rows(
    session: Session, by_columns: dict[tuple[str, ...], list[tuple[int, ElementData]]]
) -> None:
    """One ``executemany`` per set of changed columns (``sequence`` is the position)."""
    codec = ElementCodec(session)
    connection = session.connection()
    for columns, rows in by_columns.items():
        assignments = ", ".join(f"{c} = {codec.mark}" for c in columns)
        statement = f"UPDATE elements SET {assignments} WHERE id = {codec.mark}"
        params = [
            (
                *(
                    position if c == "sequence" else codec.param(c, getattr(e, c))
                    for c in columns
                ),
                codec.to_db(e.id),
            )
            for position, e in rows
        ]
        connection.exec_driver_sql(statement, params)

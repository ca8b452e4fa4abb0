"""Reading and writing a script's element rows in bulk, close to the driver.

A script can hold 100,000 rows, so the hot paths skip the per-value type
processing of the ORM: rows are read with one ``SELECT``, fetched as plain
tuples and built straight into ``ElementData`` slots (``new_element``) with
memoised conversions (a script uses a few departments and groups many times
over); writes go out as one driver ``executemany`` per kind of change, with
plain tuples as parameters. ``ElementCodec`` knows how the backend stores a
UUID (32 hex digits on SQLite, ``uuid`` on PostgreSQL).
"""

from __future__ import annotations

import enum
import gc
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import Element
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.services.element_values import ELEMENT_FIELDS, new_element
from callmaster_desktop.services.move_order import move_order

# A row whose (department, cue number) changes: (old key, new key, the row as written,
# its department before). A key is None when the row holds no number.
CueKey = tuple[int, str]
CueMove = tuple[CueKey | None, CueKey | None, ElementData, uuid.UUID | None]

# The hot paths below build ElementData positionally in this order.
POSITIONAL_FIELDS = (
    "element_type",
    "name",
    "offset_ms",
    "id",
    "parent_id",
    "department_id",
    "cue_number",
    "notes",
    "duration_ms",
    "priority",
    "location",
    "color",
    "fires_together",
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
_INSERT_COLUMNS = ("script_id", "sequence", *ELEMENT_FIELDS)
# Fields the driver takes as they are (no UUID, no enum).
_PLAIN_COLUMNS = frozenset(ELEMENT_FIELDS) - {*_UUID_COLUMNS, "element_type", "priority"}
_ROW_VALUES = attrgetter(*ELEMENT_FIELDS)
_UUID_INT = uuid.UUID.__dict__["int"].__set__
_UUID_SAFE = uuid.UUID.__dict__["is_safe"].__set__
_UNKNOWN = uuid.SafeUUID.unknown


def _uuid_from_hex_fast(text: str) -> uuid.UUID:
    """``uuid.UUID(hex=text)`` for the 32 hex digits the database holds, 5x quicker.

    ``UUID.__init__`` re-checks what the database already guarantees; this
    sets the two slots it would set. Used only when it gives equal UUIDs on
    this Python (checked at import), else ``uuid.UUID`` itself is used.
    """
    made = object.__new__(uuid.UUID)
    _UUID_INT(made, int(text, 16))
    _UUID_SAFE(made, _UNKNOWN)
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

    def row_params(self, e: ElementData) -> tuple[Any, ...]:
        """Every field of a row as the driver takes it, in ``ELEMENT_FIELDS`` order."""
        (kind, name, offset, element_id, parent, department, number, notes, duration,
         priority, location, color, together) = _ROW_VALUES(e)  # fmt: skip
        if self.text_uuids:
            element_id = element_id.hex
            parent = None if parent is None else parent.hex
            department = None if department is None else department.hex
        return (kind.value, name, offset, element_id, parent, department, number, notes,
                duration, priority.value, location, color, together)  # fmt: skip


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


def fetch_tuples(session: Session, statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of a driver-level ``SELECT`` as the driver's own tuples.

    The statement goes through SQLAlchemy (events, metrics, error
    translation); the rows are taken from the driver's cursor directly,
    without wrapping each in a ``Row``.
    """
    connection = session.connection()
    result = connection.exec_driver_sql(statement, tuple(params))
    dbapi = connection.dialect.loaded_dbapi
    try:
        return cast(list[tuple[Any, ...]], result.cursor.fetchall())
    except dbapi.Error as exc:
        raise DBAPIError.instance(statement, params, exc, dbapi.Error) from exc
    finally:
        result.close()


def read_elements(session: Session, script_id: uuid.UUID) -> list[ElementData]:
    """The script's elements in sequence order."""
    codec = ElementCodec(session)
    rows = fetch_tuples(session, _SELECT_ROWS.format(mark=codec.mark), (codec.to_db(script_id),))
    with paused_gc():
        return _build(codec, rows)


def _build(codec: ElementCodec, rows: Sequence[Any]) -> list[ElementData]:
    # On SQLite each id is text: one UUID object per text, so a row's parent is the
    # very object of its group's id (lookups take the identity shortcut).
    if codec.text_uuids and uuid_from_hex is _uuid_from_hex_fast:
        return _build_from_text(rows)
    memo: dict[Any, Any] = {None: None}
    known = memo.get
    make = new_element
    types, priorities = _TYPES, _PRIORITIES
    text_uuids = codec.text_uuids
    out: list[ElementData] = []
    append = out.append
    for (kind, name, offset, element_id, parent, department, number, notes, duration,
         priority, location, color, together) in rows:  # fmt: skip
        if text_uuids:  # pragma: no cover - only where the quick UUIDs are refused
            element_id = memo[element_id] = uuid_from_hex(element_id)
            group = known(parent)
            if group is None and parent is not None:
                group = memo[parent] = uuid_from_hex(parent)
            parent = group
            owner = known(department)
            if owner is None and department is not None:
                owner = memo[department] = uuid_from_hex(department)
            department = owner
        append(
            make(types[kind], name, offset, element_id, parent, department, number, notes,
                 duration, priorities[priority], location, color, bool(together))
        )  # fmt: skip
    return out


def _build_from_text(rows: Sequence[Any]) -> list[ElementData]:
    """``_build`` for ids stored as hex text, with the UUIDs made in line (the hot loop)."""
    memo: dict[Any, Any] = {None: None}
    known = memo.get
    make = new_element
    new, uuid_class, set_int, set_safe, unknown = (
        object.__new__,
        uuid.UUID,
        _UUID_INT,
        _UUID_SAFE,
        _UNKNOWN,
    )
    types, priorities = _TYPES, _PRIORITIES
    out: list[ElementData] = []
    append = out.append
    for (kind, name, offset, element_id, parent, department, number, notes, duration,
         priority, location, color, together) in rows:  # fmt: skip
        made = new(uuid_class)
        set_int(made, int(element_id, 16))
        set_safe(made, unknown)
        memo[element_id] = made
        group = known(parent)
        if group is None and parent is not None:
            group = memo[parent] = _uuid_from_hex_fast(parent)
        owner = known(department)
        if owner is None and department is not None:
            owner = memo[department] = _uuid_from_hex_fast(department)
        append(
            make(types[kind], name, offset, made, group, owner, number, notes, duration,
                 priorities[priority], location, color, bool(together))
        )  # fmt: skip
    return out


def _chunks(ids: Sequence[uuid.UUID]) -> list[Sequence[uuid.UUID]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def delete_rows(session: Session, ids: Sequence[uuid.UUID]) -> None:
    """Delete rows by id: one ``executemany``."""
    if ids:
        codec = ElementCodec(session)
        session.connection().exec_driver_sql(
            f"DELETE FROM elements WHERE id = {codec.mark}", [(codec.to_db(i),) for i in ids]
        )


def sequence_moves(moves: Sequence[tuple[int, int, Any]]) -> list[tuple[int, Any]]:
    """``(sequence, id)`` parameters that move rows to new places (``move_order``).

    ``moves`` are ``(old sequence, new sequence, id)``; a row waiting in a
    loop is parked on ``-new`` (stored sequences are positive).
    """
    return [(-new if parked else new, key) for (_, new, key), parked in move_order(moves)]


def move_rows(session: Session, moves: Sequence[tuple[int, int, uuid.UUID]]) -> None:
    """Give rows their new sequence (``(old, new, id)`` each): one ``executemany``."""
    if moves:
        codec = ElementCodec(session)
        params = sequence_moves([(old, new, codec.to_db(i)) for old, new, i in moves])
        session.connection().exec_driver_sql(
            f"UPDATE elements SET sequence = {codec.mark} WHERE id = {codec.mark}", params
        )


def renumber_cues(session: Session, moves: Sequence[CueMove]) -> None:
    """Give rows their new (department, cue number) without two cues ever sharing one.

    Cues keeping their department take their new numbers in one
    ``executemany`` ordered by ``move_order`` (a cue waiting in a loop, as
    when two swap numbers, first lets go of its number: NULL never clashes).
    Rows changing department let go of their number first and take both at
    the end: the department is a foreign key, and setting it makes SQLite
    rewrite every index of the row, so it is set only where it changes.
    """
    if not moves:
        return
    codec = ElementCodec(session)
    to_db, mark = codec.to_db, codec.mark
    connection = session.connection()
    same = [m for m in moves if m[2].department_id == m[3]]
    others = [m for m in moves if m[2].department_id != m[3]]
    numbered = [(to_db(e.id),) for before, _, e, _ in others if before is not None]
    if numbered:
        connection.exec_driver_sql(
            f"UPDATE elements SET cue_number = NULL WHERE id = {mark}", numbered
        )
    if same:
        connection.exec_driver_sql(
            f"UPDATE elements SET cue_number = {mark} WHERE id = {mark}",
            [
                (None if parked else e.cue_number, to_db(e.id))
                for (_, _, e, _), parked in move_order(same)
            ],
        )
    if others:
        connection.exec_driver_sql(
            f"UPDATE elements SET department_id = {mark}, cue_number = {mark} WHERE id = {mark}",
            [(to_db(e.department_id), e.cue_number, to_db(e.id)) for _, _, e, _ in others],
        )


def insert_rows(
    session: Session, script_id: uuid.UUID, rows: Sequence[tuple[int, ElementData]]
) -> None:
    """Insert (sequence, element) pairs; list order puts each group before its rows."""
    if rows:
        codec = ElementCodec(session)
        script = codec.to_db(script_id)
        marks = ", ".join([codec.mark] * len(_INSERT_COLUMNS))
        row_params = codec.row_params
        session.connection().exec_driver_sql(
            f"INSERT INTO elements ({', '.join(_INSERT_COLUMNS)}) VALUES ({marks})",
            [(script, position, *row_params(e)) for position, e in rows],
        )


def shift_script(session: Session, script_id: uuid.UUID, delta_ms: int) -> None:
    """Move every row of the script ``delta_ms`` later: one set-based statement."""
    codec = ElementCodec(session)
    session.connection().exec_driver_sql(
        f"UPDATE elements SET offset_ms = offset_ms + {codec.mark} WHERE script_id = {codec.mark}",
        (delta_ms, codec.to_db(script_id)),
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
        if len(columns) == 1 and columns[0] in _PLAIN_COLUMNS:
            value = attrgetter(columns[0])  # the usual case: one plain field, such as a time
            to_db = codec.to_db
            connection.exec_driver_sql(statement, [(value(e), to_db(e.id)) for _, e in rows])
            continue
        params = [
            (
                *(position if c == "sequence" else codec.param(c, getattr(e, c)) for c in columns),
                codec.to_db(e.id),
            )
            for position, e in rows
        ]
        connection.exec_driver_sql(statement, params)

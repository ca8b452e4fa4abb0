"""Copying a script's elements in one ``INSERT ... SELECT``, group links included.

The new id of a copied row is a fresh random prefix (one per copy, 96 bits,
laid out as a version-4 UUID) followed by the row's sequence as 8 hex
digits. Sequences are unique within a script, so the copy of a row's group
is found by the group's sequence in the same statement: no id map, no
second pass over the rows, whatever the script's size.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Uuid, case, cast, func, insert, literal, null, select
from sqlalchemy.orm import Session

from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.element_checks import ELEMENT_FIELDS
from callmaster_desktop.services.element_io import ELEMENTS

MAX_SEQUENCE = 0xFFFFFFFF  # what 8 hex digits hold
_COPIED = [n for n in ELEMENT_FIELDS if n not in ("id", "parent_id")] + ["sequence"]


def _new_id(session: Session, prefix: str, sequence: Any) -> ColumnElement[Any]:
    """``prefix`` + the sequence as 8 hex digits, as the backend stores a UUID."""
    if session.get_bind().dialect.name == "postgresql":
        digits = func.lpad(func.to_hex(sequence), 8, "0")
        return cast(literal(prefix) + digits, Uuid)
    # SQLite keeps a Uuid as 32 lower-case hex digits.
    return literal(prefix) + func.printf("%08x", sequence)


def copy_elements(session: Session, source_id: uuid.UUID, copy_id: uuid.UUID) -> int:
    """Copy every element of ``source_id`` into ``copy_id``; return how many.

    The caller holds the source script's lock, so its rows stay still.
    """
    low, high, count = session.execute(
        select(func.min(ELEMENTS.c.sequence), func.max(ELEMENTS.c.sequence), func.count()).where(
            ELEMENTS.c.script_id == source_id
        )
    ).one()
    if not count:
        return 0
    if low < 1 or high > MAX_SEQUENCE:
        raise ValidationError(
            "This script's rows are not numbered 1, 2, 3...: run the database check "
            "(callmaster check) and save the script once before copying it."
        )
    prefix = uuid.uuid4().hex[:24]  # keeps the version-4 and variant digits
    row, group = ELEMENTS.alias("row"), ELEMENTS.alias("grp")
    group_copy = case(
        (group.c.id.is_(None), null()), else_=_new_id(session, prefix, group.c.sequence)
    )
    session.execute(
        insert(ELEMENTS).from_select(
            ["id", "script_id", "parent_id", *_COPIED],
            select(
                _new_id(session, prefix, row.c.sequence),
                literal(copy_id, ELEMENTS.c.script_id.type),
                group_copy,  # the copy of the row's group (NULL at the top level)
                *(row.c[n] for n in _COPIED),
            )
            .select_from(row.outerjoin(group, group.c.id == row.c.parent_id))
            .where(row.c.script_id == source_id),
        )
    )
    return int(count)

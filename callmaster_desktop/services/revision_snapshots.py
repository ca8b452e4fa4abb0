"""What a ``ScriptRevision`` keeps of the script: all of it, or what changed since the last one.

A revision's ``snapshot`` is JSON in one of two formats, with the same row
layout (one list per row, columns named once: ``SNAPSHOT_COLUMNS``):

- format 1, the whole script::

      {"format": 1, "script": {...}, "columns": [...], "rows": [[...], ...]}

- format 2, the rows that changed since revision ``base``, which held the
  script exactly as the save found it::

      {"format": 2, "script": {...}, "columns": [...], "base": 41, "count": 10000,
       "order": [0, 5120, -1, 2, 5122, 4878], "rows": [[...], {"base": 5121, "offset": 61000}]}

  ``order`` is pairs ``(start, length)``: ``length`` rows of the base from
  its row ``start``, or (``start`` = -1) the next ``length`` entries of
  ``rows``. An entry is a whole row (a list, for a row added), or a row of
  the base with some of its columns changed (``{"base": index, column:
  value}``). Saving one edit to a 100,000-row script writes one entry and
  three pairs, not 100,000 rows. When every row only moves by the same time
  (and keeps its place), the snapshot is just ``"shift": milliseconds``.

A save writes format 2 when the revision before it describes the stored
rows (same script version), the change holds under a quarter of what the
whole script would, and the revision's number is not one that starts a new
chain: every ``FULL_EVERY``-th revision (1, 17, 33, ...) holds the whole
script, so reading any revision takes at most ``FULL_EVERY`` snapshots,
read in two statements. ``read_snapshot`` gives any revision as format 1;
a show package carries format 1 only (``whole_snapshots``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callmaster_desktop.db.models import ScriptRevision
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.services.element_values import (
    ELEMENT_FIELDS,
    SNAPSHOT_COLUMNS,
    snapshot,
    snapshot_rows,
)

FULL_EVERY = 16
# A script smaller than this always gets whole snapshots (they are small anyway).
CHANGES_FROM_ROWS = 200
WHOLE = 1
CHANGES = 2
# ElementData's fields by their snapshot column, and the columns' places in a row.
_COLUMN = dict(
    zip(
        ELEMENT_FIELDS,
        ("type", "name", "offset", "id", "parent", "department", "number", "notes",
         "duration", "priority", "location", "color", "together"),
        strict=True,
    )
)  # fmt: skip
_PLACE = {name: n for n, name in enumerate(SNAPSHOT_COLUMNS)}
Entry = ElementData | tuple[int, ElementData, tuple[str, ...]]
# Values JSON takes as they are; the others (UUIDs, enums) are written as text.
_PLAIN = frozenset({int, str, bool, type(None)})


class SnapshotError(ValueError):
    """A revision's snapshot that cannot be read back (damaged, or its base is gone)."""


class RowOrder:
    """The rows of a save as runs: of the stored rows (by index) or of rows written anew.

    A row written anew is a whole row (``write``) or a stored row with some
    fields changed (``change``).
    """

    def __init__(self) -> None:
        self.pairs: list[int] = []
        self.written: list[Entry] = []
        self.weight = 0  # about how many values the written entries hold

    def stored(self, start: int, length: int = 1) -> None:
        pairs = self.pairs
        if not length:
            return
        if pairs and pairs[-2] >= 0 and pairs[-2] + pairs[-1] == start:
            pairs[-1] += length
        else:
            pairs += (start, length)

    def write(self, e: ElementData) -> None:
        self.change(-1, e, ELEMENT_FIELDS)

    def change(self, stored_index: int, e: ElementData, fields: tuple[str, ...]) -> None:
        """A row written anew: a stored row (by index) with ``fields`` changed, or (-1) new."""
        pairs = self.pairs
        if pairs and pairs[-2] == -1:
            pairs[-1] += 1
        else:
            pairs += (-1, 1)
        if stored_index < 0:
            self.written.append(e)
            self.weight += len(SNAPSHOT_COLUMNS)
        else:
            self.written.append((stored_index, e, fields))
            self.weight += 1 + len(fields)


def starts_a_chain(number: int) -> bool:
    """Revisions 1, 1 + FULL_EVERY, ... always hold the whole script."""
    return (number - 1) % FULL_EVERY == 0


def revision_snapshot(
    script_fields: dict[str, Any],
    elements: Sequence[ElementData],
    number: int,
    base: int | None,
    order: RowOrder | None,
    *,
    shift: int | None = None,
) -> dict[str, Any]:
    """The snapshot a save records: the changes since revision ``base`` when worth it.

    ``base`` is the revision that holds the rows the save started from (None:
    no such revision) and ``order`` how the saved rows come from those.
    ``shift``: every row is the base's, in its place, that many milliseconds
    later (nothing else changed): recorded as just that.
    """
    count = len(elements)
    if shift is not None and base is not None and not starts_a_chain(number):
        return {
            **snapshot(script_fields, ()),
            "format": CHANGES,
            "base": base,
            "count": count,
            "order": [0, count] if count else [],
            "rows": [],
            "shift": shift,
        }
    if (
        base is None
        or order is None
        or starts_a_chain(number)
        or count < CHANGES_FROM_ROWS
        # Worth it while it holds under a quarter of what the whole script would.
        or order.weight + len(order.pairs) > count * len(SNAPSHOT_COLUMNS) // 4
    ):
        return snapshot(script_fields, elements)
    whole = snapshot(script_fields, ())
    return {
        **whole,
        "format": CHANGES,
        "base": base,
        "count": count,
        "order": order.pairs,
        "rows": _entries(order.written),
    }


def _entries(written: Sequence[Entry]) -> list[Any]:
    """The written entries as JSON: whole rows as lists, changed rows as dicts."""
    out: list[Any] = []
    append = out.append
    plain = _PLAIN
    for entry in written:
        if isinstance(entry, ElementData):
            out.extend(snapshot_rows((entry,)))
            continue
        index, e, fields = entry
        changed: dict[str, Any] = {"base": index}
        for name in fields:
            value = getattr(e, name)
            changed[_COLUMN[name]] = value if type(value) in plain else str(value)
        append(changed)
    return out


def read_snapshot(
    session: Session,
    script_id: uuid.UUID,
    *,
    number: int | None = None,
    script_version: int | None = None,
) -> dict[str, Any] | None:
    """A revision's snapshot as the whole script (format 1); None when there is no such revision.

    The revision is given by its ``number`` or by the ``script_version`` it
    saved. Raises ``SnapshotError`` when it cannot be read back.
    """
    query = select(ScriptRevision.number, ScriptRevision.snapshot).where(
        ScriptRevision.script_id == script_id
    )
    if number is not None:
        query = query.where(ScriptRevision.number == number)
    else:
        query = query.where(ScriptRevision.script_version == script_version)
    found = session.execute(query.order_by(ScriptRevision.number.desc()).limit(1)).first()
    if found is None or found.snapshot is None:
        return None
    target: Any = found.snapshot
    if not isinstance(target, dict) or target.get("format") != CHANGES:
        return target if isinstance(target, dict) else None
    chain = _chain(session, script_id, found.number, target)
    rows = _whole_rows(chain[0])
    for changes in chain[1:]:
        rows = apply_changes(rows, changes)
    return {
        "format": WHOLE,
        "script": target.get("script") or {},
        "columns": list(SNAPSHOT_COLUMNS),
        "rows": rows,
    }


def whole_snapshots(snapshots: dict[int, Any]) -> dict[int, Any]:
    """Every snapshot of one script's revisions (by number) as the whole script (format 1).

    For a show package, which carries whole snapshots only. A snapshot that
    cannot be read back is carried as it is.
    """
    whole: dict[int, Any] = {}
    for number in sorted(snapshots):
        data = snapshots[number]
        if isinstance(data, dict) and data.get("format") == CHANGES:
            base_number = data.get("base")
            base = whole.get(base_number) if isinstance(base_number, int) else None
            try:
                if not isinstance(base, dict) or base.get("format") != WHOLE:
                    raise SnapshotError(f"revision {number} builds on a revision not kept")
                _check_columns(data)
                data = {
                    "format": WHOLE,
                    "script": data.get("script") or {},
                    "columns": list(SNAPSHOT_COLUMNS),
                    "rows": apply_changes(_whole_rows(base), data),
                }
            except SnapshotError:
                pass
        whole[number] = data
    return whole


def _chain(
    session: Session, script_id: uuid.UUID, number: int, target: dict[str, Any]
) -> list[dict[str, Any]]:
    """The snapshots from the whole one the target starts from to the target, oldest first."""
    lowest = max(1, number - (number - 1) % FULL_EVERY)
    known: dict[int, Any] = {
        row.number: row.snapshot
        for row in session.execute(
            select(ScriptRevision.number, ScriptRevision.snapshot).where(
                ScriptRevision.script_id == script_id,
                ScriptRevision.number >= lowest,
                ScriptRevision.number < number,
            )
        )
    }
    chain = [target]
    current = target
    while current.get("format") == CHANGES:
        base = current.get("base")
        if not isinstance(base, int) or base >= number:  # bases only go back: no loop
            raise SnapshotError(f"revision {number} names no earlier revision to start from")
        if base not in known:  # written under another rule: fetched on its own
            known[base] = session.scalar(
                select(ScriptRevision.snapshot).where(
                    ScriptRevision.script_id == script_id, ScriptRevision.number == base
                )
            )
        current = known[base]
        if not isinstance(current, dict):
            raise SnapshotError(f"revision {base}, which revision {number} builds on, is gone")
        _check_columns(current)
        chain.append(current)
        number = base
    chain.reverse()
    return chain


def _check_columns(data: dict[str, Any]) -> None:
    columns = data.get("columns") or list(SNAPSHOT_COLUMNS)
    if list(columns) != list(SNAPSHOT_COLUMNS):
        raise SnapshotError(f"unknown snapshot columns {columns!r}")


def _whole_rows(data: dict[str, Any]) -> list[Any]:
    if data.get("format") != WHOLE:
        raise SnapshotError(f"unknown snapshot format {data.get('format')!r}")
    rows = data.get("rows") or []
    if not isinstance(rows, list):
        raise SnapshotError("a snapshot's rows are not a list")
    return rows


def apply_changes(base: list[Any], changes: dict[str, Any]) -> list[Any]:
    """The rows of a format-2 snapshot, given the rows of its base."""
    try:
        order = changes["order"]
        written = changes["rows"]
        count = int(changes["count"])
        rows: list[Any] = []
        taken = 0
        for k in range(0, len(order), 2):
            start, length = int(order[k]), int(order[k + 1])
            if length < 0:
                raise SnapshotError("a run of rows has a negative length")
            if start == -1:
                part = [_entry_row(base, entry) for entry in written[taken : taken + length]]
                taken += length
            elif start >= 0 and start + length <= len(base):
                part = base[start : start + length]
            else:
                raise SnapshotError("a run of rows reaches past its base")
            if len(part) != length:
                raise SnapshotError("a run of rows is cut short")
            rows.extend(part)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(f"not a snapshot of changes: {exc}") from None
    if len(rows) != count or taken != len(written):
        raise SnapshotError("a snapshot of changes does not add up to its rows")
    shift = changes.get("shift")
    if shift is None:
        return rows
    if isinstance(shift, bool) or not isinstance(shift, int):
        raise SnapshotError("a shift of every row's time is not a number")
    at = _PLACE["offset"]
    return [[*row[:at], row[at] + shift, *row[at + 1 :]] for row in rows]


def _entry_row(base: list[Any], entry: Any) -> Any:
    """A written entry as a whole row: a list as it is, a change applied to its base row."""
    if isinstance(entry, list):
        return entry
    if not isinstance(entry, dict):
        raise SnapshotError("a row of a snapshot of changes is neither a row nor a change")
    index = entry["base"]
    if not isinstance(index, int) or not 0 <= index < len(base):
        raise SnapshotError("a changed row names a row its base does not have")
    row = list(base[index])
    for column, value in entry.items():
        if column != "base":
            row[_PLACE[column]] = value
    return row

"""Rows, script information and recorded changes as JSON.

Rows use the layout of a revision's snapshot (``services.element_checks``:
one list per row, columns named once), so the crash journal and the
revision history read rows the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority, ScriptStatus
from callmaster_desktop.editing.state import Change, InfoChange, ScriptInfo, Splice
from callmaster_desktop.services.element_checks import SNAPSHOT_COLUMNS


class FormatError(ValueError):
    """JSON that is not a row, a script's information or a change as written here."""


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def encode_row(e: ElementData) -> list[Any]:
    """A row in the snapshot's column order (``SNAPSHOT_COLUMNS``)."""
    return [
        str(e.id),
        e.element_type.value,
        e.name,
        e.offset_ms,
        _id(e.parent_id),
        _id(e.department_id),
        e.cue_number,
        e.notes,
        e.duration_ms,
        e.priority.value,
        e.location,
        e.color,
        e.fires_together,
    ]


def decode_row(row: Sequence[Any], columns: Sequence[str] = SNAPSHOT_COLUMNS) -> ElementData:
    try:
        r = dict(zip(columns, row, strict=True))
        return ElementData(
            element_type=ElementType(r["type"]),
            name=str(r["name"] or ""),
            offset_ms=int(r["offset"]),
            id=uuid.UUID(str(r["id"])),
            parent_id=_uuid(r["parent"]),
            department_id=_uuid(r["department"]),
            cue_number=r["number"],
            notes=r["notes"],
            duration_ms=None if r["duration"] is None else int(r["duration"]),
            priority=Priority(r["priority"]),
            location=r["location"],
            color=r["color"],
            fires_together=bool(r["together"]),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise FormatError(f"not a row: {exc}") from None


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _read_when(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def encode_info(info: ScriptInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "status": info.status.value,
        "start_time": _when(info.start_time),
        "end_time": _when(info.end_time),
        "notes": info.notes,
    }


def decode_info(data: dict[str, Any]) -> ScriptInfo:
    try:
        return ScriptInfo(
            name=str(data["name"]),
            status=ScriptStatus(data["status"]),
            start_time=_read_when(data.get("start_time")),
            end_time=_read_when(data.get("end_time")),
            notes=data.get("notes"),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise FormatError(f"not a script's information: {exc}") from None


def encode_change(change: Change) -> dict[str, Any]:
    if isinstance(change, InfoChange):
        return {"info": [encode_info(change.old), encode_info(change.new)]}
    return {
        "at": change.at,
        "removed": [encode_row(e) for e in change.removed],
        "inserted": [encode_row(e) for e in change.inserted],
    }


def decode_change(data: dict[str, Any]) -> Change:
    try:
        if "info" in data:
            old, new = data["info"]
            return InfoChange(decode_info(old), decode_info(new))
        return Splice(
            int(data["at"]),
            tuple(decode_row(r) for r in data["removed"]),
            tuple(decode_row(r) for r in data["inserted"]),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise FormatError(f"not a recorded change: {exc}") from None


def decode_snapshot(snapshot: dict[str, Any]) -> tuple[ScriptInfo, list[ElementData]]:
    """The script's information and rows kept by a ``ScriptRevision``."""
    if snapshot.get("format") != 1:
        raise FormatError(f"unknown snapshot format {snapshot.get('format')!r}")
    columns = snapshot.get("columns") or SNAPSHOT_COLUMNS
    info = decode_info(snapshot.get("script") or {})
    return info, [decode_row(row, columns) for row in snapshot.get("rows") or []]

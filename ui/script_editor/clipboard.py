"""Rows on the clipboard: exact JSON for CallMaster, tab-separated text for spreadsheets.

Copying puts both on the clipboard (and on a drag): ``application/x-callmaster-rows``
carries every field (departments also by initials, so rows can be pasted
into another script or another database that has those departments), and
plain text carries a header line and one tab-separated line per row, which
a spreadsheet splits into cells. Pasting reads the JSON when it is there,
else tab-separated text from a spreadsheet: with a header line the columns
are found by name (Time, Dept, Cue, Name, ...), without one they are taken
in the editor's column order. Every problem names the line it is on.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QMimeData

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.timeoffset import TimeFormatError, format_offset, parse_offset
from callmaster_desktop.errors import ValidationError
from ui.script_editor.rows import Col, DepartmentInfo

ROWS_MIME = "application/x-callmaster-rows"
FORMAT = "callmaster-rows"
TSV_COLUMNS = (
    "Level",
    "Type",
    "Time",
    "Duration",
    "Dept",
    "Cue",
    "Name",
    "Notes",
    "Location",
    "Priority",
    "Colour",
)
_ALIASES = {
    "level": "Level",
    "depth": "Level",
    "type": "Type",
    "kind": "Type",
    "time": "Time",
    "offset": "Time",
    "duration": "Duration",
    "length": "Duration",
    "dept": "Dept",
    "department": "Dept",
    "cue": "Cue",
    "cue number": "Cue",
    "number": "Cue",
    "#": "Cue",
    "name": "Name",
    "name / description": "Name",
    "description": "Name",
    "notes": "Notes",
    "note": "Notes",
    "location": "Location",
    "where": "Location",
    "priority": "Priority",
    "colour": "Colour",
    "color": "Colour",
}
_BY_COLUMN = {
    Col.TIME: "Time",
    Col.DURATION: "Duration",
    Col.DEPARTMENT: "Dept",
    Col.CUE: "Cue",
    Col.NAME: "Name",
    Col.NOTES: "Notes",
    Col.LOCATION: "Location",
    Col.PRIORITY: "Priority",
}


class Departments:
    """The stage manager's departments, found by id, initials or name."""

    def __init__(self, departments: Sequence[DepartmentInfo]) -> None:
        self.by_id = {d.id: d for d in departments}
        self._by_word = {d.initials.casefold(): d for d in departments}
        self._by_word.update({d.name.casefold(): d for d in departments})

    def find(self, word: str) -> DepartmentInfo | None:
        return self._by_word.get(word.strip().casefold())

    def initials(self, department_id: uuid.UUID | None) -> str:
        info = self.by_id.get(department_id) if department_id else None
        return info.initials if info else ""


# --- JSON ---------------------------------------------------------------------------------


def _row_json(e: ElementData, departments: Departments) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "type": e.element_type.value,
        "parent": str(e.parent_id) if e.parent_id else None,
        "name": e.name,
        "offset_ms": e.offset_ms,
        "duration_ms": e.duration_ms,
        "department": departments.initials(e.department_id) or None,
        "department_id": str(e.department_id) if e.department_id else None,
        "cue_number": e.cue_number,
        "notes": e.notes,
        "priority": e.priority.value,
        "location": e.location,
        "color": e.color,
        "fires_together": e.fires_together,
    }


def rows_payload(
    rows: Sequence[ElementData], departments: Departments, script_id: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": 1,
        "script": str(script_id) if script_id else None,
        "rows": [_row_json(e, departments) for e in rows],
    }


def rows_from_payload(payload: Mapping[str, Any], departments: Departments) -> list[ElementData]:
    """The rows of a copied payload, departments matched by id, then by initials."""
    if payload.get("format") != FORMAT or not isinstance(payload.get("rows"), list):
        raise ValidationError("The clipboard does not hold CallMaster rows.")
    rows: list[ElementData] = []
    for number, item in enumerate(payload["rows"], start=1):
        try:
            rows.append(_row_from_json(item, departments))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"Copied row {number} cannot be read ({exc}).") from None
    return rows


def _row_from_json(item: Mapping[str, Any], departments: Departments) -> ElementData:
    department_id: uuid.UUID | None = None
    if item.get("department_id") or item.get("department"):
        known = uuid.UUID(item["department_id"]) if item.get("department_id") else None
        if known is None or known not in departments.by_id:
            found = departments.find(item.get("department") or "")
            if found is None:
                raise ValidationError(
                    f'The copied rows use the department "{item.get("department")}", which '
                    "this database does not have: add it first, then paste again."
                )
            known = found.id
        department_id = known
    return ElementData(
        ElementType(item["type"]),
        str(item.get("name") or ""),
        int(item["offset_ms"]),
        id=uuid.UUID(item["id"]),
        parent_id=uuid.UUID(item["parent"]) if item.get("parent") else None,
        department_id=department_id,
        cue_number=item.get("cue_number"),
        notes=item.get("notes"),
        duration_ms=None if item.get("duration_ms") is None else int(item["duration_ms"]),
        priority=Priority(item.get("priority") or "normal"),
        location=item.get("location"),
        color=item.get("color"),
        fires_together=bool(item.get("fires_together")),
    )


# --- tab-separated text ------------------------------------------------------------------


def _clean(text: str | None) -> str:
    return (text or "").replace("\t", " ").replace("\r", " ").replace("\n", " ")


def rows_tsv(rows: Sequence[ElementData], departments: Departments) -> str:
    """A header line and one tab-separated line per row, for a spreadsheet."""
    depth: dict[uuid.UUID, int] = {}
    lines = ["\t".join(TSV_COLUMNS)]
    for e in rows:
        level = depth[e.parent_id] + 1 if e.parent_id in depth else 0
        depth[e.id] = level
        cells = (
            str(level),
            e.element_type.value,
            format_offset(e.offset_ms, show_ms=True),
            "" if e.duration_ms is None else format_offset(e.duration_ms, show_ms=True),
            departments.initials(e.department_id),
            e.cue_number or "",
            _clean(e.name),
            _clean(e.notes),
            _clean(e.location),
            e.priority.value,
            e.color or "",
        )
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _header(cells: list[str]) -> list[str] | None:
    names = [_ALIASES.get(c.strip().casefold(), "") for c in cells]
    known = [n for n in names if n]
    return names if len(known) >= max(2, len(cells) // 2) else None


def rows_from_tsv(
    text: str,
    departments: Departments,
    *,
    columns: Sequence[Col] = tuple(Col),
    default_time: int = 0,
) -> list[ElementData]:
    """Rows from tab-separated text (a spreadsheet's cells, or a copy from the editor)."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise ValidationError("The clipboard is empty: copy some rows or cells first.")
    names = _header(lines[0].split("\t"))
    first_line = 1
    if names is None:
        names = [_BY_COLUMN[c] for c in columns]
        first_line = 0
    rows: list[ElementData] = []
    groups: list[uuid.UUID] = []  # the open group at each level
    previous_time = default_time
    for number, line in enumerate(lines[first_line:], start=first_line + 1):
        if not line.strip():
            continue
        cells = dict(zip(names, line.split("\t"), strict=False))
        cells.pop("", None)
        try:
            e = _row_from_cells(cells, departments, previous_time)
        except ValidationError as exc:
            raise ValidationError(f"Line {number} of the pasted text: {exc}") from None
        level = _level(cells.get("Level"), number)
        del groups[level:]
        parent = groups[-1] if groups else None
        e = e.with_changes(parent_id=parent)
        if e.element_type is ElementType.GROUP:
            groups.append(e.id)
        rows.append(e)
        previous_time = e.offset_ms
    return rows


def _level(text: str | None, line: int) -> int:
    if not text or not text.strip():
        return 0
    try:
        level = int(text.strip())
    except ValueError:
        raise ValidationError(
            f'Line {line} of the pasted text: the level "{text.strip()}" is not a whole number.'
        ) from None
    return max(level, 0)


def _time(text: str, what: str) -> int:
    try:
        return parse_offset(text)
    except TimeFormatError as exc:
        raise ValidationError(f"the {what}: {exc}.") from None


def _row_from_cells(
    cells: Mapping[str, str], departments: Departments, previous_time: int
) -> ElementData:
    get = {k: (v or "").strip() for k, v in cells.items()}
    department: DepartmentInfo | None = None
    number = get.get("Cue", "")
    if get.get("Dept"):
        department = departments.find(get["Dept"])
        if department is None:
            raise ValidationError(f'there is no department called "{get["Dept"]}".')
    if " " in number:  # a label such as "LX 12"
        word, _, rest = number.partition(" ")
        found = departments.find(word)
        if found is not None and (department is None or department.id == found.id):
            department, number = found, rest.strip()
    kind_text = get.get("Type", "").casefold()
    if kind_text:
        try:
            kind = ElementType(kind_text)
        except ValueError:
            raise ValidationError(f'"{get["Type"]}" is not a cue, a note or a group.') from None
    else:
        kind = ElementType.CUE if department is not None or number else ElementType.NOTE
    priority = Priority.NORMAL
    if get.get("Priority"):
        try:
            priority = Priority(get["Priority"].casefold().replace("⚠", "").strip())
        except ValueError:
            choices = ", ".join(p.value for p in Priority)
            raise ValidationError(
                f'"{get["Priority"]}" is not a priority: use one of {choices}.'
            ) from None
    offset = _time(get["Time"], "time") if get.get("Time") else previous_time
    duration = _time(get["Duration"], "duration") if get.get("Duration") else None
    return ElementData(
        kind,
        get.get("Name", ""),
        offset,
        department_id=department.id if department and kind is ElementType.CUE else None,
        cue_number=(number or None) if kind is ElementType.CUE else None,
        notes=get.get("Notes") or None,
        duration_ms=duration,
        priority=priority,
        location=get.get("Location") or None,
        color=get.get("Colour") or None,
    )


def rows_mime(
    rows: Sequence[ElementData], departments: Departments, script_id: uuid.UUID | None
) -> QMimeData:
    mime = QMimeData()
    payload = rows_payload(rows, departments, script_id)
    mime.setData(ROWS_MIME, json.dumps(payload).encode("utf-8"))
    mime.setText(rows_tsv(rows, departments))
    return mime


def payload_of(mime: QMimeData) -> dict[str, Any] | None:
    """The CallMaster rows a clipboard or drag carries, or None."""
    if not mime.hasFormat(ROWS_MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(ROWS_MIME).data()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None

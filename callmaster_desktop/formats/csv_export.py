"""A script as CSV that the import reads back exactly.

One row per element, in script order, under the headers the import knows
(``FIELD_LABELS``): Time, Type, Cue, Department, Name, Description, Group
Path, Priority, Location, Duration, Colour, Fires Together.

How values are written, so that export then import gives back the same script:

- times and durations as ``H:MM:SS`` with hours always written (a
  spreadsheet would read ``2:03`` as two hours) and milliseconds when there
  are any: ``0:02:03``, ``27:00:00``, ``-0:05:00``, ``0:00:01.250``;
- the department by its initials; the cue number as stored (``12.5``);
- a row's groups as a path, ``Act 1/Scene 2`` (a ``/`` inside a group's
  name is written ``\\/``); group rows come before the rows inside them;
- cells a spreadsheet would run as a formula (starting with ``= + - @``, a
  tab or a carriage return) get a leading apostrophe, so a pre-show time is
  written ``'-0:05:00``: spreadsheets show it as text, and the import takes
  the apostrophe off again (``csv_detect.guard_cell``);
- UTF-8 with a byte-order mark, so spreadsheets read accents correctly.

Line breaks inside notes come back as ``\\n`` (a lone ``\\r`` is read as a
line break too). A group needs a name to be imported.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from callmaster_desktop.db.engine import Database
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.csv_detect import guard_cell
from callmaster_desktop.formats.csv_mapping import FIELD_LABELS, Field
from callmaster_desktop.formats.csv_tree import join_path
from callmaster_desktop.formats.report_data import (
    department_view,
    find_script,
    owner_department_by_initials,
)
from callmaster_desktop.services.scripts import load_script_in

COLUMNS: tuple[Field, ...] = (
    Field.TIME,
    Field.TYPE,
    Field.CUE_NUMBER,
    Field.DEPARTMENT,
    Field.NAME,
    Field.NOTES,
    Field.GROUP_PATH,
    Field.PRIORITY,
    Field.LOCATION,
    Field.DURATION,
    Field.COLOR,
    Field.TOGETHER,
)
HEADERS = [FIELD_LABELS[f] for f in COLUMNS]


def export_time(ms: int) -> str:
    """A time as the export writes it (before the formula guard): ``-0:05:00``."""
    return format_offset(ms, show_ms=True, always_hours=True)


def script_rows(
    elements: Sequence[ElementData], initials: Mapping[uuid.UUID, str]
) -> list[list[str]]:
    """The CSV rows (without the header) of elements given in script order."""
    names = {e.id: e.name for e in elements}
    parents = {e.id: e.parent_id for e in elements}
    paths: dict[uuid.UUID | None, str] = {None: ""}

    def path_of(parent: uuid.UUID | None) -> str:
        if parent in paths:
            return paths[parent]
        chain: list[str] = []
        node = parent
        while node is not None and node in names:
            chain.append(names[node])
            node = parents[node]
        paths[parent] = join_path(list(reversed(chain)))
        return paths[parent]

    rows = []
    for e in elements:
        cells = {
            Field.TIME: export_time(e.offset_ms),
            Field.TYPE: e.element_type.value.capitalize(),
            Field.CUE_NUMBER: e.cue_number or "",
            Field.DEPARTMENT: initials.get(e.department_id, "") if e.department_id else "",
            Field.NAME: e.name,
            Field.NOTES: e.notes or "",
            Field.GROUP_PATH: path_of(e.parent_id),
            Field.PRIORITY: e.priority.value.capitalize(),
            Field.LOCATION: e.location or "",
            Field.DURATION: "" if e.duration_ms is None else export_time(e.duration_ms),
            Field.COLOR: e.color or "",
            Field.TOGETHER: "Yes" if e.fires_together else "",
        }
        rows.append([guard_cell(cells[f]) for f in COLUMNS])
    return rows


def to_csv(rows: Sequence[Sequence[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([guard_cell(h) for h in HEADERS])
    writer.writerows(rows)
    return out.getvalue()


def export_script_csv(
    db: Database,
    owner_id: uuid.UUID,
    script_id: uuid.UUID,
    *,
    departments: Sequence[str] = (),
    delimiter: str = ",",
) -> str:
    """The script as CSV text; with ``departments`` (initials), only their cues.

    A department subset keeps the groups around its cues and the notes beside
    them, as a cue sheet does.
    """
    if delimiter not in (",", ";", "\t"):
        raise ValidationError("Write CSV with a comma, a semicolon or a tab between cells.")
    with db.reading() as session:
        loaded = load_script_in(session, owner_id, script_id)
        wanted = owner_department_by_initials(session, owner_id, list(departments))
    elements = loaded.elements
    if wanted:
        elements = department_view(elements, [d.id for d in wanted])
    initials = {d.id: d.initials for d in loaded.departments.values()}
    return to_csv(script_rows(elements, initials), delimiter=delimiter)


def export_named_script_csv(
    db: Database,
    owner_id: uuid.UUID,
    show_name: str,
    script_name: str,
    *,
    departments: Sequence[str] = (),
) -> str:
    with db.reading() as session:
        script_id = find_script(session, owner_id, show_name, script_name)
    return export_script_csv(db, owner_id, script_id, departments=departments)


def csv_bytes(text: str) -> bytes:
    """The bytes of an export file: UTF-8 with a byte-order mark."""
    return text.encode("utf-8-sig")


def write_csv_file(path: str | Path, text: str) -> None:
    try:
        Path(path).write_bytes(csv_bytes(text))
    except OSError as exc:
        raise ValidationError(f"{path} cannot be written: {exc.strerror or exc}.") from None

"""Importing a cue list from a spreadsheet: read, map, preview every problem, then write.

The steps, each usable on its own (the import wizard shows one per page):

1. ``read_table``: detect the encoding and delimiter, find the header row,
   skip blank rows and repeated header rows.
2. ``guess_columns`` (``csv_mapping``): which column holds which field.
3. ``suggest_departments``: which of the stage manager's departments each
   department name in the file means, or a new one to create.
4. ``build_preview``: every row read in memory into the script's elements;
   every problem listed with its row, column and reason. Nothing is written.
5. ``apply_import``: in ONE transaction, create the departments asked for,
   the script, and all its elements (through ``write_script_state``), and
   remember the choices for next time. With any problem, nothing is written.

``import_csv`` does all five with the guesses, for the command line.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Script, Show
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, ScriptStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.formats.csv_departments import (
    DepartmentChoice,
    create_departments,
    owner_departments,
    suggest_departments,
)
from callmaster_desktop.formats.csv_detect import CsvTable, read_table, read_table_file
from callmaster_desktop.formats.csv_mapping import (
    DepartmentRef,
    Field,
    RememberedChoices,
    guess_columns,
    read_remembered,
    remember_choices,
)
from callmaster_desktop.formats.csv_preview import (
    CellReader,
    PreviewBuilder,
    Problem,
    Progress,
)
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind
from callmaster_desktop.services.script_state import write_script_state
from callmaster_desktop.services.validation import required_text

__all__ = [
    "CsvTable",
    "DepartmentChoice",
    "ImportPreview",
    "ImportRefusedError",
    "ImportResult",
    "Problem",
    "apply_import",
    "build_preview",
    "import_csv",
    "owner_departments",
    "read_table",
    "read_table_file",
    "suggest_departments",
]

PROGRESS_EVERY = 500


# --- the preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPreview:
    """What an import would write, and every reason it cannot."""

    elements: list[ElementData]
    source_rows: list[int]
    problems: list[Problem]
    notes: list[str]
    new_departments: list[DepartmentRef]
    department_choices: dict[str, DepartmentChoice]
    column_choices: dict[str, Field | None]  # header -> field, remembered after the import
    encoding: str = ""
    delimiter: str = ","
    counts: dict[ElementType, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        parts = [f"{len(self.elements)} rows"]
        for kind, word in (
            (ElementType.CUE, "cue"),
            (ElementType.NOTE, "note"),
            (ElementType.GROUP, "group"),
        ):
            n = self.counts.get(kind, 0)
            parts.append(f"{n} {word}{'' if n == 1 else 's'}")
        text = f"{parts[0]}: {', '.join(parts[1:])}"
        if self.new_departments:
            names = ", ".join(f"{d.name} ({d.initials})" for d in self.new_departments)
            text += f"; new department(s): {names}"
        return text + "."


def build_preview(
    table: CsvTable,
    columns: Sequence[Field | None],
    choices: Mapping[str, DepartmentChoice],
    *,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read every row into elements and list every problem; nothing is written."""
    mapping = {f: i for i, f in enumerate(columns) if f is not None}
    reader = CellReader(mapping, table.headers)
    by_text = {k: c.department for k, c in choices.items()}
    builder = PreviewBuilder(reader, by_text)
    if not ({Field.NAME, Field.NOTES, Field.CUE_NUMBER} & set(mapping)):
        builder.problems.append(
            Problem(
                0,
                "",
                "no column holds names, descriptions or cue numbers: choose which column is which",
            )
        )
    if Field.TIME not in mapping:
        builder.notes.append("No column holds times: every row starts at 0:00.")
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        if not any(reader.get(cells, f).strip() for f in mapping):
            builder.notes.append(
                f"Row {number} has nothing in the columns being imported and was left out."
            )
            continue
        builder.add_row(number, cells)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total, "Reading rows")
    elements, source = builder.finish()
    if progress is not None:
        progress(total, total, "Read every row")
    if table.repeated_headers:
        rows = ", ".join(str(r) for r in table.repeated_headers[:5])
        builder.notes.append(f"Repeated header row(s) left out: {rows}.")
    counts: dict[ElementType, int] = {}
    for e in elements:
        counts[e.element_type] = counts.get(e.element_type, 0) + 1
    new = {c.department.id: c.department for c in choices.values() if c.create and c.department}
    headers = {h: columns[i] if i < len(columns) else None for i, h in enumerate(table.headers)}
    problems = sorted(builder.problems, key=lambda p: (p.row, p.column))
    return ImportPreview(
        elements,
        source,
        problems,
        builder.notes,
        list(new.values()),
        dict(choices),
        headers,
        table.encoding,
        table.delimiter,
        counts,
    )


# --- writing --------------------------------------------------------------------------


class ImportRefusedError(ValidationError):
    """The file has problems: nothing was imported. ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(
            f"The file was not imported: {len(self.problems)} problem(s). {shown}{more}."
        )


@dataclass(frozen=True)
class ImportResult:
    script_id: uuid.UUID
    script_name: str
    show_id: uuid.UUID
    rows: int
    created_departments: tuple[DepartmentRef, ...]
    changes: Changes


def find_show(session: Session, owner_id: uuid.UUID, name: str) -> uuid.UUID:
    found = session.scalars(
        select(Show.id).where(Show.owner_id == owner_id, func.lower(Show.name) == name.lower())
    ).first()
    if found is None:
        raise NotFoundError(f'You have no show called "{name}".')
    return found


def apply_import(
    db: Database,
    owner_id: uuid.UUID,
    show_id: uuid.UUID,
    script_name: str,
    preview: ImportPreview,
    *,
    source_name: str = "a CSV file",
    progress: Progress | None = None,
) -> ImportResult:
    """Create the script with every row, in one transaction; all or nothing."""
    if preview.problems:
        raise ImportRefusedError(preview.problems)
    if not preview.elements:
        raise ValidationError("The file has no rows to import.")
    name = required_text("The script", script_name, 200)
    total = len(preview.elements)

    def step(done: int, what: str) -> None:
        if progress is not None:
            progress(done, total, what)

    log = ChangeLog()
    with db.unit_of_work() as session:
        show = session.get(Show, show_id)
        if show is None or show.owner_id != owner_id:
            raise NotFoundError("That show is not there: it may have been deleted.")
        taken = {
            t.casefold(): t
            for t in session.scalars(select(Script.name).where(Script.show_id == show_id))
        }
        if name.casefold() in taken:
            raise ValidationError(
                f'"{show.name}" already has a script called "{taken[name.casefold()]}": '
                "choose another name."
            )
        step(0, "Creating departments")
        create_departments(session, owner_id, preview.new_departments)
        script_id = uuid.uuid4()
        session.execute(
            insert(Script).values(
                id=script_id,
                show_id=show_id,
                name=name,
                status=ScriptStatus.IMPORTED,
                start_time=show.first_performance,
                version=1,
                updated_by_id=owner_id,
                notes=f"Imported from {source_name}.",
            )
        )
        step(0, f"Writing {total} rows")
        write_script_state(
            session,
            script_id,
            1,
            _fresh_ids(preview.elements),
            author_id=owner_id,
            steps=[f"Import {total} rows from {source_name}"],
        )
        step(total, "Remembering your choices")
        remember_choices(
            session,
            owner_id,
            columns=preview.column_choices,
            departments={
                c.text: c.department.id for c in preview.department_choices.values() if c.department
            },
        )
    log.created_all(Kind.DEPARTMENT, (d.id for d in preview.new_departments))
    log.created(Kind.SCRIPT, script_id)
    step(total, "Imported")
    return ImportResult(
        script_id, name, show_id, total, tuple(preview.new_departments), log.freeze()
    )


def _fresh_ids(elements: Sequence[ElementData]) -> list[ElementData]:
    """The rows with new ids (group links kept), so one preview can be written again."""
    ids = {e.id: uuid.uuid4() for e in elements}
    return [
        replace(e, id=ids[e.id], parent_id=ids[e.parent_id] if e.parent_id else None)
        for e in elements
    ]


def prepare(
    db: Database,
    owner_id: uuid.UUID,
    table: CsvTable,
    *,
    create_departments: bool = False,
) -> tuple[list[Field | None], dict[str, DepartmentChoice], ImportPreview]:
    """The guessed columns and departments, and the preview they give."""
    with db.reading() as session:
        remembered: RememberedChoices = read_remembered(session, owner_id)
        departments = owner_departments(session, owner_id)
    columns = guess_columns(table.headers, remembered.columns)
    choices = suggest_departments(
        table, columns, departments, remembered.departments, create_missing=create_departments
    )
    return columns, choices, build_preview(table, columns, choices)


def import_csv(
    db: Database,
    owner_id: uuid.UUID,
    data: bytes,
    *,
    show_name: str,
    script_name: str | None = None,
    source_name: str = "a CSV file",
    create_departments: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ImportResult:
    """Import a file as a new script of a show, with every guess taken as it is.

    Raises ``ImportRefusedError`` listing every problem when the file cannot
    be imported as it is; nothing is written then.
    """
    table = read_table(data, encoding=encoding, delimiter=delimiter)
    with db.reading() as session:
        show_id = find_show(session, owner_id, show_name)
    _, _, preview = prepare(db, owner_id, table, create_departments=create_departments)
    name = script_name or Path(source_name).stem or "Imported script"
    return apply_import(db, owner_id, show_id, name, preview, source_name=source_name)

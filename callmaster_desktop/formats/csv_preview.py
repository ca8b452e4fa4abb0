"""The rows of a CSV table turned into a script's elements, with every problem found.

Nothing here touches the database. Each row is read field by field; a cell
that cannot be read becomes a ``Problem`` naming the row (as a spreadsheet
numbers it, the header being row 1), the column (as the file names it) and
the reason. Group paths (``Act 1/Scene 2``) build nested groups, group rows
declare a group's own colour and notes, and cues without numbers are
numbered per department in time order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from callmaster_desktop.domain.cuenumber import CueNumberError, normalize_cue_number
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType, Priority
from callmaster_desktop.domain.rules import element_rule_problems
from callmaster_desktop.domain.timeoffset import TimeFormatError, parse_offset
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.csv_mapping import (
    FIELD_LABELS,
    DepartmentRef,
    Field,
    element_type_for,
    key,
    priority_for,
    yes_or_no,
)
from callmaster_desktop.formats.csv_tree import ImportTree, number_cues, split_path
from callmaster_desktop.services.validation import colour

MAX_NAME = 300
MAX_LOCATION = 120
MAX_OFFSET_MS = 10**16
COLOUR_NAMES = {
    "red": "#D62828",
    "orange": "#F77F00",
    "amber": "#FFBF00",
    "yellow": "#FCBF49",
    "green": "#2A9D8F",
    "teal": "#118AB2",
    "cyan": "#00BBF9",
    "blue": "#3A86FF",
    "purple": "#8338EC",
    "magenta": "#FF006E",
    "pink": "#FF8FAB",
    "brown": "#8D6E63",
    "grey": "#808080",
    "gray": "#808080",
    "white": "#FFFFFF",
    "black": "#000000",
}
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported: where it is and why."""

    row: int  # the row as a spreadsheet numbers it (header = 1); 0 for the whole file
    column: str  # the column's header as the file writes it; "" for the whole row
    reason: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


def read_colour(text: str) -> str | None:
    """``#FFCC00``, ``ffcc00`` or a plain colour name (red, amber, blue...)."""
    named = COLOUR_NAMES.get(key(text))
    return named if named else colour("The colour", text)


@dataclass(frozen=True)
class CellReader:
    """The cells of one row by field, and the headers to name them in problems."""

    columns: dict[Field, int]
    headers: Sequence[str]

    def get(self, cells: Sequence[str], f: Field) -> str:
        index = self.columns.get(f)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def header(self, f: Field) -> str:
        index = self.columns.get(f)
        return self.headers[index].strip() if index is not None else FIELD_LABELS[f]


@dataclass
class PreviewBuilder:
    """Reads rows one by one into a tree of elements; ``finish`` gives the script."""

    reader: CellReader
    departments: dict[str, DepartmentRef | None]  # department text key -> its department
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tree: ImportTree = field(default_factory=ImportTree)
    last_time: int = 0

    def problem(self, row: int, f: Field | None, reason: str) -> None:
        self.problems.append(Problem(row, self.reader.header(f) if f else "", reason))

    # --- one row ------------------------------------------------------------------

    def add_row(self, number: int, cells: Sequence[str]) -> None:
        before = len(self.problems)
        get = self.reader.get
        kind, implied = self._kind(number, cells)
        name = get(cells, Field.NAME).strip()
        if len(name) > MAX_NAME:
            self.problem(number, Field.NAME, f"the name is {len(name)} characters; {MAX_NAME} fit")
        notes = get(cells, Field.NOTES).replace("\r\n", "\n").replace("\r", "\n")
        department, cue_number = self._department_and_number(number, cells, kind, implied)
        offset, time_given = self._time(number, cells, kind)
        duration = self._duration(number, cells)
        priority = self._priority(number, cells)
        location = get(cells, Field.LOCATION).strip() or None
        if location is not None and len(location) > MAX_LOCATION:
            self.problem(
                number,
                Field.LOCATION,
                f"the location is {len(location)} characters; {MAX_LOCATION} fit",
            )
        color = self._colour(number, cells)
        together = self._together(number, cells)
        path = split_path(get(cells, Field.GROUP_PATH))
        if kind is ElementType.GROUP and not name:
            self.problem(number, Field.NAME, "a group needs a name (such as Act 1)")
        elif kind is not ElementType.GROUP and not name and not notes.strip():
            what = "cue" if kind is ElementType.CUE else "note"
            self.problem(
                number, Field.NAME, f"the {what} has no name or description: say what it is"
            )
        if len(self.problems) > before or kind is None:
            return
        data = ElementData(
            element_type=kind,
            name=name,
            offset_ms=offset,
            parent_id=self.tree.group_for(path, number),
            department_id=department.id if department else None,
            cue_number=cue_number,
            notes=notes if notes.strip() else None,
            duration_ms=duration,
            priority=priority,
            location=location,
            color=color,
            fires_together=together,
        )
        self.tree.place(data, path, number, time_given)

    def _kind(self, number: int, cells: Sequence[str]) -> tuple[ElementType | None, str | None]:
        text = self.reader.get(cells, Field.TYPE).strip()
        if text:
            found = element_type_for(text)
            if found is None:
                self.problem(
                    number,
                    Field.TYPE,
                    f'"{_short(text)}" is not a kind of row: write '
                    "Cue, Note or Group (Q, SFX or Lighting also mean a cue)",
                )
                return None, None
            return found
        get = self.reader.get
        if get(cells, Field.DEPARTMENT).strip() or get(cells, Field.CUE_NUMBER).strip():
            return ElementType.CUE, None
        return ElementType.NOTE, None

    def _department_and_number(
        self, number: int, cells: Sequence[str], kind: ElementType | None, implied: str | None
    ) -> tuple[DepartmentRef | None, str | None]:
        text = self.reader.get(cells, Field.DEPARTMENT).strip() or implied or ""
        raw_number = self.reader.get(cells, Field.CUE_NUMBER).strip()
        if not text:
            text, raw_number = split_label(raw_number, self.departments)
        department: DepartmentRef | None = None
        if text:
            department = self.departments.get(key(text))
            if department is None:
                self.problem(
                    number,
                    Field.DEPARTMENT,
                    f'"{_short(text)}" is not one of your departments: choose one for '
                    "it, or have it created",
                )
        elif kind is ElementType.CUE:
            self.problem(number, Field.DEPARTMENT, "a cue needs a department (such as LX or Sound)")
        cue_number: str | None = None
        if raw_number:
            try:
                cue_number = normalize_cue_number(raw_number)
            except CueNumberError as exc:
                self.problem(number, Field.CUE_NUMBER, _sentence(str(exc)))
        return department, cue_number

    def _time(
        self, number: int, cells: Sequence[str], kind: ElementType | None
    ) -> tuple[int, bool]:
        if Field.TIME not in self.reader.columns:
            return 0, False
        text = self.reader.get(cells, Field.TIME).strip()
        if not text:
            if kind is ElementType.CUE:
                self.problem(number, Field.TIME, "a cue needs a time (such as 1:02:03 or -5:00)")
            return self.last_time, False
        try:
            value = parse_offset(text)
        except TimeFormatError as exc:
            self.problem(number, Field.TIME, _sentence(str(exc)))
            return 0, False
        if abs(value) > MAX_OFFSET_MS:
            self.problem(number, Field.TIME, "the time is too far from the start of the show")
            return 0, False
        self.last_time = value
        return value, True

    def _duration(self, number: int, cells: Sequence[str]) -> int | None:
        text = self.reader.get(cells, Field.DURATION).strip()
        if not text:
            return None
        try:
            value = parse_offset(text)
        except TimeFormatError as exc:
            self.problem(
                number, Field.DURATION, _sentence(str(exc).replace("a time", "a duration"))
            )
            return None
        if value < 0 or value > MAX_OFFSET_MS:
            self.problem(number, Field.DURATION, "a duration cannot be negative")
            return None
        return value

    def _priority(self, number: int, cells: Sequence[str]) -> Priority:
        text = self.reader.get(cells, Field.PRIORITY).strip()
        if not text:
            return Priority.NORMAL
        found = priority_for(text)
        if found is None:
            choices = ", ".join(p.value.capitalize() for p in Priority)
            self.problem(
                number,
                Field.PRIORITY,
                f'"{_short(text)}" is not a priority: write one of {choices}',
            )
            return Priority.NORMAL
        return found

    def _colour(self, number: int, cells: Sequence[str]) -> str | None:
        text = self.reader.get(cells, Field.COLOR).strip()
        if not text:
            return None
        try:
            return read_colour(text)
        except ValidationError:
            self.problem(
                number,
                Field.COLOR,
                f'"{_short(text)}" is not a colour: write # and six '
                "hex digits (#FFCC00) or a name such as red or blue",
            )
            return None

    def _together(self, number: int, cells: Sequence[str]) -> bool:
        text = self.reader.get(cells, Field.TOGETHER)
        found = yes_or_no(text)
        if found is None:
            self.problem(number, Field.TOGETHER, f'"{_short(text)}" is not yes or no')
            return False
        return found

    def finish(self) -> tuple[list[ElementData], list[int]]:
        """The elements in script order and the spreadsheet row each came from."""
        ordered = self.tree.ordered()
        initials = {d.id: d.initials for d in self.departments.values() if d}
        numbering = number_cues(ordered, initials)
        header = self.reader.header(Field.CUE_NUMBER)
        self.problems.extend(Problem(row, header, text) for row, text in numbering.duplicates)
        self.notes.extend(numbering.notes)
        elements = [r.data for r in ordered]
        source = [r.source_row for r in ordered]
        if not self.problems:  # a last check of the rules, which the rows above already keep
            for code, message in element_rule_problems(elements):
                row = _row_in(message, source)
                self.problems.append(Problem(row, "", _sentence(f"{message} ({code})")))
        return elements, source


def split_label(text: str, departments: dict[str, DepartmentRef | None]) -> tuple[str, str]:
    """``LX 12`` in a Cue column, with no department given: ``("LX", "12")``."""
    match = re.fullmatch(r"([A-Za-z][A-Za-z ]*?)\s*[- ]\s*([0-9][0-9A-Za-z.]*)", text)
    if match and key(match[1]) in departments:
        return match[1], match[2]
    return "", text


def _row_in(message: str, source: list[int]) -> int:
    match = re.search(r"row (\d+)", message)
    if match and 0 < int(match[1]) <= len(source):
        return source[int(match[1]) - 1]
    return 0


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "\u2026"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text

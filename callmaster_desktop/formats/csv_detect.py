"""Reading a CSV file: its encoding and delimiter, its header row, its cells.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 with a mark (what
spreadsheets write as "Unicode text"), and Windows-1252 for anything that is
not valid UTF-8 (Excel's "CSV" on a Western Windows). Delimiters: comma,
semicolon (European spreadsheets) and tab. The first non-blank row is the
header; blank rows and repeated header rows are skipped. ``guard_cell`` and
``unguard_cell`` keep spreadsheets from running cells as formulas.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.csv_mapping import key, recognised_headers

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
WINDOWS_1252 = "cp1252"

ENCODING_NAMES = {
    UTF8: "UTF-8",
    UTF8_BOM: "UTF-8 with byte-order mark",
    UTF16: "UTF-16 (Unicode text)",
    WINDOWS_1252: "Windows-1252 (Western European)",
}
DELIMITER_NAMES = {",": "Comma", ";": "Semicolon", "\t": "Tab"}
DELIMITERS = tuple(DELIMITER_NAMES)
# Lines looked at to choose the delimiter.
SAMPLE_LINES = 50


_LATIN1_FALLBACK = "callmaster-latin1-fallback"


def _latin1(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(_LATIN1_FALLBACK, _latin1)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)


def detect_encoding(data: bytes) -> str:
    """The encoding that reads ``data``: a byte-order mark, else UTF-8, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        return WINDOWS_1252
    return UTF8


def decode(data: bytes, encoding: str | None = None) -> DecodedText:
    """``data`` as text in ``encoding`` (detected when None).

    Windows-1252 leaves five byte values undefined; they are read as the
    Latin-1 characters of the same number rather than refusing the file.
    """
    chosen = encoding or detect_encoding(data)
    try:
        errors = _LATIN1_FALLBACK if chosen == WINDOWS_1252 else "strict"
        text = data.decode(chosen, errors=errors)
    except UnicodeDecodeError as exc:
        name = ENCODING_NAMES.get(chosen, chosen)
        raise ValidationError(
            f"The file cannot be read as {name}: byte {exc.start + 1} is not valid there. "
            "Choose another encoding."
        ) from None
    except LookupError:
        raise ValidationError(f'"{chosen}" is not an encoding CallMaster knows.') from None
    if chosen == UTF8 and text.startswith("\ufeff"):
        text = text[1:]
    return DecodedText(text, chosen)


def _rows(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) >= SAMPLE_LINES:
                break
    except csv.Error:
        pass
    return rows


def _sample(text: str) -> str:
    """The first lines of the text (whole lines, so quotes are not cut in half)."""
    end = 0
    for _ in range(SAMPLE_LINES * 4):
        found = text.find("\n", end)
        if found < 0:
            return text
        end = found + 1
    return text[:end]


def detect_delimiter(
    text: str, *, header_score: Callable[[Sequence[str]], int] | None = None
) -> str:
    """The delimiter that splits ``text`` into the most regular table.

    Each candidate is scored by how many header cells it makes recognisable
    (``header_score``, given by the caller that knows the column names), then
    by how many rows share the most common number of cells (at least two),
    then by that number. A file with one column is read as comma separated.
    """
    sample = _sample(text)
    best = ","
    best_score: tuple[int, int, int] = (-1, -1, -1)
    for delimiter in DELIMITERS:
        rows = _rows(sample, delimiter)
        if not rows:
            continue
        counts = Counter(len(row) for row in rows)
        width, regular = counts.most_common(1)[0]
        if width < 2:
            regular = 0
        known = header_score(rows[0]) if header_score else 0
        score = (known, regular, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvTable:
    """A file's rows as text, with the header found and the format detected."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row as a spreadsheet numbers it, cells)
    encoding: str
    delimiter: str
    header_row: int = 1
    blank_rows: int = 0
    repeated_headers: tuple[int, ...] = ()


def read_table(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvTable:
    """The file's table: the first non-blank row is the header.

    Blank rows and rows that repeat the header (a list pasted twice) are
    skipped. Every cell written by ``guard_cell`` reads back as it was.
    """
    decoded = decode(data, encoding)
    text = decoded.text
    if not text.strip():
        raise ValidationError("The file is empty: there is nothing to import.")
    chosen = delimiter or detect_delimiter(text, header_score=recognised_headers)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen)
    headers: list[str] | None = None
    header_row = 0
    header_keys: list[str] = []
    folded: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    blank = 0
    repeated: list[int] = []
    try:
        for number, raw in enumerate(reader, start=1):
            cells = [unguard_cell(c) if c[:1] == "'" else c for c in raw]
            if not "".join(cells).strip():
                blank += headers is not None
                continue
            if headers is None:
                headers, header_row = [c.strip() for c in cells], number
                header_keys = [key(h) for h in headers]
                folded = [h.casefold() for h in headers]
                continue
            # A repeated header row starts as the header does (most rows stop at that test).
            if (
                cells[0].strip().casefold() == folded[0]
                and [key(c) for c in cells[: len(header_keys)]] == header_keys
            ):
                repeated.append(number)
                continue
            rows.append((number, cells))
    except csv.Error as exc:
        raise ValidationError(f"The file cannot be read as a table: {exc}.") from None
    assert headers is not None
    return CsvTable(headers, rows, decoded.encoding, chosen, header_row, blank, tuple(repeated))


def read_table_file(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvTable:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    return read_table(data, encoding=encoding, delimiter=delimiter)


# --- cells a spreadsheet would run as formulas --------------------------------------------

# A cell starting with one of these is a formula (or a DDE command) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(text: str) -> str:
    """``text`` as a cell a spreadsheet will not run: a leading apostrophe when needed.

    A cell starting with ``= + - @``, a tab or a carriage return gets an
    apostrophe in front (``-5:00`` is written ``'-5:00``); so does a cell that
    already starts with an apostrophe followed by one of those or by another
    apostrophe, so that ``unguard_cell`` gives back exactly what was written.
    """
    if text.startswith(FORMULA_STARTS) or _is_guarded(text):
        return "'" + text
    return text


def unguard_cell(text: str) -> str:
    """The text of a cell written by ``guard_cell`` (other cells pass unchanged).

    ``'=SUM(A1)`` reads as ``=SUM(A1)`` and ``'-5:00`` as ``-5:00``; an
    apostrophe followed by anything else (``'Tis``) is part of the text.
    """
    return text[1:] if _is_guarded(text) else text


def _is_guarded(text: str) -> bool:
    return len(text) > 1 and text[0] == "'" and (text[1] == "'" or text[1] in FORMULA_STARTS)

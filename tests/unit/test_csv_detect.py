"""Reading CSV files: encodings, delimiters, the header row, and the formula guard."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.csv_detect import (
    FORMULA_STARTS,
    UTF8,
    UTF8_BOM,
    UTF16,
    WINDOWS_1252,
    decode,
    detect_delimiter,
    detect_encoding,
    guard_cell,
    read_table,
    read_table_file,
    unguard_cell,
)

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Zoë".encode(), UTF8_BOM),
        ("Zoë, café".encode(), UTF8),
        (b"plain ascii", UTF8),
        ("Zoë – café’s".encode("cp1252"), WINDOWS_1252),
        ("Time\tName\n".encode("utf-16"), UTF16),
    ],
)
def test_encoding_is_detected(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


def test_decoding_gives_the_text_without_a_byte_order_mark() -> None:
    assert decode(codecs.BOM_UTF8 + b"Time,Name").text == "Time,Name"
    assert decode("Lumière – it’s".encode("cp1252")).text == "Lumière – it’s"
    assert decode("Time\tName".encode("utf-16")).text == "Time\tName"
    # Windows-1252 leaves 0x81 undefined: it is read, not refused.
    assert decode(b"A\x81B").text == "A\x81B"
    # A byte-order mark decoded as plain UTF-8 (chosen by hand) is still dropped.
    assert decode(codecs.BOM_UTF8 + b"x", UTF8).text == "x"


def test_a_wrong_encoding_chosen_by_hand_is_refused_in_words() -> None:
    with pytest.raises(ValidationError, match=r"cannot be read as UTF-8: byte 3 "):
        decode("Zoë".encode("cp1252"), UTF8)
    with pytest.raises(ValidationError, match="not an encoding"):
        decode(b"x", "klingon")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Time,Name,Notes\n0:01,Go,"Slow; 10 count"\n0:02,Stop,\n', ","),
        ("Temps;Nom;Notes\n0:01;Lumière;Slow, 10 count\n0:02;Fondu;a, b, c\n", ";"),
        ("Time\tName\n0:01\tGo, go\n", "\t"),
        ("Name\nGo\nStop\n", ","),
    ],
)
def test_delimiter_is_detected(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_recognised_headers_decide_between_delimiters() -> None:
    # Every row splits into two cells on a comma and on a semicolon; the header tells.
    text = "Time;Name,Extra\n0:01;Go,x\n"
    assert detect_delimiter(text, header_score=lambda cells: sum(c == "Time" for c in cells)) == ";"


def test_table_skips_blank_and_repeated_header_rows_and_keeps_row_numbers() -> None:
    text = (
        '\r\nTime,Name,Notes\r\n0:01,Go,"two\r\nlines"\r\n,,\r\nTime,Name,Notes\r\n0:02,Stop,\r\n'
    )
    table = read_table(text.encode())
    assert table.headers == ["Time", "Name", "Notes"]
    assert table.header_row == 2
    assert table.rows == [(3, ["0:01", "Go", "two\r\nlines"]), (6, ["0:02", "Stop", ""])]
    assert table.blank_rows == 1
    assert table.repeated_headers == (5,)
    assert (table.encoding, table.delimiter) == (UTF8, ",")


def test_table_files_from_the_test_data() -> None:
    euro = read_table_file(DATA / "semicolon_cp1252.csv")
    assert (euro.encoding, euro.delimiter) == (WINDOWS_1252, ";")
    assert euro.headers[1] == "Département"
    assert euro.rows[0][1][3] == "Lumière générale"
    unicode_text = read_table_file(DATA / "unicode_text_utf16.txt")
    assert (unicode_text.encoding, unicode_text.delimiter) == (UTF16, "\t")
    with pytest.raises(ValidationError, match="cannot be read"):
        read_table_file(DATA / "no such file.csv")
    with pytest.raises(ValidationError, match="empty"):
        read_table(b"\r\n \r\n")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-0:05:00", "'-0:05:00"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("'=already", "''=already"),
        ("''", "'''"),
        ("'Tis the season", "'Tis the season"),
        ("'", "'"),
        ("Go", "Go"),
        ("", ""),
    ],
)
def test_formula_guard(text: str, written: str) -> None:
    assert guard_cell(text) == written
    assert unguard_cell(written) == text


@given(st.text())
def test_guard_round_trips_and_never_starts_a_formula(text: str) -> None:
    written = guard_cell(text)
    assert unguard_cell(written) == text
    assert not written.startswith(FORMULA_STARTS)
    if not text.startswith((*FORMULA_STARTS, "'")):
        assert written == text

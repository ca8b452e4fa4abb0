"""Offsets: reading what a stage manager types, writing it back, clocks and countdowns."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from callmaster_desktop.domain.timeoffset import (
    TimeFormatError,
    format_clock,
    format_countdown,
    format_delta,
    format_offset,
    parse_delta,
    parse_offset,
)

SECOND = 1_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
THOUSAND_HOURS = 1_000 * HOUR

EXPECTED = "expected H:MM:SS, M:SS, 90s or 1.5m (seconds and minutes below 60)"

offsets = st.integers(min_value=-THOUSAND_HOURS, max_value=THOUSAND_HOURS)


# --- parse_offset --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("1:02:03", HOUR + 2 * MINUTE + 3 * SECOND),
        ("2:03", 2 * MINUTE + 3 * SECOND),
        ("0:05", 5 * SECOND),
        ("0:00", 0),
        ("-5:00", -5 * MINUTE),
        ("-1:02:03", -(HOUR + 2 * MINUTE + 3 * SECOND)),
        ("2:03.5", 2 * MINUTE + 3 * SECOND + 500),
        ("1:02:03.250", HOUR + 2 * MINUTE + 3 * SECOND + 250),
        ("0:00.001", 1),
        ("90s", 90 * SECOND),
        ("90.5s", 90 * SECOND + 500),
        ("90S", 90 * SECOND),
        ("1.5m", 90 * SECOND),
        ("45m", 45 * MINUTE),
        ("2h", 2 * HOUR),
        ("0.25H", 15 * MINUTE),
        ("45", 45 * SECOND),
        ("7.25", 7 * SECOND + 250),
        ("  1:00\t", MINUTE),
        ("+1:00", MINUTE),
        ("+90s", 90 * SECOND),
        ("-90s", -90 * SECOND),
        ("-0:00", 0),
        ("27:00:00", 27 * HOUR),
        ("100:00", 100 * MINUTE),  # the first field may be any size
        ("1000:00:00", THOUSAND_HOURS),
        ("1:59:59.999", 2 * HOUR - 1),
    ],
)
def test_parse_offset_reads_the_documented_forms(text: str, ms: int) -> None:
    assert parse_offset(text) == ms


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("0:00.0004", 0),
        ("0:00.0005", 1),  # halves round away from zero...
        ("-0:00.0005", -1),  # ...on both sides of zero
        ("0.0015s", 2),
        ("1.0001m", 60_006),
        ("0.00001h", 36),
    ],
)
def test_parse_offset_rounds_sub_millisecond_fractions_to_nearest(text: str, ms: int) -> None:
    assert parse_offset(text) == ms


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "1:2:3:4",
        "1:02:03:04",
        "1::2",
        ":30",
        "5:",
        "--5",
        "+-5",
        "-+5",
        "- 5:00",
        "5:60",
        "1:75",
        "1:60:00",
        "1:00:60",
        "1:5",  # later fields are exactly two digits
        "1:005",
        "nan",
        "inf",
        "-inf",
        "1e3",
        "1.5.2",
        ".5s",
        "5.s",
        "90 s",
        "5x",
        "1h30m",
        "2:03.",
        "2.5:00",
        "1:02.5:03",
        "\u0661:00",  # ARABIC-INDIC DIGIT ONE: only ASCII digits are read
        "1" * 41,
    ],
)
def test_parse_offset_refuses_with_a_message_naming_the_input(text: str) -> None:
    with pytest.raises(TimeFormatError) as caught:
        parse_offset(text)
    message = str(caught.value)
    shown = text.strip()
    if len(shown) <= 40:
        assert f'"{shown}"' in message
    else:
        assert shown[:39] + "\u2026" in message
    assert message.startswith('Cannot read "')
    assert "as a time:" in message
    assert EXPECTED in message
    assert caught.value.text == shown


def test_the_error_message_reads_as_documented() -> None:
    with pytest.raises(TimeFormatError) as caught:
        parse_offset("1:75")
    assert str(caught.value) == f'Cannot read "1:75" as a time: {EXPECTED}'
    assert isinstance(caught.value, ValueError)


def test_parse_offset_refuses_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        parse_offset(5)  # type: ignore[arg-type]


# --- parse_delta ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("+0:05", 5 * SECOND),
        ("-0:05", -5 * SECOND),
        ("0:05", 5 * SECOND),
        ("+1:02:03.5", HOUR + 2 * MINUTE + 3 * SECOND + 500),
        ("-1.5m", -90 * SECOND),
        (" +30 ", 30 * SECOND),
        ("+0:00", 0),
    ],
)
def test_parse_delta_reads_signed_and_unsigned_shifts(text: str, ms: int) -> None:
    assert parse_delta(text) == ms


@pytest.mark.parametrize("text", ["", "++0:05", "--0:05", "+0:60", "+", "-", "later"])
def test_parse_delta_refuses_with_a_message(text: str) -> None:
    with pytest.raises(TimeFormatError) as caught:
        parse_delta(text)
    message = str(caught.value)
    assert message.startswith(f'Cannot read "{text}" as a time shift: expected +M:SS, -M:SS')
    assert "(seconds and minutes below 60)" in message


# --- format_offset / format_delta ---------------------------------------------------


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0:00"),
        (5 * SECOND, "0:05"),
        (2 * MINUTE + 3 * SECOND, "2:03"),
        (59 * MINUTE + 59 * SECOND, "59:59"),
        (HOUR, "1:00:00"),
        (HOUR + 2 * MINUTE + 3 * SECOND, "1:02:03"),
        (27 * HOUR, "27:00:00"),  # never wraps at 12 or 24
        (THOUSAND_HOURS, "1000:00:00"),
        (-5 * MINUTE, "-5:00"),
        (-30 * MINUTE, "-30:00"),
        (-(HOUR + 2 * MINUTE + 3 * SECOND), "-1:02:03"),
        (1_999, "0:01"),  # truncated toward zero
        (-1_999, "-0:01"),  # toward zero on the negative side too
        (-999, "0:00"),  # no sign in front of a zero display
    ],
)
def test_format_offset(ms: int, text: str) -> None:
    assert format_offset(ms) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (123_500, "2:03.500"),
        (123_000, "2:03"),  # .mmm only when there are milliseconds
        (1, "0:00.001"),
        (-1, "-0:00.001"),
        (-500, "-0:00.500"),
        (HOUR + 250, "1:00:00.250"),
    ],
)
def test_format_offset_with_milliseconds(ms: int, text: str) -> None:
    assert format_offset(ms, show_ms=True) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0:00:00"),
        (2 * MINUTE + 3 * SECOND, "0:02:03"),
        (-5 * MINUTE, "-0:05:00"),
        (27 * HOUR, "27:00:00"),
    ],
)
def test_format_offset_always_hours(ms: int, text: str) -> None:
    assert format_offset(ms, always_hours=True) == text


def test_format_offset_refuses_a_float() -> None:
    with pytest.raises(TypeError):
        format_offset(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (5 * SECOND, "+0:05"),
        (-90 * SECOND, "-1:30"),
        (0, "+0:00"),
        (-400, "+0:00"),
        (HOUR, "+1:00:00"),
        (-(HOUR + SECOND), "-1:00:01"),
    ],
)
def test_format_delta_is_always_signed(ms: int, text: str) -> None:
    assert format_delta(ms) == text


def test_format_delta_with_milliseconds() -> None:
    assert format_delta(-400, show_ms=True) == "-0:00.400"
    assert format_delta(5_250, show_ms=True) == "+0:05.250"


@given(offsets)
@example(0)
@example(-1)
@example(THOUSAND_HOURS)
@example(-THOUSAND_HOURS)
def test_offset_round_trip_is_exact_with_milliseconds(ms: int) -> None:
    assert parse_offset(format_offset(ms, show_ms=True)) == ms
    assert parse_offset(format_offset(ms, show_ms=True, always_hours=True)) == ms


@given(offsets)
def test_delta_round_trip_is_exact_with_milliseconds(ms: int) -> None:
    text = format_delta(ms, show_ms=True)
    assert text[0] in "+-"
    assert parse_delta(text) == ms


@given(offsets)
def test_without_milliseconds_the_round_trip_truncates_toward_zero(ms: int) -> None:
    truncated = (abs(ms) // SECOND) * SECOND * (1 if ms >= 0 else -1)
    assert parse_offset(format_offset(ms)) == truncated
    assert parse_delta(format_delta(ms)) == truncated


@given(st.integers())
def test_round_trip_holds_for_any_int_that_fits_the_text_limit(ms: int) -> None:
    text = format_offset(ms, show_ms=True)
    if len(text) <= 40:
        assert parse_offset(text) == ms


@given(
    hours=st.integers(min_value=0, max_value=10_000),
    minutes=st.integers(min_value=0, max_value=59),
    seconds=st.integers(min_value=0, max_value=59),
    millis=st.integers(min_value=0, max_value=999),
    negative=st.booleans(),
)
def test_parse_offset_reads_generated_colon_times(
    hours: int, minutes: int, seconds: int, millis: int, negative: bool
) -> None:
    text = f"{'-' if negative else ''}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    magnitude = hours * HOUR + minutes * MINUTE + seconds * SECOND + millis
    assert parse_offset(text) == (-magnitude if negative else magnitude)


@given(st.text(max_size=20))
def test_parse_offset_either_reads_or_raises_time_format_error(text: str) -> None:
    try:
        ms = parse_offset(text)
    except TimeFormatError as error:
        assert "Cannot read" in str(error)
    else:
        assert isinstance(ms, int)
        stripped = text.strip()
        if stripped[0] != "-":
            assert parse_offset("-" + stripped.lstrip("+")) == -ms


# --- format_clock ------------------------------------------------------------------

START = datetime(2024, 5, 1, 19, 30, 0)


@pytest.mark.parametrize(
    ("offset", "hours24", "seconds", "text"),
    [
        (5 * SECOND, True, True, "19:30:05"),
        (5 * SECOND, False, True, "7:30:05 PM"),
        (5 * SECOND, True, False, "19:30"),
        (5 * SECOND, False, False, "7:30 PM"),
        (-30 * MINUTE, True, True, "19:00:00"),  # house opens
        (4 * HOUR + 30 * MINUTE, True, True, "00:00:00"),  # past midnight
        (4 * HOUR + 30 * MINUTE, False, True, "12:00:00 AM"),
        (-(7 * HOUR + 30 * MINUTE), False, True, "12:00:00 PM"),  # noon
        (-(12 * HOUR + 30 * MINUTE), True, True, "07:00:00"),
        (-(12 * HOUR + 30 * MINUTE), False, True, "7:00:00 AM"),
        (999, True, True, "19:30:00"),  # like a clock: the last whole second passed
        (-1, True, True, "19:29:59"),
    ],
)
def test_format_clock(offset: int, hours24: bool, seconds: bool, text: str) -> None:
    assert format_clock(START, offset, hours24=hours24, seconds=seconds) == text


def test_format_clock_keeps_the_start_timezone() -> None:
    start = datetime(2024, 5, 1, 19, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert format_clock(start, 90 * SECOND) == "19:31:30"


@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    offset=offsets,
)
def test_format_clock_agrees_with_strftime(start: datetime, offset: int) -> None:
    moment = start + timedelta(milliseconds=offset)
    assert format_clock(start, offset) == moment.strftime("%H:%M:%S")
    twelve = format_clock(start, offset, hours24=False)
    assert twelve == moment.strftime("%I:%M:%S").lstrip("0") + (
        " AM" if moment.hour < 12 else " PM"
    )


# --- format_countdown --------------------------------------------------------------


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (10 * MINUTE, "T-00:10:00"),
        (HOUR + 1, "T-01:00:01"),
        (1, "T-00:00:01"),  # ticks down to one second...
        (0, "T+00:00:00"),  # ...and flips at the start
        (-999, "T+00:00:00"),
        (-1_000, "T+00:00:01"),
        (-5 * SECOND, "T+00:00:05"),
        (-27 * HOUR, "T+27:00:00"),
        (-150 * HOUR, "T+150:00:00"),
    ],
)
def test_format_countdown(remaining: int, text: str) -> None:
    assert format_countdown(remaining) == text


@given(offsets)
def test_countdown_shows_whole_seconds_elapsed_rounded_down(remaining: int) -> None:
    text = format_countdown(remaining)
    assert text[:2] in ("T-", "T+")
    hours, minutes, seconds = (int(field) for field in text[2:].split(":"))
    shown = hours * 3600 + minutes * 60 + seconds
    elapsed = -shown if text[1] == "-" else shown
    assert elapsed == (-remaining) // SECOND
    assert (text[1] == "-") == (remaining > 0)

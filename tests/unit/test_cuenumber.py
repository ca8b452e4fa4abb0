"""Cue numbers: normalizing, natural order, proposing a number, labels."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from callmaster_desktop.domain.cuenumber import (
    CueNumberError,
    cue_label,
    cue_sort_key,
    next_cue_number,
    normalize_cue_number,
)

# --- strategies ----------------------------------------------------------------------

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def decimal_texts(draw: st.DrawFn, max_whole: int = 4, max_frac: int = 4) -> str:
    """Plain decimals as a person might type them, leading/trailing zeros included."""
    whole = draw(st.text(DIGITS, min_size=1, max_size=max_whole))
    frac = draw(st.text(DIGITS, max_size=max_frac))
    return f"{whole}.{frac}" if frac else whole


@st.composite
def cue_numbers(draw: st.DrawFn) -> str:
    """Valid cue numbers of every shape: 12, 12.5, 12A, 12.5B3, A, PS2, 0.05..."""
    whole = draw(st.text(DIGITS, max_size=4))
    frac = draw(st.text(DIGITS, max_size=3)) if whole else ""
    tail = ""
    if draw(st.booleans()) or not whole:
        tail = draw(st.sampled_from(LETTERS[:4] + "Z")) + draw(
            st.text(LETTERS[:3] + "Z" + DIGITS[:3] + "9", max_size=3)
        )
    text = whole + ("." + frac if frac else "") + tail
    assume(len(text) <= 12)
    return draw(st.sampled_from([text, text.lower(), f"  {text} "]))


def compare(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


# --- normalize_cue_number --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("12", "12"),
        (" 12 ", "12"),
        ("12.5", "12.5"),
        ("007", "7"),
        ("0", "0"),
        ("000", "0"),
        ("0.5", "0.5"),
        ("00.5", "0.5"),
        (".5", "0.5"),
        ("12.50", "12.5"),
        ("12.0", "12"),
        ("12.05", "12.05"),
        ("10a", "10A"),
        ("10.5b", "10.5B"),
        ("a", "A"),
        ("ps2", "PS2"),
        ("A01", "A01"),  # only the leading number loses its zeros
        ("007A", "7A"),
        ("123456789012", "123456789012"),
        ("0000000000001", None),  # 13 characters typed: refused below
    ],
)
def test_normalize(text: str, normalized: str | None) -> None:
    if normalized is None:
        with pytest.raises(CueNumberError):
            normalize_cue_number(text)
    else:
        assert normalize_cue_number(text) == normalized


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["cannot be empty", "12.5"]),
        ("   ", ["cannot be empty"]),
        ("12 5", ['"12 5"', "contains a space"]),
        ("12\t5", ["contains a space"]),
        ("12-5", ['"12-5"', 'contains "-"', "digits, letters A-Z and one point"]),
        ("LX12!", ['contains "!"']),
        ("\u00e91", ['contains "\u00e9"']),
        ("\u0661", ['contains "\u0661"']),  # a non-ASCII digit
        ("1.2.3", ['"1.2.3"', "more than one point"]),
        ("1234567890123", ['"1234567890123"', "13 characters long", "at most 12"]),
        ("12.", ['"12."', "point out of place"]),
        (".", ["point out of place"]),
        ("A.5", ['"A.5"', "point out of place"]),
        ("12.A", ["point out of place"]),
        (".12345678901", ["too long once written as 0.12345678901", "at most 12"]),
    ],
)
def test_normalize_refuses_with_a_clear_message(text: str, fragments: list[str]) -> None:
    with pytest.raises(CueNumberError) as caught:
        normalize_cue_number(text)
    assert isinstance(caught.value, ValueError)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_normalize_shortens_a_long_input_in_its_message() -> None:
    with pytest.raises(CueNumberError) as caught:
        normalize_cue_number("1" * 100)
    assert "1" * 39 + "\u2026" in str(caught.value)
    assert "100 characters long" in str(caught.value)


def test_normalize_refuses_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        normalize_cue_number(12)  # type: ignore[arg-type]


@given(cue_numbers())
def test_normalize_is_idempotent_and_keeps_the_key(text: str) -> None:
    normalized = normalize_cue_number(text)
    assert normalize_cue_number(normalized) == normalized
    assert cue_sort_key(normalized) == cue_sort_key(text)
    assert len(normalized) <= 12


@given(st.text(max_size=15))
def test_any_text_normalizes_or_raises_cue_number_error(text: str) -> None:
    try:
        normalized = normalize_cue_number(text)
    except CueNumberError as error:
        assert str(error)
    else:
        assert normalized == normalized.strip().upper()
    cue_sort_key(text)  # never raises


# --- cue_sort_key ---------------------------------------------------------------------


def test_natural_order() -> None:
    expected = [
        "0",
        "0.5",
        "1",
        "2",
        "10",
        "10.05",
        "10.5",
        "10.55",
        "10.5A",
        "10.6",
        "10.99",
        "10A",
        "10A2",
        "10A10",
        "10AA",
        "10B",
        "11",
        "12.25",
        "12.5",
        "12.7",
        "13",
        "100",
        "A",
        "A2",
        "A10",
        "AB",
        "B",
        "PS1",
        "12 5",  # not a cue number: after the valid ones
        "x-y",
        None,
    ]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=cue_sort_key) == expected


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("2", "10"),
        ("10", "10.5"),
        ("10.5", "10A"),
        ("10A", "11"),
        ("12.25", "12.5"),
        ("12.5", "12.7"),
        ("12.7", "13"),
        ("999999999999", "A"),
        ("Z", "not valid"),
        ("not valid", ""),
    ],
)
def test_sort_key_pairs(lower: str, higher: str) -> None:
    assert cue_sort_key(lower) < cue_sort_key(higher)


def test_none_empty_and_blank_sort_last_and_equal() -> None:
    assert cue_sort_key(None) == cue_sort_key("") == cue_sort_key("   ")
    assert cue_sort_key("ZZZZZZZZZZZZ") < cue_sort_key(None)


@pytest.mark.parametrize(
    ("a", "b"), [("12.5", "12.50"), ("007", "7"), ("10a", "10A"), (" 3 ", "3"), (".5", "0.5")]
)
def test_equal_numbers_have_equal_keys(a: str, b: str) -> None:
    assert cue_sort_key(a) == cue_sort_key(b)


@given(decimal_texts(max_whole=6, max_frac=5), decimal_texts(max_whole=6, max_frac=5))
@example("12.25", "12.5")
@example("12.5", "12.50")
@example("0.5", "00.5")
def test_numeric_order_agrees_with_decimal(a: str, b: str) -> None:
    assert compare(cue_sort_key(a), cue_sort_key(b)) == compare(Decimal(a), Decimal(b))


@given(cue_numbers(), cue_numbers())
def test_keys_are_equal_exactly_when_normalized_texts_are(a: str, b: str) -> None:
    same_key = cue_sort_key(a) == cue_sort_key(b)
    assert same_key == (normalize_cue_number(a) == normalize_cue_number(b))


@given(st.lists(st.one_of(cue_numbers(), st.none(), st.text(max_size=6)), max_size=12))
def test_sorting_is_a_consistent_total_order(numbers: list[str | None]) -> None:
    ordered = sorted(numbers, key=cue_sort_key)
    keys = [cue_sort_key(n) for n in ordered]
    assert keys == sorted(keys)
    for a, b in itertools.pairwise(ordered):
        assert not cue_sort_key(b) < cue_sort_key(a)


@given(cue_numbers())
def test_numbers_starting_with_a_digit_come_before_letters(text: str) -> None:
    if normalize_cue_number(text)[0].isdigit():
        assert cue_sort_key(text) < cue_sort_key("A")
    else:
        assert cue_sort_key("999999999999") < cue_sort_key(text)


# --- next_cue_number ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "proposal"),
    [
        (None, None, "1"),
        ("", "  ", "1"),
        ("12", None, "13"),
        ("12.5", None, "13"),
        ("10A", None, "11"),
        ("007", None, "8"),
        ("A", None, "B"),
        ("AZ", None, "AZA"),
        ("A9", None, "A10"),
        ("A09", None, "A10"),
        (None, "5", "4"),
        (None, "5.5", "5"),
        (None, "5A", "5"),
        (None, "1", "0.5"),
        (None, "0.5", "0.2"),
        (None, "0.1", "0.05"),
        (None, "A", "1"),
        ("12", "13", "12.5"),
        ("12.5", "13", "12.7"),
        ("12", "12.5", "12.2"),
        ("12", "14", "13"),
        ("12.5", "14", "13"),
        ("12", "13.5", "13"),
        ("12.1", "12.2", "12.15"),
        ("12.9", "13", "12.95"),
        ("0", "0.1", "0.05"),
        ("10", "10A", "10.5"),
        ("10.9", "10A", "10.95"),
        ("10A", "11", "10B"),
        ("10A", "12", "11"),
        ("10A", "10C", "10B"),
        ("10.5A", "10.6", "10.5B"),
        ("10.5", "10.5A", "10.55"),
        ("12", "A", "13"),
        ("A", "C", "B"),
        ("A1", "A3", "A2"),
        ("12.5", "12.50", None),  # the same number: nothing between
        ("13", "12", None),  # wrong way round
        ("10A", "10B", None),  # only invented suffixes such as 10AA would fit
        ("A", "B", None),
        (None, "0", None),  # nothing sorts below 0
        ("99999999999", "100000000000", None),  # 12.5-style answers need 13 characters
        ("999999999999", None, None),
    ],
)
def test_next_cue_number(before: str | None, after: str | None, proposal: str | None) -> None:
    assert next_cue_number(before, after) == proposal


def test_next_cue_number_refuses_an_invalid_neighbour() -> None:
    with pytest.raises(CueNumberError, match='"1 2" contains a space'):
        next_cue_number("1 2", None)
    with pytest.raises(CueNumberError, match="more than one point"):
        next_cue_number(None, "1.2.3")


def assert_strictly_between(proposal: str, before: str | None, after: str | None) -> None:
    assert normalize_cue_number(proposal) == proposal
    if before is not None:
        assert cue_sort_key(before) < cue_sort_key(proposal)
    if after is not None:
        assert cue_sort_key(proposal) < cue_sort_key(after)


@given(decimal_texts(), decimal_texts())
@example("12", "13")
@example("12.1", "12.2")
@example("0", "0.0001")
@example("9999.9998", "9999.9999")
def test_between_two_decimals_there_is_always_a_proposal(a: str, b: str) -> None:
    assume(Decimal(a) != Decimal(b))
    before, after = sorted((a, b), key=Decimal)
    proposal = next_cue_number(before, after)
    assert proposal is not None
    assert_strictly_between(proposal, before, after)
    # never more fraction digits than needed: one more than the longer neighbour
    places = max(len(normalize_cue_number(n).partition(".")[2]) for n in (before, after))
    assert len(proposal.partition(".")[2]) <= places + 1


@given(decimal_texts())
def test_after_or_before_one_decimal(number: str) -> None:
    later = next_cue_number(number, None)
    assert later is not None
    assert_strictly_between(later, number, None)
    earlier = next_cue_number(None, number)
    if Decimal(number) == 0:
        assert earlier is None
    else:
        assert earlier is not None
        assert_strictly_between(earlier, None, number)


@given(cue_numbers(), cue_numbers())
def test_a_proposal_between_any_two_numbers_is_strictly_between(a: str, b: str) -> None:
    before, after = sorted((a, b), key=cue_sort_key)
    proposal = next_cue_number(before, after)
    if proposal is not None:
        assert_strictly_between(proposal, before, after)
    both_numeric = all(normalize_cue_number(n)[0].isdigit() for n in (before, after))
    if both_numeric and proposal is None:
        # a number between two numeric-led ones is found unless they are equal
        # or ``before`` has a letter suffix (10A..10B)
        assert cue_sort_key(before) == cue_sort_key(after) or any(
            c.isalpha() for c in normalize_cue_number(before)
        )
    assert next_cue_number(after, before) is None  # wrong way round, or equal


@given(cue_numbers())
def test_a_proposal_next_to_one_number_is_on_the_right_side(number: str) -> None:
    later = next_cue_number(number, None)
    if later is not None:
        assert_strictly_between(later, number, None)
    earlier = next_cue_number(None, number)
    if earlier is not None:
        assert_strictly_between(earlier, None, number)


# --- cue_label ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("initials", "number", "label"),
    [
        ("LX", "12", "LX 12"),
        ("SQ", "4.5", "SQ 4.5"),
        (" Fly ", " A ", "Fly A"),
        ("LX", None, "LX"),
        ("LX", "  ", "LX"),
        (None, "12", "12"),
        ("", "12", "12"),
        (None, None, ""),  # a note: no department, no number
        ("", "", ""),
    ],
)
def test_cue_label(initials: str | None, number: str | None, label: str) -> None:
    assert cue_label(initials, number) == label

"""Cue numbers: stored text such as ``12``, ``12.5``, ``10A``, ``A``; natural order.

A cue number is unique per department within a script and shown after the
department's initials: ``LX 12``.

The written form (what ``normalize_cue_number`` returns) is

- an optional leading number: a whole part without leading zeros (``7``,
  ``0``) and an optional decimal fraction without trailing zeros
  (``12.5``, ``0.05``);
- an optional tail that starts with a letter, then letters and digits
  (``10A``, ``10.5B``, ``A``, ``PS2``);
- letters A-Z (upper case), digits and at most one point, which sits inside
  the leading number; at most 12 characters.

The order (``cue_sort_key``):

- numbers that start with a digit come first, by their whole part as a
  number, then by the fraction read as a decimal (``12.25 < 12.5 < 12.7``);
- a letter tail comes after every decimal that continues the same number:
  ``10 < 10.5 < 10.99 < 10A < 10B < 11``, and ``10.5 < 10.55 < 10.5A < 10.6``;
  inside a tail, letter runs compare alphabetically and digit runs as
  numbers (``A2 < A10``);
- then numbers that start with a letter (``A < B``), in the same way;
- then text that is not a valid cue number, by its text;
- then None and empty text.

Two texts have equal keys exactly when they normalize to the same number, so
``12.50``, ``12.5`` and ``012.5`` are one cue number.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_DOWN, Decimal

__all__ = [
    "MAX_CUE_NUMBER_LENGTH",
    "CueNumberError",
    "CueSortKey",
    "cue_label",
    "cue_sort_key",
    "next_cue_number",
    "normalize_cue_number",
]

MAX_CUE_NUMBER_LENGTH = 12

# One token of the part after the whole number: (kind, value, text).
# Kinds: 0 = a digit of the decimal fraction, 1 = a digit run in the tail, 2 = a letter run.
_Token = tuple[int, int, str]
# (group, whole part, tokens, raw text); groups: 0 = starts with a digit,
# 1 = starts with a letter, 2 = not a valid cue number, 3 = None or empty.
CueSortKey = tuple[int, int, tuple[_Token, ...], str]

_FRACTION, _TAIL_DIGITS, _TAIL_LETTERS = 0, 1, 2
_GROUP_NUMERIC, _GROUP_LETTERS, _GROUP_INVALID, _GROUP_EMPTY = 0, 1, 2, 3

_SHAPE = re.compile(r"(?P<whole>[0-9]*)(?:\.(?P<frac>[0-9]+))?(?P<tail>[A-Z][A-Z0-9]*)?")
_RUNS = re.compile(r"[0-9]+|[A-Z]+")
_EXAMPLES = "such as 12, 12.5 or 12A"


class CueNumberError(ValueError):
    """Text that is not a valid cue number; the message says why."""


def _quote(text: str) -> str:
    shown = text if len(text) <= 40 else text[:39] + "\u2026"
    return f'"{shown}"'


def normalize_cue_number(text: str) -> str:
    """The written form of a cue number: ``" 007 "`` -> ``7``, ``12.50`` -> ``12.5``.

    Trims, upper-cases letters, drops leading zeros of the whole part
    (``0.5`` stays ``0.5``; ``.5`` becomes ``0.5``) and trailing zeros of the
    fraction (``12.0`` becomes ``12``). Raises ``CueNumberError`` for empty
    text, a space inside, any character other than digits, letters A-Z and
    one point, a misplaced point, or more than 12 characters.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise CueNumberError(f"A cue number cannot be empty: type one {_EXAMPLES}.")
    for char in stripped:
        if char.isspace():
            raise CueNumberError(
                f"Cue number {_quote(stripped)} contains a space: "
                f"write it without spaces, {_EXAMPLES}."
            )
        if not (char == "." or (char.isascii() and char.isalnum())):
            raise CueNumberError(
                f"Cue number {_quote(stripped)} contains {_quote(char)}: "
                "use only digits, letters A-Z and one point."
            )
    if stripped.count(".") > 1:
        raise CueNumberError(
            f"Cue number {_quote(stripped)} has more than one point: use at most one, as in 12.5."
        )
    if len(stripped) > MAX_CUE_NUMBER_LENGTH:
        raise CueNumberError(
            f"Cue number {_quote(stripped)} is {len(stripped)} characters long: "
            f"at most {MAX_CUE_NUMBER_LENGTH} are allowed."
        )
    match = _SHAPE.fullmatch(stripped.upper())
    if match is None:
        raise CueNumberError(
            f"Cue number {_quote(stripped)} has a point out of place: it must come after "
            "the number and before a digit, as in 12.5 or 12.5A."
        )
    whole, frac, tail = match["whole"], (match["frac"] or "").rstrip("0"), match["tail"] or ""
    if whole or match["frac"] is not None:
        whole = whole.lstrip("0") or "0"
    result = whole + ("." + frac if frac else "") + tail
    if len(result) > MAX_CUE_NUMBER_LENGTH:
        raise CueNumberError(
            f"Cue number {_quote(stripped)} is too long once written as {result}: "
            f"at most {MAX_CUE_NUMBER_LENGTH} characters are allowed."
        )
    return result


def _tail_tokens(tail: str) -> list[_Token]:
    tokens: list[_Token] = []
    for run in _RUNS.findall(tail):
        if run.isdigit():
            tokens.append((_TAIL_DIGITS, int(run), run))
        else:
            tokens.append((_TAIL_LETTERS, 0, run))
    return tokens


def _key_of_normalized(number: str) -> CueSortKey:
    match = _SHAPE.fullmatch(number)
    assert match is not None  # normalize_cue_number only returns this shape
    tokens: list[_Token] = []
    # One token per fraction digit, so a letter after ``10.5`` sorts after every
    # ``10.5x`` decimal just as a letter after ``10`` sorts after every ``10.x``.
    tokens.extend((_FRACTION, int(digit), digit) for digit in match["frac"] or "")
    tokens.extend(_tail_tokens(match["tail"] or ""))
    if match["whole"]:
        return (_GROUP_NUMERIC, int(match["whole"]), tuple(tokens), "")
    return (_GROUP_LETTERS, 0, tuple(tokens), "")


def cue_sort_key(number: str | None) -> CueSortKey:
    """A key for ``sorted()`` that puts cue numbers in natural order.

    ``2 < 10 < 10.5 < 10A < 11 < A < B < (invalid text) < None``. A total
    order: keys are equal exactly when the texts normalize to the same cue
    number (invalid texts: when they are equal once trimmed). A fraction
    reads as a decimal, so ``12.25 < 12.5 < 12.7 < 13``.
    """
    if number is None or not number.strip():
        return (_GROUP_EMPTY, 0, (), "")
    try:
        normalized = normalize_cue_number(number)
    except CueNumberError:
        return (_GROUP_INVALID, 0, (), number.strip())
    return _key_of_normalized(normalized)


# --- proposing a number for an inserted cue ------------------------------------------


def _parts(number: str) -> tuple[str, str, str]:
    """(whole, fraction, tail) of a normalized number."""
    match = _SHAPE.fullmatch(number)
    assert match is not None
    return match["whole"], match["frac"] or "", match["tail"] or ""


def _decimal_bounds(number: str) -> tuple[Decimal, bool]:
    """How a numeric-led cue number bounds plain decimals.

    Returns ``(value, tailed)``. Without a tail, a decimal is before the cue
    exactly when it is below ``value`` and after it when above. With a letter
    tail (``10.5A``), ``value`` is the next decimal at the same precision
    (``10.6``): a decimal is before the cue when below it, after when at or
    above it.
    """
    whole, frac, tail = _parts(number)
    value = Decimal(f"{whole}.{frac}" if frac else whole)
    if not tail:
        return value, False
    return value + Decimal(1).scaleb(-len(frac)), True


def _strictly_between(candidate: str, before: str | None, after: str | None) -> bool:
    key = _key_of_normalized(candidate)
    return (before is None or _key_of_normalized(before) < key) and (
        after is None or key < _key_of_normalized(after)
    )


def _fits(candidate: str) -> str | None:
    return candidate if len(candidate) <= MAX_CUE_NUMBER_LENGTH else None


def _simplest_decimal_between(before: str, after: str) -> str | None:
    """The decimal with the fewest fraction digits strictly between two numeric-led cues.

    Among those, the one nearest the middle (ties toward ``before``).
    """
    low, low_inclusive = _decimal_bounds(before)
    high, _ = _decimal_bounds(after)  # decimals before ``after`` are below ``high`` either way
    if low >= high:
        return None
    middle = (low + high) / 2
    whole_digits = len(str(int(high)))
    for places in range(1, MAX_CUE_NUMBER_LENGTH - whole_digits):
        step = Decimal(1).scaleb(-places)
        if low_inclusive:
            smallest = low.quantize(step, rounding=ROUND_CEILING)
        else:
            smallest = low.quantize(step, rounding=ROUND_FLOOR) + step
        largest = high.quantize(step, rounding=ROUND_CEILING) - step
        if smallest > largest:
            continue
        nearest = middle.quantize(step, rounding=ROUND_HALF_DOWN)
        chosen = min(max(nearest, smallest), largest)
        return _fits(normalize_cue_number(f"{chosen:f}"))
    return None


def _successor(number: str) -> str | None:
    """The next number in the same style: ``12.5`` -> ``13``, ``A`` -> ``B``, ``A9`` -> ``A10``.

    A letter tail is bumped at its last letter (``AZ`` -> ``AZA``); a digit run
    at the end counts up keeping its width (``A09`` -> ``A10``). None when the
    result would be over 12 characters.
    """
    whole = _parts(number)[0]
    if whole:
        return _fits(str(int(whole) + 1))
    return _bump_tail(number)


def _bump_tail(number: str) -> str | None:
    """The number with its tail's last run counted one up (``10A`` -> ``10B``)."""
    last = _RUNS.findall(number)[-1]
    head = number[: len(number) - len(last)]
    if last.isdigit():
        bumped = str(int(last) + 1).zfill(len(last))
    elif last[-1] != "Z":
        bumped = last[:-1] + chr(ord(last[-1]) + 1)
    else:
        bumped = last + "A"
    return _fits(head + bumped)


def _between(before: str, after: str) -> str | None:
    if not cue_sort_key(before) < cue_sort_key(after):
        return None
    candidates: list[str | None] = []
    if _parts(before)[0]:
        candidates.append(_successor(before))
        if _parts(after)[0]:
            candidates.append(_simplest_decimal_between(before, after))
    if _parts(before)[2]:
        candidates.append(_bump_tail(before))
    for candidate in candidates:
        if candidate is not None and _strictly_between(candidate, before, after):
            return candidate
    return None


def _before(after: str) -> str | None:
    whole, frac, tail = _parts(after)
    if not whole:
        return "1"  # every numeric-led number comes before a letter-led one
    below = int(whole) if frac or tail else int(whole) - 1
    if below >= 1:
        return str(below)
    return _between("0", after)


def next_cue_number(before: str | None, after: str | None) -> str | None:
    """Propose a number for a cue inserted between two cues of one department.

    ``before`` and ``after`` are the neighbouring numbers in that department
    (None or empty: no neighbour on that side). The proposal sorts strictly
    between them (``cue_sort_key``) and is normalized:

    - no neighbours: ``1``;
    - only ``before``: the next whole number (``12``, ``12.5`` or ``12A`` ->
      ``13``); after a letter-led number, the next in its style (``A`` ->
      ``B``, ``A9`` -> ``A10``);
    - only ``after``: the whole number below it, if at least 1 (``5`` -> ``4``,
      ``5.5`` -> ``5``), else a decimal above 0 (``1`` -> ``0.5``); before a
      letter-led number, ``1``;
    - both: the next whole number after ``before`` if it fits (``12``..``14``
      -> ``13``); else the decimal with the fewest digits, nearest the middle,
      ties toward ``before`` (``12``..``13`` -> ``12.5``, ``12.5``..``13`` ->
      ``12.7``, ``12``..``12.5`` -> ``12.2``, ``12.1``..``12.2`` -> ``12.15``,
      ``10``..``10A`` -> ``10.5``); else ``before`` with its letter bumped
      (``10A``..``11`` -> ``10B``).

    Returns None when none of these fits: ``before`` is not below ``after``,
    nothing sorts below ``0``, or the only numbers in between would need
    invented suffixes (``10A``..``10B``: ``10AA`` is never proposed) or more
    than 12 characters. Raises ``CueNumberError`` for an invalid neighbour.
    """
    low = normalize_cue_number(before) if before and before.strip() else None
    high = normalize_cue_number(after) if after and after.strip() else None
    if low is None and high is None:
        return "1"
    if high is None:
        assert low is not None
        return _successor(low)
    if low is None:
        return _before(high)
    return _between(low, high)


def cue_label(initials: str | None, number: str | None) -> str:
    """The label of a cue: ``LX 12``; ``LX`` or ``12`` when one part is missing, else ``""``."""
    parts = [part.strip() for part in (initials, number) if part and part.strip()]
    return " ".join(parts)

"""Cue numbers while editing: the number proposed for a new cue, and renumbering.

The proposal for a cue placed at a position looks at the department's
nearest cues before and after it in the script: after LX 12 comes LX 13,
between LX 12 and LX 13 comes LX 12.5, between 12.5 and 13 comes 12.7
(``domain.cuenumber.next_cue_number``). When the neighbours are out of order
or the number in between is taken, it proposes the number after the
department's highest.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from callmaster_desktop.domain.cuenumber import (
    MAX_CUE_NUMBER_LENGTH,
    CueNumberError,
    cue_sort_key,
    next_cue_number,
    normalize_cue_number,
)
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.editing.state import ScriptState
from callmaster_desktop.errors import ValidationError

_sort_key = lru_cache(maxsize=65_536)(cue_sort_key)


def _neighbour(state: ScriptState, department_id: uuid.UUID, start: int, step: int) -> str | None:
    rows = state.elements
    position = start
    while 0 <= position < len(rows):
        e = rows[position]
        if e.element_type is ElementType.CUE and e.department_id == department_id and e.cue_number:
            return e.cue_number
        position += step
    return None


def _free(state: ScriptState, department_id: uuid.UUID, number: str | None) -> bool:
    return number is not None and not state.cue_holders(department_id, number)


def propose_cue_number(state: ScriptState, department_id: uuid.UUID, position: int) -> str | None:
    """The number for a new cue of the department inserted at ``position`` (0-based).

    None when nothing fits (the department's numbers leave no room).
    """
    before = _neighbour(state, department_id, position - 1, -1)
    after = _neighbour(state, department_id, position, 1)
    try:
        proposal = next_cue_number(before, after)
    except CueNumberError:
        proposal = None
    if _free(state, department_id, proposal):
        return proposal
    numbers = state.department_numbers(department_id)
    if not numbers:
        return "1"
    highest = max(numbers, key=_sort_key)
    try:
        proposal = next_cue_number(highest, None)
    except CueNumberError:
        return None
    return proposal if _free(state, department_id, proposal) else None


def read_number(value: Decimal | str | int, what: str) -> Decimal:
    """A first number or step for renumbering: a number, 0 or more."""
    if isinstance(value, bool):
        raise ValidationError(f"The {what} must be a number such as 1 or 0.5.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(
            f'The {what} "{str(value)[:20]}" is not a number: write one such as 1 or 0.5.'
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"The {what} must be a number, 0 or more.")
    return number


def renumbered(count: int, start: Decimal, step: Decimal, initials: str) -> list[str]:
    """``count`` cue numbers ``start, start + step, ...`` in their written form."""
    if step <= 0:
        raise ValidationError("The step between cue numbers must be more than 0.")
    if start == start.to_integral_value() and step == step.to_integral_value():
        first, by = int(start), int(step)  # whole numbers are written as they are
        last = first + by * (count - 1)
        if count and len(str(last)) > MAX_CUE_NUMBER_LENGTH:
            raise ValidationError(
                f"Renumbering {initials} would reach {last}: a cue number has at most "
                f"{MAX_CUE_NUMBER_LENGTH} characters."
            )
        return [str(first + by * n) for n in range(count)]
    numbers: list[str] = []
    for n in range(count):
        value = start + step * n
        try:
            numbers.append(normalize_cue_number(f"{value.normalize():f}"))
        except CueNumberError as exc:
            raise ValidationError(
                f"Renumbering {initials} cannot reach cue {n + 1} ({value.normalize():f}): {exc}"
            ) from None
    return numbers

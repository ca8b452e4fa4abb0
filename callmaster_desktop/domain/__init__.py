"""Domain value types: offsets and cue numbers (plain Python, no Qt)."""

from __future__ import annotations

from callmaster_desktop.domain.cuenumber import (
    MAX_CUE_NUMBER_LENGTH,
    CueNumberError,
    CueSortKey,
    cue_label,
    cue_sort_key,
    next_cue_number,
    normalize_cue_number,
)
from callmaster_desktop.domain.timeoffset import (
    TimeFormatError,
    format_clock,
    format_countdown,
    format_delta,
    format_offset,
    parse_delta,
    parse_offset,
)

__all__ = [
    "MAX_CUE_NUMBER_LENGTH",
    "CueNumberError",
    "CueSortKey",
    "TimeFormatError",
    "cue_label",
    "cue_sort_key",
    "format_clock",
    "format_countdown",
    "format_delta",
    "format_offset",
    "next_cue_number",
    "normalize_cue_number",
    "parse_delta",
    "parse_offset",
]

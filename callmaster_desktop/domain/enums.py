"""Enumerations of the domain, stored as their string values."""

from __future__ import annotations

import enum


class ElementType(enum.StrEnum):
    CUE = "cue"
    NOTE = "note"
    GROUP = "group"


class Priority(enum.StrEnum):
    SAFETY = "safety"
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"
    OPTIONAL = "optional"


class ScriptStatus(enum.StrEnum):
    DRAFT = "draft"
    COPY = "copy"
    WORKING = "working"
    FINAL = "final"
    IMPORTED = "imported"
    BACKUP = "backup"


class VenueType(enum.StrEnum):
    PROSCENIUM = "proscenium"
    THRUST = "thrust"
    ARENA = "arena"
    BLACK_BOX = "black_box"
    TRAVERSE = "traverse"
    OUTDOOR = "outdoor"
    OTHER = "other"


class RunKind(enum.StrEnum):
    PERFORMANCE = "performance"
    REHEARSAL = "rehearsal"


class RunStatus(enum.StrEnum):
    READY = "ready"
    RUNNING = "running"
    HELD = "held"
    SAFETY_STOP = "safety_stop"
    COMPLETE = "complete"
    ABANDONED = "abandoned"


class CallOutcome(enum.StrEnum):
    CALLED = "called"
    SKIPPED = "skipped"


class Theme(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class TimeDisplay(enum.StrEnum):
    OFFSET = "offset"
    CLOCK = "clock"

"""The entities of domain.md as SQLAlchemy 2 typed models.

Keys are UUIDs, enums are stored as their string values, datetimes are
timezone-aware UTC, and every foreign key carries its delete rule in the DDL.
Constraint names follow a naming convention so that Alembic can find and
drop them on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from callmaster_desktop.db.types import UTCDateTime, str_enum, utcnow
from callmaster_desktop.domain.enums import (
    CallOutcome,
    ElementType,
    Priority,
    RunKind,
    RunStatus,
    ScriptStatus,
    Theme,
    TimeDisplay,
    VenueType,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


def _pk() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def _updated() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


class Person(Base):
    """Anyone the stage manager works with; the app's user is one of them."""

    __tablename__ = "people"

    id: Mapped[uuid.UUID] = _pk()
    # The operating-system login of a person who runs the application; None for guests.
    login_name: Mapped[str | None] = mapped_column(String(120), unique=True)
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(60))
    production_role: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    is_guest: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CrewRelationship(Base):
    """'This person is in my crew': manager -> member, with private notes."""

    __tablename__ = "crew_relationships"
    __table_args__ = (
        UniqueConstraint("manager_id", "member_id"),
        Index("ix_crew_relationships_manager", "manager_id"),
    )

    id: Mapped[uuid.UUID] = _pk()
    manager_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    member: Mapped[Person] = relationship(foreign_keys=[member_id])


class Venue(Base):
    __tablename__ = "venues"
    __table_args__ = (Index("ix_venues_owner", "owner_id"),)

    id: Mapped[uuid.UUID] = _pk()
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str | None] = mapped_column(String(120))
    capacity: Mapped[int | None] = mapped_column(Integer)
    venue_type: Mapped[VenueType | None] = mapped_column(str_enum(VenueType))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(60))
    stage_width_m: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    stage_depth_m: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    fly_height_m: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    rental_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    minimum_rental: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("owner_id", "name"),
        UniqueConstraint("owner_id", "initials"),
        Index("ix_departments_owner", "owner_id"),
    )

    id: Mapped[uuid.UUID] = _pk()
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    initials: Mapped[str] = mapped_column(String(5))
    color: Mapped[str] = mapped_column(String(9), default="#808080")
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Show(Base):
    __tablename__ = "shows"
    __table_args__ = (Index("ix_shows_owner", "owner_id"),)

    id: Mapped[uuid.UUID] = _pk()
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    first_performance: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    venue: Mapped[Venue | None] = relationship()
    scripts: Mapped[list[Script]] = relationship(
        back_populates="show", order_by="Script.created_at", passive_deletes=True
    )


class CrewAssignment(Base):
    """A person working on a show in a department, with a show-specific role."""

    __tablename__ = "crew_assignments"
    __table_args__ = (UniqueConstraint("show_id", "person_id", "department_id"),)

    id: Mapped[uuid.UUID] = _pk()
    show_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    person: Mapped[Person] = relationship()
    department: Mapped[Department] = relationship()


class Script(Base):
    __tablename__ = "scripts"

    id: Mapped[uuid.UUID] = _pk()
    show_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shows.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[ScriptStatus] = mapped_column(str_enum(ScriptStatus), default=ScriptStatus.DRAFT)
    start_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notes: Mapped[str | None] = mapped_column(Text)
    # Incremented by every save; a save based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()

    show: Mapped[Show] = relationship(back_populates="scripts")


class Element(Base):
    """One row of a script: a cue, a note or a group header."""

    __tablename__ = "elements"
    __table_args__ = (
        UniqueConstraint("script_id", "sequence"),
        UniqueConstraint("script_id", "department_id", "cue_number"),
        Index("ix_elements_script", "script_id"),
        # The calling screen and auto-sort read a script's elements by time.
        Index("ix_elements_script_offset", "script_id", "offset_ms"),
    )

    id: Mapped[uuid.UUID] = _pk()
    script_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scripts.id", ondelete="CASCADE"))
    element_type: Mapped[ElementType] = mapped_column(str_enum(ElementType))
    sequence: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("elements.id", ondelete="SET NULL"), index=True
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    cue_number: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str | None] = mapped_column(Text)
    offset_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.NORMAL)
    location: Mapped[str | None] = mapped_column(String(120))
    color: Mapped[str | None] = mapped_column(String(9))
    # A group whose cues are called together on one GO.
    fires_together: Mapped[bool] = mapped_column(Boolean, default=False)


class ScriptRevision(Base):
    """A saved state of a script: who, when, what changed and a snapshot."""

    __tablename__ = "script_revisions"
    __table_args__ = (UniqueConstraint("script_id", "number"),)

    id: Mapped[uuid.UUID] = _pk()
    script_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scripts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    script_version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = _created()
    summary: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Run(Base):
    """One calling of a script, start to finish: the source of the show report."""

    __tablename__ = "runs"

    id: Mapped[uuid.UUID] = _pk()
    show_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shows.id", ondelete="CASCADE"), index=True
    )
    script_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("scripts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RunKind] = mapped_column(str_enum(RunKind), default=RunKind.PERFORMANCE)
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus), default=RunStatus.READY)
    caller_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    total_hold_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()


class RunHold(Base):
    __tablename__ = "run_holds"

    id: Mapped[uuid.UUID] = _pk()
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    show_offset_ms: Mapped[int] = mapped_column(BigInteger)
    length_ms: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)


class CueCall(Base):
    """The record of one cue during a run: planned, actual, called or skipped."""

    __tablename__ = "cue_calls"

    id: Mapped[uuid.UUID] = _pk()
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("elements.id", ondelete="SET NULL")
    )
    cue_label: Mapped[str] = mapped_column(String(40))
    planned_offset_ms: Mapped[int] = mapped_column(BigInteger)
    actual_offset_ms: Mapped[int | None] = mapped_column(BigInteger)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[CallOutcome] = mapped_column(str_enum(CallOutcome))
    note: Mapped[str | None] = mapped_column(Text)


class RunNote(Base):
    """A caller's note during a run: when (show clock and time of day), about which cue."""

    __tablename__ = "run_notes"

    id: Mapped[uuid.UUID] = _pk()
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("elements.id", ondelete="SET NULL")
    )
    cue_label: Mapped[str | None] = mapped_column(String(40))  # as it was, if about a cue
    show_offset_ms: Mapped[int | None] = mapped_column(BigInteger)  # None: before the start
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)


class UserPreferences(Base):
    """Per-user preferences, kept in the database so they follow the user."""

    __tablename__ = "user_preferences"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[Theme] = mapped_column(str_enum(Theme), default=Theme.SYSTEM)
    colorize_departments: Mapped[bool] = mapped_column(Boolean, default=True)
    time_display: Mapped[TimeDisplay] = mapped_column(
        str_enum(TimeDisplay), default=TimeDisplay.OFFSET
    )
    clock_24h: Mapped[bool] = mapped_column(Boolean, default=True)
    standby_lookahead_s: Mapped[int] = mapped_column(Integer, default=30)
    autosave_interval_s: Mapped[int] = mapped_column(Integer, default=120)
    confirm_deletes: Mapped[bool] = mapped_column(Boolean, default=True)
    confirm_safety_stop: Mapped[bool] = mapped_column(Boolean, default=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = _updated()


ALL_TABLES = [
    Person,
    CrewRelationship,
    Venue,
    Department,
    Show,
    CrewAssignment,
    Script,
    Element,
    ScriptRevision,
    Run,
    RunHold,
    CueCall,
    RunNote,
    UserPreferences,
]

"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("login_name", sa.String(length=120), nullable=True),
        sa.Column("first_name", sa.String(length=120), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("production_role", sa.String(length=120), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("is_guest", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("login_name", name=op.f("uq_people_login_name")),
    )
    op.create_table(
        "crew_relationships",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("manager_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_crew_relationships_manager_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["people.id"],
            name=op.f("fk_crew_relationships_member_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew_relationships")),
        sa.UniqueConstraint(
            "manager_id",
            "member_id",
            name=op.f("uq_crew_relationships_manager_id_member_id"),
        ),
    )
    with op.batch_alter_table("crew_relationships", schema=None) as batch_op:
        batch_op.create_index(
            "ix_crew_relationships_manager", ["manager_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crew_relationships_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "departments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("initials", sa.String(length=5), nullable=False),
        sa.Column("color", sa.String(length=9), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["people.id"],
            name=op.f("fk_departments_owner_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint(
            "owner_id", "initials", name=op.f("uq_departments_owner_id_initials")
        ),
        sa.UniqueConstraint(
            "owner_id", "name", name=op.f("uq_departments_owner_id_name")
        ),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index("ix_departments_owner", ["owner_id"], unique=False)

    op.create_table(
        "user_preferences",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "theme",
            sa.Enum(
                "system", "light", "dark", name="theme", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("colorize_departments", sa.Boolean(), nullable=False),
        sa.Column(
            "time_display",
            sa.Enum(
                "offset", "clock", name="timedisplay", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("clock_24h", sa.Boolean(), nullable=False),
        sa.Column("standby_lookahead_s", sa.Integer(), nullable=False),
        sa.Column("autosave_interval_s", sa.Integer(), nullable=False),
        sa.Column("confirm_deletes", sa.Boolean(), nullable=False),
        sa.Column("confirm_safety_stop", sa.Boolean(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_user_preferences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_user_preferences")),
    )
    op.create_table(
        "venues",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=120), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column(
            "venue_type",
            sa.Enum(
                "proscenium",
                "thrust",
                "arena",
                "black_box",
                "traverse",
                "outdoor",
                "other",
                name="venuetype",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=60), nullable=True),
        sa.Column("stage_width_m", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("stage_depth_m", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("fly_height_m", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("rental_rate", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("minimum_rental", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["people.id"],
            name=op.f("fk_venues_owner_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venues")),
    )
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.create_index("ix_venues_owner", ["owner_id"], unique=False)

    op.create_table(
        "shows",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("first_performance", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["people.id"],
            name=op.f("fk_shows_owner_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_shows_venue_id_venues"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shows")),
    )
    with op.batch_alter_table("shows", schema=None) as batch_op:
        batch_op.create_index("ix_shows_owner", ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_shows_venue_id"), ["venue_id"], unique=False
        )

    op.create_table(
        "crew_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("show_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_crew_assignments_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_crew_assignments_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_crew_assignments_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew_assignments")),
        sa.UniqueConstraint(
            "show_id",
            "person_id",
            "department_id",
            name=op.f("uq_crew_assignments_show_id_person_id_department_id"),
        ),
    )
    with op.batch_alter_table("crew_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crew_assignments_department_id"),
            ["department_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_crew_assignments_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "scripts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("show_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "copy",
                "working",
                "final",
                "imported",
                "backup",
                name="scriptstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_scripts_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["people.id"],
            name=op.f("fk_scripts_updated_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scripts")),
    )
    with op.batch_alter_table("scripts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scripts_show_id"), ["show_id"], unique=False
        )

    op.create_table(
        "elements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("script_id", sa.Uuid(), nullable=False),
        sa.Column(
            "element_type",
            sa.Enum(
                "cue", "note", "group", name="elementtype", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("department_id", sa.Uuid(), nullable=True),
        sa.Column("cue_number", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("offset_ms", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column(
            "priority",
            sa.Enum(
                "safety",
                "critical",
                "high",
                "normal",
                "low",
                "optional",
                name="priority",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("location", sa.String(length=120), nullable=True),
        sa.Column("color", sa.String(length=9), nullable=True),
        sa.Column("fires_together", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_elements_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["elements.id"],
            name=op.f("fk_elements_parent_id_elements"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["scripts.id"],
            name=op.f("fk_elements_script_id_scripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elements")),
        sa.UniqueConstraint(
            "script_id",
            "department_id",
            "cue_number",
            name=op.f("uq_elements_script_id_department_id_cue_number"),
        ),
        sa.UniqueConstraint(
            "script_id", "sequence", name=op.f("uq_elements_script_id_sequence")
        ),
    )
    with op.batch_alter_table("elements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_elements_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_elements_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index("ix_elements_script", ["script_id"], unique=False)

    op.create_table(
        "runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("show_id", sa.Uuid(), nullable=False),
        sa.Column("script_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "performance", "rehearsal", name="runkind", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "ready",
                "running",
                "held",
                "safety_stop",
                "complete",
                "abandoned",
                name="runstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("caller_id", sa.Uuid(), nullable=True),
        sa.Column("scheduled_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("total_hold_ms", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["caller_id"],
            ["people.id"],
            name=op.f("fk_runs_caller_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["scripts.id"],
            name=op.f("fk_runs_script_id_scripts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_runs_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_runs_script_id"), ["script_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_runs_show_id"), ["show_id"], unique=False)

    op.create_table(
        "script_revisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("script_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("script_version", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_script_revisions_author_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["scripts.id"],
            name=op.f("fk_script_revisions_script_id_scripts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_script_revisions")),
        sa.UniqueConstraint(
            "script_id", "number", name=op.f("uq_script_revisions_script_id_number")
        ),
    )
    op.create_table(
        "cue_calls",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("element_id", sa.Uuid(), nullable=True),
        sa.Column("cue_label", sa.String(length=40), nullable=False),
        sa.Column("planned_offset_ms", sa.BigInteger(), nullable=False),
        sa.Column("actual_offset_ms", sa.BigInteger(), nullable=True),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "called", "skipped", name="calloutcome", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["elements.id"],
            name=op.f("fk_cue_calls_element_id_elements"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["runs.id"],
            name=op.f("fk_cue_calls_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cue_calls")),
    )
    with op.batch_alter_table("cue_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cue_calls_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "run_holds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("show_offset_ms", sa.BigInteger(), nullable=False),
        sa.Column("length_ms", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["runs.id"],
            name=op.f("fk_run_holds_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_holds")),
    )
    with op.batch_alter_table("run_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_holds_run_id"), ["run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("run_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_holds_run_id"))

    op.drop_table("run_holds")
    with op.batch_alter_table("cue_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cue_calls_run_id"))

    op.drop_table("cue_calls")
    op.drop_table("script_revisions")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runs_show_id"))
        batch_op.drop_index(batch_op.f("ix_runs_script_id"))

    op.drop_table("runs")
    with op.batch_alter_table("elements", schema=None) as batch_op:
        batch_op.drop_index("ix_elements_script")
        batch_op.drop_index(batch_op.f("ix_elements_parent_id"))
        batch_op.drop_index(batch_op.f("ix_elements_department_id"))

    op.drop_table("elements")
    with op.batch_alter_table("scripts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scripts_show_id"))

    op.drop_table("scripts")
    with op.batch_alter_table("crew_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crew_assignments_person_id"))
        batch_op.drop_index(batch_op.f("ix_crew_assignments_department_id"))

    op.drop_table("crew_assignments")
    with op.batch_alter_table("shows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shows_venue_id"))
        batch_op.drop_index("ix_shows_owner")

    op.drop_table("shows")
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_index("ix_venues_owner")

    op.drop_table("venues")
    op.drop_table("user_preferences")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index("ix_departments_owner")

    op.drop_table("departments")
    with op.batch_alter_table("crew_relationships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crew_relationships_member_id"))
        batch_op.drop_index("ix_crew_relationships_manager")

    op.drop_table("crew_relationships")
    op.drop_table("people")

"""Migrations on both databases: empty to head, down and up, models == migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from callmaster_desktop.db.migrate import (
    SchemaState,
    downgrade,
    head_revision,
    schema_state,
    upgrade,
)
from callmaster_desktop.db.models import Base


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_empty_to_head_creates_every_table(empty_url: str) -> None:
    assert schema_state(empty_url)[0] is SchemaState.MISSING
    upgrade(empty_url)
    assert schema_state(empty_url) == (SchemaState.CURRENT, head_revision())
    assert set(Base.metadata.tables) <= _tables(empty_url)


def test_models_and_migrations_do_not_differ(empty_url: str) -> None:
    upgrade(empty_url)
    assert _diff(empty_url) == []


def test_down_to_base_and_up_again(empty_url: str) -> None:
    upgrade(empty_url)
    downgrade(empty_url, "base")
    assert _tables(empty_url) <= {"alembic_version"}
    upgrade(empty_url)
    assert schema_state(empty_url)[0] is SchemaState.CURRENT
    assert _diff(empty_url) == []

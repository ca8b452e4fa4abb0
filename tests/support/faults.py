"""Fault injection against a real database, and exact dumps to compare.

``dump_tables`` reads every row of every table, so a test can assert that a
failed operation left the database exactly as it was. ``fail_at_statement``
makes the Nth SQL statement of a block fail: with a Python exception, or on
PostgreSQL by terminating the connection from the server side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, select, text

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Base


class InjectedFault(RuntimeError):
    """The failure a test asked for."""


def dump_tables(db: Database, tables: list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the given tables (default: all), sorted, for exact comparison."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with db.reading() as session:
        for name, table in Base.metadata.tables.items():
            if tables is not None and name not in tables:
                continue
            rows = session.execute(select(table)).all()
            dump[name] = sorted((tuple(r) for r in rows), key=repr)
    return dump


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []


@contextmanager
def count_statements(db: Database) -> Iterator[StatementCounter]:
    """Count the SQL statements sent to the database inside the block."""
    counter = StatementCounter()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.strip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            return
        counter.count += 1
        counter.statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


@contextmanager
def fail_at_statement(
    db: Database, n: int, *, how: str = "exception"
) -> Iterator[StatementCounter]:
    """Make the ``n``-th statement (1-based, BEGIN/PRAGMA not counted) fail.

    ``how="exception"`` raises ``InjectedFault`` before it runs;
    ``how="terminate"`` (PostgreSQL) kills the connection's backend first, so
    the statement meets a dropped connection as in real life.
    """
    counter = StatementCounter()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.strip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            return
        counter.count += 1
        counter.statements.append(statement)
        if counter.count != n:
            return
        if how == "terminate":
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            admin = create_engine(db.url, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            admin.dispose()
        else:
            raise InjectedFault(f"injected failure at statement {n}: {statement[:60]}")

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)

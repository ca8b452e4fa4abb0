"""Pieces the benchmarks share: a throw-away PostgreSQL database, a printed table, timing helpers.

Imported as ``benchmarks.common`` with the repository root on ``sys.path`` (as each
benchmark puts it there before importing the package).
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# The admin URL of the local server; a benchmark creates and drops its own database on it.
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str | None]:
    """The URL of a new, empty database on the server at ``admin_url``, dropped afterwards.

    Yields None (after saying so) when the server cannot be reached, so that a
    benchmark then runs on SQLite alone.
    """
    try:
        admin = create_engine(
            admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        print(f"PostgreSQL at {admin_url} cannot be reached ({exc}); skipping it.")
        yield None
        return
    name = f"cm_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def add_postgres_options(parser: argparse.ArgumentParser) -> None:
    """``--postgres URL`` (the server to use) and ``--no-postgres`` (SQLite alone)."""
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=DEFAULT_PG,
        help="an admin URL of the server (a database is created and dropped)",
    )
    parser.add_argument("--no-postgres", action="store_true")


@contextmanager
def chosen_postgres(args: argparse.Namespace) -> Iterator[str | None]:
    """The scratch database the options of ``add_postgres_options`` ask for, or None."""
    if args.no_postgres:
        yield None
        return
    with postgres_database(args.postgres) as url:
        yield url


def print_table(header: str, lines: Iterable[str]) -> None:
    """Print ``header``, a rule as wide as it, then each of ``lines``."""
    print(header)
    print("-" * len(header))
    for line in lines:
        print(line)


def now_ms() -> float:
    return time.monotonic_ns() / 1_000_000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

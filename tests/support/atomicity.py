"""Prove an operation is all or nothing: fail it at every statement in turn.

``assert_all_or_nothing(db, operation)`` calls ``operation`` with the 1st, 2nd,
3rd... SQL statement made to fail (``fail_at_statement``), checks after each
failure that every table holds exactly what it held before (``dump_tables``)
and that the error is the expected typed one, and stops at the first run that
no failure reaches: that run succeeded normally after all the failures. The
statements of that successful run are counted (``count_statements``) and must
be exactly the N statements the failing runs failed at, one each, in order,
so the loop covered n = 1..N.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import ServerUnavailableError
from support.faults import InjectedFault, count_statements, dump_tables, fail_at_statement

T = TypeVar("T")


@dataclass(frozen=True)
class Proof(Generic[T]):
    result: T  # what the successful run returned
    statements: int  # N: statements of the successful run, each one failed once before


def assert_all_or_nothing(
    db: Database, operation: Callable[[], T], *, how: str = "exception", limit: int = 100
) -> Proof[T]:
    before = dump_tables(db)
    failed_runs: list[list[str]] = []
    for n in range(1, limit + 1):
        with count_statements(db) as counted, fail_at_statement(db, n, how=how) as failing:
            try:
                result = operation()
            except (InjectedFault, ServerUnavailableError) as exc:
                error: BaseException | None = exc
            else:
                error = None
        if error is None:
            assert counted.count == n - 1, (
                f"the successful run made {counted.count} statements, "
                f"but only statements 1..{n - 1} were failed"
            )
            for i, statements in enumerate(failed_runs, start=1):
                assert statements == counted.statements[:i], f"run {i} took another path"
            return Proof(result, counted.count)
        if how == "exception":
            assert isinstance(error, InjectedFault), error
        else:
            assert isinstance(error, ServerUnavailableError), error
        assert failing.count >= n, f"failure {n} did not come from statement {n}"
        assert dump_tables(db) == before, f"failing at statement {n} left a change behind"
        failed_runs.append(failing.statements[:n])
    raise AssertionError(f"the operation still made statements after {limit} failures")


def hows(backend: str) -> list[str]:
    """The ways to fail on this backend: exceptions everywhere, dropped connections on PG."""
    return ["exception", "terminate"] if backend == "postgres" else ["exception"]

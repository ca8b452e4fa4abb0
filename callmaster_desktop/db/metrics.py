"""What the model layer measures: commits, rollbacks, statement times, pool use.

These are the seed design's "Monitoring & Metrics": transaction success
rates, query performance and connection-pool utilisation.
"""

from __future__ import annotations

import heapq
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass(order=True)
class SlowStatement:
    seconds: float
    statement: str = field(compare=False)


@dataclass
class Metrics:
    commits: int = 0
    rollbacks: int = 0  # every rollback, including the end of each read
    failed_writes: int = 0  # units of work that failed or were refused: rolled back
    statement_errors: int = 0
    statements: int = 0
    statement_seconds: float = 0.0
    keep_slowest: int = 10
    _slowest: list[SlowStatement] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record_statement(self, statement: str, seconds: float) -> None:
        with self._lock:
            self.statements += 1
            self.statement_seconds += seconds
            item = SlowStatement(seconds, " ".join(statement.split())[:300])
            if len(self._slowest) < self.keep_slowest:
                heapq.heappush(self._slowest, item)
            elif seconds > self._slowest[0].seconds:
                heapq.heapreplace(self._slowest, item)

    def slowest(self) -> list[SlowStatement]:
        with self._lock:
            return sorted(self._slowest, reverse=True)

    def reset(self) -> None:
        with self._lock:
            self.commits = self.rollbacks = self.statements = 0
            self.failed_writes = self.statement_errors = 0
            self.statement_seconds = 0.0
            self._slowest.clear()


def instrument(engine: Engine, metrics: Metrics) -> None:
    """Attach the counters to an engine's events."""

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        metrics.commits += 1

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        metrics.rollbacks += 1

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, params: Any, ctx: Any, many: bool) -> None:
        conn.info.setdefault("callmaster_t0", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, params: Any, ctx: Any, many: bool) -> None:
        started = conn.info["callmaster_t0"].pop()
        metrics.record_statement(statement, time.perf_counter() - started)

    @event.listens_for(engine, "handle_error")
    def _error(context: Any) -> None:
        # A failed statement never reaches after_cursor_execute: drop its start time.
        conn = context.connection
        if conn is not None and conn.info.get("callmaster_t0"):
            conn.info["callmaster_t0"].pop()
        metrics.statement_errors += 1


def pool_status(engine: Engine) -> dict[str, Any]:
    pool: Any = engine.pool
    status: dict[str, Any] = {"pool": type(pool).__name__, "status": pool.status()}
    for name in ("size", "checkedin", "checkedout", "overflow"):
        method = getattr(pool, name, None)
        if callable(method):
            status[name] = method()
    return status

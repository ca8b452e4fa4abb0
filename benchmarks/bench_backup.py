"""Backups, restore, check and repair at size, against copying the file's bytes.

    .venv/bin/python benchmarks/bench_backup.py [--elements 1000 20000] [--repeat 3]

For each size, a temporary SQLite file holds one script of that many rows
(and its revision). Measured, best of ``--repeat``:

- ``backup``: ``create_backup`` (SQLite's online backup, ``quick_check``,
  fsync, rename) against ``shutil.copyfile`` + fsync of the same file. The
  backup also reads every page back to check it, so it costs a few copies.
  Target: under 1 s at 20,000 rows, since the daily backup runs when the
  database is opened;
- ``describe``: what a backup holds, as the restore dialog lists it;
- ``validate``: SQLite's integrity and foreign-key checks of a backup;
- ``restore``: validate, safety copy, write, swap, against two raw copies.
  Target: under 2 s at 20,000 rows (the integrity check dominates);
- ``check``: ``check_database`` (integrity check and every rule);
- ``repair``: renumbering every row of the script (``repair_database``:
  the check before and after, and two set-based statements).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import update  # noqa: E402

from callmaster_desktop.db.backup import create_backup  # noqa: E402
from callmaster_desktop.db.backup_contents import describe_backup, validate_backup  # noqa: E402
from callmaster_desktop.db.integrity import check_database  # noqa: E402
from callmaster_desktop.db.migrate import open_database  # noqa: E402
from callmaster_desktop.db.models import Element  # noqa: E402
from callmaster_desktop.db.repair import repair_database  # noqa: E402
from callmaster_desktop.db.restore import restore  # noqa: E402
from callmaster_desktop.profile import ensure_profile  # noqa: E402
from tests.support.script_builder import make_script  # noqa: E402


def best_of(repeat: int, run: Callable[[], Any], before: Callable[[], Any] | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def raw_copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    handle = os.open(target, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def measure(folder: Path, rows: int, repeat: int) -> list[tuple[str, float, str, float | None]]:
    path = folder / f"bench-{rows}.sqlite"
    db = open_database(str(path))
    owner = ensure_profile(db)
    built = make_script(db, owner, rows, name="Bench")
    db.dispose()  # a backup is of a closed file or an open one alike; restore needs it closed
    size_mb = path.stat().st_size / 1e6
    results: list[tuple[str, float, str, float | None]] = []
    copies = folder / f"copies-{rows}"
    copies.mkdir()
    counter = iter(range(10**6))

    def backup() -> None:
        create_backup(path, to=copies / f"b{next(counter)}.sqlite")

    def copy() -> None:
        raw_copy(path, copies / f"c{next(counter)}.sqlite")

    backup_ms = best_of(repeat, backup)
    copy_ms = best_of(repeat, copy)
    results.append((f"backup ({size_mb:.1f} MB)", backup_ms, "file copy + fsync", copy_ms))
    made = create_backup(path).path
    results.append(("describe", best_of(repeat, lambda: describe_backup(made)), "", None))
    results.append(("validate", best_of(repeat, lambda: validate_backup(made)), "", None))
    restore_ms = best_of(repeat, lambda: restore(made, path))
    two_copies = best_of(repeat, lambda: (copy(), copy()))
    results.append(("restore", restore_ms, "two file copies + fsync", two_copies))

    db = open_database(str(path))
    try:
        results.append(("check", best_of(repeat, lambda: check_database(db)), "", None))

        def scramble() -> None:
            with db.unit_of_work() as s:
                where = Element.script_id == built.script_id
                s.execute(update(Element).where(where).values(sequence=-Element.sequence))
                s.execute(update(Element).where(where).values(sequence=-Element.sequence * 3))

        results.append(
            (
                "repair (renumber all)",
                best_of(repeat, lambda: repair_database(db), scramble),
                "",
                None,
            )
        )
    finally:
        db.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # Seconds that must not be exceeded at 20,000 rows or more.
    limits = {"backup": 1.0, "restore": 2.0}
    failed = False
    header = f"{'rows':>7}  {'operation':<24} {'ms':>9}  {'baseline':<26} {'ms':>8}  {'ratio':>6}"
    print(f"{header}  target")
    with tempfile.TemporaryDirectory() as scratch:
        for rows in args.elements:
            for name, ms, baseline, base_ms in measure(Path(scratch), rows, args.repeat):
                ratio = f"{ms / base_ms:.1f}x" if base_ms else ""
                limit = limits.get(name.split(" ")[0])
                verdict = ""
                if limit is not None and rows >= 20000:
                    ok = ms < limit * 1000
                    failed |= not ok
                    verdict = f"< {limit:.0f} s {'ok' if ok else 'MISSED'}"
                base = f"{base_ms:.1f}" if base_ms else ""
                figures = f"{ms:>9.1f}  {baseline:<26} {base:>8}  {ratio:>6}"
                print(f"{rows:>7}  {name:<24} {figures}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

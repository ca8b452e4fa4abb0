"""The ``callmaster report`` command: the show report of a recorded run.

``add_commands`` registers it on ``callmaster``'s parser and returns its
handler (``cli.py`` calls it):

- ``report --show NAME [--script NAME] --list``: the runs of a show (or of
  one of its scripts), newest first, numbered from the oldest (1) so that a
  number stays the same when later runs are added;
- ``report --show NAME [--script NAME] [--run N] [--csv] [-o FILE]``: the
  report of the latest run (or run N of that list) as text, or as CSV; with
  ``-o`` it goes to a file, replaced atomically, instead of the screen.

Times are in the local time zone, as on screen. The command only reads: the
database is opened as ``list`` and ``check`` open it (never created), the
person is looked up without being added, and nothing is written to it.

A show or script name matches whatever its case; a script (or show) may be
named by part of its name when only one name holds that part.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callmaster_desktop.calling.records import UNFINISHED
from callmaster_desktop.calling.report import show_report
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.db.models import CueCall, Person, Run, RunHold, Script, Show
from callmaster_desktop.db.safety_commands import daily_backup
from callmaster_desktop.domain.enums import CallOutcome, RunKind, RunStatus
from callmaster_desktop.domain.timeoffset import format_offset
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.profile import current_login

__all__ = ["RunSummary", "Runs", "add_commands", "find_runs", "list_text", "write_atomically"]

Handler = Callable[[str, argparse.Namespace], int]
AddCommand = Callable[[str, str], argparse.ArgumentParser]

NOT_FINISHED = "not finished"
NOT_STARTED = "not started"


def add_commands(command: AddCommand) -> dict[str, Handler]:
    """Register ``report`` with ``command(name, help)``; return its handler."""
    p = command("report", "print the show report of a recorded run (or list the runs)")
    p.add_argument("--show", metavar="NAME", required=True, help="the show (its name or part)")
    p.add_argument(
        "--script", metavar="NAME", help="only the runs of this script of the show (default: all)"
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--run", metavar="N", type=int, help="run N as numbered by --list (default: the latest)"
    )
    which.add_argument("--list", action="store_true", help="list the runs, newest first")
    p.add_argument("--csv", action="store_true", help="the report as CSV (default: text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: print it)")
    return {"report": report_command}


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One line of ``--list``."""

    number: int  # 1 is the oldest run of the list
    run_id: uuid.UUID
    script_name: str
    kind: RunKind
    status: RunStatus
    started_at: datetime | None  # curtain up
    ended_at: datetime | None
    cues_called: int  # distinct cues called (a cue called again after Back counts once)
    skipped: int
    holds: int
    hold_ms: int

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED


@dataclass(frozen=True, slots=True)
class Runs:
    """The runs of a show, or of one of its scripts, oldest first."""

    owner_id: uuid.UUID
    show_name: str
    script_name: str | None  # None: every script of the show
    runs: tuple[RunSummary, ...]

    @property
    def scope(self) -> str:
        if self.script_name is None:
            return f'"{self.show_name}"'
        return f'the script "{self.script_name}" of "{self.show_name}"'

    def run(self, number: int | None) -> RunSummary:
        """Run ``number`` (default: the latest); a sentence saying which exist otherwise."""
        if not self.runs:
            raise NotFoundError(f"{_capital(self.scope)} has no runs yet: it has not been called.")
        if number is None:
            return self.runs[-1]
        if 1 <= number <= len(self.runs):
            return self.runs[number - 1]
        which = "only run 1" if len(self.runs) == 1 else f"runs 1 to {len(self.runs)}"
        raise NotFoundError(
            f"{_capital(self.scope)} has no run {number}: it has {which} "
            f"(--list shows them, newest first)."
        )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- finding the runs -----------------------------------------------------------------------


def _pick(names: Sequence[str], given: str, what: str, where: tuple[str, str], option: str) -> str:
    """The one name ``given`` means: exact, then whatever the case, then a part of one.

    ``what`` names the kind ("show", "script"); ``where`` says who holds them
    (``("You have", "Your")``, ``('"Macbeth" has', "Its")``); several matches
    ask for ``option`` with the whole name.
    """
    holder, whose = where
    if given in names:
        return given
    folded = given.casefold()
    for found in (
        [n for n in names if n.casefold() == folded],
        [n for n in names if folded in n.casefold()] if folded else [],
    ):
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f'"{n}"' for n in sorted(found, key=str.casefold))
            raise ValidationError(
                f'More than one {what} matches "{given}": {listed}. '
                f"Say which with {option} and its whole name."
            )
    if not names:
        raise NotFoundError(f'{holder} no {what}s yet, so none called "{given}".')
    listed = ", ".join(f'"{n}"' for n in sorted(names, key=str.casefold))
    raise NotFoundError(f'{holder} no {what} called "{given}". {whose} {what}s: {listed}.')


def find_runs(session: Session, login: str, show: str, script: str | None = None) -> Runs:
    """The runs of the person's show ``show`` (and script ``script``), oldest first.

    Reads only: a login the database does not know simply has no shows.
    """
    owner_id = session.scalar(select(Person.id).where(Person.login_name == login))
    shows = (
        dict(session.execute(select(Show.name, Show.id).where(Show.owner_id == owner_id)).all())
        if owner_id is not None
        else {}
    )
    show_name = _pick(list(shows), show, "show", ("You have", "Your"), "--show")
    assert owner_id is not None  # there are shows, so there is an owner
    show_id = shows[show_name]
    script_id = script_name = None
    if script is not None:
        scripts = dict(
            session.execute(select(Script.name, Script.id).where(Script.show_id == show_id)).all()
        )
        script_name = _pick(
            list(scripts), script, "script", (f'"{show_name}" has', "Its"), "--script"
        )
        script_id = scripts[script_name]

    wanted = Run.show_id == show_id if script_id is None else Run.script_id == script_id
    rows = session.execute(
        select(
            Run.id, Script.name, Run.kind, Run.status, Run.started_at, Run.ended_at,
            Run.total_hold_ms,
        )
        .join(Script, Script.id == Run.script_id)
        .where(wanted)
        .order_by(Run.created_at, Run.id)
    ).all()  # fmt: skip
    counted: dict[tuple[uuid.UUID, CallOutcome], int] = {
        (run_id, outcome): n
        for run_id, outcome, n in session.execute(
            select(CueCall.run_id, CueCall.outcome, func.count(func.distinct(CueCall.cue_label)))
            .join(Run, Run.id == CueCall.run_id)
            .where(wanted)
            .group_by(CueCall.run_id, CueCall.outcome)
        )
    }
    holds: dict[uuid.UUID, int] = {
        run_id: n
        for run_id, n in session.execute(
            select(RunHold.run_id, func.count())
            .join(Run, Run.id == RunHold.run_id)
            .where(wanted)
            .group_by(RunHold.run_id)
        )
    }
    runs = tuple(
        RunSummary(
            number, run_id, name, kind, status, started, ended,
            counted.get((run_id, CallOutcome.CALLED), 0),
            counted.get((run_id, CallOutcome.SKIPPED), 0),
            holds.get(run_id, 0), held,
        )
        for number, (run_id, name, kind, status, started, ended, held) in enumerate(rows, 1)
    )  # fmt: skip
    return Runs(owner_id, show_name, script_name, runs)


# --- what is printed ------------------------------------------------------------------------


def _when(moment: datetime | None, otherwise: str) -> str:
    """A date and time in the local time zone (as the application shows them)."""
    return otherwise if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def list_text(runs: Runs) -> str:
    """``--list``: a table of the runs, newest first."""
    if not runs.runs:
        return f"{_capital(runs.scope)} has no runs yet: it has not been called.\n"
    header = ("Run", "Started", "Ended", "Script", "Kind", "Cues called", "Skipped", "Holds")
    table = [header]
    for r in reversed(runs.runs):
        ended = _when(r.ended_at, NOT_FINISHED) if r.finished else NOT_FINISHED
        if r.status is RunStatus.ABANDONED:
            ended += " (abandoned)"
        holds = f"{r.holds} ({format_offset(r.hold_ms)})" if r.holds else "0"
        table.append(
            (
                str(r.number), _when(r.started_at, NOT_STARTED), ended, r.script_name,
                r.kind.value, str(r.cues_called), str(r.skipped), holds,
            )
        )  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    numeric = {0, 5, 6}
    lines = [f"Runs of {runs.scope}, newest first (times are local):"]
    for row in table:
        cells = [
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: a crash or a full disk leaves the old file or the new.

    The text goes to a temporary file beside it, which is flushed to disk and
    then renamed over it. The folder must exist; a file already there keeps
    its permissions.
    """
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise ValidationError(f"{path} cannot be written: {exc.strerror or exc}.") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


# --- the command ----------------------------------------------------------------------------


def _open(url: str) -> Database:
    """As ``list`` and ``check`` open it: never created, the day's backup made."""
    db = open_database(url, create=False)
    daily_backup(db)
    return db


def report_command(url: str, args: argparse.Namespace) -> int:
    if args.list and args.csv:
        raise ValidationError("--csv is for a run's report: --list prints a table.")
    db = _open(url)
    try:
        with db.reading() as session:
            runs = find_runs(session, args.user or current_login(), args.show, args.script)
        if args.list:
            text = list_text(runs)
            what = f"the runs of {runs.scope}"
        else:
            chosen = runs.run(args.run)
            report = show_report(db, runs.owner_id, chosen.run_id)
            text = report.to_csv() if args.csv else report.to_text()
            what = f"the report of run {chosen.number} of {runs.scope}"
    finally:
        db.dispose()
    if args.output:
        write_atomically(Path(args.output), text)
        print(f"Wrote {what} to {args.output}.")
    else:
        sys.stdout.write(text)
    return 0

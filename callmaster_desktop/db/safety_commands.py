"""The command-line subcommands that keep the data safe.

``add_commands`` registers them on ``callmaster``'s parser and returns their
handlers (``cli.py`` calls it):

- ``backup [--to FILE] [--list]``: back the database file up into its
  backups folder (or to FILE), or list the backups and what each holds;
- ``restore FILE [--yes]``: show what the backup holds, ask, then replace
  the database file with it (keeping a copy of the file as it was);
- ``check --repair``: make the safe repairs, then report what is left.

``daily_backup`` is what opening a database on the command line calls: the
day's backup, or a warning on standard error when it cannot be made.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from callmaster_desktop.db.backup import (
    backup_on_open,
    backups_folder,
    create_backup,
    database_file,
    list_backups,
    thin_backups,
)
from callmaster_desktop.db.backup_contents import describe_backup, validate_backup
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import SchemaState, open_database, schema_state
from callmaster_desktop.db.repair import repair_database
from callmaster_desktop.db.restore import restore
from callmaster_desktop.errors import CallMasterError, DatabaseError

Handler = Callable[[str, argparse.Namespace], int]
AddCommand = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: AddCommand, check: argparse.ArgumentParser) -> dict[str, Handler]:
    """Register ``backup`` and ``restore``, and ``--repair`` on ``check``; return the handlers."""
    check.add_argument(
        "--repair",
        action="store_true",
        help="first make the safe repairs (row numbering, rows away from their group, "
        "guests in nobody's crew), then report what still needs you",
    )
    p = command("backup", "back the database file up (into <name>.backups beside it)")
    p.add_argument("--to", metavar="FILE", help="write the backup to this new file instead")
    p.add_argument("--list", action="store_true", help="list the backups and what each holds")
    p = command("restore", "replace the database file with a backup (shows what it holds first)")
    p.add_argument("file", metavar="FILE", help="a backup file, or a name from `backup --list`")
    p.add_argument("--yes", action="store_true", help="replace without asking")
    return {"backup": backup_command, "restore": restore_command}


def daily_backup(db: Database) -> None:
    """The day's backup of a database just opened; a warning (not a failure) when impossible."""
    try:
        backup_on_open(db)
    except CallMasterError as exc:
        print(f"callmaster: warning: today's backup was not made: {exc}", file=sys.stderr)


def backup_command(url: str, args: argparse.Namespace) -> int:
    target = database_file(url)
    if args.list:
        return _list(target)
    state, _ = schema_state(url)
    if state not in (SchemaState.CURRENT, SchemaState.OLDER):
        raise DatabaseError(f"{target} holds no CallMaster data: there is nothing to back up.")
    made = create_backup(target, to=Path(args.to) if args.to else None)
    if args.to is None:
        thin_backups(target)
    print(f"Backed up {target} to {made.path}: {describe_backup(made.path).summary()}.")
    return 0


def _list(target: Path) -> int:
    backups = list_backups(target)
    if not backups:
        print(f"There are no backups of {target} yet (in {backups_folder(target)}).")
        return 0
    print(f"Backups of {target}, newest first (in {backups_folder(target)}):")
    for b in backups:
        try:
            holds = describe_backup(b.path).summary()
        except CallMasterError as exc:
            holds = f"cannot be read: {exc}"
        print(f"  {b.path.name}\n      {b.when_text}, {b.reason_text.lower()}: {holds}")
    return 0


def find_backup(name: str, target: Path) -> Path:
    """A backup named on the command line: a path, or a file in the backups folder."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    in_folder = backups_folder(target) / name
    if in_folder.is_file():
        return in_folder
    raise DatabaseError(
        f"There is no backup called {name} (callmaster backup --list shows the backups)."
    )


def restore_command(url: str, args: argparse.Namespace) -> int:
    target = database_file(url)
    backup = find_backup(args.file, target)
    contents = validate_backup(backup)
    print("The backup holds:")
    for line in contents.lines():
        print(f"  {line}")
    print(
        f"Restoring replaces {target} with it; the file as it is now is kept in "
        f"{backups_folder(target)}."
    )
    if not args.yes and not _confirmed("Replace it? [y/N] "):
        print("Nothing was changed.")
        return 1
    result = restore(backup, target)
    print(f"Restored {target} from {backup.name}.")
    if result.safety_copy is not None:
        print(f"The database as it was is kept as {result.safety_copy.path}.")
    return 0


def _confirmed(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def repair_command(url: str, args: argparse.Namespace) -> int:
    """``check --repair``: repair, print what was done and what is left; 1 if anything is."""
    db = open_database(url, create=False)
    try:
        report = repair_database(db)
        for line in report.lines():
            print(line)
        if report.clean:
            print(f"{db.description}: no problems left.")
        else:
            print(f"{len(report.remaining)} problem(s) in {db.description} need you.")
    finally:
        db.dispose()
    return 0 if report.clean else 1

"""The ``callmaster`` command line.

``callmaster`` alone opens the application. Every subcommand takes
``--database URL`` (a file path, ``sqlite:///...`` or ``postgresql://...``);
the default is ``$CALLMASTER_DATABASE_URL`` or the local SQLite file in the
user's data folder.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from callmaster_desktop import __version__
from callmaster_desktop.calling.commands import add_commands as add_report_commands
from callmaster_desktop.db.engine import Database, default_database_url
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.migrate import SchemaState, open_database, schema_state
from callmaster_desktop.db.safety_commands import add_commands as add_safety_commands
from callmaster_desktop.db.safety_commands import daily_backup, repair_command
from callmaster_desktop.errors import CallMasterError
from callmaster_desktop.formats.commands import add_commands as add_transfer_commands
from callmaster_desktop.listing import KINDS, list_items
from callmaster_desktop.profile import current_login, find_or_create_profile
from callmaster_desktop.sample import load_sample_show, sample_show_data


def _add_database(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        default=default,
        help="database file or URL (default: $CALLMASTER_DATABASE_URL or the local file)",
    )
    parser.add_argument(
        "--user", metavar="LOGIN", default=default, help="act as this login (default: you)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callmaster", description="CallMaster Desktop: calling scripts for stage managers."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_database(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_database(p, argparse.SUPPRESS)
        return p

    command("open", "open the application (the same as no command)")
    command("init", "create a database, or upgrade an older one (after a backup)")
    command("demo", "load the sample show into the database")
    check = command("check", "check the database's integrity and every rule of the data")
    check.add_argument("--stats", action="store_true", help="print the layer's metrics too")
    command("stats", "print commit/rollback counts, slowest statements and pool use")
    lister = command("list", "print what the database holds")
    lister.add_argument("kind", choices=KINDS)
    lister.add_argument("--show", metavar="NAME", help="only this show's scripts or elements")
    lister.add_argument("--script", metavar="NAME", help="only this script's elements")
    lister.add_argument("--json", action="store_true", help="print JSON (the default)")
    COMMANDS.update(add_transfer_commands(command))
    COMMANDS.update(add_safety_commands(command, check))
    COMMANDS.update(add_report_commands(command))
    return parser


def _open(url: str, *, create: bool = True) -> Database:
    db = open_database(url, create=create)
    daily_backup(db)
    return db


def _cmd_init(url: str, args: argparse.Namespace) -> int:
    state, revision = schema_state(url)
    db = _open(url)
    try:
        find_or_create_profile_in(db, args.user)
        if state is SchemaState.MISSING:
            print(f"Created {db.description}.")
        elif state is SchemaState.OLDER:
            print(f"Upgraded {db.description} from schema {revision}.")
        else:
            print(f"{db.description} is up to date.")
    finally:
        db.dispose()
    return 0


def find_or_create_profile_in(db: Database, login: str | None) -> Any:
    with db.unit_of_work() as session:
        return find_or_create_profile(session, login or current_login())


def _cmd_demo(url: str, args: argparse.Namespace) -> int:
    db = _open(url)
    try:
        name = sample_show_data()["show"]["name"]
        try:
            with db.unit_of_work() as session:
                owner = find_or_create_profile(session, args.user or current_login())
                show = load_sample_show(session, owner)
                show_name = show.name
        except CallMasterError as exc:
            if name in str(exc):
                print(f'The sample show "{name}" is already in {db.description}.')
                return 0
            raise
        print(f'Loaded the sample show "{show_name}" into {db.description}.')
    finally:
        db.dispose()
    return 0


def _cmd_check(url: str, args: argparse.Namespace) -> int:
    if args.repair:
        return repair_command(url, args)
    db = _open(url, create=False)
    try:
        problems = check_database(db)
        for problem in problems:
            print(f"PROBLEM [{problem.code}] {problem.message}")
        if problems:
            print(f"{len(problems)} problem(s) found in {db.description}.")
        else:
            print(f"{db.description}: no problems found.")
        if args.stats:
            _print_stats(db)
    finally:
        db.dispose()
    return 1 if problems else 0


def _print_stats(db: Database) -> None:
    m = db.metrics
    print(
        f"commits: {m.commits}  failed or refused writes: {m.failed_writes}  "
        f"rollbacks (reads included): {m.rollbacks}  statements: {m.statements}  "
        f"statement errors: {m.statement_errors}"
    )
    print(f"time in statements: {m.statement_seconds * 1000:.1f} ms")
    print(f"pool: {json.dumps(db.pool_status())}")
    for slow in m.slowest():
        print(f"  {slow.seconds * 1000:8.2f} ms  {slow.statement[:120]}")


def _cmd_stats(url: str, args: argparse.Namespace) -> int:
    db = _open(url, create=False)
    try:
        find_or_create_profile_in(db, args.user)
        with db.reading() as session:
            owner = find_or_create_profile(session, args.user or current_login())
            for kind in KINDS:
                list_items(session, owner.id, kind)
        _print_stats(db)
    finally:
        db.dispose()
    return 0


def _cmd_list(url: str, args: argparse.Namespace) -> int:
    db = _open(url, create=False)
    try:
        owner = find_or_create_profile_in(db, args.user)
        with db.reading() as session:
            items = list_items(session, owner.id, args.kind, show=args.show, script=args.script)
        json.dump(items, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    finally:
        db.dispose()
    return 0


def _cmd_open(url: str, args: argparse.Namespace) -> int:
    # The ground floor never imports Qt itself; the window lives in ``ui``.
    app = importlib.import_module("ui.app")
    result: int = app.run(url, login=args.user)
    return result


COMMANDS: dict[str, Callable[[str, argparse.Namespace], int]] = {
    "open": _cmd_open,
    "init": _cmd_init,
    "demo": _cmd_demo,
    "check": _cmd_check,
    "stats": _cmd_stats,
    "list": _cmd_list,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    url = args.database or default_database_url()
    command = args.command or "open"
    try:
        return COMMANDS[command](url, args)
    except CallMasterError as exc:
        print(f"callmaster: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""The command-line subcommands that move scripts and shows in and out.

``add_commands`` registers them on ``callmaster``'s parser and returns their
handlers; ``cli.py`` calls it, so this module owns everything about them:

- ``import-csv FILE --show NAME [--script NAME]``: a new script from a
  spreadsheet; exits 1 listing every problem when the file is refused;
- ``export-csv --show NAME --script NAME [--department INITIALS ...] [-o FILE]``;
- ``export-pdf --show NAME --script NAME [--department INITIALS] [-o FILE]``
  (the layout is Qt's: ``ui.printing`` is imported only here, by name);
- ``export-show --show NAME -o FILE`` and ``import-show FILE [--as-copy|--update]``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.migrate import open_database
from callmaster_desktop.formats import package, package_file, package_import
from callmaster_desktop.formats.csv_export import export_named_script_csv, write_csv_file
from callmaster_desktop.formats.csv_import import ImportRefusedError, import_csv
from callmaster_desktop.formats.report_data import find_script
from callmaster_desktop.profile import ensure_profile

Handler = Callable[[str, argparse.Namespace], int]
AddCommand = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: AddCommand) -> dict[str, Handler]:
    """Register the subcommands with ``command(name, help)``; return their handlers."""
    p = command("import-csv", "import a spreadsheet (CSV) as a new script of a show")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--show", metavar="NAME", required=True)
    p.add_argument("--script", metavar="NAME", help="the new script's name (default: the file's)")
    p.add_argument(
        "--create-departments",
        action="store_true",
        help="create departments the file names that you do not have",
    )
    p.add_argument("--encoding", help="utf-8, utf-8-sig, utf-16 or cp1252 (default: detected)")
    p.add_argument("--delimiter", help="',', ';' or 'tab' (default: detected)")

    p = command("export-csv", "write a script as CSV (all departments, or some)")
    _script_arguments(p)
    p.add_argument("--department", metavar="INITIALS", nargs="+", default=[])
    p.add_argument("-o", "--output", metavar="FILE", help="the file (default: print it)")

    p = command("export-pdf", "write a calling script, or a department's cue sheet, as PDF")
    _script_arguments(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--department", metavar="INITIALS", help="a cue sheet for this department")
    which.add_argument(
        "--every-department",
        action="store_true",
        help="a cue sheet for each department, one file each, in the -o folder",
    )
    p.add_argument("-o", "--output", metavar="FILE", help='default: "<show> - <script>.pdf"')

    p = command("export-show", "write a whole show to one file, to take it elsewhere")
    p.add_argument("--show", metavar="NAME", required=True)
    p.add_argument("-o", "--output", metavar="FILE", required=True)

    p = command("import-show", "bring in a show from a file written by export-show")
    p.add_argument("file", metavar="FILE")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--as-copy", action="store_true", help="import it as a new copy")
    mode.add_argument(
        "--update", action="store_true", help="update the show here (refused if changed here)"
    )
    return {
        "import-csv": _cmd_import_csv,
        "export-csv": _cmd_export_csv,
        "export-pdf": _cmd_export_pdf,
        "export-show": _cmd_export_show,
        "import-show": _cmd_import_show,
    }


def _script_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--show", metavar="NAME", required=True)
    p.add_argument("--script", metavar="NAME", required=True)


def _open(url: str, args: argparse.Namespace) -> tuple[Database, uuid.UUID]:
    db = open_database(url, create=False)
    try:
        return db, ensure_profile(db, args.user).id
    except BaseException:
        db.dispose()
        raise


def _cmd_import_csv(url: str, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"callmaster: {path} cannot be read: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    delimiter = "\t" if args.delimiter in ("tab", "\\t") else args.delimiter
    db, owner = _open(url, args)
    try:
        result = import_csv(
            db,
            owner,
            data,
            show_name=args.show,
            script_name=args.script,
            source_name=path.name,
            create_departments=args.create_departments,
            encoding=args.encoding,
            delimiter=delimiter,
        )
    except ImportRefusedError as exc:
        print(f"{path.name} was not imported: {len(exc.problems)} problem(s).", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    made = "".join(
        f"\nCreated the department {d.name} ({d.initials})." for d in result.created_departments
    )
    print(f'Imported {result.rows} rows into "{result.script_name}" of {args.show}.{made}')
    return 0


def _cmd_export_csv(url: str, args: argparse.Namespace) -> int:
    db, owner = _open(url, args)
    try:
        text = export_named_script_csv(
            db, owner, args.show, args.script, departments=args.department
        )
    finally:
        db.dispose()
    if args.output:
        write_csv_file(args.output, text)
        print(f"Wrote {args.output}.")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_export_pdf(url: str, args: argparse.Namespace) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    printing = importlib.import_module("ui.printing.script_pdf")
    printing.ensure_gui()
    db, owner = _open(url, args)
    try:
        if args.every_department:
            folder = Path(args.output or ".")
            with db.reading() as session:
                script_id = find_script(session, owner, args.show, args.script)
            written: list[Path] = printing.export_cue_sheets(db, owner, script_id, folder)
            for path in written:
                print(f"Wrote {path}.")
            return 0
        output = args.output or f"{args.show} - {args.script}.pdf".replace("/", "-")
        pages: int = printing.export_script_pdf(
            db, owner, args.show, args.script, output, department=args.department
        )
    finally:
        db.dispose()
    print(f"Wrote {output} ({pages} page{'s' if pages != 1 else ''}).")
    return 0


def _cmd_export_show(url: str, args: argparse.Namespace) -> int:
    db, owner = _open(url, args)
    try:
        summary = package_file.export_show_file(db, owner, args.show, args.output)
    finally:
        db.dispose()
    print(f"Wrote {args.output}: {summary}.")
    return 0


def _cmd_import_show(url: str, args: argparse.Namespace) -> int:
    mode = (
        package.ImportMode.COPY
        if args.as_copy
        else package.ImportMode.UPDATE
        if args.update
        else package.ImportMode.NEW
    )
    db = open_database(url)
    try:
        owner = ensure_profile(db, args.user).id
        result = package_import.import_show_file(db, owner, args.file, mode)
    except package.PackageConflictError as exc:
        print(f"callmaster: {exc}", file=sys.stderr)
        for conflict in exc.conflicts:
            print(f"  {conflict}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(result.sentence)
    return 0

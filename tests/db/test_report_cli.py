"""``callmaster report`` on both databases, from runs recorded by the calling engine.

The runs are called through the real engine with its recorder writing the
run log; the command is called through ``main(argv)``. The local time zone
is set to UTC+05:30 so that the times printed can only be right if they were
converted to it.
"""

from __future__ import annotations

import csv
import io
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from callmaster_desktop.calling.clock import FakeClock
from callmaster_desktop.calling.report import show_report
from callmaster_desktop.calling.runlog import start_recorded_run
from callmaster_desktop.cli import main
from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.models import Person, Script
from callmaster_desktop.domain.enums import RunKind
from callmaster_desktop.sample import load_sample_show
from callmaster_desktop.services.scripts import duplicate_script
from tests.support.faults import dump_tables

MINUTE = 60_000
FIRST_START = datetime(2027, 3, 12, 19, 0, tzinfo=UTC)  # 2027-03-13 00:30 at UTC+05:30
SECOND_START = datetime(2027, 3, 14, 13, 15, tzinfo=UTC)  # 2027-03-14 18:45
THIRD_START = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)  # 2027-03-15 14:30


@pytest.fixture(autouse=True)
def local_time_zone() -> Iterator[None]:
    """The machine's zone is UTC+05:30 (a POSIX rule: no zone database needed)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "IST-5:30"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class Called:
    """What one recorded run did, to compare the output with."""

    run_id: uuid.UUID
    called: list[str]
    skipped: str | None
    late: str | None


def _call(
    db: Database,
    owner: Person,
    script_id: uuid.UUID,
    start: datetime,
    *,
    kind: RunKind = RunKind.PERFORMANCE,
    moments: int | None = None,
    note: str | None = None,
) -> Called:
    """Call a run: a skip at the 4th moment, a 3-minute hold before the 6th, one cue 8 s late.

    ``moments``: stop after that many (the run is left unfinished, as after a
    crash); None: call to the end and finish.
    """
    clock = FakeClock(start)
    engine, recorder = start_recorded_run(db, owner.id, script_id, clock, kind=kind)
    engine.start_now()
    called: list[str] = []
    skipped = late = None
    moment = 0
    while not engine.at_end and (moments is None or moment < moments):
        cues = engine.next_moment()
        if moment == 3:
            skipped = cues[0].label
            engine.skip()
            moment += 1
            continue
        if moment == 5:
            engine.hold("Lift stuck")
            clock.advance(3 * MINUTE)
            engine.resume()
        show = engine.show_ms()
        assert show is not None
        shift = 8_000 if moment == 7 else 0
        clock.advance(max(300, cues[0].offset_ms + shift - show))
        outcome = engine.go()
        assert outcome.accepted, outcome.refused
        if moment == 7:
            late = outcome.calls[0].cue.label
        called += [c.cue.label for c in outcome.calls]
        moment += 1
    if note:
        engine.add_note(note)
    if moments is None:
        clock.advance(MINUTE)
        engine.finish()
    return Called(recorder.run_id, called, skipped, late)


@dataclass
class Recorded:
    show_id: uuid.UUID
    tech: uuid.UUID  # "Tech Script"
    rehearsal: uuid.UUID  # "Tech Rehearsal", a copy
    runs: list[Called]  # as numbered: run 1 first


@pytest.fixture
def recorded(db: Database, owner: Person) -> Recorded:
    """Macbeth with two scripts and three runs.

    1. "Tech Script", a performance called to the end, with a note;
    2. "Tech Rehearsal", a rehearsal called to the end;
    3. "Tech Script", a rehearsal stopped after ten moments (never ended).
    """
    with db.unit_of_work() as s:
        show = load_sample_show(s, owner)
        s.flush()
        show_id = show.id
    with db.reading() as s:
        tech = s.scalar(select(Script.id).where(Script.show_id == show_id))
    assert tech is not None
    duplicate_script(db, owner.id, tech, name="Tech Rehearsal")
    with db.reading() as s:
        rehearsal = s.scalar(select(Script.id).where(Script.name == "Tech Rehearsal"))
    assert rehearsal is not None
    runs = [
        _call(db, owner, tech, FIRST_START, note="Lovely house tonight"),
        _call(db, owner, rehearsal, SECOND_START, kind=RunKind.REHEARSAL),
        _call(db, owner, tech, THIRD_START, kind=RunKind.REHEARSAL, moments=10),
    ]
    return Recorded(show_id, tech, rehearsal, runs)


def _table(out: str) -> list[list[str]]:
    """The rows of ``--list`` under its header, split on runs of two spaces."""
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["Run", "Started", "Ended"], out
    return [[c.strip() for c in line.strip().split("  ") if c.strip()] for line in lines[2:]]


def test_list_shows_every_run_newest_first_in_local_time(
    db_url: str, recorded: Recorded, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "report", "--show", "Macbeth", "--list", "--database", db_url)
    assert code == 0, err
    assert out.startswith('Runs of "Macbeth", newest first')
    rows = _table(out)
    assert [r[0] for r in rows] == ["3", "2", "1"]
    third, second, first = rows
    assert first[:5] == [
        "1", "2027-03-13 00:30", first[2], "Tech Script", "performance",
    ]  # fmt: skip
    assert first[2].startswith("2027-03-13 0")  # ended a few hours later, local date
    assert first[5:] == [str(len(set(recorded.runs[0].called))), "1", "1 (3:00)"]
    assert second[1] == "2027-03-14 18:45" and second[3:5] == ["Tech Rehearsal", "rehearsal"]
    assert third[1:5] == ["2027-03-15 14:30", "not finished", "Tech Script", "rehearsal"]
    assert third[5:] == [str(len(set(recorded.runs[2].called))), "1", "1 (3:00)"]

    # One script only: its runs, numbered among themselves.
    code, out, _ = run(
        capsys, "report", "--show", "macbeth", "--script", "tech script", "--list",
        "--database", db_url,
    )  # fmt: skip
    assert code == 0
    assert out.startswith('Runs of the script "Tech Script" of "Macbeth"')
    rows = _table(out)
    assert [(r[0], r[1]) for r in rows] == [("2", "2027-03-15 14:30"), ("1", "2027-03-13 00:30")]
    # A part of a name is enough when only one script has it.
    code, out, _ = run(
        capsys, "report", "--show", "Macbeth", "--script", "rehears", "--list",
        "--database", db_url,
    )  # fmt: skip
    assert code == 0 and [r[:2] for r in _table(out)] == [["1", "2027-03-14 18:45"]]


def test_the_latest_run_and_run_n_as_text(
    db: Database, owner: Person, db_url: str, recorded: Recorded,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    code, out, err = run(capsys, "report", "--show", "Macbeth", "--database", db_url)
    assert code == 0, err
    # The latest run is the unfinished rehearsal of run 3.
    assert out.startswith("Show report: Macbeth, Tech Script (rehearsal)\n")
    assert "Status: running" in out and "Curtain up 14:30:00 " in out
    assert out == show_report(db, owner.id, recorded.runs[2].run_id).to_text()

    first = recorded.runs[0]
    code, out, _ = run(capsys, "report", "--show", "Macbeth", "--run", "1", "--database", db_url)
    assert code == 0
    assert out.startswith("Show report: Macbeth, Tech Script (performance)\n")
    assert "Status: complete" in out
    assert "Curtain up 00:30:00 " in out  # 19:00 UTC, in the local zone
    assert "Holds: 1, 3:00 in all" in out and "Lift stuck" in out
    assert first.skipped and f"Skipped: 1\n  {first.skipped} (planned" in out
    assert first.late and f"  {first.late} (planned" in out.split("Late by more than")[1]
    assert "Lovely house tonight" in out
    assert "Not called: 0" in out

    # Run 2 is the only run of "Tech Rehearsal": as run 2 of the show, or run 1 of the script.
    code, by_show, _ = run(
        capsys, "report", "--show", "Macbeth", "--run", "2", "--database", db_url
    )
    code2, by_script, _ = run(
        capsys, "report", "--show", "Macbeth", "--script", "Tech Rehearsal", "--run", "1",
        "--database", db_url,
    )  # fmt: skip
    assert code == code2 == 0
    assert by_show == by_script and by_show.startswith("Show report: Macbeth, Tech Rehearsal ")


def test_the_report_as_csv(
    db_url: str, recorded: Recorded, capsys: pytest.CaptureFixture[str]
) -> None:
    first = recorded.runs[0]
    code, out, err = run(
        capsys, "report", "--show", "Macbeth", "--run", "1", "--csv", "--database", db_url
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    summary = {r["description"]: r["note"] for r in rows if r["record"] == "summary"}
    assert summary["Show"] == "Macbeth" and summary["Script"] == "Tech Script"
    assert summary["Status"] == "complete" and summary["Kind"] == "performance"
    assert summary["Curtain up"] == "2027-03-13T00:30:00.000+05:30"
    assert summary["All holds"] == "3:00"
    cues = [r for r in rows if r["record"] == "cue"]
    assert [r["cue"] for r in cues if r["outcome"] == "called"] == first.called
    assert [r["cue"] for r in cues if r["outcome"] == "skipped"] == [first.skipped]
    assert all(r["time"].endswith("+05:30") for r in cues)
    late = next(r for r in cues if r["cue"] == first.late)
    assert late["difference"].startswith("+0:08")
    assert [r["note"] for r in rows if r["record"] == "hold"] == ["Lift stuck"]
    assert [r["note"] for r in rows if r["record"] == "note"] == ["Lovely house tonight"]


def test_output_to_a_file_replaces_it_whole(
    db_url: str, recorded: Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.csv"
    target.write_text("an older report, much longer than anything\n" * 1000)
    code, printed, _ = run(
        capsys, "report", "--show", "Macbeth", "--run", "1", "--csv", "--database", db_url
    )
    code, out, err = run(
        capsys, "report", "--show", "Macbeth", "--run", "1", "--csv", "-o", str(target),
        "--database", db_url,
    )  # fmt: skip
    assert code == 0, err
    assert out == f'Wrote the report of run 1 of "Macbeth" to {target}.\n'
    assert target.read_text(encoding="utf-8") == printed
    assert sorted(p.name for p in folder.iterdir()) == ["report.csv"]  # no temporary left

    listing = folder / "runs.txt"
    code, out, _ = run(
        capsys, "report", "--show", "Macbeth", "--list", "-o", str(listing), "--database", db_url
    )
    assert code == 0 and str(listing) in out
    assert listing.read_text(encoding="utf-8").startswith('Runs of "Macbeth", newest first')

    # A folder that is not there: a sentence, and nothing made.
    missing = tmp_path / "nowhere" / "report.txt"
    code, out, err = run(
        capsys, "report", "--show", "Macbeth", "-o", str(missing), "--database", db_url
    )
    assert code == 2 and out == ""
    assert err.startswith(f"callmaster: {missing} cannot be written: ")
    assert not missing.parent.exists()


def test_each_error_is_a_sentence_and_nothing_is_written(
    db: Database, db_url: str, recorded: Recorded, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump_tables(db)

    def refused(*argv: str) -> str:
        code, out, err = run(capsys, "report", *argv, "--database", db_url)
        assert code == 2, (out, err)
        assert out == ""
        assert err.startswith("callmaster: ") and err.endswith(".\n") and err.count("\n") == 1
        return err

    err = refused("--show", "Hamlet")
    assert 'You have no show called "Hamlet". Your shows: "Macbeth".' in err
    err = refused("--show", "Macbeth", "--run", "4")
    assert '"Macbeth" has no run 4: it has runs 1 to 3' in err
    err = refused("--show", "Macbeth", "--run", "0")
    assert "has no run 0" in err
    err = refused("--show", "Macbeth", "--script", "Tech Rehearsal", "--run", "2")
    assert 'The script "Tech Rehearsal" of "Macbeth" has no run 2: it has only run 1' in err
    err = refused("--show", "Macbeth", "--script", "tech")
    assert 'More than one script matches "tech": "Tech Rehearsal", "Tech Script".' in err
    assert "--script" in err
    err = refused("--show", "Macbeth", "--script", "Dress")
    assert '"Macbeth" has no script called "Dress". Its scripts: "Tech Rehearsal", ' in err
    err = refused("--show", "Macbeth", "--list", "--csv")
    assert "--csv" in err
    # Someone the database does not know has no shows (and is not added).
    err = refused("--show", "Macbeth", "--user", "someone-else")
    assert 'You have no shows yet, so none called "Macbeth".' in err

    for argv in (["--list"], ["--run", "1"], ["--csv"]):
        code, _, _ = run(capsys, "report", "--show", "Macbeth", *argv, "--database", db_url)
        assert code == 0
    assert dump_tables(db) == before


def test_a_show_never_called(
    db: Database, owner: Person, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.unit_of_work() as s:
        load_sample_show(s, owner)
    code, out, err = run(capsys, "report", "--show", "Macbeth", "--database", db_url)
    assert code == 2 and out == ""
    assert err == 'callmaster: "Macbeth" has no runs yet: it has not been called.\n'
    code, out, err = run(
        capsys, "report", "--show", "Macbeth", "--script", "Tech Script", "--run", "1",
        "--database", db_url,
    )  # fmt: skip
    assert code == 2
    assert 'The script "Tech Script" of "Macbeth" has no runs yet' in err
    # Listing nothing is not an error: it says there is nothing.
    code, out, _ = run(capsys, "report", "--show", "Macbeth", "--list", "--database", db_url)
    assert code == 0 and out == '"Macbeth" has no runs yet: it has not been called.\n'


def test_a_database_that_is_not_there_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "none.sqlite"
    code, out, err = run(capsys, "report", "--show", "Macbeth", "--database", str(path))
    assert code == 2 and out == ""
    assert "holds no CallMaster data yet" in err and "callmaster init" in err
    assert not path.exists()

"""How fast the script editor is at 1,000, 10,000 and 100,000 rows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_script_editor.py [SIZES...]

Each size runs in its own process (so peak memory is that size's alone) on
a fresh SQLite file holding one show with a script of that many rows
(acts, scenes, cues of seven departments, notes). Measured, in the window
as a stage manager sees it (1500 x 900, offscreen):

- open: from asking for the script to the first rows painted (load from the
  database, the engine's state, the table model, the window);
- page: one page of scrolling (jump anywhere and repaint the whole table), the
  mean over many pages spread through the script; row: one row's scroll (the
  usual wheel step: the table moves its pixels and paints the new row);
- filter / show all: typing a filter word until the matches are painted,
  and clearing it again;
- edit: one typed cell (engine command, crash journal, model sync, repaint);
- save 1: Ctrl+S after that one edit; save all: shift every row's time, then save;
- cpu: this process's CPU milliseconds for open, save 1 and save all (steady
  on a machine shared with other work, where the wall clock is not);
- peak MB: the process's peak resident memory (Python, Qt and SQLite, the
  100,000-row build included), and Python's own peak allocations while the
  script is opened once more (traced apart, as tracing slows Python down).

Ratios compare each size with the one ten times smaller: 10 means linear.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (1_000, 10_000, 100_000)
PAGES = 40
ROWS = 60


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def measure(count: int) -> dict[str, float]:
    """Every figure for one size (runs in a child process)."""
    folder = Path(tempfile.mkdtemp(prefix="cm-bench-editor-"))
    os.environ["CALLMASTER_DATA_DIR"] = str(folder / "data")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from PySide6.QtCore import QEvent, QObject

    from benchmarks.script_factory import make_script
    from callmaster_desktop.db.migrate import open_database, upgrade
    from callmaster_desktop.editing import EditSession, ShiftTimes
    from ui.app import ensure_application
    from ui.script_editor.editor import ScriptEditor
    from ui.script_editor.filtering import RowFilter
    from ui.script_editor.rows import Col

    app = ensure_application()
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade(url)
    db = open_database(url)
    started = time.perf_counter()
    built = make_script(db, count)
    build_s = time.perf_counter() - started
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.done = True
            return False

    painted = FirstPaint()
    cpu = time.process_time()
    started = time.perf_counter()
    session = EditSession.open(db, built.owner_id, built.script_id, journal=False)
    editor = ScriptEditor(db, session)
    editor.resize(1500, 900)
    editor.view.viewport().installEventFilter(painted)
    editor.show()
    while not painted.done:
        app.processEvents()
    open_s = time.perf_counter() - started
    open_cpu = time.process_time() - cpu
    view, model = editor.view, editor.model

    bar = view.verticalScrollBar()
    started = time.perf_counter()
    for page in range(PAGES):
        bar.setValue(bar.maximum() * page // PAGES)
        view.viewport().repaint()
    page_s = (time.perf_counter() - started) / PAGES
    bar.setValue(bar.maximum() // 2)
    view.viewport().repaint()
    app.processEvents()
    started = time.perf_counter()
    for _ in range(ROWS):
        bar.setValue(bar.value() + 1)  # the table scrolls its pixels and paints the new row
        app.processEvents()
    row_s = (time.perf_counter() - started) / ROWS

    started = time.perf_counter()
    editor.set_filter(RowFilter(text="thunder"))
    view.viewport().repaint()
    filter_s = time.perf_counter() - started
    shown = model.rowCount()
    started = time.perf_counter()
    editor.set_filter(RowFilter())
    view.viewport().repaint()
    unfilter_s = time.perf_counter() - started

    cue = next(e for e in model.shown[count // 2 :] if e.cue_number)
    view.scrollTo(model.index(model.row_of(cue.id), Col.NAME))
    started = time.perf_counter()
    editor.edit_cell(cue.id, Col.NAME, "Thunder, louder")
    view.viewport().repaint()
    edit_s = time.perf_counter() - started
    cpu = time.process_time()
    started = time.perf_counter()
    saved_one = editor.save()
    save_one_s = time.perf_counter() - started
    save_one_cpu = time.process_time() - cpu
    top = [e.id for e in model.elements if e.parent_id is None]
    editor.run(ShiftTimes(top, "+0:05"))
    cpu = time.process_time()
    started = time.perf_counter()
    saved_all = editor.save()
    save_all_s = time.perf_counter() - started
    save_all_cpu = time.process_time() - cpu
    assert saved_one and saved_all, editor.message_bar.message
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    editor._closing_confirmed = True
    editor.close()
    app.processEvents()
    # Python's own allocations for opening the script once more (traced apart: tracing
    # slows Python down, so it never runs while something is being timed).
    tracemalloc.start()
    again = ScriptEditor(db, EditSession.open(db, built.owner_id, built.script_id, journal=False))
    again.show()
    app.processEvents()
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    again._closing_confirmed = True
    again.close()
    app.processEvents()
    db.dispose()
    return {
        "rows": count,
        "build_s": round(build_s, 2),
        "open_ms": _ms(open_s),
        "open_cpu_ms": _ms(open_cpu),
        "page_ms": _ms(page_s),
        "row_ms": _ms(row_s),
        "filter_ms": _ms(filter_s),
        "filter_shown": shown,
        "unfilter_ms": _ms(unfilter_s),
        "edit_ms": _ms(edit_s),
        "save_one_ms": _ms(save_one_s),
        "save_one_cpu_ms": _ms(save_one_cpu),
        "save_all_ms": _ms(save_all_s),
        "save_all_cpu_ms": _ms(save_all_cpu),
        "peak_mb": round(peak_kb / 1024, 1),
        "baseline_mb": round(baseline_kb / 1024, 1),
        "python_peak_mb": round(python_peak / 2**20, 1),
    }


COLUMNS = (
    ("rows", "rows", "{:,}"),
    ("open_ms", "open→paint ms", "{:.0f}"),
    ("open_cpu_ms", "cpu", "{:.0f}"),
    ("page_ms", "page ms", "{:.1f}"),
    ("row_ms", "row ms", "{:.1f}"),
    ("filter_ms", "filter ms", "{:.0f}"),
    ("unfilter_ms", "show all ms", "{:.0f}"),
    ("edit_ms", "edit ms", "{:.1f}"),
    ("save_one_ms", "save 1 ms", "{:.0f}"),
    ("save_one_cpu_ms", "cpu", "{:.0f}"),
    ("save_all_ms", "save all ms", "{:.0f}"),
    ("save_all_cpu_ms", "cpu", "{:.0f}"),
    ("python_peak_mb", "py peak MB", "{:.1f}"),
    ("peak_mb", "peak RSS MB", "{:.0f}"),
)
RATIOS = ("open_ms", "filter_ms", "edit_ms", "save_all_ms", "python_peak_mb")


def table(results: list[dict[str, float]]) -> str:
    widths = [max(len(title), 5 if title == "cpu" else 9) for _, title, _ in COLUMNS]
    lines = ["  ".join(t.rjust(w) for (_, t, _), w in zip(COLUMNS, widths, strict=True))]
    for r in results:
        cells = [fmt.format(r[key]) for key, _, fmt in COLUMNS]
        lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    for smaller, bigger in itertools.pairwise(results):
        parts = []
        for key in RATIOS:
            base = smaller[key] or 0.1
            parts.append(f"{key.replace('_ms', '').replace('_mb', '')} ×{bigger[key] / base:.1f}")
        lines.append(f"{int(bigger['rows']):,} vs {int(smaller['rows']):,}: " + ", ".join(parts))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or list(SIZES)
    results = []
    for count in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(count)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stdout, child.stderr, file=sys.stderr)
            return child.returncode
        result = json.loads(child.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{count:>7,} rows: built in {result['build_s']} s, "
            f"filter showed {int(result['filter_shown']):,} rows",
            file=sys.stderr,
        )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

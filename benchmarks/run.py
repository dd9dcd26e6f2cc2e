"""Measure what users feel, each figure beside its baseline measured in the same run (issue 12).

`make bench` runs this file. Every process figure is measured in new processes, in interleaved
pairs (baseline, app; the order alternates from pair to pair so a burst of load on this shared
machine hits both sides), and reported as medians. Peak memory is the child's own `ru_maxrss`
(from `os.wait4` in a small launcher that forks it, see LAUNCHER), so the benchmark's own memory
never counts.

Rows (targets from issue 12):
- start to main window shown with the list filled, vs a bare PySide6 QMainWindow + QTableView
- `pia-app grade FILE --json` vs `python -c "import yaml, json"`
- `pia-app report FILE --out X.docx` of the largest example (absolute; beside LibreOffice's own
  conversion of the same report, the part of its layout pass that pia-app cannot make faster)
- open an assessment, page switch (in a new GUI process, the largest example)
- start with 10,000 assessments over the empty start; search-as-you-type over 10,000

The table is printed, written to benchmarks/results.json (figures, samples, ratios, machine) and
into benchmarks/RESULTS.md between its markers. `--quick` runs tiny sizes (the test suite uses it
to check that the benchmark runs; it asserts no timings).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "forms" / "face_voice" / "examples"
RESULTS_MD = ROOT / "benchmarks" / "RESULTS.md"
MD_START = "<!-- bench:start -->"
MD_END = "<!-- bench:end -->"

# --- child processes -------------------------------------------------------------------------
# Each GUI child prints time.monotonic() (one clock for all processes on Linux) at the first paint
# of a visible list (item view) holding the expected rows, and leaves with os._exit, so neither
# teardown nor work done after the list appeared (idle grading of rows) is counted on either side.

FIRST_PAINT = """
import os, sys, time

def done(rows):
    print(time.monotonic(), rows, flush=True)
    os._exit(0)

def make_probe(want):
    # The list counts as shown once the paint of its viewport, with the rows, has returned: the
    # next event Qt delivers after that paint ends the measurement.
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QAbstractItemView

    class FirstPaint(QObject):
        def __init__(self):
            super().__init__()
            self.rows = -1
        def eventFilter(self, obj, event):
            if self.rows >= 0:
                done(self.rows)
            if event.type() == QEvent.Type.Paint:
                view = obj.parent()
                if isinstance(view, QAbstractItemView) and obj is view.viewport() and view.isVisible():
                    model = view.model()
                    if model is not None and model.rowCount() >= want:
                        self.rows = model.rowCount()
            return False

    return FirstPaint()

def wait_for_paint(app, probe):
    app.installEventFilter(probe)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        app.processEvents()
        if probe.rows >= 0:
            done(probe.rows)
    os._exit(4)
"""

PATCH_EXEC = (Path(__file__).resolve().parent / "patch_exec.py").read_text("utf-8") + "\n"
"""The child's way to start `pia-app` with QApplication.exec replaced (shared with the start-up
import test, tests/gui/test_startup_imports.py)."""

BARE_GUI = (
    FIRST_PAINT
    + """
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
w = QMainWindow()
view = QTableView(w)
view.setModel(QStandardItemModel(0, 4, w))
w.setCentralWidget(view)
w.resize(960, 600)
w.show()
wait_for_paint(app, make_probe(0))
"""
)

# `pia-app` as users start it (cli.main, which imports Qt itself, after the store and the
# forms): as soon as PySide6.QtWidgets is loaded, QApplication.exec is replaced by the probe's
# wait (the window is shown before exec and painted inside it).
APP_GUI = (
    FIRST_PAINT
    + PATCH_EXEC
    + """
def fake_exec(*_args):
    from PySide6.QtWidgets import QApplication
    wait_for_paint(QApplication.instance(), make_probe(int(sys.argv[1])))

patch_exec(fake_exec)
from pia_app.cli import main
main([])  # as the desktop launcher starts it; the data folder comes from PIA_APP_DATA_DIR
os._exit(3)
"""
)

IMPORT_YAML_JSON = "import yaml, json"


def pia_app_command() -> list[str]:
    """The installed `pia-app` script beside this Python (what users run), else `-m pia_app`."""
    script = Path(sys.executable).with_name("pia-app")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pia_app"]


class Run:
    """One child process: wall time from spawn, its own peak RSS, what it printed."""

    def __init__(self, wall_s: float, peak_mib: float, stdout: str, cpu_s: float = 0.0) -> None:
        self.wall_s = wall_s
        self.peak_mib = peak_mib
        self.stdout = stdout
        self.cpu_s = cpu_s
        """CPU seconds of the child and the processes it waited for (LibreOffice's, for a report)."""


LAUNCHER = """
import os, sys, time
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
t1 = time.monotonic()
code = os.waitstatus_to_exitcode(status)
cpu = usage.ru_utime + usage.ru_stime
os.write(1, f"\\n{MARK} {t0!r} {t1!r} {usage.ru_maxrss} {code} {cpu!r}\\n".encode())
sys.exit(min(max(code, 0), 255) or (1 if code else 0))
"""
LAUNCH_MARK = "@pia-bench-launcher"
"""Children are started by a small launcher process that forks and execs them and reports their
own clock and peak memory. Linux counts in a child's peak RSS (`ru_maxrss`) the memory of the
process it was forked from, kept across exec: spawned straight from this benchmark (which has
imported PySide6 and pia_app, ~60 MiB), every child would show at least that, the bare Qt window
and `grade` included. The launcher's own ~10 MiB is the floor instead."""


def run_child(cmd: Sequence[str], env: dict[str, str], shown_clock: bool = False) -> Run:
    """Run `cmd` (through the launcher); with `shown_clock` the wall time ends at the monotonic
    time the child printed first."""
    launch = [sys.executable, "-c", LAUNCHER.replace("{MARK}", LAUNCH_MARK), *cmd]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(launch, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
        raw, _ = proc.communicate()
        out, _, tail_line = raw.decode("utf-8", "replace").rpartition(LAUNCH_MARK)
        if proc.returncode != 0 or not tail_line.strip():
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd[:3])}... exited {proc.returncode}:\n{tail}")
    t0, t1, maxrss_kib, _code, cpu = tail_line.split()
    wall = float(t1) - float(t0)
    if shown_clock:
        wall = float(out.split()[0]) - float(t0)
    return Run(wall, int(maxrss_kib) / 1024, out.rstrip("\n"), float(cpu))  # ru_maxrss: KiB on Linux


def interleaved(
    pairs: int, baseline: Callable[[], Run], app: Callable[[], Run]
) -> tuple[list[Run], list[Run]]:
    """`pairs` runs of each, alternating which goes first."""
    base_runs: list[Run] = []
    app_runs: list[Run] = []
    for i in range(pairs):
        if i % 2 == 0:
            base_runs.append(baseline())
            app_runs.append(app())
        else:
            app_runs.append(app())
            base_runs.append(baseline())
    return base_runs, app_runs


def rotated(rounds: int, *runs: Callable[[], Run]) -> tuple[list[Run], ...]:
    """`rounds` runs of each, the order rotating from round to round."""
    out: list[list[Run]] = [[] for _ in runs]
    for i in range(rounds):
        for k in range(len(runs)):
            j = (i + k) % len(runs)
            out[j].append(runs[j]())
    return tuple(out)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


# --- data --------------------------------------------------------------------------------------


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


def largest_example() -> Path:
    return max(example_files(), key=lambda p: p.stat().st_size)


def make_data_dir(folder: Path, count: int) -> list[int]:
    """A data folder with `count` assessments, answers taken in turn from the examples."""
    from pia_app.forms.loader import default_form
    from pia_app.interchange import load_assessment_file
    from pia_app.paths import db_path
    from pia_app.store.repository import Repository

    form = default_form()
    docs = [load_assessment_file(p, form) for p in example_files()]
    docs.sort(key=lambda d: -len(json.dumps(d.answers)))  # the largest first
    repo = Repository(db_path(folder), actor="bench")
    ids = []
    try:
        if count:  # someone with assessments has been asked their name (the first-run bar is hidden)
            repo.set_actor_name("王芳")
        for i in range(count):
            doc = docs[i % len(docs)]
            title = str(doc.metadata.get("title") or "评估")
            ids.append(repo.create(form.id, form.version, f"{title} {i + 1}", doc.answers))
    finally:
        repo.close()
    return ids


# --- the GUI probe: open, page switch, search (runs in its own process) ------------------------


def find_soffice() -> str | None:
    from pia_app.report.export import find_soffice as find

    return find()


def probe(data_dir: str, kind: str, query: str) -> dict[str, Any]:
    """Measure inside one GUI process started as `pia-app gui` starts (`configure_app`)."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    from pia_app.ui.app import configure_app
    from pia_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_app(app, "zh")
    window = MainWindow(Path(data_dir))
    window.show()
    app.processEvents()
    out: dict[str, Any] = {}
    if kind == "open-now":  # the user opens an assessment the instant the list appears
        aid = window.repo.list_assessments()[0].id
        _wizard, shown = _shown(app, lambda: window.open_assessment(aid), _current_page)
        out["open_first_ms"] = shown.first_ms
        out["open_settled_ms"] = shown.settled_ms
    elif kind == "wizard":
        idle_until = time.perf_counter() + 1.0  # the list has been on screen for a second
        while time.perf_counter() < idle_until:
            app.processEvents()
            time.sleep(0.005)
        out.update(_probe_wizard(app, window))
    else:
        box = _search_box(window, QLineEdit)
        out.update(_probe_search(app, window, box, query))
    window.close()
    return out


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _close_editor(app: Any, window: Any, wizard: Any) -> None:
    """Close an open assessment as the user does ("Save and close"), or the window of an old wizard."""
    closer = getattr(wizard, "save_and_close", None)
    if callable(closer):
        closer()
    else:
        wizard.close()
    app.processEvents()


def _pages(wizard: Any) -> list[int]:
    visible = getattr(wizard, "visible_page_ids", None)
    return list(visible()) if callable(visible) else list(wizard.pageIds())


QUIET_S = 0.1
"""A page counts as settled once its content has been painted and then not painted again for
this long (less than a text cursor's first blink, 0.5 s)."""


class Shown:
    """When a page was shown, in ms from the user's action: `first_ms`, the end of the action's
    call or of the event-loop round in which the page's content was first painted; `settled_ms`,
    the end of the last round that painted it again before it stayed QUIET_S unpainted (more
    layout and paint rounds after the first: widgets added a moment later, a scroll bar
    appearing, or the same picture painted once more)."""

    def __init__(self, first_ms: float, settled_ms: float, cpu_ms: float) -> None:
        self.first_ms = first_ms
        self.settled_ms = settled_ms
        self.cpu_ms = cpu_ms
        """CPU time of the GUI thread until the first paint: the work, less sensitive than the
        wall time to what else runs on this shared machine."""


def _paint_spy(painted: list[bool], watched: list[Any]) -> Any:
    """An application event filter that notes each paint in `painted`: True for the widget
    `watched[0]` or one inside it (for any widget while `watched` is empty), else False."""
    from PySide6.QtCore import QEvent, QObject

    class PaintSpy(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(not watched or obj is watched[0] or watched[0].isAncestorOf(obj))
            return False

    return PaintSpy()


def _shown(
    app: Any, action: Callable[[], Any], page_of: Callable[[Any], Any], inside: Any = None
) -> tuple[Any, Shown]:
    """Run `action` (open an assessment, switch a page), then turn the event loop until the
    page `page_of(result)` has been painted and has settled (see `Shown`): its scroll area's
    viewport or anything in it. Paints elsewhere (other panes, pages built in the background)
    do not count; while the action runs (an editor may paint its new page at once), paints
    inside the widget `inside` count (the editor's page stack), else any paint. Returns the
    action's result and the times."""
    watched: list[Any] = [inside] if inside is not None else []
    painted: list[bool] = []
    spy = _paint_spy(painted, watched)
    app.installEventFilter(spy)
    try:
        t0, c0 = time.perf_counter(), time.thread_time()
        result = action()
        now, cpu = time.perf_counter(), time.thread_time()
        page = page_of(result)
        viewport = page.viewport() if hasattr(page, "viewport") else page
        seen = any(painted)
        watched[:] = [viewport]
        painted.clear()
        first = end = now if seen else None
        cpu_first = cpu if seen else None
        quiet_from = now
        give_up = now + 10
        while time.perf_counter() < give_up:
            app.processEvents()
            now = time.perf_counter()
            if any(painted):
                painted.clear()
                end = quiet_from = now
                if first is None:
                    first, cpu_first = now, time.thread_time()
            elif now - quiet_from >= QUIET_S and end is not None:
                break
    finally:
        app.removeEventFilter(spy)
    now = time.perf_counter()
    cpu_ms = ((cpu_first if cpu_first is not None else time.thread_time()) - c0) * 1000
    return result, Shown(((first or now) - t0) * 1000, ((end or now) - t0) * 1000, cpu_ms)


def _current_page(wizard: Any) -> Any:
    """The page the editor shows (an editor's section stack, or an old QWizard's page)."""
    stack = getattr(wizard, "stack", None)
    return stack.currentWidget() if stack is not None else wizard.currentPage()


def _probe_wizard(app: Any, window: Any) -> dict[str, Any]:
    """Open the largest example (4 times, closing it between), then switch pages: next to the
    end and back, twice. A switch is timed from the call to the new page painted (`_shown`):
    the first paint is the figure; the settled one is kept beside it."""
    aid = window.repo.list_assessments()[0].id
    opens: list[Shown] = []
    for _ in range(4):
        wizard, shown = _shown(app, lambda: window.open_assessment(aid), _current_page)
        opens.append(shown)
        _close_editor(app, window, wizard)
    wizard, _opened = _shown(app, lambda: window.open_assessment(aid), _current_page)
    first_pass: list[Shown] = []
    later: list[Shown] = []
    order = _pages(wizard)
    stack = getattr(wizard, "stack", None)
    for round_no in range(2):
        for forward in (True, False):
            while wizard.currentId() != (order[-1] if forward else order[0]):
                step = wizard.next if forward else wizard.back
                _result, shown = _shown(app, step, lambda _r: _current_page(wizard), stack)
                (first_pass if round_no == 0 and forward else later).append(shown)
    _close_editor(app, window, wizard)
    switches = first_pass + later
    return {
        "open_first_ms": opens[0].first_ms,
        "open_again_ms": median([o.first_ms for o in opens[1:]]),
        "open_settled_ms": [o.settled_ms for o in opens],
        "pages": len(order),
        "switch_ms": [s.first_ms for s in switches],
        "switch_first_visit_ms": [s.first_ms for s in first_pass],
        "switch_settled_ms": [s.settled_ms for s in switches],
        "switch_cpu_ms": [s.cpu_ms for s in switches],
        "open_cpu_ms": [o.cpu_ms for o in opens],
    }


def _search_box(window: Any, line_edit: type) -> Any:
    """The main window's search field, if it has one (issue 10 adds it)."""
    for name in ("search", "search_edit", "search_box", "filter_edit"):
        box = getattr(window, name, None)
        if isinstance(box, line_edit):
            return box
    boxes = [b for b in window.findChildren(line_edit) if "search" in (b.objectName() or "").lower()]
    return boxes[0] if boxes else None


def _probe_search(app: Any, window: Any, box: Any, query: str) -> dict[str, Any]:
    """Type `query` into the search field a character at a time, wait a second, then delete it
    a character at a time; twice. A keystroke is timed from the text's change to the end of the
    event-loop round in which the list was last painted before it stayed unpainted for QUIET_S
    (the paints it caused, deferred ones included), or of its first round if the list was not
    painted. The first pass, as the probe did before, repaints the list by hand after one round
    at each keystroke: when the keystroke had already painted it, that is a second paint
    (kept beside the figure, `key_forced_ms`)."""
    from PySide6.QtWidgets import QAbstractItemView

    views = [v for v in window.findChildren(QAbstractItemView) if v.model() is not None]
    view = max(views, key=lambda v: v.model().rowCount())
    rows_before = view.model().rowCount()
    if box is None:
        return {"search_box": False, "rows": rows_before}
    viewport = view.viewport()
    painted: list[bool] = []  # True: a paint of the list (`_paint_spy`)

    def forced(change: Callable[[], Any]) -> float:
        t0 = time.perf_counter()
        change()
        app.processEvents()
        viewport.repaint()
        return _ms(t0)

    def settled(change: Callable[[], Any]) -> float:
        painted.clear()
        t0 = time.perf_counter()
        change()
        app.processEvents()
        end = quiet_from = time.perf_counter()
        painted.clear()
        while time.perf_counter() - quiet_from < QUIET_S:
            app.processEvents()
            if any(painted):
                end = quiet_from = time.perf_counter()
            painted.clear()
        return (end - t0) * 1000

    def settle() -> None:
        until = time.perf_counter() + 1.0  # a debounce timer, if any, fires within this
        while time.perf_counter() < until:
            app.processEvents()

    spy = _paint_spy(painted, [viewport])
    app.installEventFilter(spy)
    rows_after = rows_before
    passes: list[list[float]] = []
    try:
        for timed in (forced, settled):
            per_key = [timed(partial(box.insert, ch)) for ch in query]
            settle()
            rows_after = view.model().rowCount()
            per_key += [timed(box.backspace) for _ in query]
            settle()
            passes.append(per_key)
    finally:
        app.removeEventFilter(spy)
    return {
        "search_box": True,
        "rows": rows_before,
        "rows_matching": rows_after,
        "key_ms": passes[1],
        "key_forced_ms": passes[0],
    }


def run_probe(env: dict[str, str], data_dir: Path, kind: str, query: str = "") -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--probe", kind, str(data_dir), query]
    result = run_child(cmd, env)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


# --- the run -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import PySide6
    from PySide6 import QtCore

    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": QtCore.qVersion(),
        "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }


def measure(pairs: int, big: int, tmp: Path, keep_paginate: bool = False) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PIA_APP_LANG="zh")
    # As installed (pip compiles a wheel's modules): the app's bytecode exists, so no run pays for
    # compiling pia_app from source (this machine sets PYTHONDONTWRITEBYTECODE).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not keep_paginate:
        env.pop("PIA_APP_PAGINATE", None)  # the report as users get it (the test suite turns it off)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pia_app")], env=env, check=True)
    env["PIA_APP_CACHE_DIR"] = str(tmp / "cache")
    env.pop("PIA_APP_DATA_DIR", None)
    env["PIA_APP_DATA_DIR"] = str(tmp / "unused")
    small, empty, many = tmp / "small", tmp / "empty", tmp / "many"
    for d in (small, empty, many):
        d.mkdir()
    make_data_dir(small, len(example_files()))
    make_data_dir(many, big)
    py = sys.executable
    pia = pia_app_command()
    big_example = largest_example()
    report_out = tmp / "report.docx"

    def bare() -> Run:
        return run_child([py, "-c", BARE_GUI], env, shown_clock=True)

    def app_gui(folder: Path, rows: int) -> Callable[[], Run]:
        folder_env = dict(env, PIA_APP_DATA_DIR=str(folder))
        return lambda: run_child([py, "-c", APP_GUI, str(rows)], folder_env, shown_clock=True)

    def yaml_json() -> Run:
        return run_child([py, "-c", IMPORT_YAML_JSON], env)

    def grade() -> Run:
        return run_child([*pia, "grade", str(big_example), "--json"], env)

    def report() -> Run:
        return run_child([*pia, "report", str(big_example), "--out", str(report_out)], env)

    def report_no_layout() -> Run:
        # What a machine without LibreOffice gets: no layout pass for the contents' page numbers.
        no_layout = dict(env, PIA_APP_PAGINATE="0")
        return run_child([*pia, "report", str(big_example), "--out", str(report_out)], no_layout)

    # LibreOffice's own conversion of the same report, as the layout pass runs it (to .docx, with a
    # profile of its own kept between runs, as pia-app keeps one): the baseline of the report row,
    # so the table shows what pia-app adds to what LibreOffice takes.
    soffice = find_soffice() if env.get("PIA_APP_PAGINATE", "1") != "0" else None
    plain_report = tmp / "plain" / "report.docx"
    plain_report.parent.mkdir()
    run_child([*pia, "report", str(big_example), "--out", str(plain_report)], dict(env, PIA_APP_PAGINATE="0"))
    lo_out = tmp / "lo-out"
    lo_out.mkdir()

    def soffice_bare() -> Run:
        assert soffice is not None
        profile = f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}"
        fmt = "docx:MS Word 2007 XML"
        cmd = [soffice, profile, "--headless", "--norestore", "--nolockcheck", "--convert-to", fmt]
        return run_child([*cmd, "--outdir", str(lo_out), str(plain_report)], env)

    samples: dict[str, Any] = {}
    # The first start after an install or a form change checks the form and writes the cache.
    shutil.rmtree(tmp / "cache", ignore_errors=True)
    samples["first_start_cold_cache_s"] = app_gui(small, len(example_files()))().wall_s
    warm_up = [bare, app_gui(small, 1), yaml_json, grade, report, app_gui(many, big)]
    for warm in warm_up + ([soffice_bare] if soffice else []):
        warm()  # one unmeasured run each: disk cache, .pyc files, caches and LibreOffice profiles

    gui_base, gui_app = interleaved(pairs, bare, app_gui(small, len(example_files())))
    cli_base, cli_app = interleaved(pairs, yaml_json, grade)
    if soffice:
        reports, reports_no_layout, lo_bare = rotated(min(pairs, 5), report, report_no_layout, soffice_bare)
    else:
        (reports, reports_no_layout), lo_bare = interleaved(min(pairs, 5), report, report_no_layout), []
    list_empty, list_many = interleaved(pairs, app_gui(empty, 0), app_gui(many, big))
    wizard = run_probe(env, small, "wizard")
    wizard["open_at_once_ms"] = run_probe(env, small, "open-now")["open_first_ms"]
    search = run_probe(env, many, "search", "人脸识别 12")

    samples.update(
        {
            "gui_bare_s": [r.wall_s for r in gui_base],
            "gui_app_s": [r.wall_s for r in gui_app],
            "gui_bare_peak_mib": [r.peak_mib for r in gui_base],
            "gui_app_peak_mib": [r.peak_mib for r in gui_app],
            "import_yaml_json_s": [r.wall_s for r in cli_base],
            "grade_s": [r.wall_s for r in cli_app],
            "grade_peak_mib": [r.peak_mib for r in cli_app],
            "report_s": [r.wall_s for r in reports],
            "report_cpu_s": [r.cpu_s for r in reports],
            "report_no_layout_cpu_s": [r.cpu_s for r in reports_no_layout],
            "soffice_bare_cpu_s": [r.cpu_s for r in lo_bare],
            "report_peak_mib": [r.peak_mib for r in reports],
            "report_no_layout_s": [r.wall_s for r in reports_no_layout],
            "report_no_layout_peak_mib": [r.peak_mib for r in reports_no_layout],
            "soffice_bare_s": [r.wall_s for r in lo_bare],
            "soffice_bare_peak_mib": [r.peak_mib for r in lo_bare],
            "start_empty_s": [r.wall_s for r in list_empty],
            "start_many_s": [r.wall_s for r in list_many],
            "start_many_peak_mib": [r.peak_mib for r in list_many],
            "wizard": wizard,
            "search": search,
        }
    )
    return samples


def table(samples: dict[str, Any], big: int) -> list[dict[str, Any]]:
    """The rows of the issue's target table with figures, baselines, ratios and verdicts."""
    m = median
    rows: list[dict[str, Any]] = []

    def row(figure: str, target: str, value: str, baseline: str, ratio: str, met: bool | None) -> None:
        rows.append(
            {
                "figure": figure,
                "target": target,
                "value": value,
                "baseline": baseline,
                "ratio": ratio,
                "met": met,
            }
        )

    gui_t = m(samples["gui_app_s"]) / m(samples["gui_bare_s"])
    gui_m = m(samples["gui_app_peak_mib"]) / m(samples["gui_bare_peak_mib"])
    row(
        "start to main window shown, list filled (time)",
        "≤ 2× bare Qt window",
        f"{m(samples['gui_app_s']):.3f} s",
        f"{m(samples['gui_bare_s']):.3f} s",
        f"{gui_t:.2f}×",
        gui_t <= 2,
    )
    row(
        "start to main window shown, list filled (peak memory)",
        "≤ 1.4× bare Qt window",
        f"{m(samples['gui_app_peak_mib']):.0f} MiB",
        f"{m(samples['gui_bare_peak_mib']):.0f} MiB",
        f"{gui_m:.2f}×",
        gui_m <= 1.4,
    )
    grade_r = m(samples["grade_s"]) / m(samples["import_yaml_json_s"])
    row(
        "`pia-app grade FILE --json`, new process",
        '≤ 3× `python -c "import yaml, json"`',
        f"{m(samples['grade_s']):.3f} s",
        f"{m(samples['import_yaml_json_s']):.3f} s",
        f"{grade_r:.2f}×",
        grade_r <= 3,
    )
    rep = m(samples["report_s"])
    lo = samples.get("soffice_bare_s") or []
    row(
        "`pia-app report FILE --out X.docx`, largest example, new process (with LibreOffice's layout"
        " pass for the contents' page numbers, as here; baseline: LibreOffice's own conversion of the"
        " same report to .docx, warm profile)",
        "≤ 1 s",
        f"{rep:.3f} s",
        f"{m(lo):.3f} s" if lo else "no LibreOffice",
        f"pia-app +{rep - m(lo):.3f} s" if lo else "",
        rep <= 1.0,
    )
    rep = m(samples["report_no_layout_s"])
    row(
        "the same without LibreOffice (`PIA_APP_PAGINATE=0`: Word fills the page numbers on opening)",
        "≤ 1 s",
        f"{rep:.3f} s",
        "",
        "",
        rep <= 1.0,
    )
    wiz = samples["wizard"]
    row(
        "open an assessment (first open, a second after the list appeared; again)",
        "≤ 150 ms",
        f"{wiz['open_first_ms']:.0f} ms; {wiz['open_again_ms']:.0f} ms",
        "",
        "",
        wiz["open_first_ms"] <= 150,
    )
    sw = wiz["switch_ms"]
    row(
        f"page switch, median / worst ({len(sw)} switches over {wiz['pages']} pages, there and back twice)",
        "≤ 20 / 40 ms",
        f"{m(sw):.1f} / {max(sw):.1f} ms",
        "",
        "",
        m(sw) <= 20 and max(sw) <= 40,
    )
    delta = m(samples["start_many_s"]) - m(samples["start_empty_s"])
    row(
        f"main window with {big:,} assessments, start to list filled, over the empty start",
        "≤ 0.3 s",
        f"+{delta:.3f} s ({m(samples['start_many_s']):.3f} s)",
        f"{m(samples['start_empty_s']):.3f} s",
        "",
        delta <= 0.3,
    )
    search = samples["search"]
    if search.get("search_box"):
        keys = search["key_ms"]
        row(
            f"search-as-you-type over {big:,}, median / worst a keystroke (to the list repainted)",
            "≤ 30 ms",
            f"{m(keys):.1f} / {max(keys):.1f} ms",
            "",
            "",
            max(keys) <= 30,
        )
    else:
        row(f"search-as-you-type over {big:,}", "≤ 30 ms", "no search field in the main window", "", "", None)
    return rows


def notes(samples: dict[str, Any]) -> list[str]:
    """Figures that explain the table (not targets)."""
    m = median
    wizard = samples["wizard"]
    first = wizard["switch_first_visit_ms"]
    later = wizard["switch_ms"][len(first) :] or [0.0]  # switch_ms is first visits, then the rest
    out = [
        f"first start after an install or a form change (form checked, cache written):"
        f" {samples['first_start_cold_cache_s']:.3f} s",
        f"open an assessment the instant the list appears (the editor's modules not loaded yet):"
        f" {wizard['open_at_once_ms']:.0f} ms",
        f"page switch to a page not shown before (built ahead in idle time, or then): median"
        f" {m(first):.1f} ms, worst {max(first):.1f} ms; to a page shown already: median {m(later):.1f} ms,"
        f" worst {max(later):.1f} ms",
        f"page switch, to the page settled (the last repaint within {QUIET_S * 1000:.0f} ms of quiet):"
        f" median {m(wizard['switch_settled_ms']):.1f} ms, worst {max(wizard['switch_settled_ms']):.1f} ms;"
        f" CPU time of the GUI thread to the first paint: median {m(wizard['switch_cpu_ms']):.1f} ms,"
        f" worst {max(wizard['switch_cpu_ms']):.1f} ms (open: {m(wizard['open_cpu_ms']):.0f} ms)",
        f"peak memory: grade {m(samples['grade_peak_mib']):.0f} MiB,"
        f" report {m(samples['report_peak_mib']):.0f} MiB"
        f" ({m(samples['report_no_layout_peak_mib']):.0f} MiB without the layout pass),"
        f" main window with the big list {m(samples['start_many_peak_mib']):.0f} MiB",
    ]
    forced = samples["search"].get("key_forced_ms") or []
    if forced:
        out.append(
            f"search, the list repainted by hand after each keystroke as the probe did before (a"
            f" second paint where the keystroke painted it): median {m(forced):.1f} ms, worst"
            f" {max(forced):.1f} ms"
        )
    lo = samples.get("soffice_bare_s") or []
    if lo:
        own = m(samples["report_s"]) - m(lo)
        out.append(
            f"report with the layout pass: LibreOffice's conversion alone {m(lo):.3f} s"
            f" ({m(samples['soffice_bare_peak_mib']):.0f} MiB); pia-app's own part {own:.3f} s"
            f" (render, write, read and write the page numbers; without the pass"
            f" {m(samples['report_no_layout_s']):.3f} s)"
        )
    out.append(
        "CPU seconds (less sensitive to the load of this shared machine than wall time): report"
        f" {m(samples['report_cpu_s']):.2f} s with the layout pass (LibreOffice's included),"
        f" {m(samples['report_no_layout_cpu_s']):.2f} s without"
        + (f"; LibreOffice's conversion alone {m(samples['soffice_bare_cpu_s']):.2f} s" if lo else "")
    )
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| figure | target | measured | baseline | ratio | met |", "|---|---|---|---|---|---|"]
    for r in rows:
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        lines.append(
            f"| {r['figure']} | {r['target']} | {r['value']} | {r['baseline']} | {r['ratio']} | {met} |"
        )
    return "\n".join(lines)


def update_results_md(text: str) -> None:
    """Replace the table between the markers of RESULTS.md (the prose around it is by hand)."""
    old = RESULTS_MD.read_text("utf-8") if RESULTS_MD.exists() else ""
    block = f"{MD_START}\n{text}\n{MD_END}"
    if MD_START in old and MD_END in old:
        head, _, rest = old.partition(MD_START)
        _, _, tail = rest.partition(MD_END)
        new = head + block + tail
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS_MD.write_text(new, "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=10, help="runs of each side (default 10)")
    parser.add_argument("--assessments", type=int, default=10_000, help="rows of the big list")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: 1 pair, 30 assessments")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--no-md", action="store_true", help="do not update benchmarks/RESULTS.md")
    parser.add_argument("--probe", nargs=3, metavar=("KIND", "DATA_DIR", "QUERY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        kind, data_dir, query = args.probe
        print(json.dumps(probe(data_dir, kind, query)))
        sys.stdout.flush()
        os._exit(0)  # no teardown: the figures are printed
    pairs, big = (1, 30) if args.quick else (args.pairs, args.assessments)
    info = machine()
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="pia-bench-") as tmp:
        samples = measure(pairs, big, Path(tmp), keep_paginate=args.quick)
    rows = table(samples, big)
    info["load_average_at_end"] = list(os.getloadavg())
    text = markdown(rows) + "\n\n" + "\n".join(f"- {line}" for line in notes(samples))
    print(text)
    print(
        f"\n{pairs} pairs, medians; {info['cpu_count']} CPUs, Python {info['python']}, Qt {info['qt']}"
        f" (PySide6 {info['pyside6']}); load average {info['load_average_at_start'][0]:.1f} →"
        f" {info['load_average_at_end'][0]:.1f}; {time.time() - started:.0f} s"
    )
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "pairs": pairs,
        "assessments": big,
        "machine": info,
        "rows": rows,
        "samples": samples,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if not args.no_md:
        stamp = (
            f"Latest `make bench`, {result['when']}: {pairs} interleaved pairs, medians;"
            f" {info['cpu_count']} CPUs, Python {info['python']}, Qt {info['qt']}; load average"
            f" {info['load_average_at_start'][0]:.1f} at start (a shared machine: other work ran alongside)."
        )
        update_results_md(stamp + "\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure what users feel: start-up, page switch, save, report export, a list of 10,000
assessments, and peak memory. Run with `make bench`; figures are written to benchmarks/RESULTS.md
by hand after a run (with the machine they came from), not asserted in unit tests.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "forms" / "face_voice" / "examples" / "office_access_face.json"


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """Median and worst wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def startup_ms(data_dir: Path) -> float:
    """Process start to main window shown (a child process, so imports are counted)."""
    code = (
        "import time,sys; t0=time.perf_counter();"
        "from PySide6.QtWidgets import QApplication; app=QApplication([]);"
        "from pia_app.ui.app import configure_app; configure_app(app,'zh');"
        "from pia_app.ui.main_window import MainWindow; w=MainWindow(None); w.show();"
        "app.processEvents(); print((time.perf_counter()-t0)*1000); w.close()"
    )
    env = dict(os.environ, PIA_APP_DATA_DIR=str(data_dir))
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from pia_app.forms.loader import default_form
    from pia_app.interchange import load_assessment_file
    from pia_app.report.export import export_revision
    from pia_app.store.repository import Repository
    from pia_app.ui.app import configure_app

    results: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        results["startup to main window (ms, median of 3)"] = f"{startup_ms(tmpdir / 'start'):.0f}"

        form = default_form()
        doc = load_assessment_file(EXAMPLE, form)
        repo = Repository(tmpdir / "bench.sqlite3", actor="bench")
        aid = repo.create(form.id, form.version, "bench")
        answers = dict(doc.answers)

        def save() -> None:
            answers["a_scope"] = f"{time.perf_counter()}"
            repo.save_answers(aid, answers)

        med, worst = timed(save, 50)
        results["save one answer (ms, median / worst of 50)"] = f"{med:.1f} / {worst:.1f}"

        from pia_app.engine.grade import grade_assessment
        from pia_app.forms.answers import visible_question_ids

        med, _w = timed(lambda: visible_question_ids(form, answers), 50)
        results["which questions apply, per edit (ms, median of 50)"] = f"{med:.2f}"
        med, _w = timed(lambda: grade_assessment(form, answers), 20)
        results["grade the whole assessment (ms, median of 20)"] = f"{med:.1f}"

        med, worst = timed(lambda: export_revision(repo, form, aid, tmpdir / "r.docx", "zh"), 5)
        results["report export (ms, median / worst of 5)"] = f"{med:.0f} / {worst:.0f}"

        app = QApplication.instance() or QApplication([])
        configure_app(app, "zh")  # type: ignore[arg-type]
        from pia_app.ui.wizard import AssessmentWizard

        t0 = time.perf_counter()
        wizard = AssessmentWizard(repo, form, aid)
        wizard.show()
        app.processEvents()
        results["open wizard (ms)"] = f"{(time.perf_counter() - t0) * 1000:.0f}"

        def page_switch() -> None:
            if wizard.nextId() == -1:
                while wizard.currentId() > 0:
                    wizard.back()
            else:
                wizard.next()
            app.processEvents()

        med, worst = timed(page_switch, 20)
        results["page switch (ms, median / worst of 20)"] = f"{med:.1f} / {worst:.1f}"
        wizard.close()

        t0 = time.perf_counter()
        with repo.db.atomic():
            for i in range(10_000):
                repo.db.execute(
                    "INSERT INTO assessments (uid, title, form_id, form_version, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [f"u{i}", f"评估 {i}", form.id, form.version, "2026-01-01", f"2026-01-{i % 28 + 1:02d}"],
                )
        results["insert 10,000 assessments (ms)"] = f"{(time.perf_counter() - t0) * 1000:.0f}"
        med, worst = timed(repo.list_assessments, 5)
        results["list 10,000 assessments (ms, median / worst of 5)"] = f"{med:.0f} / {worst:.0f}"

        from pia_app.ui.main_window import MainWindow

        os.environ["PIA_APP_DATA_DIR"] = str(tmpdir)
        repo.close()
        (tmpdir / "pia.sqlite3").unlink(missing_ok=True)
        os.replace(tmpdir / "bench.sqlite3", tmpdir / "pia.sqlite3")
        for suffix in ("-wal", "-shm"):
            if (tmpdir / f"bench.sqlite3{suffix}").exists():
                os.replace(tmpdir / f"bench.sqlite3{suffix}", tmpdir / f"pia.sqlite3{suffix}")
        t0 = time.perf_counter()
        window = MainWindow(None)
        window.show()
        app.processEvents()
        results["main window with 10,000 assessments (ms)"] = f"{(time.perf_counter() - t0) * 1000:.0f}"
        window.close()

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results["peak memory of this run (MB)"] = f"{peak_kb / 1024:.0f}"
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

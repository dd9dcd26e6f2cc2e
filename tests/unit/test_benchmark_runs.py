"""`make bench` runs: the benchmark on tiny sizes produces every row of issue 12's table with its
baseline. No timing is asserted (figures on a shared machine are for benchmarks/RESULTS.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_quick_run_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out", str(out), "--no-md"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| figure | target |" in result.stdout
    data = json.loads(out.read_text("utf-8"))
    assert data["machine"]["cpu_count"] >= 1
    assert data["machine"]["qt"] and data["machine"]["python"]
    figures = [r["figure"] for r in data["rows"]]
    assert len(figures) == 9
    for start in (
        "start to main window",
        "`pia-app grade",
        "`pia-app report",
        "open an assessment",
        "page switch",
    ):
        assert any(f.startswith(start) for f in figures), start
    assert any("30 assessments" in f for f in figures)
    samples = data["samples"]
    for key in ("gui_bare_s", "gui_app_s", "import_yaml_json_s", "grade_s", "start_empty_s", "start_many_s"):
        assert len(samples[key]) == 1 and samples[key][0] > 0, key
    assert samples["gui_app_peak_mib"][0] > 0 and samples["gui_bare_peak_mib"][0] > 0
    assert samples["grade_peak_mib"][0] < samples["gui_bare_peak_mib"][0]  # the launcher's floor, not ours
    wizard = samples["wizard"]
    assert wizard["pages"] > 1 and wizard["switch_ms"] and wizard["open_first_ms"] > 0
    # ratios are computed against baselines measured in this same run
    gui = next(r for r in data["rows"] if r["figure"].endswith("(time)"))
    assert gui["baseline"].endswith(" s") and gui["ratio"].endswith("×")
    search = samples["search"]
    assert search["search_box"] and search["rows"] == 30
    # each character typed and deleted, timed to the list repainted; the old forced-repaint pass beside
    assert len(search["key_ms"]) == len(search["key_forced_ms"]) > 0
    assert all(ms > 0 for ms in search["key_ms"])

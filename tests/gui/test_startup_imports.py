"""Start-up stays light: showing the main window (and grading a file) must not import the report
stack or the JSON Schema validator. Each check runs in a new process, because this test process
has imported everything already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "face_voice" / "examples" / "office_access_face.json"
REPORT_STACK = ("docxtpl", "docx", "PIL", "jinja2", "jsonschema", "pia_app.report", "yaml")
"""Not needed to show the main window; YAML only when a form or a catalogue changed (cache)."""
START_NEVER = (
    "sqlite_utils",
    "click",
    "dateutil",
    "pluggy",
    "_hashlib",
    "hashlib",
    "_ssl",
    "secrets",
    "fastjsonschema",
)
"""Off the start path for memory: OpenSSL alone maps ~3 MiB; a file check is not needed to show the list."""

# Runs `pia-app gui` as the user starts it (benchmarks/patch_exec.py, as the benchmark does);
# QApplication.exec is replaced by "process the events that show the window, then report what
# is imported and which rows the list shows".
GUI_CHILD = (
    (ROOT / "benchmarks" / "patch_exec.py").read_text("utf-8")
    + """
import json

seen = {}

def fake_exec(*_args):
    from PySide6.QtWidgets import QApplication
    from pia_app.ui.main_window import MainWindow
    app = QApplication.instance()
    app.processEvents()
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    seen["visible"] = len(windows)
    seen["rows"] = windows[0].model.rowCount() if windows else -1
    seen["modules"] = sorted(sys.modules)
    import pia_app.ui.input_guard as guard
    seen["wheel_guard"] = guard._guard is not None
    import linecache
    seen["source_kept"] = sum(len("".join(e[2])) for e in linecache.cache.values() if len(e) > 2)
    return 0

patch_exec(fake_exec)
from pia_app.cli import main
code = main([])  # as the desktop launcher starts it (data folder: PIA_APP_DATA_DIR)
print(json.dumps(dict(seen, code=code)))
"""
)

GRADE_CHILD = """
import json, sys
from pia_app.cli import main
code = main(["grade", sys.argv[1], "--json"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture
def warm_form_cache() -> None:
    """Build the form and message caches first, as any earlier start would (a first start checks
    the form and parses the catalogues)."""
    from pia_app.forms.loader import default_form

    default_form()
    warm = "from pia_app.forms.loader import default_form; from pia_app.i18n import catalogue as c"
    result = _run(warm + "; default_form(); c('zh'); c('en')")
    assert result.returncode == 0, result.stderr


def test_main_window_shows_the_list_without_the_report_stack(
    warm_form_cache: None, isolated_data_dir: Path
) -> None:
    from pia_app.paths import db_path
    from pia_app.store.repository import Repository

    repo = Repository(db_path(isolated_data_dir), actor="tester")
    repo.create("face_voice_pia", "0.1", "门禁人脸识别", {})
    repo.close()

    result = _run(GUI_CHILD)  # the data folder is PIA_APP_DATA_DIR (isolated_data_dir)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0
    assert seen["visible"] == 1
    assert seen["rows"] == 1
    assert seen["wheel_guard"]  # installed in the first turn of the event loop
    # PySide6 reads (and keeps) the source of every module imported after it: the store, sqlite-utils
    # and the forms are imported before Qt, and run_gui drops what it read (it was 6.5 MiB).
    assert seen["source_kept"] < 512 * 1024
    loaded = [m for m in seen["modules"] if m.split(".")[0] in REPORT_STACK or m.startswith("pia_app.report")]
    assert loaded == []
    # No sqlite-utils (and its click, dateutil, pluggy) and no OpenSSL: ~8 MiB of the start's peak
    # memory (pia_app/store/database.py, pia_app/digest.py; issue 12).
    assert [m for m in seen["modules"] if m.split(".")[0] in START_NEVER] == []
    assert "pia_app.cli_review" not in seen["modules"]  # no arguments: no parsers built


def test_grade_does_not_import_qt_or_the_report_stack(warm_form_cache: None) -> None:
    result = _run(GRADE_CHILD, str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert findings  # the example has gaps: grading really ran
    modules = json.loads(result.stderr.strip().splitlines()[-1])["modules"]
    heavy = (
        "PySide6",
        "shiboken6",
        "docxtpl",
        "docx",
        "PIL",
        "jinja2",
        "pia_app.report",
        "pia_app.ui",
        "sqlite_utils",  # grading a file stores nothing
        "yaml",  # the form and the messages come from the cache
        "pia_app.store",
        "jsonschema",  # a file that passes the quick schema check (schema_check) never needs it
    )
    assert [m for m in modules if m.split(".")[0] in heavy or m.startswith(heavy)] == []


def test_editor_warm_up_loads_no_report_stack() -> None:
    """The editor's modules load in idle time after the window is built; not the report stack."""
    result = _run(
        "import json, sys\n"
        "from pia_app.ui.main_window import _warm_up\n"
        "_warm_up()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert "pia_app.ui.wizard" in modules
    assert [m for m in modules if m.split(".")[0] in REPORT_STACK or m.startswith("pia_app.report")] == []

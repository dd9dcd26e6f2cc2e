"""The pia-app command: exit codes 0 / 2, one-line messages in the chosen language, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from pia_app.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "face_voice" / "examples" / "office_access_face.json"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pia_app", *args], capture_output=True, text=True, timeout=120
    )


def test_demo_writes_a_report_and_prints_its_path(tmp_path: Path) -> None:
    proc = run("demo", "--out", str(tmp_path / "演示"))
    assert proc.returncode == 0, proc.stderr
    path = Path(proc.stdout.strip())
    assert path.is_file() and path.suffix == ".docx"
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "办公楼人脸识别门禁系统" in text


def test_report_from_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.docx"
    assert main(["report", str(EXAMPLE), "--out", str(out), "--lang", "en"]) == 0
    assert out.is_file()
    first, message = capsys.readouterr().out.strip().splitlines()
    # how the contents got their page numbers: the suite switches the layout pass off
    assert first == str(out) and "PIA_APP_PAGINATE=0" in message and "Word" in message


@pytest.mark.parametrize(
    ("content", "lang", "expected"),
    [
        ("{not json", "en", "is not valid JSON"),
        ("{not json", "zh", "不是有效的 JSON"),
        ('{"format": "other"}', "en", "is not a pia-app assessment"),
        (
            '{"format": "pia-app-assessment", "format_version": 1, '
            '"form": {"id": "face_voice_pia", "version": "0.1"}, "answers": {"zz_unknown": 1}}',
            "en",
            "zz_unknown",
        ),
        (
            '{"format": "pia-app-assessment", "format_version": 1, '
            '"form": {"id": "face_voice_pia", "version": "0.1"}, "answers": {"b_minors": "lots"}}',
            "zh",
            "不是该问题的选项代码",
        ),
        (
            '{"format": "pia-app-assessment", "format_version": 99, '
            '"form": {"id": "face_voice_pia", "version": "0.1"}, "answers": {}}',
            "en",
            "newer",
        ),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path: Path, content: str, lang: str, expected: str) -> None:
    bad = tmp_path / "坏文件.json"
    bad.write_text(content, "utf-8")
    proc = run("report", str(bad), "--out", str(tmp_path / "x.docx"), "--lang", lang)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.docx").exists()


def test_usage_error_is_one_line_exit_2() -> None:
    proc = run("report")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def test_list_json_after_demo_data(repo, form, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "测试评估")
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["title"], r["status"]) for r in rows] == [(aid, "测试评估", "draft")]


def test_forms_check_reports_misspelt_id(tmp_path: Path) -> None:
    import shutil

    dst = tmp_path / "form"
    shutil.copytree(ROOT / "forms" / "face_voice", dst)
    f = dst / "d_minimum_collection.yaml"
    f.write_text(
        f.read_text("utf-8").replace("q: b_purposes, has: verify_1to1", "q: b_purpose, has: verify_1to1"),
        "utf-8",
    )
    proc = run("forms", "check", str(dst), "--lang", "en")
    assert proc.returncode == 2
    assert "d_minimum_collection.yaml:" in proc.stderr
    assert "unknown question id 'b_purpose'" in proc.stderr
    assert run("forms", "check").returncode == 0


def test_corrupt_database_is_a_clear_error(isolated_data_dir: Path) -> None:
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "pia.sqlite3").write_bytes(b"garbage" * 1000)
    proc = run("list", "--lang", "en")
    assert proc.returncode == 2
    assert "damaged or not a pia-app database" in proc.stderr


def test_gui_without_a_screen_says_so_and_exits_2() -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, "-m", "pia_app", "gui", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 2
    assert "pia-app demo" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_no_arguments_is_the_gui_and_says_so_without_a_screen() -> None:
    """The desktop launcher runs `pia-app` bare: the GUI path (without the argument parsers)."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PIA_APP_LANG"] = "en"
    proc = subprocess.run(
        [sys.executable, "-m", "pia_app"], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 2
    assert "pia-app demo" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1

"""No traceback, ever: broken installations and unexpected errors end in one line (issue 13)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pia_app import __version__, cli, crashlog, resources
from pia_app.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "face_voice" / "examples" / "office_access_face.json"


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pia_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def resources_copy(tmp_path: Path) -> Path:
    root = tmp_path / "资源 copy"
    shutil.copytree(ROOT / "forms", root / "forms")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def test_missing_resource_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    proc = run("grade", str(EXAMPLE), "--lang", "en", env={"PIA_APP_RESOURCES": str(missing)})
    assert proc.returncode == 2
    line = one_line(proc)
    assert str(missing / "forms") in line and "PIA_APP_RESOURCES" in line


def test_installation_without_its_data_names_the_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel whose _resources were lost, outside a checkout: reinstall, says the message."""
    monkeypatch.delenv("PIA_APP_RESOURCES", raising=False)
    monkeypatch.setattr(resources, "packaged_root", lambda: tmp_path / "site" / "pia_app" / "_resources")
    monkeypatch.setattr(resources, "checkout_root", lambda: tmp_path / "site")
    with pytest.raises(UserError) as caught:
        resources.forms_dir()
    assert caught.value.key == "error.resources_missing"
    assert "reinstall" in caught.value.message("en")


def test_packaged_copy_wins_over_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIA_APP_RESOURCES", raising=False)
    packaged = tmp_path / "pia_app" / "_resources"
    (packaged / "forms").mkdir(parents=True)
    monkeypatch.setattr(resources, "packaged_root", lambda: packaged)
    assert resources.forms_dir() == packaged / "forms"
    assert resources.report_template("zh") == packaged / "templates" / "report_zh.docx"


def test_checkout_is_used_when_nothing_is_packaged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PIA_APP_RESOURCES", raising=False)
    monkeypatch.setattr(resources, "packaged_root", lambda: tmp_path / "empty")
    assert resources.forms_dir() == ROOT / "forms"


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        ("form.yaml", "id: [unclosed\n", "form.yaml:2: YAML syntax"),
        ("a_basic.yaml", "\x00\x01 not yaml at all: [", "a_basic.yaml"),
        ("sources.yaml", "sources:\n  - id: pipl\n    title: {zh: [", "sources.yaml"),
    ],
)
def test_corrupted_form_file_is_one_line_exit_2(
    tmp_path: Path, file: str, content: str, expected: str
) -> None:
    root = resources_copy(tmp_path)
    (root / "forms" / "face_voice" / file).write_text(content, "utf-8")
    env = {"PIA_APP_RESOURCES": str(root)}
    for args in (("grade", str(EXAMPLE)), ("demo", "--out", str(tmp_path / "out"))):
        proc = run(*args, "--lang", "en", env=env)
        assert proc.returncode == 2, proc.stderr
        line = one_line(proc)
        assert expected in line and "pia-app forms check" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_forms_check_still_lists_every_problem(tmp_path: Path) -> None:
    root = resources_copy(tmp_path)
    (root / "forms" / "face_voice" / "a_basic.yaml").write_text("[", "utf-8")
    (root / "forms" / "face_voice" / "k_security.yaml").write_text("[", "utf-8")
    proc = run("forms", "check", "--lang", "en", env={"PIA_APP_RESOURCES": str(root)})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "a_basic.yaml" in proc.stderr and "k_security.yaml" in proc.stderr


def test_corrupted_template_never_shows_a_traceback(tmp_path: Path) -> None:
    root = resources_copy(tmp_path)
    (root / "templates" / "report_en.docx").write_bytes(b"this is no zip file")
    proc = run(
        "report", str(EXAMPLE), "--out", str(tmp_path / "r.docx"), "--lang", "en",
        env={"PIA_APP_RESOURCES": str(root), "PIA_APP_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    assert proc.returncode in (1, 2)
    one_line(proc)
    assert not (tmp_path / "r.docx").exists()


def test_unexpected_error_writes_a_private_crash_log_without_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "张三的声纹样本"

    def boom(args: object) -> int:
        raise RuntimeError("the store fell over")

    monkeypatch.setattr(cli, "cmd_approve", boom)
    data = tmp_path / "数据 folder"
    code = cli.main(
        ["approve", "7", "--by", secret, "--role", "DPO", "--data-dir", str(data), "--lang", "en"]
    )
    assert code == cli.EXIT_INTERNAL == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    logs = list((data / "crash-logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    text = logs[0].read_text("utf-8")
    assert f"pia-app {__version__}" in text
    assert "platform: " in text and "python: " in text
    assert "command: approve" in text
    assert "installation: checkout, data files in " in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: the store fell over" in text
    assert "in boom" in text
    assert secret not in text and "DPO" not in text


def test_crash_log_cuts_long_messages_and_keeps_only_the_newest(tmp_path: Path) -> None:
    for i in range(crashlog.KEEP + 3):
        try:
            raise ValueError(f"{i}:" + "答" * 2000)
        except ValueError as exc:
            path = crashlog.write_crash_log(exc, tmp_path)
            os.utime(path, (1_000_000 + i, 1_000_000 + i))
    logs = sorted((tmp_path / "crash-logs").glob("*.log"))
    assert len(logs) == crashlog.KEEP
    text = path.read_text("utf-8")
    assert "答" * crashlog.MESSAGE_LIMIT not in text and "(cut)" in text
    assert f"{crashlog.KEEP + 2}:" in text


def test_crash_log_falls_back_to_the_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    monkeypatch.setattr(crashlog.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    try:
        raise OSError("disk")
    except OSError as exc:
        path = crashlog.write_crash_log(exc, blocker / "data")
    assert path.parent == tmp_path / "tmp" / "pia-app" / "crash-logs"


def test_version_is_written_once(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"pia-app {__version__}"
    assert version("pia-app") == __version__  # pyproject reads pia_app.__version__ (dynamic)
    assert 'version = "' not in (ROOT / "pyproject.toml").read_text("utf-8").split("[tool.")[0]


@pytest.mark.slow
def test_self_test_passes_from_a_folder_with_chinese_and_spaces(tmp_path: Path) -> None:
    cwd = tmp_path / "自检 目录 with spaces"
    cwd.mkdir()
    untouched = {"PIA_APP_DATA_DIR": str(tmp_path / "data"), "PIA_APP_CACHE_DIR": str(tmp_path / "cache")}
    proc = run("--self-test", "--lang", "en", cwd=cwd, env=untouched)
    assert proc.returncode == 0, proc.stderr
    count = len(list(EXAMPLE.parent.glob("*.json")))
    assert "self-test passed" in proc.stdout and f"{count} examples graded" in proc.stdout
    assert not (tmp_path / "data").exists() and not (tmp_path / "cache").exists()  # leaves nothing behind


def test_self_test_failure_is_one_line(tmp_path: Path) -> None:
    root = resources_copy(tmp_path)
    for example in (root / "forms" / "face_voice" / "examples").glob("*.json"):
        example.unlink()
    proc = run("--self-test", "--lang", "en", env={"PIA_APP_RESOURCES": str(root)})
    assert proc.returncode == 1
    assert "self-test failed at: examples" in one_line(proc)


def test_console_that_cannot_show_chinese_gets_escapes_not_a_crash(tmp_path: Path) -> None:
    proc = run("grade", str(tmp_path / "坏.json"), env={"PYTHONIOENCODING": "ascii", "PIA_APP_LANG": "zh"})
    assert proc.returncode == 2
    assert "\\u574f.json" in one_line(proc)


def test_gui_without_qt_libraries_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """pipx on a Linux without Qt's system libraries: PySide6 imports, libEGL does not load."""
    import builtins

    real_import = builtins.__import__

    def no_qt(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pia_app.ui.app":
            raise ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(builtins, "__import__", no_qt)
    assert cli.main(["gui", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "libEGL.so.1" in err and "system-deps.sh" in err


def test_frozen_linux_bundle_falls_back_from_wayland_to_x11(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")
    cli._bundle_platform_fallback()
    assert os.environ["QT_QPA_PLATFORM"] == "wayland;xcb"
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    cli._bundle_platform_fallback()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"

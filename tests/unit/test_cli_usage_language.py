"""Usage errors and help speak the user's language end to end (QA finding: "用法错误: the
following arguments are required: FILE.json" was half English, and `--lang en` came too late)."""

from __future__ import annotations

import pytest

from pia_app import cli


@pytest.fixture(autouse=True)
def _chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIA_APP_LANG", raising=False)


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(list(argv))
    assert done.value.code == cli.EXIT_USER
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_missing_argument_is_said_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "grade")
    assert err == "pia-app: 用法错误: 缺少必需的参数：FILE.json\n"


def test_unknown_command_is_said_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "nosuch")
    assert "无效的选择：'nosuch'" in err and "invalid choice" not in err


def test_lang_flag_applies_to_the_usage_error_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error(capsys, "--lang", "en", "grade") == (
        "pia-app: usage error: the following arguments are required: FILE.json\n"
    )
    assert "required: FILE.json" in usage_error(capsys, "grade", "--lang=en")


def test_help_headings_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["grade", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：pia-app grade")
    assert "位置参数" in out and "显示此帮助信息并退出" in out
    assert "positional arguments" not in out

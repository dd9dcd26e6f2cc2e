"""Who the CLI records as acting: --by, PIA_APP_ACTOR, the saved name, else the OS login marked
as such (issue 10: "root" appeared as the actor of CLI actions before a name was set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_app import cli
from pia_app.store.repository import Repository

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "face_voice" / "examples" / "office_access_face.json"


@pytest.fixture
def imported(isolated_data_dir, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PIA_APP_ACTOR", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "opsuser")
    assert cli.main(["import", str(EXAMPLE)]) == 0
    return isolated_data_dir


def actors(data: Path) -> list[str]:
    from pia_app.paths import db_path

    with Repository(db_path(data), actor="reader") as repo:
        return [str(e["actor"]) for e in repo.audit(1)]


def test_without_any_name_the_os_login_is_recorded_as_such(imported, capsys) -> None:  # type: ignore[no-untyped-def]
    assert actors(imported) == ["login:opsuser"]
    capsys.readouterr()
    assert cli.main(["history", "1"]) == 0
    assert "opsuser（系统登录名，未设置姓名）" in capsys.readouterr().out
    assert cli.main(["--lang", "en", "name"]) == 0
    assert "opsuser (OS login, no name set)" in capsys.readouterr().out


def test_by_then_environment_then_saved_name(imported, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["name", "吴婷"]) == 0
    assert cli.main(["archive", "1"]) == 0  # the saved name
    monkeypatch.setenv("PIA_APP_ACTOR", "李四")
    assert cli.main(["submit", "1"]) == 0  # the environment over the saved name
    monkeypatch.setenv("PIA_APP_ACTOR", "  ")  # blank: as if not set
    assert cli.main(["--by", "赵六", "comment", "1", "a_scope", "请补充范围"]) == 0
    log = actors(imported)
    assert log == ["login:opsuser", "吴婷", "李四", "赵六"], log


def test_approve_records_the_approver_as_actor(imported, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PIA_APP_ACTOR", "李四")
    assert cli.main(["submit", "1"]) == 0
    assert cli.main(["approve", "1", "--by", "陈静", "--role", "个人信息保护负责人"]) == 0
    assert actors(imported)[-1] == "陈静"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201, "login:root"])
def test_a_bad_name_is_a_user_error_in_one_line(imported, capsys, bad: str) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert cli.main(["--by", bad, "archive", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pia-app: ") and "Traceback" not in err[0]
    assert actors(imported) == ["login:opsuser"]  # nothing was done


def test_name_with_control_characters_is_kept_on_one_line(imported) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["--by", "王\n敏\x07", "archive", "1"]) == 0
    assert actors(imported)[-1] == "王 敏"

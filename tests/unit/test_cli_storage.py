"""The storage commands end to end: exit 0 with output, or 2 with one line (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pia_app.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"
EXAMPLE = EXAMPLES / "office_access_face.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys, *argv: str) -> str:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("pia-app: ") and "Traceback" not in err
    return err


def test_review_cycle_from_the_command_line(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = ["--data-dir", str(tmp_path / "data"), "--lang", "en"]
    assert run(capsys, "import", str(EXAMPLE), *d)[1].strip() == "1"
    assert "submit it for review" in one_line_error(
        capsys, "approve", "1", "--by", "李明", "--role", "DPO", *d
    )
    code, out, _ = run(capsys, "submit", "1", *d)
    assert code == 0 and "In review" in out
    code, out, _ = run(capsys, "approve", "1", "--by", "李明", "--role", "DPO", *d)
    assert code == 0 and "李明" in out and "SHA-256" in out
    digest = out.strip().rsplit(" ", 1)[1].rstrip(".")
    assert run(capsys, "verify", "1", "--hash", digest, *d)[0] == 0
    assert "periodic" in one_line_error(capsys, "review", "1", "--reason", "bored", *d)
    code, out, _ = run(capsys, "review", "1", "--reason", "law_change", "--note", "新规", *d)
    assert code == 0 and "revision 2" in out
    code, out, _ = run(capsys, "history", "1", *d)
    assert code == 0
    assert "Revision 1\tApproved" in out and "Revision 2\tDraft" in out and "law_change" in out
    assert "review_started" in out
    code, out, _ = run(capsys, "history", "1", "--json", *d)
    data = json.loads(out)
    assert [r["status"] for r in data["revisions"]] == ["approved", "draft"]
    code, out, _ = run(capsys, "diff", "1", "1", "2", *d)
    assert code == 0 and "a_assessment_type" in out and "Re-assessment after a change in law" in out
    code, out, _ = run(capsys, "diff", "1", "1", "2", "--json", *d)
    assert json.loads(out)["answers"][0]["new"] == "law_change"
    assert "revision 9" in one_line_error(capsys, "diff", "1", "1", "9", *d)
    code, out, _ = run(capsys, "diff", "1", "2", "2", *d)
    assert "No differences" in out


def test_archive_delete_and_list(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = ["--data-dir", str(tmp_path / "data"), "--lang", "en"]
    run(capsys, "import", str(EXAMPLE), *d)
    run(capsys, "import", str(EXAMPLE), *d)
    assert run(capsys, "archive", "1", *d)[0] == 0
    listed = json.loads(run(capsys, "list", "--json", *d)[1])
    assert [r["id"] for r in listed] == [2]
    everything = json.loads(run(capsys, "list", "--json", "--all", *d)[1])
    assert sorted((r["id"], r["archived"]) for r in everything) == [(1, True), (2, False)]
    assert run(capsys, "archive", "1", "--undo", *d)[0] == 0
    assert len(json.loads(run(capsys, "list", "--json", *d)[1])) == 2
    run(capsys, "submit", "2", *d)
    run(capsys, "approve", "2", "--by", "王", "--role", "DPO", *d)
    assert "three years" in one_line_error(capsys, "delete", "2", *d)
    code, out, _ = run(capsys, "delete", "1", *d)
    assert code == 0 and "deleted" in out
    assert "no assessment with id 1" in one_line_error(capsys, "history", "1", *d)
    assert run(capsys, "verify", *d)[0] == 0


def test_list_shows_due_for_review(capsys, tmp_path: Path, form) -> None:  # type: ignore[no-untyped-def]
    from pia_app.paths import db_path
    from pia_app.store.repository import Repository

    with Repository(db_path(tmp_path / "data")) as repo:
        aid = repo.create(form.id, form.version, "到期")
        repo.save_answers(aid, {"m_next_review": "2020-01-01"})
        repo.submit(aid)
        repo.approve(aid, "李明", "DPO")
    code, out, _ = run(capsys, "list", "--data-dir", str(tmp_path / "data"))
    assert code == 0 and "待复评" in out
    listed = json.loads(run(capsys, "list", "--json", "--data-dir", str(tmp_path / "data"))[1])
    assert listed[0]["due_for_review"] is True and listed[0]["next_review"] == "2020-01-01"


def test_export_writes_atomically_and_logs(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = ["--data-dir", str(tmp_path / "data")]
    run(capsys, "import", str(EXAMPLE), *d)
    out = tmp_path / "out.json"
    out.write_text("old", "utf-8")
    assert "9" in one_line_error(capsys, "export", "1", "9", "--out", str(out), *d)
    assert out.read_text("utf-8") == "old"  # a failed export leaves the old file
    assert run(capsys, "export", "1", "--out", str(out), *d)[0] == 0
    assert json.loads(out.read_text("utf-8"))["format"] == "pia-app-assessment"
    assert list(tmp_path.glob(".out.json.*")) == []
    err = one_line_error(capsys, "export", "1", "--out", str(tmp_path / "no" / "such" / "x.json"), *d)
    assert str(tmp_path / "no" / "such") in err
    history = json.loads(run(capsys, "history", "1", "--json", *d)[1])
    assert history["audit"][-1]["action"] == "exported_data"


@pytest.mark.parametrize("argv", [["review", "1"], ["approve", "1", "--by", "x"], ["diff", "1", "a", "2"]])
def test_usage_errors_are_one_line(capsys, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pia-app: ")

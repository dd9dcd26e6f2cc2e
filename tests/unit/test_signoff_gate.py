"""Submitting for review and approving are refused while required answers are missing: CLI exit
2 with one line naming the questions, the store left unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pia_app.cli import main
from pia_app.engine.completeness import IncompleteError, require_complete
from pia_app.store.repository import open_repository

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"
EXAMPLE = EXAMPLES / "call_centre_voiceprint.json"
REMOVED = ("k_measures", "j_channels", "e_deletion_triggers", "f_notice_items")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def incomplete_file(tmp_path: Path) -> Path:
    doc = json.loads(EXAMPLE.read_text("utf-8"))
    doc["answers"] = {k: v for k, v in doc["answers"].items() if k not in REMOVED}
    path = tmp_path / "incomplete.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def test_submit_of_an_incomplete_assessment_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    d = ["--data-dir", str(tmp_path / "data"), "--lang", "en"]
    assert run(capsys, "import", str(incomplete_file(tmp_path)), *d)[0] == 0
    code, out, err = run(capsys, "submit", "1", *d)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("pia-app: ") and "Traceback" not in err
    assert "4 required questions are unanswered" in err
    assert "Security measures: Measures in place" in err
    code, out, _ = run(capsys, "history", "1", "--json", *d)
    assert json.loads(out)["revisions"][0]["status"] == "draft"  # nothing changed
    zh = run(capsys, "submit", "1", "--data-dir", str(tmp_path / "data"), "--lang", "zh")[2]
    assert "评估尚未完成，不能提交审核" in zh and "已采取的措施" in zh


def test_approve_is_refused_when_answers_were_removed_during_review(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    d = ["--data-dir", str(tmp_path / "data"), "--lang", "en"]
    assert run(capsys, "import", str(EXAMPLE), *d)[0] == 0
    assert run(capsys, "submit", "1", *d)[0] == 0
    with open_repository(tmp_path / "data" / "pia.sqlite3") as repo:
        answers = dict(repo.revision(1).answers)
        del answers["k_measures"]
        repo.save_answers(1, answers)
    code, _, err = run(capsys, "approve", "1", "--by", "李明", "--role", "DPO", *d)
    assert code == 2 and err.count("\n") == 1
    assert "cannot be approved" in err and "Measures in place" in err
    assert "1 required questions" in err


def test_a_long_list_is_cut_with_a_count(form: Any) -> None:
    with pytest.raises(IncompleteError) as exc:
        require_complete(form, {}, "submit")
    text = exc.value.message("en")
    total = int(exc.value.params["count"])
    assert total > 50
    assert f"and {total - 8} more" in text
    assert "\n" not in text
    assert len(exc.value.missing) > 5  # the full list stays available, by section

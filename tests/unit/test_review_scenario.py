"""The "done when" of issue 14, through the commands (the same store functions the GUI calls):
two people (author and reviewer, two names, one data file) carry the call-centre example from
draft through comments and an evaluation "to be improved" to approval with attached evidence;
export, import into a fresh data folder, every comment, evaluation and attachment byte for
byte; `pia-app due` lists its open measures; marking one done records who and when."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pia_app.cli import main
from pia_app.paths import db_path
from pia_app.store.repository import Repository
from tests.conftest import EXAMPLES


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], data: Path) -> None:
        self.capsys = capsys
        self.data = data

    def __call__(self, *argv: str, code: int = 0) -> str:
        self.capsys.readouterr()
        got = main(["--data-dir", str(self.data), "--lang", "en", *argv])
        out, err = self.capsys.readouterr()
        assert got == code, (argv, out, err)
        return out if code == 0 else err

    def json(self, *argv: str) -> Any:
        return json.loads(self(*argv, "--json"))


def blobs(data: Path) -> dict[str, bytes]:
    with Repository(db_path(data)) as repo:
        return {r[0]: bytes(r[1]) for r in repo.db.execute("SELECT sha256, data FROM blobs")}


def test_two_people_review_approve_export_import_and_follow_up(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli = Cli(capsys, tmp_path / "office")
    consent = tmp_path / "同意界面 screenshot.png"
    consent.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    contract = tmp_path / "委托合同.pdf"
    contract.write_bytes(b"%PDF-1.7\n" + "签字盖章的委托处理合同".encode() * 100)

    # the author imports the example, names the roles and attaches evidence
    cli("name", "王芳")
    assert cli("import", str(EXAMPLES / "call_centre_voiceprint.json")).split() == ["1"]
    cli("roles", "1", "--author", "王芳", "--reviewer", "李明", "--dpo", "黄伟", "--approver", "赵六")
    cli("attach", "1", str(consent), "--question", "f_consent_mechanism", "--note", "IVR 单独同意提示")
    cli("attach", "1", str(contract), "--question", "m_treatments", "--row", "1")
    cli("submit", "1")

    # the reviewer comments and evaluates a section "to be improved"
    cli("name", "李明")
    assert "thread 1" in cli("comment", "1", "d_alternative", "拒绝声纹的客户走什么流程？").lower()
    cli("evaluate", "1", "F", "to_improve", "--comment", "重复提示的整改期限过长", "--role", "审核人")
    blocked = cli("approve", "1", "--by", "赵六", "--role", "总经理", code=2)
    assert "comment thread" in blocked and "d_alternative" in blocked

    # the author answers, the reviewer resolves, the DPO advises, the approver decides and signs
    cli("name", "王芳")
    cli("reply", "1", "1", "转人工坐席核验身份证件和预留信息")
    cli("name", "李明")
    cli("resolve", "1", "1")
    cli("name", "黄伟")
    cli("dpo", "1", "--advice", "建议重复提示问题 30 天内整改")
    cli("name", "赵六")
    cli("dpo", "1", "--overruled", "IVR 改版排期已定，年底前完成")
    assert "approved" in cli("approve", "1", "--by", "赵六", "--role", "总经理").lower()
    status = cli.json("review-status", "1")
    assert status["status"] == "approved" and status["blockers"] == [] and status["conflicts"] == []
    assert status["evaluations"][0]["verdict"] == "to_improve"

    # frozen: nothing can be attached to the approved revision
    assert "frozen" in cli("attach", "1", str(consent), "--question", "a_scope", code=2)

    # the open measure is listed
    due = cli.json("due", "--as-of", "2026-11-30")
    measures = [d for d in due if d["kind"] == "measure"]
    assert [(m["ref"], m["status"], m["due"], m["overdue"]) for m in measures] == [
        ("F-16", "planned", "2026-12-31", False)  # the example cites gap numbers (issue 8)
    ]
    assert measures[0]["gap"] and measures[0]["gap"][0] == "F"  # the gap number users see
    assert f"[{measures[0]['gap']}]" in cli("due", "--as-of", "2026-11-30")
    ics = tmp_path / "due.ics"
    cli("due", "--ics", str(ics), "--as-of", "2026-11-30")
    assert b"\r\nDTSTART;VALUE=DATE:20261231\r\n" in ics.read_bytes()  # CRLF lines (RFC 5545)

    # export and import into a fresh data folder: every record and file byte for byte
    out = tmp_path / "export.json"
    cli("export", "1", "--out", str(out), "--history")
    fresh = Cli(capsys, tmp_path / "auditor")
    assert fresh("import", str(out)).split() == ["1"]
    assert fresh.json("comments", "1") == cli.json("comments", "1")
    assert fresh.json("attachments", "1") == cli.json("attachments", "1")
    assert fresh.json("review-status", "1") == cli.json("review-status", "1")
    assert blobs(tmp_path / "auditor") == blobs(tmp_path / "office")
    assert consent.read_bytes() in blobs(tmp_path / "auditor").values()
    assert contract.read_bytes() in blobs(tmp_path / "auditor").values()
    assert fresh.json("due", "--as-of", "2026-11-30") == due
    fresh("verify")  # exits 0: trail and revisions intact after the import

    # marking the measure done (with evidence) records who and when, and it leaves the due list
    cli("name", "吴婷")
    proof = tmp_path / "IVR 改版上线记录.pdf"
    proof.write_bytes(b"%PDF-1.7 release note")
    cli("measure", "1", "3", "done", "--date", "2026-12-20", "--evidence", str(proof))
    assert [d for d in cli.json("due", "--as-of", "2026-11-30") if d["kind"] == "measure"] == []
    with Repository(db_path(tmp_path / "office")) as repo:
        entry = repo.audit(1)[-1]
    assert (entry["action"], entry["actor"], entry["detail"]["date"]) == (
        "treatment_status",
        "吴婷",
        "2026-12-20",
    )
    assert entry["detail"]["evidence"]["name"] == "IVR 改版上线记录.pdf"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("comment", "1", "zz_nope", "x"), "zz_nope"),
        (("comment", "1", "a_scope", "   "), "empty"),
        (("comment", "9", "a_scope", "x"), "9"),
        (("reply", "1", "42", "x"), "42"),
        (("evaluate", "1", "Z", "acceptable"), "Z"),
        (("evaluate", "1", "D", "to_improve"), "comment"),
        (("dpo", "1", "--followed"), "no DPO advice"),
        (("dpo", "1", "--overruled", " "), "reason"),
        (("attach", "1", "/nonexistent/合同.pdf", "--question", "a_scope"), "合同.pdf"),
        (("attach", "1", ".", "--question", "a_scope"), "."),
        (("attach", "1", "README.md", "--question", "a_scope", "--row", "0"), "from 1"),
        (("attach-limit", "0"), "1024"),
        (("measure", "1", "1", "done"), "no approved revision"),
        (("measure", "1", "1", "done", "--date", "20261301"), "20261301"),
        (("roles", "1", "--author", ""), None),
        (("due", "--as-of", "tomorrow"), "tomorrow"),
    ],
)
def test_mistakes_are_one_line_exit_2_and_change_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...], needle: str | None
) -> None:
    cli = Cli(capsys, tmp_path / "data")
    cli("import", str(EXAMPLES / "call_centre_voiceprint.json"))
    before = cli("history", "1")
    if needle is None:  # an empty name is no name: accepted, nothing recorded
        cli(*argv)
        return
    err = cli(*argv, code=2)
    assert err.startswith("pia-app: ") and err.count("\n") == 1 and "Traceback" not in err
    assert needle in err
    assert cli("history", "1") == before

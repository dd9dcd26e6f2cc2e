"""Review records and attachments in the JSON format: export → import into a fresh data folder
→ export gives the same records and byte-identical files; altered files are refused whole."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pia_app.errors import UserError
from pia_app.interchange import FORMAT_VERSION, dumps, export_document, export_file, import_file
from pia_app.paths import db_path
from pia_app.store.repository import Repository
from pia_app.store.review_store import ReviewStore, sha256_bytes

PNG = bytes(range(256)) * 40 + b"\x00\xff consent screen"
PDF = b"%PDF-1.7\n" + bytes(200) + "签字合同".encode()


def build(repo: Repository, form: Any, tmp_path: Path) -> int:
    review = ReviewStore(repo, form)
    aid = repo.create(form.id, form.version, "客服声纹")
    repo.save_answers(
        aid,
        {
            "a_scope": "客服热线",
            "m_treatments": [
                {"ref_id": "R1", "measure": "堡垒机", "deadline": "2026-10-15", "status": "planned"},
                {"ref_id": "R2", "measure": "合成语音检测", "deadline": "2026-12-31", "status": "planned"},
            ],
        },
    )
    repo.set_actor_name("王芳")
    review.set_role(aid, "author", ["王芳"])
    review.set_role(aid, "reviewer", ["李明"])
    review.attach_bytes(aid, "同意界面.png", PNG, "a_scope")
    review.attach_bytes(aid, "合同.pdf", PDF, "m_treatments", row_index=1, note="委托合同")
    review.attach_bytes(aid, "again.png", PNG, "m_treatments", row_index=0)
    repo.set_actor_name("李明")
    th = review.open_thread(aid, "a_scope", "范围 <含> & {{ 外包坐席 }}？")
    review.evaluate(aid, "A", "to_improve", "补充外包坐席")
    review.give_dpo_advice(aid, "建议录音保存 90 天")
    repo.set_actor_name("王芳")
    review.reply(aid, th.id, "已补充")
    review.resolve(aid, th.id)
    review.decide_dpo_advice(aid, "overruled", "监管要求保存 6 个月")
    repo.submit(aid)
    repo.approve(aid, "赵六", "总经理")
    evidence = tmp_path / "验收.txt"
    evidence.write_bytes("验收通过".encode())
    review.record_progress(aid, 0, "done", dt.date(2026, 10, 14), "已上线", evidence)
    repo.start_review(aid, "periodic")
    review.open_thread(aid, "a_scope", "复评：范围有变化吗？")
    return aid


def blobs(repo: Repository) -> dict[str, bytes]:
    return {r[0]: bytes(r[1]) for r in repo.db.execute("SELECT sha256, data FROM blobs")}


def test_round_trip_keeps_every_record_and_file_byte_for_byte(
    repo: Repository, form: Any, tmp_path: Path
) -> None:
    aid = build(repo, form, tmp_path)
    out = tmp_path / "export.json"
    export_file(repo, [aid], out, history=True)
    first = json.loads(out.read_text("utf-8"))
    assert first["format_version"] == FORMAT_VERSION == 2
    assert sorted(first["files"]) == sorted(
        {sha256_bytes(PNG), sha256_bytes(PDF), sha256_bytes("验收通过".encode())}
    )
    assert base64.b64decode(first["files"][sha256_bytes(PDF)]) == PDF

    with Repository(db_path(tmp_path / "fresh"), actor="别人") as other:
        (new_id,) = import_file(other, form, out)
        assert blobs(other) == blobs(repo)
        review = ReviewStore(other, form)
        (th,) = review.threads(new_id, 1)
        assert [c.body for c in th.comments] == ["范围 <含> & {{ 外包坐席 }}？", "已补充"]
        assert th.resolved_by == "王芳"
        assert review.evaluations(new_id, 1)[0].verdict == "to_improve"
        assert review.roles(new_id, 2)["reviewer"] == ["李明"]
        (evidence,) = [a for a in review.attachments(new_id, 1) if a.progress_id is not None]
        assert review.blob(evidence.sha256) == "验收通过".encode()
        again = export_document(other, [new_id], history=True, exported_at=first["metadata"]["exported_at"])
    assert again["review"] == first["review"]
    assert again["files"] == first["files"]
    assert again["revisions"] == first["revisions"]
    assert again["audit"][: len(first["audit"])] == first["audit"]


def test_the_imported_approved_revision_is_frozen(repo: Repository, form: Any, tmp_path: Path) -> None:
    aid = build(repo, form, tmp_path)
    out = export_file(repo, [aid], tmp_path / "e.json", history=True)
    with Repository(db_path(tmp_path / "fresh")) as other:
        (new_id,) = import_file(other, form, out)
        import sqlite3

        with pytest.raises(sqlite3.IntegrityError):
            other.db.execute("UPDATE attachments SET name = 'x' WHERE revision = 1")
        assert other.db.execute(
            "SELECT count(*) FROM attachments WHERE assessment_id = ?", [new_id]
        ).fetchone()[0] == len(ReviewStore(other).attachments(new_id, 1)) + len(
            ReviewStore(other).attachments(new_id, 2)
        )


def test_snapshot_carries_the_current_revision_only(repo: Repository, form: Any, tmp_path: Path) -> None:
    aid = build(repo, form, tmp_path)
    doc = export_document(repo, [aid], history=False)
    assert [t["revision"] for t in doc["review"]["threads"]] == [1]
    assert doc["review"]["threads"][0]["comments"][0]["text"] == "复评：范围有变化吗？"
    assert doc["review"]["progress"] == []
    assert {a["name"] for a in doc["review"]["attachments"]} == {
        "同意界面.png",
        "合同.pdf",
        "again.png",
        "验收.txt",
    }
    path = tmp_path / "snap.json"
    path.write_text(dumps(doc), "utf-8")
    with Repository(db_path(tmp_path / "fresh")) as other:
        (new_id,) = import_file(other, form, path)
        assert len(ReviewStore(other).threads(new_id, 1)) == 1


def test_a_version_1_file_still_imports(repo: Repository, form: Any, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    old = {"format": "pia-app-assessment", "format_version": 1, "form": {"id": form.id, "version": "0.1"}}
    path.write_text(json.dumps({**old, "answers": {"a_scope": "A 座"}}), "utf-8")
    (aid,) = import_file(repo, form, path)
    assert repo.revision(aid).answers == {"a_scope": "A 座"}
    assert ReviewStore(repo).threads(aid) == []


def _tampered(doc: dict[str, Any], how: str) -> dict[str, Any]:
    bad = copy.deepcopy(doc)
    sha = sha256_bytes(PDF)
    if how == "file bytes":
        bad["files"][sha] = base64.b64encode(PDF + b"!").decode()
    elif how == "not base64":
        bad["files"][sha] = "***"
    elif how == "file missing":
        del bad["files"][sha]
    elif how == "size":
        bad["review"]["attachments"][1]["size"] += 1
    elif how == "open thread on approved":
        bad["review"]["threads"][0]["resolved_by"] = None
        bad["review"]["threads"][0]["resolved_at"] = None
    elif how == "unknown question":
        bad["review"]["threads"][0]["question"] = "zz_nope"
    elif how == "unknown revision":
        bad["review"]["roles"][0]["revision"] = 9
    elif how == "overruled without reason":
        bad["review"]["dpo_advice"][0]["reason"] = ""
    elif how == "bad verdict":
        bad["review"]["evaluations"][0]["verdict"] = "fine"
    return bad


@pytest.mark.parametrize(
    "how",
    [
        "file bytes",
        "not base64",
        "file missing",
        "size",
        "open thread on approved",
        "unknown question",
        "unknown revision",
        "overruled without reason",
        "bad verdict",
    ],
)
def test_altered_review_data_is_refused_and_nothing_imported(
    repo: Repository, form: Any, tmp_path: Path, how: str
) -> None:
    aid = build(repo, form, tmp_path)
    doc = export_document(repo, [aid], history=True)
    path = tmp_path / "bad.json"
    path.write_text(dumps(_tampered(doc, how)), "utf-8")
    with Repository(db_path(tmp_path / "fresh")) as other:
        with pytest.raises(UserError) as exc:
            import_file(other, form, path)
        assert exc.value.key in ("error.import_review", "error.schema")
        assert "bad.json" in exc.value.message("en")
        assert other.list_assessments(include_archived=True) == []
        assert other.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0

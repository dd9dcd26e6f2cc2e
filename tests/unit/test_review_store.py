"""Review records through the store: roles, evaluations, comment threads, DPO advice,
attachments (content-addressed, deduplicated, limited, frozen with approval) and follow-up."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pia_app.errors import UserError
from pia_app.store.repository import Repository
from pia_app.store.review_store import MB, ReviewStore, sha256_bytes
from pia_app.store.verify import verify

TREATMENTS = [
    {"ref_id": "R1", "measure": "模板加密", "deadline": "2026-03-01", "status": "planned"},
    {"ref_id": "R2", "measure": "活体检测", "deadline": "2026-12-31", "status": "in_progress"},
]


@pytest.fixture
def review(repo: Repository, form: Any) -> ReviewStore:
    return ReviewStore(repo, form)


def draft(repo: Repository, form: Any) -> int:
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, {"a_scope": "A 座", "m_treatments": TREATMENTS})
    return aid


def approve(repo: Repository, aid: int) -> None:
    repo.submit(aid)
    repo.approve(aid, "赵六", "总经理")


def counts(repo: Repository) -> tuple[int, ...]:
    tables = ("attachments", "blobs", "comment_threads", "treatment_progress", "audit_log")
    return tuple(int(repo.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables)


def test_roles_are_kept_in_order_and_logged(repo: Repository, review: ReviewStore, form: Any) -> None:
    aid = draft(repo, form)
    review.set_role(aid, "author", ["王芳", " 张三 ", "王芳", ""])
    review.set_role(aid, "dpo", ["黄伟"])
    assert review.roles(aid) == {"author": ["王芳", "张三"], "reviewer": [], "dpo": ["黄伟"], "approver": []}
    entry = repo.audit(aid)[-1]
    assert (entry["action"], entry["detail"]["role"], entry["detail"]["to"]) == ("roles_set", "dpo", ["黄伟"])
    with pytest.raises(UserError) as exc:
        review.set_role(aid, "boss", ["x"])
    assert exc.value.key == "error.review_role"


def test_evaluation_needs_a_comment_unless_acceptable_and_can_be_revised(
    repo: Repository, review: ReviewStore, form: Any
) -> None:
    aid = draft(repo, form)
    with pytest.raises(UserError) as exc:
        review.evaluate(aid, "D", "to_improve", "  ")
    assert exc.value.key == "error.review_verdict_comment"
    with pytest.raises(UserError):
        review.evaluate(aid, "Z", "acceptable")
    repo.set_actor_name("李明")
    review.evaluate(aid, "D", "not_acceptable", "缺少替代方式", "审核人")
    review.evaluate(aid, "A", "acceptable")
    review.evaluate(aid, "D", "to_improve", "替代方式已补充，说明待完善", "审核人")
    evals = review.evaluations(aid)
    assert [(e.section_id, e.verdict, e.reviewer) for e in evals] == [
        ("A", "acceptable", "李明"),
        ("D", "to_improve", "李明"),
    ]
    assert evals[1].reviewer_role == "审核人"
    logged = [e["detail"]["verdict"] for e in repo.audit(aid) if e["action"] == "section_evaluated"]
    assert logged == ["not_acceptable", "acceptable", "to_improve"]


def test_open_threads_and_not_acceptable_sections_block_approval(
    repo: Repository, review: ReviewStore, form: Any
) -> None:
    aid = draft(repo, form)
    repo.set_actor_name("李明")
    th = review.open_thread(aid, "a_scope", "范围是否包括 B 座？")
    review.evaluate(aid, "D", "not_acceptable", "缺少替代方式")
    repo.set_actor_name("王芳")
    th = review.reply(aid, th.id, "<不包括> & {{ B 座 }}")
    assert [(c.author, c.body) for c in th.comments] == [
        ("李明", "范围是否包括 B 座？"),
        ("王芳", "<不包括> & {{ B 座 }}"),
    ]
    assert review.open_thread_counts(aid) == {"a_scope": 1}
    repo.submit(aid)
    with pytest.raises(UserError) as exc:
        repo.approve(aid, "赵六", "总经理")
    assert exc.value.key == "error.review_open_comments"
    assert "a_scope" in exc.value.message("en")
    repo.set_actor_name("李明")
    th = review.resolve(aid, th.id)
    assert (th.resolved, th.resolved_by) == (True, "李明")
    with pytest.raises(UserError) as exc:
        repo.approve(aid, "赵六", "总经理")
    assert exc.value.key == "error.review_not_acceptable"
    assert repo.revision(aid).status == "in_review"
    # the database refuses it too, whatever program tries
    with pytest.raises(sqlite3.IntegrityError, match="block approval"):
        repo.db.execute(
            "UPDATE revisions SET status = 'approved', content_hash = ?, approved_at = 'x'"
            " WHERE assessment_id = ?",
            ["0" * 64, aid],
        )
    review.evaluate(aid, "D", "to_improve", "说明待完善")
    repo.approve(aid, "赵六", "总经理")
    assert repo.revision(aid).status == "approved"
    assert verify(repo).ok


def test_reopened_thread_blocks_again(repo: Repository, review: ReviewStore, form: Any) -> None:
    aid = draft(repo, form)
    th = review.open_thread(aid, "a_scope", "?")
    review.resolve(aid, th.id)
    review.resolve(aid, th.id, resolved=False)
    repo.submit(aid)
    with pytest.raises(UserError):
        repo.approve(aid, "赵六", "总经理")
    assert [e["action"] for e in repo.audit(aid)][-3:] == ["comment_resolved", "comment_reopened", "status"]


def test_dpo_advice_followed_or_overruled_with_reason(
    repo: Repository, review: ReviewStore, form: Any
) -> None:
    aid = draft(repo, form)
    with pytest.raises(UserError) as exc:
        review.decide_dpo_advice(aid, "followed")
    assert exc.value.key == "error.dpo_no_advice"
    repo.set_actor_name("黄伟")
    review.give_dpo_advice(aid, "建议缩短保存期限至 30 天")
    repo.set_actor_name("赵六")
    with pytest.raises(UserError) as exc:
        review.decide_dpo_advice(aid, "overruled", " ")
    assert exc.value.key == "error.dpo_overruled_reason"
    advice = review.decide_dpo_advice(aid, "overruled", "监管要求保存 6 个月")
    assert (advice.given_by, advice.decision, advice.reason, advice.decided_by) == (
        "黄伟",
        "overruled",
        "监管要求保存 6 个月",
        "赵六",
    )
    # new advice needs a new decision
    advice = review.give_dpo_advice(aid, "建议 90 天")
    assert advice.decision is None and advice.reason == ""


def test_attachments_are_content_addressed_and_deduplicated(
    repo: Repository, review: ReviewStore, form: Any, tmp_path: Path
) -> None:
    aid = draft(repo, form)
    data = bytes(range(256)) * 10
    (tmp_path / "同意界面.png").write_bytes(data)
    (tmp_path / "copy.png").write_bytes(data)
    a = review.attach_file(aid, tmp_path / "同意界面.png", "a_scope")
    b = review.attach_file(aid, tmp_path / "copy.png", "m_treatments", row_index=1, note="同一截图")
    assert (a.name, a.media_type, a.size, a.sha256) == ("同意界面.png", "image/png", 2560, sha256_bytes(data))
    assert (b.question_id, b.row_index, b.note) == ("m_treatments", 1, "同一截图")
    assert repo.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert review.blob(a.sha256) == data
    assert [x.id for x in review.attachments(aid, question_id="m_treatments")] == [b.id]
    review.detach(aid, a.id)
    assert repo.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1  # still used by b
    review.detach(aid, b.id)
    assert repo.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    assert [e["action"] for e in repo.audit(aid)][-4:] == ["attached", "attached", "detached", "detached"]
    with pytest.raises(UserError) as exc:
        review.attach_file(aid, tmp_path / "copy.png", "a_scope", row_index=0)
    assert exc.value.key == "error.attach_row"


def test_too_large_or_unreadable_file_is_refused_without_change(
    repo: Repository, review: ReviewStore, form: Any, tmp_path: Path
) -> None:
    aid = draft(repo, form)
    assert review.attachment_limit_mb() == 50
    review.set_attachment_limit_mb(1)
    big = tmp_path / "pentest.pdf"
    big.write_bytes(b"x" * (MB + 1))
    before = counts(repo)
    with pytest.raises(UserError) as exc:
        review.attach_file(aid, big, "a_scope")
    assert exc.value.key == "error.attach_too_large"
    assert "pentest.pdf" in exc.value.message("en") and "1 MB" in exc.value.message("en")
    for bad in (tmp_path / "missing.pdf", tmp_path, tmp_path / "empty.pdf"):
        if bad.name == "empty.pdf":
            bad.write_bytes(b"")
        with pytest.raises(UserError) as exc:
            review.attach_file(aid, bad, "a_scope")
        assert exc.value.key in ("error.file_missing", "error.file_read", "error.attach_empty")
    assert counts(repo) == before
    with pytest.raises(UserError):
        review.set_attachment_limit_mb(0)
    review.set_attachment_limit_mb(None)
    assert review.attachment_limit_mb() == 50


def test_an_approved_revision_freezes_its_review_records(
    repo: Repository, review: ReviewStore, form: Any, tmp_path: Path
) -> None:
    aid = draft(repo, form)
    th = review.open_thread(aid, "a_scope", "?")
    review.resolve(aid, th.id)
    att = review.attach_bytes(aid, "合同.pdf", b"%PDF contract", "m_treatments", row_index=0)
    review.set_role(aid, "reviewer", ["李明"])
    approve(repo, aid)
    (tmp_path / "x.txt").write_text("x")
    attempts = [
        lambda: review.set_role(aid, "reviewer", ["别人"]),
        lambda: review.evaluate(aid, "A", "acceptable"),
        lambda: review.open_thread(aid, "a_scope", "later"),
        lambda: review.resolve(aid, th.id, resolved=False),
        lambda: review.give_dpo_advice(aid, "later"),
        lambda: review.attach_file(aid, tmp_path / "x.txt", "a_scope"),
        lambda: review.detach(aid, att.id),
    ]
    for attempt in attempts:
        with pytest.raises(UserError) as exc:
            attempt()
        assert exc.value.key == "error.frozen"
    for sql in (
        "DELETE FROM attachments",
        "UPDATE attachments SET name = 'forged.pdf'",
        "UPDATE comment_threads SET resolved_at = NULL, resolved_by = NULL",
        "DELETE FROM review_roles",
        f"INSERT INTO comment_threads (assessment_id, revision, question_id, opened_by, opened_at)"
        f" VALUES ({aid}, 1, 'a_scope', 'x', 'y')",
        "UPDATE blobs SET data = x'00'",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            repo.db.execute(sql)
    assert review.blob(att.sha256) == b"%PDF contract"


def test_mark_done_after_approval_records_who_when_and_evidence(
    repo: Repository, review: ReviewStore, form: Any, tmp_path: Path
) -> None:
    aid = draft(repo, form)
    with pytest.raises(UserError) as exc:
        review.record_progress(aid, 0, "done")
    assert exc.value.key == "error.progress_not_approved"
    approve(repo, aid)
    with pytest.raises(UserError) as exc:
        review.record_progress(aid, 5, "done")
    assert exc.value.key == "error.progress_row"
    before = counts(repo)
    with pytest.raises(UserError):
        review.record_progress(aid, 0, "done", evidence=tmp_path / "missing.pdf")
    assert counts(repo) == before
    repo.set_actor_name("冯丽")
    report = tmp_path / "加密验收报告.pdf"
    report.write_bytes(b"%PDF acceptance")
    p = review.record_progress(aid, 0, "done", dt.date(2026, 2, 20), "已验收", report)
    assert (p.revision, p.row_index, p.status, p.on_date, p.recorded_by) == (
        1,
        0,
        "done",
        "2026-02-20",
        "冯丽",
    )
    entry = repo.audit(aid)[-1]
    assert (entry["action"], entry["actor"]) == ("treatment_status", "冯丽")
    assert entry["detail"]["ref_id"] == "R1"
    assert entry["detail"]["evidence"]["sha256"] == sha256_bytes(b"%PDF acceptance")
    (evidence,) = review.attachments(aid, 1)
    assert (evidence.progress_id, evidence.row_index, evidence.name) == (p.id, 0, "加密验收报告.pdf")
    with pytest.raises(sqlite3.IntegrityError):
        repo.db.execute("DELETE FROM treatment_progress")
    assert verify(repo).ok


def test_re_review_carries_roles_and_evidence_but_not_the_old_discussion(
    repo: Repository, review: ReviewStore, form: Any
) -> None:
    aid = draft(repo, form)
    review.set_role(aid, "author", ["王芳"])
    th = review.open_thread(aid, "a_scope", "?")
    review.resolve(aid, th.id)
    review.attach_bytes(aid, "合同.pdf", b"%PDF contract", "m_treatments", row_index=0)
    approve(repo, aid)
    review.record_progress(aid, 0, "in_progress")
    review.record_progress(aid, 1, "done")
    number = repo.start_review(aid, "periodic")
    assert [r["status"] for r in repo.revision(aid, number).answers["m_treatments"]] == [
        "in_progress",
        "done",
    ]
    assert [r["status"] for r in repo.revision(aid, 1).answers["m_treatments"]] == ["planned", "in_progress"]
    assert verify(repo).ok
    assert review.roles(aid, number)["author"] == ["王芳"]
    assert [a.name for a in review.attachments(aid, number)] == ["合同.pdf"]
    assert review.threads(aid, number) == [] and len(review.threads(aid, 1)) == 1
    assert repo.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    # the carried attachment belongs to the draft and can be removed there, not in revision 1
    (carried,) = review.attachments(aid, number)
    review.detach(aid, carried.id)
    assert [a.name for a in review.attachments(aid, 1)] == ["合同.pdf"]


def test_deleting_an_assessment_removes_its_files(repo: Repository, review: ReviewStore, form: Any) -> None:
    keep = draft(repo, form)
    gone = draft(repo, form)
    review.attach_bytes(keep, "shared.pdf", b"shared", "a_scope")
    review.attach_bytes(gone, "shared.pdf", b"shared", "a_scope")
    review.attach_bytes(gone, "own.pdf", b"own", "a_scope")
    th = review.open_thread(gone, "a_scope", "?")
    repo.delete(gone)
    assert [r[0] for r in repo.db.execute("SELECT data FROM blobs")] == [b"shared"]
    assert repo.db.execute("SELECT count(*) FROM comments").fetchone()[0] == 0
    with pytest.raises(UserError):
        review.thread(gone, th.id)


def test_verify_sees_a_stored_file_changed_behind_the_apps_back(
    repo: Repository, review: ReviewStore, form: Any
) -> None:
    aid = draft(repo, form)
    att = review.attach_bytes(aid, "合同.pdf", b"%PDF signed contract", "a_scope")
    assert verify(repo).ok
    repo.db.execute("DROP TRIGGER blobs_no_update")
    repo.db.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", [b"%PDF forged contract", att.sha256])
    problems = verify(repo).problems  # the dropped guard is reported too (issue 9)
    assert [p.key for p in problems] == ["verify.guard_missing", "verify.file_altered"]
    assert "合同.pdf" in problems[1].message("en")
    repo.db.execute("UPDATE blobs SET data = ?, size = 3 WHERE sha256 = ?", [b"abc", att.sha256])
    keys = sorted(p.key for p in verify(repo).problems)
    assert keys == ["verify.file_altered", "verify.file_missing", "verify.guard_missing"]


def test_a_file_that_cannot_be_read_is_refused_without_change(
    repo: Repository, review: ReviewStore, form: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = draft(repo, form)
    secret = tmp_path / "渗透测试报告.pdf"
    secret.write_bytes(b"%PDF report")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == secret:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)  # root reads anything: fail as a user's read would
    before = counts(repo)
    with pytest.raises(UserError) as exc:
        review.attach_file(aid, secret, "k_pentest" if form.question("k_pentest") else "a_scope")
    assert exc.value.key == "error.file_read"
    assert "渗透测试报告.pdf" in exc.value.message("en") and "Permission denied" in exc.value.message("en")
    assert counts(repo) == before

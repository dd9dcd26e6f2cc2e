"""Statuses, revisions, re-review, archive, retention and the actor name, through the store."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pia_app.canonical import content_hash
from pia_app.errors import UserError
from pia_app.paths import db_path
from pia_app.store.repository import REVIEW_REASONS, Repository


def approved(repo: Repository, form: Any, answers: dict[str, Any]) -> int:
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(aid, answers)
    repo.submit(aid)
    repo.approve(aid, "李明", "个人信息保护负责人")
    return aid


def test_draft_review_approve_records_who_role_date_and_hash(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, {"a_scope": "A 座"})
    assert repo.revision(aid).status == "draft"
    repo.submit(aid)
    assert repo.get(aid).status == "in_review"
    rev = repo.approve(aid, " 李明 ", "DPO", at="2026-01-05T08:00:00Z")
    assert (rev.status, rev.approved_by, rev.approved_role) == ("approved", "李明", "DPO")
    assert rev.approved_at == "2026-01-05T08:00:00Z"
    assert rev.content_hash == content_hash(form.id, form.version, {"a_scope": "A 座"})
    assert repo.get(aid).status == "approved"
    assert [e["action"] for e in repo.audit(aid)] == ["created", "answered", "status", "approved"]


def test_approve_needs_review_first_and_a_name(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    with pytest.raises(UserError) as exc:
        repo.approve(aid, "李明", "DPO")
    assert exc.value.key == "error.not_in_review"
    repo.submit(aid)
    with pytest.raises(UserError) as exc:
        repo.approve(aid, "  ", "DPO")
    assert exc.value.key == "error.approve_who"
    assert repo.revision(aid).status == "in_review"


def test_approved_revision_is_frozen_through_the_repository(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"a_scope": "x"})
    for action in (
        lambda: repo.save_answers(aid, {"a_scope": "y"}),
        lambda: repo.set_status(aid, "draft"),
        lambda: repo.approve(aid, "王", "DPO"),
    ):
        with pytest.raises(UserError) as exc:
            action()
        assert exc.value.key == "error.frozen"
    assert repo.revision(aid).answers == {"a_scope": "x"}


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE revisions SET answers = '{}'",
        "UPDATE revisions SET status = 'draft'",
        "UPDATE revisions SET approved_by = 'mallory'",
        "UPDATE revisions SET content_hash = NULL",
        "DELETE FROM revisions",
    ],
)
def test_approved_revision_is_frozen_against_raw_sql(repo, form, sql: str) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"a_scope": "x"})
    before = repo.revision(aid)
    other = sqlite3.connect(repo.path)  # another program, not our connection
    try:
        with pytest.raises(sqlite3.IntegrityError, match="frozen"):
            other.execute(sql)
    finally:
        other.close()
    assert repo.revision(aid) == before


def test_inserting_an_approved_revision_without_hash_is_refused(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    with pytest.raises(sqlite3.IntegrityError, match="hash"):
        repo.db.execute(
            "INSERT INTO revisions (assessment_id, number, status, created_at, updated_at)"
            " VALUES (?, 2, 'approved', 'x', 'x')",
            [aid],
        )


def test_start_review_copies_last_approved_and_keeps_old_revisions(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"a_scope": "v1", "a_assessment_type": "prior_new"})
    number = repo.start_review(aid, "major_incident", "数据泄露事件后")
    assert number == 2
    new = repo.revision(aid)
    assert (new.number, new.status, new.based_on) == (2, "draft", 1)
    assert (new.review_reason, new.review_note) == ("major_incident", "数据泄露事件后")
    assert new.answers == {"a_scope": "v1", "a_assessment_type": "major_incident"}
    repo.save_answers(aid, {**new.answers, "a_scope": "v2"})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    repo.start_review(aid, "periodic")
    revs = repo.revisions(aid)
    assert [(r.number, r.status) for r in revs] == [(1, "approved"), (2, "approved"), (3, "draft")]
    assert revs[0].answers["a_scope"] == "v1"
    assert revs[2].answers["a_scope"] == "v2"
    assert repo.revision(aid, 1).answers["a_assessment_type"] == "prior_new"


def test_start_review_refused_while_a_revision_is_open_or_reason_unknown(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    with pytest.raises(UserError) as exc:
        repo.start_review(aid, "periodic")
    assert exc.value.key == "error.review_open"
    assert "Draft" in exc.value.message("en")
    with pytest.raises(UserError) as exc:
        repo.start_review(aid, "because")
    assert exc.value.key == "error.review_reason"
    assert len(repo.revisions(aid)) == 1


def test_review_reasons_are_the_assessment_type_options(form) -> None:  # type: ignore[no-untyped-def]
    codes = {o.code for o in form.questions["a_assessment_type"].options}
    # the first assessment of a processing activity is no re-review reason: prior_new, and
    # retrospective (running but never assessed, issue 8)
    assert set(REVIEW_REASONS) == codes - {"prior_new", "retrospective"}


def test_due_for_review_when_next_review_date_passed(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"m_next_review": "2027-03-01"})
    summary = repo.get(aid)
    assert summary.next_review == "2027-03-01"
    assert not summary.due_for_review(dt.date(2027, 2, 28))
    assert summary.due_for_review(dt.date(2027, 3, 1))
    assert summary.display_status(dt.date(2027, 3, 2)) == "due"
    repo.start_review(aid, "periodic")
    assert not repo.get(aid).due_for_review(dt.date(2030, 1, 1))  # under way: a draft


def test_next_review_defaults_to_a_year_after_the_report_date(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"m_report_date": "2024-02-29"})
    summary = repo.list_assessments()[0]
    assert summary.id == aid
    assert summary.next_review == "2025-02-28"


def test_flag_makes_due_and_review_clears_it(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"a_scope": "x"})
    assert not repo.get(aid).due_for_review()
    repo.flag_for_review(aid, "law_change")
    assert repo.get(aid).review_flag == "law_change"
    assert repo.get(aid).due_for_review()
    repo.start_review(aid, "law_change")
    assert repo.get(aid).review_flag is None
    assert "flagged" in [e["action"] for e in repo.audit(aid)]


def test_archive_hides_without_deleting(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "旧项目")
    repo.archive(aid)
    assert [s.id for s in repo.list_assessments()] == []
    assert [s.id for s in repo.list_assessments(include_archived=True)] == [aid]
    assert repo.revision(aid).number == 1
    repo.unarchive(aid)
    assert [s.id for s in repo.list_assessments()] == [aid]
    assert [e["action"] for e in repo.audit(aid)][-2:] == ["archived", "unarchived"]


def test_delete_refused_within_three_years_of_the_report(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"m_report_date": "2025-06-30"})
    with pytest.raises(UserError) as exc:
        repo.delete(aid, today=dt.date(2028, 6, 29))
    assert exc.value.key == "error.retention"
    message = exc.value.message("zh")
    assert "2028-06-30" in message and "第五十六条" in message
    assert repo.get(aid).id == aid
    repo.delete(aid, today=dt.date(2028, 6, 30))
    with pytest.raises(UserError):
        repo.get(aid)


def test_retention_uses_approval_date_without_report_date_and_later_retain_until(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"a_scope": "x"})
    approved_on = dt.date.fromisoformat(repo.revision(aid).approved_at[:10])
    report, until = repo.retention_until(aid)
    assert report == approved_on
    assert until.year == approved_on.year + 3
    other = approved(repo, form, {"m_report_date": "2020-01-01", "m_retain_until": "2030-01-01"})
    assert repo.retention_until(other) == (dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    with pytest.raises(UserError):
        repo.delete(other, today=dt.date(2029, 12, 31))


def test_deleting_keeps_audit_entries(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version, "草稿")  # never approved: no report to keep
    uid = repo.get(aid).uid
    repo.save_answers(aid, {"a_scope": "x"})
    repo.delete(aid)
    entries = [e for e in repo.audit() if e["assessment_uid"] == uid]
    assert [e["action"] for e in entries] == ["created", "answered", "deleted"]
    assert repo.db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_deleting_after_retention_removes_approved_revisions(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = approved(repo, form, {"m_report_date": "2020-01-01"})
    repo.delete(aid, today=dt.date(2026, 1, 1))
    assert repo.db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_actor_is_os_user_or_the_preference(isolated_data_dir: Path, form, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("pia_app.store.repository.default_actor", lambda: "os-user")
    path = db_path()
    with Repository(path) as repo:
        assert repo.actor == "os-user"
        repo.set_actor_name("张三（法务）")
        aid = repo.create(form.id, form.version)
    with Repository(path) as repo:
        assert repo.actor_name() == "张三（法务）"
        repo.save_answers(aid, {"a_scope": "x"})
        assert [e["actor"] for e in repo.audit(aid)] == ["张三（法务）", "张三（法务）"]
        repo.set_actor_name("")
        assert repo.actor == "os-user"
    with Repository(path) as repo:
        assert repo.actor == "os-user"

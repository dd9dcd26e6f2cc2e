"""The due list (measures, re-reviews, filing), its iCalendar file, and separation of duties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pia_app.review.due import due_items
from pia_app.review.duties import duty_conflicts
from pia_app.review.ics import calendar, escape_text, fold
from pia_app.store.repository import Repository
from pia_app.store.review_store import ReviewStore

TODAY = dt.date(2026, 11, 30)


def plan(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [
        {"ref_id": ref, "measure": f"措施 {ref}", "owner": "安全部", "deadline": deadline, "status": status}
        for ref, deadline, status in rows
    ]


def test_open_measures_come_from_the_approved_plan_and_its_follow_up(repo: Repository, form: Any) -> None:
    aid = repo.create(form.id, form.version, "门禁")
    answers = {
        "m_treatments": plan(
            ("R1", "2026-10-01", "planned"), ("R2", "2027-01-15", "in_progress"), ("R3", "", "done")
        ),
        "m_report_date": "2026-01-10",
    }
    repo.save_answers(aid, answers)
    draft_items = due_items(repo, form, TODAY)
    assert [(i.kind, i.ref, i.plan_status, i.overdue) for i in draft_items] == [
        ("measure", "R1", "draft", True),
        ("measure", "R2", "draft", False),
    ]
    repo.submit(aid)
    repo.approve(aid, "赵六", "总经理")
    review = ReviewStore(repo, form)
    review.record_progress(aid, 0, "done", dt.date(2026, 11, 2))
    review.record_progress(aid, 1, "planned", dt.date(2026, 11, 3), "推迟")
    items = due_items(repo, form, TODAY)
    assert [(i.kind, i.ref, i.status, i.status_since, i.overdue) for i in items] == [
        ("review", "", "", "", False),
        ("measure", "R2", "planned", "2026-11-03", False),
    ]
    assert items[0].due == dt.date(2027, 1, 10)  # one year after the report date
    assert [i.kind for i in due_items(repo, form, TODAY, within_days=30)] == []
    assert [i.kind for i in due_items(repo, form, TODAY, within_days=41)] == ["review"]
    assert [i.kind for i in due_items(repo, form, TODAY, within_days=46)] == ["review", "measure"]
    repo.flag_for_review(aid, "major_incident")
    flagged = due_items(repo, form, TODAY)[-1]
    assert (flagged.kind, flagged.due, flagged.overdue, flagged.status) == (
        "review",
        None,
        True,
        "major_incident",
    )
    repo.archive(aid)
    assert due_items(repo, form, TODAY) == []


def test_filing_deadline_is_listed_until_filed(repo: Repository, form: Any) -> None:
    aid = repo.create(form.id, form.version, "人脸支付")
    answers = {
        "b_data_types": ["face_image", "face_template"],
        "b_uses_face_recognition": True,
        "b_face_stored_count": 120000,
        "h_filing_reached_date": "2026-10-09",
        "h_filing_status": "reached_not_filed",
    }
    repo.save_answers(aid, answers)
    (filing,) = [i for i in due_items(repo, form, TODAY) if i.kind == "filing"]
    assert filing.due is not None and filing.due > dt.date(2026, 11, 9)
    repo.save_answers(aid, {**answers, "h_filing_status": "reached_filed"})
    assert [i for i in due_items(repo, form, TODAY) if i.kind == "filing"] == []


def test_a_measure_names_its_gap_by_number_whether_it_cites_rule_id_or_number(
    repo: Repository, form: Any
) -> None:
    rule = next(r for r in form.rules if r.number)
    aid = repo.create(form.id, form.version, "门禁")
    repo.save_answers(
        aid, {"m_treatments": plan((rule.id, "2026-12-01", "planned"), (rule.number, "", "planned"))}
    )
    assert [(i.ref, i.gap) for i in due_items(repo, form, TODAY)] == [
        (rule.id, rule.number),
        (rule.number, rule.number),
    ]


def test_ics_is_folded_escaped_crlf_with_stable_uids(repo: Repository, form: Any) -> None:
    aid = repo.create(form.id, form.version, "门禁")
    long_measure = "人脸模板改为终端本地存储，服务器不保留；" * 6
    repo.save_answers(
        aid, {"m_treatments": [{"ref_id": "R1", "measure": long_measure, "deadline": "2026-12-31"}]}
    )
    items = due_items(repo, form, TODAY)
    text = calendar(items, ["门禁：措施 R1, a;b\\c"], now=dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:门禁：措施 R1\\, a\\;b\\\\c" in unfolded
    assert "DTSTART;VALUE=DATE:20261231" in unfolded and "DTEND;VALUE=DATE:20270101" in unfolded
    assert f"UID:{items[0].uid}-measure-1-0@pia-app" in unfolded
    assert "DTSTAMP:20261130T080000Z" in unfolded
    description = next(line for line in unfolded if line.startswith("DESCRIPTION:"))
    assert escape_text(long_measure) in description
    assert escape_text("a\nb") == "a\\nb"
    assert fold("é" * 40) == ["é" * 37, " " + "é" * 3]


def test_duty_conflicts_flag_people_holding_several_roles() -> None:
    roles = {"author": ["王芳", "张三"], "reviewer": ["李明"], "dpo": ["王芳"], "approver": []}
    assert duty_conflicts(roles) == []  # the DPO may also write
    (c,) = duty_conflicts(roles, evaluators=["王芳 "], approved_by="王芳")
    assert (c.name, c.roles, c.all_three) == ("王芳", ("author", "reviewer", "approver"), True)
    (c,) = duty_conflicts({"reviewer": ["Li  Ming"]}, approved_by="li ming")
    assert (c.name, c.roles) == ("Li  Ming", ("reviewer", "approver"))

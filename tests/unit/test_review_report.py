"""The report's review section: roles, evaluations, comments, DPO advice, follow-up, evidence
with SHA-256 — and one sentence when there is none."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pia_app.report.export import export_answers, export_revision
from pia_app.report.review_context import review_context
from pia_app.store.repository import Repository
from pia_app.store.review_store import ReviewStore, sha256_bytes
from tests.conftest import EXAMPLES
from tests.unit.test_report_basic import all_text

CONTRACT = "委托处理合同 <签字版> & {{ 盖章 }}".encode() * 50


def reviewed(repo: Repository, form: Any, tmp_path: Path) -> int:
    answers = json.loads((EXAMPLES / "call_centre_voiceprint.json").read_text("utf-8"))["answers"]
    review = ReviewStore(repo, form)
    aid = repo.create(form.id, form.version, "客服声纹")
    repo.save_answers(aid, answers)
    repo.set_actor_name("王芳")
    review.set_role(aid, "author", ["王芳"])
    review.set_role(aid, "reviewer", ["王芳"])
    review.set_role(aid, "dpo", ["黄伟"])
    review.attach_bytes(aid, "委托合同.pdf", CONTRACT, "m_treatments", row_index=2)
    th = review.open_thread(aid, "d_alternative", "拒绝声纹的客户 <怎么办>？")
    review.reply(aid, th.id, "转人工")
    review.resolve(aid, th.id)
    review.evaluate(aid, "F", "to_improve", "重复提示整改期限过长", "审核人")
    review.give_dpo_advice(aid, "建议 30 天内整改")
    review.decide_dpo_advice(aid, "overruled", "排期已定")
    repo.submit(aid)
    repo.approve(aid, "王芳", "总经理")
    proof = tmp_path / "上线记录.pdf"
    proof.write_bytes(b"%PDF release")
    review.record_progress(aid, 2, "done", dt.date(2026, 12, 20), "已上线", proof)
    return aid


def test_review_section_prints_every_record_with_hashes(repo: Repository, form: Any, tmp_path: Path) -> None:
    aid = reviewed(repo, form, tmp_path)
    text = all_text(export_revision(repo, form, aid, tmp_path / "r.docx", "zh"))
    assert "审核意见与证据" in text
    for expected in (
        "编写人",
        "黄伟",
        "需改进",
        "重复提示整改期限过长",
        "拒绝声纹的客户 <怎么办>？",
        "转人工",
        "已由 王芳",
        "建议 30 天内整改",
        "未采纳",
        "排期已定",
        "已完成",
        "2026年12月20日",  # dates written the Chinese way
        "委托合同.pdf",
        "上线记录.pdf",
        sha256_bytes(CONTRACT),
        sha256_bytes(b"%PDF release"),
    ):
        assert expected in text, expected
    # one person as author, reviewer and approver is flagged, not refused
    assert "职责分离：王芳 同时是本评估的编写人、审核人、批准人" in text
    en = all_text(export_revision(repo, form, aid, tmp_path / "r-en.docx", "en"))
    assert "Review and evidence" in en and "To be improved" in en and "overruled" in en


def test_report_without_review_records_says_so(repo: Repository, form: Any, tmp_path: Path) -> None:
    answers = json.loads((EXAMPLES / "call_centre_voiceprint.json").read_text("utf-8"))["answers"]
    text = all_text(export_answers(form, answers, tmp_path / "f.docx", "zh"))
    assert "本修订版没有审核记录" in text
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, answers)
    assert "本修订版没有审核记录" in all_text(export_revision(repo, form, aid, tmp_path / "s.docx", "zh"))


def test_context_only_takes_the_reported_revision(repo: Repository, form: Any, tmp_path: Path) -> None:
    aid = reviewed(repo, form, tmp_path)
    number = repo.start_review(aid, "periodic")
    ReviewStore(repo, form).open_thread(aid, "a_scope", "复评问题")
    record = ReviewStore(repo).record(aid)
    first = review_context(form, record, 1, repo.revision(aid, 1).answers, "zh", "王芳")
    second = review_context(form, record, number, repo.revision(aid, number).answers, "zh")
    assert [c["text"] for c in first["comments"]] == ["拒绝声纹的客户 <怎么办>？", "转人工"]
    assert first["roles"][-1] == {"role": "批准人", "names": "王芳"}  # who signed, though not declared
    assert [c["text"] for c in second["comments"]] == ["复评问题"]
    assert second["open_count"] == "1" and second["evaluations"] == [] and not second["dpo"]["present"]
    assert [e["name"] for e in second["evidence"]] == ["委托合同.pdf", "上线记录.pdf"]  # carried over


def test_report_of_an_exported_file_prints_its_review(repo: Repository, form: Any, tmp_path: Path) -> None:
    from pia_app.cli import main
    from pia_app.interchange import export_file

    aid = reviewed(repo, form, tmp_path)
    exported = export_file(repo, [aid], tmp_path / "e.json", history=True)
    assert main(["report", str(exported), "--out", str(tmp_path / "f.docx")]) == 0
    text = all_text(tmp_path / "f.docx")
    assert "重复提示整改期限过长" in text and sha256_bytes(CONTRACT) in text and "排期已定" in text


def test_an_undeclared_dpo_is_the_officer_part_a_names(
    repo: Repository, form: Any, office_example: Any
) -> None:
    # QA walk 2 #22: the roles table said "—" for the DPO although part A names the officer.
    aid = repo.create(form.id, form.version, "门禁", office_example.answers)
    answers = repo.revision(aid, 1).answers
    officer = answers[form.role("report", "officer")]
    record = ReviewStore(repo).record(aid)
    for lang, role in (("zh", "个人信息保护负责人"), ("en", "DPO (personal information protection officer)")):
        rows = {r["role"]: r["names"] for r in review_context(form, record, 1, answers, lang)["roles"]}
        assert rows[role].startswith(officer) and rows[role] != officer  # said to come from part A
    ReviewStore(repo, form).set_role(aid, "dpo", ["赵敏"])
    declared = review_context(form, ReviewStore(repo).record(aid), 1, answers, "zh")["roles"]
    assert {r["role"]: r["names"] for r in declared}["个人信息保护负责人"] == "赵敏"

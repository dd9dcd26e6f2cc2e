"""What the page-by-page read of the example reports found (docs/report-review.md), kept fixed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from pia_app.interchange import load_assessment_file
from pia_app.report.export import export_answers
from tests.conftest import EXAMPLES
from tests.unit.test_report_basic import all_text


def test_a_requirement_without_a_citation_prints_no_empty_basis(form: Any, tmp_path: Path) -> None:
    # The face-swap example answers d_alternatives, which cites nothing ("Basis: —" before).
    answers = load_assessment_file(EXAMPLES / "face_swap_video_app.json", form).answers
    for lang, basis in (("en", "Basis: "), ("zh", "依据：")):
        text = all_text(export_answers(form, answers, tmp_path / f"{lang}.docx", lang))
        assert basis in text
        assert f"{basis}—" not in text and not any(
            line.strip() == basis.strip() for line in text.splitlines()
        )


def test_the_lead_in_of_the_conclusions_conditions_stays_with_its_list(
    form: Any, office_example: Any, tmp_path: Path
) -> None:
    doc = Document(str(export_answers(form, office_example.answers, tmp_path / "r.docx", "en")))
    paragraphs = doc.paragraphs
    lead = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Note: while the following remain"))
    assert paragraphs[lead]._p.pPr.find(qn("w:keepNext")) is not None
    assert paragraphs[lead + 1].text.startswith("1. ")


def test_a_drafts_appendix_labels_the_planned_approvals_as_a_plan(
    form: Any, office_example: Any, tmp_path: Path
) -> None:
    plan = "as planned in the questionnaire, not a record of approval"
    draft = all_text(export_answers(form, office_example.answers, tmp_path / "d.docx", "en"))
    assert plan in draft
    zh = all_text(export_answers(form, office_example.answers, tmp_path / "z.docx", "zh"))
    assert "问卷中的审批计划，并非审批记录" in zh
    meta = {"status": "approved", "approved_by": "李明", "approved_role": "DPO", "approved_at": "2026-11-20"}
    approved = all_text(export_answers(form, office_example.answers, tmp_path / "a.docx", "en", meta))
    assert plan not in approved


def test_a_theme_that_does_not_apply_gives_the_one_reason_that_holds(form: Any) -> None:
    from pia_app.report.context import build_context

    answers = load_assessment_file(EXAMPLES / "face_swap_video_app.json", form).answers
    zh = build_context(form, answers, "zh", {})["themes"]["face_recognition"]
    assert not zh["applicable"] and zh["note"] == "未应用人脸识别技术。"
    rd = dict(answers, b_uses_face_recognition=True, b_rd_training_only=True)
    en = build_context(form, rd, "en", {})["themes"]["face_recognition"]
    assert not en["applicable"] and en["note"].startswith(
        "Face data is processed only for face-recognition R&D"
    )


def test_chinese_option_labels_read_as_sentences(form: Any) -> None:
    # "是-已比较替代方案" and "整改后是" read as codes in a report; the labels are prose.
    labels = [o.label["zh"] for q in form.questions.values() for o in (q.options or ())]
    assert not [x for x in labels if x.startswith(("是-", "否-")) or x == "整改后是"]


def test_a_derived_next_review_date_says_it_was_derived(form: Any) -> None:
    from pia_app.report.context import build_context

    answers = load_assessment_file(EXAMPLES / "call_centre_voiceprint.json", form).answers
    assert "m_next_review" not in answers
    ctx = build_context(form, answers, "en", {})
    assert ctx["concl"]["next_review"].startswith("2027-10-28 (the default interval")
    assert ctx["summary"]["next_review"] == ctx["concl"]["next_review"]
    given = build_context(form, dict(answers, m_next_review="2027-06-30"), "zh", {})
    assert given["concl"]["next_review"] == "2027年6月30日"


def test_no_residual_risk_to_accept_is_not_said_to_be_accepted(form: Any, office_example: Any) -> None:
    from pia_app.report.context import build_context

    # The office example's residual risks are all low: nothing was (or had to be) accepted.
    ctx = build_context(form, office_example.answers, "en", {})
    assert ctx["risk"]["residual_acceptance"].startswith("No residual risk after treatment is at medium")
    swap = load_assessment_file(EXAMPLES / "face_swap_video_app.json", form).answers
    assert build_context(form, swap, "en", {})["risk"]["residual_acceptance"].startswith(
        "The residual risks at medium or above were accepted in writing"
    )

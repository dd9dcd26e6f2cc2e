"""One fact, one finding; prudent practice as a note; the filing finding's due date; one citation
style per language; contradictions across questions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pia_app.engine.findings import evaluate_rules
from pia_app.engine.grade import grade_assessment, grading_to_json
from pia_app.forms.answers import contradictions

CONSENT = {"b_data_types": ["voiceprint"], "f_relies_on_consent": True}


def fired(form: Any, answers: dict[str, Any]) -> set[str]:
    return {f.rule_id for f in evaluate_rules(form, answers)}


def test_bundled_consent_is_one_finding_citing_every_provision(form: Any) -> None:
    answers = {**CONSENT, "f_consent_mechanism": "bundled", "f_bundled": True}
    found = {f.rule_id: f for f in evaluate_rules(form, answers)}
    assert "f_bundled.yes" in found and "f_consent_mechanism.not_separate" not in found
    assert {"pipl 29", "pipl 16"} <= set(found["f_bundled.yes"].refs)
    assert not any(r.startswith("spc ") for r in found["f_bundled.yes"].refs)  # voice: no SPC face rules
    face = {**answers, "b_data_types": ["face_template"], "b_uses_face_recognition": True}
    face_refs = next(f.refs for f in evaluate_rules(form, face) if f.rule_id == "f_bundled.yes")
    assert {"pipl 29", "pipl 16", "spc 4", "spc 2"} <= set(face_refs)
    # bundled per the mechanism alone still raises the separate-consent gap
    assert "f_consent_mechanism.not_separate" in fired(form, {**answers, "f_bundled": False})


def test_missing_withdrawal_is_one_finding(form: Any) -> None:
    answers = {**CONSENT, "f_withdrawal": False, "j_channels": ["deletion"]}
    assert {"f_withdrawal.no", "j_channels.withdraw_consent"} & fired(form, answers) == {"f_withdrawal.no"}
    # section F says withdrawal exists but J offers no channel: the J gap stands
    assert "j_channels.withdraw_consent" in fired(form, {**answers, "f_withdrawal": True})


def test_missing_edit_prompt_is_one_finding(form: Any) -> None:
    base = {
        "b_data_types": ["face_image"],
        "b_biometric_edit_feature": True,
        "b_deep_synthesis_role": ["provider"],
    }
    answers = {**base, "i_edit_prompt": False, "i_edited_consent_control": "none"}
    both = {"i_edit_prompt.no", "i_edited_consent_control.none"}
    assert both & fired(form, answers) == {"i_edit_prompt.no"}
    (problem,) = contradictions(form, {**base, "i_edit_prompt": True, "i_edited_consent_control": "none"})
    assert problem.detail == "edit_prompt_contradicts_consent_control"


def test_prudent_practice_is_a_translated_note_not_a_citation(form: Any) -> None:
    for rule in form.rules:
        assert not any(r.startswith("pia ") for r in rule.refs), rule.id
    finding = next(
        f
        for f in evaluate_rules(form, {"e_deletion_scope": ["primary_db"]})
        if f.rule_id == "e_deletion_scope.no_backups"
    )
    assert finding.refs == ("pipl 47",)
    assert finding.practice == {"zh": "删除覆盖备份", "en": "deletion covers backups"}
    data = grading_to_json(form, grade_assessment(form, {"e_deletion_scope": ["primary_db"]}), "en")
    row = next(f for f in data["findings"] if f["rule_id"] == "e_deletion_scope.no_backups")
    assert row["practice"] == "deletion covers backups"
    assert row["citations"] == ["PIPL art. 47"]


FILING = {
    "b_data_types": ["face_template"],
    "b_uses_face_recognition": True,
    "b_rd_training_only": False,
    "b_face_stored_count": 150_000,
    "h_filing_status": "reached_not_filed",
}


def filing_message(form: Any, reached: str, today: dt.date, lang: str, **extra: Any) -> str:
    grading = grade_assessment(form, {**FILING, "h_filing_reached_date": reached, **extra}, today=today)
    return next(f.message[lang] for f in grading.findings if f.rule_id.startswith("h_filing_status."))


def test_the_filing_finding_states_the_due_date_and_that_it_is_overdue(form: Any) -> None:
    text = filing_message(form, "2026-01-05", dt.date(2026, 6, 1), "zh")
    assert "备案截止日为 2026-02-14，已逾期" in text  # 30 working days on the official calendar
    assert "周六" not in text
    assert "due 2026-02-14, now overdue" in filing_message(form, "2026-01-05", dt.date(2026, 6, 1), "en")
    assert "已逾期" not in filing_message(form, "2026-01-05", dt.date(2026, 1, 10), "zh")


def test_a_due_date_counted_on_weekdays_only_says_so(form: Any) -> None:
    text = filing_message(form, "2027-03-01", dt.date(2027, 3, 2), "zh")
    assert "备案截止日为 2027-04-12" in text and "仅扣除周六、周日" in text


def test_filed_late_is_its_own_finding(form: Any) -> None:
    text = filing_message(form, "2026-01-05", dt.date(2026, 6, 1), "en", h_filing_status="reached_filed_late")
    assert "after the 30-working-day deadline (due 2026-02-14)" in text


@pytest.mark.parametrize(
    ("code", "fires"), [("not_included", True), ("included", False), ("user_devices_only", False)]
)
def test_on_device_templates_and_the_threshold_are_asked(form: Any, code: str, fires: bool) -> None:
    answers = {**FILING, "b_face_count_devices": code}
    assert ("b_face_count_devices.not_included" in fired(form, answers)) is fires


def test_one_citation_style_in_chinese(form: Any) -> None:
    grading = grade_assessment(
        form, {**FILING, "h_filing_reached_date": "2026-01-05"}, today=dt.date(2026, 6, 1)
    )
    data = grading_to_json(form, grading, "zh")
    import re

    for f in data["findings"]:
        for text in (f["message"], *f["citations"]):
            assert not re.search(r"第\d+条", text), text


def test_retrospective_assessment_is_a_pipl_55_gap(form: Any) -> None:
    answers = {
        "a_assessment_type": "retrospective",
        "a_assessment_end": "2026-11-20",
        "a_processing_start": "2024-03-01",
    }
    found = {f.rule_id: f for f in evaluate_rules(form, answers)}
    assert found["a_assessment_type.retrospective"].severity == "S2"
    assert found["a_assessment_type.retrospective"].refs == ("pipl 55",)
    assert "a_processing_start.not_prior" not in found  # one fact: the prior-assessment rule is for prior_new
    (problem,) = contradictions(form, {**answers, "a_processing_start": "2027-01-01"})
    assert problem.detail == "retrospective_but_not_started"


def test_a_replaceable_item_is_no_gap_when_an_equal_alternative_is_offered(form: Any) -> None:
    rows = [{"item": "人脸模板", "function": "登录", "works_without": False, "replaceable": True}]
    answers = {
        "b_data_types": ["face_template"],
        "d_item_necessity": rows,
        "d_alternative": "exists_not_offered",
    }
    assert "d_item_necessity.replaceable" in fired(form, answers)
    assert "d_item_necessity.replaceable" not in fired(form, {**answers, "d_alternative": "offered"})


def test_a_channel_that_does_not_apply_is_no_gap_with_a_reason(form: Any) -> None:
    answers = {"j_channels": ["deletion", "access_copy"]}
    assert {"j_channels.account_closure", "j_channels.portability"} <= fired(form, answers)
    na = {**answers, "j_not_applicable": ["account_closure"]}
    assert "j_channels.account_closure" not in fired(form, na)
    assert "j_channels.portability" in fired(form, na)
    from pia_app.forms.answers import missing_required

    assert "j_not_applicable_reason" in missing_required(form, na)  # the reason is required
    (problem,) = contradictions(
        form, {"j_channels": ["account_closure"], "j_not_applicable": ["account_closure"]}
    )
    assert problem.detail == "channel_offered_and_not_applicable"


def test_every_threat_category_needs_an_item(form: Any) -> None:
    row = {"risk_id": "R1", "threat_event": "泄露", "threat_category": "illegitimate_access"}
    grading = grade_assessment(form, {"l_risks": [row]})
    missing = next(f for f in grading.findings if f.rule_id == "l_risks.threat_category_missing")
    assert missing.number == "L-90"
    assert "篡改" in missing.message["zh"] and "非法获取/泄露" not in missing.message["zh"]
    assert "l_risks.threat_category_missing" not in {f.rule_id for f in grade_assessment(form, {}).findings}


def test_deep_synthesis_records_consent_for_both_groups(form: Any) -> None:
    base = {
        "b_data_types": ["face_image"],
        "b_biometric_edit_feature": True,
        "b_deep_synthesis_role": ["provider"],
    }
    # the users who upload, for their own face data
    assert "i_uploader_consent.missing" in fired(form, {**base, "i_uploader_consent": "notice_only"})
    assert "i_uploader_consent.missing" not in fired(form, {**base, "i_uploader_consent": "separate_consent"})
    # the persons edited: the prompt of Deep Synthesis Provisions art. 14(2)
    assert "i_edit_prompt.no" in fired(form, {**base, "i_edit_prompt": False})

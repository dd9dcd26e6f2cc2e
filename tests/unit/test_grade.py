"""grade_assessment: PIPL 55 triggers, "may proceed" blockers, the JSON view, `pia-app grade`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from pia_app.cli import main
from pia_app.engine.findings import Finding
from pia_app.engine.grade import (
    BLOCKED_RULE_ID,
    conclusion_blockers,
    derive_triggers,
    grade_assessment,
    grading_to_json,
)
from pia_app.engine.risk import RiskGrade, RiskItemGrade

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"
OFFICE = EXAMPLES / "office_access_face.json"


def risk_row(rid: str, impact: str, likelihood: str, **extra: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"risk_id": rid, "threat_event": "泄露"}
    for d in ("d1", "d2", "d3", "d4"):
        r[f"impact_{d}"] = impact if d == "d4" else "not_applicable"
        r[f"impact_{d}_reason"] = "理由"
    for f in ("f1", "f2", "f3", "f4"):
        r[f"lik_{f}"] = likelihood
        r[f"lik_{f}_reason"] = "理由"
    r.update(extra)
    return r


def only_l_and_m(form: Any) -> Any:
    """The form cut down to sections L and M, so no other section's rules interfere."""
    return dataclasses.replace(form, sections=tuple(s for s in form.sections if s.id in "LM"))


# Every required question of sections L and M answered, without raising a finding.
LM_COMPLETE: dict[str, Any] = {
    "m_conclusion": "proceed_after_fix",
    "l_acceptance_criteria": "高及以上不可接受",
    "m_treatments": [{"ref_id": "L-01", "measure": "定期复核"}],
    "m_measure_adequacy": "yes",
    "m_measure_adequacy_note": "措施到位",
    "m_rights_impact_summary": "影响可控",
    "m_lawfulness_summary": "yes",
    "m_lawfulness_note": "合法正当必要",
    "m_approval": [{"name": "张三", "role": "个人信息保护负责人", "date": "2026-11-20"}],
    "m_report_date": "2026-11-20",
    "m_retain_until": "2029-11-20",
    "m_processing_records": "OA 系统",
    "m_review_triggers": ["annual"],
    "m_release": "internal",
}


# --- triggers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"b_data_types": ["voiceprint"]}, ["sensitive"]),
        ({"b_data_types": ["identity_info"], "b_minors": "possible"}, ["sensitive"]),
        ({"b_data_types": ["identity_info"], "b_minors": "none"}, []),
        ({"b_data_types": ["other"], "b_cross_border": True}, ["cross_border"]),
        ({"d_secondary_use": ["marketing"]}, ["automated_decision"]),
        ({"g_entrusts": True}, ["entrustment"]),
        ({"g_entrusts": True, "g_entrusted": [{"name": "云服务商"}]}, ["entrustment"]),
        ({"g_entrusts": False, "g_entrusted": [{"name": "云服务商"}]}, []),  # hidden table
        ({"g_provide_to_others": True}, ["provision"]),
        ({"g_public_disclosure": "yes_consented"}, ["disclosure"]),
        ({"g_public_disclosure": "yes_no_consent"}, ["disclosure"]),
        ({"g_public_disclosure": "no", "g_provide_to_others": False}, []),
        (
            {"b_data_types": ["synthetic_voice"], "b_cross_border": True, "g_entrusts": True},
            ["sensitive", "entrustment", "cross_border"],
        ),
        ({"d_secondary_use": ["none"]}, []),
        # identity verification alone is not automated decision-making (PIPL 73(2)) [I]
        ({"b_purposes": ["verify_1to1", "identify_1ton"]}, []),
    ],
)
def test_derived_triggers(form: Any, answers: dict[str, Any], expected: list[str]) -> None:
    assert derive_triggers(form, answers) == expected


def test_ticked_triggers_are_added_to_derived_ones(form: Any) -> None:
    answers = {"b_data_types": ["face_image"], "b_pia_triggers": ["other_major"]}
    grading = grade_assessment(form, answers)
    assert grading.triggers == ["sensitive", "other_major"]
    assert grading.derived_triggers == ["sensitive"]
    assert grading.pia_required


def test_no_trigger_no_obligation(form: Any) -> None:
    grading = grade_assessment(form, {"b_data_types": ["identity_info"], "b_minors": "none"})
    assert grading.triggers == []
    assert not grading.pia_required


# --- conclusion blockers ----------------------------------------------------------------------


def _finding(rule_id: str, severity: str, number: str = "D-99") -> Finding:
    return Finding(rule_id, severity, ("x",), "D", (), {"zh": "差距", "en": "gap"}, {}, number=number)


def _item(rid: str, level: int | None, residual: int | None = None) -> RiskItemGrade:
    return RiskItemGrade(rid, "", "", level, 2, level, residual, (), {}, (), ())


def test_open_s1_finding_blocks_and_is_named(form: Any) -> None:
    findings = [_finding("d_necessity.missing", "S1", "D-02"), _finding("d_least_impact.partly", "S3")]
    blockers = conclusion_blockers(form, {}, findings, RiskGrade((), None))
    assert len(blockers) == 1
    for lang in ("zh", "en"):  # named by its gap number, never by the internal rule id
        assert "D-02" in blockers[0][lang]
        assert "d_necessity.missing" not in blockers[0][lang]


@pytest.mark.parametrize(("level", "blocked"), [(4, True), (3, True), (2, False), (None, False)])
def test_untreated_high_or_severe_item_blocks(form: Any, level: int | None, blocked: bool) -> None:
    blockers = conclusion_blockers(form, {}, [], RiskGrade((_item("R7", level),), level))
    assert bool(blockers) is blocked
    if blocked:
        assert "R7" in blockers[0]["zh"] and "R7" in blockers[0]["en"]


def test_a_treatment_row_naming_the_item_unblocks_it(form: Any) -> None:
    risk = RiskGrade((_item("R1", 4), _item("R2", 4)), 4)
    answers = {
        "m_treatments": [{"ref_id": "R1", "measure": "改为终端本地比对"}, {"ref_id": "R2", "measure": "  "}]
    }
    blockers = conclusion_blockers(form, answers, [], risk)
    assert len(blockers) == 1
    assert "R2" in blockers[0]["en"]  # a row without a measure treats nothing


def test_still_severe_after_treatment_blocks(form: Any) -> None:
    risk = RiskGrade((_item("R1", 4, residual=4),), 4)
    answers = {"m_treatments": [{"ref_id": "R1", "measure": "加强审计"}]}
    (blocker,) = conclusion_blockers(form, answers, [], risk)
    assert "R1" in blocker["zh"]


def test_grade_assessment_blocks_on_graded_items(form: Any) -> None:
    lm = only_l_and_m(form)
    base = {
        **LM_COMPLETE,
        "l_risks": [risk_row("R1", "severe", "high"), risk_row("R2", "low", "low")],
    }
    grading = grade_assessment(lm, base)
    assert [b["en"] for b in grading.conclusion_blockers] == [
        "Risk item R1 is severe risk and has no measure in the treatment plan."
    ]
    treated = {**base, "m_treatments": [{"ref_id": "R1", "measure": "模板加密并本地存储"}]}
    assert grade_assessment(lm, treated).conclusion_blockers == []


def plan_findings(grading: Any) -> list[Any]:
    """The findings about the conclusion and the plan (a single risk row also misses threat
    categories: that finding is tested in test_one_fact_filing.py)."""
    return [f for f in grading.findings if f.rule_id != "l_risks.threat_category_missing"]


def test_choosing_may_proceed_despite_blockers_is_a_finding(form: Any) -> None:
    lm = only_l_and_m(form)
    base = {**LM_COMPLETE, "l_risks": [risk_row("R1", "severe", "high")]}
    chosen = grade_assessment(lm, {**base, "m_conclusion": "may_proceed"})
    assert [f.rule_id for f in plan_findings(chosen)] == [BLOCKED_RULE_ID]
    # "proceed after remediation" needs a planned row (owner and deadline) for the severe risk
    after_fix = grade_assessment(lm, {**base, "m_conclusion": "proceed_after_fix"})
    (unplanned,) = plan_findings(after_fix)
    assert unplanned.rule_id == "m_treatments.unplanned" and unplanned.number == "M-91"
    assert "R1" in unplanned.message["zh"] and "R1" in unplanned.message["en"]
    planned_row = {"ref_id": "R1", "measure": "模板加密", "owner": "安全部", "deadline": "2026-12-01"}
    planned = {**base, "m_conclusion": "proceed_after_fix", "m_treatments": [planned_row]}
    assert plan_findings(grade_assessment(lm, planned)) == []
    unblocked = {
        **base,
        "m_conclusion": "may_proceed",
        "m_treatments": [{"ref_id": "R1", "measure": "模板加密"}],
    }
    assert plan_findings(grade_assessment(lm, unblocked)) == []


# --- JSON and CLI -----------------------------------------------------------------------------


def test_grading_to_json_shape(form: Any) -> None:
    answers = {
        "b_data_types": ["face_image"],
        "l_risks": [risk_row("R1", "high", "medium")],
        "m_report_date": "2026-11-20",
        "m_processing_records": "",
    }
    data = grading_to_json(form, grade_assessment(form, answers), "zh")
    json.dumps(data)  # plain JSON data
    assert data["risk"]["overall"] == {"level": 2, "code": "medium", "label": "中", "label_zh": "中"}
    item = data["risk"]["items"][0]
    assert item["impact"]["code"] == "high" and item["likelihood"]["code"] == "medium"
    assert data["dates"]["retain_until"] == "2029-11-20"
    assert data["triggers"][0] == {"code": "sensitive", "label": "处理敏感个人信息", "derived": True}
    rec = next(f for f in data["findings"] if f["rule_id"] == "m_processing_records.missing")
    assert rec["severity"] == "S2"
    assert rec["citations"][0] == "个人信息保护法第五十五条"
    en = grading_to_json(form, grade_assessment(form, answers), "en")
    assert en["risk"]["overall"]["label"] == "Medium"
    assert en["risk"]["overall"]["label_zh"] == "中"


def test_cli_grade_prints_findings_and_levels(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(OFFICE)]) == 0
    out = capsys.readouterr().out
    assert "H-23" in out  # the office example's sole-method gap, by its gap number
    assert "h_sole_method.premises" not in out  # rule ids are never shown
    assert "总体风险等级" in out


def test_cli_grade_json_parses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(OFFICE), "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"findings", "triggers", "risk", "dates", "conclusion_blockers"} <= set(data)
    assert data["lang"] == "en"
    gap = next(f for f in data["findings"] if f["rule_id"] == "h_sole_method.premises")
    assert gap["number"] == "H-23"


def test_cli_grade_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "--lang", "en", str(OFFICE)]) == 0
    out = capsys.readouterr().out
    assert "Overall risk level" in out
    assert "PIPL art. 55 triggers" in out
    assert "总体" not in out
    overall = next(line for line in out.splitlines() if line.startswith("Overall risk level"))
    assert overall.endswith("(medium, 中)")  # office example: two medium items


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "pia-app-assessment"',
        '{"format": "other"}',
        "[]",
        '{"format": "pia-app-assessment", "format_version": 1, "form": {"id": "face_voice_pia", '
        '"version": "0.1"}, "answers": {"b_minors": "maybe"}}',
    ],
)
def test_cli_grade_bad_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    assert main(["grade", str(path), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pia-app: ")
    assert "Traceback" not in captured.err


def test_cli_grade_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["grade", str(tmp_path / "nope.json")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_standard_clause_citation_is_spaced_in_chinese(form: Any) -> None:
    from pia_app.forms.citations import format_ref

    assert format_ref(form, "gbt39335 D.5", "zh") == "GB/T 39335-2020 D.5"
    assert format_ref(form, "pipl 55", "zh") == "个人信息保护法第五十五条"  # one style: as the messages
    assert format_ref(form, "pipl 17(一)", "zh") == "个人信息保护法第十七条（一）"
    assert format_ref(form, "pipl 17(一)", "en") == "PIPL art. 17(1)"
    assert format_ref(form, "pipl 10", "zh") == "个人信息保护法第十条"
    assert format_ref(form, "gbt35273 6.3", "zh") == "GB/T 35273-2020 6.3"

"""The conclusion follows from the findings: treatment rows by gap number, what each conclusion
needs, late and dangling rows, uncovered gaps, the L.4(6) floor, residual acceptance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pia_app.engine.grade import grade_assessment, grading_to_json
from pia_app.engine.risk import grade_item, risk_model

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"


def office() -> dict[str, Any]:
    return dict(json.loads((EXAMPLES / "office_access_face.json").read_text("utf-8"))["answers"])


def row(ref: str, **extra: Any) -> dict[str, Any]:
    base = {
        "ref_id": ref,
        "measure": "措施",
        "owner": "安全部",
        "deadline": "2026-11-20",
        "status": "planned",
    }
    return {**base, **extra}


def ids(grading: Any) -> set[str]:
    return {f.rule_id for f in grading.findings}


def risk_row(rid: str, impact: str = "medium", lik: str = "medium", **extra: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"risk_id": rid, "threat_event": "泄露"}
    for d in ("d1", "d2", "d3", "d4"):
        r[f"impact_{d}"] = impact if d == "d4" else "not_applicable"
        r[f"impact_{d}_reason"] = "理由"
    for f in ("f1", "f2", "f3", "f4"):
        r[f"lik_{f}"] = lik
        r[f"lik_{f}_reason"] = "理由"
    r.update(extra)
    return r


def test_may_proceed_needs_a_done_row_for_every_open_s1_s2_gap(form: Any) -> None:
    answers = office()
    grading = grade_assessment(form, answers)
    declared = [f for f in grading.findings if f.rule_id not in form.derived_rules]
    open_s1_s2 = {f.number for f in declared if f.severity in ("S1", "S2")}
    named = " ".join(b["en"] for b in grading.conclusion_blockers)
    assert open_s1_s2 and all(n in named for n in open_s1_s2)
    done = [row(n, status="done") for n in sorted(open_s1_s2)]
    rest = [r for r in answers["m_treatments"] if r["ref_id"].startswith("R")]
    fixed = grade_assessment(form, {**answers, "m_treatments": done + rest, "m_conclusion": "may_proceed"})
    assert fixed.conclusion_blockers == []
    assert "m_conclusion.blocked" not in ids(fixed)


def test_proceed_after_remediation_needs_owner_and_deadline(form: Any) -> None:
    answers = office()
    rows = [dict(r) for r in answers["m_treatments"]]
    for r in rows:
        if r["ref_id"] == "F-08":
            r["owner"] = ""
    grading = grade_assessment(form, {**answers, "m_treatments": rows})
    unplanned = next(f for f in grading.findings if f.rule_id == "m_treatments.unplanned")
    assert unplanned.number == "M-91" and "F-08" in unplanned.message["zh"]
    assert grading.plan.unplanned == ["F-08"]


def test_a_measure_due_after_go_live_is_a_finding_and_listed(form: Any) -> None:
    grading = grade_assessment(form, office())
    late = next(f for f in grading.findings if f.rule_id == "m_treatments.after_go_live")
    assert (
        "2026-12-01" in late.message["en"]
        and "H-12" in late.message["en"]
        and "2027-02-28" in late.message["en"]
    )
    data = grading_to_json(form, grading, "en")["treatment"]
    assert data["go_live"] == "2026-12-01"
    listed = {tuple(r["refs"]) for r in data["before_go_live"]}
    assert ("H-12",) in listed and ("H-23",) in listed  # not done yet: to finish before go-live
    on_time = [
        dict(r, deadline="2026-11-28") if r["ref_id"] == "H-12" else r for r in office()["m_treatments"]
    ]
    assert "m_treatments.after_go_live" not in ids(
        grade_assessment(form, {**office(), "m_treatments": on_time})
    )


def test_a_row_naming_nothing_that_exists_is_a_finding(form: Any) -> None:
    answers = office()
    rows = [*answers["m_treatments"], row("Z-99, R1")]
    grading = grade_assessment(form, {**answers, "m_treatments": rows})
    dangling = next(f for f in grading.findings if f.rule_id == "m_treatments.unknown_ref")
    assert "Z-99" in dangling.message["zh"] and "R1" not in dangling.message["zh"]
    assert "Z-99（措施）" in dangling.message["zh"]  # named with the start of its measure, no row label


def test_an_old_rule_id_in_a_row_counts_as_its_gap_number(form: Any) -> None:
    answers = office()
    rows = [
        dict(r, ref_id="h_sole_method.premises") if r["ref_id"] == "H-23" else r
        for r in answers["m_treatments"]
    ]
    grading = grade_assessment(form, {**answers, "m_treatments": rows})
    assert "m_treatments.unknown_ref" not in ids(grading)
    assert "H-23" not in grading.plan.unplanned


def test_uncovered_gaps_are_listed(form: Any) -> None:
    grading = grade_assessment(form, office())
    uncovered = {f.number for f in grading.plan.uncovered_gaps}
    assert "K-08" in uncovered  # S3, no risk item links it, no row treats it
    assert "H-23" not in uncovered  # treated
    linked = office()
    linked["l_risks"] = [dict(linked["l_risks"][0], linked_gaps="K-08"), *linked["l_risks"][1:]]
    assert "K-08" not in {f.number for f in grade_assessment(form, linked).plan.uncovered_gaps}


def test_open_s1_gap_linked_to_an_item_raises_f2_to_high(form: Any) -> None:
    model = risk_model(form)
    r = risk_row("R1", impact="high", lik="low", linked_gaps="H-23")
    plain = grade_item(model, r, None, (), {})
    floored = grade_item(model, r, None, (), {"H-23": "S1"})
    assert plain.likelihood == 1 and floored.likelihood == 3  # f2 low → high
    assert floored.factors["f2"][0] == 3
    (step,) = floored.steps
    assert (step.kind, step.code, step.before, step.after, step.detail) == (
        "gap_floor",
        "f2",
        1,
        3,
        ("H-23",),
    )
    assert grade_item(model, r, None, (), {"H-23": "S2"}).likelihood == 1  # only S1 raises it
    # in the whole grading: the office's open S1 gap H-23 linked from R1
    answers = office()
    answers["l_risks"] = [dict(answers["l_risks"][0], linked_gaps="H-23"), *answers["l_risks"][1:]]
    item = grade_assessment(form, answers).risk.items[0]
    assert item.factors["f2"][0] == 3 and "likelihood:gap_floor_f2" in item.adjustments


def test_adjustments_are_shown_as_applied(form: Any) -> None:
    r = risk_row(
        "R1",
        impact="medium",
        lik="low",
        impact_adjust=["vulnerable_group"],
        impact_adjust_reason="老年客户",
        affected_scale=2_000_000,
    )
    answers = {"l_risks": [r]}
    data = grading_to_json(form, grade_assessment(form, answers), "zh")
    steps = data["risk"]["items"][0]["steps"]
    assert [(s["kind"], s["before"], s["after"]) for s in steps] == [
        ("impact", "medium", "high"),
        ("scale_floor", "low", "medium"),
    ]
    assert steps[0]["text"].endswith("中 → 高") and "+1" in steps[0]["text"]
    assert "1,000,000" in steps[1]["text"]


def test_residual_medium_needs_a_complete_acceptance(form: Any) -> None:
    answers = json.loads((EXAMPLES / "call_centre_voiceprint.json").read_text("utf-8"))["answers"]
    assert "m_residual_acceptance.missing" not in ids(grade_assessment(form, answers))
    incomplete = [dict(answers["m_residual_acceptance"][0], reason="")]
    grading = grade_assessment(form, {**answers, "m_residual_acceptance": incomplete})
    missing = next(f for f in grading.findings if f.rule_id == "m_residual_acceptance.missing")
    assert missing.number == "M-94" and "R2" in missing.message["en"]
    assert grading.conclusion_blockers == []  # S3: it does not refuse "may proceed"

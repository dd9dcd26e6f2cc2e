"""What changed between revisions: answers with labels, findings added/resolved, risk levels."""

from __future__ import annotations

import json
from typing import Any

from pia_app.engine.diff import diff_revisions
from pia_app.engine.grade import grade_assessment
from pia_app.engine.risk import grade_risks, level_code


def risk_row(impact: str) -> dict[str, Any]:
    return {
        "risk_id": "R1",
        "threat_event": "人脸模板泄露",
        "impact_d1": impact,
        "impact_d1_reason": "可被用于冒用身份",
        "lik_f1": "high",
        "lik_f1_reason": "集中存储",
    }


def test_identical_revisions_have_no_differences(form, office_example) -> None:  # type: ignore[no-untyped-def]
    diff = diff_revisions(form, office_example.answers, dict(office_example.answers))
    assert diff.empty
    assert diff.to_dict()["answers"] == []


def test_answer_changes_in_form_order_with_labels(form, office_example) -> None:  # type: ignore[no-untyped-def]
    old = dict(office_example.answers)
    new = {**old, "a_assessment_type": "periodic", "a_project_name": "新名称"}
    diff = diff_revisions(form, old, new)
    ids = [c.question_id for c in diff.answers]
    order = list(form.questions)
    assert ids == sorted(ids, key=order.index)
    change = next(c for c in diff.answers if c.question_id == "a_assessment_type")
    assert change.old == old["a_assessment_type"] and change.new == "periodic"
    assert change.new_text == {"zh": "定期复评", "en": "Periodic re-assessment"}
    assert change.label["en"] == "Assessment type"
    assert change.section_id == "A"


def test_blank_values_count_as_equal_and_removed_answer_shows_not_answered(form) -> None:  # type: ignore[no-untyped-def]
    diff = diff_revisions(form, {"a_scope": "", "d_necessity": "理由"}, {"a_scope": None})
    assert [c.question_id for c in diff.answers] == ["d_necessity"]
    assert diff.answers[0].new_text["zh"] == "未填写"


def test_findings_added_and_resolved_match_the_rules_engine(form, office_example) -> None:  # type: ignore[no-untyped-def]
    old = dict(office_example.answers)
    new = dict(old)
    new.pop("d_necessity")
    # the whole grading: a new S2 gap without a planned treatment also raises the derived
    # m_treatments.unplanned (the example concludes "proceed after remediation")
    before = {f.rule_id for f in grade_assessment(form, old).findings}
    after = {f.rule_id for f in grade_assessment(form, new).findings}
    assert {"d_necessity.missing", "m_treatments.unplanned"} <= after - before
    diff = diff_revisions(form, old, new)
    assert {f.rule_id for f in diff.findings_added} == after - before
    assert {f.rule_id for f in diff.findings_resolved} == before - after
    back = diff_revisions(form, new, old)
    assert {f.rule_id for f in back.findings_resolved} == after - before


def test_risk_level_changes(form) -> None:  # type: ignore[no-untyped-def]
    old = {"l_risks": [risk_row("low")]}
    new = {"l_risks": [risk_row("severe")]}
    g_old, g_new = grade_risks(form, old), grade_risks(form, new)
    assert g_old.items[0].level != g_new.items[0].level
    diff = diff_revisions(form, old, new)
    item = next(r for r in diff.risk_changes if r.risk_id == "R1")
    assert item.old_level == level_code(g_old.items[0].level)
    assert item.new_level == level_code(g_new.items[0].level)
    assert item.label == "人脸模板泄露"
    overall = next(r for r in diff.risk_changes if r.risk_id == "")
    assert overall.new_level == level_code(g_new.overall)


def test_removed_risk_item_is_listed_with_no_new_level(form) -> None:  # type: ignore[no-untyped-def]
    diff = diff_revisions(form, {"l_risks": [risk_row("high")]}, {})
    item = next(r for r in diff.risk_changes if r.risk_id == "R1")
    assert item.old_level is not None and item.new_level is None


def test_answers_unknown_to_the_form_are_listed_last(form) -> None:  # type: ignore[no-untyped-def]
    diff = diff_revisions(form, {"zz_old_question": 1}, {"a_scope": "x"})
    assert [c.question_id for c in diff.answers] == ["a_scope", "zz_old_question"]
    assert diff.answers[-1].section_id == ""


def test_revisions_from_the_store_and_json_output(repo, form) -> None:  # type: ignore[no-untyped-def]
    aid = repo.create(form.id, form.version)
    repo.save_answers(aid, {"a_scope": "一"})
    repo.submit(aid)
    repo.approve(aid, "李明", "DPO")
    repo.start_review(aid, "periodic")
    diff = diff_revisions(form, repo.revision(aid, 1), repo.revision(aid, 2))
    assert (diff.old_revision, diff.new_revision) == (1, 2)
    data = json.loads(json.dumps(diff.to_dict(), ensure_ascii=False))
    assert data["answers"][0]["question_id"] == "a_assessment_type"


def test_report_changes_are_strings_in_one_language(form) -> None:  # type: ignore[no-untyped-def]
    from pia_app.engine.diff import report_changes
    from pia_app.engine.risk import level_label

    old = {"l_risks": [risk_row("low")], "a_assessment_type": "prior_new"}
    new = {"l_risks": [risk_row("severe")], "a_assessment_type": "periodic"}
    diff = diff_revisions(form, old, new)
    zh = report_changes(form, diff, "zh")
    assert zh["answers"][0] == {
        "question_id": "a_assessment_type",
        "question": "评估类型",
        "old": "事前评估-新处理活动",
        "new": "定期复评",
    }
    new_level = grade_risks(form, new).items[0].level
    assert zh["risks"][0]["new"] == level_label(form, new_level, "zh")
    assert zh["risks"][-1]["item"] == "总体"
    en = report_changes(form, diff, "en")
    assert en["answers"][0]["new"] == "Periodic re-assessment"

    def strings(value: Any) -> bool:
        if isinstance(value, dict):
            return all(strings(v) for v in value.values())
        if isinstance(value, list):
            return all(strings(v) for v in value)
        return isinstance(value, str)

    assert strings(zh) and strings(en)


def test_a_one_field_change_in_a_table_shows_that_row_only(form) -> None:  # type: ignore[no-untyped-def]
    # QA walk 2 #32: a status change in a five-row plan printed the whole plan twice.
    rows = [
        {"ref_id": f"D-0{i}", "measure": f"措施{i}", "owner": "王敏", "status": "planned"}
        for i in range(1, 6)
    ]
    new_rows = [dict(r) for r in rows]
    new_rows[2]["status"] = "done"
    new_rows.append({"ref_id": "E-03", "measure": "删除原始样本", "status": "planned"})
    change = diff_revisions(form, {"m_treatments": rows}, {"m_treatments": new_rows}).answers[0]
    before, after = change.old_text["zh"].splitlines(), change.new_text["zh"].splitlines()
    assert len(before) == 1 and before[0].startswith("3. ") and "措施3" not in before[0]
    assert "D-03" in before[0] and "王敏" not in before[0]  # identified by its first column
    assert len(after) == 2 and after[0].startswith("3. ") and after[1].startswith("6. ")
    assert before[0] != after[0] and "删除原始样本" in after[1]
    removed = diff_revisions(form, {"m_treatments": rows}, {"m_treatments": rows[:4]}).answers[0]
    assert removed.old_text["en"].startswith("5. ") and "措施5" in removed.old_text["en"]
    assert removed.new_text["en"] == "—"

"""Gap numbers (stable, from the form data) and completeness (required answers by section)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from pia_app.cli import main
from pia_app.engine.completeness import section_completeness
from pia_app.engine.findings import evaluate_rules
from pia_app.engine.grade import grade_assessment, grading_to_json
from pia_app.forms.answers import missing_required
from pia_app.forms.loader import FormError, load_form
from pia_app.resources import forms_dir

EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"


def answers_of(name: str) -> dict[str, Any]:
    doc = json.loads((EXAMPLES / name).read_text("utf-8"))
    return dict(doc["answers"])


# --- gap numbers ------------------------------------------------------------------------------


def test_every_rule_has_a_unique_number_of_its_section(form: Any) -> None:
    rules = [*form.rules, *form.derived_rules.values()]
    numbers = [r.number for r in rules]
    assert len(set(numbers)) == len(numbers)
    for r in rules:
        assert re.fullmatch(r"[A-Z]-\d{2,3}", r.number), r.id
        assert r.number.startswith(r.section_id + "-"), r.id
    assert form.rules_by_number["D-05"].id == "d_alternative.not_offered_face"


def test_a_findings_number_does_not_move_when_other_findings_come_and_go(form: Any) -> None:
    answers = answers_of("office_access_face.json")
    before = {f.rule_id: f.number for f in evaluate_rules(form, answers)}
    # Resolve one finding and raise two others: the remaining ones keep their numbers.
    changed = {**answers, "k_measures": ["internal_rules"], "j_refusal_reason": False}
    after = {f.rule_id: f.number for f in evaluate_rules(form, changed)}
    assert set(after) != set(before)
    for rule_id in set(before) & set(after):
        assert after[rule_id] == before[rule_id]
    assert before["h_sole_method.premises"] == "H-23"


def copy_form(tmp_path: Path) -> Path:
    dst = tmp_path / "form"
    shutil.copytree(forms_dir() / "face_voice", dst)
    return dst


def test_a_duplicate_gap_number_is_reported_with_file_and_line(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "k_security.yaml"
    text = path.read_text("utf-8")
    assert "number: K-02" in text
    path.write_text(text.replace("number: K-02", "number: K-01"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    (problem,) = exc.value.problems
    assert problem.file.endswith("k_security.yaml")
    assert "K-01" in problem.message and "k_measures.internal_rules" in problem.message
    assert "k_measures.classification" in path.read_text("utf-8").splitlines()[problem.line - 1]


def test_a_number_of_another_section_is_refused(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "k_security.yaml"
    path.write_text(path.read_text("utf-8").replace("number: K-02", "number: D-77"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    assert "must start with 'K-'" in str(exc.value)


def test_a_rule_without_a_number_is_numbered_by_its_position(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    path = dst / "j_rights.yaml"
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"\n\s+number: J-\d+", "", text), "utf-8")
    form = load_form(dst)
    numbers = [r.number for r in form.rules if r.section_id == "J"]
    assert numbers == [f"J-{i:02d}" for i in range(1, len(numbers) + 1)]


# --- completeness -----------------------------------------------------------------------------


def test_nothing_answered_lists_every_required_question_of_the_sections_that_apply(form: Any) -> None:
    sections = section_completeness(form, {})
    ids = [s.section_id for s in sections]
    assert ids[:2] == ["A", "B"] and "H" not in ids  # face recognition not (yet) in use
    for sec in sections:
        assert sec.answered == 0
        assert sec.required == len(sec.missing)
    total = [qid for s in sections for qid in s.missing]
    assert total == missing_required(form, {})
    a = sections[0]
    assert "a_project_name" in a.missing and "a_pi_officer" not in a.missing  # optional


def test_a_question_that_does_not_apply_is_not_required(form: Any) -> None:
    answers = answers_of("call_centre_voiceprint.json")
    assert grade_assessment(form, answers).unanswered_required == []
    # No face recognition: section H does not apply, its required questions are not counted.
    assert "H" not in [s.section_id for s in section_completeness(form, answers)]


REMOVED = ("k_measures", "j_channels", "e_deletion_triggers", "f_notice_items")


def test_removing_answers_from_a_done_assessment_refuses_may_proceed(form: Any) -> None:
    answers = answers_of("call_centre_voiceprint.json")
    assert grade_assessment(form, answers).conclusion_blockers == []
    cut = {k: v for k, v in answers.items() if k not in REMOVED}
    grading = grade_assessment(form, cut)
    assert not grading.complete
    assert set(grading.unanswered_required) == set(REMOVED)
    by_section = {s.section_id: s for s in grading.completeness}
    assert by_section["K"].missing == ("k_measures",)
    assert by_section["K"].answered == by_section["K"].required - 1
    blockers = [b["en"] for b in grading.conclusion_blockers]
    assert len(blockers) == 4  # one per section (E, F, J, K)
    assert any("Security measures" in b and "Measures in place" in b for b in blockers)
    # choosing "may proceed" anyway is the derived S1 finding, shown by its number
    chosen = grade_assessment(form, {**cut, "m_conclusion": "may_proceed"})
    blocked = next(f for f in chosen.findings if f.rule_id == "m_conclusion.blocked")
    assert blocked.severity == "S1" and blocked.number == "M-90"


def test_grade_json_and_text_report_missing_answers_by_section(
    form: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads((EXAMPLES / "call_centre_voiceprint.json").read_text("utf-8"))
    doc["answers"] = {k: v for k, v in doc["answers"].items() if k not in REMOVED}
    path = tmp_path / "incomplete.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert main(["grade", str(path), "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is False and data["may_proceed_allowed"] is False
    k = next(s for s in data["completeness"] if s["section_id"] == "K")
    assert k["missing"] == [{"question_id": "k_measures", "label": "Measures in place"}]
    assert sorted(data["unanswered_required"]) == sorted(REMOVED)
    assert main(["grade", str(path)]) == 0
    out = capsys.readouterr().out
    assert "4 个必答问题未回答" in out
    assert "已采取的措施 [k_measures]" in out


def test_grading_to_json_carries_numbers_not_only_rule_ids(form: Any) -> None:
    data = grading_to_json(form, grade_assessment(form, answers_of("office_access_face.json")), "zh")
    assert all(re.fullmatch(r"[A-Z]-\d{2,3}", f["number"]) for f in data["findings"])
    assert data["complete"] is True


# --- roles: what the engine knows about particular questions is form data ---------------------


def test_triggers_are_derived_by_the_form_roles(tmp_path: Path) -> None:
    from pia_app.engine.grade import derive_triggers

    dst = copy_form(tmp_path)
    manifest = dst / "form.yaml"
    text = manifest.read_text("utf-8")
    assert "      cross_border: {q: b_cross_border, eq: true}\n" in text
    manifest.write_text(text.replace("      cross_border: {q: b_cross_border, eq: true}\n", ""), "utf-8")
    form = load_form(dst)
    assert derive_triggers(form, {"b_cross_border": True, "b_data_types": ["voiceprint"]}) == ["sensitive"]


def test_a_role_naming_an_unknown_option_is_reported(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    manifest = dst / "form.yaml"
    text = manifest.read_text("utf-8")
    manifest.write_text(
        text.replace("    may_proceed: may_proceed\n", "    may_proceed: go_ahead\n"), "utf-8"
    )
    with pytest.raises(FormError) as exc:
        load_form(dst)
    (problem,) = exc.value.problems
    assert problem.file.endswith("form.yaml") and "go_ahead" in problem.message


def test_a_role_naming_an_unknown_question_is_reported(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    manifest = dst / "form.yaml"
    text = manifest.read_text("utf-8")
    assert "go_live: a_processing_start" in text
    manifest.write_text(text.replace("go_live: a_processing_start", "go_live: a_go_live"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    assert "a_go_live" in str(exc.value)


def test_the_engine_reads_dates_and_tables_through_the_roles(form: Any) -> None:
    assert form.role("dates", "go_live") == "a_processing_start"
    assert form.role("tables", "treatments") == "m_treatments"
    assert form.role("record", "title") == "a_project_name"
    assert form.role("report", "object") == "a_scope"
    assert form.role("dates", "missing") == ""  # not named: nothing is read, no id in code


def test_forms_check_refuses_a_report_role_naming_no_question(tmp_path: Path) -> None:
    dst = copy_form(tmp_path)
    manifest = dst / "form.yaml"
    text = manifest.read_text("utf-8")
    assert "object: a_scope" in text
    manifest.write_text(text.replace("object: a_scope", "object: a_scope_typo"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    assert "a_scope_typo" in str(exc.value)

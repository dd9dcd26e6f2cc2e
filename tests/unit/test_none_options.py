"""Absence is expressible and counts: every "tick what is in place" list has an exclusive `none`
option that raises the list's gaps; ticking it with anything else is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pia_app.cli import main
from pia_app.engine.findings import evaluate_rules
from pia_app.forms.answers import contradictions, validate_answers

IN_PLACE_LISTS = (
    "k_measures",
    "j_channels",
    "e_deletion_triggers",
    "e_deletion_scope",
    "e_encryption",
    "h_security_controls",
    "h_filing_materials",
    "f_notice_items",
    "i_explicit_label",
    "i_implicit_fields",
    "g_public_place_no_fr",
)
EXAMPLES = Path(__file__).resolve().parents[2] / "forms" / "face_voice" / "examples"


@pytest.mark.parametrize("qid", IN_PLACE_LISTS)
def test_each_in_place_list_has_an_exclusive_none(form: Any, qid: str) -> None:
    q = form.question(qid)
    none = q.option("none")
    assert none is not None and none.exclusive
    assert [o.code for o in q.options if o.exclusive] == ["none"]


def numbers(form: Any, answers: dict[str, Any]) -> set[str]:
    return {f.number for f in evaluate_rules(form, answers)}


def test_none_of_the_measures_raises_every_measure_gap(form: Any) -> None:
    fired = {f.rule_id for f in evaluate_rules(form, {"k_measures": ["none"]})}
    expected = {r.id for r in form.question("k_measures").rules}
    assert expected <= fired
    # while an unanswered list raises nothing (completeness reports it instead)
    assert not {r for r in {f.rule_id for f in evaluate_rules(form, {})} if r.startswith("k_measures")}


def test_no_explicit_label_on_generated_audio_is_a_gap(form: Any) -> None:
    answers = {
        "b_deep_synthesis_role": ["provider"],
        "i_explicit_required": True,
        "i_output_modalities": ["audio"],
        "i_explicit_label": ["none"],
    }
    fired = {f.rule_id for f in evaluate_rules(form, answers)}
    assert "i_explicit_label.audio" in fired
    assert "i_explicit_label.audio" not in {
        f.rule_id for f in evaluate_rules(form, {**answers, "i_explicit_label": ["audio"]})
    }


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("k_measures", ["none", "encryption"]),
        ("b_deep_synthesis_role", ["none", "provider"]),  # 不涉及 with a role
        ("d_secondary_use", ["profiling", "none"]),  # 无 with a secondary use
        ("b_vulnerable", ["none", "elderly"]),
    ],
)
def test_none_with_anything_else_is_a_contradiction(form: Any, qid: str, value: list[str]) -> None:
    (problem,) = contradictions(form, {qid: value})
    assert problem.question_id == qid and problem.key == "answer.exclusive"
    assert validate_answers(form, {qid: value}) == [problem]
    assert contradictions(form, {qid: ["none"]}) == []
    assert contradictions(form, {qid: [c for c in value if c != "none"]}) == []


def test_the_file_check_refuses_a_contradiction_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads((EXAMPLES / "office_access_face.json").read_text("utf-8"))
    doc["answers"]["k_measures"] = ["none", *doc["answers"]["k_measures"]]
    path = tmp_path / "contradiction.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert main(["grade", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "k_measures" in err and "cannot be ticked together" in err

"""The date-offset comparison `{q: a, lt: {q: b, add_years: n}}` of the condition grammar, used by
m_retain_until.too_short (PIPL 56(2): keep the report at least three years)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from pia_app.engine.findings import evaluate_rules
from pia_app.forms.conditions import evaluate
from pia_app.forms.loader import FormError, load_form
from pia_app.resources import forms_dir

COND = {"q": "m_retain_until", "lt": {"q": "m_report_date", "add_years": 3}}


@pytest.mark.parametrize(
    ("report", "retain", "short"),
    [
        ("2026-11-20", "2029-11-19", True),
        ("2026-11-20", "2029-11-20", False),
        ("2026-11-20", "2035-01-01", False),
        ("2028-02-29", "2031-02-28", False),  # 29 Feb + 3 years = 28 Feb
        ("2028-02-29", "2031-02-27", True),
    ],
)
def test_date_offset(report: str, retain: str, short: bool) -> None:
    assert evaluate(COND, {"m_report_date": report, "m_retain_until": retain}) is short


@pytest.mark.parametrize(
    "answers",
    [
        {"m_retain_until": "2020-01-01"},
        {"m_report_date": "2026-11-20"},
        {"m_report_date": "soon", "m_retain_until": "2020-01-01"},
    ],
)
def test_unanswered_or_bad_side_raises_nothing(answers: dict[str, Any]) -> None:
    assert evaluate(COND, answers) is False


def test_retention_rule_fires_only_when_too_short(form: Any) -> None:
    def rule_ids(retain: str) -> set[str]:
        answers = {"m_report_date": "2026-11-20", "m_retain_until": retain}
        return {f.rule_id for f in evaluate_rules(form, answers)}

    assert "m_retain_until.too_short" in rule_ids("2028-11-20")
    assert "m_retain_until.too_short" not in rule_ids("2029-11-20")


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "form"
    shutil.copytree(forms_dir() / "face_voice", dst)
    return dst


def test_add_years_on_a_number_is_refused_with_its_location(tmp_path: Path) -> None:
    dst = _copy(tmp_path)
    path = dst / "m_conclusion.yaml"
    text = path.read_text("utf-8")
    old = "when: {lt: {q: m_report_date, add_years: 3}}"
    assert old in text
    path.write_text(text.replace(old, "when: {lt: {q: b_subject_count, add_years: 3}}"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    (problem,) = exc.value.problems
    assert problem.file.endswith("m_conclusion.yaml")
    assert "add_years" in problem.message
    assert problem.line > 0


def test_add_years_must_be_an_integer(tmp_path: Path) -> None:
    dst = _copy(tmp_path)
    path = dst / "m_conclusion.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("add_years: 3}", "add_years: three}"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    assert any("three" in p.message for p in exc.value.problems)

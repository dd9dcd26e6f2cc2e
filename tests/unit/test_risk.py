"""Risk grading after GB/T 39335: the D.5 matrix cell by cell, adjustments, floors, aggregation.

Expected values are written here from the reference (shared/reference/questionnaire.md L.3/L.4),
never read from forms/face_voice/risk.yaml, so a wrong matrix in the data file fails these tests.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia_app.engine.risk import (
    LEVELS,
    LIKELIHOODS,
    RiskDataError,
    describe_problem,
    grade_risks,
    level_code,
    level_label,
    likelihood_label,
    risk_model,
)

# Reference L.3 (GB/T 39335 table D.5), row = impact, column = likelihood:
#   影响 \ 可能性 | 低 | 中 | 高 | 很高
#   严重          | 中 | 高 | 严重 | 严重
#   高            | 中 | 中 | 高 | 严重
#   中            | 低 | 中 | 中 | 高
#   低            | 低 | 低 | 中 | 中
D5 = [
    ("severe", "low", "medium"),
    ("severe", "medium", "high"),
    ("severe", "high", "severe"),
    ("severe", "very_high", "severe"),
    ("high", "low", "medium"),
    ("high", "medium", "medium"),
    ("high", "high", "high"),
    ("high", "very_high", "severe"),
    ("medium", "low", "low"),
    ("medium", "medium", "medium"),
    ("medium", "high", "medium"),
    ("medium", "very_high", "high"),
    ("low", "low", "low"),
    ("low", "medium", "low"),
    ("low", "high", "medium"),
    ("low", "very_high", "medium"),
]


def row(
    impact: str | dict[str, str] = "medium",
    likelihood: str | dict[str, str] = "low",
    **extra: Any,
) -> dict[str, Any]:
    """An l_risks row with reasons everywhere; `impact`/`likelihood` set all four, or some."""
    r: dict[str, Any] = {"risk_id": "R1", "act_ref": "A1", "threat_event": "泄露"}
    impacts = impact if isinstance(impact, dict) else {d: impact for d in ("d1", "d2", "d3", "d4")}
    liks = likelihood if isinstance(likelihood, dict) else {f: likelihood for f in ("f1", "f2", "f3", "f4")}
    for d in ("d1", "d2", "d3", "d4"):
        r[f"impact_{d}"] = impacts.get(d, "not_applicable")
        r[f"impact_{d}_reason"] = f"理由 {d}"
    for f, code in liks.items():
        r[f"lik_{f}"] = code
        r[f"lik_{f}_reason"] = f"理由 {f}"
    r.update(extra)
    return r


def grade_one(form: Any, r: dict[str, Any], **answers: Any) -> Any:
    result = grade_risks(form, {"l_risks": [r], **answers})
    assert len(result.items) == 1
    return result.items[0]


@pytest.mark.parametrize(("impact", "likelihood", "expected"), D5)
def test_matrix_cell(form: Any, impact: str, likelihood: str, expected: str) -> None:
    item = grade_one(form, row(impact={"d1": impact}, likelihood=likelihood))
    assert item.impact == LEVELS.index(impact) + 1
    assert item.likelihood == LIKELIHOODS.index(likelihood) + 1
    assert level_code(item.level) == expected
    assert level_code(item.dimensions[0].risk) == expected


def test_sixteen_distinct_cells_are_tested() -> None:
    assert len({(i, lk) for i, lk, _ in D5}) == 16


def test_level_labels_in_both_languages(form: Any) -> None:
    assert [level_label(form, n, "zh") for n in (1, 2, 3, 4)] == ["低", "中", "高", "严重"]
    assert [likelihood_label(form, n, "zh") for n in (1, 2, 3, 4)] == ["低", "中", "高", "很高"]
    assert level_label(form, 4, "en") == "Severe"
    assert level_label(form, None, "zh") == ""


def test_impact_adjustment_with_reason_raises_every_dimension(form: Any) -> None:
    r = row(
        impact={"d1": "medium", "d3": "low"},
        likelihood="medium",
        impact_adjust=["vulnerable_group"],
        impact_adjust_reason="主要用户为小学生",
    )
    item = grade_one(form, r)
    assert [d.impact for d in item.dimensions] == [3, None, 2, None]
    assert item.impact == 3
    assert level_code(item.level) == "medium"  # M[high][medium]
    assert "impact:vulnerable_group" in item.adjustments
    assert item.problems == ()


def test_impact_adjustment_without_reason_is_ignored_and_reported(form: Any) -> None:
    r = row(
        impact={"d1": "high"}, likelihood="high", impact_adjust=["sensitive_scale"], impact_adjust_reason="  "
    )
    item = grade_one(form, r)
    assert item.impact == 3
    assert level_code(item.level) == "high"
    assert item.adjustments == ()
    assert item.problems == ("impact_adjust.no_reason",)


def test_two_raises_add_up_and_clamp_at_severe(form: Any) -> None:
    r = row(
        impact={"d1": "medium", "d2": "high"},
        likelihood="low",
        impact_adjust=["sensitive_scale", "vulnerable_group"],
        impact_adjust_reason="60万名学生",
    )
    item = grade_one(form, r)
    assert [d.impact for d in item.dimensions[:2]] == [4, 4]  # medium+2 = severe; high+2 clamped


def test_lowering_clamps_at_low(form: Any) -> None:
    r = row(
        impact={"d1": "low", "d2": "medium"},
        likelihood="high",
        impact_adjust=["deidentified"],
        impact_adjust_reason="仅保存不可逆模板",
    )
    item = grade_one(form, r)
    assert [d.impact for d in item.dimensions[:2]] == [1, 1]
    assert level_code(item.level) == "medium"  # M[low][high]


def test_likelihood_is_the_highest_factor(form: Any) -> None:
    item = grade_one(
        form, row(impact={"d1": "high"}, likelihood={"f1": "low", "f2": "high", "f3": "medium", "f4": "low"})
    )
    assert item.likelihood == 3
    assert item.factors["f2"] == (3, "理由 f2")
    assert level_code(item.level) == "high"


def test_unrated_factor_is_reported_and_the_others_still_count(form: Any) -> None:
    item = grade_one(form, row(impact={"d1": "low"}, likelihood={"f1": "medium", "f2": "low"}))
    assert item.likelihood == 2
    assert set(item.problems) == {"lik_f3.unrated", "lik_f4.unrated"}


def test_no_factor_rated_gives_no_level(form: Any) -> None:
    item = grade_one(form, row(impact={"d1": "severe"}, likelihood={}))
    assert item.likelihood is None
    assert item.level is None


def test_missing_reasons_are_reported(form: Any) -> None:
    r = row(impact={"d2": "medium"}, likelihood="low", impact_d2_reason="", lik_f1_reason=None)
    item = grade_one(form, r)
    assert set(item.problems) == {"impact_d2.no_reason", "lik_f1.no_reason"}
    assert item.level == 1  # a missing reason does not change the grade


def test_unrated_dimension_is_reported_not_applicable_is_not(form: Any) -> None:
    r = row(impact={"d1": "medium"}, likelihood="low")
    del r["impact_d4"]
    item = grade_one(form, r)
    assert item.problems == ("impact_d4.unrated",)


@pytest.mark.parametrize(
    ("count", "expected", "applied"),
    [
        (999_999, "low", ()),
        (1_000_000, "low", ()),  # "超过 100 万" = more than
        (1_000_001, "medium", ("likelihood:scale_1m",)),
        (20_000_000, "high", ("likelihood:scale_1m", "likelihood:scale_10m")),
    ],
)
def test_scale_floors_from_subject_count(
    form: Any, count: int, expected: str, applied: tuple[str, ...]
) -> None:
    item = grade_one(form, row(impact={"d1": "medium"}, likelihood="low"), b_subject_count=count)
    assert LIKELIHOODS[item.likelihood - 1] == expected
    assert item.adjustments == applied


def test_row_scale_overrides_the_assessment_count(form: Any) -> None:
    r = row(impact={"d1": "medium"}, likelihood="low", affected_scale=500)
    item = grade_one(form, r, b_subject_count=50_000_000)
    assert item.likelihood == 1


def test_scale_floor_never_lowers_a_higher_rating(form: Any) -> None:
    item = grade_one(
        form,
        row(impact={"d1": "medium"}, likelihood={"f4": "very_high", "f1": "low", "f2": "low", "f3": "low"}),
        b_subject_count=20_000_000,
    )
    assert item.likelihood == 4
    assert item.adjustments == ()


def test_likelihood_lowering_needs_a_reason_and_applies_after_the_floor(form: Any) -> None:
    base = row(impact={"d1": "high"}, likelihood="low", lik_adjust=["large_scale_prepared"])
    without = grade_one(form, {**base, "lik_adjust_reason": ""}, b_subject_count=20_000_000)
    assert without.likelihood == 3
    assert "lik_adjust.no_reason" in without.problems
    with_reason = grade_one(
        form, {**base, "lik_adjust_reason": "有应急预案并经演练"}, b_subject_count=20_000_000
    )
    assert with_reason.likelihood == 2
    assert level_code(with_reason.level) == "medium"  # M[high][medium]


def test_item_is_the_highest_dimension_and_overall_the_highest_item(form: Any) -> None:
    r1 = row(impact={"d1": "low", "d3": "high", "d4": "medium"}, likelihood="high")
    r2 = {**row(impact={"d2": "medium"}, likelihood="low"), "risk_id": "R2"}
    result = grade_risks(form, {"l_risks": [r1, r2]})
    first, second = result.items
    assert [level_code(d.risk) for d in first.dimensions] == ["medium", None, "high", "medium"]
    assert level_code(first.level) == "high"
    assert level_code(second.level) == "low"
    assert level_code(result.overall) == "high"


def test_no_items_gives_no_overall(form: Any) -> None:
    assert grade_risks(form, {}).overall is None
    assert grade_risks(form, {"l_risks": [{}]}).items == ()


def test_residual_from_the_row_or_else_the_treatments(form: Any) -> None:
    r1 = row(impact={"d1": "severe"}, likelihood="high", residual_level="medium")
    r2 = {**row(impact={"d1": "high"}, likelihood="high"), "risk_id": "R2"}
    treatments = [
        {"ref_id": "R2", "measure": "加密", "residual_level": "low"},
        {"ref_id": "R2", "measure": "本地比对", "residual_level": "medium"},
    ]
    result = grade_risks(form, {"l_risks": [r1, r2], "m_treatments": treatments})
    assert [i.residual_level for i in result.items] == [2, 2]
    assert result.overall_residual == 2


def test_residual_above_the_level_is_reported(form: Any) -> None:
    item = grade_one(form, row(impact={"d1": "low"}, likelihood="low", residual_level="high"))
    assert item.problems == ("residual_level.above_level",)
    assert "处置后剩余风险等级" in describe_problem(form, item.problems[0], "zh")
    assert "Residual risk" in describe_problem(form, item.problems[0], "en")


def test_level_columns_use_the_codes_of_the_risk_data(form: Any) -> None:
    table = form.question("l_risks")
    data = form.data["risk"]
    impact_codes = [x["code"] for x in data["impact_levels"]]
    lik_codes = [x["code"] for x in data["likelihood_levels"]]
    for d in data["impact_dimensions"]:
        assert [o.code for o in table.column(f"impact_{d['id']}").options] == [
            "not_applicable",
            *impact_codes,
        ]
    for f in data["likelihood_factors"]:
        assert [o.code for o in table.column(f"lik_{f['id']}").options] == lik_codes
    assert [o.code for o in table.column("impact_adjust").options] == [
        a["code"] for a in data["impact_adjustments"]
    ]
    assert [o.code for o in table.column("lik_adjust").options] == [
        a["code"] for a in data["likelihood_adjustments"]
    ]
    assert [o.code for o in table.column("residual_level").options] == impact_codes


def test_the_matrix_is_read_from_the_form_data(form: Any) -> None:
    changed = {**form.data["risk"], "matrix": {"rows": [["severe"] * 4] * 4}}
    other = dataclasses.replace(form, data={**form.data, "risk": changed})
    item = grade_one(other, row(impact={"d1": "low"}, likelihood="low"))
    assert level_code(item.level) == "severe"


@pytest.mark.parametrize(
    "matrix",
    [{"rows": [["low"] * 4] * 3}, {"rows": [["low", "low", "low", "extreme"]] * 4}],
)
def test_malformed_matrix_is_refused(form: Any, matrix: dict[str, Any]) -> None:
    bad = dataclasses.replace(form, data={**form.data, "risk": {**form.data["risk"], "matrix": matrix}})
    with pytest.raises(RiskDataError):
        risk_model(bad)


def test_engine_imports_no_qt() -> None:
    """In a fresh interpreter, importing the engine loads no PySide6 module."""
    code = (
        "import sys, pia_app.engine.grade, pia_app.engine.risk, pia_app.engine.deadlines\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6') or m.startswith('shiboken')]\n"
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_forms_check_reports_a_bad_matrix_cell_with_its_line(tmp_path: Any) -> None:
    import shutil

    from pia_app.forms.loader import FormError, load_form
    from pia_app.resources import forms_dir

    dst = tmp_path / "form"
    shutil.copytree(forms_dir() / "face_voice", dst)
    path = dst / "risk.yaml"
    text = path.read_text("utf-8")
    old = "    - [medium, high, severe, severe]"
    assert old in text
    path.write_text(text.replace(old, "    - [medium, high, severe, extreme]"), "utf-8")
    with pytest.raises(FormError) as exc:
        load_form(dst)
    (problem,) = exc.value.problems
    assert problem.file.endswith("risk.yaml")
    assert problem.key == "matrix.rows[3][3]"
    assert "extreme" in problem.message
    assert text.splitlines()[problem.line - 1].startswith("    - [")


_IMPACT = st.sampled_from(["not_applicable", *LEVELS])
_LIK = st.sampled_from(LIKELIHOODS)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # form is read-only
@given(
    impacts=st.lists(_IMPACT, min_size=4, max_size=4),
    liks=st.lists(_LIK, min_size=4, max_size=4),
    dim=st.integers(0, 3),
    factor=st.integers(0, 3),
)
def test_raising_any_rating_never_lowers_the_level(
    form: Any, impacts: list[str], liks: list[str], dim: int, factor: int
) -> None:
    """Table D.5 is monotonic, and so must the whole grading be."""
    dims = ("d1", "d2", "d3", "d4")
    facs = ("f1", "f2", "f3", "f4")
    base = row(impact=dict(zip(dims, impacts, strict=True)), likelihood=dict(zip(facs, liks, strict=True)))
    before = grade_one(form, base)
    higher_impact = {**base, f"impact_{dims[dim]}": LEVELS[-1]}
    higher_lik = {**base, f"lik_{facs[factor]}": LIKELIHOODS[-1]}
    for changed in (higher_impact, higher_lik):
        after = grade_one(form, changed)
        assert (after.level or 0) >= (before.level or 0)
    if before.level is not None:
        assert 1 <= before.level <= 4
        assert before.level == max(d.risk or 0 for d in before.dimensions)

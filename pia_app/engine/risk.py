"""Risk grading after GB/T 39335 (reference section L): impact × likelihood → risk level.

Pure functions over a form and its answers. Everything that is a *choice* — the level scales, the
matrix of table D.5, the adjustments and the scale floors — is data in the form
(`forms/<form>/risk.yaml`, loaded as `form.data["risk"]`), so an organisation can read it and the
report can print it. This module only applies it:

- impact per dimension d1..d4 = the rated level, plus the sum of the ticked impact adjustments
  (each ±1) *only when the row gives a reason for them*, clamped to 1..4 (L.4 rule 1);
- likelihood = the highest of the four factors f1..f4 [I, conservative] (L.4 rule 2), raised to
  the floor the number of affected individuals sets (D.4: > 1 million → at least medium,
  > 10 million → at least high), then the ticked likelihood adjustments with a reason, clamped;
- risk per dimension = matrix[impact-1][likelihood-1] (L.3), item level = highest dimension,
  overall = highest item (L.4 rules 3 and 4) [I].

Levels are integers 1..4 (1 = low); `None` means "not rated". A rating problem (an adjustment
without a reason, a level without a reason, a factor left unrated) never stops the grading: it is
reported in the item's `problems` so the user sees why a number is what it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pia_app.forms.conditions import is_blank
from pia_app.forms.schema import Form, Text

LEVELS = ("low", "medium", "high", "severe")
"""Impact and risk levels 1..4 (低/中/高/严重)."""

LIKELIHOODS = ("low", "medium", "high", "very_high")
"""Likelihood levels 1..4 (低/中/高/很高)."""

NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class DimensionGrade:
    """One impact dimension of one risk item, and the risk it gives with the item's likelihood."""

    dimension: str
    impact: int | None
    impact_reason: str
    likelihood: int | None
    risk: int | None


@dataclass(frozen=True)
class AppliedStep:
    """One adjustment or floor as it was applied to a risk item, for the wizard and the report:
    "rated 中, +1 vulnerable group → 高" is AppliedStep("impact", "vulnerable_group", 2, 3).

    `kind` is "impact" (an impact adjustment), "likelihood" (a likelihood adjustment),
    "scale_floor" (table D.4) or "gap_floor" (reference L.4(6): `detail` lists the open gap
    numbers and the factor raised). `before`/`after` are levels 1..4 of the item (highest impact
    dimension, or the combined likelihood; for gap_floor the factor's level)."""

    kind: str
    code: str
    before: int
    after: int
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskItemGrade:
    """One row of `l_risks`, graded.

    `impact` is the highest adjusted impact over the dimensions, `level` the highest dimension
    risk. `factors` maps f1..f4 to (level as rated, reason). `adjustments` lists the codes of the
    adjustments and floors that were applied ("impact:vulnerable_group", "likelihood:scale_1m").
    `problems` lists stable problem codes "<column id>.<kind>" (kinds: no_reason, unrated,
    above_level), e.g. "impact_adjust.no_reason"; `describe_problem` turns one into a sentence.
    """

    risk_id: str
    activity: str
    threat: str
    impact: int | None
    likelihood: int | None
    level: int | None
    residual_level: int | None
    dimensions: tuple[DimensionGrade, ...]
    factors: dict[str, tuple[int | None, str]]
    adjustments: tuple[str, ...]
    problems: tuple[str, ...]
    steps: tuple[AppliedStep, ...] = ()
    """The adjustments and floors as applied, in order (see AppliedStep)."""
    linked_gaps: tuple[str, ...] = ()
    """Gap numbers named in the row's linked_gaps column."""
    threat_category: str = ""


@dataclass(frozen=True)
class RiskGrade:
    items: tuple[RiskItemGrade, ...]
    overall: int | None
    overall_residual: int | None = None


@dataclass(frozen=True)
class Adjustment:
    code: str
    delta: int
    label: Text


@dataclass(frozen=True)
class ScaleFloor:
    code: str
    above: float
    min_likelihood: int


@dataclass(frozen=True)
class GapFloor:
    """Reference L.4(6): an open gap of `severity` linked to an item raises `factor`."""

    severity: str
    factor: str
    min_likelihood: int


@dataclass(frozen=True)
class RiskModel:
    """The risk data of a form, checked and indexed (see risk.yaml for the meaning)."""

    dimensions: tuple[str, ...]
    factors: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]
    impact_adjustments: Mapping[str, Adjustment]
    likelihood_adjustments: Mapping[str, Adjustment]
    scale_floors: tuple[ScaleFloor, ...]
    level_labels: Mapping[int, Text]
    likelihood_labels: Mapping[int, Text]
    gap_floor: GapFloor | None = None


class RiskDataError(ValueError):
    """The form's risk data is missing or malformed (a form bug, caught by the form tests)."""


def level_code(n: int | None) -> str | None:
    """1..4 → "low".."severe"; None stays None."""
    return LEVELS[n - 1] if n is not None else None


def likelihood_code(n: int | None) -> str | None:
    """1..4 → "low".."very_high"; None stays None."""
    return LIKELIHOODS[n - 1] if n is not None else None


def level_label(form: Form, n: int | None, lang: str) -> str:
    """The label of impact/risk level n in `lang` (低/中/高/严重), "" when not rated."""
    if n is None:
        return ""
    text = risk_model(form).level_labels.get(n, {})
    return text.get(lang) or text.get("zh") or LEVELS[n - 1]


def likelihood_label(form: Form, n: int | None, lang: str) -> str:
    """The label of likelihood level n in `lang` (低/中/高/很高), "" when not rated."""
    if n is None:
        return ""
    text = risk_model(form).likelihood_labels.get(n, {})
    return text.get(lang) or text.get("zh") or LIKELIHOODS[n - 1]


_MODELS: dict[int, tuple[Form, RiskModel]] = {}


def risk_model(form: Form) -> RiskModel:
    """The form's risk data as a RiskModel; raises RiskDataError when it is missing or wrong."""
    # A Form holds dicts, so it is not hashable: cache by identity, keeping the form alive so
    # its id cannot be reused by another object.
    hit = _MODELS.get(id(form))
    if hit is not None and hit[0] is form:
        return hit[1]
    model = _model(form)
    _MODELS[id(form)] = (form, model)
    return model


def _model(form: Form) -> RiskModel:
    raw = form.data.get("risk")
    if not isinstance(raw, Mapping):
        raise RiskDataError(f"form {form.id} has no risk data (form.yaml data: {{risk: ...}})")
    try:
        return _parse_model(raw)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise RiskDataError(f"form {form.id}: bad risk data: {exc}") from exc


def _text(raw: Any) -> dict[str, str]:
    return {"zh": str(raw["zh"]), "en": str(raw["en"])}


def _parse_model(raw: Mapping[str, Any]) -> RiskModel:
    impact_levels = [str(x["code"]) for x in raw["impact_levels"]]
    lik_levels = [str(x["code"]) for x in raw["likelihood_levels"]]
    if tuple(impact_levels) != LEVELS:
        raise ValueError(f"impact_levels must be {LEVELS}, not {impact_levels}")
    if tuple(lik_levels) != LIKELIHOODS:
        raise ValueError(f"likelihood_levels must be {LIKELIHOODS}, not {lik_levels}")
    rows = raw["matrix"]["rows"]
    if len(rows) != 4 or any(len(r) != 4 for r in rows):
        raise ValueError("the matrix must have 4 rows of 4 levels")
    matrix = tuple(tuple(LEVELS.index(str(cell)) + 1 for cell in row) for row in rows)

    def adjustments(key: str) -> dict[str, Adjustment]:
        out = {}
        for a in raw.get(key) or []:
            delta = int(a["delta"])
            if delta not in (-1, 1):
                raise ValueError(f"{key}: {a['code']}: delta must be +1 or -1")
            out[str(a["code"])] = Adjustment(str(a["code"]), delta, _text(a["label"]))
        return out

    floors = tuple(
        ScaleFloor(str(f["code"]), float(f["above"]), LIKELIHOODS.index(str(f["min_likelihood"])) + 1)
        for f in (raw.get("aggregation", {}).get("likelihood_scale_floors") or [])
    )
    raw_gap = (raw.get("aggregation") or {}).get("open_gap_floor")
    gap_floor = (
        GapFloor(
            str(raw_gap["severity"]),
            str(raw_gap["factor"]),
            LIKELIHOODS.index(str(raw_gap["min_likelihood"])) + 1,
        )
        if raw_gap
        else None
    )
    return RiskModel(
        gap_floor=gap_floor,
        dimensions=tuple(str(d["id"]) for d in raw["impact_dimensions"]),
        factors=tuple(str(f["id"]) for f in raw["likelihood_factors"]),
        matrix=matrix,
        impact_adjustments=adjustments("impact_adjustments"),
        likelihood_adjustments=adjustments("likelihood_adjustments"),
        scale_floors=floors,
        level_labels={i + 1: _text(x["label"]) for i, x in enumerate(raw["impact_levels"])},
        likelihood_labels={i + 1: _text(x["label"]) for i, x in enumerate(raw["likelihood_levels"])},
    )


def matrix_level(model: RiskModel, impact: int | None, likelihood: int | None) -> int | None:
    """Risk level from the matrix, `M[impact-1][likelihood-1]`; None if either is unrated."""
    if impact is None or likelihood is None:
        return None
    return model.matrix[impact - 1][likelihood - 1]


def _clamp(n: int) -> int:
    return max(1, min(4, n))


def _max(values: Sequence[int | None]) -> int | None:
    rated = [v for v in values if v is not None]
    return max(rated) if rated else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def split_refs(text: Any) -> tuple[str, ...]:
    """ "D-05, K-03；R1" → ("D-05", "K-03", "R1"): commas, 、, semicolons or spaces separate."""
    if not isinstance(text, str):
        return ()
    return tuple(p for p in re.split(r"[\s,，、;；]+", text.strip()) if p)


def grade_item(
    model: RiskModel,
    row: Mapping[str, Any],
    subject_count: float | None = None,
    treatment_residuals: Sequence[int] = (),
    open_gaps: Mapping[str, str] | None = None,
) -> RiskItemGrade:
    """Grade one `l_risks` row. `subject_count` (the assessment's b_subject_count) applies the
    scale floors when the row does not give its own `affected_scale`. `open_gaps` maps the gap
    numbers of the open findings to their severity, for the L.4(6) floor on linked gaps."""
    rid = _str(row.get("risk_id"))
    problems: list[str] = []
    applied: list[str] = []
    steps: list[AppliedStep] = []
    linked = split_refs(row.get("linked_gaps"))

    # Impact adjustments: counted only with a reason (39335 D.1: 需要具体说明修正的理由).
    impact_delta = 0
    ticked = [c for c in (row.get("impact_adjust") or []) if c in model.impact_adjustments]
    impact_codes = [row.get(f"impact_{d}") for d in model.dimensions]
    rated = _max([LEVELS.index(c) + 1 if c in LEVELS else None for c in impact_codes])
    if ticked:
        if _str(row.get("impact_adjust_reason")):
            impact_delta = sum(model.impact_adjustments[c].delta for c in ticked)
            applied.extend(f"impact:{c}" for c in ticked)
            level_now = rated
            for c in ticked:
                if level_now is not None:
                    after = _clamp(level_now + model.impact_adjustments[c].delta)
                    steps.append(AppliedStep("impact", c, level_now, after))
                    level_now = after
        else:
            problems.append("impact_adjust.no_reason")

    # Likelihood: the highest factor [I], then the scale floor (D.4), then adjustments with reason.
    factors: dict[str, tuple[int | None, str]] = {}
    for f in model.factors:
        code = row.get(f"lik_{f}")
        level = LIKELIHOODS.index(code) + 1 if code in LIKELIHOODS else None
        reason = _str(row.get(f"lik_{f}_reason"))
        factors[f] = (level, reason)
        if level is None:
            problems.append(f"lik_{f}.unrated")
        elif not reason:
            problems.append(f"lik_{f}.no_reason")
    floor = model.gap_floor
    if floor is not None and floor.factor in factors:
        hits = tuple(n for n in linked if (open_gaps or {}).get(n) == floor.severity)
        level_f, reason_f = factors[floor.factor]
        if hits and level_f is not None and level_f < floor.min_likelihood:
            factors[floor.factor] = (floor.min_likelihood, reason_f)
            applied.append(f"likelihood:gap_floor_{floor.factor}")
            steps.append(AppliedStep("gap_floor", floor.factor, level_f, floor.min_likelihood, hits))
    likelihood = _max([lv for lv, _ in factors.values()])
    if likelihood is not None:
        scale = _number(row.get("affected_scale"))
        if scale is None:
            scale = subject_count
        for sfloor in model.scale_floors:
            if scale is not None and scale > sfloor.above and likelihood < sfloor.min_likelihood:
                steps.append(AppliedStep("scale_floor", sfloor.code, likelihood, sfloor.min_likelihood))
                likelihood = sfloor.min_likelihood
                applied.append(f"likelihood:{sfloor.code}")
        lticked = [c for c in (row.get("lik_adjust") or []) if c in model.likelihood_adjustments]
        if lticked:
            if _str(row.get("lik_adjust_reason")):
                for c in lticked:
                    after = _clamp(likelihood + model.likelihood_adjustments[c].delta)
                    steps.append(AppliedStep("likelihood", c, likelihood, after))
                    likelihood = after
                applied.extend(f"likelihood:{c}" for c in lticked)
            else:
                problems.append("lik_adjust.no_reason")

    dims: list[DimensionGrade] = []
    for d in model.dimensions:
        code = row.get(f"impact_{d}")
        reason = _str(row.get(f"impact_{d}_reason"))
        impact: int | None = None
        if code in LEVELS:
            impact = _clamp(LEVELS.index(code) + 1 + impact_delta)
            if not reason:
                problems.append(f"impact_{d}.no_reason")
        elif code != NOT_APPLICABLE:
            problems.append(f"impact_{d}.unrated")
        risk = matrix_level(model, impact, likelihood)
        dims.append(DimensionGrade(d, impact, reason, likelihood, risk))

    level = _max([d.risk for d in dims])
    residual_code = row.get("residual_level")
    residual = LEVELS.index(residual_code) + 1 if residual_code in LEVELS else None
    if residual is None and treatment_residuals:
        residual = max(treatment_residuals)
    if residual is not None and level is not None and residual > level:
        problems.append("residual_level.above_level")
    return RiskItemGrade(
        risk_id=rid,
        activity=_str(row.get("act_ref")),
        threat=_str(row.get("threat_event")),
        impact=_max([d.impact for d in dims]),
        likelihood=likelihood,
        level=level,
        residual_level=residual,
        dimensions=tuple(dims),
        factors=factors,
        adjustments=tuple(applied),
        problems=tuple(problems),
        steps=tuple(steps),
        linked_gaps=linked,
        threat_category=_str(row.get("threat_category")),
    )


def treatment_residuals(answers: Mapping[str, Any], table: str) -> dict[str, list[int]]:
    """Residual levels recorded per risk id in the treatment plan (`m_treatments`)."""
    out: dict[str, list[int]] = {}
    for row in answers.get(table) or []:
        if not isinstance(row, Mapping):
            continue
        code = row.get("residual_level")
        if code in LEVELS:
            for ref in split_refs(row.get("ref_id")):
                out.setdefault(ref, []).append(LEVELS.index(code) + 1)
    return out


def grade_risks(
    form: Form, answers: Mapping[str, Any], open_gaps: Mapping[str, str] | None = None
) -> RiskGrade:
    """Grade every row of `l_risks` and aggregate (overall = highest item level [I]).
    `open_gaps` (gap number → severity of the open findings) drives the L.4(6) floor."""
    model = risk_model(form)
    count = answers.get(form.role("facts", "subject_count"))
    subject_count = _number(count)
    residuals = treatment_residuals(answers, form.role("tables", "treatments"))
    rows = [r for r in (answers.get(form.role("tables", "risks")) or []) if isinstance(r, Mapping)]
    items = tuple(
        grade_item(model, r, subject_count, residuals.get(_str(r.get("risk_id")), ()), open_gaps)
        for r in rows
        if not all(is_blank(v) for v in r.values())
    )
    return RiskGrade(
        items=items,
        overall=_max([i.level for i in items]),
        overall_residual=_max([i.residual_level for i in items]),
    )


def describe_problem(form: Form, code: str, lang: str) -> str:
    """A rating problem code ("impact_d2.no_reason") as a sentence naming the column's label."""
    from pia_app.i18n import pick, t

    column_id, _, kind = code.partition(".")
    table = form.question(form.role("tables", "risks"))
    column = table.column(column_id) if table else None
    label = pick(column.label, lang) if column else column_id
    return t(f"risk.problem.{kind}", lang, column=label)

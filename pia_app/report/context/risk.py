"""Part 4 of the report: criteria (GB/T 39335 tables D.1-D.5), risk items, heat map words.

Levels are shown as applied: a dimension whose rated impact an adjustment changed reads
"中 → 高", a likelihood a scale floor raised likewise, and the adjustments are listed by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pia_app.display import display_value
from pia_app.engine.grade import Grading
from pia_app.engine.risk import (
    LEVELS,
    RiskItemGrade,
    describe_problem,
    level_label,
    likelihood_label,
)
from pia_app.forms.conditions import is_blank
from pia_app.forms.schema import Form
from pia_app.i18n import pick, t
from pia_app.report.charts import ChartText, HeatItem
from pia_app.report.context.base import Ctx, level_colour, s

ARROW = " → "


def _risk_data(form: Form) -> Mapping[str, Any]:
    raw = form.data.get("risk")
    return raw if isinstance(raw, Mapping) else {}


def risk(c: Ctx, grading: Grading) -> dict[str, Any]:
    form, lang = c.form, c.lang
    data = _risk_data(form)
    not_rated = t("report.not_rated", lang)

    def lv(n: int | None) -> str:
        return level_label(form, n, lang) if n else not_rated

    def lk(n: int | None) -> str:
        return likelihood_label(form, n, lang) if n else not_rated

    impact_levels = list(data.get("impact_levels") or [])
    lik_levels = list(data.get("likelihood_levels") or [])
    dims = {str(d["id"]): pick(d.get("name"), lang) for d in data.get("impact_dimensions") or []}
    factors = list(data.get("likelihood_factors") or [])
    factor_names = {str(f["id"]): pick(f.get("name"), lang) for f in factors}
    adjust_labels: dict[str, str] = {}
    for key, prefix in (("impact_adjustments", "impact"), ("likelihood_adjustments", "likelihood")):
        for a in data.get(key) or []:
            adjust_labels[f"{prefix}:{a['code']}"] = pick(a.get("label"), lang)
    floors = (data.get("aggregation") or {}).get("likelihood_scale_floors") or []
    for fl in floors:
        adjust_labels[f"likelihood:{fl['code']}"] = t(
            "report.scale_floor",
            lang,
            above=f"{int(fl['above']):,}",
            level=likelihood_label(
                form, [x["code"] for x in lik_levels].index(fl["min_likelihood"]) + 1, lang
            )
            if lik_levels
            else str(fl["min_likelihood"]),
        )
    matrix = (data.get("matrix") or {}).get("rows") or []
    level_codes = [str(x["code"]) for x in impact_levels]

    rows = [r for r in c.rows(c.role("risks", "tables")) if not all(is_blank(v) for v in r.values())]
    items = []
    for i, item in enumerate(grading.risk.items):
        raw = rows[i] if i < len(rows) else {}
        items.append(_risk_item(c, item, raw, dims, factor_names, adjust_labels, lv, lk))

    return {
        "impact_levels": [
            {"label": pick(x.get("label"), lang), "description": pick(x.get("description"), lang)}
            for x in reversed(impact_levels)
        ],
        "likelihood_levels": [
            {"label": pick(x.get("label"), lang), "description": pick(x.get("description"), lang)}
            for x in reversed(lik_levels)
        ],
        "factor_heads": [pick(f.get("name"), lang) for f in factors][:4],
        "factor_rows": [
            {
                "label": pick(x.get("label"), lang),
                "cells": [pick((f.get("descriptors") or {}).get(x["code"]), lang) or "—" for f in factors][
                    :4
                ],
            }
            for x in reversed(lik_levels)
        ],
        "likelihood_heads": [pick(x.get("label"), lang) for x in lik_levels],
        "matrix_rows": [
            {
                "label": pick(impact_levels[r].get("label"), lang),
                "cells": [
                    {
                        "label": lv(level_codes.index(str(cell)) + 1),
                        "color": level_colour(level_codes.index(str(cell)) + 1),
                    }
                    for cell in matrix[r]
                ],
            }
            for r in reversed(range(len(matrix)))
        ],
        "dimension_names": c.sep.join(dims.values()),
        "factor_names": c.sep.join(factor_names.values()),
        "acceptance": c.ans(c.role("acceptance_criteria")),
        "entries": items,
        "overall": lv(grading.risk.overall),
        "overall_residual": lv(grading.risk.overall_residual),
    }


def _as_applied(rated: int | None, applied: int | None, name: Callable[[int | None], str]) -> str:
    """ "中 → 高" when an adjustment or floor changed the rated level, else the level."""
    if rated is not None and applied is not None and rated != applied:
        return f"{name(rated)}{ARROW}{name(applied)}"
    return name(applied)


def _risk_item(
    c: Ctx,
    item: RiskItemGrade,
    raw: Mapping[str, Any],
    dims: Mapping[str, str],
    factor_names: Mapping[str, str],
    adjust_labels: Mapping[str, str],
    lv: Callable[[int | None], str],
    lk: Callable[[int | None], str],
) -> dict[str, Any]:
    table = c.form.question(c.role("risks", "tables"))

    def cell(col_id: str) -> str:
        col = table.column(col_id) if table else None
        value = raw.get(col_id)
        return display_value(col, value, c.lang) if col else (s(value) or c.na)

    def rated(col_id: str) -> int | None:
        code = raw.get(col_id)
        return LEVELS.index(code) + 1 if code in LEVELS else None

    adjustments = [adjust_labels.get(a, a) for a in item.adjustments]
    for key in ("impact_adjust_reason", "lik_adjust_reason"):
        if not is_blank(raw.get(key)) and any(
            a.startswith("impact:" if key.startswith("impact") else "likelihood:") for a in item.adjustments
        ):
            adjustments.append(cell(key))
    subjects = cell("affected_subjects")
    if not is_blank(raw.get("affected_scale")):
        subjects += f"（{cell('affected_scale')}）" if c.lang == "zh" else f" ({cell('affected_scale')})"
    rated_lik = max((lvl for lvl, _ in item.factors.values() if lvl is not None), default=None)
    rated_impact = max((r for d in item.dimensions if (r := rated(f"impact_{d.dimension}"))), default=None)
    return {
        "id": item.risk_id or "—",
        "activity": item.activity or c.na,
        "threat": item.threat or c.na,
        "source": cell("risk_source"),
        "subjects": subjects,
        "impact": _as_applied(rated_impact, item.impact, lv),
        "likelihood": _as_applied(rated_lik, item.likelihood, lk),
        "level": lv(item.level),
        "level_color": level_colour(item.level),
        "residual": lv(item.residual_level),
        "residual_color": level_colour(item.residual_level),
        "dims": [
            {
                "name": dims.get(d.dimension, d.dimension),
                "impact": _as_applied(rated(f"impact_{d.dimension}"), d.impact, lv)
                if d.impact
                else cell(f"impact_{d.dimension}"),
                "reason": d.impact_reason
                or ("—" if raw.get(f"impact_{d.dimension}") == "not_applicable" else c.na),
                "risk": lv(d.risk) if d.risk else "—",
                "color": level_colour(d.risk),
            }
            for d in item.dimensions
        ],
        "factors": [
            {"name": factor_names.get(f, f), "level": lk(level), "reason": reason or c.na}
            for f, (level, reason) in item.factors.items()
        ],
        "adjustments": c.sep.join(adjustments) or t("report.none", c.lang),
        "acceptance": _acceptance(c, item),
        "problems": [describe_problem(c.form, p, c.lang) for p in item.problems],
    }


ACCEPT_FROM = 2
"""Residual levels from medium up need someone's written acceptance (GB/T 39335 5.8)."""


def _acceptance(c: Ctx, item: RiskItemGrade) -> str:
    """Who accepted the item's residual risk ("" when its residual level needs nobody)."""
    if item.residual_level is None or item.residual_level < ACCEPT_FROM:
        return ""
    acceptance = c.role("acceptance", "tables")
    table = c.form.question(acceptance)
    for raw in c.rows(acceptance):
        if s(raw.get("risk_id")).strip() == item.risk_id and table is not None:

            def col(col_id: str, raw: Mapping[str, Any] = raw) -> str:
                column = table.column(col_id)
                return display_value(column, raw.get(col_id), c.lang) if column else c.na

            return t(
                "report.acceptance.by",
                c.lang,
                name=col("accepted_by"),
                role=col("role"),
                date=col("date"),
                reason=col("reason"),
            )
    return t("report.acceptance.missing", c.lang)


def chart_text(form: Form, lang: str) -> ChartText:
    """The heat map's words in `lang` (level names from the form's risk data)."""
    levels = tuple(level_label(form, n, lang) for n in (1, 2, 3, 4))
    liks = tuple(likelihood_label(form, n, lang) for n in (1, 2, 3, 4))
    return ChartText(
        impact_axis=t("chart.impact_axis", lang),
        likelihood_axis=t("chart.likelihood_axis", lang),
        impact_levels=levels,  # type: ignore[arg-type]
        likelihood_levels=liks,  # type: ignore[arg-type]
        risk_levels=levels,  # type: ignore[arg-type]
        inherent_legend=t("chart.legend", lang),
        residual_title=t("chart.residual_title", lang),
        unrated=t("chart.unrated", lang),
        no_items=t("chart.no_items", lang),
    )


def heat_items(grading: Grading) -> list[HeatItem]:
    return [
        HeatItem(
            label=item.risk_id or f"#{i}",
            impact=item.impact,
            likelihood=item.likelihood,
            residual=item.residual_level,
        )
        for i, item in enumerate(grading.risk.items, start=1)
    ]

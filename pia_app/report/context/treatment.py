"""Part 5 of the report: the treatment plan, checked against the gaps and risks.

Every open S1/S2 gap and every high or severe risk item appears: with the measures that name it,
or in a row of its own that says, in red, that no measure exists yet. Treatment rows name their
target by gap number, by the rule id of older files, or by risk id; all read as the report's gap
numbers and risk ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.display import display_value, form_text, format_date
from pia_app.engine.findings import Finding
from pia_app.engine.grade import Grading
from pia_app.forms.conditions import parse_date
from pia_app.i18n import t
from pia_app.report.context.base import LEVEL_CODES, RED, WHITE, Ctx, level_colour, s
from pia_app.report.context.compliance import gap_ref, numbered

TREAT_SEVERITIES = ("S1", "S2")
TREAT_LEVEL = 3
"""Risk items at or above this level (high) must have a measure."""
DONE = "done"


def targets(c: Ctx, gaps: Sequence[tuple[str, Finding]], grading: Grading) -> dict[str, str]:
    """Every way a treatment row may name its target → how the report names it."""
    out: dict[str, str] = {}
    for rule in (r for q in c.form.questions.values() for r in q.rules):
        resolved = t("report.gap_resolved", c.lang, message=form_text(rule.message, c.lang))
        out[rule.id] = resolved
        if rule.number:
            out[rule.number] = resolved
    for no, f in gaps:
        ref = gap_ref(no, f, c.lang)
        out[f.rule_id] = ref
        out[no] = ref
    for item in grading.risk.items:
        if item.risk_id:
            out[item.risk_id] = item.risk_id
    return out


def treatments(c: Ctx, grading: Grading) -> dict[str, Any]:
    """{rows, untreated (count), before_start (rows due before processing starts)}."""
    lang = c.lang
    gaps = numbered(grading.findings)
    names = targets(c, gaps, grading)
    q = c.form.question(c.role("treatments", "tables"))
    rows: list[dict[str, Any]] = []
    named: set[str] = set()
    start = parse_date(c.eff.get(c.role("go_live", "dates")))
    before_start: list[dict[str, Any]] = []
    for raw in c.rows(c.role("treatments", "tables")):

        def col(col_id: str, raw: Mapping[str, Any] = raw) -> str:
            column = q.column(col_id) if q else None
            return display_value(column, raw.get(col_id), lang) if column else c.na

        ref = s(raw.get("ref_id")).strip()
        has_measure = bool(s(raw.get("measure")).strip())
        if has_measure:
            named.add(ref)
        code = s(raw.get("residual_level"))
        row = {
            "ref": names.get(ref, ref or "—"),
            "measure": col("measure"),
            "option": col("approach"),
            "owner": col("owner"),
            "deadline": col("deadline"),
            "status": col("status"),
            "residual": col("residual_level"),
            "residual_color": level_colour(LEVEL_CODES.index(code) + 1) if code in LEVEL_CODES else WHITE,
            "color": WHITE if has_measure else RED,
        }
        rows.append(row)
        due = parse_date(raw.get("deadline"))
        if raw.get("status") != DONE and has_measure and (start is None or due is None or due <= start):
            before_start.append({k: row[k] for k in ("ref", "measure", "owner", "deadline", "status")})
    untreated = 0
    for no, f in gaps:
        if f.severity in TREAT_SEVERITIES and not ({no, f.rule_id} & named):
            rows.append(_untreated(gap_ref(no, f, lang), lang))
            untreated += 1
    for item in grading.risk.items:
        if item.level is not None and item.level >= TREAT_LEVEL and item.risk_id not in named:
            rows.append(_untreated(item.risk_id or "—", lang))
            untreated += 1
    return {
        "rows": rows,
        "untreated": untreated,
        "before_start": before_start,
        "start": format_date(start.isoformat(), lang) if isinstance(start, dt.date) else c.na,
    }


def _untreated(ref: str, lang: str) -> dict[str, Any]:
    """A gap or risk that no measure names: its row says so, in red (the gap's text and the
    risk's threat are in parts 3 and 4 under the same number)."""
    none = t("report.no_measure_yet", lang)
    return {
        "ref": ref,
        "measure": none,
        "option": "—",
        "owner": "—",
        "deadline": "—",
        "status": none,
        "residual": "—",
        "residual_color": WHITE,
        "color": RED,
    }

"""Part 6 of the report: PIPL art. 56 and FR Measures art. 9 item by item, the decision with
its conditions, retention and review. Every date is the engine's (`Grading.dates`); an officer's
later retention date is kept, an earlier one is replaced by the legal minimum, saying so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pia_app.display import form_text, format_date
from pia_app.engine.deadlines import describe_filing_note
from pia_app.engine.grade import Grading, conclusion_role
from pia_app.forms.conditions import parse_date
from pia_app.i18n import t
from pia_app.report.context.base import Ctx


def conclusion(
    c: Ctx, grading: Grading, risk: Mapping[str, Any], gap_names: Mapping[str, str]
) -> dict[str, Any]:
    """`gap_names`: rule id → the gap's name in the report, for the engine's blocker texts."""
    lang = c.lang
    dates = grading.dates
    uses_fr = c.eff.get(c.role("uses_face_recognition", "facts")) is True
    rd_only = c.eff.get(c.role("rd_training_only", "facts")) is True
    fr_note = ""
    if not uses_fr:
        fr_note = t("report.fr_na.not_used", lang)
    elif rd_only:
        fr_note = t("report.fr_na.rd_only", lang)
    item_list = c.sep.join(
        f"{it['id']} {it['threat']}（{it['level']}）"
        if lang == "zh"
        else f"{it['id']} {it['threat']} ({it['level']})"
        for it in risk["entries"]
    )
    fr_risk = t(
        "report.fr_risk",
        lang,
        overall=risk["overall"],
        residual=risk["overall_residual"],
        items=item_list or t("report.none", lang),
    )

    def day(d: Any) -> str:
        return format_date(d.isoformat(), lang) if d else c.na

    retain = day(dates.retain_until)
    entered = parse_date(c.eff.get(c.role("retain_until", "record")))
    if entered and dates.retain_until and entered > dates.retain_until:
        retain = day(entered)
    elif entered and dates.retain_until and entered < dates.retain_until:
        retain = t("report.retain_minimum", lang, date=retain, entered=day(entered))
    return {
        "lawfulness": c.with_note(c.role("lawfulness"), c.role("lawfulness_note")),
        "rights_impact": c.ans(c.role("rights_impact")),
        "measures": c.with_note(c.role("measure_adequacy"), c.role("measure_adequacy_note")),
        "fr_applicable": uses_fr and not rd_only,
        "fr_note": fr_note,
        "fr_risk": fr_risk,
        "decision": c.ans(conclusion_role(c.form)[0]),
        "blockers": [_named(form_text(b, lang), gap_names) for b in grading.conclusion_blockers],
        "retain_until": retain,
        "records": c.ans(c.role("processing_records")),
        "next_review": _next_review(c, dates.next_review),
        "review_triggers": c.ans(c.role("review_triggers")),
        "filing_due": day(dates.filing_due) if dates.filing_due else "",
        "filing_note": describe_filing_note(dates.filing_note, lang),
    }


def _next_review(c: Ctx, when: dt.date | None) -> str:
    """The next review date; one the engine derived (no date in the questionnaire) says so, so
    the body does not contradict the appendix's "not answered"."""
    if when is None:
        return c.na
    if c.answered(c.role("next_review", "record")):
        return format_date(when.isoformat(), c.lang)
    return t("report.next_review_derived", c.lang, date=format_date(when.isoformat(), c.lang))


def _named(text: str, gap_names: Mapping[str, str]) -> str:
    """A blocker text with any rule id in it replaced by the gap's number."""
    for rule_id, name in gap_names.items():
        if rule_id in text:
            text = text.replace(rule_id, name)
    return text

"""Build the report's context: a plain dict of strings, lists and dicts. No objects, no None.

What the report shows is decided here and in the template (templates/report_*.docx, built by
tools/build_templates.py); nothing below reads the database. Every answer passes
`display_value`, so an empty one reads "未填写" / "Not answered".

The context contract (the keys the templates use; every value is a str unless said otherwise):

- `lang`, `title`, `form_title`, `form_id`, `form_version`, `revision`, `status`,
  `content_hash`, `generated`, `heatmap` ("" here; the export puts the picture there).
- `cover`: object, controller, controller_contact, assessment_type, report_date, status,
  assessors (names joined), signer.
- `approvers`: list of {name, role, date, opinion} from m_approval; when nobody is listed, two
  rows of blanks to be filled in by hand (a signature line is meant to be blank).
- `scope`: object, assessment_type, start, end, processing_start, release.
- `team`: list of {name, dept, role, independent}; `team_officer`.
- `references`: list of str (ticked a_references as full titles, then a_references_other lines).
- `object_facts`: list of {label, answer} (section B); `triggers_text` (PIPL 55 cases).
- `c_cols`: {column id: label} of c_activities; `activities`: list of {column id: text}.
- `parties`: list of {title, kind ("table" or "records"), columns: [str], rows: [[str]],
  records: [{title, fields: [{label, value}]}]} (entrusted, overseas recipients, third parties);
  a table of more than WIDE_TABLE columns is printed as records, one small table per row.
- `findings`: list of {no, severity, severity_label, color, message, refs, measure, question};
  `counts`: {S1, S2, S3, S4, total} (ints).
- `themes`: {code: {applicable (bool), note, rows: [{requirement, refs, answer, finding,
  measure, color}], extra: [finding dicts as above]}} for the codes of THEME_ORDER.
- `risk`: impact_levels / likelihood_levels [{label, description}], factor_heads [4],
  factor_rows [{label, cells [4]}], likelihood_heads [4], matrix_rows [{label, cells
  [{label, color}]}], dimension_names, factor_names, acceptance, entries [{id, activity, threat,
  source, subjects, impact, likelihood, level, level_color, residual, residual_color,
  dims [{name, impact, reason, risk, color}], factors [{name, level, reason}], adjustments,
  problems [str]}], overall, overall_color, overall_residual.
- `treatments`: list of {ref, measure, option, owner, deadline, status, residual,
  residual_color}.
- `concl`: lawfulness, rights_impact, measures, fr_applicable (bool), fr_note, fr_risk,
  decision, blockers [str], retain_until, records, next_review, review_triggers, filing_due,
  filing_note.
- `review`: {is_rereview (bool), based_on, reason}; `changes`: list of {kind, item, before,
  after}; `history`: list of {revision, status, date, approver, reason}. These three come from
  the caller (`meta["review"]`, the `changes` and `history` arguments) and may be empty; any
  missing key of a row reads "".
- `sections`: the appendix, list of {id, title, questions: [{id, label, answer, is_table,
  columns, rows}], blocks: [{kind, label, answer, columns, rows, records, questions}]} (blocks
  group the
  same questions for layout: plain answers in one table, each table answer on its own).

Colours are 6-digit hex strings for Word cell shading (charts.LEVEL_HEX for risk levels).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pia_app.engine.deadlines import describe_filing_note
from pia_app.engine.findings import Finding
from pia_app.engine.grade import Grading, grade_assessment
from pia_app.engine.risk import (
    RISK_TABLE,
    RiskItemGrade,
    describe_problem,
    level_label,
    likelihood_label,
)
from pia_app.forms.answers import effective_answers, visible_question_ids
from pia_app.forms.citations import applicable_sources, format_refs, only_applicable
from pia_app.forms.conditions import is_blank
from pia_app.forms.schema import Column, Form, Question
from pia_app.i18n import pick, t
from pia_app.report.charts import LEVEL_HEX, ChartText, HeatItem

THEME_ORDER = (
    "lawfulness",
    "minimisation",
    "notice_consent",
    "sharing",
    "face_recognition",
    "deep_synthesis",
    "rights",
    "security",
    "other",
)
"""The sub-parts of the compliance analysis (reference R.6/R.7), in report order."""

THEME_ALIASES = {
    "lawfulness": "lawfulness",
    "legality": "lawfulness",
    "necessity": "lawfulness",
    "purpose": "lawfulness",
    "minimisation": "minimisation",
    "minimization": "minimisation",
    "storage": "minimisation",
    "retention": "minimisation",
    "minimum_storage": "minimisation",
    "notice_consent": "notice_consent",
    "notice": "notice_consent",
    "consent": "notice_consent",
    "minors": "notice_consent",
    "sharing": "sharing",
    "entrustment": "sharing",
    "provision": "sharing",
    "disclosure": "sharing",
    "cross_border": "sharing",
    "transfer": "sharing",
    "face_recognition": "face_recognition",
    "fr": "face_recognition",
    "face": "face_recognition",
    "deep_synthesis": "deep_synthesis",
    "labelling": "deep_synthesis",
    "labeling": "deep_synthesis",
    "ds": "deep_synthesis",
    "rights": "rights",
    "security": "security",
}
"""Theme codes of the form (section/question/rule `theme`) → report sub-part."""

SECTION_THEMES = {
    "D": "minimisation",
    "E": "minimisation",
    "F": "notice_consent",
    "G": "sharing",
    "H": "face_recognition",
    "I": "deep_synthesis",
    "J": "rights",
    "K": "security",
}
"""Sections whose questions the compliance analysis lists, and their theme when none is set."""

THEME_SECTIONS = {
    "minimisation": ("D", "E"),
    "notice_consent": ("F",),
    "sharing": ("G",),
    "face_recognition": ("H",),
    "deep_synthesis": ("I",),
    "rights": ("J",),
    "security": ("K",),
}
"""Which section a theme comes from, to say "not applicable" when that section is not shown."""

WIDE_TABLE = 6
"""Table answers with more columns than this are printed row by row (see _table_block)."""

SUMMARY_LIMIT = 1500
"""Longest answer the compliance tables quote; the appendix always has the full text. (A table
cell of 100,000 characters also makes LibreOffice's layout take minutes.)"""

SEVERITY_HEX = {"S1": LEVEL_HEX[3], "S2": LEVEL_HEX[2], "S3": LEVEL_HEX[1], "S4": LEVEL_HEX[0]}
WHITE = "FFFFFF"
PARTY_TABLES = ("g_entrusted", "g_cb_recipients", "k_third_party_oversight")
C_COLUMNS = (
    "act_id",
    "act_name",
    "lifecycle",
    "data_items",
    "sensitive",
    "subjects",
    "purpose",
    "legal_basis",
    "controller_role",
    "source_method",
    "storage_location",
    "transfer_protection",
    "retention",
    "deletion_method",
    "cross_border",
    "third_party",
)
"""The c_activities columns tables C-1/C-2 show (reference section C)."""


def display_value(item: Question | Column, value: Any, lang: str) -> str:
    """An answer as a reader should see it; unanswered says so."""
    if is_blank(value):
        return t("report.not_answered", lang)
    if item.type == "yesno":
        if isinstance(value, bool):
            return t("common.yes" if value else "common.no", lang)
        return str(value)
    if item.type == "single":
        opt = item.option(value) if isinstance(value, str) else None
        return pick(opt.label, lang) if opt else str(value)
    if item.type == "multi":
        labels = []
        for code in value if isinstance(value, list) else [value]:
            opt = item.option(code) if isinstance(code, str) else None
            labels.append(pick(opt.label, lang) if opt else str(code))
        return ("；" if lang == "zh" else "; ").join(labels)
    if item.type == "number":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)
    if item.type == "table" and isinstance(item, Question):
        lines = []
        sep = "：" if lang == "zh" else ": "
        joiner = "；" if lang == "zh" else "; "
        rows = value if isinstance(value, list) else []
        for i, row in enumerate(rows, start=1):
            cells = [
                f"{pick(col.label, lang)}{sep}{display_value(col, row.get(col.id), lang)}"
                for col in item.columns
                if isinstance(row, Mapping) and not is_blank(row.get(col.id))
            ]
            lines.append(f"{i}. " + joiner.join(cells))
        return "\n".join(lines) if lines else t("report.not_answered", lang)
    return str(value)


def table_rows(q: Question, value: Any, lang: str) -> list[list[str]]:
    if not isinstance(value, list):
        return []
    return [
        [display_value(c, row.get(c.id), lang) for c in q.columns]
        for row in value
        if isinstance(row, Mapping)
    ]


def _s(value: Any) -> str:
    """Any caller-supplied value as text; None is empty."""
    return "" if value is None else str(value)


class _Ctx:
    """The pieces every part of the context needs."""

    def __init__(self, form: Form, answers: Mapping[str, Any], lang: str) -> None:
        self.form = form
        self.answers = answers
        self.lang = lang
        self.visible = visible_question_ids(form, answers)
        self.eff = effective_answers(form, answers)
        self.applies = applicable_sources(form, answers)  # issue 8: cite only laws that apply
        self.na = t("report.not_answered", lang)
        self.sep = "；" if lang == "zh" else "; "

    def ans(self, qid: str) -> str:
        """The displayed answer of a question that applies; "not answered" otherwise."""
        q = self.form.question(qid)
        if q is None or qid not in self.visible:
            return self.na
        return display_value(q, self.answers.get(qid), self.lang)

    def answered(self, qid: str) -> bool:
        return qid in self.eff

    def with_note(self, qid: str, note_qid: str) -> str:
        text = self.ans(qid)
        if self.answered(note_qid):
            text += ("。" if self.lang == "zh" else ". ") + self.ans(note_qid)
        return text.rstrip("。.；; ")

    def label(self, qid: str) -> str:
        q = self.form.question(qid)
        return pick(q.label, self.lang) if q else qid

    def rows(self, qid: str) -> list[Mapping[str, Any]]:
        value = self.eff.get(qid)
        return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _finding_row(c: _Ctx, f: Finding, no: int = 0) -> dict[str, Any]:
    q = c.form.question(f.question_ids[0])
    return {
        "no": str(no),
        "rule_id": f.rule_id,
        "severity": f.severity,
        "severity_label": t(f"severity.{f.severity}", c.lang),
        "color": SEVERITY_HEX.get(f.severity, WHITE),
        "message": pick(f.message, c.lang),
        "refs": format_refs(c.form, f.refs, c.lang) or "—",
        "measure": pick(f.measure, c.lang) or "—",
        "question": pick(q.label, c.lang) if q else f.question_ids[0],
    }


def _names(team: Sequence[Mapping[str, str]], lang: str, limit: int = 8) -> str:
    """The team's names for the cover; a long team is cut short (part 1 lists everyone)."""
    names = [m["name"] for m in team]
    text = ("、" if lang == "zh" else ", ").join(_excerpt(n, lang, 80) for n in names[:limit])
    if len(names) > limit:
        text += t("report.and_more", lang, count=len(names))
    return text


def _excerpt(text: str, lang: str, limit: int = 0) -> str:
    limit = limit or SUMMARY_LIMIT
    if len(text) <= limit:
        return text
    return text[:limit] + t("report.see_appendix", lang)


def _finding_line(f: Finding, lang: str) -> str:
    sep = "：" if lang == "zh" else ": "
    return f"{f.severity} {t(f'severity.{f.severity}', lang)}{sep}{pick(f.message, lang)}"


def _treatment_ref(ref: str, findings: Sequence[Mapping[str, Any]], lang: str) -> str:
    """A treatment's target: a risk id as it is; a gap's rule id as the gap's number in part 3."""
    for f in findings:
        if f["rule_id"] == ref:
            return t("report.ref_gap", lang, no=f["no"], severity=f["severity"])
    return ref or "—"


def _theme_of(code: str, section_id: str) -> str:
    return THEME_ALIASES.get(code) or SECTION_THEMES.get(section_id) or "other"


def _themes(c: _Ctx, findings: Sequence[Finding]) -> dict[str, Any]:
    by_question: dict[str, list[Finding]] = {}
    for f in findings:
        by_question.setdefault(f.question_ids[0], []).append(f)
    themes: dict[str, dict[str, Any]] = {
        code: {"applicable": True, "note": "", "rows": [], "extra": []} for code in THEME_ORDER
    }
    listed: set[str] = set()
    for section in c.form.sections:
        if section.id not in SECTION_THEMES:
            continue
        for q in section.questions:
            if q.id not in c.visible:
                continue
            code = _theme_of(q.theme or section.theme, section.id)
            found = by_question.get(q.id, [])
            listed.update(f.rule_id for f in found)
            themes[code]["rows"].append(
                {
                    "requirement": pick(q.label, c.lang),
                    "refs": format_refs(c.form, only_applicable(q.refs, c.applies), c.lang) or "—",
                    "answer": _excerpt(display_value(q, c.answers.get(q.id), c.lang), c.lang),
                    "finding": "\n".join(_finding_line(f, c.lang) for f in found)
                    or t("report.no_gap", c.lang),
                    "measure": "\n".join(pick(f.measure, c.lang) for f in found) or "—",
                    "color": SEVERITY_HEX.get(found[0].severity, WHITE) if found else WHITE,
                }
            )
    for f in findings:
        if f.rule_id in listed:
            continue
        themes[_theme_of(f.theme, f.section_id)]["extra"].append(_finding_row(c, f))
    shown_sections = {s.id for s in c.form.sections if any(q.id in c.visible for q in s.questions)}
    for code, sections in THEME_SECTIONS.items():
        th = themes[code]
        if th["rows"] or th["extra"]:
            continue
        present = [s for s in sections if c.form.section(s) is not None]
        if present and not any(s in shown_sections for s in present):
            th["applicable"] = False
            th["note"] = t(f"report.theme_na.{code}", c.lang)
    return themes


def _risk_data(form: Form) -> Mapping[str, Any]:
    raw = form.data.get("risk")
    return raw if isinstance(raw, Mapping) else {}


def _risk(c: _Ctx, grading: Grading) -> dict[str, Any]:
    form, lang = c.form, c.lang
    data = _risk_data(form)
    not_rated = t("report.not_rated", lang)

    def lv(n: int | None) -> str:
        return level_label(form, n, lang) if n else not_rated

    def lk(n: int | None) -> str:
        return likelihood_label(form, n, lang) if n else not_rated

    def colour(n: int | None) -> str:
        return LEVEL_HEX[n - 1] if n in (1, 2, 3, 4) and n is not None else WHITE

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

    rows = [r for r in c.rows(RISK_TABLE) if not all(is_blank(v) for v in r.values())]
    items = []
    for i, item in enumerate(grading.risk.items):
        raw = rows[i] if i < len(rows) else {}
        items.append(_risk_item(c, item, raw, dims, factor_names, adjust_labels, lv, lk, colour))

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
                        "color": colour(level_codes.index(str(cell)) + 1),
                    }
                    for cell in matrix[r]
                ],
            }
            for r in reversed(range(len(matrix)))
        ],
        "dimension_names": c.sep.join(dims.values()),
        "factor_names": c.sep.join(factor_names.values()),
        "acceptance": c.ans("l_acceptance_criteria"),
        "entries": items,
        "overall": lv(grading.risk.overall),
        "overall_color": colour(grading.risk.overall),
        "overall_residual": lv(grading.risk.overall_residual),
    }


def _risk_item(
    c: _Ctx,
    item: RiskItemGrade,
    raw: Mapping[str, Any],
    dims: Mapping[str, str],
    factor_names: Mapping[str, str],
    adjust_labels: Mapping[str, str],
    lv: Any,
    lk: Any,
    colour: Any,
) -> dict[str, Any]:
    table = c.form.question(RISK_TABLE)

    def cell(col_id: str) -> str:
        col = table.column(col_id) if table else None
        value = raw.get(col_id)
        return display_value(col, value, c.lang) if col else (_s(value) or c.na)

    adjustments = [adjust_labels.get(a, a) for a in item.adjustments]
    for key in ("impact_adjust_reason", "lik_adjust_reason"):
        if not is_blank(raw.get(key)):
            adjustments.append(cell(key))
    subjects = cell("affected_subjects")
    if not is_blank(raw.get("affected_scale")):
        subjects += f"（{cell('affected_scale')}）" if c.lang == "zh" else f" ({cell('affected_scale')})"
    return {
        "id": item.risk_id or "—",
        "activity": item.activity or c.na,
        "threat": item.threat or c.na,
        "source": cell("risk_source"),
        "subjects": subjects,
        "impact": lv(item.impact),
        "likelihood": lk(item.likelihood),
        "level": lv(item.level),
        "level_color": colour(item.level),
        "residual": lv(item.residual_level),
        "residual_color": colour(item.residual_level),
        "dims": [
            {
                "name": dims.get(d.dimension, d.dimension),
                "impact": lv(d.impact) if d.impact else cell(f"impact_{d.dimension}"),
                "reason": d.impact_reason
                or ("—" if raw.get(f"impact_{d.dimension}") == "not_applicable" else c.na),
                "risk": lv(d.risk) if d.risk else "—",
                "color": colour(d.risk),
            }
            for d in item.dimensions
        ],
        "factors": [
            {"name": factor_names.get(f, f), "level": lk(level), "reason": reason or c.na}
            for f, (level, reason) in item.factors.items()
        ],
        "adjustments": c.sep.join(adjustments) or t("report.none", c.lang),
        "problems": [describe_problem(c.form, p, c.lang) for p in item.problems],
    }


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


def _conclusion(c: _Ctx, grading: Grading, risk: Mapping[str, Any]) -> dict[str, Any]:
    lang = c.lang
    dates = grading.dates
    uses_fr = c.eff.get("b_uses_face_recognition") is True
    rd_only = c.eff.get("b_rd_training_only") is True
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

    def answered_or_derived(qid: str, derived: dt.date | None, key: str) -> str:
        """The officer's date if given, else the date the engine derives, saying so."""
        if c.answered(qid):
            return str(c.ans(qid))
        return t(key, lang, date=derived.isoformat()) if derived else str(c.na)

    retain = answered_or_derived("m_retain_until", dates.retain_until, "report.derived_retain")
    review = answered_or_derived("m_next_review", dates.next_review, "report.derived_review")
    return {
        "lawfulness": c.with_note("m_lawfulness_summary", "m_lawfulness_note"),
        "rights_impact": c.ans("m_rights_impact_summary"),
        "measures": c.with_note("m_measure_adequacy", "m_measure_adequacy_note"),
        "fr_applicable": uses_fr and not rd_only,
        "fr_note": fr_note,
        "fr_risk": fr_risk,
        "decision": c.ans("m_conclusion"),
        "blockers": [pick(b, lang) for b in grading.conclusion_blockers],
        "retain_until": retain,
        "records": c.ans("m_processing_records"),
        "next_review": review,
        "review_triggers": c.ans("m_review_triggers"),
        "filing_due": dates.filing_due.isoformat() if dates.filing_due else "",
        "filing_note": describe_filing_note(dates.filing_note, lang),
    }


def _references(c: _Ctx) -> list[str]:
    out = []
    q = c.form.question("a_references")
    for code in c.eff.get("a_references") or []:
        source = c.form.sources.get(code)
        if source is not None:
            out.append(pick(source.name, c.lang))
        else:
            opt = q.option(code) if q else None
            out.append(pick(opt.label, c.lang) if opt else str(code))
    other = c.eff.get("a_references_other")
    if isinstance(other, str):
        out.extend(line.strip() for line in other.splitlines() if line.strip())
    return out


def _parties(c: _Ctx) -> list[dict[str, Any]]:
    out = []
    for qid in PARTY_TABLES:
        q = c.form.question(qid)
        if q is None or q.type != "table" or not c.rows(qid):
            continue
        columns = [pick(col.label, c.lang) for col in q.columns]
        block = _table_block(columns, table_rows(q, c.rows(qid), c.lang), c.lang)
        out.append({"title": pick(q.label, c.lang), **block})
    return out


def _table_block(columns: list[str], rows: list[list[str]], lang: str) -> dict[str, Any]:
    """A table answer for layout: a Word table when it has at most WIDE_TABLE columns
    (kind "table"), otherwise one small label/value table per row (kind "records"), because 18
    columns across a page leave one character per line."""
    records = []
    if len(columns) > WIDE_TABLE:
        for i, row in enumerate(rows, start=1):
            first = row[0] if row and row[0] != t("report.not_answered", lang) else ""
            title = t("report.row", lang, n=i) + (f" {first}" if first else "")
            records.append(
                {
                    "title": title,
                    "fields": [{"label": k, "value": v} for k, v in zip(columns, row, strict=False)],
                }
            )
    return {
        "kind": "records" if records else "table",
        "columns": columns,
        "rows": rows,
        "records": records,
    }


def _activities(c: _Ctx) -> tuple[dict[str, str], list[dict[str, str]]]:
    q = c.form.question("c_activities")
    cols = {col_id: col_id for col_id in C_COLUMNS}
    rows: list[dict[str, str]] = []
    if q is None:
        return cols, rows
    for col in q.columns:
        cols[col.id] = pick(col.label, c.lang)
    for i, raw in enumerate(c.rows("c_activities"), start=1):
        row = {col_id: c.na for col_id in C_COLUMNS}
        for col in q.columns:
            row[col.id] = display_value(col, raw.get(col.id), c.lang)
        if is_blank(raw.get("act_id")):
            row["act_id"] = f"P{i}"
        rows.append(row)
    return cols, rows


def _approvers(c: _Ctx) -> list[dict[str, str]]:
    rows = []
    for raw in c.rows("m_approval"):
        rows.append({k: _s(raw.get(k)).strip() for k in ("name", "role", "date", "opinion")})
    rows = [r for r in rows if any(r.values())]
    return rows or [{"name": "", "role": "", "date": "", "opinion": ""} for _ in range(2)]


def _appendix(c: _Ctx) -> list[dict[str, Any]]:
    sections = []
    for section in c.form.sections:
        questions = []
        for q in section.questions:
            if q.id not in c.visible:
                continue
            value = c.answers.get(q.id)
            rows = table_rows(q, value, c.lang) if q.type == "table" else []
            questions.append(
                {
                    "id": q.id,
                    "label": pick(q.label, c.lang),
                    "answer": display_value(q, value, c.lang),
                    "is_table": q.type == "table",
                    "columns": [pick(col.label, c.lang) for col in q.columns],
                    "rows": rows,
                    "refs": format_refs(c.form, only_applicable(q.refs, c.applies), c.lang),
                }
            )
        if questions:
            sections.append(
                {
                    "id": section.id,
                    "title": pick(section.title, c.lang),
                    "questions": questions,
                    "blocks": _blocks(questions, c.lang),
                }
            )
    return sections


def _blocks(questions: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Questions grouped for the appendix layout (`kind`): runs of plain answers make one
    question/answer table ("qa"); a table answer with rows is a Word table of its own
    ("table"); an answer longer than SUMMARY_LIMIT is a paragraph ("text"), because a table
    cell of that size makes LibreOffice's layout take minutes."""
    blocks: list[dict[str, Any]] = []

    def block(kind: str, q: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "kind": kind,
            "label": q["label"] if q and kind != "qa" else "",
            "answer": q["answer"] if q and kind == "text" else "",
            "columns": [],
            "rows": [],
            "records": [],
            "questions": [q] if q and kind == "qa" else [],
        }

    for q in questions:
        if q["is_table"] and q["rows"]:
            blocks.append({**block("table", q), **_table_block(q["columns"], q["rows"], lang)})
        elif len(q["answer"]) > SUMMARY_LIMIT:
            blocks.append(block("text", q))
        elif blocks and blocks[-1]["kind"] == "qa":
            blocks[-1]["questions"].append(q)
        else:
            blocks.append(block("qa", q))
    return blocks


def _rows_of(items: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> list[dict[str, str]]:
    return [{k: _s(row.get(k)) for k in keys} for row in items if isinstance(row, Mapping)]


def build_context(
    form: Form,
    answers: Mapping[str, Any],
    lang: str,
    meta: Mapping[str, Any],
    grading: Grading | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
    history: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The whole context of a report.

    `meta`: revision, status, content_hash, generated (ISO date), and optionally review
    ({based_on, reason}; its presence makes the report a re-review). `grading` defaults to
    grading the answers as of `generated`.
    """
    generated = _s(meta.get("generated")) or dt.date.today().isoformat()
    if grading is None:
        try:
            today = dt.date.fromisoformat(generated)
        except ValueError:
            today = None
        grading = grade_assessment(form, answers, today)
    c = _Ctx(form, answers, lang)
    findings = grading.findings
    finding_rows = [_finding_row(c, f, i) for i, f in enumerate(findings, start=1)]
    counts: dict[str, int] = {
        s: sum(1 for f in findings if f.severity == s) for s in ("S1", "S2", "S3", "S4")
    }
    counts["total"] = len(findings)
    risk = _risk(c, grading)
    trig_q = form.question("b_pia_triggers")
    trigger_labels = []
    for code in grading.triggers:
        opt = trig_q.option(code) if trig_q else None
        trigger_labels.append(pick(opt.label, lang) if opt else code)
    team = [
        {
            "name": _s(r.get("name")) or c.na,
            "dept": _s(r.get("dept")) or c.na,
            "role": _s(r.get("role")) or c.na,
            "independent": t("common.yes", lang)
            if r.get("independent") is True
            else t("common.no", lang)
            if r.get("independent") is False
            else c.na,
        }
        for r in c.rows("a_assessors")
    ]
    c_cols, activities = _activities(c)
    treat_q = form.question("m_treatments")
    treatments = []
    for raw in c.rows("m_treatments"):

        def col(col_id: str, raw: Mapping[str, Any] = raw) -> str:
            column = treat_q.column(col_id) if treat_q else None
            return display_value(column, raw.get(col_id), lang) if column else c.na

        code = _s(raw.get("residual_level"))
        level_codes = ("low", "medium", "high", "severe")
        treatments.append(
            {
                "ref": _treatment_ref(_s(raw.get("ref_id")).strip(), finding_rows, lang),
                "measure": col("measure"),
                "option": col("approach"),
                "owner": col("owner"),
                "deadline": col("deadline"),
                "status": col("status"),
                "residual": col("residual_level"),
                "residual_color": LEVEL_HEX[level_codes.index(code)] if code in level_codes else WHITE,
            }
        )
    review_meta = meta.get("review")
    review = {
        "is_rereview": isinstance(review_meta, Mapping),
        "based_on": _s(review_meta.get("based_on")) if isinstance(review_meta, Mapping) else "",
        "reason": (_s(review_meta.get("reason")) or c.na) if isinstance(review_meta, Mapping) else "",
    }
    report_date = c.ans("m_report_date") if c.answered("m_report_date") else generated
    status = t(f"status.{meta.get('status', 'draft')}", lang)
    return {
        "lang": lang,
        "form_title": pick(form.title, lang),
        "form_id": form.id,
        "form_version": form.version,
        "title": c.ans("a_project_name"),
        "revision": _s(meta.get("revision", 1)),
        "status": status,
        "content_hash": _s(meta.get("content_hash")),
        "generated": generated,
        "heatmap": "",
        "cover": {
            "object": c.ans("a_scope"),
            "controller": c.ans("a_controller_name"),
            "controller_contact": c.ans("a_controller_contact"),
            "assessment_type": c.ans("a_assessment_type"),
            "report_date": report_date,
            "status": status,
            "assessors": _names(team, lang) or c.na,
            "signer": c.ans("a_report_signer"),
        },
        "approvers": _approvers(c),
        "scope": {
            "object": c.ans("a_scope"),
            "assessment_type": c.ans("a_assessment_type"),
            "start": c.ans("a_assessment_start"),
            "end": c.ans("a_assessment_end"),
            "processing_start": c.ans("a_processing_start"),
            "release": c.ans("m_release"),
        },
        "team": team,
        "team_officer": c.ans("a_pi_officer"),
        "references": _references(c),
        "object_facts": [
            {"label": pick(q.label, lang), "answer": display_value(q, answers.get(q.id), lang)}
            for s in form.sections
            if s.id == "B"
            for q in s.questions
            if q.id in c.visible
        ],
        "triggers_text": c.sep.join(trigger_labels) or t("report.none", lang),
        "c_cols": c_cols,
        "activities": activities,
        "parties": _parties(c),
        "findings": finding_rows,
        "counts": counts,
        "themes": _themes(c, findings),
        "risk": risk,
        "treatments": treatments,
        "concl": _conclusion(c, grading, risk),
        "review": review,
        "changes": _rows_of(changes, ("kind", "item", "before", "after")),
        "history": _rows_of(history, ("revision", "status", "date", "approver", "reason")),
        "sections": _appendix(c),
    }

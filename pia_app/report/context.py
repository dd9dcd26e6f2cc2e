"""Build the report's context: a plain dict of strings and lists, no objects, no None.

What the template shows is decided here and in the template; nothing below reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pia_app.engine.findings import evaluate_rules
from pia_app.forms.answers import visible_question_ids
from pia_app.forms.citations import format_refs
from pia_app.forms.conditions import is_blank
from pia_app.forms.schema import Column, Form, Question
from pia_app.i18n import pick, t


def display_value(item: Question | Column, value: Any, lang: str) -> str:
    """An answer as a reader should see it; unanswered says so."""
    if is_blank(value):
        return t("report.not_answered", lang)
    if item.type == "yesno":
        return t("common.yes" if value else "common.no", lang)
    if item.type == "single":
        opt = item.option(value)
        return pick(opt.label, lang) if opt else str(value)
    if item.type == "multi":
        labels = []
        for code in value:
            opt = item.option(code)
            labels.append(pick(opt.label, lang) if opt else str(code))
        return ("；" if lang == "zh" else "; ").join(labels)
    if item.type == "number":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value:,}" if isinstance(value, (int, float)) else str(value)
    if item.type == "table" and isinstance(item, Question):
        lines = []
        sep = "：" if lang == "zh" else ": "
        joiner = "；" if lang == "zh" else "; "
        for i, row in enumerate(value, start=1):
            cells = [
                f"{pick(col.label, lang)}{sep}{display_value(col, row.get(col.id), lang)}"
                for col in item.columns
                if isinstance(row, Mapping) and not is_blank(row.get(col.id))
            ]
            lines.append(f"{i}. " + joiner.join(cells))
        return "\n".join(lines)
    return str(value)


def table_rows(q: Question, value: Any, lang: str) -> list[list[str]]:
    if not isinstance(value, list):
        return []
    return [
        [display_value(c, row.get(c.id), lang) for c in q.columns]
        for row in value
        if isinstance(row, Mapping)
    ]


def build_context(
    form: Form,
    answers: Mapping[str, Any],
    lang: str,
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    """The whole context of a report. `meta` carries revision number, status and hash."""
    visible = visible_question_ids(form, answers)
    findings = evaluate_rules(form, answers)
    sections = []
    for section in form.sections:
        questions = []
        for q in section.questions:
            if q.id not in visible:
                continue
            value = answers.get(q.id)
            questions.append(
                {
                    "id": q.id,
                    "label": pick(q.label, lang),
                    "answer": display_value(q, value, lang),
                    "is_table": q.type == "table",
                    "columns": [pick(c.label, lang) for c in q.columns],
                    "rows": table_rows(q, value, lang) if q.type == "table" else [],
                    "refs": format_refs(form, q.refs, lang),
                }
            )
        if questions:
            sections.append(
                {"id": section.id, "title": pick(section.title, lang), "questions": questions}
            )
    finding_rows = [
        {
            "rule_id": f.rule_id,
            "severity": f.severity,
            "severity_label": t(f"severity.{f.severity}", lang),
            "section": f.section_id,
            "question": pick(form.questions[f.question_ids[0]].label, lang),
            "message": pick(f.message, lang),
            "measure": pick(f.measure, lang),
            "refs": format_refs(form, f.refs, lang),
        }
        for f in findings
    ]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("S1", "S2", "S3", "S4")}

    def answer(qid: str) -> str:
        q = form.questions[qid]
        return display_value(q, answers.get(qid), lang)

    return {
        "lang": lang,
        "form_title": pick(form.title, lang),
        "form_id": form.id,
        "form_version": form.version,
        "title": answer("a_project_name"),
        "controller": answer("a_controller_name"),
        "scope": answer("a_scope"),
        "assessment_type": answer("a_assessment_type"),
        "revision": str(meta.get("revision", 1)),
        "status": t(f"status.{meta.get('status', 'draft')}", lang),
        "content_hash": str(meta.get("content_hash", "")),
        "generated": str(meta.get("generated") or dt.date.today().isoformat()),
        "sections": sections,
        "findings": finding_rows,
        "has_findings": bool(finding_rows),
        "counts": counts,
    }


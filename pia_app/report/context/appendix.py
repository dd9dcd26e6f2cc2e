"""Part 8 of the report: every answer that applies, grouped for layout."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pia_app.display import citations, display_value, label, table_rows
from pia_app.forms.citations import only_applicable
from pia_app.forms.conditions import is_blank
from pia_app.i18n import t
from pia_app.report.context.base import SUMMARY_LIMIT, Ctx, table_block


def appendix(c: Ctx, targets: Mapping[str, str], approved: bool = False) -> list[dict[str, Any]]:
    """`targets`: how the report names what a treatment row refers to (a rule id of an older
    file reads as the gap number). `approved`: whether the revision is approved; if not, the
    questionnaire's approvers table (planned names, dates and opinions) is labelled as a plan,
    so it is not read as approvals the approval page says have not happened."""
    approvals = c.role("approvals")
    sections = []
    for section in c.form.sections:
        questions = []
        for q in section.questions:
            if q.id not in c.visible:
                continue
            value = c.answers.get(q.id)
            rows = table_rows(q, value, c.lang) if q.type == "table" else []
            rows = [[targets.get(cell, cell) for cell in row] for row in rows]
            answer = display_value(q, value, c.lang)
            if is_blank(value) and q.type == "single" and isinstance(q.default, str) and q.option(q.default):
                # The report applies the declared default (the classification in the header).
                answer = t("report.default_value", c.lang, value=display_value(q, q.default, c.lang))
            title = label(q, c.lang)
            if q.id == approvals and not approved:
                title = t("report.approvals_planned", c.lang, label=title)
            questions.append(
                {
                    "label": title,
                    "answer": answer,
                    "is_table": q.type == "table",
                    "columns": [label(col, c.lang) for col in q.columns],
                    "rows": rows,
                    "refs": citations(c.form, only_applicable(q.refs, c.applies), c.lang),
                }
            )
        if questions:
            sections.append(
                {"id": section.id, "title": label(section, c.lang), "blocks": _blocks(questions, c.lang)}
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
            "questions": [_qa(q)] if q and kind == "qa" else [],
        }

    for q in questions:
        if q["is_table"] and q["rows"]:
            blocks.append({**block("table", q), **table_block(q["columns"], q["rows"], lang)})
        elif len(q["answer"]) > SUMMARY_LIMIT:
            blocks.append(block("text", q))
        elif blocks and blocks[-1]["kind"] == "qa":
            blocks[-1]["questions"].append(_qa(q))
        else:
            blocks.append(block("qa", q))
    return blocks


def _qa(q: dict[str, Any]) -> dict[str, str]:
    """A question of a question/answer table: what the template prints."""
    return {"label": q["label"], "answer": q["answer"]}
